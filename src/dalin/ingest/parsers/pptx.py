"""PowerPoint presentations (.pptx): PresentationML read with lxml through the zip and XML guards.

Every block carries its slide number (1-based, in presentation order, p:sldIdLst) as its
page, so a citation reads "소개.pptx · slide 7". Elements are matched by local name, which
covers the transitional and the strict namespaces alike.

Within a slide the title comes first: the title placeholder, or on a slide made of text
boxes the one text set in the largest font. The other shapes follow in tree order, groups
read through. Tree order was kept over sorting by position because on the samples it
keeps each card's label with its text, where top-to-bottom order interleaves columns.
Tables and charts (from the chart's cached values) become tables, SmartArt nodes list
items, and alt text a paragraph unless it is a file name. Slide numbers, dates and footers
are left out; hidden slides are kept (they still hold what their author wrote). Speaker
notes follow their slide as one paragraph starting with ``SPEAKER_NOTES_LABEL``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from lxml import etree

from dalin.errors import CorruptDocument, EmptyDocument, LimitExceeded
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.ingest.safexml import parse_xml
from dalin.ingest.safezip import SafeZip, open_zip, refuse_ole
from dalin.types import Document

#: starts the paragraph that holds a slide's speaker notes; bilingual because the same
#: index serves Korean and English questions, and short because it repeats on every slide
SPEAKER_NOTES_LABEL = "[노트 · Notes]"

_PRESENTATION_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/presentationml/2006/main",
        "http://purl.oclc.org/ooxml/presentationml/main",
    }
)
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_DEFAULT_MAIN = "ppt/presentation.xml"
_SLIDE_PART = re.compile(r"ppt/slides/slide(\d{1,6})\.xml")
_TITLES = frozenset({"title", "ctrTitle"})
# Slide numbers, dates, footers and the notes page's slide image repeat on every page.
_BOILERPLATE = frozenset({"sldNum", "dt", "ftr", "hdr", "sldImg"})
# Content placeholders inherit bullets from the master's body style unless told otherwise.
_BULLETED_PLACEHOLDERS = frozenset({"body", "obj"})
_BULLETS = frozenset({"buChar", "buAutoNum", "buBlip"})
# Alt text that is a file name or PowerPoint's own guess is not the author's words.
_GENERATED_ALT_TEXT = re.compile(
    r"^\S+\.(?:png|jpe?g|gif|bmp|svg|emf|wmf|tiff?)$|description automatically generated", re.I
)
_MAX_GRID_SPAN = 64  # PowerPoint tables stop at 75 columns; the cap bounds hostile spans
# A slide built from text boxes (no title placeholder) takes as its title the one text set
# in the largest font, if that font is at least 20 pt (sizes are in hundredths of a point).
_MIN_TITLE_SIZE = 2000
_MAX_TITLE_CHARS = 100


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _child(element: etree._Element | None, *path: str) -> etree._Element | None:
    """The first descendant along ``path`` of local names, e.g. ("nvSpPr", "nvPr", "ph")."""
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if _local(c) == name), None)
    return element


def _int_attr(element: etree._Element | None, attribute: str, default: int) -> int:
    value = "" if element is None else (element.get(attribute) or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else default


def _relationship_id(element: etree._Element) -> str:
    """The r:id (or r:embed) of an element, whichever relationships namespace it uses."""
    return _namespaced_attribute(element, ("id", "embed"))


def _namespaced_attribute(element: etree._Element, names: tuple[str, ...]) -> str:
    for key, value in element.attrib.items():
        if isinstance(key, str) and key.startswith("{") and key.rpartition("}")[2] in names:
            return str(value)
    return ""


# --- the package: relationships, slides in order -----------------------------------------


def _relationships(archive: SafeZip, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, target member) for ``part``; external targets left out.

    Targets stay names inside the archive: one that climbs out of it (``../``) is dropped.
    """
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
    if rels_name not in archive:
        return {}
    root = parse_xml(archive.read(rels_name), what=rels_name)
    found: dict[str, tuple[str, str]] = {}
    for rel in root.iter(f"{{{_RELS_NS}}}Relationship"):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        name = posixpath.normpath(joined)
        if not name.startswith(".."):
            found[rel.get("Id") or ""] = (rel.get("Type") or "", name)
    return found


def _related(rels: dict[str, tuple[str, str]], kind: str) -> list[str]:
    """Targets of the relationships whose type ends with ``/kind``, in file order."""
    return [target for rel_type, target in rels.values() if rel_type.endswith(f"/{kind}")]


def _main_part(archive: SafeZip) -> str:
    """The presentation part named by the package relationships, else the usual name."""
    for target in _related(_relationships(archive, ""), "officeDocument"):
        if target in archive:
            return target
    if _DEFAULT_MAIN in archive:
        return _DEFAULT_MAIN
    raise CorruptDocument(
        f"not a PowerPoint presentation: the zip has no {_DEFAULT_MAIN}{_hint(archive)}"
    )


def _hint(archive: SafeZip) -> str:
    """What a zip that is not a presentation seems to be, for the error message."""
    if "word/document.xml" in archive:
        return " (it is a Word document)"
    if "xl/workbook.xml" in archive:
        return " (it is an Excel workbook)"
    if "Contents/section0.xml" in archive:
        return " (it is a Hangul .hwpx document)"
    return ""


def _slide_parts(archive: SafeZip, main: str, root: etree._Element) -> list[str]:
    """Slides in presentation order (p:sldIdLst); without a list, by their numbered names."""
    rels = _relationships(archive, main)
    slide_list = _child(root, "sldIdLst")
    ordered = [
        rels[rel_id][1]
        for entry in (() if slide_list is None else slide_list)
        if (rel_id := _relationship_id(entry)) in rels
    ]
    if ordered:
        return list(dict.fromkeys(ordered))  # a slide listed twice is still one slide
    numbered = (_SLIDE_PART.fullmatch(name) for name in archive.names())
    return [m.group(0) for m in sorted((m for m in numbered if m), key=lambda m: int(m.group(1)))]


def _drop_fallbacks(root: etree._Element) -> None:
    """Remove mc:Fallback copies so content written twice (e.g. as math and picture) reads once."""
    for fallback in list(root.iter(_MC_FALLBACK)):
        parent = fallback.getparent()
        if parent is not None:
            parent.remove(fallback)


# --- text, tables and charts ------------------------------------------------------------


def _paragraph_text(paragraph: etree._Element) -> str:
    """A DrawingML paragraph's text: runs and fields, a:br as a line break."""
    parts: list[str] = []
    for child in paragraph:
        name = _local(child)
        if name in ("r", "fld"):
            text = _child(child, "t")
            parts.append("" if text is None else text.text or "")
        elif name == "br":
            parts.append("\n")
    return "".join(parts)


def _text_body_lines(body: etree._Element | None) -> list[str]:
    paragraphs = [] if body is None else [p for p in body if _local(p) == "p"]
    return [line for line in map(_paragraph_text, paragraphs) if line.strip()]


def _is_list_item(paragraph: etree._Element, bulleted_by_default: bool) -> bool:
    properties = _child(paragraph, "pPr")
    names = set() if properties is None else {_local(c) for c in properties}
    if "buNone" in names:
        return False
    return bool(names & _BULLETS) or _int_attr(properties, "lvl", 0) > 0 or bulleted_by_default


class _TableRows:
    """Rows of a DrawingML table on its grid, covered cells filled like the DOCX parser does.

    The text of a merged cell is repeated down the rows it spans, and across the columns
    it spans in the header row only: a table row becomes one retrievable line.
    """

    def __init__(self) -> None:
        self.rows: list[list[str]] = []

    def add_row(self, row: etree._Element) -> None:
        above = self.rows[-1] if self.rows else []
        header = not self.rows
        out: list[str] = []
        for cell in row:
            if _local(cell) != "tc":
                continue
            column = len(out)
            if cell.get("hMerge") in ("1", "true"):
                out.append(out[-1] if header and out else "")
            elif cell.get("vMerge") in ("1", "true"):
                out.append(above[column] if column < len(above) else "")
            else:
                text = "\n".join(_text_body_lines(_child(cell, "txBody")))
                span = min(max(_int_attr(cell, "gridSpan", 1), 1), _MAX_GRID_SPAN)
                # covered cells follow as hMerge placeholders; a writer that omits them
                # still gets its columns by the declared span
                placeholders = sum(1 for _ in _covered_after(cell, span))
                out.append(text)
                out.extend(text if header else "" for _ in range(span - 1 - placeholders))
        self.rows.append(out)


def _covered_after(cell: etree._Element, span: int) -> Iterator[etree._Element]:
    sibling = cell.getnext()
    for _ in range(span - 1):
        if sibling is None or sibling.get("hMerge") not in ("1", "true"):
            return
        yield sibling
        sibling = sibling.getnext()


def _chart_table(chart: etree._Element) -> tuple[str, list[str], list[list[str]]]:
    """(title, header, rows) of a chart: one row per category, one column per series."""
    title = " ".join(_text_body_lines(_child(chart, "chart", "title", "tx", "rich")))
    series = list(chart.iter("{*}ser"))
    names = [" ".join(_cached_points(_child(s, "tx")).values()) for s in series]
    values = [_cached_points(_child(s, "val")) for s in series]
    first_with_categories = next((s for s in series if _child(s, "cat") is not None), None)
    categories = _cached_points(_child(first_with_categories, "cat"))
    indexes = sorted(set(categories).union(*(v.keys() for v in values)))
    rows = [[categories.get(i, ""), *(v.get(i, "") for v in values)] for i in indexes]
    return title, ["", *names], rows


def _cached_points(element: etree._Element | None) -> dict[int, str]:
    """idx → value of the cached points (c:pt/c:v) a chart keeps beside its formulas."""
    points: dict[int, str] = {}
    for point in () if element is None else element.iter("{*}pt"):
        value = _child(point, "v")
        if value is not None and value.text is not None:
            points.setdefault(_int_attr(point, "idx", len(points)), value.text)
    return points


class _SlideReader:
    """Emits one slide's blocks: titles, then shapes in tree order, then speaker notes."""

    def __init__(self, builder: DocumentBuilder, archive: SafeZip) -> None:
        self.builder = builder
        self.archive = archive

    def slide(self, part: str, number: int) -> None:
        root = parse_xml(self.archive.read(part), what=part)
        _drop_fallbacks(root)
        rels = _relationships(self.archive, part)
        shapes = list(_shapes(_child(root, "cSld", "spTree")))
        titles = [s for s in shapes if _placeholder(s) in _TITLES] or _inferred_title(shapes)
        for shape in titles:
            self.builder.heading(" ".join(_text_body_lines(_child(shape, "txBody"))), 1, number)
        for shape in shapes:
            if shape not in titles:
                self._shape(shape, rels, number)
        for notes in _related(rels, "notesSlide"):
            self._notes(notes, number)

    def _shape(self, shape: etree._Element, rels: dict[str, tuple[str, str]], page: int) -> None:
        name = _local(shape)
        kind = _placeholder(shape)
        if name == "sp" and kind not in _BOILERPLATE:
            self._text_body(_child(shape, "txBody"), kind in _BULLETED_PLACEHOLDERS, page)
        elif name == "pic":
            properties = _child(shape, "nvPicPr", "cNvPr")
            alt_text = "" if properties is None else (properties.get("descr") or "").strip()
            if not _GENERATED_ALT_TEXT.search(alt_text):
                self.builder.paragraph(alt_text, page)
        elif name == "graphicFrame":
            self._graphic(shape, rels, page)

    def _text_body(self, body: etree._Element | None, bulleted: bool, page: int) -> None:
        """Plain paragraphs of a shape become one block; list paragraphs one block each."""
        lines: list[str] = []
        for paragraph in () if body is None else body:
            if _local(paragraph) != "p":
                continue
            text = _paragraph_text(paragraph)
            if text.strip() and _is_list_item(paragraph, bulleted):
                self.builder.paragraph("\n".join(lines), page)
                lines.clear()
                self.builder.list_item(text, page)
            else:
                lines.append(text)
        self.builder.paragraph("\n".join(lines), page)

    def _graphic(self, frame: etree._Element, rels: dict[str, tuple[str, str]], page: int) -> None:
        data = _child(frame, "graphic", "graphicData")
        for item in () if data is None else data:
            name = _local(item)
            if name == "tbl":
                grid = _TableRows()
                for row in item:
                    if _local(row) == "tr":
                        grid.add_row(row)
                if grid.rows:
                    self.builder.table(grid.rows[0], grid.rows[1:], page=page)
            elif name == "chart" and _relationship_id(item) in rels:
                self._chart(rels[_relationship_id(item)][1], page)
            elif name == "relIds" and _diagram_data(item) in rels:
                self._diagram(rels[_diagram_data(item)][1], page)

    def _chart(self, part: str, page: int) -> None:
        if part not in self.archive:
            return  # a chart without its part shows nothing in PowerPoint either
        title, header, rows = _chart_table(parse_xml(self.archive.read(part), what=part))
        self.builder.paragraph(title, page)
        if rows:
            self.builder.table(header, rows, caption=title, page=page)

    def _diagram(self, part: str, page: int) -> None:
        """SmartArt: the text of its nodes, one list item each, from the diagram data part."""
        if part not in self.archive:
            return
        root = parse_xml(self.archive.read(part), what=part)
        for point in root.iter("{*}pt"):
            for line in _text_body_lines(_child(point, "t")):
                self.builder.list_item(line, page)

    def _notes(self, part: str, page: int) -> None:
        if part not in self.archive:
            return
        root = parse_xml(self.archive.read(part), what=part)
        lines: list[str] = []
        for shape in _shapes(_child(root, "cSld", "spTree")):
            if _local(shape) == "sp" and _placeholder(shape) not in _BOILERPLATE:
                lines.extend(_text_body_lines(_child(shape, "txBody")))
        if lines:
            self.builder.paragraph("\n".join([SPEAKER_NOTES_LABEL, *lines]), page)


def _inferred_title(shapes: list[etree._Element]) -> list[etree._Element]:
    """The title of a slide without a title placeholder: the text in the one largest font."""
    sized: list[tuple[int, etree._Element]] = []
    for shape in shapes:
        body = _child(shape, "txBody")
        if _local(shape) == "sp" and body is not None and _text_body_lines(body):
            size = max((_int_attr(run, "sz", 0) for run in body.iter("{*}rPr")), default=0)
            sized.append((size, shape))
    largest = max((size for size, _ in sized), default=0)
    found = [shape for size, shape in sized if size == largest]
    if largest < _MIN_TITLE_SIZE or len(found) != 1:
        return []
    text = " ".join(_text_body_lines(_child(found[0], "txBody")))
    return found if len(text) <= _MAX_TITLE_CHARS else []


def _diagram_data(relation_ids: etree._Element) -> str:
    """The r:dm relationship of a SmartArt frame, which names its data part."""
    return _namespaced_attribute(relation_ids, ("dm",))


def _shapes(tree: etree._Element | None) -> Iterator[etree._Element]:
    """Shapes in tree order, groups and markup-compatibility wrappers looked through."""
    for child in () if tree is None else tree:
        name = _local(child)
        if name in ("sp", "pic", "graphicFrame"):
            yield child
        elif name in ("grpSp", "AlternateContent", "Choice"):
            yield from _shapes(child)


def _placeholder(shape: etree._Element) -> str | None:
    """The placeholder type of a shape ("body" when a placeholder names none), else None."""
    for properties in ("nvSpPr", "nvPicPr", "nvGraphicFramePr"):
        placeholder = _child(shape, properties, "nvPr", "ph")
        if placeholder is not None:
            return placeholder.get("type") or "body"
    return None


class PptxParser:
    """PowerPoint .pptx: per slide its title, text, tables, charts and speaker notes."""

    suffixes: tuple[str, ...] = (".pptx",)
    format: str = "pptx"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        if not data:
            raise EmptyDocument("empty file (0 bytes)")
        refuse_ole(
            data,
            not_zip="not a PPTX (zip) file",
            legacy="an old PowerPoint .ppt; save it as .pptx",
            password=(
                "password-protected PPTX: remove the password in PowerPoint "
                "(File > Info > Protect Presentation)"
            ),
        )
        archive = open_zip(data, limits, what="PPTX")
        main = _main_part(archive)
        root = parse_xml(archive.read(main), what=main)
        if etree.QName(root).namespace not in _PRESENTATION_NAMESPACES:
            raise CorruptDocument(
                f"not a PowerPoint presentation: {main} is not PresentationML{_hint(archive)}"
            )
        slides = _slide_parts(archive, main, root)
        if not slides:
            raise EmptyDocument("the presentation has no slides")
        if len(slides) > limits.max_pages:
            raise LimitExceeded(
                f"{len(slides):,} slides, more than the limit of {limits.max_pages:,}"
            )
        builder = DocumentBuilder(name, format=self.format)
        builder.pages, builder.page_unit = len(slides), "slide"
        reader = _SlideReader(builder, archive)
        for number, part in enumerate(slides, start=1):
            reader.slide(part, number)
            if builder.char_count > limits.max_text_chars:
                raise LimitExceeded(f"more than {limits.max_text_chars:,} characters of text")
        if builder.char_count == 0:
            raise EmptyDocument("the presentation holds no text")
        return builder.build()
