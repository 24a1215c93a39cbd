"""Hangul word processor files (.hwp, HWP 5.x), read with our own record reader on olefile.

An HWP 5 file is an OLE compound file (Hancom, "한글 문서 파일 형식 5.0", revision 1.3).
We read two kinds of stream:

- ``FileHeader``: the signature "HWP Document File", the version and the property flags
  (bit 0 compressed, bit 1 password, bit 2 distribution/배포용, bit 4 DRM).
- ``BodyText/Section0..N``: one stream per section, raw deflate when compressed, holding a
  flat list of records. Each record has a 32-bit header — tag id (10 bits), level (10
  bits), size (12 bits; 0xFFF means a 32-bit size follows) — and its level nests it under
  the record before it with a lower level, which makes a tree (see ``hwp_records``).

Records understood (HWPTAG_BEGIN = 0x10):

- PARA_HEADER (BEGIN+50): a paragraph; its children hold its text and controls.
- PARA_TEXT (BEGIN+51): UTF-16LE text with control characters, removed or replaced
  (``hwp_records.decode_para_text``).
- CTRL_HEADER (BEGIN+55): a control anchored in the paragraph text, named by a 4-byte id:
  ``tbl `` tables; ``head``/``foot`` headers and footers (read where they are anchored,
  usually the section's first paragraph); ``fn  ``/``en  `` footnotes and endnotes (read
  as paragraphs after their section's body); ``gso `` drawing objects, whose text boxes
  and captions are read. ``tcmt`` hidden comments and ``secd`` section definitions
  (whose lists are master pages, 바탕쪽: page furniture) are skipped; the other controls
  (fields, page numbers, bookmarks …) hold no paragraphs of their own.
- LIST_HEADER (BEGIN+56): starts a paragraph list — a table cell (with its address and
  spans), a caption, a text box or a note.
- TABLE (BEGIN+61): marks where a table's caption ends and its cells begin.

Everything else (character shapes, line segments, shape geometry, equations, DocInfo and
its styles, the PrvText preview) is ignored: BodyText alone is the document.

Tables: the first row is the header. Leading rows that are one full-width cell (a title
over the column names) are read as paragraphs, and so is a table of one cell (a frame
around text). A cell spanning rows repeats its text in each row; a cell spanning columns
does not. Tables nested in a cell are flattened into the cell's text.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import olefile

from dalin.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    LimitExceeded,
    UnsupportedFormat,
)
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.hwp_pages import PageCounter
from dalin.ingest.parsers.hwp_records import (
    TAG_CTRL_HEADER,
    TAG_LIST_HEADER,
    TAG_PARA_HEADER,
    TAG_PARA_TEXT,
    TAG_TABLE,
    Budget,
    Node,
    ParaText,
    build_tree,
    control_id,
    decode_para_text,
    inflate,
    iter_records,
    line_positions,
)
from dalin.ingest.parsers.legacy import HWP3_SIGNATURE, parse_hwp3
from dalin.ingest.safezip import OLE_SIGNATURE
from dalin.types import Document

_HWP_SIGNATURE = b"HWP Document File"
_FILE_HEADER_SIZE = 40  # signature (32), version (4), properties (4)
_COMPRESSED = 1 << 0
_PASSWORD = 1 << 1
_DISTRIBUTION = 1 << 2
_DRM = 1 << 4

_TABLE = "tbl "
_AUTO_NUMBER = "atno"
_NOTES = frozenset({"fn  ", "en  "})
_COLUMNS = "cold"
#: headers and footers, by their control id: running page furniture (``Block.role``)
_MARGINALIA = {"head": "header", "foot": "footer"}
_SKIPPED = frozenset({"tcmt", "secd"})

_SECTION_NAME = re.compile(r"Section(\d{1,6})")
_MAX_SECTIONS = 1024
#: positions in one table's grid (rows x columns)
_MAX_TABLE_CELLS = 250_000


def _para_text(paragraph: Node) -> ParaText:
    for child in paragraph.children:
        if child.tag == TAG_PARA_TEXT:
            return decode_para_text(child.payload)
    return ParaText("")


def _paragraphs_in(node: Node) -> list[Node]:
    """The paragraphs of a control's lists (cells, text boxes, captions, notes), in order."""
    found: list[Node] = []
    for child in node.children:
        if child.tag == TAG_PARA_HEADER:
            found.append(child)
        else:
            found.extend(_paragraphs_in(child))
    return found


@dataclass(frozen=True)
class _Paragraph:
    """A paragraph's text and the controls with text to read, on either side of it."""

    text: str
    #: controls anchored before any text, such as a table on a line of its own
    before: list[Node]
    #: controls anchored within or after the text, read after it so no word is cut apart
    after: list[Node]


def _auto_number(control: Node) -> str:
    """The number an ``atno`` control shows ("표 3"), in Arabic digits; "" for page numbers.

    Its data: properties (UINT32; bits 0–3 what is counted, 0 = pages; bits 4–11 the
    number shape, 0 = Arabic digits) and the number (UINT16). Page numbers depend on a
    layout we do not compute, so they are left out; so are numbers in other shapes
    (circled, Roman, 가나다), rather than shown in the wrong one.
    """
    if len(control.payload) < 10:
        return ""
    properties, number = struct.unpack_from("<IH", control.payload, 4)
    counted, shape = properties & 0xF, (properties >> 4) & 0xFF
    return str(number) if counted and shape == 0 else ""


def _read_paragraph(paragraph: Node) -> _Paragraph:
    """A paragraph's text, with caption and note numbers filled in, and its readable
    controls (tables, notes, and controls holding paragraphs: headers, footers, text
    boxes) split by whether they are anchored before any text.

    Extended controls in the text match the CTRL_HEADER children in order; a control whose
    anchor is missing (a damaged file) is read after the text.
    """
    para = _para_text(paragraph)
    controls = [c for c in paragraph.children if c.tag == TAG_CTRL_HEADER]
    pieces: list[str] = []
    before: list[Node] = []
    after: list[Node] = []
    done = 0
    seen_text = False
    for index, control in enumerate(controls):
        anchor = para.anchors[index] if index < len(para.anchors) else len(para.text)
        anchor = min(max(anchor, done), len(para.text))
        kind = control_id(control)
        piece = para.text[done:anchor] + (_auto_number(control) if kind == _AUTO_NUMBER else "")
        pieces.append(piece)
        seen_text = seen_text or bool(piece.strip())
        done = anchor
        if kind == _TABLE or (kind not in _SKIPPED and _paragraphs_in(control)):
            (after if seen_text else before).append(control)
    pieces.append(para.text[done:])
    return _Paragraph("".join(pieces), before, after)


# --- tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    """A table cell placed on the grid: top-left row and column, spans, content."""

    row: int
    col: int
    rows: int
    cols: int
    text: str = ""
    paragraphs: tuple[Node, ...] = ()


@dataclass(frozen=True)
class _TableParts:
    caption: list[Node]
    cells: list[GridCell]


def _cell(list_header: Node, paragraphs: list[Node]) -> GridCell:
    """A cell from its LIST_HEADER and paragraphs.

    The list header's common part is 8 bytes (paragraph count, padding, properties); the
    cell part follows with column, row, column span and row span as UINT16 each.
    """
    if len(list_header.payload) < 16:
        raise CorruptDocument("damaged HWP file: a table cell's header record is too short")
    col, row, cols, rows = struct.unpack_from("<4H", list_header.payload, 8)
    return GridCell(row, col, max(rows, 1), max(cols, 1), paragraphs=tuple(paragraphs))


def _table_parts(control: Node) -> _TableParts:
    """Split a table control's children: caption lists come before TABLE, cells after."""
    caption: list[Node] = []
    cells: list[tuple[Node, list[Node]]] = []
    current = caption
    in_cells = False
    for child in control.children:
        if child.tag == TAG_TABLE:
            in_cells = True
            current = []
        elif child.tag == TAG_LIST_HEADER:
            current = [] if in_cells else caption
            if in_cells:
                cells.append((child, current))
        elif child.tag == TAG_PARA_HEADER:
            current.append(child)
    return _TableParts(caption, [_cell(header, paragraphs) for header, paragraphs in cells])


def split_title_rows(cells: Sequence[GridCell]) -> tuple[list[GridCell], list[GridCell]]:
    """(title cells, the rest moved up): leading rows that are one full-width cell.

    Korean forms often open a table with a title row ("금주 진행업무") over the real
    column names; read as the header it would prefix every value, so it is read as text.
    """
    width = max((c.col + c.cols for c in cells), default=0)
    starts: dict[int, list[GridCell]] = {}
    for cell in cells:
        starts.setdefault(cell.row, []).append(cell)
    titles: list[GridCell] = []
    while len(row := starts.get(len(titles), [])) == 1 and row[0].rows == 1:
        if row[0].col != 0 or row[0].cols < width:
            break
        titles.append(row[0])
    shift = len(titles)
    rest = [
        GridCell(c.row - shift, c.col, c.rows, c.cols, c.text, c.paragraphs)
        for c in cells
        if c.row >= shift
    ]
    return titles, rest


def layout_grid(cells: Sequence[GridCell], *, max_chars: int) -> list[list[str]]:
    """Place cells' text on a row-by-column grid; a cell spanning rows repeats in each.

    Repeating a row-spanning cell (a row label such as "1분기" over three rows) keeps
    every row readable alone once it becomes one retrievable line. A cell spanning
    columns is not repeated: HWP forms lay text out on fine grids, and a wide cell
    repeated across them would only multiply noise. Spanned positions stay empty.
    Repetition multiplies text, so the grid's text is capped at ``max_chars``.
    """
    if not cells:
        return []
    height = max(c.row + c.rows for c in cells)
    width = max(c.col + c.cols for c in cells)
    if height * width > _MAX_TABLE_CELLS:
        raise LimitExceeded(
            f"an HWP table has {height:,} rows and {width:,} columns, more than "
            f"{_MAX_TABLE_CELLS:,} cells"
        )
    grid = [[""] * width for _ in range(height)]
    writes = chars = 0
    for cell in cells:
        writes += cell.rows
        chars += cell.rows * len(cell.text)
        if writes > height * width:  # only overlapping cells write a position twice
            raise CorruptDocument("damaged HWP file: a table's cells overlap each other")
        if chars > max_chars:
            raise LimitExceeded(
                f"an HWP table's merged cells repeat into more than {max_chars:,} characters"
            )
        for r in range(cell.row, cell.row + cell.rows):
            if not grid[r][cell.col] or r == cell.row:
                grid[r][cell.col] = cell.text
    return grid


# --- reading order -----------------------------------------------------------------------


def _column_count(control: Node) -> int:
    """A column definition's (``cold``) count: bits 2–9 of its properties."""
    if len(control.payload) < 6:
        return 1
    (properties,) = struct.unpack_from("<H", control.payload, 4)
    return int(properties >> 2) & 0xFF


class _SectionReader:
    """Emits a section's blocks in reading order; notes follow the section's body."""

    def __init__(self, builder: DocumentBuilder, max_chars: int) -> None:
        self.builder = builder
        self.max_chars = max_chars
        self.notes: list[Node] = []
        self.pages = PageCounter()

    def section(self, paragraphs: list[Node]) -> None:
        for paragraph in paragraphs:
            for control in paragraph.children:
                if control.tag == TAG_CTRL_HEADER and control_id(control) == _COLUMNS:
                    self.pages.columns(_column_count(control))
            self.pages.turn(line_positions(paragraph))
            self.blocks([paragraph])
        while self.notes:
            notes, self.notes = self.notes, []
            for note in notes:
                self.blocks(_paragraphs_in(note))

    def blocks(self, paragraphs: Sequence[Node], role: str = "") -> None:
        for paragraph in paragraphs:
            read = _read_paragraph(paragraph)
            for control in read.before:
                self._control(control)
            self.builder.paragraph(read.text, page=self.pages.current(), role=role)
            for control in read.after:
                self._control(control)
            if self.builder.char_count > self.max_chars:  # stop early, not at the end
                raise LimitExceeded(f"more than {self.max_chars:,} characters of text")

    def _control(self, control: Node) -> None:
        kind = control_id(control)
        if kind in _NOTES:
            self.notes.append(control)
        elif kind == _TABLE:
            self._table(control)
        else:
            self.blocks(_paragraphs_in(control), role=_MARGINALIA.get(kind, ""))

    def _table(self, control: Node) -> None:
        """A table block after its caption; title rows and one-cell frames read as text."""
        parts = _table_parts(control)
        caption = self._lines(parts.caption)
        self.builder.paragraph(caption, page=self.pages.current())
        titles, cells = split_title_rows(parts.cells)
        for title in titles:
            self.blocks(title.paragraphs)
        if len(cells) == 1:
            # a lone cell is a frame around text (a boxed summary): keep its paragraphs
            self.blocks(cells[0].paragraphs)
            return
        texts = [GridCell(c.row, c.col, c.rows, c.cols, self._lines(c.paragraphs)) for c in cells]
        room = self.max_chars - self.builder.char_count
        # empty rows are spacers; an empty first row would leave the columns unnamed
        rows = [row for row in layout_grid(texts, max_chars=room) if any(row)]
        if rows:
            self.builder.table(rows[0], rows[1:], caption=caption, page=self.pages.current())

    def _lines(self, paragraphs: Sequence[Node]) -> str:
        """The text of paragraphs, one per line, with nested tables and boxes flattened."""
        lines = (self._flat_text(p) for p in paragraphs)
        return "\n".join(line for line in lines if line.strip())

    def _flat_text(self, paragraph: Node) -> str:
        """A paragraph on one line, with the text of its tables and boxes beside it."""
        read = _read_paragraph(paragraph)
        pieces = [
            *(self._control_text(c) for c in read.before),
            read.text,
            *(self._control_text(c) for c in read.after),
        ]
        return " ".join(piece for piece in pieces if piece)

    def _control_text(self, control: Node) -> str:
        kind = control_id(control)
        if kind in _NOTES:
            self.notes.append(control)
            return ""
        if kind == _TABLE:
            parts = _table_parts(control)
            cells = [self._lines(cell.paragraphs) for cell in parts.cells]
            return " ".join(text for text in [self._lines(parts.caption), *cells] if text)
        return self._lines(_paragraphs_in(control))


# --- the file ----------------------------------------------------------------------------


def _refuse_non_ole(data: bytes) -> None:
    if data.startswith(OLE_SIGNATURE):
        return
    if data.startswith(b"PK\x03\x04"):
        raise CorruptDocument(
            "not an HWP 5 file: it is a zip archive, probably an HWPX document named .hwp; "
            "rename it to .hwpx and add it again"
        )
    if data.lstrip()[:1] == b"<":
        raise CorruptDocument("not an HWP 5 file: it holds XML or HTML (perhaps HWPML .hml)")
    if data.startswith(b"%PDF"):
        raise CorruptDocument("not an HWP file: it is a PDF file; rename it to .pdf")
    raise CorruptDocument(
        "not an HWP file: it does not start with the OLE compound file signature of HWP 5"
    )


def _open_ole(data: bytes) -> olefile.OleFileIO:
    try:
        # a file object, never bytes: olefile takes bytes under 1,536 long as a file name
        return olefile.OleFileIO(io.BytesIO(data))
    except Exception as error:  # olefile raises assorted errors on damaged containers
        raise CorruptDocument(
            f"damaged HWP file: its OLE container cannot be read ({error}); the file may be "
            "truncated"
        ) from None


def _read_stream(ole: olefile.OleFileIO, path: str, size_limit: int) -> bytes:
    try:
        size = ole.get_size(path)
        if size > size_limit:
            raise CorruptDocument(f"damaged HWP file: the {path} stream is larger than the file")
        data: bytes = ole.openstream(path).read()
    except CorruptDocument:
        raise
    except Exception as error:  # broken sector chains surface as various errors
        raise CorruptDocument(
            f"damaged HWP file: the {path} stream cannot be read ({error})"
        ) from None
    if len(data) < size:
        raise CorruptDocument(f"damaged HWP file: the {path} stream is cut short (truncated file)")
    return data


def _not_hwp(ole: olefile.OleFileIO, detail: str) -> CorruptDocument:
    """CorruptDocument with ``detail``, unless a damaged container explains the failure."""
    if ole.parsing_issues:
        _, issue = ole.parsing_issues[0]
        return CorruptDocument(
            f"damaged HWP file: its OLE container is broken ({issue}); the file may be truncated"
        )
    return CorruptDocument(detail)


def _check_file_header(header: bytes) -> int:
    """The property flags of a FileHeader with the HWP signature, refusing what we cannot read."""
    version, flags = struct.unpack_from("<II", header, 32)
    if flags & _PASSWORD:
        raise EncryptedDocument(
            "password-protected HWP document: its text is encrypted; remove the password in "
            "한글 and save again, then add the file again"
        )
    if flags & _DISTRIBUTION:
        raise EncryptedDocument(
            "distribution-protected (배포용) HWP document: its text is encrypted for viewing "
            "only; ask the author for the original, editable file"
        )
    if flags & _DRM:
        raise EncryptedDocument(
            "DRM-protected HWP document: its text is encrypted by a document security "
            "system; save an unprotected copy and add that instead"
        )
    if version >> 24 != 5:
        major, minor = version >> 24, (version >> 16) & 0xFF
        raise UnsupportedFormat(f"HWP version {major}.{minor} is not supported (only HWP 5.x)")
    return int(flags)


def _section_paths(ole: olefile.OleFileIO) -> list[str]:
    """BodyText/Section0..N in numeric order (Section10 after Section9)."""
    numbered: list[tuple[int, str]] = []
    for path in ole.listdir(streams=True, storages=False):
        if len(path) == 2 and path[0] == "BodyText":
            match = _SECTION_NAME.fullmatch(path[1])
            if match:
                numbered.append((int(match.group(1)), "/".join(path)))
    if len(numbered) > _MAX_SECTIONS:
        raise LimitExceeded(f"the HWP file has more than {_MAX_SECTIONS:,} sections")
    return [path for _, path in sorted(numbered)]


class HwpParser:
    """Hangul .hwp (HWP 5.x): paragraphs, tables, text boxes, headers/footers and notes."""

    suffixes: tuple[str, ...] = (".hwp",)
    format: str = "hwp"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        if not data:
            raise EmptyDocument("empty file (0 bytes)")
        if data.startswith(HWP3_SIGNATURE):  # 한글 97 and older: LibreOffice reads those
            return parse_hwp3(data, name=name, limits=limits)
        _refuse_non_ole(data)
        ole = _open_ole(data)
        try:
            builder = self._read(ole, len(data), name, limits)
        finally:
            ole.close()
        if builder.char_count == 0:
            raise EmptyDocument("the HWP document holds no text")
        if builder.char_count > limits.max_text_chars:
            raise LimitExceeded(f"more than {limits.max_text_chars:,} characters of text")
        return builder.build()

    def _read(
        self, ole: olefile.OleFileIO, size: int, name: str, limits: Limits
    ) -> DocumentBuilder:
        if not ole.exists("FileHeader"):
            raise _not_hwp(
                ole,
                "not an HWP document: the OLE file has no FileHeader stream (perhaps a Word "
                ".doc or Excel .xls file named .hwp)",
            )
        header = _read_stream(ole, "FileHeader", size)
        if len(header) < _FILE_HEADER_SIZE or not header.startswith(_HWP_SIGNATURE):
            raise _not_hwp(
                ole, 'not an HWP document: its FileHeader lacks the "HWP Document File" signature'
            )
        flags = _check_file_header(header)
        paths = _section_paths(ole)
        if not paths:
            raise _not_hwp(ole, "damaged HWP file: it has no BodyText/Section streams")
        budget = Budget(limits.max_uncompressed_bytes)
        builder = DocumentBuilder(name, format=self.format)
        reader = _SectionReader(builder, limits.max_text_chars)
        for path in paths:
            raw = _read_stream(ole, path, size)
            if flags & _COMPRESSED:
                body = inflate(raw, budget, path)
            else:
                budget.take_bytes(len(raw), path)
                body = raw
            reader.section(build_tree(iter_records(body, what=path), budget))
        builder.pages = reader.pages.count()
        return builder
