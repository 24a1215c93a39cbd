"""The in-memory keyword index beside PostgreSQL (``dalin.stores.postgres_memory``): it ranks
as the database (and SQLite) do, is used only while it holds the workspace's chunks as they
are, and never outlives the workspace it was built from. A real PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_postgres_store import (
    VOCAB,
    add_document,
    assert_same,
    korquad_into,
    new_store,
    pair,  # noqa: F401  (a fixture)
    random_corpus,
    ranked,
)

from dalin.stores import postgres_lexical, postgres_memory
from dalin.stores.postgres import PostgresStore, create_workspace, delete_workspace
from dalin.stores.postgres_db import Database, database
from dalin.stores.sqlite import SQLiteStore
from dalin.testing.postgres import PostgresURLs
from dalin.types import Filter


@pytest.fixture
def db(postgres: PostgresURLs) -> Database:
    return database(postgres.app)


@pytest.fixture(autouse=True)
def every_workspace(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Index workspaces of any size, rebuilt as soon as they change."""
    monkeypatch.setattr(postgres_memory, "MIN_CHUNKS", 1)
    monkeypatch.setattr(postgres_memory, "REBUILD_SECONDS", 0.0)
    monkeypatch.setattr(postgres_memory, "REBUILD_FACTOR", 0.0)
    # a `dalin ask` run in this process (CliRunner) turns building off for good
    monkeypatch.setattr(postgres_memory.INDEXES, "building", True)
    monkeypatch.delenv(postgres_memory.MEMORY_ENV, raising=False)
    postgres_memory.INDEXES.clear()
    yield
    postgres_memory.INDEXES.wait()
    postgres_memory.INDEXES.clear()


def indexed(store: PostgresStore) -> bool:
    """Build the workspace's index now (a search starts it); whether it is in use."""
    store.keyword_search(["연차"], 1, Filter())
    postgres_memory.INDEXES.wait()
    with store.db.transaction(store.workspace) as conn:
        generation, chunks = conn.execute("SELECT generation, chunks FROM lexical_stats").fetchone()
    return (
        postgres_memory.INDEXES.get(store.db.url, store.workspace, generation, chunks) is not None
    )


def no_database_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any search the database would answer: the index must."""

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the database answered a search the index should have")

    monkeypatch.setattr(postgres_lexical, "search", refuse)


def test_the_index_ranks_as_sqlite_does_on_a_random_corpus(
    pair: tuple[PostgresStore, SQLiteStore],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pg, sqlite = pair
    rng = random.Random(11)
    ids = random_corpus(pg, sqlite, rng)
    assert indexed(pg)
    no_database_search(monkeypatch)
    for _ in range(120):
        tokens = rng.sample(VOCAB, rng.randint(1, 8)) + rng.sample(VOCAB, rng.randint(0, 2))
        k = rng.choice([1, 5, 10, 50, 400])
        assert_same(ranked(pg, tokens, k), ranked(sqlite, tokens, k), tokens)
        chosen = rng.sample(ids, 2)
        got = ranked(pg, tokens, k, [p for p, _ in chosen])
        assert_same(got, ranked(sqlite, tokens, k, [s for _, s in chosen]), tokens)


def test_the_index_ranks_as_sqlite_does_on_real_korean_text(
    pair: tuple[PostgresStore, SQLiteStore],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pg, sqlite = pair
    questions = korquad_into(pg, sqlite)
    assert indexed(pg)
    no_database_search(monkeypatch)
    for tokens in questions:
        assert_same(ranked(pg, tokens, 10), ranked(sqlite, tokens, 10), tokens)


def test_a_change_to_the_chunks_is_seen_at_once_and_the_index_follows(db: Database) -> None:
    store = new_store(db)
    add_document(store, "a.md", [([], ["연차", "휴가"]), ([], ["근로", "기준법"])])
    assert indexed(store)

    added = add_document(store, "b.md", [([], ["신규어", "연차"])])
    # the index is of the chunks before: the database answers, with the new chunk
    assert [t for _, t, _ in ranked(store, ["신규어"], 5)] == ["신규어 연차"]
    assert indexed(store)  # built again, with it
    assert [t for _, t, _ in ranked(store, ["신규어"], 5)] == ["신규어 연차"]

    store.delete_document(added)
    assert ranked(store, ["신규어"], 5) == []  # gone at once, index or not
    assert indexed(store)
    assert ranked(store, ["신규어"], 5) == []


def test_a_workspace_being_written_to_is_not_indexed_again_at_every_change(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = new_store(db)
    add_document(store, "a.md", [([], ["연차", "휴가"])])
    assert indexed(store)
    monkeypatch.setattr(postgres_memory, "REBUILD_FACTOR", 1e9)  # as if each build took ages
    add_document(store, "b.md", [([], ["신규어"])])
    assert not indexed(store)  # too soon after the last build: the database answers
    assert [t for _, t, _ in ranked(store, ["신규어"], 5)] == ["신규어"]
    monkeypatch.setattr(postgres_memory, "REBUILD_FACTOR", 0.0)
    assert indexed(store)


def test_a_workspace_made_again_never_reads_the_old_index(db: Database) -> None:
    store = new_store(db)
    add_document(store, "old.md", [([], ["비밀", "연차"])])
    assert indexed(store)
    with db.transaction(store.workspace) as conn:
        before = conn.execute("SELECT generation FROM lexical_stats").fetchone()[0]

    assert delete_workspace(db, store.workspace)
    create_workspace(db, store.workspace)
    again = PostgresStore(db, store.workspace)
    with db.transaction(again.workspace) as conn:
        now = conn.execute("SELECT generation FROM lexical_stats").fetchone()[0]
    assert now > before  # one sequence for every workspace: never the old value
    assert ranked(again, ["비밀"], 5) == []
    add_document(again, "new.md", [([], ["공개", "연차"])])
    assert ranked(again, ["비밀"], 5) == []
    assert [t for _, t, _ in ranked(again, ["연차"], 5)] == ["공개 연차"]


def test_an_index_over_the_memory_budget_is_not_kept(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = new_store(db)
    add_document(store, "a.md", [([], ["연차", f"w{i}"]) for i in range(50)])
    monkeypatch.setenv(postgres_memory.MEMORY_ENV, "0.001")  # about 1 KB
    assert not indexed(store)
    assert len(ranked(store, ["연차"], 100)) == 50  # the database answers
    monkeypatch.setenv(postgres_memory.MEMORY_ENV, "0")
    postgres_memory.INDEXES.clear()
    assert not indexed(store)  # 0 turns it off: nothing is built


def test_a_small_workspace_is_left_to_the_database(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(postgres_memory, "MIN_CHUNKS", 3)
    store = new_store(db)
    add_document(store, "a.md", [([], ["연차"]), ([], ["휴가"])])
    assert not indexed(store)
    add_document(store, "b.md", [([], ["연차"])])
    assert indexed(store)


def test_a_process_that_builds_nothing_is_answered_by_the_database(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = new_store(db)
    add_document(store, "a.md", [([], ["연차", "휴가"])])
    monkeypatch.setattr(postgres_memory.INDEXES, "building", False)
    assert not indexed(store)
    assert [t for _, t, _ in ranked(store, ["연차"], 5)] == ["연차 휴가"]


def test_a_build_that_fails_leaves_the_database_answering(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = new_store(db)
    add_document(store, "a.md", [([], ["연차", "휴가"])])

    def broken(url: str, workspace: str) -> None:
        raise OSError("the connection was reset")

    monkeypatch.setattr(postgres_memory, "build", broken)
    assert not indexed(store)
    assert "not built: the connection was reset" in caplog.text
    assert [t for _, t, _ in ranked(store, ["연차"], 5)] == ["연차 휴가"]
