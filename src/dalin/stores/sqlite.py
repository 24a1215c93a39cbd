"""The embedded store: one SQLite file per workspace, with an FTS5 BM25 index.

Durability and concurrency choices (see SECURITY.md rows 15–17):

* WAL journal with ``synchronous=FULL`` so a committed ingest survives power loss;
* every write is one ``BEGIN IMMEDIATE`` transaction, so a crash leaves a document either
  fully indexed or untouched, and two processes adding files queue on the write lock
  (``busy_timeout``) instead of failing with "database is locked";
* tokens come pre-made from ``dalin.text.korean`` and are stored space-separated in FTS5;
  FTS5 only splits on those spaces (``.`` is a token character so ``1.5`` survives) and
  ranks with BM25 (k1=1.2, b=0.75; Robertson & Zaragoza 2009);
* vectors are cached by the hash of the chunk text and searched exactly in memory
  (``sqlite_vectors.py``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from dalin.errors import StoreError
from dalin.stores import sqlite_eval as eval_runs
from dalin.stores import sqlite_lexical as lexical
from dalin.stores import sqlite_vectors as vectors
from dalin.stores import sqlite_writes as writes
from dalin.stores.base import DocumentRecord, EvalRun, IndexedChunk
from dalin.stores.migrations import migrate
from dalin.stores.redaction import documents_of, redact_entry, tool_mention
from dalin.types import Chunk, DocumentInfo, Filter, Hit, StoredTable, Table

BUSY_TIMEOUT_MS = 60_000
#: BM25 column weights: a match in the heading path (chapter, article title) counts double.
SECTION_WEIGHT = 2.0
BODY_WEIGHT = 1.0
_MAX_QUERY_TOKENS = 64


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fts_query(tokens: Sequence[str]) -> str:
    """An FTS5 OR-query matching any token, each quoted so no token is read as syntax."""
    unique = list(dict.fromkeys(t for t in tokens if t))[:_MAX_QUERY_TOKENS]
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in unique)


_HIT_COLUMNS = (
    "c.id, c.doc_id, d.path, d.name, c.label, c.text, c.start, c.end, c.page, c.section, c.kind"
)


def _configure(db: sqlite3.Connection, path: Path) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise StoreError(f"{path}: SQLite refused WAL mode (got {mode!r})")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")


def create_private(path: Path) -> None:
    """Create an empty database file readable by its owner only, unless it exists.

    SQLite gives its -wal and -shm files the permissions of the database file, so the
    whole database stays private (SECURITY.md: state is no other local user's business).
    """
    if str(path) == ":memory:" or path.exists():
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(f"cannot create the store {path}: {exc.strerror or exc}") from exc


def write_private(path: Path, text: str) -> None:
    """Write a text file readable by its owner only (a workspace's settings, an upload)."""
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
        out.write(text)


def _hit(r: sqlite3.Row, score: float) -> Hit:
    return Hit(
        chunk_id=r["id"],
        doc_id=r["doc_id"],
        document=r["path"],
        name=r["name"],
        label=f"{r['name']} · {r['label']}",
        score=score,
        text=r["text"],
        start=r["start"],
        end=r["end"],
        page=r["page"],
        section=r["section"],
        kind=r["kind"],
    )


class SQLiteStore:
    """A Store kept in one SQLite file, usable from any number of threads.

    A SQLite connection must not be shared between threads mid-transaction, so each thread
    gets its own connection on first use (WAL lets them read side by side while one writes);
    connections of threads that have ended are closed when the next one opens.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._connections: dict[int, sqlite3.Connection] = {}
        self._connections_lock = threading.Lock()
        self._closed = False
        create_private(self.path)
        self._vectors = vectors.shared_cache(self.path)
        self._lexical = lexical.cache_for(self.path, (SECTION_WEIGHT, BODY_WEIGHT))
        with self._write():
            migrate(self._db)

    @property
    def _db(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            self._local.db = db
        return db

    def _connect(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"the store {self.path} is closed")
        try:
            # check_same_thread=False only so close() may close it from another thread
            db = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        db.row_factory = sqlite3.Row
        try:
            _configure(db, self.path)
        except BaseException:
            db.close()
            raise
        with self._connections_lock:
            # taken under the lock: a snapshot from before it would miss a thread that
            # registered meanwhile, and close the connection that thread is using (a
            # segfault in sqlite3 with 16 threads starting at once)
            alive = {t.ident for t in threading.enumerate()}
            for ident in [i for i in self._connections if i not in alive]:
                self._connections.pop(ident).close()
            stale = self._connections.pop(threading.get_ident(), None)  # a reused thread id
            if stale is not None:
                stale.close()
            self._connections[threading.get_ident()] = db
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: take the write lock up front, commit or roll back."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # --- writes ------------------------------------------------------------------------------

    def upsert_document(
        self,
        record: DocumentRecord,
        chunks: Sequence[IndexedChunk],
        tables: Sequence[StoredTable] = (),
    ) -> int:
        with self._write() as db:
            row = db.execute("SELECT id FROM documents WHERE path = ?", (record.path,)).fetchone()
            old_hashes: list[str] = []
            if row is None:
                doc_id = writes.insert_document(db, record, "indexed")
            else:
                doc_id = int(row["id"])
                old_hashes = writes.text_hashes(db, doc_id)
                writes.delete_chunks(db, doc_id)
                writes.update_document(db, doc_id, record)
            writes.insert_chunks(db, doc_id, chunks)
            writes.insert_tables(db, doc_id, tables)
            db.executemany(
                "INSERT INTO ocr_pages (doc_id, page, confidence) VALUES (?,?,?)",
                [(doc_id, page, confidence) for page, confidence in record.ocr_pages],
            )
            vectors.prune(db, old_hashes)  # after the insert: unchanged text keeps its vectors
            vectors.bump_generation(db, "chunks")
            return doc_id

    def record_failure(self, record: DocumentRecord, code: str, error: str) -> None:
        with self._write() as db:
            row = db.execute("SELECT id FROM documents WHERE path = ?", (record.path,)).fetchone()
            known = row is not None
            doc_id = int(row["id"]) if known else writes.insert_document(db, record, "failed")
            db.execute(
                "UPDATE documents SET error_code = ?, error = ?, updated_at = ? WHERE id = ?",
                (code, error, _now(), doc_id),
            )

    def touch_document(self, doc_id: int, mtime_ns: int) -> None:
        with self._write() as db:
            db.execute("UPDATE documents SET mtime_ns = ? WHERE id = ?", (mtime_ns, doc_id))

    def delete_document(self, doc_id: int) -> None:
        with self._write() as db:
            row = db.execute("SELECT path, name FROM documents WHERE id = ?", (doc_id,)).fetchone()
            old_hashes = writes.text_hashes(db, doc_id)
            writes.delete_chunks(db, doc_id)
            db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            vectors.prune(db, old_hashes)
            vectors.bump_generation(db, "chunks")
            if row is not None:
                self._redact(db, str(row["path"]), str(row["name"]))

    def _redact(self, db: sqlite3.Connection, path: str, name: str) -> None:
        """Take a deleted document out of the answer log, in the delete's transaction, and
        note it for the files outside the database (``pending_redactions``)."""
        needles = (  # as the entries' JSON writes them
            json.dumps(path, ensure_ascii=False),
            json.dumps(tool_mention(name), ensure_ascii=False)[1:-1],
        )
        rows = db.execute(
            "SELECT id, entry FROM answer_log WHERE instr(entry, ?) > 0 OR instr(entry, ?) > 0",
            needles,
        ).fetchall()
        for r in rows:
            redacted = redact_entry(json.loads(r["entry"]), path, name)
            if redacted is not None:
                db.execute(
                    "UPDATE answer_log SET entry = ? WHERE id = ?",
                    (json.dumps(redacted, ensure_ascii=False), r["id"]),
                )
        db.execute(
            "INSERT INTO pending_redactions (path, name, deleted_at) VALUES (?,?,?)",
            (path, name, _now()),
        )

    def _without_deleted(
        self, db: sqlite3.Connection, entry: Mapping[str, object]
    ) -> Mapping[str, object]:
        """An answer being logged while one of its documents was deleted (it was answered
        from the document before the delete) is redacted as if it had been logged before."""
        for path in documents_of(entry):
            if db.execute("SELECT 1 FROM documents WHERE path = ?", (path,)).fetchone() is None:
                entry = redact_entry(entry, path) or entry
        return entry

    def pending_redactions(self) -> list[tuple[int, str, str]]:
        """(id, path, name) of deleted documents whose text outside the database (reports)
        still has to be removed; ``finish_redaction`` once it is."""
        rows = self._db.execute("SELECT id, path, name FROM pending_redactions ORDER BY id")
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def finish_redaction(self, redaction_id: int) -> None:
        with self._write() as db:
            db.execute("DELETE FROM pending_redactions WHERE id = ?", (redaction_id,))

    def put_embeddings(self, embedder: str, items: Sequence[tuple[str, np.ndarray]]) -> None:
        if not items:
            return
        with self._write() as db:
            vectors.put_rows(db, embedder, items)

    # --- reads -------------------------------------------------------------------------------

    def get_document(self, path: str) -> DocumentInfo | None:
        rows = self._document_rows("WHERE d.path = ?", (path,))
        return rows[0] if rows else None

    def get_document_by_id(self, doc_id: int) -> DocumentInfo | None:
        rows = self._document_rows("WHERE d.id = ?", (doc_id,))
        return rows[0] if rows else None

    def documents(self) -> list[DocumentInfo]:
        return self._document_rows("", ())

    def _document_rows(self, where: str, args: tuple[object, ...]) -> list[DocumentInfo]:
        rows = self._db.execute(
            "SELECT d.*, (SELECT count(*) FROM chunks c WHERE c.doc_id = d.id) AS n_chunks,"
            " (SELECT count(*) FROM doc_tables t WHERE t.doc_id = d.id) AS n_tables,"
            " (SELECT count(*) FROM ocr_pages o WHERE o.doc_id = d.id) AS n_ocr,"
            " (SELECT min(confidence) FROM ocr_pages o WHERE o.doc_id = d.id) AS ocr_low"
            f" FROM documents d {where} ORDER BY d.path",
            args,
        ).fetchall()
        return [
            DocumentInfo(
                id=r["id"],
                path=r["path"],
                name=r["name"],
                status=r["status"],
                size=r["size"],
                mtime_ns=r["mtime_ns"],
                content_hash=r["content_hash"],
                chunks=r["n_chunks"],
                error_code=r["error_code"],
                error=r["error"],
                format=r["format"],
                pages=r["pages"],
                updated_at=r["updated_at"],
                tables=r["n_tables"],
                chars=r["chars"],
                ocr_pages=r["n_ocr"],
                ocr_confidence=r["ocr_low"],
            )
            for r in rows
        ]

    def keyword_search(self, tokens: Sequence[str], k: int, where: Filter) -> list[Hit]:
        query = fts_query(tokens)
        if not query or k <= 0:
            return []
        with lexical.snapshot(self._db):
            # the in-memory index once it is built and fresh (same ranking), else FTS5
            found = lexical.search(
                self._lexical, self._db, tokens, k, where.doc_ids, (SECTION_WEIGHT, BODY_WEIGHT)
            )
            if found is not None:
                return self._hits_in_order(found)
            return self._fts_search(query, k, where)

    def _hits_in_order(self, found: Sequence[tuple[int, float]]) -> list[Hit]:
        """Hits for ``(chunk id, score)`` pairs, in the given order."""
        if not found:
            return []
        ids = [chunk_id for chunk_id, _ in found]
        rows = {
            r["id"]: r
            for r in self._db.execute(
                f"SELECT {_HIT_COLUMNS} FROM chunks c JOIN documents d ON d.id = c.doc_id"
                f" WHERE c.id IN ({','.join('?' * len(ids))})",
                ids,
            )
        }
        return [_hit(rows[i], score) for i, score in found if i in rows]

    def _fts_search(self, query: str, k: int, where: Filter) -> list[Hit]:
        sql = (
            f"SELECT {_HIT_COLUMNS}, bm25(chunks_fts, {SECTION_WEIGHT}, {BODY_WEIGHT}) AS rank"
            " FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid"
            " JOIN documents d ON d.id = c.doc_id WHERE chunks_fts MATCH ?"
        )
        args: list[object] = [query]
        if where.doc_ids:
            sql += f" AND c.doc_id IN ({','.join('?' * len(where.doc_ids))})"
            args.extend(where.doc_ids)
        sql += " ORDER BY rank, c.id LIMIT ?"
        args.append(k)
        return [_hit(r, -float(r["rank"])) for r in self._db.execute(sql, args)]

    def vector_search(self, vector: np.ndarray, k: int, where: Filter, embedder: str) -> list[Hit]:
        index = self._vectors.get(self._db, embedder)
        if k <= 0 or len(index) == 0:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if query.shape[0] != index.dim:
            raise StoreError(
                f"the query vector has {query.shape[0]} dimensions but {embedder}'s stored"
                f" vectors have {index.dim}"
            )
        # a chunk deleted since the index was read is simply left out
        return self._hits_in_order(index.search(query, k, where.doc_ids))

    def chunks_without_vectors(self, embedder: str, limit: int) -> list[tuple[str, str]]:
        rows = self._db.execute(
            "SELECT c.text_hash, c.text FROM chunks c WHERE NOT EXISTS"
            " (SELECT 1 FROM embeddings e WHERE e.embedder = ? AND e.text_hash = c.text_hash)"
            " AND NOT EXISTS"  # the first chunk holding each text stands for all of them
            " (SELECT 1 FROM chunks p WHERE p.text_hash = c.text_hash AND p.id < c.id)"
            " ORDER BY c.id LIMIT ?",
            (embedder, limit),
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    def vector_coverage(self, embedder: str) -> tuple[int, int]:
        return self._vectors.coverage(self._db, embedder)

    def vector_counts(self, embedder: str) -> dict[int, int]:
        rows = self._db.execute(
            "SELECT c.doc_id, count(*) FROM chunks c JOIN embeddings e"
            " ON e.embedder = ? AND e.text_hash = c.text_hash GROUP BY c.doc_id",
            (embedder,),
        )
        return {int(r[0]): int(r[1]) for r in rows}

    def document_frequencies(self, tokens: Sequence[str]) -> Mapping[str, int]:
        unique = list(dict.fromkeys(tokens))
        found: dict[str, int] = dict.fromkeys(unique, 0)
        if unique:
            rows = self._db.execute(
                f"SELECT term, doc FROM chunks_vocab WHERE term IN ({','.join('?' * len(unique))})",
                unique,
            )
            for row in rows:
                found[row["term"]] = int(row["doc"])
        return found

    def chunks_in_range(self, doc_id: int, start: int, end: int) -> list[Chunk]:
        rows = self._db.execute(
            "SELECT text, start, end, label, page, section, kind FROM chunks"
            " WHERE doc_id = ? AND start < ? AND end > ? ORDER BY start, ord",
            (doc_id, end, start),
        ).fetchall()
        return [
            Chunk(r["text"], r["start"], r["end"], r["label"], r["page"], r["section"], r["kind"])
            for r in rows
        ]

    def document_chunks(self, doc_id: int) -> list[Chunk]:
        rows = self._db.execute(
            "SELECT text, start, end, label, page, section, kind FROM chunks"
            " WHERE doc_id = ? ORDER BY ord",
            (doc_id,),
        ).fetchall()
        return [Chunk(*r) for r in rows]

    def ocr_pages(self, doc_id: int) -> tuple[tuple[int, float], ...]:
        rows = self._db.execute(
            "SELECT page, confidence FROM ocr_pages WHERE doc_id = ? ORDER BY page", (doc_id,)
        )
        return tuple((int(p), float(c)) for p, c in rows)

    def embedders(self) -> list[str]:
        return vectors.embedder_names(self._db)

    def vectors(self, embedder: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):  # under SQLite's limit of bound values
            part = list(hashes[start : start + 500])
            rows = self._db.execute(
                "SELECT text_hash, vector FROM embeddings WHERE embedder = ?"
                f" AND text_hash IN ({','.join('?' * len(part))})",
                [embedder, *part],
            )
            found.update((str(h), vectors.from_blob(blob)) for h, blob in rows)
        return found

    def import_answers(self, entries: Sequence[Mapping[str, object]]) -> None:
        with self._write() as db:
            for entry in entries:
                kept = {k: v for k, v in entry.items() if k not in ("id", "asked_at")}
                db.execute(
                    "INSERT INTO answer_log (asked_at, conversation, owner, model, method,"
                    " question, entry) VALUES (?,?,?,?,?,?,?)",
                    (
                        str(entry["asked_at"]),
                        str(entry.get("conversation", "")),
                        str(entry.get("owner", "")),
                        str(entry.get("model", "")),
                        str(entry.get("method", "")),
                        str(entry["question"]),
                        json.dumps(kept, ensure_ascii=False),
                    ),
                )

    def tables(self, doc_id: int) -> list[StoredTable]:
        found: list[StoredTable] = []
        for t in self._db.execute(
            "SELECT * FROM doc_tables WHERE doc_id = ? ORDER BY ord", (doc_id,)
        ).fetchall():
            rows = self._db.execute(
                "SELECT source_row, cells FROM doc_table_rows WHERE table_id = ? ORDER BY ord",
                (t["id"],),
            ).fetchall()
            table = Table(
                header=tuple(json.loads(t["header"])),
                rows=tuple(tuple(json.loads(r["cells"])) for r in rows),
                caption=t["caption"],
                sheet=t["sheet"],
                header_row=t["header_row"],
                row_numbers=tuple(r["source_row"] for r in rows)
                if any(r["source_row"] for r in rows)
                else (),
                first_column=t["first_column"],
                last_column=t["last_column"],
            )
            found.append(StoredTable(doc_id, t["ord"], table, t["page"], t["start"], t["end"]))
        return found

    def log_answer(self, entry: Mapping[str, object]) -> int:
        with self._write() as db:
            entry = self._without_deleted(db, entry)
            cursor = db.execute(
                "INSERT INTO answer_log (asked_at, conversation, owner, model, method, question,"
                " entry) VALUES (?,?,?,?,?,?,?)",
                (
                    _now(),
                    str(entry.get("conversation", "")),
                    str(entry.get("owner", "")),
                    str(entry.get("model", "")),
                    str(entry.get("method", "")),
                    str(entry["question"]),
                    json.dumps(dict(entry), ensure_ascii=False),
                ),
            )
            return int(cursor.lastrowid or 0)

    def answer_log(
        self, limit: int = 50, conversation: str = "", owner: str | None = None
    ) -> list[dict[str, object]]:
        conditions, args = [], []
        if conversation:
            conditions.append("conversation = ?")
            args.append(conversation)
        if owner is not None:
            conditions.append("owner = ?")
            args.append(owner)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self._db.execute(
            f"SELECT id, asked_at, entry FROM answer_log {where} ORDER BY id DESC LIMIT ?",
            [*args, limit],
        ).fetchall()
        return [{**json.loads(r["entry"]), "id": r["id"], "asked_at": r["asked_at"]} for r in rows]

    def chunk_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM chunks").fetchone()[0])

    # --- evaluation runs (``dalin.stores.sqlite_eval``) ----------------------------------------

    def add_eval_run(self, run: EvalRun) -> None:
        with self._write() as db:
            eval_runs.add(db, run)

    def eval_runs(self, limit: int = 100) -> list[EvalRun]:
        return eval_runs.runs(self._db, limit)

    def eval_run(self, run_id: str) -> EvalRun | None:
        found = eval_runs.runs(self._db, 1, run_id)
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
        with self._write() as db:
            return eval_runs.update(
                db, run_id, status=status, done=done, total=total, error=error,
                finished_at=finished_at, report=report,
            )  # fmt: skip

    def cancel_eval_run(self, run_id: str) -> bool:
        with self._write() as db:
            return eval_runs.cancel(db, run_id)

    def eval_report(self, run_id: str) -> str | None:
        return eval_runs.report(self._db, run_id)

    def redact_eval_reports(self, redact: Callable[[str], str | None]) -> int:
        with self._write() as db:
            return eval_runs.redact(db, redact)

    def integrity_check(self) -> str:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        with self._connections_lock:
            self._closed = True
            connections, self._connections = list(self._connections.values()), {}
        for db in connections:
            db.close()
