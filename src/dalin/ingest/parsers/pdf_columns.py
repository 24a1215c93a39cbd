"""Tables a PDF lays out with whitespace alone: invoices, price lists, financial statements.

No rule is drawn, so the columns are read from where the words sit (after ``pdf_tables``
took the ruled tables):

1. Rows. Characters are grouped into visual rows by their vertical centre, whatever
   their order in the text layer (a two-line column name, "June 25,\\n2022", is written
   column by column), and each row is cut into segments where the gap between two
   characters is wider than ``_GAP`` times the line height — far wider than a space.
2. Blocks. Consecutive rows, close together, of two segments or more; a short row of
   one segment may sit between them (a group label such as "Supplies", a total).
3. Columns. The x-ranges covered by the segments of the block's data rows (rows with a
   number), merged where they overlap; a column of currency signs alone joins the numbers
   to its right.
4. Header. The rows of two segments or more above the first data row, top to bottom; a
   segment over several columns names each of them ("Three Months Ended" over two dates).
5. Judgement, to stay conservative: three data rows or more, two columns or more, one
   column mostly numbers, and no column of running text.

What a block gives up: a label wrapped onto two rows reads as two rows.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import pypdfium2.raw as pdfium_raw

from dalin.ingest.parsers.pdf_rules import pdfium_function
from dalin.ingest.parsers.pdf_tables import PdfTable

_GAP = 0.6  # a gap wider than this many line heights separates two columns
_ROW_DRIFT = 0.4  # characters whose centres differ less than this many heights share a row
_ROW_SPACING = 3.0  # rows further apart than this many heights end a block
_MIN_DATA_ROWS = 3
_MAX_HEADER_ROWS = 3
_MAX_LOOSE_ROWS = 2  # one-segment rows in a row inside a block
_MAX_LOOSE_CHARS = 80
_NUMERIC_SHARE = 0.6
_PROSE_CHARS = 50  # a column whose cells run this long (median) is running text
_CURRENCY = frozenset("$€₩￦¥£")
_NUMBER = re.compile(
    r"^[(\-–−]?[$€₩￦¥£]?\s*(?:\d[\d,]*(?:\.\d+)?|\.\d+)\s*"
    r"(?:%|원|천원|백만원|억원|명|개|건|대|회|일|개월|년|배|점)?\)?$|^[-–—]$"
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# a line with two numbers apart ("2 Turbo Flyer 5 40.00 200.00", "서울 40 10 30") or
# ending in one after a word ("Rent 1,000")
_NUMBERS_LINE = re.compile(r"\d[\d,.]*%?\s+\S*?\s*[(\-$€₩]?\d|\S\s+[(\-$€₩]?\d[\d,.]*%?\)?$")
_MIN_NUMBER_LINES = 3
_WORD = re.compile(r"[^\s\x00]+")

_RECT = pdfium_raw.FS_RECTF
_LOOSE_BOX = pdfium_function(
    pdfium_raw.FPDFText_GetLooseCharBox,
    ctypes.c_int,
    ctypes.c_void_p,
    ctypes.c_int,
    ctypes.c_void_p,
)


def might_hold_aligned_table(text: str) -> bool:
    """A cheap look at a page's text: enough lines with numbers apart to be worth placing
    every character (most pages of prose are not)."""
    lines = 0
    for line in text.splitlines():
        if _NUMBERS_LINE.search(line):
            lines += 1
            if lines >= _MIN_NUMBER_LINES:
                return True
    return False


class _Glyph(NamedTuple):
    """A word: its first and last characters' indices and where it sits."""

    start: int
    end: int
    left: float
    right: float
    middle: float  # vertical centre
    height: float


@dataclass(frozen=True)
class _Segment:
    left: float
    right: float
    words: tuple[_Glyph, ...]  # in text order
    text: str


@dataclass(frozen=True)
class _Row:
    middle: float
    height: float
    segments: tuple[_Segment, ...]

    @property
    def indices(self) -> list[int]:
        return [i for s in self.segments for w in s.words for i in range(w.start, w.end + 1)]


def _words(textpage: Any, text: Sequence[str], skip: set[int]) -> list[_Glyph]:
    """Every word of the text layer outside ``skip`` (a run of characters between spaces and
    line breaks), placed by the loose boxes of its first and last characters: the font's
    full line height, so a comma and a capital share a row. Two boxes a word, not one a
    character: a financial statement's page holds thousands of characters. A "word" whose
    ends sit on different lines (glyphs written out of order, with no break between them)
    is placed character by character."""
    address = ctypes.cast(textpage, ctypes.c_void_p).value
    joined = text if isinstance(text, str) else "".join(c or "\x00" for c in text)
    words: list[_Glyph] = []
    for match in _WORD.finditer(joined):
        for start, end in _outside(match.start(), match.end(), skip):
            word = _box(address, start, end - 1)
            if word is None or word.end == word.start or word.right >= word.left:
                words.extend([word] if word is not None else [])
            else:
                words.extend(g for i in range(start, end) if (g := _box(address, i, i)))
    return words


def _outside(start: int, end: int, skip: set[int]) -> list[tuple[int, int]]:
    """The runs of ``start..end`` (exclusive) outside ``skip``."""
    if not skip or not any(i in skip for i in range(start, end)):
        return [(start, end)]
    runs: list[tuple[int, int]] = []
    begin = -1
    for index in range(start, end + 1):
        inside = index < end and index not in skip
        if inside and begin < 0:
            begin = index
        elif not inside and begin >= 0:
            runs.append((begin, index))
            begin = -1
    return runs


def _box(address: int | None, start: int, end: int) -> _Glyph | None:
    """Characters ``start..end`` placed as one word; its ``right`` is below its ``left``
    when the two ends are not on one line."""
    first, last = _RECT(), _RECT()
    if not _LOOSE_BOX(address, start, ctypes.addressof(first)):
        return None
    if not _LOOSE_BOX(address, end, ctypes.addressof(last)):
        return None
    height = first.top - first.bottom
    if height <= 0:
        return None
    middle = (first.top + first.bottom) / 2
    same_line = abs((last.top + last.bottom) / 2 - middle) <= _ROW_DRIFT * height
    right = last.right if same_line and last.right >= first.left else first.left - 1
    return _Glyph(start, end, first.left, right, middle, height)


def _rows(found: list[_Glyph], text: Sequence[str]) -> list[_Row]:
    """Visual rows, top to bottom, each cut into segments at wide gaps."""
    rows: list[list[_Glyph]] = []
    for glyph in sorted(found, key=lambda g: -g.middle):
        if rows and abs(rows[-1][0].middle - glyph.middle) <= _ROW_DRIFT * glyph.height:
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
    return [_row(row, text) for row in rows]


def _row(members: list[_Glyph], text: Sequence[str]) -> _Row:
    members.sort(key=lambda g: (g.left, g.start))
    height = statistics.median(g.height for g in members)
    segments: list[_Segment] = []
    current = [members[0]]
    right = members[0].right
    for glyph in members[1:]:
        if glyph.left - right > _GAP * height:
            segments.append(_segment(current, text))
            current = []
        current.append(glyph)
        right = max(right, glyph.right)
    segments.append(_segment(current, text))
    return _Row(statistics.median(g.middle for g in members), height, tuple(segments))


def _segment(members: list[_Glyph], text: Sequence[str]) -> _Segment:
    ordered = tuple(sorted(members, key=lambda g: g.start))
    words = " ".join("".join(text[g.start : g.end + 1]) for g in ordered)
    return _Segment(members[0].left, max(g.right for g in members), ordered, words)


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell)) and not _YEAR.match(cell)


def _is_data(row: _Row) -> bool:
    return len(row.segments) >= 2 and any(_is_number(s.text) for s in row.segments)


def _blocks(rows: list[_Row]) -> list[list[_Row]]:
    """Runs of close rows with two segments or more (and short loose rows between), each
    with the one-segment row just above it, which may be a title over its columns."""
    blocks: list[list[_Row]] = []
    current: list[_Row] = []
    loose = 0
    above: _Row | None = None
    for row in rows:
        close = bool(current) and _close(current[-1], row)
        fits = len(row.segments) >= 2 or (
            len(row.segments[0].text) <= _MAX_LOOSE_CHARS and loose < _MAX_LOOSE_ROWS
        )
        if current and not (close and fits):
            blocks.append(current)
            current, loose = [], 0
        if current or len(row.segments) >= 2:
            if not current and above is not None and _close(above, row):
                current.append(above)
            current.append(row)
            loose = loose + 1 if len(row.segments) < 2 else 0
        above = row if len(row.segments) == 1 else None
    if current:
        blocks.append(current)
    return [section for b in blocks for section in _sections(b)]


def _close(upper: _Row, lower: _Row) -> bool:
    return upper.middle - lower.middle <= _ROW_SPACING * lower.height


def _group_title(row: _Row, names: _Row) -> bool:
    """Whether a one-segment row is a title over several column names ("Three Months
    Ended" above "2023 | 2022"), not a section title above a table."""
    (title,) = row.segments if len(row.segments) == 1 else (None,)
    if title is None or _is_number(title.text):
        return False
    return sum(1 for s in names.segments if _overlap(title, (s.left, s.right)) > 0) >= 2


def _sections(block: list[_Row]) -> list[list[_Row]]:
    """A block cut before each title that heads a new table: a one-segment row, then a
    row of column names, then data ("Estimate Totals" / "Hours Rate Cost" / "Parts …"
    under a form's rows of name/value pairs)."""
    cuts = [
        j
        for j in range(1, len(block) - 2)
        if len(block[j].segments) == 1
        and len(block[j + 1].segments) >= 2
        and not _is_data(block[j + 1])
        and _is_data(block[j + 2])
    ]
    pieces = [block[a:b] for a, b in zip([0, *cuts], [*cuts, len(block)], strict=True)]
    return [_trim(p) for p in pieces]


def _trim(block: list[_Row]) -> list[_Row]:
    """A block ends on its last row with two segments or a number."""
    end = len(block)
    while (
        end and len(block[end - 1].segments) < 2 and not _is_number(block[end - 1].segments[0].text)
    ):
        end -= 1
    return block[:end]


def _columns(data: list[_Row]) -> list[tuple[float, float]]:
    """The x-ranges the data rows' segments cover, overlapping ranges merged."""
    spans = sorted((s.left, s.right) for row in data for s in row.segments)
    merged: list[list[float]] = []
    for left, right in spans:
        if merged and left <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], right)
        else:
            merged.append([left, right])
    return [(left, right) for left, right in merged]


def _overlap(segment: _Segment, column: tuple[float, float]) -> float:
    return min(segment.right, column[1]) - max(segment.left, column[0])


def _place(row: _Row, columns: list[tuple[float, float]]) -> list[str]:
    """A body row's cells: each segment in the column it overlaps most (the nearest when
    none); a lone label ("Net sales:", "ASSETS:") in the first column."""
    cells: list[list[str]] = [[] for _ in columns]
    if len(row.segments) == 1 and not _is_number(row.segments[0].text):
        return [row.segments[0].text] + [""] * (len(columns) - 1)
    for segment in row.segments:
        overlaps = [_overlap(segment, c) for c in columns]
        cells[max(range(len(columns)), key=lambda i: overlaps[i])].append(segment.text)
    return [" ".join(c) for c in cells]


def _header(rows: list[_Row], columns: list[tuple[float, float]]) -> list[str]:
    """Column names from the header rows, top to bottom. The last row names columns one
    to one; in a row above it, a segment names every column from the first it overlaps
    to the next segment's ("Three Months Ended" over two dates)."""
    names: list[list[str]] = [[] for _ in columns]
    for number, row in enumerate(rows):
        last = number == len(rows) - 1
        starts = [_first_column(s, columns, widest=last) for s in row.segments]
        ends = [s + 1 for s in starts] if last else [*starts[1:], len(columns)]
        for segment, start, end in zip(row.segments, starts, ends, strict=True):
            for c in range(start, max(end, start + 1)):
                names[c].append(segment.text)
    return [" ".join(n) for n in names]


def _first_column(segment: _Segment, columns: list[tuple[float, float]], *, widest: bool) -> int:
    """The column a segment overlaps most (``widest``) or the first it overlaps at all;
    the nearest when it overlaps none."""
    overlaps = [_overlap(segment, c) for c in columns]
    if not widest and (touched := [i for i, o in enumerate(overlaps) if o > 0]):
        return touched[0]
    return max(range(len(columns)), key=lambda i: overlaps[i])


def _table(block: list[_Row]) -> tuple[PdfTable | None, int]:
    """The block's table, and the index of its first row (rows above it are not part of
    it: they may make a table of their own)."""
    data_rows = [i for i, row in enumerate(block) if _is_data(row)]
    if not data_rows:
        return None, 0
    first = data_rows[0]
    # the header: consecutive rows of two segments or more above the data (one-segment
    # rows just above it, "Net sales:", label the rows below them)
    body_top = first
    while body_top > 0 and len(block[body_top - 1].segments) < 2:
        body_top -= 1
    top = body_top
    while top > 0 and body_top - top < _MAX_HEADER_ROWS and len(block[top - 1].segments) >= 2:
        top -= 1
    if 0 < top < body_top and _group_title(block[top - 1], block[top]):
        top -= 1
    if len(data_rows) < _MIN_DATA_ROWS:
        return None, top
    columns = _columns([block[i] for i in data_rows])
    if len(columns) < 2:
        return None, top
    header = _header(block[top:body_top], columns)
    body = [_place(row, columns) for row in block[body_top:]]
    header, body = _merge_currency(header, body)
    if not _judged_a_table(body):
        return None, top
    return PdfTable(tuple(header), tuple(tuple(row) for row in body if any(row))), top


def _merge_currency(header: list[str], body: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """A column of currency signs alone ("$" left-aligned, its numbers right-aligned)
    joins the column to its right."""
    keep = [
        c
        for c in range(len(header))
        if not (
            c + 1 < len(header)
            and all(row[c] in _CURRENCY or not row[c] for row in body)
            and any(row[c] for row in body)
        )
    ]
    if len(keep) == len(header):
        return header, body
    for row in body:
        for c in range(len(header) - 1):
            if c not in keep and row[c]:
                row[c + 1] = f"{row[c]} {row[c + 1]}".strip()
    return [header[c] for c in keep], [[row[c] for c in keep] for row in body]


def _judged_a_table(body: list[list[str]]) -> bool:
    width = len(body[0])
    numeric = False
    for c in range(width):
        cells = [row[c] for row in body if row[c]]
        if not cells:
            continue
        if statistics.median(len(x) for x in cells) > _PROSE_CHARS:
            return False
        numbers = sum(_is_number(x) for x in cells)
        numeric = numeric or (numbers >= _MIN_DATA_ROWS and numbers >= _NUMERIC_SHARE * len(cells))
    return numeric


def aligned_tables(
    textpage: Any, text: Sequence[str], skip: set[int]
) -> list[tuple[list[int], PdfTable]]:
    """The page's whitespace-aligned tables, each with the characters it takes.

    ``textpage`` is PDFium's text page handle, ``text`` its characters by index, ``skip``
    the characters already in ruled tables.
    """
    found = _words(textpage, text, skip)
    if not found:
        return []
    tables: list[tuple[list[int], PdfTable]] = []
    blocks = _blocks(_rows(found, text))
    while blocks:
        block = blocks.pop()
        table, top = _table(block)
        if table is not None:
            rows = block[top:]
            tables.append((sorted(i for row in rows for i in row.indices), table))
        if top > 0:
            blocks.append(_trim(block[:top]))
    return tables
