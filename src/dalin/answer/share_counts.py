"""A count read off a share of a whole: "Short 질문 중에 '구문 변형' 유형은 대략 몇 개예요?"
over "Short 350개, Long 200개를 … 추출하였고" and "… 구문 변형으로 48.0%를 차지하였고".

No line states the count; the document gives the whole (350 questions drawn) and the share
of the kind the question quotes (48.0%). The count is their product, shown with both
operands cited and rounded as the question asks roughly: ``Short 350개 [1] × 구문 변형
48.0% [2] = 168개``; ``… × 표/리스트 27.7% [2] = 96.95개 (약 97개)``. The share is read
from a sentence, else from a relevant passage's line, else from a table's row ("자체 제작
(15%) | Q. …").

A share the question asks of the one kind it quotes, where the document writes it beside
the kind ("'기타 출제 오류' 유형은 몇 퍼센트를 차지하나요?" over "기타 출제 오류 (0.9%)"),
is read the same way (:func:`stated_share`), not computed from other numbers of a table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from dalin.answer.evidence import Unit
from dalin.answer.form_fields import row_evidence
from dalin.answer.intent import Asked, Operation
from dalin.answer.reader_question import (
    QUOTED,
    Evidence,
    Reading,
    dedupe_lines,
    line_holding,
    short_quote,
    span_evidence,
    unit_evidence,
)
from dalin.answer.tables import Grid
from dalin.tools.calculator import format_number
from dalin.types import Hit

#: where a share may be written: the passages' sentence units (best first), the relevant
#: passages, then the cells of the relevant tables
_Places = tuple[
    Sequence[tuple[Unit, float, int]],
    Sequence[tuple[Hit, float]],
    Sequence[tuple[Grid, Hit, float]],
]

__all__ = ["share_count", "stated_share"]

#: a question asking roughly: the product of a share and a whole is rarely whole
_ROUGHLY = re.compile(r"대략|대강|어림|(?<![가-힣])약\s|쯤|정도")
#: a share after the name it is of: "구문 변형으로 48.0%", "표/리스트 (27.7%)", "…가 27.7%"
_SHARE_AFTER = r"\s*(?:[(（]|으로|로|이|가|은|는|의)?\s*(\d{1,2}(?:\.\d+)?)\s*%"
#: a whole: a count written right after a word ("Short 350개")
_WHOLE = r"(?<![\w-]){word}(?:의)?\s+(\d[\d,]*)\s*(개|명|건)"
_LINE = {"ko": "{work} = {result}{counter}", "en": "{work} = {result}"}
_ABOUT = {"ko": " (약 {0}{1})", "en": " (about {0})"}


def stated_share(reading: Reading, places: _Places) -> tuple[list[str], list[Evidence]] | None:
    """The share of the one kind the question quotes, where a passage writes it right after
    the kind's name ("기타 출제 오류 (0.9%)" for "… '기타 출제 오류' 유형은 몇 퍼센트를
    차지하나요?"): a share written is read, not computed from other numbers of the table."""
    quoted = QUOTED.findall(reading.question)
    if reading.intent.operation is not Operation.SHARE or len(quoted) != 1:
        return None
    found = _share(quoted[0], places)
    if found is None:
        return None
    evidence, _, written = found
    return dedupe_lines([f"{written} {{0}}", f"{short_quote(evidence.display)} {{0}}"]), [evidence]


def share_count(reading: Reading, places: _Places) -> tuple[list[str], list[Evidence]] | None:
    """The count of the kind the question quotes, as its share of the whole the question
    names; None unless the question asks roughly how many of a quoted kind and the passages
    give both the kind's share and the whole counted in the counter asked."""
    quoted = QUOTED.findall(reading.question)
    if (
        reading.intent.asked is not Asked.COUNT
        or reading.intent.operation is not None
        or len(quoted) != 1
        or not _ROUGHLY.search(reading.question)
    ):
        return None
    share = _share(quoted[0], places)
    whole = _whole(reading, [u for u, _, _ in sorted(places[0], key=lambda u: u[2])])
    if share is None or whole is None:
        return None
    (share_evidence, percent, _), (whole_unit, word, number, counter) = share, whole
    value = number * percent / 100
    rounded = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    work = f"{word} {format_number(number)}{counter} {{0}} × {quoted[0]} {percent}% {{1}}"
    result = format_number(value, places=2)
    line = _LINE.get(reading.language, _LINE["ko"]).format(
        work=work, result=result, counter=counter
    )
    if rounded != value:
        line += _ABOUT.get(reading.language, _ABOUT["ko"]).format(f"{rounded:,}", counter)
    evidence = [unit_evidence(whole_unit), share_evidence]
    quotes = [f"{short_quote(e.display)} {{{i}}}" for i, e in enumerate(evidence)]
    return dedupe_lines([line, *quotes]), evidence


def _share(name: str, places: _Places) -> tuple[Evidence, Decimal, str] | None:
    """The first unit writing a percentage right after ``name`` (however spaced), else the
    line of the best relevant passage writing one, else a table's row (“자체 제작 (15%) |
    Q. …”, which no sentence holds): its evidence, the percentage and the words written."""
    units, relevant, grids = places
    spaced = r"\s*".join(re.escape(c) for c in name if not c.isspace())
    pattern = re.compile(rf"{spaced}{_SHARE_AFTER}")
    for unit, _, _ in sorted(units, key=lambda u: u[2]):
        found = pattern.search(unit.display)
        if found is not None:
            return unit_evidence(unit), Decimal(found.group(1)), _closed(found.group())
    for hit, _ in sorted(relevant, key=lambda pair: -pair[1]):
        found = pattern.search(hit.text)
        if found is not None:
            start, line = line_holding(hit.text, found)
            evidence = span_evidence(hit, start, start + len(line))
            return evidence, Decimal(found.group(1)), _closed(found.group())
    for grid, hit, _ in grids:
        for index, cells in grid.rows:
            found = next(filter(None, (pattern.search(cell) for cell in cells)), None)
            row = row_evidence(grid, hit, index if index >= 0 else None) if found else None
            if found is not None and row is not None:
                return row, Decimal(found.group(1)), _closed(found.group())
    return None


def _closed(written: str) -> str:
    """A share as written, its parenthesis closed: "기타 출제 오류 (0.9%" → "… (0.9%)"."""
    opened = written.count("(") + written.count("（")
    return written + ")" * (opened - written.count(")") - written.count("）"))


def _whole(reading: Reading, units: Sequence[Unit]) -> tuple[Unit, str, Decimal, str] | None:
    """The first unit writing a count of the counter asked right after a word the question
    writes outside its quote ("Short 350개" for "Short 질문 중에 '구문 변형' 유형은"), with
    that word, the count and its counter."""
    unquoted = QUOTED.sub(" ", reading.question)
    words = re.findall(r"[A-Za-z][A-Za-z\d-]+|[가-힣]{2,}", unquoted)
    for unit in units:
        for word in words:
            found = re.search(_WHOLE.format(word=re.escape(word)), unit.display)
            if found is not None and found.group(2) == (reading.intent.counter or found.group(2)):
                return unit, word, Decimal(found.group(1).replace(",", "")), found.group(2)
    return None
