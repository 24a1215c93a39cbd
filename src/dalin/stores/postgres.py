"""The scale-out store: every workspace in one PostgreSQL database, kept apart by RLS.

A :class:`PostgresStore` is the Store of one workspace. It holds no connection of its own:
each call borrows one from the process-wide pool (:mod:`dalin.stores.postgres_db`) for one
transaction that starts by naming the workspace (``SET LOCAL``), so a store is safe to use
from any number of threads and any number of processes share the database.

Writes that change a workspace's statistics (documents, vectors) first take a transaction
advisory lock of that workspace, so they queue as SQLite's writers do while other
workspaces write side by side; a crash or a ``kill -9`` rolls the whole transaction back:
a document is either fully indexed or untouched (SECURITY.md 15). Deleting a document
removes its chunks, vectors, tables and any uploaded copy in one transaction, and in the
same transaction takes its quotes out of the answer log (``dalin.stores.redaction``) and
notes it in ``pending_redactions``. Document ids come from a sequence, so a deleted
document's id is never handed out again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from dalin.errors import StoreError, WorkspaceExists, WorkspaceNotFound
from dalin.stores import postgres_answers as answers
from dalin.stores import postgres_eval as eval_runs
from dalin.stores import postgres_lexical as lexical
from dalin.stores import postgres_memory as memory
from dalin.stores import postgres_vectors as vectors
from dalin.stores import postgres_writes as writes
from dalin.stores.base import DocumentRecord, EvalRun, IndexedChunk
from dalin.stores.postgres_db import Database
from dalin.stores.redaction import documents_of
from dalin.stores.sparse_index import fts_tokens
from dalin.types import Chunk, DocumentInfo, Filter, Hit, StoredTable, Table

_HIT_COLUMNS = (
    'c.id, c.doc_id, d.path, d.name, c.label, c.text, c.start, c."end", c.page, c.section'
)


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def create_workspace(db: Database, slug: str, name: str = "", domain: str = "general") -> None:
    """Register a workspace in the database (its rows may then be written)."""
    with db.transaction() as conn:
        taken = conn.execute("SELECT 1 FROM workspaces WHERE slug = %s", (slug,)).fetchone()
        if taken:
            raise WorkspaceExists(f"a workspace named {slug} already exists in the database")
        conn.execute(
            "INSERT INTO workspaces (slug, name, domain) VALUES (%s, %s, %s)",
            (slug, name or slug, domain),
        )
        conn.execute("SELECT set_config('dalin.workspace', %s, true)", (slug,))
        conn.execute(
            "INSERT INTO lexical_stats (workspace, generation)"
            " VALUES (%s, nextval('lexical_generation'))",
            (slug,),
        )


def workspace_exists(db: Database, slug: str) -> bool:
    with db.transaction() as conn:
        return (
            conn.execute("SELECT 1 FROM workspaces WHERE slug = %s", (slug,)).fetchone() is not None
        )


def delete_workspace(db: Database, slug: str) -> bool:
    """Remove a workspace and every row of it (one transaction); False if unknown."""
    with db.transaction() as conn:
        gone = conn.execute("DELETE FROM workspaces WHERE slug = %s RETURNING slug", (slug,))
        return gone.fetchone() is not None


class PostgresStore:
    """The Store of workspace ``workspace`` in the database behind ``db``."""

    def __init__(self, db: Database, workspace: str) -> None:
        if not workspace_exists(db, workspace):
            raise WorkspaceNotFound(f"no workspace {workspace} in the database")
        self.db = db
        self.workspace = workspace
        self.path = f"postgres:{workspace}"

    def _tx(self) -> Any:
        return self.db.transaction(self.workspace)

    def _lock(self, conn: Any) -> None:
        """Queue behind the workspace's other writers (until this transaction ends)."""
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('dalin.ws:' || %s))", (self.workspace,))

    # --- writes ------------------------------------------------------------------------------

    def upsert_document(
        self,
        record: DocumentRecord,
        chunks: Sequence[IndexedChunk],
        tables: Sequence[StoredTable] = (),
    ) -> int:
        with self._tx() as conn:
            self._lock(conn)
            row = conn.execute(
                "SELECT id FROM documents WHERE path = %s", (record.path,)
            ).fetchone()
            old_hashes: list[str] = []
            if row is None:
                doc_id = writes.insert_document(conn, self.workspace, record, "indexed")
            else:
                doc_id = int(row[0])
                old_hashes = writes.drop_content(conn, self.workspace, doc_id)
                writes.update_document(conn, doc_id, record)
            writes.insert_chunks(conn, self.workspace, doc_id, chunks)
            writes.insert_tables(conn, self.workspace, doc_id, tables)
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO ocr_pages (workspace, doc_id, page, confidence)"
                    " VALUES (%s,%s,%s,%s)",
                    [(self.workspace, doc_id, p, c) for p, c in record.ocr_pages],
                )
            vectors.prune(conn, old_hashes)  # after the insert: unchanged text keeps its vector
            return doc_id

    def record_failure(self, record: DocumentRecord, code: str, error: str) -> None:
        with self._tx() as conn:
            row = conn.execute(
                "SELECT id FROM documents WHERE path = %s", (record.path,)
            ).fetchone()
            doc_id = (
                int(row[0])
                if row
                else writes.insert_document(conn, self.workspace, record, "failed")
            )
            conn.execute(
                "UPDATE documents SET error_code = %s, error = %s, updated_at = %s WHERE id = %s",
                (code, error, _now(), doc_id),
            )

    def touch_document(self, doc_id: int, mtime_ns: int) -> None:
        with self._tx() as conn:
            conn.execute("UPDATE documents SET mtime_ns = %s WHERE id = %s", (mtime_ns, doc_id))

    def delete_document(self, doc_id: int) -> None:
        with self._tx() as conn:
            self._lock(conn)
            row = conn.execute(
                "SELECT path, name FROM documents WHERE id = %s", (doc_id,)
            ).fetchone()
            if row is None:
                return
            old_hashes = writes.drop_content(conn, self.workspace, doc_id)
            conn.execute("DELETE FROM documents WHERE id = %s", (doc_id,))
            vectors.prune(conn, old_hashes)
            # the uploaded bytes of the file, if it came through the job queue
            conn.execute(
                "UPDATE ingest_jobs SET data = ''::bytea WHERE path = %s AND state <> 'queued'",
                (row[0],),
            )
            conn.execute("DELETE FROM document_originals WHERE path = %s", (row[0],))
            answers.redact_document(conn, self.workspace, str(row[0]), str(row[1]))

    def pending_redactions(self) -> list[tuple[int, str, str]]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT id, path, name FROM pending_redactions ORDER BY id"
            ).fetchall()
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def finish_redaction(self, redaction_id: int) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM pending_redactions WHERE id = %s", (redaction_id,))

    def keep_original(self, path: str, data: bytes) -> bool:
        with self._tx() as conn:
            self._lock(conn)  # after a concurrent delete's commit: it sees no document
            kept = conn.execute(
                "INSERT INTO document_originals (workspace, path, size, data)"
                " SELECT %s, %s, %s, %s WHERE EXISTS (SELECT 1 FROM documents WHERE path = %s)"
                " ON CONFLICT (workspace, path) DO UPDATE SET size = excluded.size,"
                " data = excluded.data, stored_at = now() RETURNING 1",
                (self.workspace, path, len(data), data, path),
            )
            return kept.fetchone() is not None

    def original(self, path: str) -> bytes | None:
        with self._tx() as conn:
            row = conn.execute(
                "SELECT data FROM document_originals WHERE path = %s", (path,)
            ).fetchone()
        return None if row is None else bytes(row[0])

    def originals_size(self, but: str = "") -> int:
        with self._tx() as conn:
            row = conn.execute(
                "SELECT coalesce(sum(size), 0) FROM document_originals WHERE path <> %s", (but,)
            ).fetchone()
        return int(row[0])

    def put_embeddings(self, embedder: str, items: Sequence[tuple[str, np.ndarray]]) -> None:
        if not items:
            return
        with self._tx() as conn:
            self._lock(conn)
            vectors.put(conn, self.workspace, embedder, items)

    # --- reads -------------------------------------------------------------------------------

    def get_document(self, path: str) -> DocumentInfo | None:
        rows = self._document_rows("WHERE d.path = %s", (path,))
        return rows[0] if rows else None

    def get_document_by_id(self, doc_id: int) -> DocumentInfo | None:
        rows = self._document_rows("WHERE d.id = %s", (doc_id,))
        return rows[0] if rows else None

    def documents(self) -> list[DocumentInfo]:
        return self._document_rows("", ())

    def _document_rows(self, where: str, args: tuple[object, ...]) -> list[DocumentInfo]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT d.id, d.path, d.name, d.status, d.size, d.mtime_ns, d.content_hash,"
                " (SELECT count(*) FROM chunks c WHERE c.doc_id = d.id),"
                " d.error_code, d.error, d.format, d.pages, d.updated_at,"
                " (SELECT count(*) FROM doc_tables t WHERE t.doc_id = d.id), d.chars,"
                " (SELECT count(*) FROM ocr_pages o WHERE o.doc_id = d.id),"
                " (SELECT min(confidence) FROM ocr_pages o WHERE o.doc_id = d.id)"
                f" FROM documents d {where} ORDER BY d.path",
                args,
            ).fetchall()
        return [
            DocumentInfo(
                id=r[0],
                path=r[1],
                name=r[2],
                status=r[3],
                size=r[4],
                mtime_ns=r[5],
                content_hash=r[6],
                chunks=r[7],
                error_code=r[8],
                error=r[9],
                format=r[10],
                pages=r[11],
                updated_at=_iso(r[12]),
                tables=r[13],
                chars=r[14],
                ocr_pages=r[15],
                ocr_confidence=r[16],
            )
            for r in rows
        ]

    def keyword_search(self, tokens: Sequence[str], k: int, where: Filter) -> list[Hit]:
        with self._tx() as conn:
            # a process's index of this workspace's chunks as they are now, if it has one
            # (postgres_memory.py); else the database's own search
            stats = conn.execute("SELECT generation, chunks, tokens FROM lexical_stats").fetchone()
            if stats is None:  # no chunk was ever stored here
                return []
            generation, chunks, total = (int(x) for x in stats)
            index = memory.INDEXES.get(self.db.url, self.workspace, generation, chunks)
            if index:
                keys = lexical.query_keys(tokens)
                return self._hits_in_order(conn, index.search(keys, k, where.doc_ids))
            rows = lexical.search(conn, tokens, k, where.doc_ids, _HIT_COLUMNS, (chunks, total))
        return [_hit(r, float(r[-1])) for r in rows]

    def vector_search(self, vector: np.ndarray, k: int, where: Filter, embedder: str) -> list[Hit]:
        with self._tx() as conn:
            found = vectors.search(conn, vector, k, where.doc_ids, embedder)
            return self._hits_in_order(conn, found)

    def _hits_in_order(self, conn: Any, found: Sequence[tuple[int, float]]) -> list[Hit]:
        if not found:
            return []
        rows = {
            r[0]: r
            for r in conn.execute(
                f"SELECT {_HIT_COLUMNS} FROM chunks c JOIN documents d ON d.id = c.doc_id"
                " WHERE c.id = ANY(%s)",
                ([chunk_id for chunk_id, _ in found],),
            ).fetchall()
        }
        return [_hit(rows[i], score) for i, score in found if i in rows]

    def document_frequencies(self, tokens: Sequence[str]) -> Mapping[str, int]:
        unique = list(dict.fromkeys(tokens))
        keys = {token: " ".join(fts_tokens(token)) for token in unique}
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT term, df FROM term_stats WHERE term = ANY(%s)", (list(set(keys.values())),)
            ).fetchall()
        df = {str(r[0]): int(r[1]) for r in rows}
        return {token: df.get(key, 0) for token, key in keys.items()}

    def chunk_count(self) -> int:
        with self._tx() as conn:
            row = conn.execute("SELECT chunks FROM lexical_stats").fetchone()
        return int(row[0]) if row else 0

    # --- evaluation runs (``dalin.stores.postgres_eval``) --------------------------------------

    def add_eval_run(self, run: EvalRun) -> None:
        with self._tx() as conn:
            eval_runs.add(conn, self.workspace, run)

    def eval_runs(self, limit: int = 100) -> list[EvalRun]:
        with self._tx() as conn:
            return eval_runs.runs(conn, limit)

    def eval_run(self, run_id: str) -> EvalRun | None:
        with self._tx() as conn:
            found = eval_runs.runs(conn, 1, run_id)
        return found[0] if found else None

    def update_eval_run(
        self,
        run_id: str,
        *,
        status: str | None = None,
        done: int | None = None,
        total: int | None = None,
        error: str | None = None,
        finished_at: str | None = None,
        report: str | None = None,
    ) -> bool:
        with self._tx() as conn:
            return eval_runs.update(
                conn, run_id, status=status, done=done, total=total, error=error,
                finished_at=finished_at, report=report,
            )  # fmt: skip

    def cancel_eval_run(self, run_id: str) -> bool:
        with self._tx() as conn:
            return eval_runs.cancel(conn, run_id)

    def eval_report(self, run_id: str) -> str | None:
        with self._tx() as conn:
            return eval_runs.report(conn, run_id)

    def redact_eval_reports(self, redact: Callable[[str], str | None]) -> int:
        with self._tx() as conn:
            return eval_runs.redact(conn, redact)

    def chunks_without_vectors(self, embedder: str, limit: int) -> list[tuple[str, str]]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT c.text_hash, c.text FROM chunks c WHERE NOT EXISTS"
                " (SELECT 1 FROM embeddings e WHERE e.workspace = c.workspace"
                " AND e.embedder = %s AND e.text_hash = c.text_hash) AND NOT EXISTS"
                " (SELECT 1 FROM chunks p WHERE p.workspace = c.workspace"
                " AND p.text_hash = c.text_hash AND p.id < c.id)"
                " ORDER BY c.id LIMIT %s",
                (embedder, limit),
            ).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    def vector_coverage(self, embedder: str) -> tuple[int, int]:
        with self._tx() as conn:
            row = conn.execute(
                "SELECT s.chunks, coalesce((SELECT v.chunks FROM vector_stats v"
                " WHERE v.embedder = %s), 0) FROM lexical_stats s",
                (embedder,),
            ).fetchone()
        return (int(row[1]), int(row[0])) if row else (0, 0)

    def vector_counts(self, embedder: str) -> dict[int, int]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT c.doc_id, count(*) FROM chunks c JOIN embeddings e"
                " ON e.workspace = c.workspace AND e.embedder = %s AND e.text_hash = c.text_hash"
                " GROUP BY c.doc_id",
                (embedder,),
            ).fetchall()
        return {int(r[0]): int(r[1]) for r in rows}

    def chunks_in_range(self, doc_id: int, start: int, end: int) -> list[Chunk]:
        with self._tx() as conn:
            rows = conn.execute(
                'SELECT text, start, "end", label, page, section, kind FROM chunks'
                ' WHERE doc_id = %s AND start < %s AND "end" > %s ORDER BY start, ord',
                (doc_id, end, start),
            ).fetchall()
        return [Chunk(*r) for r in rows]

    def document_chunks(self, doc_id: int) -> list[Chunk]:
        with self._tx() as conn:
            rows = conn.execute(
                'SELECT text, start, "end", label, page, section, kind FROM chunks'
                " WHERE doc_id = %s ORDER BY ord",
                (doc_id,),
            ).fetchall()
        return [Chunk(*r) for r in rows]

    def ocr_pages(self, doc_id: int) -> tuple[tuple[int, float], ...]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT page, confidence FROM ocr_pages WHERE doc_id = %s ORDER BY page", (doc_id,)
            ).fetchall()
        return tuple((int(p), float(c)) for p, c in rows)

    def embedders(self) -> list[str]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT embedder FROM vector_stats WHERE chunks > 0 ORDER BY embedder"
            ).fetchall()
        return [str(r[0]) for r in rows]

    def vectors(self, embedder: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT text_hash, vec::text FROM embeddings WHERE embedder = %s"
                " AND text_hash = ANY(%s)",
                (embedder, list(hashes)),
            ).fetchall()
        return {str(h): vectors.from_text(v) for h, v in rows}

    def import_answers(self, entries: Sequence[Mapping[str, object]]) -> None:
        rows = [
            (
                self.workspace,
                datetime.fromisoformat(str(e["asked_at"])),
                str(e.get("conversation", "")),
                str(e.get("owner", "")),
                str(e.get("model", "")),
                str(e.get("method", "")),
                str(e["question"]),
                json.dumps(
                    {k: v for k, v in e.items() if k not in ("id", "asked_at")},
                    ensure_ascii=False,
                ),
            )
            for e in entries
        ]
        with self._tx() as conn, conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO answer_log (workspace, asked_at, conversation, owner, model, method,"
                " question, entry) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                rows,
            )

    def tables(self, doc_id: int) -> list[StoredTable]:
        with self._tx() as conn:
            heads = conn.execute(
                "SELECT id, ord, caption, sheet, header, header_row, first_column, last_column,"
                ' page, start, "end" FROM doc_tables WHERE doc_id = %s ORDER BY ord',
                (doc_id,),
            ).fetchall()
            cells = conn.execute(
                "SELECT table_id, source_row, cells FROM doc_table_rows"
                " WHERE table_id = ANY(%s) ORDER BY table_id, ord",
                ([h[0] for h in heads],),
            ).fetchall()
        by_table: dict[int, list[tuple[int, list[str]]]] = {}
        for table_id, source_row, row in cells:
            by_table.setdefault(table_id, []).append((source_row, row))
        found = []
        for table_id, ord_, caption, sheet, header, header_row, first, last, page, s, e in heads:
            rows = by_table.get(table_id, [])
            table = Table(
                header=tuple(header),
                rows=tuple(tuple(r) for _, r in rows),
                caption=caption,
                sheet=sheet,
                header_row=header_row,
                row_numbers=tuple(n for n, _ in rows) if any(n for n, _ in rows) else (),
                first_column=first,
                last_column=last,
            )
            found.append(StoredTable(doc_id, ord_, table, page, s, e))
        return found

    def log_answer(self, entry: Mapping[str, object]) -> int:
        with self._tx() as conn:
            if documents_of(entry):  # a delete of one of them must not pass unseen
                self._lock(conn)
                entry = answers.without_deleted(conn, entry)
            row = conn.execute(
                "INSERT INTO answer_log (workspace, asked_at, conversation, owner, model, method,"
                " question, entry) VALUES (%s,%s,%s,%s,%s,%s,%s,%s) RETURNING id",
                (
                    self.workspace,
                    _now(),
                    str(entry.get("conversation", "")),
                    str(entry.get("owner", "")),
                    str(entry.get("model", "")),
                    str(entry.get("method", "")),
                    str(entry["question"]),
                    json.dumps(dict(entry), ensure_ascii=False),
                ),
            ).fetchone()
        return int(row[0])

    def answer_log(
        self, limit: int = 50, conversation: str = "", owner: str | None = None
    ) -> list[dict[str, object]]:
        conditions: list[str] = []
        args: list[object] = []
        if conversation:
            conditions.append("conversation = %s")
            args.append(conversation)
        if owner is not None:
            conditions.append("owner = %s")
            args.append(owner)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        with self._tx() as conn:
            rows = conn.execute(
                f"SELECT id, asked_at, entry FROM answer_log {where} ORDER BY id DESC LIMIT %s",
                [*args, limit],
            ).fetchall()
        return [{**r[2], "id": r[0], "asked_at": _iso(r[1])} for r in rows]

    def close(self) -> None:
        """Nothing to close: the pool belongs to the process (``postgres_db.close_all``)."""


def _hit(r: Sequence[Any], score: float) -> Hit:
    return Hit(
        chunk_id=r[0],
        doc_id=r[1],
        document=r[2],
        name=r[3],
        label=f"{r[3]} · {r[4]}",
        score=score,
        text=r[5],
        start=r[6],
        end=r[7],
        page=r[8],
        section=r[9],
    )


def check_open(db: Database) -> None:
    """Raise a StoreError unless the database answers (for status commands)."""
    try:
        with db.transaction() as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        raise StoreError(f"PostgreSQL does not answer: {exc}") from exc
