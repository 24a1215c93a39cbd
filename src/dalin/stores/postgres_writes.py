"""What :class:`~dalin.stores.postgres.PostgresStore` writes for one document, inside the
transaction the store opened (its workspace set, its writers queued): the document row, its
chunks with their terms and BM25 statistics, its tables, and the removal of all of it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from dalin.stores import postgres_lexical as lexical
from dalin.stores import postgres_vectors as vectors
from dalin.stores.base import DocumentRecord, IndexedChunk
from dalin.stores.migrations import text_hash
from dalin.types import StoredTable

_CHUNK_INSERT = (
    'INSERT INTO chunks (workspace, doc_id, ord, text, start, "end", label, page, section,'
    " kind, text_hash, terms, freqs, n_tokens) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
)


def _now() -> datetime:
    return datetime.now(UTC)


def insert_document(conn: Any, workspace: str, r: DocumentRecord, status: str) -> int:
    now = _now()
    row = conn.execute(
        "INSERT INTO documents (workspace, path, name, format, size, mtime_ns, content_hash,"
        " status, pages, chars, added_at, updated_at)"
        " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) RETURNING id",
        (
            workspace,
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
    ).fetchone()
    return int(row[0])


def update_document(conn: Any, doc_id: int, r: DocumentRecord) -> None:
    conn.execute(
        "UPDATE documents SET name=%s, format=%s, size=%s, mtime_ns=%s, content_hash=%s,"
        " status='indexed', error_code='', error='', pages=%s, chars=%s, updated_at=%s"
        " WHERE id=%s",
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


def insert_chunks(conn: Any, workspace: str, doc_id: int, chunks: Sequence[IndexedChunk]) -> None:
    stats: list[tuple[list[str], int]] = []
    hashes: list[str] = []
    rows = []
    for ordinal, item in enumerate(chunks):
        c = item.chunk
        terms, freqs, length = lexical.chunk_terms(item)
        stats.append((terms, length))
        hashes.append(text_hash(c.text))
        rows.append(
            (
                workspace,
                doc_id,
                ordinal,
                c.text,
                c.start,
                c.end,
                c.label,
                c.page,
                c.section,
                c.kind,
                hashes[-1],
                terms,
                freqs,
                length,
            )
        )
    # COPY is refused on a table with row-level security; executemany pipelines instead
    with conn.cursor() as cursor:
        cursor.executemany(_CHUNK_INSERT, rows)
    lexical.add_statistics(conn, workspace, stats)
    vectors.count_texts(conn, workspace, hashes, +1)


def insert_tables(conn: Any, workspace: str, doc_id: int, tables: Sequence[StoredTable]) -> None:
    for ordinal, stored in enumerate(tables):
        t = stored.table
        table_id = conn.execute(
            "INSERT INTO doc_tables (workspace, doc_id, ord, caption, sheet, header,"
            ' header_row, first_column, last_column, page, start, "end")'
            " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) RETURNING id",
            (
                workspace,
                doc_id,
                stored.index or ordinal + 1,
                t.caption,
                t.sheet,
                json.dumps(list(t.header), ensure_ascii=False),
                t.header_row,
                t.first_column,
                t.last_column,
                stored.page,
                stored.start,
                stored.end,
            ),
        ).fetchone()[0]
        numbers = t.row_numbers if len(t.row_numbers) == len(t.rows) else (0,) * len(t.rows)
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO doc_table_rows (workspace, table_id, ord, source_row, cells)"
                " VALUES (%s,%s,%s,%s,%s)",
                [
                    (workspace, table_id, i, n, json.dumps(list(r), ensure_ascii=False))
                    for i, (r, n) in enumerate(zip(t.rows, numbers, strict=True))
                ],
            )


def drop_content(conn: Any, workspace: str, doc_id: int) -> list[str]:
    """Delete a document's chunks and tables, out of every statistic; return the hashes
    of the texts they held (their vectors are pruned once nothing holds them)."""
    held = [
        str(r[0]) for r in conn.execute("SELECT text_hash FROM chunks WHERE doc_id = %s", (doc_id,))
    ]
    lexical.remove_statistics(conn, doc_id)
    vectors.count_texts(conn, workspace, held, -1)
    conn.execute("DELETE FROM doc_tables WHERE doc_id = %s", (doc_id,))
    conn.execute("DELETE FROM ocr_pages WHERE doc_id = %s", (doc_id,))
    conn.execute("DELETE FROM chunks WHERE doc_id = %s", (doc_id,))
    return list(dict.fromkeys(held))
