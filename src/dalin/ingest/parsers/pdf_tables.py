"""Ruled tables on a PDF page, found from the lines PDFium draws and read from its text layer.

Per page, with pypdfium2 alone (the parse budget, ≥ 20 pages/s for a whole ingest on two
cores, rules out pdfplumber and camelot):

1. Rules. Every path and image, in page space (its own matrix and those of the form XObjects
   around it). A shape at most ``_THIN`` across is one rule, stroked or filled: many
   generators draw table lines as thin filled rectangles, Hangul its dashed lines as rows of
   tiny images. A larger stroked path gives its straight axis-aligned segments, a larger
   filled one its thin subpaths. A single large filled rectangle (row shading) and pale paint
   give nothing: they would turn shaded but unruled tables into grids.
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
import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import pypdfium2.raw as pdfium_raw

# Distances in PDF points (1/72 inch).
_THIN = 3.0  # a shape no thicker than this is one rule
_MIN_RULE = 2.0  # shorter pieces are dots, not rules (dotted lines still join up)
_ALIGN = 0.5  # a segment whose ends differ this little across is horizontal or vertical
_SAME_LINE = 1.0  # pieces this close across lie on one line
_GAP = 3.0  # pieces of a line this far apart still join, and lines this near still meet
_SNAP = 3.0  # grid positions this close are one (a double border is one boundary)
# Paint lighter than this (Rec. 601 luma, 0-255) is shading, not a rule: financial filings
# shade rows with thin strips of pale blue and white that would otherwise read as lines.
_LIGHTEST = 200.0
# A page drawing more objects or segments is a chart or a map; reading all of it would cost
# more than a table is worth there.
_MAX_OBJECTS = 5_000
_MAX_SEGMENTS = 20_000
_MAX_FORM_DEPTH = 8
_MAX_CELLS = 5_000  # a finer grid is graph paper or a chart, not a table
_RECTANGLE_SEGMENTS = 5  # PDFium's segments for one "re": a move, three lines, a closing line
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

# a, b, c, d, e, f as in the PDF spec: x' = a·x + c·y + e, y' = b·x + d·y + f
_Matrix = tuple[float, float, float, float, float, float]
_Box = tuple[float, float, float, float]  # left, bottom, right, top
_Point = tuple[float, float, int, bool]  # x, y, FPDF_SEGMENT_* type, closes the subpath


@dataclass(frozen=True)
class PdfTable:
    """A ruled table found on a page: the header row and the body rows, all the same width."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _Rule:
    """A horizontal (``pos`` = y) or vertical (``pos`` = x) line from ``start`` to ``end``."""

    pos: float
    start: float
    end: float


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
    def box(self) -> _Box:
        return self.xs[0], self.ys[-1], self.xs[-1], self.ys[0]

    def cell_at(self, x: float, y: float) -> int:
        """The cell holding the point, or -1 when it lies outside the grid."""
        column = bisect_right(self.xs, x) - 1
        row = bisect_left(self.downs, -y) - 1
        if 0 <= column < len(self.xs) - 1 and 0 <= row < len(self.ys) - 1:
            return self.owner[row][column]
        return -1


# --- 1. rules from the page's drawn objects ------------------------------------------------


def _compose(first: _Matrix, then: _Matrix) -> _Matrix:
    """The matrix applying ``first``, then ``then`` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _matrix(obj: Any) -> _Matrix | None:
    raw = pdfium_raw.FS_MATRIX()
    if not pdfium_raw.FPDFPageObj_GetMatrix(obj, raw):
        return None
    return (raw.a, raw.b, raw.c, raw.d, raw.e, raw.f)


def pdfium_function(function: Any, restype: Any, *argtypes: Any) -> Any:
    """One of pypdfium2's PDFium functions, taking and returning plain addresses and ints.

    A financial filing's page holds thousands of glyph objects, a table page thousands of
    characters; asking PDFium about each through pypdfium2's typed handles cost more than
    the rest of table detection together. Plain types, and keeping the GIL (``PYFUNCTYPE``)
    around calls that take nanoseconds, save about a third.
    """
    address = ctypes.cast(function, ctypes.c_void_p).value
    if not address:
        raise ImportError(f"PDFium lacks {function.__name__}")
    return ctypes.PYFUNCTYPE(restype, *argtypes)(address)


_VOID_P, _INT = ctypes.c_void_p, ctypes.c_int
_OBJECT_TYPE = pdfium_function(pdfium_raw.FPDFPageObj_GetType, _INT, _VOID_P)
# how to list a page's or a form's objects: count, typed get, plain get
_CHILDREN = {
    False: (
        pdfium_raw.FPDFPage_CountObjects,
        pdfium_raw.FPDFPage_GetObject,
        pdfium_function(pdfium_raw.FPDFPage_GetObject, _VOID_P, _VOID_P, _INT),
    ),
    True: (
        pdfium_raw.FPDFFormObj_CountObjects,
        pdfium_raw.FPDFFormObj_GetObject,
        pdfium_function(pdfium_raw.FPDFFormObj_GetObject, _VOID_P, _VOID_P, ctypes.c_ulong),
    ),
}
_UNICODE = pdfium_function(pdfium_raw.FPDFText_GetUnicode, ctypes.c_uint, _VOID_P, _INT)
_DOUBLE_P = ctypes.POINTER(ctypes.c_double)
_CHAR_BOX = pdfium_function(
    pdfium_raw.FPDFText_GetCharBox, _INT, _VOID_P, _INT, _DOUBLE_P, _DOUBLE_P, _DOUBLE_P, _DOUBLE_P
)
_PATH = pdfium_raw.FPDF_PAGEOBJ_PATH
_IMAGE = pdfium_raw.FPDF_PAGEOBJ_IMAGE
_FORM = pdfium_raw.FPDF_PAGEOBJ_FORM
_DRAWN_TYPES = re.compile(b"[" + bytes((_PATH, _IMAGE, _FORM)) + b"]")


def _drawn_objects(
    parent: Any, in_form: bool, to_page: _Matrix, depth: int
) -> Iterator[tuple[Any, int, _Matrix]]:
    """Every path and image under ``parent``: the object, its type and the matrix from its
    parent's space to the page. Forms are entered, not returned."""
    count, get, plain_get = _CHILDREN[in_form]
    address = ctypes.cast(parent, ctypes.c_void_p).value
    # the types as bytes, searched in C: most objects are glyphs, not worth a Python step
    kinds = bytes(map(_OBJECT_TYPE, map(plain_get, repeat(address), range(max(count(parent), 0)))))
    for found in _DRAWN_TYPES.finditer(kinds):
        index = found.start()
        obj = get(parent, index)
        if kinds[index] != _FORM:
            yield obj, kinds[index], to_page
        elif depth < _MAX_FORM_DEPTH and (matrix := _matrix(obj)) is not None:
            yield from _drawn_objects(obj, True, _compose(matrix, to_page), depth + 1)


class _RuleCollector:
    """Gathers the horizontal and vertical rules of one page."""

    def __init__(self) -> None:
        self.horizontal: list[_Rule] = []
        self.vertical: list[_Rule] = []
        self.segments = 0
        self._floats = [ctypes.c_float() for _ in range(4)]
        self._color = [ctypes.c_uint() for _ in range(4)]
        self._fill = ctypes.c_int()
        self._stroke = ctypes.c_int()

    def add_object(self, obj: Any, kind: int, to_page: _Matrix) -> bool:
        """Add the rules a path or an image draws; False when the page has too many segments.

        Images count because some generators (Hangul among them) draw dashed table lines as
        rows of tiny images.
        """
        stroked = filled = False
        if kind == _PATH:
            if not pdfium_raw.FPDFPath_GetDrawMode(obj, self._fill, self._stroke):
                return True
            stroked = bool(self._stroke.value)
            filled = self._fill.value != pdfium_raw.FPDF_FILLMODE_NONE
            if not (stroked or filled) or not self._dark_enough(obj, stroked):
                return True
        box = self._bounds(obj, to_page)
        if box is None or self._add_thin(box) or not (stroked or filled):
            return True
        count = pdfium_raw.FPDFPath_CountSegments(obj)
        # one filled rectangle this large is shading; several may be a table's rules
        if not stroked and count <= _RECTANGLE_SEGMENTS:
            return True
        self.segments += max(count, 0)
        if self.segments > _MAX_SEGMENTS:
            return False
        if (matrix := _matrix(obj)) is not None:
            points = self._points(obj, _compose(matrix, to_page), count)
            if stroked:
                self._add_edges(points)
            else:
                self._add_filled_pieces(points)
        return True

    def _add_thin(self, box: _Box) -> bool:
        """Add a shape no thicker than ``_THIN`` as one rule; False when it is thicker."""
        left, bottom, right, top = box
        width, height = right - left, top - bottom
        if height <= _THIN and width >= max(_MIN_RULE, height):
            self._add(self.horizontal, (bottom + top) / 2, left, right)
        elif width <= _THIN and height >= max(_MIN_RULE, width):
            self._add(self.vertical, (left + right) / 2, bottom, top)
        else:
            return width <= _THIN and height <= _THIN  # a dot: no rule, and no segments
        return True

    def _dark_enough(self, obj: Any, stroked: bool) -> bool:
        """Whether the paint that draws the shape's outline shows as a line."""
        if stroked:
            get_color = pdfium_raw.FPDFPageObj_GetStrokeColor
        else:
            get_color = pdfium_raw.FPDFPageObj_GetFillColor
        red, green, blue, alpha = self._color
        if not get_color(obj, red, green, blue, alpha):
            return True  # a colour PDFium cannot tell (a pattern, say): assume it shows
        luma = 0.299 * red.value + 0.587 * green.value + 0.114 * blue.value
        return alpha.value > 0 and luma <= _LIGHTEST

    def _bounds(self, obj: Any, to_page: _Matrix) -> _Box | None:
        """The object's box on the page (a form child's bounds are in its form's space)."""
        left, bottom, right, top = self._floats
        if not pdfium_raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            return None
        if to_page == _IDENTITY:
            return left.value, bottom.value, right.value, top.value
        corners = [
            _apply(to_page, x, y)
            for x in (left.value, right.value)
            for y in (bottom.value, top.value)
        ]
        xs = [x for x, _ in corners]
        ys = [y for _, y in corners]
        return min(xs), min(ys), max(xs), max(ys)

    def _points(self, obj: Any, matrix: _Matrix, count: int) -> Iterator[_Point]:
        """A path's points on the page, each with its segment's type and close flag."""
        x, y = self._floats[0], self._floats[1]
        for index in range(max(count, 0)):
            segment = pdfium_raw.FPDFPath_GetPathSegment(obj, index)
            if not segment or not pdfium_raw.FPDFPathSegment_GetPoint(segment, x, y):
                return
            page_x, page_y = _apply(matrix, x.value, y.value)
            kind = pdfium_raw.FPDFPathSegment_GetType(segment)
            yield page_x, page_y, kind, bool(pdfium_raw.FPDFPathSegment_GetClose(segment))

    def _add_edges(self, points: Iterator[_Point]) -> None:
        """Add the straight edges of a stroked path (a grid drawn as one path, a cell box)."""
        start = current = None
        for x, y, kind, close in points:
            if kind == pdfium_raw.FPDF_SEGMENT_MOVETO:
                start = (x, y)
            elif kind == pdfium_raw.FPDF_SEGMENT_LINETO and current is not None:
                self._add_line(current, (x, y))
            current = (x, y)
            if close and start is not None:
                self._add_line(current, start)
                current = start

    def _add_filled_pieces(self, points: Iterator[_Point]) -> None:
        """Add the thin pieces of a filled path: some generators fill all of a table's rules
        as one path of thin rectangles."""
        xs: list[float] = []
        ys: list[float] = []
        for x, y, kind, _ in points:
            if kind == pdfium_raw.FPDF_SEGMENT_MOVETO and xs:
                self._add_thin((min(xs), min(ys), max(xs), max(ys)))
                xs, ys = [], []
            xs.append(x)
            ys.append(y)
        if xs:
            self._add_thin((min(xs), min(ys), max(xs), max(ys)))

    def _add_line(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        (ax, ay), (bx, by) = a, b
        if abs(ay - by) <= _ALIGN and abs(ax - bx) >= _MIN_RULE:
            self._add(self.horizontal, (ay + by) / 2, min(ax, bx), max(ax, bx))
        elif abs(ax - bx) <= _ALIGN and abs(ay - by) >= _MIN_RULE:
            self._add(self.vertical, (ax + bx) / 2, min(ay, by), max(ay, by))

    @staticmethod
    def _add(rules: list[_Rule], pos: float, start: float, end: float) -> None:
        # garbage matrices can make infinities or NaN; no table is drawn there
        if math.isfinite(pos) and math.isfinite(start) and math.isfinite(end):
            rules.append(_Rule(pos, start, end))


def _page_rules(page: Any) -> tuple[list[_Rule], list[_Rule]] | None:
    """The page's horizontal and vertical rules; None when it draws too much to look."""
    collector = _RuleCollector()
    for number, (obj, kind, to_page) in enumerate(_drawn_objects(page, False, _IDENTITY, 0)):
        if number >= _MAX_OBJECTS or not collector.add_object(obj, kind, to_page):
            return None
    return collector.horizontal, collector.vertical


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


def _merge(rules: list[_Rule]) -> list[_Rule]:
    """Pieces of one line (within ``_SAME_LINE`` across, ``_GAP`` along) as whole lines."""
    merged: list[_Rule] = []
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
                merged.append(_Rule(pos, start, end))
                start = piece.start
            end = max(end, piece.end)
        merged.append(_Rule(pos, start, end))
        first = last + 1
    return merged


def _groups(
    horizontal: list[_Rule], vertical: list[_Rule]
) -> list[tuple[list[_Rule], list[_Rule]]]:
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
    members: dict[int, tuple[list[_Rule], list[_Rule]]] = {}
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


def _on_edges(rules: list[_Rule], edges: list[float]) -> list[list[_Rule]]:
    """The rules lying on each of the grid positions ``edges`` (ascending)."""
    on: list[list[_Rule]] = [[] for _ in edges]
    for rule in rules:
        for i in range(bisect_left(edges, rule.pos - _SNAP), bisect_right(edges, rule.pos + _SNAP)):
            on[i].append(rule)
    return on


def _covers(rules: list[_Rule], across: float) -> bool:
    return any(r.start <= across <= r.end for r in rules)


def _grid(horizontal: list[_Rule], vertical: list[_Rule]) -> _Grid | None:
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
    rules = _page_rules(page)
    if rules is None:
        return []
    grids = [
        grid
        for horizontal, vertical in _groups(_merge(rules[0]), _merge(rules[1]))
        if (grid := _grid(horizontal, vertical)) is not None
    ]
    return sorted(grids, key=lambda g: -_area(g.box))


def _area(box: _Box) -> float:
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
        codes = map(_UNICODE, repeat(address), range(count))
        self.text = [_character(code) for code in codes]
        self.x: list[float] = []
        self.y: list[float] = []
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        x = y = 0.0
        for index in range(count):
            if _CHAR_BOX(address, index, left, right, bottom, top) and (
                right.value > left.value or top.value > bottom.value
            ):
                x, y = (left.value + right.value) / 2, (bottom.value + top.value) / 2
            # else: a break PDFium inserted has an empty box; it goes with the previous char
            self.x.append(x)
            self.y.append(y)

    def inside(self, box: _Box) -> list[int]:
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
    taken: list[tuple[_Box, list[int], PdfTable]] = []
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


def _overlaps(a: _Box, b: _Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def layout(
    characters: Sequence[str], tables: list[tuple[list[int], PdfTable]]
) -> list[str | PdfTable]:
    """The page's text (its characters by index) around its tables, in text-layer order:
    each table takes the place of its first character, and the text outside tables keeps
    PDFium's line breaks."""
    owner = [-1] * len(characters)
    for number, (indices, _) in enumerate(tables):
        for index in indices:
            owner[index] = number
    parts: list[str | PdfTable] = []
    text: list[str] = []
    shown: set[int] = set()
    previous = -1
    for index, number in enumerate(owner):
        if number < 0:
            if previous >= 0 and text:
                text.append("\n")  # text resumed after a table's characters
            text.append(characters[index])
        elif number not in shown:
            if text:
                parts.append("".join(text))
                text = []
            parts.append(tables[number][1])
            shown.add(number)
        previous = number
    if text:
        parts.append("".join(text))
    return parts
