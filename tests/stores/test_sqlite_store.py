"""The SQLite store against the Store contract, plus SQLite-specific guarantees."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from dalin.errors import SchemaTooNew, StoreError
from dalin.stores.migrations import MIGRATIONS, text_hash
from dalin.stores.sqlite import SQLiteStore, fts_query
from dalin.testing.store_contract import VECTORS, StoreContract, chunk, embed_all, record, unit
from dalin.types import Filter


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


def test_the_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "dalin.db")
    store.log_answer({"question": "q"})  # a write: the -wal file exists now
    modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()}
    store.close()
    assert modes["dalin.db"] == 0o600 and modes["dalin.db-wal"] == 0o600


def test_one_store_serves_many_threads(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "dalin.db")
    store.upsert_document(record("/d/a.txt"), [chunk("휴가", ["휴가"])])
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(10):
                store.log_answer({"question": f"{i}-{j}", "owner": f"key:{i}"})
                assert len(store.keyword_search(["휴가"], 5, Filter())) == 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.answer_log(limit=1000)) == 80
    assert len(store.answer_log(owner="key:3", limit=1000)) == 10
    store.close()
    late: list[BaseException] = []

    def count() -> None:  # a thread that had no connection yet
        try:
            store.chunk_count()
        except StoreError as exc:
            late.append(exc)

    thread = threading.Thread(target=count)
    thread.start()
    thread.join()
    assert len(late) == 1 and "closed" in str(late[0])


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


def _version_3_store_with_chunks(path: Path, texts: list[str]) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.execute(
        "CREATE TABLE schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for version, (name, apply) in enumerate(MIGRATIONS[:3], start=1):
        apply(db)
        db.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (version, name))
    db.execute(
        "INSERT INTO documents (path, name, size, mtime_ns, content_hash, status, added_at,"
        " updated_at) VALUES ('/d/a.txt', 'a.txt', 1, 1, 'h', 'indexed', 'then', 'then')"
    )
    for i, text in enumerate(texts):
        db.execute(
            "INSERT INTO chunks (doc_id, ord, text, start, end, label) VALUES (1, ?, ?, 0, 1, 'x')",
            (i, text),
        )
    db.execute("COMMIT")
    db.close()


def test_migration_4_hashes_the_text_of_existing_chunks(tmp_path: Path) -> None:
    texts = [f"조각 {i}" for i in range(2500)] + ["조각 0"]  # more than one page of the backfill
    _version_3_store_with_chunks(tmp_path / "old.db", texts)
    store = SQLiteStore(tmp_path / "old.db")
    try:
        hashes = [r[0] for r in store._db.execute("SELECT text_hash FROM chunks ORDER BY id")]
        assert hashes == [text_hash(t) for t in texts]
        assert text_hash("조각 0") == hashlib.sha256("조각 0".encode()).hexdigest()
        pending = store.chunks_without_vectors("e", 5000)
        assert len(pending) == 2500 and pending[0] == (hashes[0], "조각 0")
    finally:
        store.close()


def test_vectors_are_stored_as_little_endian_float16(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "dalin.db")
    store.upsert_document(record("/d/a.txt"), [chunk("연차", ["연차"])])
    ((h, _),) = store.chunks_without_vectors("e", 5)
    vector = unit(0.3, -0.2, 0.9, dim=384)
    store.put_embeddings("e", [(h, vector)])
    dim, blob = store._db.execute("SELECT dim, vector FROM embeddings").fetchone()
    assert dim == 384 and len(blob) == 384 * 2
    assert np.allclose(np.frombuffer(blob, dtype="<f2"), vector, atol=1e-3)
    store.close()


def test_a_second_connection_sees_new_and_deleted_vectors(tmp_path: Path) -> None:
    writer = SQLiteStore(tmp_path / "dalin.db")
    reader = SQLiteStore(tmp_path / "dalin.db")
    try:
        a = writer.upsert_document(record("/d/a.txt"), [chunk("연차휴가 15일", ["a"])])
        embed_all(writer, "e", VECTORS)
        assert [h.doc_id for h in reader.vector_search(unit(1), 5, Filter(), "e")] == [a]
        b = writer.upsert_document(record("/d/b.txt"), [chunk("점심시간 12시", ["c"])])
        embed_all(writer, "e", VECTORS)
        assert [h.doc_id for h in reader.vector_search(unit(1), 5, Filter(), "e")] == [a, b]
        assert reader.vector_coverage("e") == (2, 2)
        writer.delete_document(a)
        assert [h.doc_id for h in reader.vector_search(unit(1), 5, Filter(), "e")] == [b]
        assert reader.vector_coverage("e") == (1, 1)
    finally:
        writer.close()
        reader.close()


def test_the_vector_index_is_rebuilt_only_when_chunks_or_vectors_change(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "dalin.db")
    other = SQLiteStore(tmp_path / "dalin.db")
    try:
        store.upsert_document(record("/d/a.txt"), [chunk("연차휴가 15일", ["a"])])
        embed_all(store, "e", VECTORS)
        first = store._vectors.get(store._db, "e")
        other.log_answer({"question": "연차는?"})  # a write that touches neither
        store.touch_document(1, 5)
        assert store._vectors.get(store._db, "e") is first
        other.upsert_document(record("/d/b.txt"), [chunk("점심시간 12시", ["c"])])
        second = store._vectors.get(store._db, "e")
        assert second is not first and len(second) == 1
        embed_all(other, "e", VECTORS)
        assert len(store._vectors.get(store._db, "e")) == 2
    finally:
        store.close()
        other.close()


def test_a_query_of_another_size_is_refused(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "dalin.db")
    store.upsert_document(record("/d/a.txt"), [chunk("연차휴가 15일", ["a"])])
    embed_all(store, "e", VECTORS)
    with pytest.raises(StoreError, match="dimensions"):
        store.vector_search(unit(1, dim=16), 5, Filter(), "e")
    store.close()
