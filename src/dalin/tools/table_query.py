"""The ``table_query`` tool: read-only SQL over the asking workspace's extracted tables.

The tables (:mod:`dalin.tools.tables`) are loaded into a :class:`SqlSandbox` on first use;
the tool is built for one workspace and its only argument is the SQL text, which can
reach nothing but those tables (SECURITY.md checks 5 and 7).

Every result row carries where it came from, found in this order:

1. the query selected ``_rid`` (or an aggregate of it, ``group_concat(_rid)``): those rows;
2. otherwise the rows of the tables it read whose cells hold every value of the result
   row (a lookup or a projection: exact; at most ``MAX_ROWS_PER_RESULT`` rows);
3. otherwise (an aggregate over many rows) the tables it read.

Rows found in 1 or 2 are handed to ``cite`` and the result shows their ``[n]``, so the
model cites the very rows; a number the query computed over such rows (``단가 * 3``,
``sum(수량)`` with ``group_concat(_rid)``) keeps their numbers as its operands, for the
grounding check.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dalin.llm.base import ToolSpec
from dalin.tools.base import Cite, ToolResult, as_content, parse_arguments, schema_of
from dalin.tools.evidence import tool_number
from dalin.tools.sql_sandbox import (
    DEFAULT_TIMEOUT,
    MAX_SQL_CHARS,
    QueryOutput,
    SqlSandbox,
)
from dalin.tools.tables import MAX_CELLS, LoadedTables, QueryTable, TableReader, load_tables
from dalin.types import ToolNumber

CATALOGUE = "tables"
#: workspaces' typed tables and database images kept in the process, most recent last: a
#: table is typed and loaded once, not for every answer (keyed by the documents' versions)
CACHED_WORKSPACES = 4
_cache: OrderedDict[tuple[object, ...], tuple[LoadedTables, bytes]] = OrderedDict()
_cache_lock = threading.Lock()
#: rows a result row may name as its source before it is taken for an aggregate
MAX_ROWS_PER_RESULT = 3
#: rows of one call handed to ``cite``; the rest are named by label only
MAX_CITED_ROWS = 30
#: tables described in the tool's own description; more are listed by the catalogue table
DESCRIBED_TABLES = 12
DESCRIBED_COLUMNS = 16
MAX_CELL_CHARS = 300
#: result rows a model is shown; a query for more is told it was cut
MAX_RESULT_ROWS = 50

_INTRO = (
    "Read-only SQL (SQLite dialect) over the tables extracted from this workspace's documents "
    "(spreadsheets, and tables in PDF, HWP, DOCX, Markdown…). One SELECT per call. Numeric "
    "columns hold numbers (270,000,000원 is 270000000, 15% is 15), so SUM, AVG, MIN, MAX and "
    "comparisons work; text columns hold the cell text (use LIKE '%…%'). Quote a column name "
    "with double quotes when it is not a plain word. Every table has _rid, the row id: select "
    "it (or group_concat(_rid) beside an aggregate) so the result names its rows. Each result "
    "row comes with `cite`: the source number(s) [n] to cite for it. Table `tables` lists all "
    "tables (name, document, sheet, caption, page, rows, columns)."
)


class TableQueryArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sql: str = Field(
        min_length=1,
        max_length=MAX_SQL_CHARS,
        description="One SQLite SELECT, e.g. SELECT 품목, 단가_원 FROM t1 WHERE 품목 LIKE '%볼트%'",
    )


class TableQueryTool:
    """SQL over one workspace's tables; build it in the thread that will run it."""

    def __init__(
        self,
        reader: TableReader,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = MAX_RESULT_ROWS,
        max_cells: int = MAX_CELLS,
    ) -> None:
        self._reader = reader
        self._timeout = timeout
        self._max_rows = max_rows
        self._max_cells = max_cells
        self._loaded: LoadedTables | None = None
        self._key: tuple[object, ...] = ()
        self._image: bytes | None = None
        self._sandbox: SqlSandbox | None = None
        self._spec: ToolSpec | None = None

    @property
    def tables(self) -> LoadedTables:
        """The workspace's tables, loaded on first use (or taken from the process's cache)."""
        if self._loaded is None:
            self._key = _cache_key(self._reader, self._max_cells)
            with _cache_lock:
                cached = _cache.get(self._key)
                if cached is not None:
                    _cache.move_to_end(self._key)
            if cached is not None:
                self._loaded, self._image = cached
            else:
                self._loaded = load_tables(self._reader, max_cells=self._max_cells)
        return self._loaded

    @property
    def spec(self) -> ToolSpec:
        if self._spec is None:
            self._spec = ToolSpec(
                "table_query", _description(self.tables), schema_of(TableQueryArguments)
            )
        return self._spec

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()
            self._sandbox = None

    def run(self, arguments: Mapping[str, Any], cite: Cite) -> ToolResult:
        sql = parse_arguments(TableQueryArguments, arguments).sql
        output = self._database().run(sql)
        by_name = {t.name: t for t in self.tables.tables}
        read = sorted({by_name[t] for t, _ in output.read if t in by_name}, key=_order)
        rows, cites, labels, numbers = [], [], [], []
        cited_rows = 0
        for values in output.rows:
            found = self._provenance(output, values, read)
            cite_rows = found[: max(0, MAX_CITED_ROWS - cited_rows)]
            cited_rows += len(cite_rows)
            marks = []
            for table, row in cite_rows:
                passage = table.row_passage(row)
                if passage is not None:
                    marks.append(f"[{cite(passage)}]")
            row_labels = [f"{t.document.name} · {t.row_label(r)}" for t, r in found]
            if not found:
                row_labels = [f"{t.document.name} · {t.label()}" for t in read]
            rows.append([_shown(v) for v in values])
            cites.append("".join(marks) or "; ".join(row_labels))
            labels.extend(row_labels)
            numbers.extend(_computed(values, output.columns, found, output.read))
        data = {
            "columns": output.columns,
            "rows": rows,
            "cite": cites,
            "row_count": len(rows),
            "truncated": output.truncated,
        }
        names = ", ".join(f"{t.name} ({t.document.name})" for t in read) or "no table"
        more = f" (first {len(rows)}; more left out)" if output.truncated else ""
        return ToolResult(
            content=as_content(data),
            summary=f"{len(rows)} rows from {names}{more}",
            numbers=tuple(dict.fromkeys(numbers)),
            sources=tuple(dict.fromkeys(labels)),
            data=data,
        )

    def _database(self) -> SqlSandbox:
        if self._sandbox is None:
            loaded = self.tables
            rows = self._image is None  # an image holds them already
            self._sandbox = SqlSandbox(
                [_catalogue(loaded), *(_schema(t, rows=rows) for t in loaded.tables)],
                timeout=self._timeout,
                max_rows=self._max_rows,
                image=self._image,
                keep_image=self._image is None,
            )
            image = self._sandbox.image()
            if image is not None:
                _remember(self._key, loaded, image)
        return self._sandbox

    def _provenance(
        self, output: QueryOutput, values: Sequence[object], read: Sequence[QueryTable]
    ) -> list[tuple[QueryTable, int]]:
        """The rows a result row came from: named by ``_rid``, else found by its values."""
        named = list(zip(output.columns, values, strict=True))
        rids = [v for c, v in named if "_rid" in c.lower()]
        if rids:
            found = [self.tables.by_rid(rid) for rid in _integers(rids)]
            return [f for f in found if f is not None]
        for table in read:
            rows = self._rows_holding(table, output.read, named)
            if rows is not None and 0 < len(rows) <= MAX_ROWS_PER_RESULT:
                return [(table, r) for r in sorted(rows)]
        return []

    def _rows_holding(
        self,
        table: QueryTable,
        read: Iterable[tuple[str, str]],
        named: Sequence[tuple[str, object]],
    ) -> set[int] | None:
        """Rows of ``table`` holding every value the result row projects from its columns.

        Only a result column named like a column the query read counts (``단가``, ``t1.단가``):
        a computed value (``sum(단가)``, ``count(*)``) may equal some cell by chance.
        """
        columns = {c.lower() for t, c in read if t == table.name and c and c != "_rid"}
        found: set[int] | None = None
        for name, value in named:
            column = name.lower().rsplit(".", 1)[-1].strip('"')
            if value is None or column not in columns:
                continue
            rows = set(self._value_index(table, column).get(value, ()))
            found = rows if found is None else found & rows
        return found

    def _value_index(self, table: QueryTable, column: str) -> dict[object, list[int]]:
        key = (table.name, column.lower())
        indexes = self.tables.value_index
        if key not in indexes:
            position = next(
                (i for i, c in enumerate(table.columns) if c.name.lower() == column.lower()), None
            )
            index: dict[object, list[int]] = {}
            if position is not None:
                for row, values in enumerate(table.values):
                    if values[position] is not None:
                        index.setdefault(values[position], []).append(row)
            indexes[key] = index  # built whole, then published: other threads see all or none
        return indexes[key]


def _cache_key(reader: TableReader, max_cells: int) -> tuple[object, ...]:
    """What the loaded tables depend on: every document with tables, as it is now."""
    return (
        max_cells,
        *sorted(
            (d.id, d.path, d.content_hash, d.updated_at, d.tables)
            for d in reader.documents()
            if d.status == "indexed" and d.tables
        ),
    )


def _remember(key: tuple[object, ...], loaded: LoadedTables, image: bytes) -> None:
    with _cache_lock:
        _cache[key] = (loaded, image)
        _cache.move_to_end(key)
        while len(_cache) > CACHED_WORKSPACES:
            _cache.popitem(last=False)


def _computed(
    values: Sequence[object],
    columns: Sequence[str],
    found: Sequence[tuple[QueryTable, int]],
    read: Iterable[tuple[str, str]],
) -> list[ToolNumber]:
    """Numbers of a result row that no cell of its rows holds, with those cells' numbers."""
    if not found:
        return []
    read_columns = {(t, c.lower()) for t, c in read}
    cells: set[Decimal] = set()
    for table, row in found:
        for i, described in enumerate(table.columns):
            cell = table.values[row][i]
            key = (table.name, described.name.lower())
            if described.numeric and key in read_columns and isinstance(cell, int | float):
                cells.add(_decimal(cell))
    out = []
    for value, name in zip(values, columns, strict=True):
        if isinstance(value, bool) or not isinstance(value, int | float) or "_rid" in name:
            continue
        number = _decimal(value)
        if number not in cells and cells:
            out.append(tool_number(number, sorted(cells)))
    return out


def _decimal(value: int | float) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(format(value, ".15g"))


def _integers(values: Iterable[object]) -> list[int]:
    """Row ids in ``_rid`` values: numbers, or text such as "3,4,5" from group_concat."""
    ids: list[int] = []
    for value in values:
        if isinstance(value, int):
            ids.append(value)
        elif isinstance(value, str):
            ids.extend(int(p) for p in value.replace(";", ",").split(",") if p.strip().isdigit())
    return list(dict.fromkeys(ids))


def _shown(value: object) -> object:
    if isinstance(value, float):
        return float(format(value, ".12g"))
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return value[:MAX_CELL_CHARS] + "…"
    return value


def _order(table: QueryTable) -> int:
    return table.first_rid


def _schema(
    table: QueryTable, *, rows: bool = True
) -> tuple[str, list[tuple[str, str]], list[tuple[object, ...]]]:
    columns = [("_rid", "INTEGER")]
    columns += [(c.name, "NUMERIC" if c.numeric else "TEXT") for c in table.columns]
    values = table.values if rows else ()
    typed: list[tuple[object, ...]] = [(table.first_rid + i, *v) for i, v in enumerate(values)]
    return table.name, columns, typed


def _catalogue(loaded: LoadedTables) -> tuple[str, list[tuple[str, str]], list[tuple[object, ...]]]:
    columns = ["name", "document", "sheet", "caption", "page", "rows", "columns"]
    rows: list[tuple[object, ...]] = [
        (
            t.name,
            t.document.name,
            t.stored.table.sheet,
            t.stored.table.caption,
            t.stored.page,
            len(t.values),
            ", ".join(c.describe() for c in t.columns),
        )
        for t in loaded.tables
    ]
    return CATALOGUE, [(c, "NUMERIC" if c in ("page", "rows") else "TEXT") for c in columns], rows


def _description(loaded: LoadedTables) -> str:
    lines = [_INTRO, "", "Tables:" if loaded.tables else "This workspace has no tables yet."]
    for table in loaded.tables[:DESCRIBED_TABLES]:
        where = " · ".join(
            p for p in (table.document.name, table.stored.table.sheet, table.label()) if p
        )
        columns = ", ".join(c.describe() for c in table.columns[:DESCRIBED_COLUMNS])
        extra = len(table.columns) - DESCRIBED_COLUMNS
        columns += f", … {extra} more" if extra > 0 else ""
        rows = f"{len(table.values)} row" + ("" if len(table.values) == 1 else "s")
        lines.append(f"- {table.name}: {where} ({rows}): {columns}")
    rest = len(loaded.tables) - DESCRIBED_TABLES
    if rest > 0:
        lines.append(f"- … {rest} more tables: SELECT * FROM tables")
    if loaded.left_out:
        lines.append(f"(Too large to load here: {', '.join(loaded.left_out[:5])})")
    return "\n".join(lines)
