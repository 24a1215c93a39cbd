"""HTML files, read with lxml's HTML parser (no network, no external entities)."""

from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from dalin.errors import EmptyDocument, LimitExceeded
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.text import decode_text, strip_front_matter
from dalin.types import BlockKind, Document

# Page chrome and non-content: their text would pollute search (scripts, menus, styles).
# Not "head": libxml2's HTML4 parser leaves unknown HTML5 elements such as <main> inside
# <head> when a page opens with a script, so the whole page can end up there.
_SKIP = frozenset(
    {"script", "style", "nav", "noscript", "template", "title", "svg", "iframe", "object", "select"}
)
#: icon fonts whose glyphs are written as ligature names: `<i class="material-icons">
#: file_download</i>Training Set (37MB)` shows an arrow, not the words "file_download"
_ICON_CLASS = re.compile(r"(?:^|\s)material-(?:icons|symbols)[\w-]*(?:\s|$)")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
        "form", "header", "hgroup", "hr", "html", "main", "ol", "p", "section", "summary",
        "ul", "tr", "td", "th", "tbody", "thead", "tfoot",
    }
)  # fmt: skip
_WHITESPACE = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
# Browsers read these labels as the Windows supersets (WHATWG Encoding Standard), and so
# do the pages that declare them: a page labelled euc-kr often holds CP949-only syllables.
_WHATWG_LABELS = {
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "x-windows-949": "cp949",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
_MAX_SPAN = 64
_MAX_ROWSPAN = 1000
#: cells of all tables of one page after expanding spans; bounds colspan/rowspan bombs
_MAX_TABLE_CELLS = 5_000_000


def _declared_encoding(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    label = _WHATWG_LABELS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, name: str) -> str:
    """Decode by BOM, then by ``<meta charset>``, then by the shared text heuristics."""
    encoding = _declared_encoding(data)
    if encoding is not None and not data.startswith((codecs.BOM_UTF8, b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass  # a wrong declaration is common on old pages; fall back to detection
    return decode_text(data, name)


def _parse_tree(markup: str) -> etree._Element | None:
    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    return etree.fromstring(markup.encode("utf-8"), parser)


def _tag(element: etree._Element) -> str | None:
    """Lower-case tag name, or None for comments and other non-element nodes."""
    return element.tag.lower() if isinstance(element.tag, str) else None


def _shown(element: etree._Element, tag: str | None) -> bool:
    """Whether an element's text is read: no comment, no page chrome, no icon glyph."""
    if tag is None or tag in _SKIP:
        return False
    return not _ICON_CLASS.search(str(element.get("class") or ""))


def _collect(element: etree._Element, parts: list[str], preserve: bool) -> None:
    if element.text:
        parts.append(element.text if preserve else _WHITESPACE.sub(" ", element.text))
    for child in element:
        tag = _tag(child)
        if tag == "br":
            parts.append("\n")
        elif tag is not None and _shown(child, tag):
            block = tag in _BLOCKS or tag in _HEADINGS or tag == "li"
            parts.append("\n" if block else "")
            _collect(child, parts, preserve or tag == "pre")
            parts.append("\n" if block else "")
        if child.tail:
            parts.append(child.tail if preserve else _WHITESPACE.sub(" ", child.tail))


def element_text(element: etree._Element, *, preserve: bool = False) -> str:
    """Visible text of an element: scripts and styles skipped, ``<br>`` and blocks as newlines."""
    parts: list[str] = []
    _collect(element, parts, preserve)
    return "".join(parts)


def html_fragment_text(markup: str) -> str:
    """Visible text of an HTML fragment, e.g. a raw HTML block inside Markdown."""
    root = _parse_tree(markup)
    return "" if root is None else element_text(root)


def _span(cell: etree._Element, attribute: str, cap: int) -> int:
    value = (cell.get(attribute) or "1").strip()
    if not (value.isascii() and value.isdigit()):
        return 1
    return cap if len(value) > 6 else min(max(int(value), 1), cap)


def _own_rows(table: etree._Element) -> list[etree._Element]:
    """Rows of this table, not of tables nested in its cells."""
    rows: list[etree._Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if _tag(r) == "tr")
    return rows


class _Grid:
    """Lays cells out on a grid, repeating row-spanning text into every row it covers.

    Repeating keeps each row readable alone (a table row becomes one retrievable line);
    a column-spanning header is repeated too, so every body column keeps its name.
    """

    def __init__(self, budget: int) -> None:
        self.rows: list[list[str]] = []
        self._carried: dict[int, tuple[str, int]] = {}
        self.budget = budget

    def add_row(self, cells: list[tuple[str, int, int]]) -> None:
        out: list[str] = []
        header = not self.rows
        for text, colspan, rowspan in cells:
            self._take_carried(out)
            for i in range(colspan):
                out.append(text if i == 0 or header else "")
                if rowspan > 1:
                    self._carried[len(out) - 1] = (text, rowspan - 1)
        for column in sorted(c for c in self._carried if c >= len(out)):
            out.extend([""] * (column - len(out)))
            self._take_carried(out)
        self.budget -= len(out)
        if self.budget < 0:
            raise LimitExceeded(
                f"HTML tables expand to more than {_MAX_TABLE_CELLS:,} cells (colspan/rowspan)"
            )
        self.rows.append(out)

    def _take_carried(self, out: list[str]) -> None:
        while len(out) in self._carried:
            text, left = self._carried.pop(len(out))
            out.append(text)
            if left > 1:
                self._carried[len(out) - 1] = (text, left - 1)


class _HtmlWalker:
    """Walks the tree in document order, gathering inline text into blocks."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self._buffer: list[str] = []
        self._kinds: list[BlockKind] = [BlockKind.PARAGRAPH]
        self._cell_budget = _MAX_TABLE_CELLS

    def walk(self, element: etree._Element) -> None:
        if element.text:
            self._buffer.append(_WHITESPACE.sub(" ", element.text))
        for child in element:
            tag = _tag(child)
            if tag is not None and _shown(child, tag):
                self._element(child, tag)
            if child.tail:
                self._buffer.append(_WHITESPACE.sub(" ", child.tail))

    def flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer.clear()
        if self._kinds[-1] is BlockKind.LIST_ITEM:
            self.builder.list_item(text)
        else:
            self.builder.paragraph(text)

    def _element(self, element: etree._Element, tag: str) -> None:
        if tag == "br":
            self._buffer.append("\n")
        elif tag in _HEADINGS:
            self.flush()
            self.builder.heading(element_text(element), _HEADINGS[tag])
        elif tag == "table":
            self.flush()
            self._table(element)
        elif tag == "pre":
            self.flush()
            self.builder.paragraph(element_text(element, preserve=True))
        elif tag == "li" or tag in _BLOCKS:
            self._block(element, BlockKind.LIST_ITEM if tag == "li" else self._kinds[-1])
        else:
            self.walk(element)

    def _block(self, element: etree._Element, kind: BlockKind) -> None:
        self.flush()
        self._kinds.append(kind)
        self.walk(element)
        self.flush()
        self._kinds.pop()

    def _table(self, table: etree._Element) -> None:
        grid = _Grid(self._cell_budget)
        for row in _own_rows(table):
            cells = [c for c in row if _tag(c) in ("td", "th")]
            grid.add_row(
                [
                    (
                        element_text(c),
                        _span(c, "colspan", _MAX_SPAN),
                        _span(c, "rowspan", _MAX_ROWSPAN),
                    )
                    for c in cells
                ]
            )
        self._cell_budget = grid.budget
        captions = [c for c in table if _tag(c) == "caption"]
        caption = element_text(captions[0]) if captions else ""
        if grid.rows:
            self.builder.table(grid.rows[0], grid.rows[1:], caption=caption)


class HtmlParser:
    """HTML: headings, paragraphs, list items and tables; scripts, styles and menus dropped."""

    suffixes: tuple[str, ...] = (".html", ".htm")
    format: str = "html"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        markup = strip_front_matter(decode_html(data, name))
        root = _parse_tree(markup) if markup.strip() else None
        builder = DocumentBuilder(name, format=self.format)
        if root is not None:
            walker = _HtmlWalker(builder)
            walker.walk(root)
            walker.flush()
        if builder.char_count == 0:
            raise EmptyDocument("the HTML file holds no visible text")
        return builder.build()
