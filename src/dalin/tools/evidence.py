"""Numbers that tools computed from cited cells count as evidence for the sentence citing them.

A model that calls ``calculator("17 + 6")`` and writes "POS 17대 + 무인 발권기 6대 = 23대
[1][2]" states 23, which no passage holds; the lexical grounding check would mark the
sentence unsupported. Here a tool's number is accepted for one sentence when

* the sentence cites passages (an uncited sentence gets nothing from tools), and
* every operand of the number stands in those passages, or is itself a tool number
  accepted for the sentence (a calculation over a table query's result).

A number without operands (a table aggregate whose rows are not known) is never accepted:
"computed by a tool" alone is not evidence, "computed from these cited cells" is.

:class:`ToolEvidence` is the one hook the grounding check calls: given a sentence and the
passages it cites, it returns the sentence's own spellings of the accepted numbers, which
the check adds to the evidence, so they match however the check reads numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from dalin.tools.values import decimal_text, numbers_in
from dalin.types import ToolNumber, ToolUse

#: a unit written as a word of its own after a number ("2억 7천만 원", "17 대")
_UNIT_WORD = re.compile(r"\s+([가-힣]{1,2}|[A-Za-z%]{1,3})(?=[\s.,;:)\]]|$)")


def tool_number(value: Decimal, operands: Iterable[Decimal] = ()) -> ToolNumber:
    """A :class:`ToolNumber` with its decimals written exactly, one way."""
    return ToolNumber(decimal_text(value), tuple(decimal_text(o) for o in operands))


class ToolEvidence:
    """The numbers of one answer's tool calls, as evidence for the sentences that cite."""

    def __init__(self, uses: Sequence[ToolUse]) -> None:
        self._numbers = [
            (Decimal(n.value), frozenset(Decimal(o) for o in n.operands))
            for use in uses
            if not use.error
            for n in use.numbers
            if n.operands
        ]

    def __bool__(self) -> bool:
        return bool(self._numbers)

    def accepted(self, passages: Sequence[str]) -> set[Decimal]:
        """Tool numbers whose operands all stand in ``passages`` (or are accepted themselves)."""
        stated = {n.value for passage in passages for n in numbers_in(passage)}
        accepted: set[Decimal] = set()
        changed = True
        while changed:  # a calculation over another tool's accepted number
            changed = False
            for value, operands in self._numbers:
                if value not in accepted and operands <= stated | accepted:
                    accepted.add(value)
                    changed = True
        return accepted - stated

    def __call__(self, sentence: str, passages: Sequence[str]) -> list[str]:
        """The spellings in ``sentence`` of tool numbers accepted over ``passages``."""
        if not self._numbers or not passages:
            return []
        accepted = self.accepted(passages)
        return [
            _spelling(sentence, found.start, found.end)
            for found in numbers_in(sentence)
            if found.value in accepted
        ]


def _spelling(sentence: str, start: int, end: int) -> str:
    """The number as written, with the rest of its word and a unit word after it."""
    while end < len(sentence) and not sentence[end].isspace() and sentence[end] not in ".,;:)[]":
        end += 1
    unit = _UNIT_WORD.match(sentence, end)
    return sentence[start : unit.end() if unit else end].strip()
