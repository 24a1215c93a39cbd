"""Hangul documents (.hwpx): OWPML read with lxml through the zip and XML guards.

Sections are read in the order of the package's spine (Contents/content.hpf), or by their
numbered names when that file is missing or broken. OWPML elements are matched by local
name because the namespace URIs moved between versions (2011 and 2016 schemas) and both
appear in files saved today.

What becomes of the parts of a page:

- paragraphs with a 개요 (outline) shape are headings, numbered or bulleted ones list items;
- a table anchored in a paragraph follows the text before it; a one-column table is a box
  drawn around text (a title, a notice) and is read as that text, not as a table;
- text boxes and captions are read where they are anchored; picture comments that Hangul
  writes itself ("그림입니다.") and hidden comments are not;
- headers and footers (each distinct one once, marked as such: ``Block.role``), then
  footnotes and endnotes, follow the body, so a sentence is never cut by its own footnote;
- body paragraphs carry the page 한글 laid them out on (``hwp_pages``).

Tracked deletions are kept as text, as Hangul's own text export does.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from lxml import etree

from dalin.errors import CorruptDocument, EmptyDocument, EncryptedDocument, LimitExceeded
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.hwp_pages import PageCounter
from dalin.ingest.safexml import parse_xml
from dalin.ingest.safezip import SafeZip, open_zip, refuse_ole
from dalin.types import Document

_CONTAINER = "META-INF/container.xml"
_ENCRYPTION_MANIFEST = "META-INF/manifest.xml"
_ENCRYPTION_DATA = re.compile(rb"<(?:[\w.-]+:)?encryption-data\b")
_PACKAGE_MEDIA_TYPE = "application/hwpml-package+xml"
_DEFAULT_PACKAGE = "Contents/content.hpf"
_DEFAULT_HEADER = "Contents/header.xml"
_SECTION_PART = re.compile(r"Contents/section(\d{1,6})\.xml")
# Hangul allows far fewer columns; the cap keeps hostile cell addresses from costing memory.
_MAX_COLUMNS = 256
# Characters written as elements inside <hp:t>; markers (markpen, title marks, tracked
# change boundaries) carry no text of their own, only a tail.
_INLINE_CHARACTERS = {"tab": " ", "lineBreak": "\n", "hyphen": "-", "nbSpace": " ", "fwSpace": " "}
_MARGINALIA = frozenset({"header", "footer"})
_NOTES = frozenset({"footNote", "endNote"})
# objects inside a run whose text is read as blocks of their own
_TEXT_OBJECTS = frozenset({"tbl", "drawText", "caption", "textart"})


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _int_attr(element: etree._Element | None, attribute: str, default: int) -> int:
    value = "" if element is None else (element.get(attribute) or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else default


def _sub_lists(element: etree._Element) -> list[etree._Element]:
    return [child for child in element if _local(child) == "subList"]


# --- the package: which parts hold the body ---------------------------------------------


def _refuse_encrypted(archive: SafeZip) -> None:
    """Hangul encrypts parts the ODF way and lists each one in META-INF/manifest.xml.

    The manifest declares nothing else, so finding the element is enough; parsing it would
    only add a way to fail on a file whose text is readable.
    """
    if _ENCRYPTION_MANIFEST in archive and _ENCRYPTION_DATA.search(
        archive.read(_ENCRYPTION_MANIFEST)
    ):
        raise EncryptedDocument(
            "password-protected HWPX: remove the password in Hangul (한글) (보안 > 문서 암호 "
            "설정) and add the file again"
        )


def _member(href: str, base: str, archive: SafeZip) -> str | None:
    """The member an href names; Hangul writes root-relative hrefs where OPF says relative.

    Names stay keys into the archive: one that climbs out of it (``../``) names nothing.
    """
    href = href.strip().lstrip("/")
    for candidate in (href, posixpath.join(base, href)):
        name = posixpath.normpath(candidate) if candidate else ""
        if name and not name.startswith("..") and name in archive:
            return name
    return None


def _package_name(archive: SafeZip) -> str:
    """The OPF package file named by META-INF/container.xml, else the usual name."""
    if _CONTAINER in archive:
        try:
            container = parse_xml(archive.read(_CONTAINER), what=_CONTAINER)
        except CorruptDocument:
            return _DEFAULT_PACKAGE
        for rootfile in container.iter("{*}rootfile"):
            path = (rootfile.get("full-path") or "").lstrip("/")
            if rootfile.get("media-type") == _PACKAGE_MEDIA_TYPE and path in archive:
                return path
    return _DEFAULT_PACKAGE


def _manifest_parts(archive: SafeZip) -> tuple[list[str], str | None]:
    """(spine parts in reading order, the header part) from content.hpf; ([], None) if unusable.

    A missing or damaged package file is survivable: the parts have fixed names.
    """
    package = _package_name(archive)
    if package not in archive:
        return [], None
    try:
        root = parse_xml(archive.read(package), what=package)
    except CorruptDocument:
        return [], None
    base = posixpath.dirname(package)
    items: dict[str, str] = {}
    for item in root.iter("{*}item"):
        name = _member(item.get("href") or "", base, archive)
        if name is not None:
            items[item.get("id") or ""] = name
    spine = [items.get(ref.get("idref") or "", "") for ref in root.iter("{*}itemref")]
    header = items.get("header")
    return [name for name in spine if name and name != header], header


def _section_parts(archive: SafeZip) -> tuple[list[str], str | None]:
    """The section parts in order and the header part (styles), spine first, names second."""
    spine, header = _manifest_parts(archive)
    sections = [n for n in dict.fromkeys(spine) if posixpath.basename(n).startswith("section")]
    if not sections:
        numbered = (_SECTION_PART.fullmatch(name) for name in archive.names())
        found = sorted((int(m.group(1)), m.group(0)) for m in numbered if m)
        sections = [name for _, name in found]
    if not sections:
        raise CorruptDocument(
            "not a Hangul document: the zip has no sections (Contents/section0.xml)"
            + _hint(archive)
        )
    if header is None and _DEFAULT_HEADER in archive:
        header = _DEFAULT_HEADER
    return sections, header


def _hint(archive: SafeZip) -> str:
    """What a zip that is not a Hangul document seems to be, for the error message."""
    if "word/document.xml" in archive:
        return " (it is a Word document)"
    if "xl/workbook.xml" in archive:
        return " (it is an Excel workbook)"
    if "ppt/presentation.xml" in archive:
        return " (it is a PowerPoint presentation)"
    return ""


# --- paragraphs and tables --------------------------------------------------------------


class _ParagraphKinds:
    """Heading level and list flag of each paragraph shape (hh:paraPr) in header.xml.

    Hangul marks 개요 (outline) paragraphs with heading type OUTLINE and a 0-based level;
    numbered and bulleted paragraphs with NUMBER and BULLET.
    """

    def __init__(self, header: etree._Element | None) -> None:
        self._kinds: dict[str, tuple[int, bool]] = {}
        for shape in () if header is None else header.iter("{*}paraPr"):
            heading = shape.find("{*}heading")
            kind = "" if heading is None else heading.get("type") or ""
            level = _int_attr(heading, "level", 0)
            self._kinds[shape.get("id") or ""] = (
                level + 1 if kind == "OUTLINE" and level < 9 else 0,
                kind in ("NUMBER", "BULLET"),
            )

    def of(self, paragraph: etree._Element) -> tuple[int, bool]:
        """(heading level or 0, is a list item) for a paragraph."""
        return self._kinds.get(paragraph.get("paraPrIDRef") or "", (0, False))


def _t_text(t: etree._Element, parts: list[str]) -> None:
    parts.append(t.text or "")
    for child in t:
        parts.append(_INLINE_CHARACTERS.get(_local(child), ""))
        parts.append(child.tail or "")


def _inline_text(item: etree._Element, parts: list[str]) -> bool:
    """Append the text of a run's child if it is inline text; False for anything else."""
    name = _local(item)
    if name == "t":
        _t_text(item, parts)
    elif name == "dutmal":  # text with a gloss above or below: keep the main text
        main = item.find("{*}mainText")
        parts.append("" if main is None else main.text or "")
    else:
        return False
    return True


def _paragraph_text(paragraph: etree._Element) -> str:
    """The paragraph's own text: its runs, without the tables or text boxes they anchor."""
    parts: list[str] = []
    for run in paragraph:
        if _local(run) == "run":
            for item in run:
                _inline_text(item, parts)
    return "".join(parts)


def _text_objects(element: etree._Element) -> Iterator[etree._Element]:
    """Tables, text boxes, captions and text art inside a drawing object, group or picture."""
    for child in element:
        if _local(child) in _TEXT_OBJECTS:
            yield child
        elif isinstance(child.tag, str):
            yield from _text_objects(child)


class _CellGrid:
    """Cells laid out by their addresses (hp:cellAddr), spans from hp:cellSpan.

    A merged cell's text sits in its top-left slot and is repeated down the rows it spans,
    and across the columns it spans in the header row, like the DOCX and HTML parsers do:
    a table row becomes one retrievable line, so each row must read alone.
    """

    def __init__(self, rows: int) -> None:
        self.height = rows
        self.width = 0
        self._slots: dict[tuple[int, int], str] = {}
        # real cells never overlap, so their areas sum to at most the grid's
        self._budget = rows * _MAX_COLUMNS

    def add(self, cell: etree._Element, row_index: int, text: str) -> None:
        address, span = cell.find("{*}cellAddr"), cell.find("{*}cellSpan")
        row = _int_attr(address, "rowAddr", row_index)
        column = _int_attr(address, "colAddr", _MAX_COLUMNS)
        if row >= self.height or column >= _MAX_COLUMNS or (row, column) in self._slots:
            row, column = row_index, self._free_column(row_index)
            if column >= _MAX_COLUMNS:
                return
        rows = min(max(_int_attr(span, "rowSpan", 1), 1), self.height - row)
        columns = min(max(_int_attr(span, "colSpan", 1), 1), _MAX_COLUMNS - column)
        self._budget -= rows * columns
        if self._budget < 0:
            rows = columns = 1
        for r in range(row, row + rows):
            for c in range(column, column + columns):
                repeated = c == column or r == 0
                self._slots.setdefault((r, c), text if repeated else "")
        self.width = max(self.width, column + columns)

    def _free_column(self, row: int) -> int:
        column = 0
        while (row, column) in self._slots:
            column += 1
        return column

    def rows(self) -> list[list[str]]:
        return [
            [self._slots.get((r, c), "") for c in range(self.width)] for r in range(self.height)
        ]


class _SectionWalker:
    """Emits the blocks of sections in reading order; headers, footers and notes last."""

    def __init__(self, builder: DocumentBuilder, kinds: _ParagraphKinds) -> None:
        self.builder = builder
        self.kinds = kinds
        # a header or footer repeats on every page and often in every section: keep one
        self._marginalia: dict[str, tuple[str, etree._Element]] = {}
        self._notes: list[etree._Element] = []
        self.pages = PageCounter()
        self._page: int | None = None  # the page blocks are on (None: not known)
        self._role = ""  # "header" or "footer" while those are read

    def section(self, root: etree._Element) -> None:
        """A section's body paragraphs, each on the page 한글 laid it out on."""
        for column in root.iter("{*}colPr"):
            self.pages.columns(_int_attr(column, "colCount", 1))
        for child in root:
            if _local(child) == "p":
                positions = [
                    _int_attr(seg, "vertpos", 0)
                    for array in child
                    if _local(array) == "linesegarray"
                    for seg in array
                ]
                self.pages.turn(positions, page_break=child.get("pageBreak") == "1")
                self._page = self.pages.current()
                self._paragraph(child)

    def blocks(self, container: etree._Element) -> None:
        """The paragraphs of a sub-list (cell, text box, note, header, footer)."""
        for child in container:
            if _local(child) == "p":
                self._paragraph(child)

    def finish(self) -> None:
        """Headers and footers, then footnotes and endnotes, after the body text."""
        self._page = None
        for role, sub_list in self._marginalia.values():
            self._role = role
            self.blocks(sub_list)
        self._role = ""
        for sub_list in self._notes:
            self.blocks(sub_list)

    def _paragraph(self, paragraph: etree._Element) -> None:
        kind = self.kinds.of(paragraph)
        parts: list[str] = []
        for run in paragraph:
            if _local(run) != "run":
                continue
            for item in run:
                if _inline_text(item, parts):
                    continue
                if _local(item) == "ctrl":
                    self._control(item)
                    continue
                objects = [item] if _local(item) in _TEXT_OBJECTS else list(_text_objects(item))
                if objects:
                    self._emit(parts, kind)  # text before an anchored object reads first
                for found in objects:
                    self._object(found)
        self._emit(parts, kind)

    def _emit(self, parts: list[str], kind: tuple[int, bool]) -> None:
        text = "".join(parts)
        parts.clear()
        level, listed = kind
        if self._role:
            self.builder.paragraph(text, page=self._page, role=self._role)
        elif level:
            self.builder.heading(text, level, page=self._page)
        elif listed:
            self.builder.list_item(text, page=self._page)
        else:
            self.builder.paragraph(text, page=self._page)

    def _control(self, control: etree._Element) -> None:
        for child in control:
            name = _local(child)
            if name in _MARGINALIA:
                for sub_list in _sub_lists(child):
                    key = " ".join(_paragraph_text(p) for p in sub_list.iter("{*}p"))
                    self._marginalia.setdefault(key, (name, sub_list))
            elif name in _NOTES:
                self._notes.extend(_sub_lists(child))

    def _object(self, found: etree._Element) -> None:
        name = _local(found)
        if name == "tbl":
            self._table(found)
        elif name == "textart":
            self.builder.paragraph(found.get("text") or "", page=self._page)
        else:  # drawText, caption
            for sub_list in _sub_lists(found):
                self.blocks(sub_list)

    def _table(self, table: etree._Element) -> None:
        caption = table.find("{*}caption")
        caption_text = ""
        if caption is not None:
            caption_text = " ".join(_paragraph_text(p) for p in caption.iter("{*}p")).strip()
            self._object(caption)
        rows = [child for child in table if _local(child) == "tr"]
        cells = [(i, c) for i, row in enumerate(rows) for c in row if _local(c) == "tc"]
        grid = _CellGrid(len(rows))
        for row_index, cell in cells:
            grid.add(cell, row_index, _cell_text(cell))
        if grid.width == 1:
            # a one-column table is a box around text (titles, notices): read it as text
            for _, cell in cells:
                for sub_list in _sub_lists(cell):
                    self.blocks(sub_list)
        elif grid.width > 1:
            laid_out = grid.rows()
            self.builder.table(laid_out[0], laid_out[1:], page=self._page, caption=caption_text)


def _cell_text(cell: etree._Element) -> str:
    """All paragraphs of a cell, nested tables and text boxes included, one per line."""
    lines = (_paragraph_text(p) for p in cell.iter("{*}p"))
    return "\n".join(line for line in lines if line.strip())


def _drop_fallbacks(root: etree._Element) -> None:
    """Keep one branch of hp:switch: the hp:case written for current readers."""
    for switch in list(root.iter("{*}switch")):
        cases = [child for child in switch if _local(child) == "case"]
        for child in list(switch):
            if (_local(child) == "default" and cases) or child in cases[1:]:
                switch.remove(child)


class HwpxParser:
    """Hangul .hwpx: paragraphs, 개요 headings, lists, tables and text boxes, then notes."""

    suffixes: tuple[str, ...] = (".hwpx",)
    format: str = "hwpx"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        if not data:
            raise EmptyDocument("empty file (0 bytes)")
        refuse_ole(
            data,
            not_zip="not an HWPX (zip) file",
            legacy="a binary .hwp document; save it as .hwpx in Hangul (한글)",
        )
        archive = open_zip(data, limits, what="HWPX")
        _refuse_encrypted(archive)
        sections, header = _section_parts(archive)
        header_root = None if header is None else parse_xml(archive.read(header), what=header)
        builder = DocumentBuilder(name, format=self.format)
        walker = _SectionWalker(builder, _ParagraphKinds(header_root))
        for part in sections:
            root = parse_xml(archive.read(part), what=part)
            _drop_fallbacks(root)
            walker.section(root)
            _check_size(builder, limits)
        walker.finish()
        builder.pages = walker.pages.count()
        _check_size(builder, limits)
        if builder.char_count == 0:
            raise EmptyDocument("the Hangul document holds no text")
        return builder.build()


def _check_size(builder: DocumentBuilder, limits: Limits) -> None:
    if builder.char_count > limits.max_text_chars:
        raise LimitExceeded(f"more than {limits.max_text_chars:,} characters of text")
