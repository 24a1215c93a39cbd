"""The server registry's contract on both backends: ``server.db`` and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dalin.stores.postgres_db import Database
from dalin.stores.server_postgres import PostgresRegistry
from dalin.stores.server_sqlite import MIGRATIONS, SQLiteRegistry
from dalin.testing.postgres import PostgresURLs, another_database
from dalin.testing.server_registry_contract import ServerRegistryContract


class TestSQLiteRegistry(ServerRegistryContract):
    shared_limits = False  # kept in each process's memory: one process per server.db

    @pytest.fixture
    def registry(self, tmp_path: Path) -> Iterator[SQLiteRegistry]:
        found = SQLiteRegistry(tmp_path / "server.db")
        yield found
        found.close()

    @pytest.fixture
    def other(self, tmp_path: Path, registry: SQLiteRegistry) -> Iterator[SQLiteRegistry]:
        found = SQLiteRegistry(tmp_path / "server.db")
        yield found
        found.close()


class TestPostgresRegistry(ServerRegistryContract):
    @pytest.fixture
    def urls(self, postgres: PostgresURLs) -> PostgresURLs:
        return another_database(postgres, "dalin_registry")

    @pytest.fixture
    def registry(self, urls: PostgresURLs) -> Iterator[PostgresRegistry]:
        db = Database(urls.app, pool_size=2)
        yield PostgresRegistry(db)
        db.close()

    @pytest.fixture
    def other(self, urls: PostgresURLs, registry: PostgresRegistry) -> Iterator[PostgresRegistry]:
        db = Database(urls.app, pool_size=2)  # its own pool, as another process has
        yield PostgresRegistry(db)
        db.close()


def test_a_server_db_from_before_numbered_migrations_is_adopted(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "server.db"
    with sqlite3.connect(path) as db:  # what dalin wrote before: the tables, no version
        db.executescript(MIGRATIONS[0])
        db.execute(
            "INSERT INTO api_keys (name, role, workspace, prefix, key_sha256, created_at)"
            " VALUES ('boss', 'admin', NULL, 'dln_aaaa', 'digest', '2026-01-01T00:00:00+00:00')"
        )
    db.close()
    registry = SQLiteRegistry(path)
    try:
        found = registry.key_by_digest("digest")
        assert found is not None and found.name == "boss"
    finally:
        registry.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    db.close()
