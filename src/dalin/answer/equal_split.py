"""An amount split evenly among a number of things: "온나라 웹기안기 사업금액을 사업대상
중앙행정기관 수로 똑같이 나누면 기관 한 곳당 대략 몇 천원꼴인가요?" over "사업금액 :
1,062,888천원" and "사업대상 : 행정안전부 등 69개 중앙행정기관".

No line states the share of one; the documents give the amount and how many share it, often
in two lines of a form. The share is their quotient, shown with both operands cited and, when
it is not whole, rounded as a person would say it: ``사업금액 1,062,888천원 [1] ÷
중앙행정기관 69개 [2] = 15,404.17천원 (약 15,404천원)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from dalin.answer.evidence import Unit
from dalin.answer.reader_question import Evidence, Reading, dedupe_lines, short_quote, unit_evidence
from dalin.tools.calculator import evaluate, format_number

__all__ = ["equal_split"]

#: "<amount>을 … <things> 수로 (똑같이) 나누면": the word before 을 names the amount, the one
#: before 수로 the things that share it
_SPLIT_ASKED = re.compile(
    r"(?P<amount>[가-힣A-Za-z]{2,})(?:을|를)\s+(?:[가-힣A-Za-z()]+\s+){0,3}?"
    r"(?P<by>[가-힣A-Za-z]{2,}?)\s*(?:의\s*)?(?:수|개수|인원수?)\s*(?:로|으로|만큼)\s*"
    r"(?:똑같이|균등하게|고르게|골고루|공평하게)?\s*(?:나누면|나눈다면|나누어|나눠)"
)
#: an amount written right after its name: "사업금액 : 1,062,888천원", "예산 3억 원"
_AMOUNT = r"{name}\s*[:：]?\s*(\d[\d,]*(?:\.\d+)?)\s*(천원|만원|백만원|억원|원|천만원)"
#: how many share it, before or after their name: "69개 중앙행정기관", "참여기관 12곳"
_COUNT_BEFORE = r"(?<![\d,.])(\d[\d,]*)\s*(개|곳|명|개소|개사|개교)\s*(?:의\s*)?{name}"
_COUNT_AFTER = r"{name}\s*[:：]?\s*(\d[\d,]*)\s*(개|곳|명|개소|개사|개교)(?![가-힣])"


def equal_split(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> tuple[list[str], list[Evidence]] | None:
    """The share of one, where the question asks an amount split evenly among things the
    passages count; None unless both the amount and the count are written."""
    asked = _SPLIT_ASKED.search(reading.question)
    if asked is None:
        return None
    ordered = [u for u, _, _ in sorted(units, key=lambda u: u[2])]
    amount = _first(ordered, [_AMOUNT.format(name=re.escape(asked["amount"]))])
    name = re.escape(asked["by"])
    count = _first(ordered, [_COUNT_BEFORE.format(name=name), _COUNT_AFTER.format(name=name)])
    if amount is None or count is None:
        return None
    (amount_unit, (total, money)), (count_unit, (many, counter)) = amount, count
    if many == 0:
        return None
    value = evaluate(f"{total} / {many}")
    rounded = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    line = (
        f"{asked['amount']} {format_number(total)}{money} {{0}} ÷ "
        f"{asked['by']} {format_number(many)}{counter} {{1}} = "
        f"{format_number(value, places=2)}{money}"
    )
    if rounded != value:
        line += f" (약 {rounded:,}{money})"
    evidence = [unit_evidence(amount_unit), unit_evidence(count_unit)]
    quotes = [f"{short_quote(e.display)} {{{i}}}" for i, e in enumerate(evidence)]
    return dedupe_lines([line, *quotes]), evidence


def _first(
    units: Sequence[Unit], patterns: Sequence[str]
) -> tuple[Unit, tuple[Decimal, str]] | None:
    """The first unit writing one of ``patterns``, with the number it writes and its unit."""
    compiled = [re.compile(p) for p in patterns]
    for unit in units:
        for pattern in compiled:
            found = pattern.search(unit.display)
            if found is not None:
                return unit, (Decimal(found.group(1).replace(",", "")), found.group(2))
    return None
