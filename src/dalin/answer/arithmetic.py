"""Arithmetic in an answer sentence, recomputed before anyone trusts it.

A model that answers "임원이 2박 3일이면?" writes a number no passage holds: "40,000원 × 3일 +
150,000원 × 2박 = 420,000원". That result is supported when the expression, recomputed
exactly with :func:`dalin.tools.calculator.evaluate`, gives it and every operand is given
(in the cited passages, the question, or a value a tool computed). Two forms are read:

* **explicit**: ``operand (op operand)+ = result``, with ``×``/``x``/``*``/``÷``/``/``/``+``/
  ``-``/``−`` and units after the numbers (``40,000원 × 3일``);
* **in words**: "100,000원씩 3박이라 모두 300,000원", "70,000원에 20퍼센트를 더해 84,000원",
  "25,000원의 2분의 1인 12,500원", "30일 중 12일을 썼다면 남은 병가는 18일": the result is
  searched among a few small combinations of the sentence's other numbers (sums,
  differences, products, quotients, a share or a markup of a percentage).

A result that no combination gives is a wrong calculation when the sentence shows it was
computed (an expression, or words such as 합하면/모두/씩/남은), otherwise an unknown number.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from dalin.answer.quantities import Quantity, canonical_numbers
from dalin.errors import CalculationError
from dalin.tools.calculator import evaluate, format_number

_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_UNIT = r"(?:\s?(?:%|[가-힣]{1,3}(?=[\s×x*÷/+\-−–=)]|$)|[a-zA-Z·]{1,5}(?=[\s×x*÷/+\-−–=)]|$)))?"
#: a short label may name an operand: "일비 40,000원 × 3일 + 숙박비 150,000원 × 2박"
_LABEL = r"(?:[가-힣A-Za-z]{1,8}\s){0,2}"
_OPERAND = rf"\(?\s*{_LABEL}{_NUMBER}{_UNIT}\s*\)?"
_OPERATOR = r"[×x*÷/+\-−–]"
_EXPRESSION = re.compile(
    rf"(?P<expr>{_OPERAND}(?:\s*{_OPERATOR}\s*{_OPERAND})+)\s*=\s*(?P<result>-?{_NUMBER})"
)
_AVERAGE = re.compile(
    rf"\((?P<terms>{_OPERAND}(?:\s*\+\s*{_OPERAND})+)\)\s*[÷/]\s*(?P<count>\d+)(?![\d,.])"
)
_UNIT_AFTER = re.compile(rf"({_NUMBER})\s?(?:%|[가-힣]{{1,3}}|[a-zA-Z·]{{1,5}})")
#: words showing that a number was computed, not read
CUES = re.compile(
    r"합하|합해|합계|합치|합쳐|합친|합산|보태|더하|더해|더한|모두|총(?=\s|\d)|총액|총합|전부|곱하|빼면|뺀|남은|남습니다|차이|씩|가산|"
    r"계산해|계산하면|계산하니|늘었|늘어|줄었|줄어|증가|감소|"
    r"보다\s?\d|므로|이라|이니|분의\s?\d|의\s?\d[\d.]*%|[0-9]\s*[×x*÷/+−]|\d[가-힣]{0,3}면\s|\d\s?[A-Za-z가-힣]{0,3}\s[가-힣]{1,3}면\s|합[은이을]\s|\d[가-힣]{0,2}\s?차(?:로|이)?\s"
    r"|\btotal|\bsum|\bin all|\btimes\b|\bplus\b|\bminus\b|\bgives?\b",
    re.IGNORECASE,
)
#: how many operands the search in words combines at most
MAX_OPERANDS = 6


@dataclass(frozen=True)
class Calculation:
    """An arithmetic claim of a sentence and what recomputing it found."""

    #: the expression as written in the sentence, or the combination found for a result
    expression: str
    #: the result the sentence states
    stated: Decimal
    #: the value recomputed from the operands (None: the expression cannot be computed)
    computed: Decimal | None

    @property
    def correct(self) -> bool:
        return self.computed is not None and agrees(self.computed, self.stated)

    def shown(self) -> str:
        """The expression with the recomputed result: "30,000 × 3 + 100,000 × 2 = 290,000"."""
        value = "?" if self.computed is None else format_number(self.computed, places=6)
        return f"{self.expression} = {value}"


def agrees(computed: Decimal, stated: Decimal) -> bool:
    """Equal once the computed value is rounded to the places the stated one shows."""
    exponent = stated.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return computed.quantize(Decimal(1).scaleb(-places)) == stated.quantize(
        Decimal(1).scaleb(-places)
    )


def explicit_calculations(sentence: str) -> list[Calculation]:
    """Every ``a op b … = result`` in ``sentence``, recomputed."""
    text = canonical_numbers(sentence)
    out = []
    for match in _EXPRESSION.finditer(text):
        expression = match.group("expr").strip()
        stated = Decimal(match.group("result").replace(",", ""))
        bare = _UNIT_AFTER.sub(lambda m: m.group(1), expression)
        bare = re.sub(r"[가-힣]+|(?<![\d.])[A-Za-wyz]+", " ", bare)  # labels; "x" stays
        bare = re.sub(r"(?<=\d)\s*x\s*(?=\d)", " × ", bare)
        try:
            computed: Decimal | None = evaluate(bare)
        except CalculationError:
            computed = None
        out.append(Calculation(expression, stated, computed))
    return out


def operand_tokens(sentence: str) -> list[str]:
    """The numbers written inside the explicit expressions of ``sentence``."""
    text = canonical_numbers(sentence)
    return [
        number.group()
        for match in _EXPRESSION.finditer(text)
        for number in re.finditer(_NUMBER, match.group("expr"))
    ]


def term_counts(sentence: str) -> set[Decimal]:
    """Divisors that count the terms of the sum they divide: the 4 of "(89 + 77 + 88 + 66) ÷ 4"
    is given by the expression itself (an average), not by a passage."""
    text = canonical_numbers(sentence)
    out = set()
    for match in _AVERAGE.finditer(text):
        terms = len(re.findall(_NUMBER, match.group("terms")))
        if Decimal(match.group("count")) == terms:
            out.add(Decimal(terms))
    return out


def result_tokens(sentence: str) -> list[Decimal]:
    text = canonical_numbers(sentence)
    return [Decimal(m.group("result").replace(",", "")) for m in _EXPRESSION.finditer(text)]


def derived_factors(evidence: Sequence[Quantity]) -> set[Decimal]:
    """Operands a calculation may take from a stated percentage p: p/100, 1 + p/100 and
    1 - p/100 ("10% 부가세" → × 1.1; "20퍼센트를 더한" → × 1.2)."""
    out: set[Decimal] = set()
    for q in evidence:
        if q.dimension == "percent":
            share = q.value / 100
            out.update({share, 1 + share, 1 - share})
    return out


@dataclass(frozen=True)
class Operand:
    """A number that may enter a computation: its value as written and its dimension
    ("won", "time", …; "" when bare)."""

    value: Decimal
    dimension: str = ""


def combination_for(result: Operand, operands: Sequence[Operand]) -> str | None:
    """A small combination of ``operands`` that gives ``result``, written out, or None.

    Dimensions must agree as in arithmetic with units: what is added or subtracted has the
    result's dimension (or none), a product or quotient has one factor of it (the other
    counts: "40,000원 × 3일"), a share or markup applies to a value of it. So "3년 × 4 +
    5년" is never "17일", however the numbers fall.
    """
    values = list(dict.fromkeys(operands))[:MAX_OPERANDS]
    for text, value in _combinations(values, result.dimension):
        if agrees(value, result.value):
            return text
    return None


def _combinations(values: list[Operand], dimension: str) -> Iterator[tuple[str, Decimal]]:
    f = _fmt

    def fits(o: Operand) -> bool:
        return o.dimension in (dimension, "")

    for a, b in itertools.permutations(values, 2):
        x, y = a.value, b.value
        if fits(a):
            yield f"{f(x)} × {f(y)}", x * y
            if y != 0:
                yield f"{f(x)} ÷ {f(y)}", x / y
            if b.dimension in ("percent", "") and y <= 100:
                yield f"{f(x)} × {f(y)}%", x * y / 100
                yield f"{f(x)} × (1 + {f(y)}%)", x * (1 + y / 100)
                yield f"{f(x)} × (1 − {f(y)}%)", x * (1 - y / 100)
            if fits(b):
                yield f"{f(x)} + {f(y)}", x + y
                yield f"{f(x)} − {f(y)}", x - y
    same = [v for v in values if fits(v)]
    for size in range(3, len(same) + 1):
        for group in itertools.combinations(same, size):
            yield " + ".join(f(v.value) for v in group), sum((v.value for v in group), Decimal(0))
    for a, b, c, d in itertools.permutations(values, 4):
        if fits(a) and fits(c):
            yield (
                f"{f(a.value)} × {f(b.value)} + {f(c.value)} × {f(d.value)}",
                a.value * b.value + c.value * d.value,
            )
    for a, b, c in itertools.permutations(values, 3):
        if fits(a) and fits(c):
            yield f"{f(a.value)} × {f(b.value)} + {f(c.value)}", a.value * b.value + c.value
        if fits(a):
            yield f"{f(a.value)} × {f(b.value)} × {f(c.value)}", a.value * b.value * c.value
        if fits(a) and fits(b):
            yield f"({f(a.value)} + {f(b.value)}) × {f(c.value)}", (a.value + b.value) * c.value
        if fits(b) and c.value != 0:  # a rate: "2회가 1일이므로 6회는 3일" = 6 × 1 ÷ 2
            yield f"{f(a.value)} × {f(b.value)} ÷ {f(c.value)}", a.value * b.value / c.value


def _fmt(value: Decimal) -> str:
    return format_number(value, places=6)
