"""A manner the source's condition states and the sentence drops.

"연속하여 3일 이상 무단결근한 경우" answered "3일 이상 결근하면"; "정상적으로 사용하다 고장
난 경우" answered "1년 안에 고장 나면": the sentence restates the condition but not how it
must hold, and so says the rule covers more than it does. A manner is an adverb made of a
noun (``연속하여``, ``계속하여``, ``정상적으로``), read from Kiwi's morphemes: it says how the
event happens, which changes what counts. An adverb that is one already (``부득이하게``) gives
a reason or an attitude, and a sentence may leave it out. The condition is the source's text
up to its ``경우``, ``때`` or ``-면``; of alternatives (``연속하여 3일 이상 또는 한 달에 5일
이상``) only the one the sentence restates (by its numbers, or else by a noun) binds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from dalin.answer.alignment import FRAME_WORDS, Alignment, Unit
from dalin.answer.lexicon import LIGHT
from dalin.answer.quantities import quantities, supports
from dalin.answer.verdicts import Finding, Given, quote
from dalin.text.korean import has_korean, kiwi

if TYPE_CHECKING:  # Kiwi's native library loads on first use, never on import: a parse
    # worker imports this package under its memory cap and must start inside it
    from kiwipiepy import Token

#: the word a condition ends with: "… 경우(에는)", "… 때", "…(으)면"
_CONDITION_NOUNS = frozenset({"경우", "때"})
_CONDITION_ENDINGS = frozenset({"면", "으면"})
#: "-하게", "-하여", "-해": an adverb made of the noun before it
_ADVERB_ENDINGS = frozenset({"게", "어", "여", "아"})
#: what separates alternatives of one condition
_OR = frozenset({"또는", "혹은", "내지"})


def dropped(al: Alignment, best: Unit | None, given: Given) -> Finding | None:
    """A manner of the best statement's condition the sentence (its question, the sentence
    before) does not keep, when the sentence restates that condition."""
    if best is None or not has_korean(best.text):
        return None
    kept = f"{al.sentence} {given.text}"
    for own, stems, nouns in _manners_of(best.text):
        if _restates(al, own, nouns):
            lost = [s for s in stems if s not in kept]
            if lost:
                return Finding("condition", quote(", ".join(lost)), best)
    return None


@lru_cache(maxsize=512)
def _manners_of(text: str) -> tuple[tuple[str, tuple[str, ...], frozenset[str]], ...]:
    """Each condition of a statement that states a manner: its text, the manners' nouns, and
    its other nouns (read once per statement: an answer's sentences share their passages)."""
    out = []
    for span in _conditions(kiwi().tokenize(text)):
        stems = _manners(span)
        if not stems:
            continue
        own = text[span[0].start : span[-1].start + span[-1].len]
        nouns = {t.form for t in span if t.tag in ("NNG", "NNP") and len(t.form) >= 2}
        out.append((own, tuple(stems), frozenset(nouns - set(stems))))
    return tuple(out)


def _conditions(tokens: Sequence[Token]) -> list[Sequence[Token]]:
    """Each alternative of each condition of a statement, as its morphemes."""
    out: list[Sequence[Token]] = []
    start = 0
    for i, tok in enumerate(tokens):
        noun = tok.tag == "NNG" and tok.form in _CONDITION_NOUNS
        if not (noun or (tok.tag == "EC" and tok.form in _CONDITION_ENDINGS)):
            continue
        piece_start = start
        for j in range(start, i):
            if tokens[j].form in _OR:
                out.append(tokens[piece_start:j])
                piece_start = j + 1
        out.append(tokens[piece_start:i])
        start = i + 1
    return out


def _restates(al: Alignment, own: str, nouns: frozenset[str]) -> bool:
    """Whether the sentence restates this condition: shares a number with it, or (when it has
    none) a noun other than a manner's."""
    numbers = [q for q in quantities(own, evidence=True) if not q.bare]
    if numbers:
        return any(supports(q, numbers) for q in al.claim)
    return bool((nouns - FRAME_WORDS - LIGHT) & al.reading.terms)


def _manners(span: Sequence[Token]) -> list[str]:
    """The nouns of the span's manners: "연속 + 하 + 여", "정상 + 적 + 으로"."""
    out = []
    for stem, suffix, ending in zip(span, span[1:], span[2:], strict=False):
        if stem.tag not in ("NNG", "XR"):
            continue
        made = suffix.tag.startswith(("XSA", "XSV")) and ending.tag == "EC"
        if (made and ending.form in _ADVERB_ENDINGS) or (
            suffix.form == "적" and suffix.tag == "XSN" and ending.form == "으로"
        ):
            out.append(stem.form)
    return out
