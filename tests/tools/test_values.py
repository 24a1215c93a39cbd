"""Numbers as documents write them: whole cells and running text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dalin.tools.values import CellNumber, cell_number, decimal_text, korean_amount, numbers_in


@pytest.mark.parametrize(
    ("cell", "value", "unit"),
    [
        ("270,000,000원", "270000000", "원"),
        ("270,000,000 원", "270000000", "원"),
        ("₩1,200", "1200", "₩"),
        ("$40.00", "40.00", "$"),
        ("15%", "15", "%"),
        ("1.5억", "150000000", ""),
        ("2억 3천만 원", "230000000", "원"),
        ("5만원", "50000", "원"),
        ("(1,234)", "-1234", ""),
        ("△1,234", "-1234", ""),
        ("-12.5", "-12.5", ""),
        ("1,000개", "1000", "개"),
        ("1대", "1", "대"),
        ("12.5 kg", "12.5", "kg"),
        ("385000", "385000", ""),
    ],
)
def test_cells_that_are_numbers(cell: str, value: str, unit: str) -> None:
    assert cell_number(cell) == CellNumber(Decimal(value), unit)


@pytest.mark.parametrize(
    "cell",
    [
        "",
        "-",
        "2025-01-31",
        "031-0000-1203",
        "HB-200",
        "M8",
        "제12조",
        "별도 견적",
        "1,2345",
        "약 3개월",
    ],
)
def test_cells_that_are_not_numbers(cell: str) -> None:
    assert cell_number(cell) is None


def test_numbers_in_running_text() -> None:
    text = "POS 17대 + 무인 발권기 6대 = 23대, 예산 2억 3천만 원, 제12조, M8 볼트 1,234.5원"
    assert [n.value for n in numbers_in(text)] == [
        Decimal(17),
        Decimal(6),
        Decimal(23),
        Decimal(230000000),
        Decimal(12),
        Decimal("1234.5"),
    ]
    found = numbers_in(text)[3]
    assert text[found.start : found.end].strip() == "2억 3천만"


def test_a_magnitude_must_touch_its_digits() -> None:
    assert [n.value for n in numbers_in("10 만큼 더")] == [Decimal(10)]


@given(st.integers(min_value=0, max_value=10**15))
def test_grouped_numbers_read_back(value: int) -> None:
    assert cell_number(f"{value:,}원") == CellNumber(Decimal(value), "원")
    assert [n.value for n in numbers_in(f"합계 {value:,}원입니다")] == [Decimal(value)]


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=9999))
def test_korean_amounts(eok: int, man: int) -> None:
    written = f"{eok}억 {man}만" if man else f"{eok}억"
    assert korean_amount(written) == Decimal(eok * 100_000_000 + man * 10_000)
    assert cell_number(written + "원") == CellNumber(
        Decimal(eok * 100_000_000 + man * 10_000), "원"
    )


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9
    )
)
def test_decimal_text_is_exact_and_one_way(value: Decimal) -> None:
    text = decimal_text(value)
    assert Decimal(text) == value
    assert text == decimal_text(Decimal(text) * 1)
    assert not text.endswith(".") and (text.count(".") == 0 or not text.endswith("0"))
