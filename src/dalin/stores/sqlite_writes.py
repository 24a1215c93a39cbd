"""What :class:`~dalin.stores.sqlite.SQLiteStore` writes for one document, inside the
write transaction the store opened: the document row (its id from a counter that never goes
down), its chunks with their FTS5 rows, its tables, and the removal of its chunks."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from dalin.stores.base import DocumentRecord, IndexedChunk
from dalin.stores.migrations import text_hash
from dalin.types import StoredTable


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def insert_document(db: sqlite3.Connection, r: DocumentRecord, status: str) -> int:
    now = _now()
    # from a counter that never goes down: a deleted document's id is never handed out
    # again, so an old link cannot open another document
    db.execute("UPDATE id_counters SET last = last + 1 WHERE name = 'documents'")
    doc_id = int(db.execute("SELECT last FROM id_counters WHERE name = 'documents'").fetchone()[0])
    db.execute(
        "INSERT INTO documents (id, path, name, format, size, mtime_ns, content_hash, status,"
        " pages, chars, added_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            doc_id,
            r.path,
            r.name,
            r.format,
            r.size,
            r.mtime_ns,
            r.content_hash,
            status,
            r.pages,
            r.chars,
            now,
            now,
        ),
    )
    return doc_id


def update_document(db: sqlite3.Connection, doc_id: int, r: DocumentRecord) -> None:
    db.execute(
        "UPDATE documents SET name=?, format=?, size=?, mtime_ns=?, content_hash=?,"
        " status='indexed', error_code='', error='', pages=?, chars=?, updated_at=?"
        " WHERE id=?",
        (
            r.name,
            r.format,
            r.size,
            r.mtime_ns,
            r.content_hash,
            r.pages,
            r.chars,
            _now(),
            doc_id,
        ),
    )


def insert_chunks(db: sqlite3.Connection, doc_id: int, chunks: Sequence[IndexedChunk]) -> None:
    for ordinal, item in enumerate(chunks):
        c = item.chunk
        cursor = db.execute(
            "INSERT INTO chunks (doc_id, ord, text, start, end, label, page, section, kind,"
            " text_hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                doc_id,
                ordinal,
                c.text,
                c.start,
                c.end,
                c.label,
                c.page,
                c.section,
                c.kind,
                text_hash(c.text),
            ),
        )
        db.execute(
            "INSERT INTO chunks_fts (rowid, section, body) VALUES (?,?,?)",
            (cursor.lastrowid, " ".join(item.section_tokens), " ".join(item.body_tokens)),
        )


def insert_tables(db: sqlite3.Connection, doc_id: int, tables: Sequence[StoredTable]) -> None:
    for ordinal, stored in enumerate(tables):
        t = stored.table
        cursor = db.execute(
            "INSERT INTO doc_tables (doc_id, ord, caption, sheet, header, header_row,"
            " first_column, last_column, page, start, end) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc_id,
                stored.index or ordinal + 1,
                t.caption,
                t.sheet,
                _json(t.header),
                t.header_row,
                t.first_column,
                t.last_column,
                stored.page,
                stored.start,
                stored.end,
            ),
        )
        numbers = t.row_numbers if len(t.row_numbers) == len(t.rows) else (0,) * len(t.rows)
        db.executemany(
            "INSERT INTO doc_table_rows (table_id, ord, source_row, cells) VALUES (?,?,?,?)",
            [
                (cursor.lastrowid, i, number, _json(row))
                for i, (row, number) in enumerate(zip(t.rows, numbers, strict=True))
            ],
        )


def text_hashes(db: sqlite3.Connection, doc_id: int) -> list[str]:
    rows = db.execute("SELECT DISTINCT text_hash FROM chunks WHERE doc_id = ?", (doc_id,))
    return [str(r[0]) for r in rows]


def delete_chunks(db: sqlite3.Connection, doc_id: int) -> None:
    db.execute(
        "DELETE FROM doc_table_rows WHERE table_id IN (SELECT id FROM doc_tables WHERE doc_id = ?)",
        (doc_id,),
    )
    db.execute("DELETE FROM doc_tables WHERE doc_id = ?", (doc_id,))
    db.execute("DELETE FROM ocr_pages WHERE doc_id = ?", (doc_id,))
    db.execute(
        "DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE doc_id = ?)",
        (doc_id,),
    )
    db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
