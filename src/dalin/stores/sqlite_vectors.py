"""Vectors in the SQLite store: the float16 blob format and the in-memory index over them.

Vectors live in ``embeddings`` keyed by (embedder, hash of the chunk text), so identical
text is embedded once. Search runs over an in-memory :class:`VectorIndex` of every chunk
that has a vector; it is rebuilt only when the ``generations`` counters say the chunks or
the embeddings changed (read in the same snapshot as the rows, so a write by this or any
other connection is seen on the next search and never half-seen).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from dalin.errors import StoreError
from dalin.stores.sqlite_lexical import snapshot as _snapshot
from dalin.stores.vector_index import VectorIndex

#: float16, little-endian: half the bytes of float32 with the same exact-search neighbours
#: (measured in docs/benchmarks.md, "Vector storage").
VECTOR_DTYPE = np.dtype("<f2")
_FETCH_ROWS = 8192


def to_blob(vector: np.ndarray, *, what: str) -> tuple[int, bytes]:
    """(dim, bytes) of one vector; refuses anything but a finite 1-D vector."""
    v = np.asarray(vector, dtype=np.float32)
    if v.ndim != 1 or v.shape[0] == 0 or not np.all(np.isfinite(v)):
        raise StoreError(f"{what}: expected a finite 1-D vector, got shape {v.shape}")
    return int(v.shape[0]), v.astype(VECTOR_DTYPE).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    """A stored vector as float32."""
    return np.frombuffer(blob, dtype=VECTOR_DTYPE).astype(np.float32)


def embedder_names(db: sqlite3.Connection) -> list[str]:
    """Every embedder with stored vectors (a skip-scan of the primary key, not a full scan)."""
    names: list[str] = []
    row = db.execute("SELECT min(embedder) FROM embeddings").fetchone()
    while row[0] is not None:
        names.append(str(row[0]))
        row = db.execute(
            "SELECT min(embedder) FROM embeddings WHERE embedder > ?", (row[0],)
        ).fetchone()
    return names


def stored_dim(db: sqlite3.Connection, embedder: str) -> int:
    """The dimension of the embedder's stored vectors (0: none stored)."""
    row = db.execute("SELECT dim FROM embeddings WHERE embedder = ? LIMIT 1", (embedder,))
    found = row.fetchone()
    return int(found[0]) if found else 0


def bump_generation(db: sqlite3.Connection, name: str) -> None:
    """Record that ``chunks`` or ``embeddings`` changed (inside the caller's transaction)."""
    db.execute("UPDATE generations SET value = value + 1 WHERE name = ?", (name,))


def _generation(db: sqlite3.Connection) -> tuple[int, ...]:
    return tuple(int(r[0]) for r in db.execute("SELECT value FROM generations ORDER BY name"))


class VectorIndexCache:
    """One :class:`VectorIndex` per embedder, rebuilt when the database changed; and how
    many chunks have vectors, so "is every chunk embedded?" costs one read per search.

    One cache serves every connection to the same database file in the process
    (:func:`shared_cache`): the API server opens a Workspace per request, and each would
    otherwise read every vector again.
    """

    def __init__(self) -> None:
        self._indexes: dict[str, tuple[tuple[int, ...], VectorIndex]] = {}
        self._coverage: dict[str, tuple[tuple[int, ...], tuple[int, int]]] = {}
        self._lock = threading.Lock()  # one thread loads; the others wait and reuse it

    def get(self, db: sqlite3.Connection, embedder: str) -> VectorIndex:
        with self._lock, _snapshot(db):
            generation = _generation(db)
            cached = self._indexes.get(embedder)
            if cached is not None and cached[0] == generation:
                return cached[1]
            index = _load(db, embedder)
            self._indexes[embedder] = (generation, index)
        return index

    def coverage(self, db: sqlite3.Connection, embedder: str) -> tuple[int, int]:
        """(chunks with a vector of ``embedder``, chunks in total)."""
        with self._lock, _snapshot(db):
            generation = _generation(db)
            cached = self._coverage.get(embedder)
            if cached is not None and cached[0] == generation:
                return cached[1]
            index = self._indexes.get(embedder)
            if index is not None and index[0] == generation:
                with_vectors = len(index[1])
            else:
                with_vectors = int(
                    db.execute(
                        "SELECT count(*) FROM chunks c JOIN embeddings e"
                        " ON e.embedder = ? AND e.text_hash = c.text_hash",
                        (embedder,),
                    ).fetchone()[0]
                )
            total = int(db.execute("SELECT count(*) FROM chunks").fetchone()[0])
            self._coverage[embedder] = (generation, (with_vectors, total))
        return with_vectors, total


_SHARED: dict[tuple[str, int, int], VectorIndexCache] = {}
_SHARED_LOCK = threading.Lock()


def shared_cache(path: Path) -> VectorIndexCache:
    """The process-wide cache of the database at ``path``. Keyed by the file's identity
    (device, inode) as well as its name, so a workspace deleted and created again under
    the same name never sees the old vectors (its generation counters restart at 0)."""
    info = path.stat()
    key = (str(path.resolve()), info.st_dev, info.st_ino)
    with _SHARED_LOCK:
        return _SHARED.setdefault(key, VectorIndexCache())


def _load(db: sqlite3.Connection, embedder: str) -> VectorIndex:
    dim = stored_dim(db, embedder)
    join = (
        " FROM chunks c JOIN embeddings e ON e.embedder = ? AND e.text_hash = c.text_hash"
        " WHERE e.dim = ?"
    )
    n = int(db.execute("SELECT count(*)" + join, (embedder, dim)).fetchone()[0])
    ids = np.empty(n, dtype=np.int64)
    doc_ids = np.empty(n, dtype=np.int64)
    vectors = np.empty((n, dim), dtype=VECTOR_DTYPE)
    cursor = db.execute("SELECT c.id, c.doc_id, e.vector" + join, (embedder, dim))
    done = 0
    while rows := cursor.fetchmany(_FETCH_ROWS):  # blocks: never a Python object per float
        end = done + len(rows)
        ids[done:end] = [r[0] for r in rows]
        doc_ids[done:end] = [r[1] for r in rows]
        block = np.frombuffer(b"".join(r[2] for r in rows), dtype=VECTOR_DTYPE)
        vectors[done:end] = block.reshape(len(rows), dim)
        done = end
    return VectorIndex(ids, doc_ids, vectors)


def put_rows(
    db: sqlite3.Connection, embedder: str, items: Sequence[tuple[str, np.ndarray]]
) -> None:
    """Insert or replace vectors (inside the caller's transaction); one dimension per embedder."""
    rows = [(embedder, h, *to_blob(v, what=f"vector for {h[:12]}")) for h, v in items]
    if not rows:
        return
    dims = {dim for _, _, dim, _ in rows}
    known = stored_dim(db, embedder)
    if len(dims) > 1 or (known and dims != {known}):
        raise StoreError(
            f"vectors of {embedder} must all have one size; got {sorted(dims)}"
            + (f", stored ones have {known}" if known else "")
        )
    db.executemany(
        "INSERT OR REPLACE INTO embeddings (embedder, text_hash, dim, vector) VALUES (?,?,?,?)",
        rows,
    )
    bump_generation(db, "embeddings")


def prune(db: sqlite3.Connection, hashes: Sequence[str]) -> None:
    """Drop the vectors of texts no chunk holds any more (after a delete or a replace)."""
    orphans = [
        (h,)
        for h in hashes
        if db.execute("SELECT 1 FROM chunks WHERE text_hash = ? LIMIT 1", (h,)).fetchone() is None
    ]
    if not orphans:
        return
    for name in embedder_names(db):
        db.executemany(
            "DELETE FROM embeddings WHERE embedder = ? AND text_hash = ?",
            [(name, h) for (h,) in orphans],
        )
    bump_generation(db, "embeddings")
