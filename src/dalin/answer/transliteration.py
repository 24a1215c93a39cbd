"""Names an English question spells in Latin letters that a Korean passage writes in Hangul.

"Kim Ha-seong's three-run homer against Cincinnati" is about a Korean article writing
김하성 and 신시내티; no lexicon lists a player, a city or a loanword (체인지업, "changeup"),
so the coverage gate turned the article away. A name keeps its consonants across the two
scripts — Korean renders a foreign name sound by sound, and an English text spells a Korean
name by its romanisation — so each side is reduced to a skeleton of consonant classes
(vowels dropped, ㄱ/ㅋ and g/k/hard c alike, ㅈ/ㅊ and j/ch/soft g alike) and a Latin word
is held by a Hangul word of the passages with the same skeleton: Cincinnati and 신시내티 are
both S-N-S-N-T, changeup and 체인지업 J-N-J-P, Kim Ha-seong and 김하성 K-M-H-S-N.

Only words of the retrieved passages are offered, only for Latin words the question writes,
and only skeletons of three consonants or more; the pairs join the bilingual ones
(:mod:`dalin.answer.bilingual`), read when the question's own language answered nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from dalin.answer.plain_words import Pair
from dalin.text.korean import tokenize
from dalin.types import Hit

__all__ = ["hangul_key", "latin_key", "transliterated_equivalents"]

#: the fewest consonants a skeleton needs to name one word and not many
_LEAST = 3
#: the longest Hangul word tried (a name with its particle is cut back to the name)
_LONGEST = 6

#: a capitalised name of one or more words, hyphenated parts included: "Kim Ha-seong",
#: "San Diego"
_NAME = re.compile(r"\b[A-Z][a-z]+(?:-[A-Za-z][a-z]*)*(?:\s+[A-Z][a-z]+(?:-[A-Za-z][a-z]*)*)*")
#: a lowercase word long enough to be a loanword Korean writes out ("changeup")
_WORD = re.compile(r"\b[a-z]{5,}\b")
_HANGUL_RUN = re.compile(r"[가-힣]{2,}")

#: Latin letters (or pairs) and the consonant class each sounds as; vowels, w, y are dropped
_DIGRAPHS = (("ph", "P"), ("ck", "K"), ("ch", "J"), ("sh", "S"), ("th", "T"), ("gh", ""))
_LETTERS = {
    "b": "P", "p": "P", "f": "P", "v": "P",
    "d": "T", "t": "T",
    "g": "K", "k": "K", "q": "K", "c": "K", "x": "KS",
    "s": "S", "z": "J", "j": "J",
    "l": "L", "r": "L", "m": "M", "n": "N", "h": "H",
}  # fmt: skip
_SOFT = "eiy"

#: Hangul jamo (initial, final) and their consonant classes
_INITIALS = ("K", "K", "N", "T", "T", "L", "M", "P", "P", "S", "S", "", "J", "J", "J", "K", "T",
             "P", "H")  # fmt: skip
_FINALS = ("", "K", "K", "KS", "N", "NJ", "NH", "T", "L", "LK", "LM", "LP", "LS", "LT", "LP",
           "LH", "M", "P", "PS", "T", "T", "N", "T", "T", "K", "T", "P", "T")  # fmt: skip


def latin_key(word: str) -> str:
    """The consonant skeleton of a Latin spelling: "Cincinnati" → "SNSNT"."""
    text = re.sub(r"[^a-z]", "", word.lower())
    text = re.sub(r"ng(?![aeiou])", "N", text)  # "seong": one nasal, as ㅇ is
    out = []
    i = 0
    while i < len(text):
        pair = next((k for d, k in _DIGRAPHS if text.startswith(d, i)), None)
        if pair is not None:
            out.append(pair)
            i += 2
            continue
        letter, after = text[i], text[i + 1 : i + 2]
        if letter in "cg" and after and after in _SOFT:
            out.append("S" if letter == "c" else "J")  # Cincinnati, changeup
        else:
            out.append(_LETTERS.get(letter, letter if letter == "N" else ""))
        i += 1
    return _collapsed("".join(out))


def hangul_key(word: str) -> str:
    """The consonant skeleton of a Hangul word: "신시내티" → "SNSNT"."""
    out = []
    for syllable in word:
        code = ord(syllable) - 0xAC00
        if not 0 <= code < 11172:
            return ""
        out.append(_INITIALS[code // 588] + _FINALS[code % 28])
    return _collapsed("".join(out))


def _collapsed(key: str) -> str:
    """A skeleton with each run of one class written once ("nn" in Cincinnati is one N)."""
    return re.sub(r"(.)\1+", r"\1", key)


def _latin_words(question: str) -> list[str]:
    """The Latin names and long words of a question, each name also word by word."""
    found: list[str] = []
    for name in _NAME.finditer(question):
        found.append(name.group())
        found.extend(name.group().split())
    found.extend(_WORD.findall(question))
    return list(dict.fromkeys(found))


def _hangul_words(texts: Iterable[str]) -> dict[str, set[str]]:
    """Skeleton → the Hangul words (and their first syllables, a particle cut off) written."""
    keyed: dict[str, set[str]] = {}
    for text in texts:
        for run in _HANGUL_RUN.findall(text):
            for end in range(2, min(len(run), _LONGEST) + 1):
                key = hangul_key(run[:end])
                if len(key) >= _LEAST:
                    keyed.setdefault(key, set()).add(run[:end])
    return keyed


def transliterated_equivalents(question: str, hits: Sequence[Hit]) -> tuple[Pair, ...]:
    """(question tokens, passage tokens) for every Latin name or long word of ``question``
    a passage among ``hits`` writes in Hangul with the same consonant skeleton."""
    words = _latin_words(question)
    if not words:
        return ()
    keyed = _hangul_words(hit.text for hit in hits)
    pairs: list[Pair] = []
    for word in words:
        key = latin_key(word)
        asked = frozenset(tokenize(word))
        if len(key) < _LEAST or not asked:
            continue
        for hangul in sorted(keyed.get(key, ())):
            held = frozenset(tokenize(hangul))
            if held:
                pairs.append((asked, held))
    return tuple(dict.fromkeys(pairs))
