"""Whether a table has a column: "주간업무보고서 양식에서 '금주 진행업무' 표에 예정일자 적는
칸이 있나요?".

A form's tables are often only a header to fill in, so no cell states the answer: the
table the question quotes (by the words written above it) either names the column or does
not. The answer cites the header it read: ``아니요 — '금주 진행업무' 표의 칸: 업무내용,
완결여부, 산출물, 비고``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.cells import table_context_text
from dalin.answer.polarity import NO, YES
from dalin.answer.reader_question import QUOTED, Candidate, Evidence, Reading, Sources
from dalin.answer.tables import Grid, squash
from dalin.ingest.document import table_lines
from dalin.types import Hit

__all__ = ["column_candidate"]

#: "예정일자 적는 칸이 있나요?", "비고란이 있어요?", "담당자 열도 있나요?": the column asked
_COLUMN_ASKED = re.compile(
    r"(?P<name>[^\s'‘’\"“”]{2,}?)(?:을|를)?\s*(?:(?:적는|쓰는|넣는|기입하는|기재하는|입력하는)\s*)?"
    r"(?:칸|열|란|컬럼)(?:이|은|는|도)?\s*(?:따로\s*)?있"
)
_LINE = {
    "ko": "{verdict} — '{table}' 표의 칸: {columns}",
    "en": "{verdict} — the columns of the '{table}' table: {columns}",
}


def column_candidate(
    reading: Reading, grids: Sequence[tuple[Grid, Hit, float]], sources: Sources
) -> Candidate | None:
    """예 when the table the question quotes has a column named as asked, 아니요 when it has
    none; None when the question asks of no column, quotes no table, or no table read is
    named by what it quotes."""
    asked = _COLUMN_ASKED.search(reading.question)
    quoted = [q.strip() for q in QUOTED.findall(reading.question) if len(squash(q)) >= 2]
    if asked is None or not quoted:
        return None
    column = squash(asked.group("name"))
    for grid, hit, score in grids:
        named = squash(table_context_text(grid.stored, hit, sources))
        table = next((q for q in quoted if squash(q) in named and squash(q) != column), None)
        if table is None or not any(grid.columns):
            continue
        has = any(column in squash(c) for c in grid.columns)
        shown = ", ".join(c for c in grid.columns if c)
        verdict = (YES if has else NO)[reading.language]
        lead = _LINE[reading.language].format(verdict=verdict, table=table, columns=shown)
        return Candidate(1.0 + score, lead, _header(grid, hit))
    return None


def _header(grid: Grid, hit: Hit) -> Evidence:
    """The table's header line, as the document's text writes it."""
    stored = grid.stored
    line = next((text for index, text in table_lines(stored.table) if index is None), "")
    start = stored.start
    return Evidence(hit, hit.name, line, start, start + len(line), line, stored.page)
