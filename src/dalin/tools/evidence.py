"""Numbers that tools computed from cited cells count as evidence for the sentence citing them.

A model that calls ``calculator("17 + 6")`` and writes "POS 17대 + 무인 발권기 6대 = 23대
[1][2]" states 23, which no passage holds; without help the grounding check would mark the
sentence unsupported. Each tool number becomes a :class:`ComputedValue` with the numbers it
was computed from, and :func:`usable` accepts it for one sentence when every operand stands
in the passages the sentence cites, or is itself a tool number accepted for the sentence
(a calculation over a table query's result). The grounding check
(:func:`dalin.answer.grounding.check_answer`) then treats accepted values like stated ones.

A number without operands (a table aggregate whose rows are not known) is never accepted:
"computed by a tool" alone is not evidence, "computed from these cited cells" is. A sentence
that cites nothing gets nothing from tools.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from dalin.answer.support import ComputedValue
from dalin.tools.values import decimal_text, numbers_in
from dalin.types import ToolNumber, ToolUse


def tool_number(value: Decimal, operands: Iterable[Decimal] = ()) -> ToolNumber:
    """A :class:`ToolNumber` with its decimals written exactly, one way."""
    return ToolNumber(decimal_text(value), tuple(decimal_text(o) for o in operands))


def computed_values(uses: Sequence[ToolUse]) -> list[ComputedValue]:
    """The numbers an answer's successful tool calls computed, with their operands."""
    return [
        ComputedValue(
            Decimal(n.value),
            expression=f"{use.name}: {use.summary}",
            operands=tuple(Decimal(o) for o in n.operands),
        )
        for use in uses
        if not use.error
        for n in use.numbers
        if n.operands
    ]


def usable(values: Sequence[ComputedValue], passages: Sequence[str]) -> tuple[ComputedValue, ...]:
    """The values whose operands all stand in ``passages`` (or are accepted values themselves)."""
    if not values or not passages:
        return ()
    stated = {n.value for passage in passages for n in numbers_in(passage)}
    accepted: list[ComputedValue] = []
    known = set(stated)
    changed = True
    while changed:  # a calculation over another tool's accepted number
        changed = False
        for value in values:
            if value not in accepted and value.operands and set(value.operands) <= known:
                accepted.append(value)
                known.add(value.value)
                changed = True
    return tuple(accepted)
