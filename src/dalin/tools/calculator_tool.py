"""The ``calculator`` tool: :func:`dalin.tools.calculator.evaluate` offered to a model.

The model writes the expression with the numbers it read from its sources
(``17 + 6``, ``270,000,000 * 3``); the result is exact (Decimal) and the numbers of the
expression are kept as the result's operands, so the grounding check can accept the
result in a sentence that cites where those numbers stand (:mod:`dalin.tools.evidence`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dalin.llm.base import ToolSpec
from dalin.tools.base import Cite, ToolResult, as_content, parse_arguments, schema_of
from dalin.tools.calculator import MAX_LENGTH, evaluate, format_number
from dalin.tools.evidence import tool_number

#: numbers that are units of measure or notation rather than facts from a document
#: (x2, /100 for a percentage, 12 months, 24 hours, 60 minutes, 365 days, round(x, 2)):
#: an operand like these need not stand in the cited passages
CONSTANTS = frozenset(Decimal(n) for n in (*range(11), 12, 24, 60, 100, 365, 1000))
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")

DESCRIPTION = (
    "Exact arithmetic on numbers you read in the sources: + - * / // % **, parentheses, "
    "sum(), avg(), min(), max(), abs(), round(x, n); 15% means 0.15 and 270,000,000 is read "
    "as one number. Use it for every sum, difference, ratio, average or duration instead of "
    "computing in your head, and write the work with the cited numbers, e.g. "
    "'17대 + 6대 = 23대 [1][2]'."
)


class CalculatorArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expression: str = Field(
        min_length=1,
        max_length=MAX_LENGTH,
        description="An arithmetic expression, e.g. '(385,000 + 32,000) * 3'",
    )


def operands(expression: str) -> tuple[Decimal, ...]:
    """The numbers written in ``expression`` (thousands separators read), constants left out."""
    found = (Decimal(m.group().replace(",", "")) for m in _NUMBER.finditer(expression))
    return tuple(dict.fromkeys(n for n in found if n not in CONSTANTS))


class CalculatorTool:
    """Exact arithmetic for a model; it reads nothing, so it has no scope to leave."""

    spec = ToolSpec("calculator", DESCRIPTION, schema_of(CalculatorArguments))

    def run(self, arguments: Mapping[str, Any], cite: Cite) -> ToolResult:
        expression = parse_arguments(CalculatorArguments, arguments).expression
        value = evaluate(expression)
        shown = format_number(value)
        data = {"expression": expression, "result": shown}
        return ToolResult(
            content=as_content(data),
            summary=f"{expression} = {shown}",
            numbers=(tool_number(value, operands(expression)),),
            data=data,
        )
