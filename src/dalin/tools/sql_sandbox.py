"""A read-only, in-memory SQLite that runs one model-written SELECT at a time, bounded.

SECURITY.md check 7. The database lives in memory and holds only the tables it was
given; the connection is then locked down, in layers, so that no single mistake opens it:

* **only a SELECT** (or ``WITH … SELECT``): the text must start so, hold one statement,
  and the authorizer allows only the actions a query needs — ``SELECT``, ``READ`` of the
  loaded tables, ``RECURSIVE`` CTEs and whitelisted functions. ``ATTACH`` (a way to open
  any file, or another workspace's database), ``PRAGMA``, every write and schema change,
  ``load_extension``, ``fts3_tokenizer`` and the engine's own virtual tables (``dbstat``,
  ``sqlite_stmt``, ``pragma_*``) are refused at prepare time, before anything runs;
* **read-only**: ``PRAGMA query_only`` is set before the authorizer goes on (which then
  refuses any PRAGMA, so it cannot be unset), and ``SQLITE_LIMIT_ATTACHED`` is 0;
* **no extensions**: loading is off (this build of Python cannot even turn it on);
* **bounded**: a progress handler stops a query after ``timeout`` seconds (a runaway
  ``WITH RECURSIVE`` included), strings and blobs are capped at ``MAX_VALUE_BYTES``, the
  SQL text at ``MAX_SQL_CHARS``, and at most ``max_rows`` rows are fetched.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from dalin.errors import QueryRefused

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_ROWS = 200
MAX_SQL_CHARS = 4000
#: longest string or blob any expression may build (printf('%.*c', 1e9, 'x'), replace(), …)
MAX_VALUE_BYTES = 1_000_000
#: virtual-machine steps between two looks at the clock
_PROGRESS_STEPS = 2000

#: functions a query may call: arithmetic, text, dates, aggregates and window functions
_FUNCTION_NAMES = """abs avg count group_concat max min sum total round length lower upper
substr substring trim ltrim rtrim replace instr coalesce ifnull nullif iif typeof printf format
date time datetime julianday strftime unixepoch like glob char hex unicode quote sign ceil
ceiling floor trunc sqrt pow power exp ln log log10 log2 mod pi row_number rank dense_rank
ntile lag lead first_value last_value nth_value percent_rank cume_dist likely unlikely
likelihood"""
ALLOWED_FUNCTIONS = frozenset(_FUNCTION_NAMES.split())
_ALLOWED_ACTIONS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE})
_ACTION_NAMES = {
    value: name.removeprefix("SQLITE_")
    for name, value in vars(sqlite3).items()
    if name.startswith("SQLITE_")
    and isinstance(value, int)
    and name.removeprefix("SQLITE_").split("_")[0]
    in {"ATTACH", "DETACH", "PRAGMA", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER",
        "TRANSACTION", "SAVEPOINT", "ANALYZE", "REINDEX", "FUNCTION", "READ", "SELECT"}
}  # fmt: skip
_COMMENTS = re.compile(r"--[^\n]*|/\*.*?(?:\*/|$)", re.DOTALL)
_START = re.compile(r"^\s*\(*\s*(select|with|values)\b", re.IGNORECASE)


@dataclass
class QueryOutput:
    columns: list[str]
    rows: list[tuple[object, ...]]
    truncated: bool
    seconds: float
    #: (table, column) pairs the query read, as the authorizer saw them
    read: set[tuple[str, str]] = field(default_factory=set)


class SqlSandbox:
    """One in-memory database of the given tables, locked down; :meth:`run` answers queries.

    Build and use it in one thread (an SQLite connection belongs to the thread that made it).
    """

    def __init__(
        self,
        schema: Sequence[tuple[str, Sequence[tuple[str, str]], Sequence[Sequence[object]]]],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        image: bytes | None = None,
        keep_image: bool = False,
    ) -> None:
        """``schema``: (table name, [(column, SQL type)], rows) for each table; ``image``,
        when given, is :meth:`image` of a sandbox built from the same schema, loaded
        instead of inserting the rows again (the rows of ``schema`` are then not read);
        ``keep_image`` keeps the loaded database's bytes for :meth:`image`."""
        self.timeout = timeout
        self.max_rows = max_rows
        self._tables = frozenset(name.lower() for name, _, _ in schema)
        self._db = sqlite3.connect(":memory:", isolation_level=None, cached_statements=0)
        if image is not None:
            self._db.deserialize(image)
        else:
            for name, columns, rows in schema:
                declared = ", ".join(f"{_quote(c)} {kind}" for c, kind in columns)
                self._db.execute(f"CREATE TABLE {_quote(name)} ({declared})")
                marks = ", ".join("?" for _ in columns)
                self._db.executemany(f"INSERT INTO {_quote(name)} VALUES ({marks})", rows)
        # taken before the lock-down: serializing reads pages through SQL the authorizer refuses
        self._image = self._db.serialize() if keep_image else None
        self._lock_down()
        self._deadline = 0.0
        self._refused: list[str] = []
        self._read: set[tuple[str, str]] = set()

    def _lock_down(self) -> None:
        db = self._db
        db.execute("PRAGMA query_only = ON")
        db.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        db.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_CHARS * 4)  # bytes of UTF-8
        db.setlimit(sqlite3.SQLITE_LIMIT_EXPR_DEPTH, 100)
        db.setlimit(sqlite3.SQLITE_LIMIT_COMPOUND_SELECT, 50)
        db.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1000)
        db.set_authorizer(self._authorize)
        db.set_progress_handler(self._progress, _PROGRESS_STEPS)

    def close(self) -> None:
        self._db.close()

    def image(self) -> bytes | None:
        """The loaded database's bytes (when built with ``keep_image``), for another sandbox."""
        return self._image

    def run(self, sql: str) -> QueryOutput:
        """Run one read-only query; ``QueryRefused`` says why one is not run or was stopped."""
        text = _check_text(sql)
        self._refused, self._read = [], set()
        started = time.monotonic()
        self._deadline = started + self.timeout
        try:
            cursor = self._db.execute(text)
            rows = cursor.fetchmany(self.max_rows + 1)
        except sqlite3.Error as exc:
            raise self._refusal(exc) from exc
        finally:
            self._deadline = 0.0
        columns = [d[0] for d in cursor.description or ()]
        cursor.close()
        truncated = len(rows) > self.max_rows
        return QueryOutput(
            columns, rows[: self.max_rows], truncated, time.monotonic() - started, self._read
        )

    def _authorize(
        self, action: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None
    ) -> int:
        if action == sqlite3.SQLITE_FUNCTION:
            if (arg2 or "").lower() in ALLOWED_FUNCTIONS:
                return sqlite3.SQLITE_OK
            self._refused.append(f"the function {arg2}()")
        elif action == sqlite3.SQLITE_READ:
            if not arg2 and db is None:  # a table or CTE named but no column read: count(*)
                if (arg1 or "").lower() in self._tables:
                    self._read.add(((arg1 or "").lower(), ""))
                return sqlite3.SQLITE_OK
            if (arg1 or "").lower() in self._tables and db == "main":
                self._read.add(((arg1 or "").lower(), arg2 or ""))
                return sqlite3.SQLITE_OK
            self._refused.append(f"reading {arg1}")
        elif action in _ALLOWED_ACTIONS:
            return sqlite3.SQLITE_OK
        elif arg1 == "sqlite_master":  # an eponymous virtual table declaring its schema
            self._refused.append("the engine's own tables (pragma_*, dbstat, json_each, …)")
        else:
            what = _ACTION_NAMES.get(action, f"action {action}")
            self._refused.append(f"{what} {arg1 or ''}".strip())
        return sqlite3.SQLITE_DENY

    def _progress(self) -> int:
        # a non-zero return interrupts the statement (SQLite: sqlite3_progress_handler)
        return 1 if self._deadline and time.monotonic() > self._deadline else 0

    def _refusal(self, exc: sqlite3.Error) -> QueryRefused:
        message = str(exc)
        if self._refused:
            return QueryRefused(
                f"not allowed: {self._refused[0]}. table_query runs one read-only SELECT over "
                "this workspace's tables (list them with SELECT * FROM tables)"
            )
        if "interrupted" in message:
            return QueryRefused(
                f"the query ran longer than {self.timeout:g} s and was stopped; narrow it "
                "(WHERE, LIMIT) or avoid unbounded recursion"
            )
        if "too big" in message:
            return QueryRefused(f"a value grew beyond {MAX_VALUE_BYTES:,} bytes: {message}")
        return QueryRefused(f"SQL error: {message}")


def _check_text(sql: str) -> str:
    text = sql.strip().rstrip(";").strip()
    if not text:
        raise QueryRefused("the query is empty")
    if len(text) > MAX_SQL_CHARS:
        raise QueryRefused(f"the query is longer than {MAX_SQL_CHARS} characters")
    if not _START.match(_COMMENTS.sub(" ", text)):
        raise QueryRefused("only a SELECT (or WITH … SELECT) query is allowed")
    return text  # a second statement is refused by sqlite3 itself ("one statement at a time")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
