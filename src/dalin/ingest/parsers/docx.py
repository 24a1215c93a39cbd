"""Word documents (.docx): WordprocessingML read with lxml through the zip and XML guards."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from lxml import etree

from dalin.errors import CorruptDocument, EmptyDocument, LimitExceeded
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.ingest.safexml import parse_xml
from dalin.ingest.safezip import SafeZip, open_zip, refuse_ole
from dalin.types import Document

_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MATH_TEXT = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "/officeDocument"
# "heading 1" is the built-in name whatever the UI language; "제목 1" appears when a
# Korean user created the style, "Title" is the document title style.
_HEADING_NAME = re.compile(r"^(?:heading|제목)\s*([1-9])$", re.I)
_HEADING_ID = re.compile(r"^heading\s*([1-9])$", re.I)
_TITLE_NAMES = frozenset({"title", "제목"})
_SKIPPED_NOTES = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_MAX_GRID_SPAN = 64  # Word allows 63 columns
_MAX_STYLE_DEPTH = 16


class _Names:
    """Qualified tag and attribute names for one WordprocessingML namespace."""

    def __init__(self, ns: str) -> None:
        def w(local: str) -> str:
            return f"{{{ns}}}{local}"

        self.body = w("body")
        self.p = w("p")
        self.tbl = w("tbl")
        self.tr = w("tr")
        self.tc = w("tc")
        self.t = w("t")
        self.tab = w("tab")
        self.ptab = w("ptab")
        self.br = w("br")
        self.cr = w("cr")
        self.no_break_hyphen = w("noBreakHyphen")
        self.txbx = w("txbxContent")
        self.ppr = w("pPr")
        self.pstyle = w("pStyle")
        self.numpr = w("numPr")
        self.numid = w("numId")
        self.outline = w("outlineLvl")
        self.tcpr = w("tcPr")
        self.trpr = w("trPr")
        self.grid_span = w("gridSpan")
        self.grid_before = w("gridBefore")
        self.vmerge = w("vMerge")
        self.val = w("val")
        self.type = w("type")
        self.style = w("style")
        self.style_id = w("styleId")
        self.name = w("name")
        self.based_on = w("basedOn")
        self.footnote = w("footnote")
        self.endnote = w("endnote")
        # never text: deleted revisions, field codes, properties, section settings
        self.skip = frozenset(
            {w("del"), w("delText"), w("instrText"), w("rPr"), self.ppr, w("sectPr"), w("sdtPr"),
             self.tcpr, self.trpr, w("tblPr"), w("tblGrid"), f"{{{_MC}}}Fallback"}
        )  # fmt: skip


@dataclass(frozen=True)
class _Style:
    name: str
    outline: int | None
    based_on: str
    numbered: bool


def _int_attr(element: etree._Element | None, attribute: str, default: int) -> int:
    value = "" if element is None else (element.get(attribute) or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 6 else default


class _Styles:
    """Paragraph styles by id, to tell headings and lists from body text."""

    def __init__(self, root: etree._Element | None, names: _Names) -> None:
        self._styles: dict[str, _Style] = {}
        for style in () if root is None else root.iter(names.style):
            ppr = style.find(names.ppr)
            outline = None if ppr is None else ppr.find(names.outline)
            name = style.find(names.name)
            based_on = style.find(names.based_on)
            self._styles[style.get(names.style_id) or ""] = _Style(
                name=("" if name is None else name.get(names.val) or "").strip(),
                outline=None if outline is None else _int_attr(outline, names.val, 9),
                based_on="" if based_on is None else based_on.get(names.val) or "",
                numbered=ppr is not None and ppr.find(names.numpr) is not None,
            )

    def heading_level(self, style_id: str) -> int:
        """1–9 for a heading style (following basedOn), else 0."""
        seen = 0
        while style_id and seen < _MAX_STYLE_DEPTH:
            style = self._styles.get(style_id)
            level = _level_from_name(style.name if style else style_id)
            if level:
                return level
            if style is None:
                return 0
            if style.outline is not None:
                return style.outline + 1 if style.outline < 9 else 0
            style_id, seen = style.based_on, seen + 1
        return 0

    def is_list(self, style_id: str) -> bool:
        style = self._styles.get(style_id)
        return style is not None and (style.numbered or style.name.lower().startswith("list"))


def _level_from_name(name: str) -> int:
    match = _HEADING_NAME.match(name) or _HEADING_ID.match(name)
    if match:
        return int(match.group(1))
    return 1 if name.lower() in _TITLE_NAMES else 0


class _BodyWalker:
    """Emits the blocks of a body (or a note, a cell, a text box) in reading order."""

    def __init__(self, builder: DocumentBuilder, names: _Names, styles: _Styles) -> None:
        self.builder = builder
        self.n = names
        self.styles = styles

    def blocks(self, container: etree._Element) -> None:
        for child in container:
            if child.tag == self.n.p:
                self._paragraph(child)
            elif child.tag == self.n.tbl:
                self._table(child)
            elif isinstance(child.tag, str) and child.tag not in self.n.skip:
                self.blocks(child)  # content controls, custom XML, mc:Choice, revisions

    def paragraph_text(self, paragraph: etree._Element, boxes: list[etree._Element]) -> str:
        parts: list[str] = []
        self._runs(paragraph, parts, boxes)
        return "".join(parts)

    def _runs(self, element: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
        n = self.n
        for child in element:
            tag = child.tag
            if tag == n.t or tag == _MATH_TEXT:
                parts.append(child.text or "")
            elif tag in (n.tab, n.ptab):
                parts.append(" ")
            elif tag in (n.br, n.cr):
                parts.append("\n")
            elif tag == n.no_break_hyphen:
                parts.append("-")
            elif tag == n.txbx:
                boxes.append(child)  # a text box is a body of its own, read after the line
            elif isinstance(tag, str) and tag not in n.skip:
                self._runs(child, parts, boxes)

    def _paragraph(self, paragraph: etree._Element) -> None:
        boxes: list[etree._Element] = []
        text = self.paragraph_text(paragraph, boxes)
        level, listed = self._paragraph_kind(paragraph)
        if level:
            self.builder.heading(text, level)
        elif listed:
            self.builder.list_item(text)
        else:
            self.builder.paragraph(text)
        for box in boxes:
            self.blocks(box)

    def _paragraph_kind(self, paragraph: etree._Element) -> tuple[int, bool]:
        """(heading level or 0, is a list item) from direct formatting, then the style."""
        n = self.n
        ppr = paragraph.find(n.ppr)
        if ppr is None:
            return 0, False
        style_element = ppr.find(n.pstyle)
        style_id = "" if style_element is None else style_element.get(n.val) or ""
        outline = ppr.find(n.outline)
        if outline is not None:
            level = _int_attr(outline, n.val, 9)
            heading = level + 1 if level < 9 else 0
        else:
            heading = self.styles.heading_level(style_id)
        numpr = ppr.find(n.numpr)
        numbered = numpr is not None and _int_attr(numpr.find(n.numid), n.val, 1) != 0
        return heading, numbered or self.styles.is_list(style_id)

    def _cell_text(self, cell: etree._Element) -> str:
        """All paragraphs of a cell, nested tables and text boxes included, one per line."""
        lines: list[str] = []
        for paragraph in cell.iter(self.n.p):
            lines.append(self.paragraph_text(paragraph, []))
        return "\n".join(line for line in lines if line.strip())

    def _table(self, table: etree._Element) -> None:
        grid = _TableGrid()
        for row in _children(table, self.n.tr, self.n.skip):
            trpr = row.find(self.n.trpr)
            skipped = _int_attr(
                None if trpr is None else trpr.find(self.n.grid_before), self.n.val, 0
            )
            cells = [self._cell(c) for c in _children(row, self.n.tc, self.n.skip)]
            grid.add_row(min(skipped, _MAX_GRID_SPAN), cells)
        if grid.rows:
            self.builder.table(grid.rows[0], grid.rows[1:])

    def _cell(self, cell: etree._Element) -> tuple[str, int, bool]:
        """(text, columns spanned, continues a vertical merge)."""
        n = self.n
        tcpr = cell.find(n.tcpr)
        span = _int_attr(None if tcpr is None else tcpr.find(n.grid_span), n.val, 1)
        vmerge = None if tcpr is None else tcpr.find(n.vmerge)
        continues = vmerge is not None and (vmerge.get(n.val) or "continue") == "continue"
        return self._cell_text(cell), min(max(span, 1), _MAX_GRID_SPAN), continues


def _children(parent: etree._Element, tag: str, skip: frozenset[str]) -> list[etree._Element]:
    """Children with ``tag``, looking through wrappers such as content controls (w:sdt)."""
    found: list[etree._Element] = []
    for child in parent:
        if child.tag == tag:
            found.append(child)
        elif isinstance(child.tag, str) and child.tag not in skip:
            found.extend(_children(child, tag, skip))
    return found


class _TableGrid:
    """Rows laid out on the table grid, with merged cells' text kept in every row they span.

    A vertically merged cell stores its text only in its first row; repeating it keeps each
    row readable alone, which matters because a table row becomes one retrievable line.
    """

    def __init__(self) -> None:
        self.rows: list[list[str]] = []

    def add_row(self, skipped: int, cells: list[tuple[str, int, bool]]) -> None:
        above = self.rows[-1] if self.rows else []
        header = not self.rows
        out = [""] * skipped
        for text, span, continues in cells:
            column = len(out)
            if continues and not text and column < len(above):
                text = above[column]
            out.extend(text if i == 0 or header else "" for i in range(span))
        self.rows.append(out)


def _main_part(archive: SafeZip) -> str:
    """The main document part named by the package relationships, else the usual name."""
    if "_rels/.rels" in archive:
        rels = parse_xml(archive.read("_rels/.rels"), what="_rels/.rels")
        for rel in rels.iter(f"{{{_RELS_NS}}}Relationship"):
            target = (rel.get("Target") or "").lstrip("/")
            if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT) and target in archive:
                return target
    if "word/document.xml" in archive:
        return "word/document.xml"
    hint = ""
    if "xl/workbook.xml" in archive:
        hint = " (it is an Excel workbook)"
    elif "ppt/presentation.xml" in archive:
        hint = " (it is a PowerPoint presentation)"
    raise CorruptDocument(f"not a Word document: the zip has no word/document.xml{hint}")


def _drop_fallbacks(root: etree._Element) -> None:
    """Remove mc:Fallback copies (a text box is stored twice: DrawingML choice and VML)."""
    for fallback in list(root.iter(f"{{{_MC}}}Fallback")):
        parent = fallback.getparent()
        if parent is not None:
            parent.remove(fallback)


def _optional_part(archive: SafeZip, name: str) -> etree._Element | None:
    return parse_xml(archive.read(name), what=name) if name in archive else None


def _notes(archive: SafeZip, folder: str, names: _Names) -> list[etree._Element]:
    notes: list[etree._Element] = []
    for part, tag in (("footnotes.xml", names.footnote), ("endnotes.xml", names.endnote)):
        root = _optional_part(archive, posixpath.join(folder, part))
        if root is not None:
            notes.extend(n for n in root.iter(tag) if n.get(names.type) not in _SKIPPED_NOTES)
    return notes


class DocxParser:
    """Word .docx: headings, paragraphs, list items and tables, then footnotes and endnotes."""

    suffixes: tuple[str, ...] = (".docx",)
    format: str = "docx"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        if not data:
            raise EmptyDocument("empty file (0 bytes)")
        refuse_ole(
            data,
            not_zip="not a DOCX (zip) file",
            legacy="an old Word .doc; save it as .docx",
            password=(
                "password-protected DOCX: remove the password in Word "
                "(File > Info > Protect Document)"
            ),
        )
        archive = open_zip(data, limits, what="DOCX")
        main = _main_part(archive)
        root = parse_xml(archive.read(main), what=main)
        namespace = etree.QName(root).namespace or ""
        if namespace not in (_TRANSITIONAL, _STRICT):
            raise CorruptDocument(f"not a Word document: {main} is not WordprocessingML")
        names = _Names(namespace)
        _drop_fallbacks(root)
        folder = posixpath.dirname(main)
        styles = _Styles(_optional_part(archive, posixpath.join(folder, "styles.xml")), names)
        builder = DocumentBuilder(name, format=self.format)
        walker = _BodyWalker(builder, names, styles)
        body = root.find(names.body)
        if body is not None:
            walker.blocks(body)
        for note in _notes(archive, folder, names):
            walker.blocks(note)
        if builder.char_count == 0:
            raise EmptyDocument("the Word document holds no text")
        if builder.char_count > limits.max_text_chars:
            raise LimitExceeded(f"more than {limits.max_text_chars:,} characters of text")
        return builder.build()
