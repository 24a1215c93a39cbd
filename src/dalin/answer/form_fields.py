"""What a form writes in a field, read off the cell beside its label: "프로젝트 계획서 양식
표에서 작성자 칸에는 뭐라고 적혀 있어요?" over the row "작성일자 | 0000년 00월 00일 | 작성자 |
한 글 | (인)".

A form lays its fields out as label and value side by side in one row, so the row is no
record of named columns and no cell match reads it: the value is the first cell after the
label that is neither empty nor the label again (a merged cell repeats its text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.reader_question import Candidate, Evidence, Reading, quoted_words
from dalin.answer.tables import Grid, row_line, squash
from dalin.types import Hit

__all__ = ["form_field", "row_evidence"]

#: a field named by its label and 칸 or 란, asked what it holds: "작성자 칸에는 뭐라고"
_FIELD = re.compile(r"(?<![가-힣A-Za-z])([가-힣A-Za-z]{2,12})\s*(?:칸|란)(?:에는|에|은|는|의)?\s")
#: asking what is written: "뭐라고 적혀", "무엇이 쓰여", "어떻게 되어"
_WRITTEN = re.compile(r"뭐라고|무엇|뭐가|뭐예|어떻게|적혀|쓰여|기재")


def form_field(reading: Reading, grids: Sequence[tuple[Grid, Hit, float]]) -> Candidate | None:
    """The value beside the field the question names, in the best-ranked table that lays
    it out so; None unless the question asks what a field (X 칸) holds."""
    asked = _FIELD.search(reading.question)
    if asked is None or not _WRITTEN.search(reading.question[asked.end() :]):
        return None
    label = squash(asked.group(1))
    named = _in_named_row(reading, grids, asked.group(1))
    if named is not None:
        return named
    for grid, hit, relevance in grids:
        table = grid.stored.table
        rows = [(None, tuple(table.header)), *((i, tuple(r)) for i, r in enumerate(table.rows))]
        for index, cells in rows:
            at = _beside(cells, label)
            if at is None or (index is None and _filled(table.rows, at)):
                continue  # a header beside a header names two columns of records
            value = " ".join(str(cells[at]).split())
            if value:
                evidence = row_evidence(grid, hit, index)
                if evidence is not None:
                    lead = f"{asked.group(1)}: {value}"
                    return Candidate(1.0, lead, evidence, relevance=relevance)
    return None


def _in_named_row(
    reading: Reading, grids: Sequence[tuple[Grid, Hit, float]], field: str
) -> Candidate | None:
    """The cell under the column ``field`` heads, in the row whose cell the question quotes:
    "'내용 정렬' 예시 표의 담당자 칸" over the table "제목 | 담당자 | 세부 내용" / "내용 정렬 |
    하 임 |". Several tables may share the header; the quoted row says which one is meant."""
    quoted = set(quoted_words(reading.question))
    label = squash(field)
    for grid, hit, relevance in grids if quoted else ():
        table = grid.stored.table
        header = [squash(str(c)) for c in table.header]
        if label not in header:
            continue
        column = header.index(label)
        for index, row in enumerate(table.rows):
            value = " ".join(str(row[column]).split()) if column < len(row) else ""
            if value and quoted & {squash(str(c)) for c in row}:
                evidence = row_evidence(grid, hit, index)
                if evidence is not None:
                    return Candidate(1.0, f"{field}: {value}", evidence, relevance=relevance)
    return None


def _beside(cells: Sequence[str], label: str) -> int | None:
    """Where the first cell after the one reading ``label`` that is neither empty nor the
    label again sits; None when no cell reads the label or none follows it."""
    texts = [squash(str(c)) for c in cells]
    for i, text in enumerate(texts):
        if text == label:
            return next((j for j in range(i + 1, len(texts)) if texts[j] not in ("", label)), None)
    return None


def _filled(rows: Sequence[Sequence[str]], column: int) -> bool:
    """Whether most rows hold a value in ``column``: a column of records, not a form's."""
    held = sum(1 for row in rows if column < len(row) and str(row[column]).strip())
    return held * 2 > len(rows)


def row_evidence(grid: Grid, hit: Hit, index: int | None) -> Evidence | None:
    """The rendered line of the row (``index`` None: the header), at document offsets."""
    found = row_line(grid.stored, index)
    if found is None:
        return None
    line, start, end = found
    return Evidence(hit, f"{hit.name} · 표", line, start, end, line, grid.stored.page)
