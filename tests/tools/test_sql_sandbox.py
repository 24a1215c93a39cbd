"""The SQL sandbox refuses everything but reading its own tables (SECURITY.md check 7)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dalin.errors import QueryRefused
from dalin.tools.sql_sandbox import DEFAULT_TIMEOUT, MAX_VALUE_BYTES, SqlSandbox

PRICES = (
    "t1",
    [("_rid", "INTEGER"), ("품목", "TEXT"), ("단가", "NUMERIC")],
    [(1, "육각 볼트 M8", 135), (2, "육각 너트 M8", 45), (3, "토크 렌치", 385000)],
)


@pytest.fixture
def sandbox() -> Iterator[SqlSandbox]:
    box = SqlSandbox([PRICES])
    yield box
    box.close()


def test_reads_its_tables(sandbox: SqlSandbox) -> None:
    out = sandbox.run("SELECT 품목, 단가 FROM t1 WHERE 단가 > 100 ORDER BY 단가")
    assert out.columns == ["품목", "단가"]
    assert out.rows == [("육각 볼트 M8", 135), ("토크 렌치", 385000)]
    assert out.read == {("t1", "품목"), ("t1", "단가")}
    assert not out.truncated


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT count(*) FROM t1",
        "SELECT sum(단가), avg(단가), max(단가) FROM t1",
        "WITH cheap AS (SELECT * FROM t1 WHERE 단가 < 100) SELECT 품목 FROM cheap",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
        "SELECT sum(i) FROM n",
        "SELECT 품목, rank() OVER (ORDER BY 단가 DESC) FROM t1",
        "SELECT round(단가 * 1.1), printf('%,d', 단가), strftime('%Y', '2025-03-01') FROM t1",
        "select * from main.t1 -- a comment; with a semicolon",
        "SELECT 품목 FROM t1 WHERE 품목 LIKE '%;%'",
    ],
)
def test_ordinary_queries_run(sandbox: SqlSandbox, sql: str) -> None:
    sandbox.run(sql)


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("ATTACH DATABASE '/tmp/other/dalin.db' AS other", "only a SELECT"),
        ("PRAGMA query_only = OFF", "only a SELECT"),
        ("VACUUM INTO '/tmp/copy.db'", "only a SELECT"),
        ("DELETE FROM t1", "only a SELECT"),
        ("INSERT INTO t1 VALUES (4, 'x', 1)", "only a SELECT"),
        ("CREATE TABLE x (a)", "only a SELECT"),
        ("SELECT 1; DROP TABLE t1", "one statement at a time"),
        ("SELECT load_extension('/tmp/evil.so')", "load_extension"),
        ("SELECT fts3_tokenizer('simple')", "fts3_tokenizer"),
        ("SELECT readfile('/etc/passwd')", "no such function"),
        ("SELECT writefile('/tmp/x', 'y')", "no such function"),
        ("SELECT * FROM sqlite_master", "sqlite_master"),
        ("SELECT * FROM pragma_database_list", "the engine's own tables"),
        ("SELECT * FROM pragma_function_list", "the engine's own tables"),
        ("SELECT * FROM dbstat", "the engine's own tables"),
        ("SELECT * FROM json_each('[1]')", "the engine's own tables"),
        ("SELECT * FROM other.t1", "no such table"),
        ("SELECT randomblob(1000000000)", "randomblob"),
        ("SELECT zeroblob(1000000000)", "zeroblob"),
        ("", "empty"),
    ],
)
def test_refused(sandbox: SqlSandbox, sql: str, reason: str) -> None:
    with pytest.raises(QueryRefused, match=reason):
        sandbox.run(sql)


def test_inner_layers_hold_without_the_text_check(sandbox: SqlSandbox, tmp_path: Path) -> None:
    """Even a statement the first check would let through meets the authorizer and the
    connection's limits: no ATTACH, no write, no PRAGMA, no file."""
    db = sandbox._db  # the connection as a model's SQL would reach it past the text check
    target = tmp_path / "other.db"
    for statement in (
        f"ATTACH DATABASE '{target}' AS other",
        "PRAGMA query_only = OFF",
        "INSERT INTO t1 VALUES (9, 'x', 1)",
        f"VACUUM INTO '{target}'",
    ):
        with pytest.raises(sqlite3.DatabaseError):
            db.execute(statement)
    assert not target.exists()
    assert db.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED) == 0
    assert sandbox.run("SELECT count(*) FROM t1").rows == [(3,)]


@pytest.mark.timed
def test_a_runaway_recursive_query_is_killed_within_the_limit(sandbox: SqlSandbox) -> None:
    assert DEFAULT_TIMEOUT == 5.0
    started = time.monotonic()
    with pytest.raises(QueryRefused, match="longer than 5 s"):
        sandbox.run(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
        )
    assert time.monotonic() - started < DEFAULT_TIMEOUT + 1.0
    assert sandbox.run("SELECT count(*) FROM t1").rows == [(3,)]  # usable afterwards


@pytest.mark.timed
def test_a_cross_join_explosion_is_killed() -> None:
    box = SqlSandbox([PRICES], timeout=0.5)
    started = time.monotonic()
    with pytest.raises(QueryRefused, match=r"longer than 0\.5 s"):
        box.run(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
            "SELECT count(*) FROM n a, n b"
        )
    assert time.monotonic() - started < 2.0
    box.close()


def test_values_cannot_grow_without_bound(sandbox: SqlSandbox) -> None:
    big = MAX_VALUE_BYTES * 10
    out = sandbox.run(f"SELECT printf('%.*c', {big}, 'x')")
    assert out.rows == [(None,)]  # SQLite gives up on the string instead of building it
    with pytest.raises(QueryRefused, match=r"too big|beyond"):
        sandbox.run(
            f"SELECT length(replace(printf('%.*c', {MAX_VALUE_BYTES - 1}, 'x'), 'x', 'yy'))"
        )


def test_results_are_bounded() -> None:
    box = SqlSandbox([PRICES], max_rows=2)
    out = box.run("SELECT * FROM t1")
    assert len(out.rows) == 2 and out.truncated
    box.close()
