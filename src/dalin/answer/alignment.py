"""Which statement of its passages an answer sentence rests on.

A sentence is compared with the statement (:mod:`dalin.answer.statements`) that shares the
most with it: its words count once, words of its topic (what the sentence is about:
"떨어뜨려서 생긴 고장도 …") three times, its numbers twice, and a short statement whose
words are nearly all in the sentence (a table row, a list item) beats a long one that
mentions them in passing. Kiwi cuts a word one way in one text and another way in the next
("기술사" / "기술 + 사"); letters do not move, so the share of a statement's letter pairs
found in the sentence counts too. When the best statement is a question (an FAQ's "Q3.
반품은 …?"), the answer after it is the one to compare with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dalin.answer.lexicon import LIGHT
from dalin.answer.quantities import Quantity, quantities, supports
from dalin.answer.reading import Reading, read
from dalin.answer.statements import bigrams, is_heading, statements
from dalin.text.korean import has_korean

#: nouns that frame a claim without being one ("E02는 과부하라는 뜻입니다")
FRAME_WORDS = frozenset(
    {
        "뜻",
        "의미",
        "말",
        "내용",
        "사항",
        "부분",
        "정도",
        "관련",
        "해당",
        "다음",
        "위",
        "아래",
        "참고",
        "경우",
        "때",
        "것",
        "수",
        "등",
        "중",
        "점",
        "표시",
        "답",
        "기준",
        "mean",
        "하나",
        "표",
        "각",
        "호",
        "목",
        "어느",
    }
)
#: how much a shared word of the sentence's topic weighs, against 1 for others
TOPIC_WEIGHT = 3
#: how much a shared number weighs
NUMBER_WEIGHT = 2
#: how much it weighs in ranking that a statement's letters are all in the sentence
CONTAINMENT_WEIGHT = 6
#: a first line like "취업규칙.docx · 제12조(연차휴가)": the label dalin puts above a passage
_LABEL = re.compile(r"^[^\n]* · [^\n]*[^.?!。\n]$")


@dataclass(frozen=True)
class Unit:
    """A statement of a passage, read."""

    text: str
    #: index of its passage among those checked, and its place in that passage
    passage: int
    position: int
    #: its span in the passage string
    start: int
    end: int
    reading: Reading
    numbers: tuple[Quantity, ...]

    @property
    def row(self) -> bool:
        """A table row as dalin renders it: "header: value | header: value"."""
        return " | " in self.text and ": " in self.text

    def cells(self) -> dict[str, str]:
        out = {}
        for cell in self.text.split(" | "):
            header, _, value = cell.partition(": ")
            if value:
                out[header.strip()] = value.strip()
        return out

    def name(self) -> str:
        """What names a table row: its first cell, and the next one when the first is a
        code ("HB-S20300 | 정밀 샤프트")."""
        values = list(self.cells().values())
        if len(values) > 1 and not has_korean(values[0]):
            return f"{values[0]} {values[1]}"
        return values[0] if values else ""


def units_of(passages: Sequence[str]) -> list[Unit]:
    """Every statement of every passage, read (the label line above a passage left out)."""
    units = []
    for index, passage in enumerate(passages):
        first_line = passage.split("\n", 1)[0]
        labelled = "\n" in passage and _LABEL.match(first_line) is not None
        for position, s in enumerate(statements(passage, skip_label=labelled)):
            numbers = quantities(s.text, evidence=True)
            units.append(Unit(s.text, index, position, s.start, s.end, read(s.text), numbers))
    return units


class Alignment:
    """A sentence and the statements of its passages, with how much each shares with it."""

    def __init__(self, sentence: str, units: Sequence[Unit]) -> None:
        self.sentence = sentence
        self.reading = read(sentence)
        self.claim = quantities(sentence)
        self.units = list(units)
        self._bigrams = bigrams(sentence)
        self._words = {t for t in self.reading.terms if not t[:1].isdigit()}

    def score(self, unit: Unit, leave_out: Iterable[str] = ()) -> int:
        """Shared words (topic words weigh more) and shared numbers."""
        shared = (self._words & unit.reading.terms) - FRAME_WORDS - LIGHT - set(leave_out)
        numbers = sum(NUMBER_WEIGHT for q in self.claim if supports(q, unit.numbers))
        return numbers + sum(TOPIC_WEIGHT if t in self.reading.topic else 1 for t in shared)

    def rank(self, unit: Unit) -> tuple[float, int, int]:
        size = len(unit.reading.terms - FRAME_WORDS - LIGHT) or 1
        shared = len((self.reading.terms & unit.reading.terms) - FRAME_WORDS - LIGHT)
        grams = bigrams(unit.text)
        contained = len(grams & self._bigrams) / len(grams) if grams else 0.0
        value = self.score(unit) * (1 + shared / size) + CONTAINMENT_WEIGHT * contained
        return value, -unit.passage, -unit.position

    def best(self) -> Unit | None:
        """The statement the sentence rests on (None: none shares anything with it)."""
        # a numbered heading ("3.5 목표 토크 설정") names a topic and asserts nothing
        claims = [u for u in self.units if not is_heading(u.text)] or self.units
        if not claims:
            return None
        top = max(claims, key=self.rank)
        return self.answer_to(top) if self.score(top) else None

    def answer_to(self, unit: Unit) -> Unit:
        """The statement itself, or for a question the first statement after it."""
        if not unit.reading.question:
            return unit
        after = [
            u
            for u in self.units
            if u.passage == unit.passage and u.position > unit.position and not u.reading.question
        ]
        return min(after, key=lambda u: u.position) if after else unit

    def near(self, unit: Unit | None) -> list[Unit]:
        """``unit`` and its neighbours in its passage (every unit when there is none)."""
        if unit is None:
            return self.units
        return [
            u
            for u in self.units
            if u.passage == unit.passage and abs(u.position - unit.position) <= 1
        ]

    def others(self, unit: Unit) -> list[Unit]:
        """The other statements of ``unit``'s passage."""
        return [u for u in self.units if u is not unit and u.passage == unit.passage]
