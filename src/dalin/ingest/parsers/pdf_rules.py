"""Step 1 of :mod:`dalin.ingest.parsers.pdf_tables`: the rules (table lines) a PDF page draws,
from PDFium's page objects, in page space; and the PDFium bindings the table and column
readers share (pypdfium2's raw API, typed for ctypes).

Every path and image counts, with its own matrix and those of the form XObjects around it.
A shape at most ``_THIN`` across is one rule, stroked or filled: many generators draw table
lines as thin filled rectangles, Hangul its dashed lines as rows of tiny images. A larger
stroked path gives its straight axis-aligned segments, a larger filled one its thin
subpaths. A single large filled rectangle (row shading) and pale paint give nothing.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import pypdfium2.raw as pdfium_raw

# Distances in PDF points (1/72 inch).
_THIN = 3.0  # a shape no thicker than this is one rule
_MIN_RULE = 2.0  # shorter pieces are dots, not rules (dotted lines still join up)
_ALIGN = 0.5  # a segment whose ends differ this little across is horizontal or vertical
# Paint lighter than this (Rec. 601 luma, 0-255) is shading, not a rule: financial filings
# shade rows with thin strips of pale blue and white that would otherwise read as lines.
_LIGHTEST = 200.0
# A page drawing more objects or segments is a chart or a map; reading all of it would cost
# more than a table is worth there.
_MAX_OBJECTS = 5_000
_MAX_SEGMENTS = 20_000
_MAX_FORM_DEPTH = 8
_RECTANGLE_SEGMENTS = 5  # PDFium's segments for one "re": a move, three lines, a closing line
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

# a, b, c, d, e, f as in the PDF spec: x' = a·x + c·y + e, y' = b·x + d·y + f
_Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # left, bottom, right, top
_Point = tuple[float, float, int, bool]  # x, y, FPDF_SEGMENT_* type, closes the subpath


@dataclass(frozen=True)
class Rule:
    """A horizontal (``pos`` = y) or vertical (``pos`` = x) line from ``start`` to ``end``."""

    pos: float
    start: float
    end: float


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
CHAR_UNICODE = pdfium_function(pdfium_raw.FPDFText_GetUnicode, ctypes.c_uint, _VOID_P, _INT)
_DOUBLE_P = ctypes.POINTER(ctypes.c_double)
CHAR_BOX = pdfium_function(
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
        self.horizontal: list[Rule] = []
        self.vertical: list[Rule] = []
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

    def _add_thin(self, box: Box) -> bool:
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

    def _bounds(self, obj: Any, to_page: _Matrix) -> Box | None:
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
    def _add(rules: list[Rule], pos: float, start: float, end: float) -> None:
        # garbage matrices can make infinities or NaN; no table is drawn there
        if math.isfinite(pos) and math.isfinite(start) and math.isfinite(end):
            rules.append(Rule(pos, start, end))


def page_rules(page: Any) -> tuple[list[Rule], list[Rule]] | None:
    """The page's horizontal and vertical rules; None when it draws too much to look."""
    collector = _RuleCollector()
    for number, (obj, kind, to_page) in enumerate(_drawn_objects(page, False, _IDENTITY, 0)):
        if number >= _MAX_OBJECTS or not collector.add_object(obj, kind, to_page):
            return None
    return collector.horizontal, collector.vertical
