"""Excel workbooks (.xlsx, .xlsm): SpreadsheetML read with lxml through the zip and XML guards.

Each worksheet becomes a level-1 heading (its name) followed by its tables. A sheet is cut
into regions at blank rows; a region's leading single-cell rows become level-2 headings
(section titles such as "1. 프로젝트 식별 정보"), its first remaining row is the header when it
looks like one, and a headerless region directly below a table with the same columns
continues that table. Every table records its sheet, header row and the Excel row of each
body row, so a citation can point at ``재고!A12``.

Choices worth knowing:

* Hidden and very hidden sheets are kept (formulas on visible sheets often draw on them);
  their tables' captions say "(숨김 시트)".
* A merged range is copied across a header row, so each column keeps its name; in body
  rows only the top-left cell keeps the value, because repeating it would invent figures
  (a merged total would be counted once per column).
* Formulas contribute their cached value; numbers are shown as Excel would for the
  common formats (#,##0, 0.00, 0%, dates as ISO 8601) and in shortest form otherwise.
* Only cells present in the file are stored, so a dimension of A1:XFD1048576 costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from dalin.errors import CorruptDocument, EmptyDocument, LimitExceeded
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.xlsx_numbers import (
    GENERAL,
    NumberFormat,
    format_number,
)
from dalin.ingest.parsers.xlsx_package import (
    BY_TAG,
    NAMES,
    Names,
    SheetRef,
    attribute_index,
    cell_formats,
    read_book,
    rich_text,
    shared_strings,
    stream,
    unescape,
)
from dalin.ingest.safezip import open_zip, refuse_ole
from dalin.types import Document

MAX_CELLS = 5_000_000
#: rows x columns of one table once laid out; stray cells far apart must not make a huge grid
MAX_GRID_CELLS = 10_000_000
_MAX_ROW = 1_048_576
_MAX_COLUMN = 16_384
_TITLE_HEADING_CHARS = 80
_HEADER_CELL_CHARS = 64
_DIGITS = "0123456789"
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_HIDDEN_CAPTION = " (숨김 시트)"


# --- one worksheet, streamed ------------------------------------------------------------


@dataclass
class SheetRow:
    number: int
    cells: dict[int, str] = field(default_factory=dict)
    text_cells: int = 0
    #: column -> style index, kept only for mostly-text rows (the possible headers)
    styles: dict[int, str] | None = None


@dataclass
class _Budget:
    """Cells and characters kept so far across the workbook."""

    max_chars: int
    cells: int = 0
    chars: int = 0

    def spend(self, cells: int, chars: int) -> None:
        self.cells += cells
        self.chars += chars
        if self.cells > MAX_CELLS:
            raise LimitExceeded(
                f"the workbook holds more than {MAX_CELLS:,} cells; split it into smaller files"
            )
        if self.chars > self.max_chars:
            raise LimitExceeded(f"more than {self.max_chars:,} characters of cell text")


@dataclass
class _SheetReader:
    strings: list[str]
    formats: list[NumberFormat]
    date1904: bool
    budget: _Budget
    columns: dict[str, int] = field(default_factory=dict)
    by_style: dict[str, NumberFormat] = field(default_factory=dict)

    def read(self, data: bytes, what: str) -> tuple[list[SheetRow], list[tuple[int, int, int]]]:
        """Rows with their non-empty cells, in order; merged ranges as (row, first, last)."""
        rows: dict[int, SheetRow] = {}
        merges: list[tuple[int, int, int]] = []
        tags = tuple(t for n in NAMES.values() for t in (n.row, n.merge))
        number = 0
        for element in stream(data, what, tags):
            names = BY_TAG[element.tag]
            if element.tag == names.merge:
                merges.extend(self._merge(element.get("ref", "")))
                continue
            number = self._row_number(element.get("r"), number, what)
            row = rows.setdefault(number, SheetRow(number))
            self._cells(element, names, row, what)
        return [rows[n] for n in sorted(rows) if rows[n].cells], merges

    def _row_number(self, attribute: str | None, previous: int, what: str) -> int:
        number = attribute_index(attribute, previous + 1)
        if not 1 <= number <= _MAX_ROW:
            raise CorruptDocument(f"damaged XLSX: {what} has a row numbered {attribute}")
        return number

    def _new_column(self, ref: str, what: str) -> int:
        letters = ref.rstrip(_DIGITS)
        column = _column_number(letters)
        if not column:
            raise CorruptDocument(f"damaged XLSX: {what} has a cell at {ref!r}")
        self.columns[letters] = column
        return column

    def _merge(self, ref: str) -> list[tuple[int, int, int]]:
        corners = [_CELL_REF.fullmatch(part) for part in ref.split(":")]
        if len(corners) != 2 or corners[0] is None or corners[1] is None:
            return []  # a damaged merge only loses the header fill
        (c1, r1), (c2, _) = corners[0].groups(), corners[1].groups()
        first, last = _column_number(c1), _column_number(c2)
        return [(int(r1), first, last)] if 0 < first < last else []

    def _cells(self, row: etree._Element, names: Names, into: SheetRow, what: str) -> None:
        """Keep the non-empty cells of one row; the hot loop, so kept flat on purpose."""
        column = chars = 0
        cells, styles, columns = into.cells, into.styles or {}, self.columns
        before = len(cells)
        for cell in row.iterchildren(names.c):
            ref = cell.get("r")
            if ref:
                column = columns.get(ref.rstrip(_DIGITS)) or self._new_column(ref, what)
            else:
                column += 1
            kind = cell.get("t")
            raw = None
            for child in cell:
                if child.tag == names.v:
                    raw = child.text
                    break
            if kind is None or kind == "n":
                if not raw:
                    continue
                text, is_text = format_number(raw, self._format(cell), self.date1904), False
            elif kind == "s" and 0 <= (index := attribute_index(raw, -1)) < len(self.strings):
                text, is_text = self.strings[index], True
            else:
                text, is_text = self._value(cell, names, kind, raw, what)
            if not text or text.isspace():
                continue
            chars += len(text)
            cells[column] = text
            into.text_cells += is_text
            styles[column] = cell.get("s", "0")
        self.budget.spend(len(cells) - before, chars)
        mostly_text = 5 * into.text_cells >= 4 * len(cells)
        into.styles = styles if mostly_text and cells else None

    def _format(self, cell: etree._Element) -> NumberFormat:
        style = cell.get("s", "0")
        fmt = self.by_style.get(style)
        if fmt is None:
            index = attribute_index(style, 0)
            fmt = self.formats[index] if index < len(self.formats) else GENERAL
            self.by_style[style] = fmt
        return fmt

    def _value(
        self, cell: etree._Element, names: Names, kind: str, raw: str | None, what: str
    ) -> tuple[str, bool]:
        """(shown text, is a string) of the less common cells; "" when it holds nothing."""
        if kind == "inlineStr":
            inline = cell.find(names.inline)
            return ("", True) if inline is None else (rich_text(inline, names), True)
        if not raw:
            return "", False
        if kind == "s":
            raise CorruptDocument(f"damaged XLSX: {what} refers to a missing string ({raw})")
        if kind == "b":
            return ("TRUE" if raw.strip() in ("1", "true") else "FALSE"), False
        if kind == "d":
            return _iso_cell(raw), False
        return unescape(raw), kind == "str"  # str: a formula's text; e: #N/A, #DIV/0! ...


def _column_number(letters: str) -> int:
    """1 for A, 28 for AB; 0 when the letters are not an Excel column."""
    if not (letters.isascii() and letters.isalpha() and letters.isupper() and len(letters) <= 3):
        return 0
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return column if column <= _MAX_COLUMN else 0


def _iso_cell(raw: str) -> str:
    """A t="d" cell (ISO 8601 text) without a midnight time part."""
    try:
        moment = datetime.fromisoformat(raw.strip().removesuffix("Z"))
    except ValueError:
        return raw
    if moment.time() == datetime.min.time():
        return moment.date().isoformat()
    return moment.isoformat(sep=" ")


# --- layout: regions, section titles, headers -------------------------------------------

_MAX_TITLE_ROWS = 3
_HEADER_SEARCH_ROWS = 3


@dataclass
class _TableDraft:
    header: list[str]
    header_row: int
    rows: list[list[str]]
    row_numbers: list[int]
    first: int
    last: int


def _regions(rows: list[SheetRow]) -> Iterator[list[SheetRow]]:
    """Runs of consecutive rows; an absent or empty row ends a region."""
    region: list[SheetRow] = []
    for row in rows:
        if region and row.number > region[-1].number + 1:
            yield region
            region = []
        region.append(row)
    if region:
        yield region


def _single_text(row: SheetRow) -> str:
    """The text of a row holding exactly one cell, a string; else ""."""
    return next(iter(row.cells.values())) if len(row.cells) == 1 and row.text_cells else ""


def _title_rows(region: list[SheetRow]) -> int:
    """Leading rows holding one text cell above a wider row: section titles, not data."""
    count = 0
    while count < min(_MAX_TITLE_ROWS, len(region)) and _single_text(region[count]):
        count += 1
    return count if count < len(region) and len(region[count].cells) > 1 else 0


def _header_like(row: SheetRow, cells: list[str], below: SheetRow) -> bool:
    """Short text filling half the columns or more, set apart from the row below it.

    Set apart means the row below is not mostly text (names above figures), or most of
    the columns they share are styled differently (a bold or shaded header). Two rows of
    plain text in the same style are data: taking the first for a header would relabel
    every row with a data value.
    """
    filled = [c for c in cells if c]
    if row.styles is None or len(filled) < 2 or 2 * len(filled) < len(cells):
        return False
    if any(len(c) > _HEADER_CELL_CHARS for c in filled):
        return False
    if below.styles is None:
        return True
    shared = [column for column in row.styles if column in below.styles]
    differing = sum(row.styles[column] != below.styles[column] for column in shared)
    return 2 * differing > len(shared)


def _fill_merged(cells: list[str], first: int, merged: list[tuple[int, int]]) -> None:
    """Give every column under a merged header cell the merged cell's name."""
    for left, right in merged:
        if left < first or left - first >= len(cells) or not cells[left - first]:
            continue
        for column in range(left + 1, min(right, first + len(cells) - 1) + 1):
            cells[column - first] = cells[column - first] or cells[left - first]


def _draft(
    rows: list[SheetRow],
    first: int,
    last: int,
    header: list[str] | None = None,
    header_row: int = 0,
) -> _TableDraft:
    grid = [[r.cells.get(c, "") for c in range(first, last + 1)] for r in rows]
    return _TableDraft(header or [], header_row, grid, [r.number for r in rows], first, last)


def _find_header(
    body: list[SheetRow], first: int, last: int, merged: dict[int, list[tuple[int, int]]]
) -> tuple[int, list[str]] | None:
    """(index, cells) of the header: the first row, or below a row of figures (a total)."""
    if last == first:
        return None  # one column: a list or notes, no names to give
    for index in range(min(_HEADER_SEARCH_ROWS, len(body) - 1)):
        row = body[index]
        cells = [row.cells.get(c, "") for c in range(first, last + 1)]
        _fill_merged(cells, first, merged.get(row.number, []))
        if _header_like(row, cells, body[index + 1]):
            return index, cells
        if row.styles is not None:
            return None  # text above the header candidates is data, not a total
    return None


def _trailing_notes(rows: list[SheetRow]) -> int:
    """Long single-cell rows closing a table: footnotes, which no header describes."""
    count = 0
    while count < len(rows) - 1 and len(_single_text(rows[-1 - count])) > _TITLE_HEADING_CHARS:
        count += 1
    return count


def _layout(
    region: list[SheetRow],
    merged: dict[int, list[tuple[int, int]]],
    previous: _TableDraft | None,
    what: str,
) -> list[str | _TableDraft]:
    """Titles, tables and notes of one region; or its rows added to the table above."""
    titles = _title_rows(region)
    items: list[str | _TableDraft] = [_single_text(r) for r in region[:titles]]
    body = region[titles:]
    first = min(min(r.cells) for r in body)
    last = max(max(r.cells) for r in body)
    if len(body) * (last - first + 1) > MAX_GRID_CELLS:
        raise LimitExceeded(
            f"{what}: a table spans {last - first + 1:,} columns over {len(body):,} rows; "
            "delete stray cells far from the data and add the file again"
        )
    found = _find_header(body, first, last, merged)
    if found is None:
        same_columns = previous is not None and (previous.first, previous.last) == (first, last)
        if previous and previous.header and same_columns and not titles:
            # a headerless block right under a table with its columns: a blank row inside it
            continued = _draft(body, first, last)
            previous.rows.extend(continued.rows)
            previous.row_numbers.extend(continued.row_numbers)
        else:
            items.append(_draft(body, first, last))
        return items
    index, header = found
    if index:
        items.append(_draft(body[:index], first, last))  # a total or note above the header
    rows = body[index + 1 :]
    notes = _trailing_notes(rows)
    items.append(_draft(rows[: len(rows) - notes], first, last, header, body[index].number))
    items.extend(_single_text(r) for r in rows[len(rows) - notes :])
    return items


def emit_sheet(
    builder: DocumentBuilder,
    sheet: SheetRef,
    rows: list[SheetRow],
    merges: list[tuple[int, int, int]],
) -> None:
    if not rows:
        return  # an empty sheet adds nothing worth a heading
    merged: dict[int, list[tuple[int, int]]] = {}
    for row, first, last in merges:
        merged.setdefault(row, []).append((first, last))
    items: list[str | _TableDraft] = []
    for region in _regions(rows):
        previous = items[-1] if items and isinstance(items[-1], _TableDraft) else None
        items.extend(_layout(region, merged, previous, f"sheet {sheet.name!r}"))
    builder.heading(sheet.name, level=1)
    caption = sheet.name + (_HIDDEN_CAPTION if sheet.hidden else "")
    for item in items:
        if isinstance(item, _TableDraft):
            builder.table(
                item.header,
                item.rows,
                caption=caption,
                sheet=sheet.name,
                header_row=item.header_row,
                row_numbers=item.row_numbers,
                first_column=item.first,
                last_column=item.last,
            )
        elif len(item) <= _TITLE_HEADING_CHARS:
            builder.heading(item, level=2)
        else:
            builder.paragraph(item)


class XlsxParser:
    """Excel .xlsx/.xlsm: each sheet a heading and its tables, with sheet/row provenance."""

    suffixes: tuple[str, ...] = (".xlsx", ".xlsm")
    format: str = "xlsx"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        if not data:
            raise EmptyDocument("empty file (0 bytes)")
        refuse_ole(
            data,
            not_zip="not an XLSX (zip) file",
            legacy="an old Excel .xls; save it as .xlsx",
            password=(
                "password-protected XLSX: remove the password in Excel "
                "(File > Info > Protect Workbook > Encrypt with Password)"
            ),
        )
        archive = open_zip(data, limits, what="XLSX")
        book = read_book(archive)
        reader = _SheetReader(
            strings=shared_strings(archive, book.shared_strings, MAX_CELLS),
            formats=cell_formats(archive, book.styles),
            date1904=book.date1904,
            budget=_Budget(limits.max_text_chars),
        )
        builder = DocumentBuilder(name, format=self.format)
        for sheet in book.sheets:
            what = f"{sheet.part} (sheet {sheet.name!r})"
            rows, merges = reader.read(archive.read(sheet.part), what)
            emit_sheet(builder, sheet, rows, merges)
        if builder.char_count == 0:
            raise EmptyDocument("the workbook holds no cell values")
        if builder.char_count > limits.max_text_chars:
            raise LimitExceeded(f"more than {limits.max_text_chars:,} characters of text")
        return builder.build()
