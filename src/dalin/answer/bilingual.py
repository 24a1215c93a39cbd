"""Korean words and their English equivalents, for questions across languages.

A Korean question over an English invoice ("견적 담당자는 누구인가요?" — "Estimator Ellis
Turner") and an English question over a Korean report ("How many members does the Jeju
committee have?" — "제주 … 총인원 66") share no word, so the coverage gate turned away the
passage the search had found. ``data/bilingual_words.txt`` is a general lexicon of office,
business and public vocabulary (``한국어 = english, english``); a question holding one side
is held by a passage holding the other, through the same equivalents the workspace glossary
and :mod:`dalin.answer.plain_words` give.

Unlike plain words, a translation goes both ways: the question's language decides which
side it names. A pair is offered only across languages — a Korean word for an English one
or the reverse — so a Korean question is never held by another Korean word through it.
The offline reader reads with these pairs only when it found nothing without them
(:func:`dalin.answer.ask.answer_question`): a Korean manual answers before its English
quick start. A model's gate has them from the start; the model reads the passages itself.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from dalin.answer.plain_words import Entry, Pair, parse_entries
from dalin.text.korean import kiwi, tokenize

__all__ = ["bilingual_equivalents", "gloss_equivalents", "load_bilingual"]

_ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]+(?:['’-][A-Za-z]+)*(?![A-Za-z0-9])")


def _passage_side(korean: frozenset[str]) -> bool:
    """A one-syllable Korean word (표, 세, 주) is in every Korean text: it never holds an
    English question's word. A word read as several tokens is held only with all of them
    (1월 is 1, 월 and 1월; 밀리초 is 밀리 and 초), so one longer token is enough."""
    return any(len(t) >= 2 for t in korean)


@cache
def load_bilingual() -> tuple[Entry, ...]:
    """The bundled list (Korean word, its English words), read once per process."""
    return tuple(entry for _, entry in _surfaced())


@cache
def _surfaced() -> tuple[tuple[str, Entry], ...]:
    """Each entry with its Korean word as written, spaces removed."""
    data = resources.files("dalin.answer") / "data" / "bilingual_words.txt"
    found: list[tuple[str, Entry]] = []
    for line in data.read_text(encoding="utf-8").splitlines():
        for entry in parse_entries(line):
            found.append((line.partition("=")[0].replace(" ", ""), entry))
    return tuple(found)


def bilingual_equivalents(question: str) -> tuple[Pair, ...]:
    """(tokens the question holds, tokens a passage may hold instead) for every word of the
    list the question names, in either language."""
    asked = set(tokenize(question))
    # English words standing alone: "office2pdf" is a name, not the word office (사무실)
    english = set(tokenize(" ".join(_ENGLISH_WORD.findall(question))))
    written = question.replace(" ", "")
    pairs: list[Pair] = []
    for surface, (korean, englishes) in _surfaced():
        held = korean if korean <= asked else _read_apart(surface, written, asked)
        if held:
            pairs.extend((held, e) for e in englishes)
        elif _passage_side(korean):
            pairs.extend((e, korean) for e in englishes if e <= english)
    return tuple(dict.fromkeys(pairs))


def _read_apart(surface: str, written: str, asked: set[str]) -> frozenset[str]:
    """The question's tokens a Korean word of the list is read as in context: Kiwi reads
    "저장소" alone as one word and "저장소의" as 저장 + 소. Empty unless the word is written
    in the question and its tokens spell it."""
    if len(surface) < 2 or surface not in written:
        return frozenset()
    parts = frozenset(t for t in asked if t in surface)
    return parts if sum(len(t) for t in parts) >= len(surface) else frozenset()


#: a word glossed in the other language in brackets, as staff write a form's English field:
#: "제조사(Make)", "Odometer(주행거리)"
_GLOSSED = re.compile(
    r"([가-힣]{2,})\s*[(（]\s*([A-Za-z][A-Za-z .&'-]{0,30}[A-Za-z])\s*[)）]"
    r"|([A-Za-z][A-Za-z .&'-]{0,30}[A-Za-z])\s*[(（]\s*([가-힣]{2,})\s*[)）]"
)


def gloss_equivalents(question: str) -> tuple[Pair, ...]:
    """(Korean tokens, English tokens) for every word the question glosses in the other
    language in brackets: the question says the two are one, so a passage writing the
    English word holds the Korean one ("제조사(Make)" over a form reading "Make Batman")."""
    pairs: list[Pair] = []
    for found in _GLOSSED.finditer(question):
        korean, english = (found[1], found[2]) if found[1] else (found[4], found[3])
        if english.isupper() or not _noun(korean):
            continue  # an acronym ("보안 요구사항(SER)") is a name of its own, not a gloss;
            # a verb ("열려 있는(open)") glosses no word a passage writes
        one, other = frozenset(tokenize(korean)), frozenset(tokenize(english))
        if one and other:
            # one way only: a passage writing the English word holds the Korean one. The
            # other way would make the English name "known" and let a passage that writes
            # neither answer for it ("업스테이지(Upstage)" over a leaderboard without it)
            pairs.append((one, other))
    return tuple(pairs)


def _noun(word: str) -> bool:
    """Whether Kiwi reads ``word`` as nouns only ("제조사", not "있는")."""
    return all(t.tag.startswith("N") for t in kiwi().tokenize(word))
