"""One figure of two numbered terms, set against each other: "제1기 탄소중립위원회의 전문가
위원은 제2기보다 몇 명 많았나요?".

A review writes each term under its own heading ("□ 1기 탄중위 : 위원장(1) + 위촉직(78)",
then "□ 2기 탄중위 : …") and gives its figures in brackets after their names ("전문가(44명)",
"각계 대표(35명)"). The operands are the figure the question names, read once under each
term's heading; each is cited by the line that writes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from dalin.answer.intent import Operation
from dalin.answer.reader_question import Evidence, Reading
from dalin.answer.shown_work import Operand
from dalin.answer.table_operands import Operands
from dalin.answer.tables import squash
from dalin.types import Hit

__all__ = ["cohort_operands"]

#: a numbered term the question names: "제1기", "2기", "제3차"
_TERM = re.compile(r"(?<!\d)(?:제\s*)?(\d{1,2})\s*(기|차)(?=[은는이가의와과도보에]|[^가-힣]|$)")
#: a term's heading at the start of a line: "□ 1기 탄중위 : …", "○ 제2차 회의"
_HEADING = r"^[ \t]*[□■○◦▶·※-]?[ \t]*(?:제\s*)?{number}\s*{kind}(?![가-힣])"
#: a figure after its name: "전문가(44명)", "위촉직(78)", "각계 대표(35명)"
_FIGURE = re.compile(
    r"([가-힣A-Za-z][가-힣A-Za-z ]{0,12}?)\s*[(（]\s*(\d[\d,]*)\s*(명|개|건|곳)?\s*[)）]"
)


def cohort_operands(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Operands | None:
    """The figure the question names under each of the two terms it names, larger first;
    None unless it asks a difference between two terms of one kind and a passage read writes
    that figure under both terms' headings."""
    if reading.intent.operation is not Operation.DIFFERENCE:
        return None
    terms = list(dict.fromkeys((m.group(1), m.group(2)) for m in _TERM.finditer(reading.question)))
    if len(terms) != 2 or terms[0][1] != terms[1][1]:
        return None
    asked = squash(_TERM.sub(" ", reading.question))
    for hit, _ in relevant:
        figures = [_figure(hit.text, number, kind, asked) for number, kind in terms]
        if all(f is not None for f in figures):
            return _operands(hit, [f for f in figures if f is not None], terms)
    return None


def _figure(text: str, number: str, kind: str, asked: str) -> re.Match[str] | None:
    """The figure the question names, first written under the term's heading (up to the
    next heading of a term of its kind)."""
    heading = re.search(_HEADING.format(number=number, kind=kind), text, re.M)
    if heading is None:
        return None
    following = re.compile(_HEADING.format(number=r"\d{1,2}", kind=kind), re.M)
    after = following.search(text, heading.end())
    end = after.start() if after else len(text)
    for figure in _FIGURE.finditer(text, heading.start(), end):
        name = squash(figure.group(1))
        if len(name) >= 2 and name in asked:
            return figure
    return None


def _operands(
    hit: Hit, figures: Sequence[re.Match[str]], terms: Sequence[tuple[str, str]]
) -> Operands:
    operands, evidence = [], []
    # larger first: "몇 명 적나요" and "몇 명 많았나요" both ask how far apart
    pairs = sorted(zip(figures, terms, strict=True), key=lambda p: -_amount(p[0]))
    for i, (figure, (number, kind)) in enumerate(pairs):
        line_start = hit.text.rfind("\n", 0, figure.start()) + 1
        line_end = hit.text.find("\n", figure.end())
        line = hit.text[line_start : line_end if line_end >= 0 else len(hit.text)].strip()
        start = hit.start + hit.text.find(line, line_start)
        evidence.append(Evidence(hit, hit.name, line, start, start + len(line), line))
        label = f"{number}{kind} {figure.group(1).strip()}"
        unit = figure.group(3) or ""
        text = f"{figure.group(2)}{unit}"
        operands.append(Operand(label, text, _amount(figure), unit, source=i))
    return Operands(operands, evidence)


def _amount(figure: re.Match[str]) -> Decimal:
    return Decimal(figure.group(2).replace(",", ""))
