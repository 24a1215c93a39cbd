"""The calculator offered as a tool: exact results, operands kept, refusals (SECURITY.md 8)."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest

from dalin.errors import CalculationError, ToolArgumentError
from dalin.testing.tool_contract import CitedPassages, ToolContract
from dalin.tools.calculator_tool import CalculatorTool, operands
from dalin.types import ToolNumber


class TestCalculatorContract(ToolContract):
    @pytest.fixture
    def tool(self) -> CalculatorTool:
        return CalculatorTool()

    @pytest.fixture
    def arguments(self) -> dict[str, str]:
        return {"expression": "17 + 6"}


def test_result_summary_and_operands() -> None:
    result = CalculatorTool().run({"expression": "385,000 + 32,000"}, CitedPassages())
    assert json.loads(result.content) == {"expression": "385,000 + 32,000", "result": "417,000"}
    assert result.summary == "385,000 + 32,000 = 417,000"
    assert result.numbers == (ToolNumber("417000", ("385000", "32000")),)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("17 + 6", (17,)),  # 6 is a small whole number: a count, not a fact to cite
        ("1,200,000 * 15%", (1_200_000, 15)),
        ("38,000 / 12", (38000,)),
        ("round(2.345, 2) + 4.5", (Decimal("2.345"), Decimal("4.5"))),
        ("sum(135, 135, 210)", (135, 210)),
    ],
)
def test_operands_leave_out_constants(expression: str, expected: tuple[int, ...]) -> None:
    assert operands(expression) == tuple(Decimal(n) for n in expected)


@pytest.mark.timed
@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("9**9**9", "exponents must be whole numbers"),
        ("__import__('os').system('id')", "unknown function|not allowed"),
        ("open('/etc/passwd').read()", "not allowed|unknown function"),
        ("().__class__.__bases__[0].__subclasses__()", "not allowed"),
        ("1 / 0", "division by zero"),
    ],
)
def test_refusals_are_tool_errors(expression: str, reason: str) -> None:
    started = time.perf_counter()
    with pytest.raises(CalculationError, match=reason):
        CalculatorTool().run({"expression": expression}, CitedPassages())
    assert time.perf_counter() - started < 0.5  # refused at once, not after computing


def test_length_is_bounded_by_the_schema() -> None:
    with pytest.raises(ToolArgumentError, match="expression"):
        CalculatorTool().run({"expression": "1+" * 300 + "1"}, CitedPassages())
