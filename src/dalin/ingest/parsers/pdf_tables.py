"""Ruled tables on a PDF page, found from the lines PDFium draws and read from its text layer.

Per page, with pypdfium2 alone (the parse budget, ≥ 20 pages/s for a whole ingest on two
cores, rules out pdfplumber and camelot):

1. Rules (:mod:`dalin.ingest.parsers.pdf_rules`). Every path and image, in page space (its
   own matrix and those of the form XObjects around it). A shape at most ``_THIN`` across is
   one rule, stroked or filled: many generators draw table lines as thin filled rectangles,
   Hangul its dashed lines as rows of tiny images. A larger stroked path gives its straight
   axis-aligned segments, a larger filled one its thin subpaths. A single large filled
   rectangle (row shading) and pale paint give nothing: they would turn shaded but unruled
   tables into grids.
2. Lines. Pieces of one line are merged; lines that cross or touch form connected groups, and
   a group with at least two horizontal lines and a vertical one is a candidate grid (Korean
   tables often leave the sides open: one inner vertical between horizontal rules makes two
   columns).
3. Cells. The grid's distinct x and y positions cut it into elementary cells; where the rule
   between two neighbours is missing they are one merged cell (a span).
4. Text. A character belongs to the cell holding the centre of its box; a cell's characters
   are joined in text-layer order, its lines separated by spaces, then NFC-normalised.
5. Judgement, to stay conservative: a table has at least two rows and two columns and text in
   at least half its cells. A boxed paragraph (1×1) or a one-column grid stays page text, and
   a grid inside an accepted table's cell is part of that cell's text.

The header is the first row; when one first-row cell spans rows and another spans columns (a
grouped header, "2023" over "상반기 | 하반기"), those rows together are the header, and a
single cell across the top is a title, not a header. A body cell spanning rows repeats its
text in each (a merged "17:00" holds for every month it covers).

Out of scope: unruled tables (columns aligned by whitespace, or only horizontal rules as in
most papers and financial statements) stay page text, as do tables on pages with a /Rotate
other than 0. A table continued on the next page is read as two tables, the second without
its header.
"""

from __future__ import annotations

import ctypes
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import pypdfium2.raw as pdfium_raw

from dalin.ingest.parsers.pdf_rules import CHAR_BOX, CHAR_UNICODE, Box, Rule, page_rules

# Distances in PDF points (1/72 inch).
_SAME_LINE = 1.0  # pieces this close across lie on one line
_GAP = 3.0  # pieces of a line this far apart still join, and lines this near still meet
_SNAP = 3.0  # grid positions this close are one (a double border is one boundary)
_MAX_CELLS = 5_000  # a finer grid is graph paper or a chart, not a table


@dataclass(frozen=True)
class PdfTable:
    """A ruled table found on a page: the header row and the body rows, all the same width."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _Cell:
    """A merged cell: elementary rows ``top..bottom`` and columns ``left..right``, inclusive."""

    top: int
    left: int
    bottom: int
    right: int


@dataclass(frozen=True)
class _Grid:
    xs: tuple[float, ...]  # column edges, left to right
    ys: tuple[float, ...]  # row edges, top to bottom
    downs: tuple[float, ...]  # -ys: rising, so rows can be found by bisection
    cells: tuple[_Cell, ...]
    owner: tuple[tuple[int, ...], ...]  # elementary [row][column] -> index into cells

    @property
    def box(self) -> Box:
        return self.xs[0], self.ys[-1], self.xs[-1], self.ys[0]

    def cell_at(self, x: float, y: float) -> int:
        """The cell holding the point, or -1 when it lies outside the grid."""
        column = bisect_right(self.xs, x) - 1
        row = bisect_left(self.downs, -y) - 1
        if 0 <= column < len(self.xs) - 1 and 0 <= row < len(self.ys) - 1:
            return self.owner[row][column]
        return -1


# --- 2. lines and the groups they form ----------------------------------------------------


class _Groups:
    """Union-find over ``size`` items: which ones are joined, directly or through others."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def root(self, item: int) -> int:
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        self._parent[self.root(a)] = self.root(b)


def _merge(rules: list[Rule]) -> list[Rule]:
    """Pieces of one line (within ``_SAME_LINE`` across, ``_GAP`` along) as whole lines."""
    merged: list[Rule] = []
    rules = sorted(rules, key=lambda r: r.pos)
    first = 0
    while first < len(rules):
        last = first
        while last + 1 < len(rules) and rules[last + 1].pos - rules[first].pos <= _SAME_LINE:
            last += 1
        pieces = sorted(rules[first : last + 1], key=lambda r: r.start)
        pos = sum(r.pos for r in pieces) / len(pieces)
        start, end = pieces[0].start, pieces[0].end
        for piece in pieces[1:]:
            if piece.start > end + _GAP:
                merged.append(Rule(pos, start, end))
                start = piece.start
            end = max(end, piece.end)
        merged.append(Rule(pos, start, end))
        first = last + 1
    return merged


def _groups(horizontal: list[Rule], vertical: list[Rule]) -> list[tuple[list[Rule], list[Rule]]]:
    """Connected groups of crossing or touching lines: ≥ 2 horizontal, ≥ 1 vertical."""
    vertical = sorted(vertical, key=lambda r: r.pos)
    positions = [v.pos for v in vertical]
    first_vertical = len(horizontal)
    groups = _Groups(first_vertical + len(vertical))
    for i, h in enumerate(horizontal):
        low = bisect_left(positions, h.start - _GAP)
        high = bisect_right(positions, h.end + _GAP)
        for j in range(low, high):
            if vertical[j].start - _GAP <= h.pos <= vertical[j].end + _GAP:
                groups.join(i, first_vertical + j)
    members: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(horizontal):
        members.setdefault(groups.root(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        members.setdefault(groups.root(first_vertical + j), ([], []))[1].append(v)
    return [(h, v) for h, v in members.values() if len(h) >= 2 and len(v) >= 1]


# --- 3. cells -----------------------------------------------------------------------------


def _snap(values: list[float]) -> list[float]:
    """Distinct positions, ascending: values within ``_SNAP`` of a group's first are one."""
    values = sorted(values)
    snapped: list[float] = []
    group: list[float] = []
    for value in values:
        if group and value - group[0] > _SNAP:
            snapped.append(sum(group) / len(group))
            group = []
        group.append(value)
    if group:
        snapped.append(sum(group) / len(group))
    return snapped


def _on_edges(rules: list[Rule], edges: list[float]) -> list[list[Rule]]:
    """The rules lying on each of the grid positions ``edges`` (ascending)."""
    on: list[list[Rule]] = [[] for _ in edges]
    for rule in rules:
        for i in range(bisect_left(edges, rule.pos - _SNAP), bisect_right(edges, rule.pos + _SNAP)):
            on[i].append(rule)
    return on


def _covers(rules: list[Rule], across: float) -> bool:
    return any(r.start <= across <= r.end for r in rules)


def _grid(horizontal: list[Rule], vertical: list[Rule]) -> _Grid | None:
    """The cells of a group of lines; None when its merged cells are not rectangles."""
    # open-sided tables have no outer verticals: the horizontal lines' ends bound them
    xs = _snap(
        [v.pos for v in vertical]
        + [min(h.start for h in horizontal)]
        + [max(h.end for h in horizontal)]
    )
    rising = _snap(
        [h.pos for h in horizontal]
        + [min(v.start for v in vertical)]
        + [max(v.end for v in vertical)]
    )
    rows, columns = len(rising) - 1, len(xs) - 1
    if rows < 1 or columns < 1 or rows * columns > _MAX_CELLS:
        return None
    ys = rising[::-1]  # top to bottom, the order rows are read in
    on_xs, on_ys = _on_edges(vertical, xs), _on_edges(horizontal, rising)[::-1]
    spans = _Groups(rows * columns)
    for r in range(rows):
        middle_y = (ys[r] + ys[r + 1]) / 2
        for c in range(columns):
            middle_x = (xs[c] + xs[c + 1]) / 2
            if c + 1 < columns and not _covers(on_xs[c + 1], middle_y):
                spans.join(r * columns + c, r * columns + c + 1)
            if r + 1 < rows and not _covers(on_ys[r + 1], middle_x):
                spans.join(r * columns + c, (r + 1) * columns + c)
    return _cells(tuple(xs), tuple(ys), [spans.root(i) for i in range(rows * columns)])


def _cells(xs: tuple[float, ...], ys: tuple[float, ...], roots: list[int]) -> _Grid | None:
    columns = len(xs) - 1
    spans: dict[int, list[int]] = {}
    for i, group in enumerate(roots):
        spans.setdefault(group, []).append(i)
    cells: list[_Cell] = []
    index_of: dict[int, int] = {}
    for group, members in spans.items():
        rows_ = [i // columns for i in members]
        cols_ = [i % columns for i in members]
        cell = _Cell(min(rows_), min(cols_), max(rows_), max(cols_))
        if (cell.bottom - cell.top + 1) * (cell.right - cell.left + 1) != len(members):
            return None  # an L-shaped "cell": the rules do not make a table
        index_of[group] = len(cells)
        cells.append(cell)
    owner = tuple(
        tuple(index_of[roots[r * columns + c]] for c in range(columns)) for r in range(len(ys) - 1)
    )
    return _Grid(xs, ys, tuple(-y for y in ys), tuple(cells), owner)


def _candidate_grids(page: Any) -> list[_Grid]:
    """The page's grids of ruled cells, largest first."""
    rules = page_rules(page)
    if rules is None:
        return []
    grids = [
        grid
        for horizontal, vertical in _groups(_merge(rules[0]), _merge(rules[1]))
        if (grid := _grid(horizontal, vertical)) is not None
    ]
    return sorted(grids, key=lambda g: -_area(g.box))


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


# --- 4. characters ------------------------------------------------------------------------


def _character(code: int) -> str:
    """The text of a code from the text layer; control marks (PDFium's \\x02 hyphen) drop."""
    if code in (9, 10, 13):
        return chr(code)
    if code < 32 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return ""
    return chr(code)


class Chars:
    """The text page's characters by index: their text and the centre of their box."""

    def __init__(self, textpage: Any) -> None:
        address = ctypes.cast(textpage, ctypes.c_void_p).value
        count = max(pdfium_raw.FPDFText_CountChars(textpage), 0)
        codes = map(CHAR_UNICODE, repeat(address), range(count))
        self.text = [_character(code) for code in codes]
        self.x: list[float] = []
        self.y: list[float] = []
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        x = y = 0.0
        for index in range(count):
            if CHAR_BOX(address, index, left, right, bottom, top) and (
                right.value > left.value or top.value > bottom.value
            ):
                x, y = (left.value + right.value) / 2, (bottom.value + top.value) / 2
            # else: a break PDFium inserted has an empty box; it goes with the previous char
            self.x.append(x)
            self.y.append(y)

    def inside(self, box: Box) -> list[int]:
        left, bottom, right, top = box
        return [
            i
            for i, (x, y) in enumerate(zip(self.x, self.y, strict=True))
            if left <= x <= right and bottom <= y <= top
        ]


def _join(text: list[str], indices: list[int]) -> str:
    """A cell's characters, its lines kept apart by "\n": a jump in the text order
    (another cell's text came between) is a space. Whether a line break inside a cell is a
    space or falls inside a word ("총인\n원") is decided later, by ``linebreaks``; a
    table rendered without that reads it as a space."""
    parts: list[str] = []
    previous = -2
    for index in indices:
        if index != previous + 1:
            parts.append(" ")
        parts.append(text[index])
        previous = index
    lines = ("".join(parts).replace("\r", "\n")).split("\n")
    joined = "\n".join(" ".join(line.split()) for line in lines)
    return unicodedata.normalize("NFC", "\n".join(x for x in joined.split("\n") if x))


def _cell_texts(grid: _Grid, chars: Chars, indices: list[int]) -> list[str]:
    members: list[list[int]] = [[] for _ in grid.cells]
    for index in indices:
        cell = grid.cell_at(chars.x[index], chars.y[index])
        if cell >= 0:
            members[cell].append(index)
    return [_join(chars.text, m) for m in members]


# --- 5. judgement and the table's rows ----------------------------------------------------


def _table(grid: _Grid, texts: list[str]) -> PdfTable | None:
    """The grid as a table, or None when it does not look like one."""
    columns = len(grid.xs) - 1
    if sum(1 for t in texts if t) * 2 < len(texts):
        return None
    if not any(len(set(row)) >= 2 for row in grid.owner):
        return None  # one column, perhaps a stack of boxed paragraphs
    if not any(len({row[c] for row in grid.owner}) >= 2 for c in range(columns)):
        return None  # one row
    if len(set(grid.owner[0])) == 1:
        # one cell across the top is the table's title, not the columns' names
        header = ("",) * columns
        body = range(len(grid.owner))
    else:
        height = _header_height(grid)
        header = tuple(_header_name(grid, texts, height, c) for c in range(columns))
        body = range(height, len(grid.owner))
    rows = (tuple(_value(grid, texts, header, r, c) for c in range(columns)) for r in body)
    return PdfTable(header, tuple(row for row in rows if any(row)))


def _header_height(grid: _Grid) -> int:
    """Rows of a grouped header: a first-row cell spans rows while another spans columns."""
    first = [grid.cells[i] for i in set(grid.owner[0])]
    height = max(cell.bottom for cell in first) + 1
    grouped = any(cell.right > cell.left for cell in first)
    if not grouped or height > 3 or height >= len(grid.owner):
        return 1
    return height


def _header_name(grid: _Grid, texts: list[str], height: int, column: int) -> str:
    """A column's name: the header cells above it, top to bottom ("2023 상반기"). A cell
    across several columns names each of them only where cells below it split it."""
    names: list[str] = []
    for row in range(height):
        index = grid.owner[row][column]
        cell = grid.cells[index]
        split_below = cell.bottom < height - 1
        if (column == cell.left or split_below) and texts[index] not in names:
            names.append(texts[index])
    return " ".join(name for name in names if name)


def _value(grid: _Grid, texts: list[str], header: tuple[str, ...], row: int, column: int) -> str:
    """The text at an elementary cell. A merged cell's text repeats down every row it spans
    (a category beside each of its items); across columns only under distinct column names
    (a "17:00" under both 토요일 and 일요일), not under one name spanning them all, and a
    title across the whole width is kept once."""
    index = grid.owner[row][column]
    cell = grid.cells[index]
    if column == cell.left:
        return texts[index]
    whole_width = cell.left == 0 and cell.right == len(grid.xs) - 2
    name = header[column]
    return texts[index] if name and name != header[cell.left] and not whole_width else ""


# --- the page -----------------------------------------------------------------------------


def ruled_tables(grids: list[_Grid], chars: Chars) -> list[tuple[list[int], PdfTable]]:
    """The tables of a page's grids (``candidate_grids``), each with the indices of the
    characters it takes. Odd drawings yield fewer tables (or none), never a partial one."""
    taken: list[tuple[Box, list[int], PdfTable]] = []
    for grid in grids:
        box = grid.box
        if any(_overlaps(box, other) for other, _, _ in taken):
            continue  # a grid inside a table's cell is part of that cell's text
        indices = chars.inside(box)
        table = _table(grid, _cell_texts(grid, chars, indices))
        if table is not None:
            taken.append((box, indices, table))
    return [(indices, table) for _, indices, table in taken]


def upright(page: Any) -> bool:
    """Whether a page has no /Rotate: on a rotated one rows would run down the page, not
    worth the bookkeeping yet (``page`` is pypdfium2's ``PdfPage``)."""
    return bool(pdfium_raw.FPDFPage_GetRotation(page.raw) == 0)


def candidate_grids(page: Any) -> list[_Grid]:
    """The grids of ruled cells of an upright page, largest first."""
    return _candidate_grids(page.raw) if upright(page) else []


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def layout(
    characters: Sequence[str],
    tables: list[tuple[list[int], PdfTable]],
    heights: Sequence[float] | None = None,
) -> list[str | PdfTable]:
    """The page's text (its characters by index) around its tables, in reading order: each
    table takes the place of its first character, and the text outside tables keeps
    PDFium's line breaks. Given each character's height on the page (``heights``), a table
    also goes before the lines of text just ahead of it that lie wholly below it: a text
    layer may write every heading of a page before its tables ("□ 1기 …", "□ 2기 …", then
    both tables), and each table belongs after its own heading."""
    segments = _segments(characters, tables)
    if heights is not None:
        segments = _placed(segments, tables, heights)
    parts: list[str | PdfTable] = []
    text: list[str] = []
    for segment in segments:
        if isinstance(segment, int):
            if text:
                parts.append("".join(text))
                text = []
            parts.append(tables[segment][1])
        else:
            if text and text[-1] != "\n":
                text.append("\n")  # text resumed after a table's characters
            text.extend(characters[i] for i in segment)
    if text:
        parts.append("".join(text))
    return parts


#: a piece of a page: a table (its number) or a line of text (its characters' indices)
_Segment = int | list[int]


def _segments(
    characters: Sequence[str], tables: list[tuple[list[int], PdfTable]]
) -> list[_Segment]:
    """The page in text-layer order as tables and lines (each with its line break)."""
    owner = [-1] * len(characters)
    for number, (indices, _) in enumerate(tables):
        for index in indices:
            owner[index] = number
    segments: list[_Segment] = []
    line: list[int] = []
    shown: set[int] = set()
    for index, number in enumerate(owner):
        if number >= 0:
            if line:
                segments.append(line)
                line = []
            if number not in shown:
                segments.append(number)
                shown.add(number)
            continue
        line.append(index)
        if characters[index] == "\n":
            segments.append(line)
            line = []
    if line:
        segments.append(line)
    return segments


#: how far (points) below a table's lowest character a line must lie to be below it
_BELOW = 2.0


def _placed(
    segments: list[_Segment], tables: list[tuple[list[int], PdfTable]], heights: Sequence[float]
) -> list[_Segment]:
    """``segments`` with each table moved up before the run of lines just ahead of it (back
    to the previous table) that all lie below the table's lowest character."""
    placed: list[_Segment] = []
    for segment in segments:
        if not isinstance(segment, int) or not tables[segment][0]:
            placed.append(segment)
            continue
        bottom = min(heights[i] for i in tables[segment][0]) - _BELOW
        at = len(placed)
        while at > 0 and not isinstance(placed[at - 1], int):
            line = placed[at - 1]
            assert not isinstance(line, int)
            tops = [heights[i] for i in line if i < len(heights)]
            if not tops or max(tops) >= bottom:
                break
            at -= 1
        placed.insert(at, segment)
    return placed
