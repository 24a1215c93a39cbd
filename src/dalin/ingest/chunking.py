"""Structure-aware chunking: a Document's blocks become labelled, citable chunks.

Rules, in order of precedence:

* a chunk never straddles two articles (제N조), two parts (장/절), 부칙/별표, two pages,
  or a heading: each of those starts a new chunk;
* a table that fits stays whole; a larger one is cut between rows, and every row line
  already carries its header (``header: value | …``, see ``render_table``); a larger
  spreadsheet table is cut into one chunk per row, so a fact is cited by its own row
  (``재고!B12:D12``);
* otherwise paragraphs are packed up to ``max_chars``; a longer paragraph is cut between
  sentences (and before ①②③), and a sentence longer still at whitespace.

Every chunk is a slice ``document.text[start:end]`` and carries a human label used in
citations: ``제12조(연차휴가) ②``, ``p.7``, ``p.13 (11쪽) · 2. 추진배경 및 필요성``,
``p.3 · 표 3 교육 일정`` (a table by its caption), ``slide 4``, ``재고!A12:F12`` (a
spreadsheet row), ``설치 방법`` or ``¶4``. Where the format names no heading, the label
takes the nearest heading the writer numbered; a page shows its printed number beside
the physical one, and a page read by OCR adds ``· OCR``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from dalin.ingest.document import table_lines
from dalin.ingest.structure import (
    Marker,
    circled_numbers,
    folio,
    is_toc_entry,
    match_marker,
    numbered_heading,
)
from dalin.text.korean import split_sentences
from dalin.types import Block, BlockKind, Chunk, Document, Table

MAX_CHARS = 1000
#: OCR pages Tesseract was less sure of than this (0-100) show their confidence in citations
LOW_OCR_CONFIDENCE = 75.0
_LABEL_HEADING_CHARS = 60
#: how far back a label looks for the numbered heading a passage sits under, and how far
#: into the passage (a heading on its second line names it too)
_HEADING_LOOKBACK = 8000
_HEADING_OPENING = 200
_HEADING_OPENING_LINES = 2


@dataclass(frozen=True)
class _Unit:
    """The smallest piece packing may not cut."""

    start: int
    end: int
    page: int | None
    kind: str  # "text" | "heading" | "row"
    opens: Marker | None = None
    heading: tuple[int, str] | None = None
    paragraph: int = 0
    table: int = 0
    row: int = 0
    #: the block's role: "" or "toc", "header", "footer" (see ``Block.role``)
    role: str = ""

    @property
    def size(self) -> int:
        return self.end - self.start


def chunk_document(doc: Document, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Cut ``doc`` into chunks of at most about ``max_chars`` characters."""
    units: list[_Unit] = []
    paragraph = 0
    furniture: set[str] = set()
    for block in doc.blocks:
        if block.role in FURNITURE and _repeated_furniture(block.text, furniture):
            continue
        if block.kind is not BlockKind.HEADING:
            paragraph += 1
        found = _units_of_block(doc.text, block, paragraph, max_chars)
        units.extend(replace(u, role=block.role) for u in found)
    tables = {b.table_index: b.table for b in doc.tables if b.table is not None}
    pages = _PageNames(
        doc.page_unit,
        doc.page_labels,
        _KOREAN.search(doc.text[:20_000]) is not None,
        dict(doc.ocr_pages),
    )
    starts = {b.table_index: b.start for b in doc.tables}
    packer = _Packer(doc.text, max_chars, tables, pages, starts)
    for unit in units:
        packer.add(unit)
    return packer.finish()


# --- blocks to units -------------------------------------------------------------------------

#: roles of running page furniture
FURNITURE = ("header", "footer")
_DIGITS = re.compile(r"\d+")
_KOREAN = re.compile(r"[\uac00-\ud7a3]")


def _repeated_furniture(text: str, seen: set[str]) -> bool:
    """Whether a header or footer is a bare page number or one already kept: furniture is
    chunked once per document (a footer may hold the only phone number), never per page."""
    if all(folio(line) for line in text.splitlines()):
        return True
    key = _DIGITS.sub("#", text)
    if key in seen:
        return True
    seen.add(key)
    return False


def _units_of_block(text: str, block: Block, paragraph: int, max_chars: int) -> list[_Unit]:
    if block.kind is BlockKind.TABLE:
        return _table_units(text, block, max_chars)
    if block.kind is BlockKind.HEADING:
        marker = match_marker(block.text)
        if marker is None or marker.kind != "article":
            level = _heading_level(marker) if marker else block.level
            return [
                _Unit(block.start, block.end, block.page, "heading", heading=(level, block.text))
            ]
    return _text_units(text, block, paragraph, max_chars)


def _table_units(text: str, block: Block, max_chars: int) -> list[_Unit]:
    if block.end - block.start <= max_chars or block.table is None:
        return [_Unit(block.start, block.end, block.page, "text", table=block.table_index)]
    units: list[_Unit] = []
    table = block.table
    lines = table_lines(table)
    spans = _line_spans(text, block.start, block.end)
    for (body_index, _), (start, end) in zip(lines, spans, strict=True):
        # The row a unit names: its source row (spreadsheets) or its 1-based body position.
        if body_index is None:
            if _is_sheet(table):
                continue  # each row is cited alone and names its columns already
            row = table.header_row
        elif len(table.row_numbers) == len(table.rows):
            row = table.row_numbers[body_index]
        else:
            row = body_index + 1
        for s, e in _hard_cut(text, start, end, max_chars):
            units.append(_Unit(s, e, block.page, "row", table=block.table_index, row=row))
    return units


def _is_sheet(table: Table | None) -> bool:
    """Whether a table is a spreadsheet's, whose rows have cell addresses."""
    return table is not None and bool(table.sheet) and table.first_column > 0


def _text_units(text: str, block: Block, paragraph: int, max_chars: int) -> list[_Unit]:
    """Split a paragraph at structural lines, then at sentences when too long."""
    units: list[_Unit] = []
    for start, end, marker in _structural_groups(text, block.start, block.end):
        if marker is not None and marker.kind != "article":
            line_end = text.find("\n", start, end)
            line_end = end if line_end < 0 else line_end
            heading = (_heading_level(marker), text[start:line_end].strip())
            units.append(_Unit(start, line_end, block.page, "heading", heading=heading))
            start = line_end + 1
            marker = None
            if start >= end:
                continue
        pieces = [(start, end)] if end - start <= max_chars else _sentence_pieces(text, start, end)
        for i, (s, e) in enumerate(pieces):
            for j, (hs, he) in enumerate(_hard_cut(text, s, e, max_chars)):
                opens = marker if i == 0 and j == 0 else None
                units.append(_Unit(hs, he, block.page, "text", opens=opens, paragraph=paragraph))
    return units


def _heading_level(marker: Marker) -> int:
    # 부칙 and 별표 stand outside the chapters of the main text.
    return marker.level if marker.kind == "part" else 1


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = start
    while position < end:
        nl = text.find("\n", position, end)
        line_end = end if nl < 0 else nl
        if line_end > position:
            spans.append((position, line_end))
        position = line_end + 1
    return spans


def _structural_groups(text: str, start: int, end: int) -> list[tuple[int, int, Marker | None]]:
    """Runs of lines, a new run at every line that opens an article, part, 부칙 or 별표."""
    groups: list[tuple[int, int, Marker | None]] = []
    group_start, group_marker = start, None
    previous = ""
    for line_start, line_end in _line_spans(text, start, end):
        line = text[line_start:line_end]
        marker = match_marker(line, previous)
        previous = line
        if marker is not None and line_start > group_start:
            groups.append((group_start, line_start - 1, group_marker))
            group_start = line_start
        if marker is not None:
            group_marker = marker
    groups.append((group_start, end, group_marker))
    return [(s, e, m) for s, e, m in groups if text[s:e].strip()]


def _sentence_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + s.start, start + s.end) for s in split_sentences(text[start:end])]


def _hard_cut(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut at whitespace so that no piece exceeds ``max_chars`` (hard cut when none)."""
    pieces: list[tuple[int, int]] = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        if cut < 0:
            cut = text.rfind("\n", start + max_chars // 2, start + max_chars)
        cut = cut if cut > start else start + max_chars
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces


# --- packing units into chunks ---------------------------------------------------------------


@dataclass
class _Draft:
    units: list[_Unit]
    label_base: str
    section: str
    run: int


@dataclass(frozen=True)
class _PageNames:
    """How a chunk's page is named in its label: "p.13", "p.13 (11쪽)", "slide 4"."""

    unit: str = "page"
    #: printed numbers by physical page ("" where the same), see ``Document.page_labels``
    printed: tuple[str, ...] = ()
    korean: bool = True

    #: page -> OCR confidence, for pages read from their image
    ocr: dict[int, float] = field(default_factory=dict)

    def label(self, page: int) -> str:
        """The page's name; text read by OCR says so: ``p.3 · OCR``, and when Tesseract
        was unsure of the page, how sure it was: ``p.3 · OCR 62%``."""
        label = self._number(page)
        if page not in self.ocr:
            return label
        confidence = self.ocr[page]
        if confidence < LOW_OCR_CONFIDENCE:
            return f"{label} · OCR {confidence:.0f}%"
        return f"{label} · OCR"

    def _number(self, page: int) -> str:
        if self.unit == "slide":
            return f"slide {page}"
        printed = self.printed[page - 1] if 0 < page <= len(self.printed) else ""
        if not printed:
            return f"p.{page}"
        if not printed.isdigit():
            return f"p.{page} ({printed})"
        return f"p.{page} ({printed}쪽)" if self.korean else f"p.{page} (page {printed})"


@dataclass
class _Packer:
    text: str
    max_chars: int
    tables: dict[int, Table]
    pages: _PageNames = field(default_factory=_PageNames)
    #: where each table's text starts, by table index
    table_starts: dict[int, int] = field(default_factory=dict)
    headings: list[tuple[int, str]] = field(default_factory=list)
    structure: str = ""
    run: int = 0
    current: list[_Unit] = field(default_factory=list)
    drafts: list[_Draft] = field(default_factory=list)

    def add(self, unit: _Unit) -> None:
        if self.current and self._starts_new_chunk(unit):
            self._flush(carry_headings=unit.page == self.current[0].page)
        if unit.heading is not None:
            level, heading = unit.heading
            self.headings = [h for h in self.headings if h[0] < level] + [(level, heading)]
            self.structure = ""
            self.run += 1
        if unit.opens is not None:
            in_supplement = any(h.startswith("부") and "칙" in h[:3] for _, h in self.headings)
            self.structure = ("부칙 " if in_supplement else "") + unit.opens.label
            self.run += 1
        self.current.append(unit)

    def _starts_new_chunk(self, unit: _Unit) -> bool:
        last = self.current[-1]
        if unit.kind == "heading":
            return last.kind != "heading"
        if unit.opens is not None or unit.page != last.page:
            return True
        if unit.role != last.role and last.kind != "heading":
            return True
        if (unit.kind == "row") != (last.kind == "row") and last.kind != "heading":
            return True
        if unit.kind == "row" and unit.table != last.table:
            return True
        if unit.kind == "row" and unit.row != last.row and _is_sheet(self.tables.get(unit.table)):
            return True  # one spreadsheet row, one citation: "재고!B12:D12"
        size = unit.end - self.current[0].start
        return size > self.max_chars and not all(u.kind == "heading" for u in self.current)

    def _flush(self, *, carry_headings: bool) -> None:
        if carry_headings and all(u.kind == "heading" for u in self.current):
            return  # a heading joins the chunk it introduces
        section = " > ".join(
            [h for _, h in self.headings] + [self.structure] * bool(self.structure)
        )
        base = self.structure or (self.headings[-1][1] if self.headings else "")
        self.drafts.append(_Draft(self.current, base[:_LABEL_HEADING_CHARS], section, self.run))
        self.current = []

    def finish(self) -> list[Chunk]:
        if self.current:
            self._flush(carry_headings=False)
        runs: dict[int, int] = {}
        tables: dict[int, int] = {}
        for d in self.drafts:
            runs[d.run] = runs.get(d.run, 0) + 1
            if d.units[-1].kind == "row":
                tables[d.units[-1].table] = tables.get(d.units[-1].table, 0) + 1
        return [self._chunk(d, runs[d.run] > 1, tables) for d in self.drafts]

    def _chunk(self, draft: _Draft, split_run: bool, tables: dict[int, int]) -> Chunk:
        first, last = draft.units[0], draft.units[-1]
        text = self.text[first.start : last.end]
        page = next((u.page for u in draft.units if u.page is not None), None)
        parts = [self.pages.label(page)] if page is not None else []
        base = draft.label_base
        if base and split_run and base.startswith("제") and "조" in base:
            base = (base + " " + _paragraph_range(self.text, first.start, text)).rstrip()
        body = next((u for u in draft.units if u.kind != "heading"), last)
        if not base and not body.role:
            # rows of a long table sit under the heading above the table
            anchor = self.table_starts.get(first.table, first.start) if first.table else first.start
            base = _nearest_numbered_heading(self.text, anchor, last.end)
        if base:
            parts.append(base)
        kind = "text"
        # A small table inside an article is cited by the article; a chunk that is (the
        # rest of) a table is cited by the table.
        if last.table and (body.table or last.kind == "row"):
            kind = "table"
            labels = []
            for index in dict.fromkeys(u.table for u in draft.units if u.table):
                rows = [u.row for u in draft.units if u.kind == "row" and u.table == index]
                labels.append(self._table_label(index, rows, tables.get(index, 0) > 1))
            parts.append(", ".join(labels))
        if not parts:
            parts.append(f"¶{max(first.paragraph, 1)}")
        role = body.role
        if role:
            kind = "furniture" if role in FURNITURE else role
        return Chunk(text, first.start, last.end, " · ".join(parts), page, draft.section, kind)

    def _table_label(self, index: int, rows: list[int], split: bool) -> str:
        """``재고!A12:F40`` for spreadsheet rows, else ``표 2`` or ``표 2 (1–18행)``."""
        table = self.tables.get(index)
        if table is not None and table.sheet and table.first_column:
            if not rows:  # the whole table: header row (if any) to last row
                rows = [table.header_row or table.row_numbers[0], table.row_numbers[-1]]
            rows = [r for r in rows if r > 0] or rows
            return cell_range(table.sheet, table.first_column, table.last_column, rows[0], rows[-1])
        # "표 12" would count tables a person cannot see numbered: name its caption
        label = (
            table.caption[:_LABEL_HEADING_CHARS] if table is not None and table.caption else "표"
        )
        body = [r for r in rows if r > 0]
        if split and body:
            label += f" ({body[0]}행)" if body[0] == body[-1] else f" ({body[0]}–{body[-1]}행)"
        return label


def _nearest_numbered_heading(text: str, start: int, stop: int) -> str:
    """The heading its writer numbered ("2. 추진배경 및 필요성", "□ 기본 정보") that opens
    the passage ``text[start:stop]``, else the last one before it: where a person finds
    the passage when the format names no heading."""
    opening = text.rfind("\n", start, min(stop, start + _HEADING_OPENING))
    end = opening if opening > start else text.find("\n", start)
    before: list[str] = [
        line for line in text[max(0, start - _HEADING_LOOKBACK) : start].split("\n") if line.strip()
    ]
    own: list[str] = [
        line for line in text[start : len(text) if end < 0 else end].split("\n") if line.strip()
    ][:_HEADING_OPENING_LINES]
    lines = before + own
    first_own = len(before)
    order: list[int] = [*range(first_own, len(lines)), *range(first_own - 1, -1, -1)]
    for i in order:
        neighbours = lines[max(0, i - 2) : i] + lines[i + 1 : i + 3]
        if numbered_heading(lines[i], neighbours) and not is_toc_entry(lines[i]):
            return lines[i].strip()[:_LABEL_HEADING_CHARS]
    return ""


def column_letters(column: int) -> str:
    """1 → A, 26 → Z, 27 → AA (spreadsheet column names)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_range(sheet: str, first_column: int, last_column: int, top: int, bottom: int) -> str:
    """``재고!A12:F12``; a sheet name with spaces or punctuation is quoted as Excel does."""
    name = sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{column_letters(first_column)}{top}:{column_letters(last_column)}{bottom}"


def _paragraph_range(full_text: str, start: int, text: str) -> str:
    """ "②" or "②–③" for the 항 a chunk covers; the open 항 when it holds none."""
    marks = circled_numbers(text)
    if not marks:
        before = circled_numbers(full_text[max(0, start - 2000) : start])
        return before[-1] if before else ""
    return marks[0] if marks[0] == marks[-1] else f"{marks[0]}–{marks[-1]}"
