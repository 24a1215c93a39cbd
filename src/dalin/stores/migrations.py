"""Schema migrations of the SQLite store: an ordered list of small functions.

Each migration runs once, inside the caller's write transaction, and is recorded in
``schema_migrations``; a database written by a newer dalin is refused rather than guessed at.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from dalin.errors import SchemaTooNew


def _run(db: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it would COMMIT the caller's transaction first.
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


def _m001_initial(db: sqlite3.Connection) -> None:
    _run(
        db,
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            format TEXT NOT NULL DEFAULT '',
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('indexed', 'failed')),
            error_code TEXT NOT NULL DEFAULT '',
            error TEXT NOT NULL DEFAULT '',
            pages INTEGER,
            chars INTEGER NOT NULL DEFAULT 0,
            added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            label TEXT NOT NULL,
            page INTEGER,
            section TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT 'text'
        );
        CREATE INDEX chunks_by_doc ON chunks (doc_id, ord);
        CREATE VIRTUAL TABLE chunks_fts USING fts5 (
            section, body, tokenize = "unicode61 remove_diacritics 0 tokenchars '.'"
        );
        CREATE VIRTUAL TABLE chunks_vocab USING fts5vocab (chunks_fts, 'row');
        """,
    )


def _m002_tables(db: sqlite3.Connection) -> None:
    # Cells are JSON arrays: a table is read and written whole, and rows keep their source
    # row numbers so a later exact query can cite "재고!A12:F12".
    _run(
        db,
        """
        CREATE TABLE doc_tables (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            caption TEXT NOT NULL DEFAULT '',
            sheet TEXT NOT NULL DEFAULT '',
            header TEXT NOT NULL,
            header_row INTEGER NOT NULL DEFAULT 0,
            first_column INTEGER NOT NULL DEFAULT 0,
            last_column INTEGER NOT NULL DEFAULT 0,
            page INTEGER,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL
        );
        CREATE INDEX doc_tables_by_doc ON doc_tables (doc_id, ord);
        CREATE TABLE doc_table_rows (
            table_id INTEGER NOT NULL REFERENCES doc_tables(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            source_row INTEGER NOT NULL DEFAULT 0,
            cells TEXT NOT NULL,
            PRIMARY KEY (table_id, ord)
        ) WITHOUT ROWID;
        """,
    )


def _m003_answer_log(db: sqlite3.Connection) -> None:
    # The full entry is JSON (question, sources, citations, tokens, cost, timings) so the
    # log can grow fields without migrations; the columns are what lists filter on.
    _run(
        db,
        """
        CREATE TABLE answer_log (
            id INTEGER PRIMARY KEY,
            asked_at TEXT NOT NULL,
            conversation TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            method TEXT NOT NULL DEFAULT '',
            question TEXT NOT NULL,
            entry TEXT NOT NULL
        );
        CREATE INDEX answer_log_by_time ON answer_log (asked_at);
        CREATE INDEX answer_log_by_conversation ON answer_log (conversation, id);
        """,
    )


def text_hash(text: str) -> str:
    """The key of a chunk's text in the embedding cache: sha256, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _m004_embeddings(db: sqlite3.Connection) -> None:
    # Vectors are cached by the hash of the text they embed, not by chunk: a chunk that is
    # re-indexed unchanged, or the same text in another document, is never embedded twice.
    # They are float16 (little-endian): half the bytes of float32, and exact search over
    # them finds the same neighbours (recall@10 against float32 measured in
    # docs/benchmarks.md, "Vector storage"). `generations` counts changes to chunks and to
    # embeddings so an in-memory index can tell, with one read, whether it is stale.
    _run(
        db,
        """
        ALTER TABLE chunks ADD COLUMN text_hash TEXT NOT NULL DEFAULT '';
        CREATE TABLE embeddings (
            embedder TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (embedder, text_hash)
        ) WITHOUT ROWID;
        CREATE TABLE generations (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO generations (name, value) VALUES ('chunks', 0), ('embeddings', 0)
        """,
    )
    last = 0
    while rows := db.execute(  # in pages, so a large store is never read into memory at once
        "SELECT id, text FROM chunks WHERE id > ? ORDER BY id LIMIT 1000", (last,)
    ).fetchall():
        db.executemany(
            "UPDATE chunks SET text_hash = ? WHERE id = ?",
            [(text_hash(text), chunk_id) for chunk_id, text in rows],
        )
        last = rows[-1][0]
    db.execute("CREATE INDEX chunks_by_text_hash ON chunks (text_hash)")


def _m005_ocr_pages(db: sqlite3.Connection) -> None:
    _run(
        db,
        """
        CREATE TABLE ocr_pages (
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            confidence REAL NOT NULL,
            PRIMARY KEY (doc_id, page)
        );
        """,
    )


def _m006_serving(db: sqlite3.Connection) -> None:
    # Document ids are handed out from a counter that never goes down: SQLite would give a
    # deleted document's id (the largest) to the next one, and a stale link would then open
    # another document (issue 15 item 15). Answers belong to whoever asked (``owner``, e.g.
    # "key:12"); entries from before have none and are listed to no one but an admin.
    # ``pending_redactions`` lists deleted documents whose text must still be removed from
    # files outside this database (evaluation reports); the row is written in the delete's
    # transaction, so a crash only postpones the work.
    _run(
        db,
        """
        CREATE TABLE id_counters (
            name TEXT PRIMARY KEY,
            last INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO id_counters (name, last)
            SELECT 'documents', coalesce(max(id), 0) FROM documents;
        ALTER TABLE answer_log ADD COLUMN owner TEXT NOT NULL DEFAULT '';
        CREATE INDEX answer_log_by_owner ON answer_log (owner, conversation, id);
        CREATE TABLE pending_redactions (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            name TEXT NOT NULL,
            deleted_at TEXT NOT NULL
        )
        """,
    )


def _m007_eval_runs(db: sqlite3.Connection) -> None:
    # A served workspace's evaluation runs (``dalin.stores.eval_runs``): status, progress,
    # the owner's heartbeat (Unix time), a cancel request and, once over, the report JSON.
    _run(
        db,
        """
        CREATE TABLE eval_runs (
            run_id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            question_set TEXT NOT NULL,
            models TEXT NOT NULL,
            questions INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            error TEXT NOT NULL DEFAULT '',
            done INTEGER NOT NULL DEFAULT 0,
            total INTEGER NOT NULL DEFAULT 0,
            owner TEXT NOT NULL DEFAULT '',
            heartbeat REAL NOT NULL,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            report TEXT
        ) WITHOUT ROWID
        """,
    )


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("initial schema: documents, chunks, FTS5 lexical index", _m001_initial),
    ("tables with their cells and provenance", _m002_tables),
    ("answer log: question, sources, model, tokens, cost, latency", _m003_answer_log),
    ("embedding cache by chunk text hash, float16 vectors", _m004_embeddings),
    ("pages read by OCR, with their confidence", _m005_ocr_pages),
    ("document ids never reused, answer owners, pending redactions", _m006_serving),
    ("evaluation runs of a served workspace: status, heartbeat, report", _m007_eval_runs),
]


def migrate(db: sqlite3.Connection) -> int:
    """Apply pending migrations; return the schema version now in force."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    current = int(
        db.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
    )
    if current > len(MIGRATIONS):
        raise SchemaTooNew(
            f"this workspace uses schema version {current}, but this dalin knows only "
            f"{len(MIGRATIONS)}; upgrade dalin to open it"
        )
    for version, (name, apply) in enumerate(MIGRATIONS, start=1):
        if version > current:
            apply(db)
            db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
    return len(MIGRATIONS)
