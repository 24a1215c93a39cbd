"""Numbers as Korean business documents write them, read exactly.

Two readers share one grammar:

* :func:`cell_number` reads a whole table cell — ``270,000,000원``, ``₩1,200``, ``15%``,
  ``1.5억``, ``2억 3천만 원``, ``(1,234)`` and ``△1,234`` (negative, as accounts write it),
  ``1,000개`` — and returns the number with its unit, or None for anything else (a date,
  a phone number, a product code, words);
* :func:`numbers_in` finds every number in running text, with the same reading, for the
  grounding check of tool results (:mod:`dalin.tools.evidence`).

Values are :class:`~decimal.Decimal`, so money stays exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# 조 (a trillion) is left out: in regulations "제12조" is an article, never an amount
_MULTIPLIERS = {"천": 1_000, "만": 10_000, "십만": 100_000, "백만": 1_000_000,
                "천만": 10_000_000, "억": 100_000_000}  # fmt: skip
# a plain or grouped number: "1,234.5", "1234", ".5" is not written in documents
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# one or more "number + Korean magnitude" parts: "2억 3천만", "1.5억", "5만"
# (the magnitude is written against its digits: "10 만큼" is not 100,000)
_KOREAN_AMOUNT = re.compile(
    rf"(?<![\d.,])(?:(?:{_DIGITS})(?:억|천만|백만|십만|만|천)\s*)+(?:(?:{_DIGITS})(?![\d,]))?"
)
_KOREAN_PART = re.compile(rf"({_DIGITS})(억|천만|백만|십만|만|천)?")
# not inside a code or a cell reference ("M8", "A12", "v2"): no Latin letter before it
_PLAIN = re.compile(rf"(?<![\d.,A-Za-z])(?:{_DIGITS})(?![\d,]*\d)")
_CURRENCY_PREFIX = re.compile(r"^(?:₩|\\|\$|€|¥|£|KRW|USD|EUR)\s*", re.IGNORECASE)
#: units written after a number in a cell; the unit is kept beside the value
_UNIT = re.compile(
    r"\s*(원정?|원|KRW|USD|달러|%|퍼센트|개|대|건|명|장|회|일|시간|분|초|개월|년|월|세|점|부"
    r"|권|벌|병|박스|세트|매|톤|kg|g|mg|km|m|cm|mm|ml|l|L|t|EA|ea|pcs)\.?$"
)
_NEGATIVE_SIGNS = ("-", "−", "△", "▲")


@dataclass(frozen=True)
class CellNumber:
    value: Decimal
    #: the unit written after it ("원", "%", "개"), "" for none
    unit: str = ""


#: a plain number, the form most spreadsheet cells take: read without the general grammar
_PLAIN_CELL = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?")


@lru_cache(maxsize=65_536)
def cell_number(text: str) -> CellNumber | None:
    """The number a whole cell states, or None when the cell is not (only) a number."""
    raw = text.strip()
    if _PLAIN_CELL.fullmatch(raw):
        return CellNumber(Decimal(raw))
    if not raw or len(raw) > 40:
        return None
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1].strip()
    if raw[:1] in _NEGATIVE_SIGNS:
        negative, raw = True, raw[1:].strip()
    prefix = _CURRENCY_PREFIX.match(raw)
    unit = prefix.group().strip() if prefix else ""
    raw = raw[prefix.end() :] if prefix else raw
    unit_match = _UNIT.search(raw)
    if unit_match is not None:
        unit = unit_match.group(1)
        raw = raw[: unit_match.start()].strip()
    value = _whole_number(raw)
    if value is None:
        return None
    return CellNumber(-value if negative else value, unit)


def _whole_number(raw: str) -> Decimal | None:
    if re.fullmatch(_DIGITS, raw):
        return Decimal(raw.replace(",", ""))
    if _KOREAN_AMOUNT.fullmatch(raw):
        return korean_amount(raw)
    return None


def korean_amount(text: str) -> Decimal:
    """``2억 3천만`` → 230000000; ``1.5억`` → 150000000; ``5만 2천`` → 52000."""
    total = Decimal(0)
    for digits, magnitude in _KOREAN_PART.findall(text):
        number = Decimal(digits.replace(",", ""))
        total += number * _MULTIPLIERS[magnitude] if magnitude else number
    return total


@dataclass(frozen=True)
class FoundNumber:
    value: Decimal
    start: int
    end: int


def numbers_in(text: str) -> list[FoundNumber]:
    """Every number in ``text``, Korean amounts (``2억 3천만``) read as one value."""
    found: list[FoundNumber] = []
    taken: list[tuple[int, int]] = []
    for match in _KOREAN_AMOUNT.finditer(text):
        found.append(FoundNumber(korean_amount(match.group()), match.start(), match.end()))
        taken.append(match.span())
    for match in _PLAIN.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        found.append(FoundNumber(Decimal(match.group().replace(",", "")), *match.span()))
    found.sort(key=lambda n: n.start)
    return found


def decimal_text(value: Decimal) -> str:
    """A Decimal written exactly and one way: ``Decimal("23.0")`` → ``"23"``."""
    try:
        normal = value.normalize()
    except InvalidOperation:
        return str(value)
    text = f"{normal:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
