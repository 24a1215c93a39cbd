"""Build a Document block by block, keeping every block's offsets exact."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import pairwise

from dalin.ingest.structure import toc_lines
from dalin.types import Block, BlockKind, Document, Table

_SPACES = re.compile(r"[ \t\u00a0\u3000\f\v]+")
# Dot leaders: only a block holding them can hold a table of contents.
_LEADER = re.compile(r"[.·…‥ㆍ・∙•]\s*[.·…‥ㆍ・∙•]\s*[.·…‥ㆍ・∙•]\s*[.·…‥ㆍ・∙•]")
_BLANK_LINES = re.compile(r"\n\s*\n+")
BLOCK_SEPARATOR = "\n\n"


def clean_text(text: str) -> str:
    """NFC-normalise and tidy whitespace; keep single newlines (PDF lines, soft breaks).

    NFC matters for Korean: text from PDFs and macOS file systems often arrives as
    decomposed jamo, which would never match a query typed as syllables.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x00", "").replace("\u200b", "").replace("\ufeff", "")
    text = _SPACES.sub(" ", text)
    text = _BLANK_LINES.sub("\n", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


# Anything clean_text would change in a one-line cell: other whitespace, runs of spaces,
# spaces at either end, characters it drops.
_UNCLEAN_CELL = re.compile(r"[^\S ]|  |^ | $|[\x00\u200b\ufeff]")


def _cell(text: str) -> str:
    # Spreadsheets hold millions of cells that are already clean; skip the full pass for them.
    if not _UNCLEAN_CELL.search(text) and unicodedata.is_normalized("NFC", text):
        return text
    return clean_text(text).replace("\n", " ")


# A totals row's label: "합계", "소 계", "Total" …
_TOTAL = re.compile(
    r"^\s*(?:[합소총누]\s*계|계|(?:grand\s+|sub\s*)?totals?|sum)\s*:?\s*$", re.IGNORECASE
)


# A telephone number (044-203-3111, (02) 123-4567) or an e-mail address: a value, never the
# name of a column.
_CONTACT = re.compile(
    r"(?<!\d)\(?0\d{1,2}\)?[-.\s)]?\d{3,4}-\d{4}(?!\d)|[\w.+-]+@[\w-]+\.[A-Za-z]{2,}"
)


def header_of(
    header: Sequence[str], rows: Sequence[Sequence[str]]
) -> tuple[Sequence[str], Sequence[Sequence[str]]]:
    """The header and body of a table whose first row was taken for its header: none, and
    every row in the body, when that row holds a contact value. Contact tables of press
    releases and forms (`담당 부서 | 체육국 | 책임자 | 과장 | 정태경 | (044-203-3111)`) start
    with a person's row; taken as the header it would name every other row's cells after
    that person (`정태경: 최준규`)."""
    if rows and holds_contact(header):
        return (), [header, *rows]
    if rows and _sub_header(header, rows[0]):
        # "서식 범주" spread over four columns, then "텍스트 · 서식 | 표 · 그리드 | …" under
        # it: the second row names the columns, the first groups them
        named = [
            h if not s or s == h else f"{h} {s}" for h, s in zip(header, rows[0], strict=False)
        ]
        return [*named, *header[len(named) :]], rows[1:]
    return header, rows


def _sub_header(header: Sequence[str], row: Sequence[str]) -> bool:
    """Whether ``row`` names the columns a merged header cell groups: under a name spread
    over two or more columns it writes a different text in each (no number), and under
    every other column the header's own name (a cell merged down) or nothing."""
    if len(row) != len(header):
        return False
    spread = {h for h, after in pairwise(header) if h and h == after}
    if not spread:
        return False
    for name in spread:
        under = [c.strip() for h, c in zip(header, row, strict=True) if h == name]
        if len(set(under)) < len(under) or not all(under) or any(_NUMBER.search(c) for c in under):
            return False
    return all(
        not c.strip() or c.strip() == h for h, c in zip(header, row, strict=True) if h not in spread
    )


#: a cell holding a number is a value, not the name of a column
_NUMBER = re.compile(r"\d")


def holds_contact(cells: Sequence[str]) -> bool:
    """Whether a row holds a phone number or an e-mail address: a person's row, no header."""
    return any(_CONTACT.search(cell) for cell in cells)


def table_lines(table: Table) -> list[tuple[int | None, str]]:
    """The rendered lines of a table, each with the body row it renders (None: the header).

    Rows with no text render no line, and neither does a totals row whose numbers are
    missing ("합계" and nothing else: formulas an app never calculated) — it would be found
    for "합계" and answer nothing. Callers that map lines back to source rows need this.
    """
    header = [_cell(h) for h in table.header]
    lines: list[tuple[int | None, str]] = []
    if any(header):
        lines.append((None, " | ".join(h for h in header if h)))
    for index, row in enumerate(table.rows):
        cells = [_cell(c) for c in row]
        parts: list[str] = []
        for i, value in enumerate(cells):
            if not value:
                continue
            name = header[i] if i < len(header) else ""
            parts.append(f"{name}: {value}" if name and name != value else value)
        if parts and not all(_TOTAL.match(c) for c in cells if c):
            lines.append((index, " | ".join(parts)))
    return lines


def render_table(table: Table) -> str:
    """One line per row: the header line, then ``header: value | …`` for each body row."""
    return "\n".join(line for _, line in table_lines(table))


class DocumentBuilder:
    """Collects blocks in reading order and renders them into one text with offsets."""

    def __init__(self, name: str, *, format: str = "") -> None:
        self.name = name
        self.format = format
        self._parts: list[str] = []
        self._blocks: list[Block] = []
        self._length = 0
        self._tables = 0
        self.pages: int | None = None
        #: what a block's ``page`` counts: "page" or "slide"
        self.page_unit = "page"
        #: page number -> OCR confidence (0-100), for pages read from their image
        self.ocr_pages: dict[int, float] = {}
        #: the printed page number by physical page, where it differs (``Document``)
        self.page_labels: tuple[str, ...] = ()

    def _append(self, kind: BlockKind, text: str, **extra: object) -> None:
        if not text:
            return
        if self._parts:
            self._parts.append(BLOCK_SEPARATOR)
            self._length += len(BLOCK_SEPARATOR)
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        self._blocks.append(Block(kind, text, start, self._length, **extra))  # type: ignore[arg-type]

    def heading(self, text: str, level: int = 1, page: int | None = None) -> None:
        self._append(BlockKind.HEADING, _cell(text), level=max(1, level), page=page)

    def paragraph(self, text: str, page: int | None = None, *, role: str = "") -> None:
        """A paragraph; ``role`` marks page furniture ("header", "footer"). Lines of a table
        of contents inside it become blocks of their own with the role "toc"."""
        text = clean_text(text)
        if role or not _LEADER.search(text):
            self._append(BlockKind.PARAGRAPH, text, page=page, role=role)
            return
        lines = text.split("\n")
        marks = toc_lines(lines)
        start = 0
        for i in range(1, len(lines) + 1):
            if i == len(lines) or marks[i] != marks[start]:
                run = "\n".join(lines[start:i])
                self._append(BlockKind.PARAGRAPH, run, page=page, role="toc" * marks[start])
                start = i

    def list_item(self, text: str, page: int | None = None) -> None:
        self._append(BlockKind.LIST_ITEM, clean_text(text), page=page)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        caption: str = "",
        page: int | None = None,
        sheet: str = "",
        header_row: int = 0,
        row_numbers: Sequence[int] = (),
        first_column: int = 0,
        last_column: int = 0,
    ) -> None:
        """Add a table; spreadsheets also pass where it sits (sheet, rows, columns)."""
        if not sheet and not row_numbers:  # a spreadsheet's rows keep their numbers
            header, rows = header_of(header, rows)
        table = Table(
            tuple(header),
            tuple(tuple(r) for r in rows),
            caption=_cell(caption),
            sheet=sheet,
            header_row=header_row,
            row_numbers=tuple(row_numbers),
            first_column=first_column,
            last_column=last_column,
        )
        text = render_table(table)
        if text:
            self._tables += 1
            self._append(BlockKind.TABLE, text, page=page, table=table, table_index=self._tables)

    @property
    def char_count(self) -> int:
        return self._length

    def build(self) -> Document:
        return Document(
            name=self.name,
            text="".join(self._parts),
            blocks=tuple(self._blocks),
            pages=self.pages,
            format=self.format,
            page_unit=self.page_unit,
            ocr_pages=tuple(sorted(self.ocr_pages.items())),
            page_labels=self.page_labels,
        )
