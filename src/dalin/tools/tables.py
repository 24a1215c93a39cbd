"""A workspace's extracted tables, typed for SQL and keeping where every cell came from.

Each stored table becomes a :class:`QueryTable` named ``t1``, ``t2``, … in the order of
its document's path and its place in the document, so the names are stable across runs.
Its columns are named from the header (``단가(원)`` → ``단가_원``; a spreadsheet table
without a header uses its column letters, others ``c1``, ``c2``…) and typed: a column
where most cells read as numbers (:func:`dalin.tools.values.cell_number`:
``270,000,000원``, ``15%``, ``1.5억``) holds numbers, with its unit noted; the others hold
text. Every row keeps its ``_rid`` (an id unique in the workspace) and its provenance:

* spreadsheet rows: the sheet and source row (``재고!A12:F12``, one cell ``재고!D12``);
* other tables: ``표 N · M행`` (with ``p.K`` when the page is known) and the column header;

and can be cited as a passage: the row's line in the document text, with its offsets.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from dalin.ingest.chunking import cell_range, column_letters
from dalin.ingest.document import table_lines
from dalin.tools.values import CellNumber, cell_number
from dalin.types import DocumentInfo, Hit, StoredTable

#: share of a column's non-empty cells that must read as numbers for it to be numeric
NUMERIC_SHARE = 0.8
#: cells loaded in all; a workspace beyond it has its largest tables left out (and told so)
MAX_CELLS = 2_000_000
_IDENTIFIER = re.compile(r"[^\w]+")
_MAX_NAME = 40

SqlValue = int | float | str | None


class TableReader(Protocol):
    """Where tables come from: a :class:`dalin.Workspace` (its documents and their tables)."""

    def documents(self) -> list[DocumentInfo]: ...

    def tables(self, ref: int | str) -> list[StoredTable]: ...


@dataclass(frozen=True)
class Column:
    #: the SQL name ("단가_원")
    name: str
    #: the header as written ("단가(원)"), "" when the table has none
    header: str
    numeric: bool
    #: the unit most of its numbers carry ("원", "%", "개"), "" for none
    unit: str = ""
    #: cells of a numeric column that are not numbers (stored as NULL)
    not_numbers: int = 0

    def describe(self) -> str:
        kind = f"number {self.unit}".strip() if self.numeric else "text"
        header = f' "{self.header}"' if self.header and self.header != self.name else ""
        return f"{self.name}{header} {kind}"


# eq=False: compared and hashed by identity, never by their (possibly huge) values
@dataclass(frozen=True, eq=False)
class QueryTable:
    """One stored table as loaded for SQL: typed values, provenance per row and cell."""

    name: str
    document: DocumentInfo
    stored: StoredTable
    columns: tuple[Column, ...]
    #: typed values, one tuple per body row, parallel to ``stored.table.rows``
    values: tuple[tuple[SqlValue, ...], ...]
    #: the ``_rid`` of the first row; row ``i`` has ``first_rid + i``
    first_rid: int

    @property
    def spreadsheet(self) -> bool:
        table = self.stored.table
        return bool(table.sheet and table.first_column)

    def source_row(self, row: int) -> int:
        """The row's number in its source: the sheet row, else its 1-based body position."""
        numbers = self.stored.table.row_numbers
        return numbers[row] if len(numbers) == len(self.values) else row + 1

    def label(self) -> str:
        """The whole table: ``재고!A1:F40`` or ``p.3 · 표 2``."""
        return table_label(self.stored)

    def row_label(self, row: int) -> str:
        """``재고!A12:F12`` or ``p.3 · 표 2 · 5행``."""
        table, number = self.stored.table, self.source_row(row)
        if self.spreadsheet:
            return cell_range(table.sheet, table.first_column, table.last_column, number, number)
        return self._place(f"표 {self.stored.index} · {number}행")

    def cell_label(self, row: int, column: int) -> str:
        """``재고!D12`` or ``p.3 · 표 2 · 5행 · 단가(원)``."""
        table, number = self.stored.table, self.source_row(row)
        if self.spreadsheet:
            sheet = cell_range(table.sheet, 1, 1, 1, 1).rsplit("!", 1)[0]  # quoted as Excel does
            return f"{sheet}!{column_letters(table.first_column + column)}{number}"
        header = self.columns[column].header or self.columns[column].name
        return f"{self.row_label(row)} · {header}"

    def _place(self, label: str) -> str:
        return _on_page(self.stored, label)

    def row_passage(self, row: int) -> Hit | None:
        """The row as a passage of its document (its rendered line and offsets), or None
        when the row rendered no line (an empty row)."""
        offset = self.stored.start
        for body_index, line in table_lines(self.stored.table):
            if body_index == row:
                return Hit(
                    chunk_id=0,
                    doc_id=self.document.id,
                    document=self.document.path,
                    name=self.document.name,
                    label=f"{self.document.name} · {self.row_label(row)}",
                    score=0.0,
                    text=line,
                    start=offset,
                    end=offset + len(line),
                    page=self.stored.page,
                )
            offset += len(line) + 1
        return None


@dataclass(frozen=True, eq=False)
class LoadedTables:
    tables: tuple[QueryTable, ...]
    #: tables left out because the workspace holds more than ``MAX_CELLS`` cells
    left_out: tuple[str, ...] = ()
    #: (table, column) → cell value → rows holding it, built as queries need them and kept
    #: with the tables (they are cached for later answers too)
    value_index: dict[tuple[str, str], dict[object, list[int]]] = field(default_factory=dict)

    def by_rid(self, rid: int) -> tuple[QueryTable, int] | None:
        """The table and row index of a ``_rid``."""
        for table in self.tables:
            if table.first_rid <= rid < table.first_rid + len(table.values):
                return table, rid - table.first_rid
        return None


def load_tables(reader: TableReader, *, max_cells: int = MAX_CELLS) -> LoadedTables:
    """Every table of the workspace's indexed documents, typed, in a stable order."""
    documents = sorted(
        (d for d in reader.documents() if d.status == "indexed" and d.tables),
        # By name first: the same files get the same names (t1, t2, …) wherever the folder lives.
        key=lambda d: (d.name, d.path),
    )
    loaded: list[QueryTable] = []
    left_out: list[str] = []
    cells, rid = 0, 1
    for document in documents:
        for stored in reader.tables(document.id):
            size = sum(len(row) for row in stored.table.rows)
            if cells + size > max_cells:
                left_out.append(f"{document.name} · 표 {stored.index}")
                continue
            cells += size
            table = _typed(f"t{len(loaded) + 1}", document, stored, rid)
            rid += len(table.values)
            loaded.append(table)
    return LoadedTables(tuple(loaded), tuple(left_out))


def _typed(name: str, document: DocumentInfo, stored: StoredTable, first_rid: int) -> QueryTable:
    table = stored.table
    width = max([len(table.header), *(len(r) for r in table.rows)], default=0)
    names = _column_names(table.header, width, table.first_column if table.sheet else 0)
    columns: list[Column] = []
    typed: list[list[SqlValue]] = []
    for i, column_name in enumerate(names):
        cells = [row[i].strip() if i < len(row) else "" for row in table.rows]
        numbers = [cell_number(c) if c else None for c in cells]
        written = sum(1 for c in cells if c)
        read = [n for n in numbers if n is not None]
        numeric = written > 0 and len(read) >= NUMERIC_SHARE * written
        unit, count = Counter(n.unit for n in read).most_common(1)[0] if read else ("", 0)
        header = table.header[i].strip() if i < len(table.header) else ""
        columns.append(
            Column(
                column_name,
                header,
                numeric,
                # a unit most of the numbers carry; a column of mixed units names none
                unit=unit if numeric and 2 * count > len(read) else "",
                not_numbers=written - len(read) if numeric else 0,
            )
        )
        typed.append([_number(n) for n in numbers] if numeric else [c or None for c in cells])
    values = tuple(zip(*typed, strict=True)) if typed else tuple(() for _ in table.rows)
    return QueryTable(name, document, stored, tuple(columns), values, first_rid)


def _number(number: CellNumber | None) -> SqlValue:
    if number is None:
        return None
    value = number.value
    return int(value) if value == value.to_integral_value() else float(value)


def _column_names(header: Sequence[str], width: int, first_column: int) -> list[str]:
    """SQL names for the columns: from the header, else letters or c1…; unique, ASCII-case
    insensitively (as SQLite compares names)."""
    names: list[str] = []
    seen: set[str] = set()
    for i in range(width):
        written = header[i] if i < len(header) else ""
        name = _IDENTIFIER.sub("_", written).strip("_")[:_MAX_NAME]
        if not name:
            name = column_letters(first_column + i) if first_column else f"c{i + 1}"
        if name[0].isdigit():
            name = "c_" + name
        unique, n = name, 2
        while unique.lower() in seen:
            unique, n = f"{name}_{n}", n + 1
        seen.add(unique.lower())
        names.append(unique)
    return names


def table_label(stored: StoredTable) -> str:
    """A whole stored table as citations name it: ``재고!A1:F40`` or ``p.3 · 표 2``."""
    table = stored.table
    if table.sheet and table.first_column and table.rows:
        numbers = table.row_numbers
        known = len(numbers) == len(table.rows)
        top = table.header_row or (numbers[0] if known else 1)
        bottom = numbers[-1] if known else len(table.rows)
        return cell_range(table.sheet, table.first_column, table.last_column, top, bottom)
    return _on_page(stored, f"표 {stored.index}")


def _on_page(stored: StoredTable, label: str) -> str:
    return f"p.{stored.page} · {label}" if stored.page else label


@dataclass(frozen=True)
class ScopedTables:
    """A :class:`TableReader` that sees only some documents (a question scoped to them)."""

    reader: TableReader
    doc_ids: frozenset[int]

    def documents(self) -> list[DocumentInfo]:
        return [d for d in self.reader.documents() if d.id in self.doc_ids]

    def tables(self, ref: int | str) -> list[StoredTable]:
        if not any(str(d.id) == str(ref) for d in self.documents()):
            return []
        return self.reader.tables(ref)
