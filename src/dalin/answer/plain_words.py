"""Plain words and the formal words documents write for them.

Staff ask in everyday Korean ("제출한 제안서를 돌려받을 수 있나요?"); a request for proposals
answers in the administrative word ("제출된 제안서는 일체 반환하지 않으며"). Neither the
search nor the coverage gate can see that 돌려받다 is 반환, so the reader abstained on
passages it had found. ``data/plain_words.txt`` lists the common pairs of office and public
writing; a question holding one side is answered by a passage holding the other, through the
same equivalents the workspace glossary gives (:class:`dalin.answer.extractive.Equivalents`).

The list is general, read through Kiwi (verbs by stem), and applied from the plain word to
the formal one only. A one-syllable word is never the passage's side of a pair: 두, 열 and 날
are in every text.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from dalin.text.korean import tokenize

__all__ = ["formal_words", "load_entries", "plain_equivalents"]

#: (tokens of the plain word, tokens of each formal word)
Entry = tuple[frozenset[str], tuple[frozenset[str], ...]]
Pair = tuple[frozenset[str], frozenset[str]]


def parse_entries(text: str) -> tuple[Entry, ...]:
    """``plain = formal, formal`` lines as token sets; a word Kiwi reads as no content
    token (a light verb alone) is left out."""
    entries: list[Entry] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        plain, _, formal = line.partition("=")
        left = frozenset(tokenize(plain.strip()))
        right = tuple(frozenset(_noun_tokens(w.strip())) for w in formal.split(","))
        right = tuple(r for r in right if r)
        if left and right:
            entries.append((left, right))
    return tuple(entries)


def _noun_tokens(word: str) -> list[str]:
    """A formal word's tokens as a passage writes it, before a particle: alone, Kiwi reads
    위임 as 위 + 이다 and 상해 as 상하다, but "위임을" and "상해를" as the nouns."""
    alone = tokenize(word)
    if word in alone or not re.fullmatch(r"[가-힣]+", word) or word.endswith("다"):
        return alone
    placed = [t for t in tokenize(f"{word}을") if t in word]
    return placed if word in placed else alone


@cache
def load_entries() -> tuple[Entry, ...]:
    """The bundled list, read once per process."""
    data = resources.files("dalin.answer") / "data" / "plain_words.txt"
    return parse_entries(data.read_text(encoding="utf-8"))


def _passage_side(tokens: frozenset[str]) -> bool:
    return all(len(t) >= 2 for t in tokens)


def plain_equivalents(question: str) -> tuple[Pair, ...]:
    """(tokens the question holds, tokens a passage may hold instead) for every plain word
    the question names: plain to formal only. The other way round a formal question word
    would be held by every plain use of a common verb ("검토" by "살펴보면")."""
    asked = set(tokenize(question))
    pairs: list[Pair] = []
    for plain, formals in load_entries():
        if plain <= asked:
            pairs.extend((plain, f) for f in formals if _passage_side(f) and not f <= asked)
    return tuple(dict.fromkeys(pairs))


def formal_words(token: str) -> frozenset[str]:
    """The formal words for a plain word of one token: 돌려받 → 반환, 환급, 환불, …"""
    return _by_plain().get(token, frozenset())


@cache
def _by_plain() -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for plain, formals in load_entries():
        if len(plain) == 1:
            (word,) = plain
            words = {t for f in formals if len(f) == 1 and _passage_side(f) for t in f}
            out[word] = out.get(word, frozenset()) | words
    return out
