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

from dalin.answer.intent import Asked, Operation
from dalin.answer.reader_question import Candidate, Evidence, Reading, span_evidence
from dalin.answer.shown_work import Operand
from dalin.answer.table_operands import Operands
from dalin.answer.tables import squash
from dalin.types import Hit

__all__ = ["asked_term", "bracketed_sum", "cohort_operands", "under_term"]

#: a numbered term the question names: "제1기", "2기", "제3차"
_TERM = re.compile(r"(?<!\d)(?:제\s*)?(\d{1,2})\s*(기|차)(?=[은는이가의와과도보에로]|[^가-힣]|$)")
#: a term as written: "2기", "제2차"
_WRITTEN = r"(?:제\s*)?{number}\s*{kind}(?![가-힣])"
#: a term's heading at the start of a line: "□ 1기 탄중위 : …", "○ 제2차 회의"
_HEADING = r"^[ \t]*[□■○◦▶·※-]?[ \t]*" + _WRITTEN
#: the same, bulleted: "□ 2기 탄중위" (not a cover's "제1차 환경노동위원회")
_BULLETED = r"^[ \t]*[□■○◦▶·※-][ \t]*" + _WRITTEN
#: a figure after its name: "전문가(44명)", "위촉직(78)", "각계 대표(35명)", "50대(40명)",
#: also beside its share: "여성(28명, 35%)"
_FIGURE = re.compile(
    r"((?<![\d.])\d{0,3}[가-힣A-Za-z][가-힣A-Za-z ]{0,12}?)"
    r"\s*[(（]\s*(\d[\d,]*)\s*(명|개|건|곳)?(?:\s*[,，]\s*\d+(?:\.\d+)?\s*%)?\s*[)）]"
)

#: a share after its name, beside its count: "여성(28명, 35%)"
_SHARE_FIGURE = re.compile(
    r"((?<![\d.])\d{0,3}[가-힣A-Za-z][가-힣A-Za-z ]{0,12}?)"
    r"\s*[(（][^()（）]*?(\d+(?:\.\d+)?)\s*(%)\s*[)）]"
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
    # "여성 위원 비율이 … 몇 %p 줄었어요?" sets the shares apart, not the counts
    shape = _SHARE_FIGURE if reading.intent.asked is Asked.PERCENT else _FIGURE
    for hit, _ in relevant:
        figures = [_figure(hit.text, number, kind, asked, shape) for number, kind in terms]
        if all(f is not None for f in figures):
            return _operands(hit, [f for f in figures if f is not None], terms)
    return None


def bracketed_sum(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Operands | None:
    """For a sum of things the question names, the figures a passage brackets after their
    names: "기능성과 사용성 항목 배점을 합하면" over "평가항목: 기능성 (19)" and "평가항목:
    사용성 (12)", "제1기 … 50대와 60대를 합하면" over "50대(40명), 60대(19명)" under the
    1기 heading. None unless one passage brackets a figure for two names or more."""
    if reading.intent.operation is not Operation.SUM:
        return None
    terms = list(dict.fromkeys((m.group(1), m.group(2)) for m in _TERM.finditer(reading.question)))
    asked = squash(_TERM.sub(" ", reading.question))
    for hit, _ in relevant:
        span = _section(hit.text, *terms[0]) if len(terms) == 1 else (0, len(hit.text))
        if span is None:
            continue
        figures: dict[str, re.Match[str]] = {}
        for figure in _FIGURE.finditer(hit.text, *span):
            name = squash(figure.group(1))
            if len(name) >= 2 and name in asked and name not in figures:
                figures[name] = figure
        if len(figures) >= 2:
            found = list(figures.values())
            return _operands(hit, found, [("", "")] * len(found), larger_first=False)
    return None


def asked_term(question: str) -> tuple[str, str] | None:
    """The one numbered term a question names ("제2기 … 공공기관 출신은 몇 명" → 2, 기);
    None when it names none or several."""
    terms = list(dict.fromkeys((m.group(1), m.group(2)) for m in _TERM.finditer(question)))
    return terms[0] if len(terms) == 1 else None


def under_term(candidate: Candidate, term: tuple[str, str]) -> bool:
    """Whether a candidate's line lies in the section of its passage headed by ``term``
    ("□ 2기 탄중위" heads the 2기 figures; the same row under "□ 1기 탄중위" is another
    term's), or writes the term itself."""
    e = candidate.evidence
    # only a bulleted heading opens a term's section here: "제1차 환경노동위원회" atop a
    # review's cover names the sitting, not a part of the text
    span = _section(e.hit.text, *term, bullet=True)
    inside = e.hit.start <= e.start < e.hit.end  # a stored cell's hit may be another chunk
    if inside and span is not None and span[0] <= e.start - e.hit.start < span[1]:
        return True
    # a cell whose column names the term ("여성 | 제2기 2050 탄소중립‧녹색성장위원회: 7명")
    written = re.compile(r"(?<!\d)" + _WRITTEN.format(number=term[0], kind=term[1]))
    return any(written.search(t) for t in (candidate.lead, candidate.context))


def _section(text: str, number: str, kind: str, *, bullet: bool = False) -> tuple[int, int] | None:
    """Where a term's section runs: from its heading (with a bullet, when ``bullet``) to the
    next heading of a term of its kind, or None when the text has no heading for it."""
    shape = _BULLETED if bullet else _HEADING
    heading = re.search(shape.format(number=number, kind=kind), text, re.M)
    if heading is None:
        return None
    following = re.compile(_HEADING.format(number=r"\d{1,2}", kind=kind), re.M)
    after = following.search(text, heading.end())
    return heading.start(), after.start() if after else len(text)


def _figure(
    text: str, number: str, kind: str, asked: str, shape: re.Pattern[str]
) -> re.Match[str] | None:
    """The figure the question names, first written in the term's section."""
    span = _section(text, number, kind)
    if span is None:
        return None
    for figure in shape.finditer(text, *span):
        name = squash(figure.group(1))
        if len(name) >= 2 and name in asked:
            return figure
    return None


def _operands(
    hit: Hit,
    figures: Sequence[re.Match[str]],
    terms: Sequence[tuple[str, str]],
    *,
    larger_first: bool = True,
) -> Operands:
    operands: list[Operand] = []
    evidence: list[Evidence] = []
    cited: dict[int, int] = {}  # a line's start → its evidence: one line, one citation
    pairs = list(zip(figures, terms, strict=True))
    if larger_first:  # "몇 명 적나요" and "몇 명 많았나요" both ask how far apart
        pairs.sort(key=lambda p: -_amount(p[0]))
    for figure, (number, kind) in pairs:
        line_start = hit.text.rfind("\n", 0, figure.start()) + 1
        if line_start not in cited:
            line_end = hit.text.find("\n", figure.end())
            cited[line_start] = len(evidence)
            evidence.append(
                span_evidence(hit, line_start, line_end if line_end >= 0 else len(hit.text))
            )
        label = f"{number}{kind} {figure.group(1).strip()}".strip()
        unit = figure.group(3) or ""
        text = f"{figure.group(2)}{unit}"
        operands.append(Operand(label, text, _amount(figure), unit, source=cited[line_start]))
    return Operands(operands, evidence)


def _amount(figure: re.Match[str]) -> Decimal:
    return Decimal(figure.group(2).replace(",", ""))
