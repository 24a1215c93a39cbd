"""A rate the documents set, applied to an amount the question gives: "웹기안기 사업금액
1,062,888천원을 총 사업비로 보고 B급 보안 위규 위약금 비중(총 사업비의 0.5%)을 적용하면
위약금 상한은 대략 몇 천원인가요?" over "B급: 총 사업비의 0.5% 이하 (최대 3천만원 최소
2,500천원)".

The question writes both figures; the answer is their product, shown with the places that
state them cited: ``1,062,888천원 [1] × 0.5% [2] = 5,314.44천원 (약 5,314천원)``. A cap or a
floor the rate's cell writes beside it ("최대 3천만원 최소 2,500천원") bounds the product:
``… = 1,000천원; 최소 2,500천원에 못 미쳐 2,500천원``. A rate no passage writes is the
question's own premise, which the documents do not back: no answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from dalin.answer.evidence import Unit
from dalin.answer.reader_question import Evidence, Reading, dedupe_lines, short_quote, unit_evidence
from dalin.answer.values import ValueKind, base_amount, find_values
from dalin.tools.calculator import evaluate, format_number

__all__ = ["applied_rate"]

#: an amount of money the question writes: "1,062,888천원", "3억 원"
_AMOUNT = re.compile(r"(?<![\d,.])(\d[\d,]*(?:\.\d+)?)\s*(천원|만원|백만원|천만원|억\s*원|원)")
#: a rate the question writes: "0.5%", "10 퍼센트"
_RATE = re.compile(r"(?<![\d,.])(\d{1,3}(?:\.\d+)?)\s*(?:%|퍼센트|프로)")
#: a cap or a floor written beside a rate: "(최대 3천만원 최소 2,500천원)"
_BOUND = re.compile(
    r"(최대|최고|상한|최소|최저|하한)\s*([\d,.]+\s*(?:천만|백만|십만|억|만|천)?\s*원)"
)
_CAPS = ("최대", "최고", "상한")
#: a question asking to apply the rate: "… 0.5%를 적용하면", "… 3%를 곱하면"
_APPLY = re.compile(r"(?:적용|곱|계산)(?:하면|한다면|할\s*때|해\s*보면)")


def applied_rate(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> tuple[list[str], list[Evidence]] | None:
    """The amount times the rate, where the question gives exactly one of each and asks
    to apply it, and a passage writes the rate; None otherwise."""
    if not _APPLY.search(reading.question):
        return None
    amounts, rates = _AMOUNT.findall(reading.question), _RATE.findall(reading.question)
    if len(amounts) != 1 or len(rates) != 1:
        return None
    (written, money), rate = amounts[0], rates[0]
    ordered = [u for u, _, _ in sorted(units, key=lambda u: u[2])]
    rate_said = re.compile(rf"(?<![\d,.]){re.escape(rate)}\s*%")
    stating = next((u for u in ordered if rate_said.search(u.display)), None)
    if stating is None:
        return None
    amount = Decimal(written.replace(",", ""))
    value = evaluate(f"{amount} * {rate} / 100")
    rounded = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    money = money.replace(" ", "")
    given = next((u for u in ordered if written in u.display and u is not stating), None)
    evidence = [unit_evidence(u) for u in (given, stating) if u is not None]
    cited = " {0}" if given is not None else ""
    line = (
        f"{written}{money}{cited} × {rate}% {{{len(evidence) - 1}}} = "
        f"{format_number(value, places=2)}{money}"
    )
    if rounded != value:
        line += f" (약 {rounded:,}{money})"
    line += _bounded(stating.display, rate_said, amount * Decimal(rate) / 100, money)
    quotes = [f"{short_quote(e.display)} {{{i}}}" for i, e in enumerate(evidence)]
    return dedupe_lines([line, *quotes]), evidence


def _bounded(line: str, rate: re.Pattern[str], product: Decimal, money: str) -> str:
    """What a cap or a floor written in the rate's cell makes of the product (in the
    amount's ``money`` unit), or "" when none bounds it."""
    at = rate.search(line)
    if at is None:
        return ""
    cell = line[at.end() :].split(" | ")[0]
    total = _base(f"{product}{money}")
    for bound in _BOUND.finditer(cell):
        limit = _base(bound.group(2))
        if limit is None or total is None:
            continue
        capped = bound.group(1) in _CAPS
        if (capped and total > limit) or (not capped and total < limit):
            how = "을 넘어" if capped else "에 못 미쳐"
            written = re.sub(r"\s+", "", bound.group(2))
            return f"; {bound.group(1)} {written}{how} {written}"
    return ""


def _base(written: str) -> Decimal | None:
    """An amount of money in 원: "3천만원" → 30,000,000."""
    value = next((v for v in find_values(written) if v.kind is ValueKind.MONEY), None)
    return None if value is None else base_amount(value)
