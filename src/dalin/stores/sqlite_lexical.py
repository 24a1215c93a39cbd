"""The in-memory BM25 index beside a SQLite store: built in the background, used when fresh.

FTS5 stays the index of record and answers every query until the in-memory
:class:`~dalin.stores.sparse_index.SparseIndex` matches the database: both rank
identically (see that module), so switching between them never changes a result, only its
cost. The index is built from the FTS5 columns in one read snapshot, tagged with the
``chunks`` generation read in that snapshot, and thrown away when the generation moves on
(any connection's insert or delete bumps it); the next query starts a rebuild and FTS5
answers meanwhile. Stores of fewer than :data:`MIN_CHUNKS` chunks never build one: FTS5 is
fast enough there.

One cache per database file and process, shared by every ``SQLiteStore`` opened on it, so
a server that opens a workspace per request builds the index once.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from dalin.stores.sparse_index import IndexedRow, SparseIndex

log = logging.getLogger(__name__)

#: Below this many chunks FTS5 answers in a few milliseconds; no in-memory index is built.
MIN_CHUNKS = 20_000
_FETCH_ROWS = 4096


def chunks_generation(db: sqlite3.Connection) -> int:
    """The counter every change to ``chunks`` bumps (migration 004); -1 before it exists."""
    try:
        row = db.execute("SELECT value FROM generations WHERE name = 'chunks'").fetchone()
    except sqlite3.OperationalError:
        return -1
    return int(row[0]) if row else -1


@contextmanager
def snapshot(db: sqlite3.Connection) -> Iterator[None]:
    """A read transaction: every statement inside sees the same committed state."""
    if db.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    finally:
        db.execute("COMMIT")


def _rows(db: sqlite3.Connection) -> Iterator[IndexedRow]:
    cursor = db.execute(
        "SELECT c.id, c.doc_id, f.section, f.body FROM chunks c"
        " JOIN chunks_fts f ON f.rowid = c.id ORDER BY c.id"
    )
    while rows := cursor.fetchmany(_FETCH_ROWS):
        for chunk_id, doc_id, section, body in rows:
            yield IndexedRow(chunk_id, doc_id, section or "", body or "")


class LexicalIndexCache:
    """The newest :class:`SparseIndex` of one database file, and the thread that builds it."""

    def __init__(self, path: Path, weights: tuple[float, float], min_chunks: int) -> None:
        self.path = path
        self.weights = weights
        self.min_chunks = min_chunks
        self._lock = threading.Lock()
        self._index: tuple[int, SparseIndex] | None = None
        self._small: tuple[int, bool] | None = None  # (generation, too small to index)
        self._builder: threading.Thread | None = None

    def get(self, db: sqlite3.Connection, generation: int) -> SparseIndex | None:
        """The index if it is of ``generation`` (read by the caller in its snapshot); else
        None, having started a build when the store is large enough."""
        with self._lock:
            if self._index is not None and self._index[0] == generation:
                return self._index[1]
            small = self._small
        if small is None or small[0] != generation:
            count = int(db.execute("SELECT count(*) FROM chunks").fetchone()[0])
            small = (generation, count < self.min_chunks)
            with self._lock:
                self._small = small
        if not small[1]:
            self._start_build()
        return None

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a running build (benchmarks and tests)."""
        builder = self._builder
        if builder is not None:
            builder.join(timeout)

    def _start_build(self) -> None:
        with self._lock:
            if self._builder is not None and self._builder.is_alive():
                return
            self._index = None  # stale: free its memory before building the next one
            self._builder = threading.Thread(
                target=self._build, name=f"dalin-lexical-index:{self.path.name}", daemon=True
            )
            self._builder.start()

    def _build(self) -> None:
        try:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                with snapshot(db):
                    generation = chunks_generation(db)
                    index = SparseIndex.build(_rows(db), self.weights)
            finally:
                db.close()
        except Exception as error:  # a background thread: FTS5 keeps answering, say why
            log.warning("in-memory keyword index not built for %s: %s", self.path, error)
            return
        if index is not None:
            with self._lock:
                self._index = (generation, index)
            log.info(
                "keyword index of %s: %d chunks, %.0f MB",
                self.path,
                len(index),
                index.nbytes / 2**20,
            )


_CACHES: dict[Path, LexicalIndexCache] = {}
_CACHES_LOCK = threading.Lock()


def cache_for(path: Path, weights: tuple[float, float]) -> LexicalIndexCache | None:
    """The process-wide cache of the database at ``path`` (None for an in-memory one)."""
    if str(path) in ("", ":memory:"):
        return None
    key = path.resolve()
    min_chunks = MIN_CHUNKS
    with _CACHES_LOCK:
        cache = _CACHES.get(key)
        if cache is None or cache.weights != weights or cache.min_chunks != min_chunks:
            cache = _CACHES[key] = LexicalIndexCache(key, weights, min_chunks)
        return cache


def phrase_scorer(
    db: sqlite3.Connection, weights: tuple[float, float]
) -> Callable[[str], tuple[np.ndarray, np.ndarray]]:
    """FTS5's own score of one quoted phrase per row: that phrase's share of a query's bm25."""

    def score(token: str) -> tuple[np.ndarray, np.ndarray]:
        rows = db.execute(
            f"SELECT rowid, bm25(chunks_fts, {weights[0]}, {weights[1]}) FROM chunks_fts"
            " WHERE chunks_fts MATCH ?",
            ('"' + token.replace('"', '""') + '"',),
        ).fetchall()
        ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        shares = np.fromiter((-r[1] for r in rows), np.float64, len(rows))
        return ids, shares

    return score


def search(
    cache: LexicalIndexCache | None,
    db: sqlite3.Connection,
    tokens: Sequence[str],
    k: int,
    doc_ids: Sequence[int],
    weights: tuple[float, float],
) -> list[tuple[int, float]] | None:
    """``(chunk id, score)`` from the in-memory index, or None: ask FTS5 (inside the
    caller's snapshot, so the phrases FTS5 scores are of the same state as the index)."""
    if cache is None:
        return None
    index = cache.get(db, chunks_generation(db))
    if index is None:
        return None
    return index.search(tokens, k, doc_ids, phrase_scorer(db, weights))
