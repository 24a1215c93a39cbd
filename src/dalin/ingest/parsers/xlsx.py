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

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from dalin.errors import CorruptDocument, EmptyDocument, LimitExceeded
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.xlsx_numbers import (
    BUILTIN_FORMATS,
    GENERAL,
    NumberFormat,
    classify,
    format_number,
)
from dalin.ingest.safexml import _LIMIT_MESSAGES, _declares_entities, _refuse_entities, parse_xml
from dalin.ingest.safezip import SafeZip, open_zip, refuse_ole
from dalin.types import Document

MAX_CELLS = 5_000_000
#: rows x columns of one table once laid out; stray cells far apart must not make a huge grid
MAX_GRID_CELLS = 10_000_000
_TRANSITIONAL = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL_ID = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}id",
)
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_FEED_BYTES = 1 << 20
_MAX_ROW = 1_048_576
_MAX_COLUMN = 16_384
_TITLE_HEADING_CHARS = 80
_HEADER_CELL_CHARS = 64
_DIGITS = "0123456789"
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")  # ST_Xstring escapes such as _x000D_
_HIDDEN_CAPTION = " (숨김 시트)"


# --- the package: workbook, relationships, styles, shared strings -----------------------


class _Names:
    """Qualified tag names for one SpreadsheetML namespace."""

    def __init__(self, ns: str) -> None:
        self.ns = ns
        self.sheet = f"{{{ns}}}sheet"
        self.workbook_pr = f"{{{ns}}}workbookPr"
        self.row = f"{{{ns}}}row"
        self.c = f"{{{ns}}}c"
        self.v = f"{{{ns}}}v"
        self.t = f"{{{ns}}}t"
        self.r = f"{{{ns}}}r"
        self.inline = f"{{{ns}}}is"
        self.si = f"{{{ns}}}si"
        self.merge = f"{{{ns}}}mergeCell"
        self.num_fmt = f"{{{ns}}}numFmt"
        self.cell_xfs = f"{{{ns}}}cellXfs"
        self.xf = f"{{{ns}}}xf"


_NAMES = {ns: _Names(ns) for ns in (_TRANSITIONAL, _STRICT)}
#: the names to use for a streamed element, by its tag
_BY_TAG = {tag: n for n in _NAMES.values() for tag in (n.row, n.merge, n.si)}


def _names_of(root: etree._Element, part: str) -> _Names:
    names = _NAMES.get(etree.QName(root).namespace or "")
    if names is None:
        raise CorruptDocument(f"not an Excel workbook: {part} is not SpreadsheetML")
    return names


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a member name; targets leaving the package are refused."""
    joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    path = posixpath.normpath(joined)
    if path == ".." or path.startswith("../"):
        raise CorruptDocument(f"damaged XLSX: a relationship points outside the package ({target})")
    return path


def _relationships(archive: SafeZip, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, member name) for the internal relationships of ``part``."""
    folder, base = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", base + ".rels")
    if rels_part not in archive:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for rel in parse_xml(archive.read(rels_part), what=rels_part).iter(
        f"{{{_RELS_NS}}}Relationship"
    ):
        if rel.get("TargetMode") == "External" or not rel.get("Target"):
            continue
        found[rel.get("Id") or ""] = (
            rel.get("Type") or "",
            _resolve(folder, rel.get("Target", "")),
        )
    return found


def _workbook_part(archive: SafeZip) -> str:
    for kind, target in _relationships(archive, "").values():
        if kind.endswith("/officeDocument") and target in archive:
            return target
    if "xl/workbook.xml" in archive:
        return "xl/workbook.xml"
    hint = " (it is a Word document)" if "word/document.xml" in archive else ""
    raise CorruptDocument(f"not an Excel workbook: the zip has no xl/workbook.xml{hint}")


@dataclass(frozen=True)
class SheetRef:
    name: str
    part: str
    hidden: bool


@dataclass(frozen=True)
class _Book:
    sheets: tuple[SheetRef, ...]
    date1904: bool
    shared_strings: str | None
    styles: str | None


def _read_book(archive: SafeZip) -> _Book:
    part = _workbook_part(archive)
    root = parse_xml(archive.read(part), what=part)
    names = _names_of(root, part)
    rels = _relationships(archive, part)
    by_type = {kind.rsplit("/", 1)[-1]: target for kind, target in rels.values()}
    folder = posixpath.dirname(part)
    sheets: list[SheetRef] = []
    for sheet in root.iter(names.sheet):
        rel_id = sheet.get(_REL_ID[0]) or sheet.get(_REL_ID[1]) or ""
        kind, target = rels.get(rel_id, ("", ""))
        name = sheet.get("name") or f"sheet {len(sheets) + 1}"
        if not target:
            raise CorruptDocument(f"damaged XLSX: sheet {name!r} has no part in the package")
        if kind.endswith("/worksheet"):  # chart, dialog and macro sheets hold no cells
            hidden = sheet.get("state", "visible") != "visible"
            sheets.append(SheetRef(name, target, hidden))
    properties = root.find(names.workbook_pr)
    date1904 = properties is not None and properties.get("date1904", "") in ("1", "true")
    return _Book(
        tuple(sheets),
        date1904,
        by_type.get("sharedStrings", posixpath.join(folder, "sharedStrings.xml")),
        by_type.get("styles", posixpath.join(folder, "styles.xml")),
    )


def _stream(data: bytes, what: str, tags: tuple[str, ...]) -> Iterator[etree._Element]:
    """Elements with ``tags`` as they end, then dropped, so a large part never becomes a tree.

    The same guards as ``parse_xml``: no entity declarations, no DTD, no network, and
    libxml2's depth and text-node limits.
    """
    if _declares_entities(data):
        raise _refuse_entities(what)
    parser = etree.XMLPullParser(
        events=("end",), tag=tags, resolve_entities=False, no_network=True, load_dtd=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )  # fmt: skip
    try:
        for start in range(0, max(len(data), 1), _FEED_BYTES):
            parser.feed(data[start : start + _FEED_BYTES])
            yield from _drain(parser)
        parser.close()
        yield from _drain(parser)
    except etree.XMLSyntaxError as error:
        message = str(error)
        if any(marker in message for marker in _LIMIT_MESSAGES):
            raise LimitExceeded(f"{what} exceeds the XML parser's limits: {message}") from None
        raise CorruptDocument(f"{what} is not well-formed XML: {message}") from None


def _drain(parser: etree.XMLPullParser) -> Iterator[etree._Element]:
    for _, element in parser.read_events():
        if not isinstance(element, etree._Element):  # only "end" events are asked for
            continue
        yield element
        element.clear()
        parent = element.getparent()
        while parent is not None and element.getprevious() is not None:
            del parent[0]


def _unescape(text: str) -> str:
    return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _rich_text(element: etree._Element, names: _Names) -> str:
    """A string item's text: plain <t> or rich-text runs; phonetic runs (rPh) left out."""
    parts: list[str] = []
    for child in element:
        if child.tag == names.t:
            parts.append(child.text or "")
        elif child.tag == names.r:
            parts.extend(t.text or "" for t in child if t.tag == names.t)
    return _unescape("".join(parts))


def _shared_strings(archive: SafeZip, part: str | None) -> list[str]:
    if part is None or part not in archive:
        return []
    tags = tuple(names.si for names in _NAMES.values())
    strings: list[str] = []
    for si in _stream(archive.read(part), part, tags):
        strings.append(_rich_text(si, _BY_TAG[si.tag]))
        if len(strings) > MAX_CELLS:  # more strings than cells we would keep: abuse
            raise LimitExceeded(f"{part} holds more than {MAX_CELLS:,} strings")
    return strings


def _cell_formats(archive: SafeZip, part: str | None) -> list[NumberFormat]:
    """The number format of each cell style (cellXfs), by style index."""
    if part is None or part not in archive:
        return []
    root = parse_xml(archive.read(part), what=part)
    names = _names_of(root, part)
    codes = dict(BUILTIN_FORMATS)
    for num_fmt in root.iter(names.num_fmt):
        codes[_index(num_fmt.get("numFmtId"), -1)] = num_fmt.get("formatCode", "")
    cache: dict[str, NumberFormat] = {}
    formats: list[NumberFormat] = []
    xfs = root.find(names.cell_xfs)
    for xf in () if xfs is None else xfs.iter(names.xf):
        code = codes.get(_index(xf.get("numFmtId"), 0), "")
        if code not in cache:
            cache[code] = classify(code) if code else GENERAL
        formats.append(cache[code])
    return formats


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
        tags = tuple(t for n in _NAMES.values() for t in (n.row, n.merge))
        number = 0
        for element in _stream(data, what, tags):
            names = _BY_TAG[element.tag]
            if element.tag == names.merge:
                merges.extend(self._merge(element.get("ref", "")))
                continue
            number = self._row_number(element.get("r"), number, what)
            row = rows.setdefault(number, SheetRow(number))
            self._cells(element, names, row, what)
        return [rows[n] for n in sorted(rows) if rows[n].cells], merges

    def _row_number(self, attribute: str | None, previous: int, what: str) -> int:
        number = _index(attribute, previous + 1)
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

    def _cells(self, row: etree._Element, names: _Names, into: SheetRow, what: str) -> None:
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
            elif kind == "s" and 0 <= (index := _index(raw, -1)) < len(self.strings):
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
            index = _index(style, 0)
            fmt = self.formats[index] if index < len(self.formats) else GENERAL
            self.by_style[style] = fmt
        return fmt

    def _value(
        self, cell: etree._Element, names: _Names, kind: str, raw: str | None, what: str
    ) -> tuple[str, bool]:
        """(shown text, is a string) of the less common cells; "" when it holds nothing."""
        if kind == "inlineStr":
            inline = cell.find(names.inline)
            return ("", True) if inline is None else (_rich_text(inline, names), True)
        if not raw:
            return "", False
        if kind == "s":
            raise CorruptDocument(f"damaged XLSX: {what} refers to a missing string ({raw})")
        if kind == "b":
            return ("TRUE" if raw.strip() in ("1", "true") else "FALSE"), False
        if kind == "d":
            return _iso_cell(raw), False
        return _unescape(raw), kind == "str"  # str: a formula's text; e: #N/A, #DIV/0! ...


def _index(text: str | None, default: int) -> int:
    """A non-negative decimal attribute (str.isdigit alone admits "²"), else ``default``."""
    if text and len(text) < 10 and text.isascii() and text.isdigit():
        return int(text)
    return default


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
        book = _read_book(archive)
        reader = _SheetReader(
            strings=_shared_strings(archive, book.shared_strings),
            formats=_cell_formats(archive, book.styles),
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
