"""A cell asked by where it sits in a table: "첫 칸이 13인 행의 네 번째 칸 값은?", "'This'라고
적힌 칸 바로 아래 칸에는 무엇이 적혀 있나요?", "the last column of the table's bottom row".

Such a question names no column and no row label, so no cell match reads it: the cell is
found by counting, in the table as stored (its header row first), in the best-ranked table
where the position exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from dalin.answer.form_fields import row_evidence
from dalin.answer.quantities import NATIVE_NUMBERS
from dalin.answer.reader_question import Candidate, Reading
from dalin.answer.tables import Grid, squash
from dalin.types import Hit

__all__ = ["positioned_cell"]

Rows = Sequence[Sequence[str]]

#: the words a place in a row is counted with: "첫 번째", "네 번째", "열두 번째"
_NUMBERS = {"첫": 1, **NATIVE_NUMBERS}
_ORDINAL = "|".join([*sorted(_NUMBERS, key=len, reverse=True), r"\d{1,2}"])
_QUOTE = r"['‘\"“]?([^\s'’\"”]{1,20})['’\"”]?"
#: "첫 칸이 13인 행의 네 번째 칸": a row by its first cell, a cell by its place in the row
_BY_FIRST = re.compile(
    rf"첫\s*(?:번째\s*)?(?:칸|열|셀)(?:이|에|의\s*값이)?\s*{_QUOTE}\s*(?:인|이라고\s*적힌)\s*"
    rf"(?:행|줄)의\s*({_ORDINAL})\s*(?:번째|째)\s*(?:칸|열|셀)"
)
#: "'This'라고 적힌 칸 바로 아래 칸": the cell below or right of one the question quotes
_NEXT_TO = re.compile(
    r"['‘\"“]([^'’\"”]{1,30})['’\"”]\s*(?:이?라고|로)?\s*(?:적힌|쓰인|된|있는)\s*(?:칸|셀)\s*"
    r"(?:의\s*)?(?:바로\s*)?(아래|밑|오른쪽|옆)\s*(?:칸|셀)"
)
#: "제목이 '표 뒤집기'인 행 바로 아래 행의 제목 칸": a cell of the row below (or above) the
#: one the question quotes, in the column it names
_ROW_NEXT_TO = re.compile(
    r"['‘\"“]([^'’\"”]{1,30})['’\"”]\s*(?:이?라고\s*(?:적힌|쓰인)|인)\s*(?:행|줄)\s*(?:의\s*)?"
    r"(?:바로\s*)?(아래|밑|다음|위)\s*(?:행|줄)\s*(?:의\s*)?['‘\"“]?([^\s'’\"”]{1,20}?)['’\"”]?\s*"
    r"(?:칸|열|셀)"
)
#: "the table cell directly below the cell that says 'Just a'", "the cell right of 'Is'"
_ENGLISH_NEXT_TO = re.compile(
    r"\b(?:cell|box)\s+(?:directly\s+|right\s+|immediately\s+|just\s+)?"
    r"(below|under(?:neath)?|beneath|to\s+the\s+right\s+of|right\s+of|next\s+to)\s+"
    r"(?:the\s+(?:cell|box|one)\s+(?:that\s+(?:says|reads|contains|holds)|reading|containing|"
    r"saying|with(?:\s+the\s+(?:text|word))?)\s+)?['‘\"“]([^'’\"”]{1,30})['’\"”]",
    re.I,
)
#: the English words placing a cell under another, not beside it
_DOWN = ("below", "under", "beneath")
#: "the last column of the table's bottom row"
_ENGLISH = re.compile(
    r"\b(last|first|second|third|fourth|fifth|middle)\s+(?:column|cell)\s+(?:of|in)\s+the\s+"
    r"(?:table'?s?\s+)?(bottom|last|first|top)\s+row",
    re.I,
)
#: the middle of a row (0) is its centre cell, which only a row of an odd count has
_ENGLISH_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1,
                     "middle": 0}  # fmt: skip


def positioned_cell(reading: Reading, grids: Sequence[tuple[Grid, Hit, float]]) -> Candidate | None:
    """The cell at the place the question counts to, in the best-ranked table that has one;
    None when the question asks by no place."""
    finder = _finder(reading.question)
    if finder is None:
        return None
    for grid, hit, relevance in grids:
        table = grid.stored.table
        rows = [
            tuple(str(c) for c in table.header),
            *(tuple(str(c) for c in r) for r in table.rows),
        ]
        found = finder(rows)
        if found is None:
            continue
        row, column = found
        value = " ".join(rows[row][column].split())
        evidence = row_evidence(grid, hit, None if row == 0 else row - 1)
        if value and evidence is not None:
            return Candidate(1.0, value, evidence, relevance=relevance)
    return None


def _finder(question: str) -> Callable[[Rows], tuple[int, int] | None] | None:
    """A function from a table's rows to the (row, column) the question counts to."""
    first = _BY_FIRST.search(question)
    if first is not None:
        key, place = squash(first.group(1)), _number(first.group(2))
        return lambda rows: _by_first(rows, key, place)
    row_next = _ROW_NEXT_TO.search(question)
    if row_next is not None:
        key, column = squash(row_next.group(1)), squash(row_next.group(3))
        step = -1 if row_next.group(2) == "위" else 1
        return lambda rows: _in_row_next_to(rows, key, step, column)
    beside = _NEXT_TO.search(question)
    if beside is not None:
        key, below = squash(beside.group(1)), beside.group(2) in ("아래", "밑")
        return lambda rows: _next_to(rows, key, below)
    beside = _ENGLISH_NEXT_TO.search(question)
    if beside is not None:
        key, below = squash(beside.group(2)), beside.group(1).lower().startswith(_DOWN)
        return lambda rows: _next_to(rows, key, below)
    english = _ENGLISH.search(question)
    if english is not None:
        place = _ENGLISH_ORDINALS[english.group(1).lower()]
        top = english.group(2).lower() in ("first", "top")
        return lambda rows: _corner(rows, place, top)
    return None


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _by_first(rows: Rows, key: str, place: int) -> tuple[int, int] | None:
    """The ``place``-th cell of the one row whose first cell reads ``key``."""
    hits = [r for r, cells in enumerate(rows) if cells and squash(cells[0]) == key]
    if len(hits) != 1 or place > len(rows[hits[0]]):
        return None
    return hits[0], place - 1


def _next_to(rows: Rows, key: str, below: bool) -> tuple[int, int] | None:
    """The cell below (or right of) the one cell reading ``key``."""
    spots = [(r, c) for r, cells in enumerate(rows) for c, cell in enumerate(cells)
             if squash(cell) == key]  # fmt: skip
    if len(spots) != 1:
        return None
    row, column = spots[0]
    row, column = (row + 1, column) if below else (row, column + 1)
    return (row, column) if row < len(rows) and column < len(rows[row]) else None


def _in_row_next_to(rows: Rows, key: str, step: int, column: str) -> tuple[int, int] | None:
    """The cell under the header ``column`` in the row ``step`` rows from the one row
    holding a cell reading ``key`` (the header row is never that row)."""
    spots = [r for r, cells in enumerate(rows) if r and any(squash(c) == key for c in cells)]
    columns = [c for c, name in enumerate(rows[0]) if squash(name) == column]
    if not columns:
        # a header cell stacking two labels ("제목\n담당자") names the column by its first:
        # the second stands over the next column, whose own header cell is blank
        columns = [c for c, name in enumerate(rows[0]) if squash(name.split("\n")[0]) == column]
    if len(spots) != 1 or len(columns) != 1:
        return None
    row = spots[0] + step
    if not 1 <= row < len(rows) or columns[0] >= len(rows[row]):
        return None
    return row, columns[0]


def _corner(rows: Rows, place: int, top: bool) -> tuple[int, int] | None:
    """The ``place``-th cell (-1: the last, 0: the middle) of the top or bottom row."""
    row = 0 if top else len(rows) - 1
    cells = rows[row]
    if place == 0 and len(cells) % 2 == 0:
        return None  # four cells have no middle one
    column = len(cells) - 1 if place == -1 else len(cells) // 2 if place == 0 else place - 1
    return (row, column) if 0 <= column < len(cells) else None
