"""Figures listed bare under the heading that names them: a report template's chart data,
"사업영역별 순이익 2012년도 기준 (단위: 억원)" then "844", "4,467", "6,323", "1,504" each on
its own line. No figure has a label, so neither the table reader nor a sentence's labelled
values find them; the heading, which shares the question's words, says what they are, and
its 단위 their unit. Summed, averaged, or the largest and the smallest taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from dalin.answer.intent import Asked, Operation, spans_extremes
from dalin.answer.reader_question import Evidence, Reading
from dalin.answer.shown_work import Operand
from dalin.answer.table_operands import Operands
from dalin.text.korean import tokenize
from dalin.types import Hit

__all__ = ["listed_figures", "share_of_extreme"]

_LINE = re.compile(r"^[^\n]*$", re.MULTILINE)
_BARE = re.compile(r"[ \t]*(\d[\d,]*(?:\.\d+)?)[ \t]*")
_UNIT = re.compile(r"[(（]\s*단위\s*[:：]?\s*([^()（）\s]{1,6})\s*[)）]")
#: the least number of the question's words (not numbers) a heading shares
_HEADING_WORDS = 2
_OPERATIONS = (Operation.SUM, Operation.AVERAGE, Operation.MAX, Operation.MIN)


def listed_figures(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Operands | None:
    """The bare figures on the lines under a heading sharing the question's words, for a
    sum, an average, an extreme, or the largest less the smallest; None when no passage
    lists two or more so."""
    operation = reading.intent.operation
    extremes = operation is Operation.DIFFERENCE and spans_extremes(reading.question)
    if operation not in _OPERATIONS and not extremes:
        return None
    if (
        operation in (Operation.MAX, Operation.MIN)
        and reading.intent.asked is Asked.PERCENT
        and not share_of_extreme(reading)
    ):
        return None  # "가장 큰 값은 몇 %": the figures are amounts, not shares
    asked = {w for w in reading.words if not w[0].isdigit()}
    for hit, _ in relevant:
        for heading in _LINE.finditer(hit.text):
            line = heading.group()
            if _BARE.fullmatch(line) or len(asked & set(tokenize(line))) < _HEADING_WORDS:
                continue
            figures = _figures_after(hit.text, heading.end())
            if len(figures) >= 2:
                return _operands(hit, heading, figures, extremes)
    return None


#: the total of the figures, asked beside an extreme: "네 값 합계의", "전체 합의"
_TOTAL_ASKED = re.compile(r"합계|합친|더한|총합|전체\s*합")


def share_of_extreme(reading: Reading) -> bool:
    """Whether the question asks the largest (or smallest) value's share of the total of
    all: "가장 큰 값은 네 값 합계의 몇 %를 차지하나요?"."""
    return (
        reading.intent.operation in (Operation.MAX, Operation.MIN)
        and reading.intent.asked is Asked.PERCENT
        and _TOTAL_ASKED.search(reading.question) is not None
    )


def _figures_after(text: str, at: int) -> list[re.Match[str]]:
    """The bare figures on the lines after ``at``, blank lines between them skipped."""
    figures: list[re.Match[str]] = []
    for line in _LINE.finditer(text, at + 1):
        if not line.group().strip():
            continue
        bare = _BARE.fullmatch(text, line.start(), line.end())
        if bare is None:
            break
        figures.append(bare)
    return figures


def _operands(
    hit: Hit, heading: re.Match[str], figures: list[re.Match[str]], extremes: bool
) -> Operands:
    """The figures as operands in the heading's unit, all cited by one quote: the heading
    and its figures."""
    unit_found = _UNIT.search(heading.group())
    unit = unit_found.group(1) if unit_found else ""
    chosen = figures
    if extremes:  # "가장 큰 값과 가장 작은 값의 차이"
        chosen = sorted(figures, key=_amount, reverse=True)
        chosen = [chosen[0], chosen[-1]]
    # each figure as written (its quote holds "844", not "844억원"); the unit goes on the result
    operands = [Operand("", f.group(1), _amount(f), unit) for f in chosen]
    start, end = heading.start(), figures[-1].end()
    quote = hit.text[start:end]
    shown = " ".join(quote.split())  # one figure a line: rejoin would close digits up
    evidence = Evidence(hit, hit.label, quote, hit.start + start, hit.start + end, shown,
                        hit.page)  # fmt: skip
    return Operands(operands, [evidence])


def _amount(figure: re.Match[str]) -> Decimal:
    return Decimal(figure.group(1).replace(",", ""))
