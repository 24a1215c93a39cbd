"""The parts of an Excel package (.xlsx, .xlsm) around its worksheets, read through the zip
and XML guards: the workbook and its sheets (with their relationships, in Transitional or
Strict namespaces), the shared strings (rich text flattened, ``_xHHHH_`` escapes undone),
the cell formats, and a streaming reader of one part's elements for the worksheets.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from dalin.errors import CorruptDocument, LimitExceeded
from dalin.ingest.parsers.xlsx_numbers import BUILTIN_FORMATS, GENERAL, NumberFormat, classify
from dalin.ingest.safexml import _LIMIT_MESSAGES, _declares_entities, _refuse_entities, parse_xml
from dalin.ingest.safezip import SafeZip

_TRANSITIONAL = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL_ID = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}id",
)
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_FEED_BYTES = 1 << 20
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")  # ST_Xstring escapes such as _x000D_


# --- the package: workbook, relationships, styles, shared strings -----------------------


class Names:
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


NAMES = {ns: Names(ns) for ns in (_TRANSITIONAL, _STRICT)}
#: the names to use for a streamed element, by its tag
BY_TAG = {tag: n for n in NAMES.values() for tag in (n.row, n.merge, n.si)}


def _names_of(root: etree._Element, part: str) -> Names:
    names = NAMES.get(etree.QName(root).namespace or "")
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


def read_book(archive: SafeZip) -> _Book:
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


def stream(data: bytes, what: str, tags: tuple[str, ...]) -> Iterator[etree._Element]:
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


def unescape(text: str) -> str:
    return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def rich_text(element: etree._Element, names: Names) -> str:
    """A string item's text: plain <t> or rich-text runs; phonetic runs (rPh) left out."""
    parts: list[str] = []
    for child in element:
        if child.tag == names.t:
            parts.append(child.text or "")
        elif child.tag == names.r:
            parts.extend(t.text or "" for t in child if t.tag == names.t)
    return unescape("".join(parts))


def shared_strings(archive: SafeZip, part: str | None, limit: int) -> list[str]:
    """The shared strings; more than ``limit`` (more than the cells a workbook may keep) is
    abuse."""
    if part is None or part not in archive:
        return []
    tags = tuple(names.si for names in NAMES.values())
    strings: list[str] = []
    for si in stream(archive.read(part), part, tags):
        strings.append(rich_text(si, BY_TAG[si.tag]))
        if len(strings) > limit:
            raise LimitExceeded(f"{part} holds more than {limit:,} strings")
    return strings


def cell_formats(archive: SafeZip, part: str | None) -> list[NumberFormat]:
    """The number format of each cell style (cellXfs), by style index."""
    if part is None or part not in archive:
        return []
    root = parse_xml(archive.read(part), what=part)
    names = _names_of(root, part)
    codes = dict(BUILTIN_FORMATS)
    for num_fmt in root.iter(names.num_fmt):
        codes[attribute_index(num_fmt.get("numFmtId"), -1)] = num_fmt.get("formatCode", "")
    cache: dict[str, NumberFormat] = {}
    formats: list[NumberFormat] = []
    xfs = root.find(names.cell_xfs)
    for xf in () if xfs is None else xfs.iter(names.xf):
        code = codes.get(attribute_index(xf.get("numFmtId"), 0), "")
        if code not in cache:
            cache[code] = classify(code) if code else GENERAL
        formats.append(cache[code])
    return formats


def attribute_index(text: str | None, default: int) -> int:
    """A non-negative decimal attribute (str.isdigit alone admits "²"), else ``default``."""
    if text and len(text) < 10 and text.isascii() and text.isdigit():
        return int(text)
    return default
