"""The SQLite store against the Store contract, plus SQLite-specific guarantees."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dalin.errors import SchemaTooNew
from dalin.stores.migrations import MIGRATIONS
from dalin.stores.sqlite import SQLiteStore, fts_query
from dalin.testing.store_contract import StoreContract


class TestSQLiteStoreContract(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> SQLiteStore:
        s = SQLiteStore(tmp_path / "dalin.db")
        yield s  # type: ignore[misc]
        s.close()


def test_durability_settings(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "dalin.db")
    db = store._db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "dalin.db").close()
    SQLiteStore(tmp_path / "dalin.db").close()
    db = sqlite3.connect(tmp_path / "dalin.db")
    rows = db.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))
    db.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "dalin.db").close()
    db = sqlite3.connect(tmp_path / "dalin.db")
    db.execute("INSERT INTO schema_migrations VALUES (999, 'from the future', 'now')")
    db.commit()
    db.close()
    with pytest.raises(SchemaTooNew, match="upgrade dalin"):
        SQLiteStore(tmp_path / "dalin.db")


def test_fts_query_quotes_every_token() -> None:
    assert fts_query(['a"b', "OR", "x", "x"]) == '"a""b" OR "OR" OR "x"'
    assert fts_query([]) == ""


def test_a_version_1_store_is_upgraded_and_keeps_its_documents(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.execute(
        "CREATE TABLE schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    MIGRATIONS[0][1](db)
    db.execute("INSERT INTO schema_migrations VALUES (1, 'initial', 'then')")
    db.execute(
        "INSERT INTO documents (path, name, size, mtime_ns, content_hash, status, added_at,"
        " updated_at) VALUES ('/d/a.txt', 'a.txt', 1, 1, 'h', 'indexed', 'then', 'then')"
    )
    db.execute("COMMIT")
    db.close()
    store = SQLiteStore(path)
    try:
        (doc,) = store.documents()
        assert doc.name == "a.txt" and doc.tables == 0 and store.tables(doc.id) == []
    finally:
        store.close()
