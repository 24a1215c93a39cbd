"""Backup and restore with PostgreSQL's own pg_dump and pg_restore (docs/deploy.md, "Backup")."""

from __future__ import annotations

import subprocess
from pathlib import Path

from dalin.stores.postgres import PostgresStore, create_workspace
from dalin.stores.postgres_db import Database, connect, database
from dalin.testing.postgres import PostgresURLs, with_user
from dalin.testing.store_contract import chunk, price_table, record, unit
from dalin.types import Filter


def run(tool: Path, *args: str) -> str:
    done = subprocess.run([str(tool), *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_pg_dump_and_pg_restore_bring_every_workspace_back(
    postgres: PostgresURLs, tmp_path: Path
) -> None:
    db = database(postgres.app)
    create_workspace(db, "backup-a")
    store = PostgresStore(db, "backup-a")
    doc = store.upsert_document(
        record("/d/재고.xlsx"),
        [chunk("볼트 재고 3,000개", ["볼트", "재고", "3,000"])],
        [price_table()],
    )
    store.put_embeddings("e", [(h, unit(1, 0)) for h, _ in store.chunks_without_vectors("e", 9)])
    store.log_answer({"question": "볼트 재고는?", "conversation": "c"})

    dump = tmp_path / "dalin.dump"
    # what docs/deploy.md says to run: a custom-format dump of the database, as its owner
    run(postgres.bin_dir / "pg_dump", "--format=custom", f"--file={dump}", postgres.owner)
    with connect(postgres.owner) as conn:
        conn.execute("DROP DATABASE IF EXISTS dalin_restored")
        conn.execute("CREATE DATABASE dalin_restored")
    restored_owner = postgres.owner.replace("/dalin?", "/dalin_restored?")
    run(postgres.bin_dir / "pg_restore", "--exit-on-error", f"--dbname={restored_owner}", str(dump))

    restored = Database(with_user(restored_owner, "dalin_app"))  # checks schema, role, fsync
    try:
        copy = PostgresStore(restored, "backup-a")
        assert [d.path for d in copy.documents()] == ["/d/재고.xlsx"]
        assert copy.documents()[0].id == doc  # ids are kept
        assert [h.text for h in copy.keyword_search(["볼트"], 5, Filter())] == ["볼트 재고 3,000개"]
        assert len(copy.vector_search(unit(1, 0), 5, Filter(), "e")) == 1
        assert copy.tables(doc)[0].table == price_table().table
        assert [e["question"] for e in copy.answer_log()] == ["볼트 재고는?"]
        with restored.transaction() as conn:  # RLS came back with the tables
            assert conn.execute("SELECT count(*) FROM chunks").fetchone() == (0,)
        # a new document gets a new id: the identity sequences were restored too
        assert copy.upsert_document(record("/d/new.txt"), [chunk("새", ["새"])]) > doc
    finally:
        restored.close()
    # the archive lists what it holds: the tables and the row-level security policies
    listing = run(postgres.bin_dir / "pg_restore", "--list", str(dump))
    assert "TABLE dalin chunks" in listing and "POLICY dalin chunks workspace_only" in listing
