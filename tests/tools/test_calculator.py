"""The calculator: exact, whitelisted, bounded (SECURITY.md check 8)."""

from __future__ import annotations

import time
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dalin.errors import CalculationError
from dalin.tools.calculator import MAX_LENGTH, evaluate, format_number, prepare


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("17 + 6", "23"),
        ("270,000,000 * 3", "810000000"),
        ("40,000 × 3 + 150,000 × 2", "420000"),
        ("0.1 + 0.2", "0.3"),
        ("(20 - 8) / 4", "3"),
        ("7 // 2", "3"),
        ("7 % 3", "1"),
        ("2 ** 10", "1024"),
        ("2^3", "8"),
        ("-5 + +2", "-3"),
        ("sum(1, 2, 3)", "6"),
        ("sum([1, 2, 3])", "6"),
        ("avg(10, 20, 40)", Decimal(70) / Decimal(3)),
        ("mean(2, 4)", "3"),
        ("max(3, 9, 4) - min(3, 9, 4)", "6"),
        ("abs(-12.5)", "12.5"),
        ("round(2.345, 2)", "2.35"),
        ("round(7.5)", "8"),
        ("1,200,000 * 15%", "180000"),
        ("50% * 4", "2"),
        ("130 ÷ 60", Decimal(130) / Decimal(60)),
        ("1,234.5 + 0.5", "1235"),
        ("max(1,2)", "2"),
    ],
)
def test_values(expression: str, value: str | Decimal) -> None:
    assert evaluate(expression) == Decimal(value)


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("__import__('os').system('id')", "unknown function|not allowed"),
        ("open('/etc/passwd')", "unknown function"),
        ("x + 1", "not allowed in a calculation: Name"),
        ("(1).real", "not allowed"),
        ("[1, 2][0]", "not allowed"),
        ("'a' * 3", "not a number"),
        ("True + 1", "not a number"),
        ("[x for x in (1, 2)]", "not allowed"),
        ("lambda: 1", "not allowed"),
        ("sum(1, start=2)", "not allowed"),
        ("9**9**9", "exponents must be whole numbers of at most 100"),
        ("10 ** 99", "more than 40 digits"),
        ("2 ** 0.5", "whole numbers"),
        ("1 / 0", "division by zero"),
        ("5 % 0", "division by zero"),
        ("10**39 * 10**2", "more than 40 digits"),
        ("1 +", "not an arithmetic expression"),
        ("round(1.5, 0.5)", "small whole number"),
        ("sum()", "at least one number"),
        ("abs(1, 2)", "takes one number"),
    ],
)
def test_refusals(expression: str, reason: str) -> None:
    with pytest.raises(CalculationError, match=reason):
        evaluate(expression)


def test_size_is_bounded_before_parsing() -> None:
    with pytest.raises(CalculationError, match=f"longer than {MAX_LENGTH}"):
        evaluate("1+" * MAX_LENGTH + "1")
    with pytest.raises(CalculationError, match="more than 200 parts"):
        evaluate("+".join(["1"] * 150))


@pytest.mark.timed
def test_hostile_powers_are_refused_at_once() -> None:
    started = time.perf_counter()
    for expression in ("9**9**9", "(10**40)**100", "99**99", "2**100**100", "-(9**99)"):
        with pytest.raises(CalculationError):
            evaluate(expression)
    assert time.perf_counter() - started < 1.0


def test_prepare_keeps_argument_commas() -> None:
    assert prepare("max(1,2) + 1,000") == "max(1,2) + 1000"
    assert prepare("15% × 2") == "(15/100) * 2"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal(270000000), "270,000,000"),
        (Decimal("2.50"), "2.5"),
        (Decimal("1234.5678"), "1,234.5678"),
        (Decimal(-3), "-3"),
        (Decimal("0.000"), "0"),
    ],
)
def test_format_number(value: Decimal, text: str) -> None:
    assert format_number(value) == text


def test_format_number_rounds_to_places() -> None:
    assert format_number(Decimal(130) / Decimal(60), places=2) == "2.17"


integers = st.integers(-(10**12), 10**12)


@given(integers, integers)
def test_property_integer_arithmetic_is_exact(a: int, b: int) -> None:
    assert evaluate(f"{a} + {b}") == a + b
    assert evaluate(f"{a} - ({b})") == a - b
    assert evaluate(f"{a} * ({b})") == a * b
    if b:
        assert Fraction(evaluate(f"{a} / ({b})")) == pytest.approx(Fraction(a, b), rel=1e-20)


@given(integers)
def test_property_grouped_numbers_read_as_written(a: int) -> None:
    assert evaluate(f"{a:,}") == a


@given(st.lists(integers, min_size=1, max_size=30))
def test_property_aggregates(values: list[int]) -> None:
    listed = ", ".join(str(v) for v in values)
    assert evaluate(f"sum({listed})") == sum(values)
    assert evaluate(f"max({listed})") == max(values)
    assert evaluate(f"min({listed})") == min(values)


@given(st.text(max_size=80))
def test_property_any_text_is_a_value_or_a_calculation_error(text: str) -> None:
    try:
        result = evaluate(text)
    except CalculationError:
        return
    assert result.is_finite()
