"""Vectors in PostgreSQL: pgvector ``halfvec`` rows, HNSW search with iterative index scans.

Vectors are kept as in the SQLite store: one row per (workspace, embedder, hash of the
text), float16 (``halfvec``), so identical text is embedded once and re-indexing unchanged
text keeps its vector. Each vector size has one partial HNSW index (``WHERE dim = N``, made
on first use through the owner's ``ensure_vector_index``) over every workspace's rows.

Search in a workspace is a filtered search of that shared index: pgvector 0.8's iterative
index scan (``hnsw.iterative_scan = relaxed_order``) keeps walking the graph until ``k``
rows of the workspace are found, instead of returning fewer than ``k`` (SECURITY.md 4;
recall for a workspace holding 1 % of the rows: tests/stores/test_postgres_security.py). A
search limited to some documents, or in a workspace with fewer than
:data:`EXACT_BELOW` vectors, is exact: a scan of those rows costs less than the graph walk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dalin.errors import StoreError

#: fewer vectors than this in a workspace: exact search. Measured at 1M rows on 2 cores
#: (docs/benchmarks.md, "PostgreSQL at scale"): exact took 16 ms p50 for a 10,000-vector
#: workspace against 34–98 ms for the filtered graph walk (recall@10 0.45), and 221 ms for
#: 100,000 vectors, where the graph walk takes 6–17 ms
EXACT_BELOW = 25_000
#: candidates the graph walk keeps (pgvector's default is 40)
EF_SEARCH = 100
#: rows an iterative scan may visit before it gives up (pgvector's default is 20,000)
MAX_SCAN_TUPLES = 50_000
_WORKSPACE = "current_setting('dalin.workspace', true)"


def as_text(vector: np.ndarray, *, what: str) -> tuple[int, str]:
    """(dim, pgvector text) of one vector; refuses anything but a finite 1-D vector."""
    v = np.asarray(vector, dtype=np.float32)
    if v.ndim != 1 or v.shape[0] == 0 or not np.all(np.isfinite(v)):
        raise StoreError(f"{what}: expected a finite 1-D vector, got shape {v.shape}")
    return int(v.shape[0]), "[" + ",".join(map(repr, v.astype(np.float16).tolist())) + "]"


def from_text(text: str) -> np.ndarray:
    """A stored vector (pgvector text) as float32."""
    return np.array(text.strip("[]").split(","), dtype=np.float32)


def stored_dim(conn: Any, embedder: str) -> int:
    """The size of the embedder's vectors in this workspace (0: none stored)."""
    row = conn.execute(
        f"SELECT dim FROM embeddings WHERE workspace = {_WORKSPACE} AND embedder = %s LIMIT 1",
        (embedder,),
    ).fetchone()
    return int(row[0]) if row else 0


def put(conn: Any, workspace: str, embedder: str, items: Sequence[tuple[str, np.ndarray]]) -> None:
    """Insert or replace vectors (inside the caller's locked transaction)."""
    rows = [(h, *as_text(v, what=f"vector for {h[:12]}")) for h, v in items]
    dims = {dim for _, dim, _ in rows}
    known = stored_dim(conn, embedder)
    if len(dims) > 1 or (known and dims != {known}):
        raise StoreError(
            f"vectors of {embedder} must all have one size; got {sorted(dims)}"
            + (f", stored ones have {known}" if known else "")
        )
    (dim,) = dims
    hashes = conn.execute(
        "INSERT INTO embeddings (workspace, embedder, text_hash, dim, vec)"
        " SELECT %s, %s, h, %s, v::halfvec FROM unnest(%s::text[], %s::text[]) AS u (h, v)"
        " ON CONFLICT (workspace, embedder, text_hash) DO UPDATE SET vec = excluded.vec"
        " RETURNING text_hash, (xmax = 0) AS inserted",
        (workspace, embedder, dim, [h for h, _, _ in rows], [t for _, _, t in rows]),
    ).fetchall()
    if not known:  # after the rows: a first batch is indexed in bulk, much faster than one by one
        conn.execute("SELECT ensure_vector_index(%s)", (dim,))
    new = [h for h, inserted in hashes if inserted]
    if new:
        # = ANY over an array is hashed by PostgreSQL: a stable plan however many rows
        held = conn.execute(
            f"SELECT count(*) FROM chunks WHERE workspace = {_WORKSPACE} AND text_hash = ANY(%s)",
            (new,),
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO vector_stats (workspace, embedder, chunks) VALUES (%s, %s, %s)"
            " ON CONFLICT (workspace, embedder)"
            " DO UPDATE SET chunks = vector_stats.chunks + excluded.chunks",
            (workspace, embedder, int(held)),
        )


def count_texts(conn: Any, workspace: str, hashes: Sequence[str], sign: int) -> None:
    """Count chunks that already have vectors in (+1) or out (-1): ``hashes`` holds each
    chunk's text hash, repeats included (a repeated text is a chunk each time).

    The hashes come from the caller, which has them, and are looked up by key. Joined with
    the chunks in one statement, the generic plan of the prepared query started from every
    vector of the workspace (its row estimate under row-level security is 1): about 12 s a
    document once a workspace held 10,000 vectors among a million."""
    if not hashes:
        return
    conn.execute(
        "INSERT INTO vector_stats (workspace, embedder, chunks)"
        " SELECT %s, e.embedder, %s * count(*) FROM unnest(%s::text[]) AS h (text_hash)"
        " JOIN embeddings e ON e.workspace = %s AND e.text_hash = h.text_hash"
        " GROUP BY e.embedder"
        " ON CONFLICT (workspace, embedder)"
        " DO UPDATE SET chunks = vector_stats.chunks + excluded.chunks",
        (workspace, sign, list(hashes), workspace),
    )


def prune(conn: Any, hashes: Sequence[str]) -> None:
    """Drop the vectors of texts no chunk of the workspace holds any more."""
    if hashes:
        conn.execute(
            f"DELETE FROM embeddings e WHERE e.workspace = {_WORKSPACE}"
            " AND e.text_hash = ANY(%s) AND NOT EXISTS (SELECT 1 FROM chunks c"
            " WHERE c.workspace = e.workspace AND c.text_hash = e.text_hash)",
            (list(hashes),),
        )


def with_vectors(conn: Any, embedder: str) -> int:
    """Chunks of the workspace that have a vector of ``embedder``."""
    row = conn.execute(
        "SELECT chunks FROM vector_stats WHERE embedder = %s", (embedder,)
    ).fetchone()
    return int(row[0]) if row else 0


def search(
    conn: Any, vector: np.ndarray, k: int, doc_ids: Sequence[int], embedder: str
) -> list[tuple[int, float]]:
    """The ``k`` nearest chunks as (chunk id, cosine), best first; ties by chunk id."""
    dim = stored_dim(conn, embedder)
    if k <= 0 or dim == 0:
        return []
    size, query = as_text(vector, what="query vector")
    if size != dim:
        raise StoreError(
            f"the query vector has {size} dimensions but {embedder}'s stored vectors have {dim}"
        )
    if doc_ids or with_vectors(conn, embedder) < EXACT_BELOW:
        return exact(conn, query, k, doc_ids, embedder, dim)
    conn.execute(f"SET LOCAL hnsw.ef_search = {EF_SEARCH}")
    conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
    conn.execute(f"SET LOCAL hnsw.max_scan_tuples = {MAX_SCAN_TUPLES}")
    # dim is an int from the database, inlined so the planner can match the partial index
    distance = f"e.vec::halfvec({dim}) <#> %(q)s::halfvec({dim})"
    rows = conn.execute(
        f"WITH near AS MATERIALIZED (SELECT e.text_hash, {distance} AS d FROM embeddings e"
        f" WHERE e.workspace = {_WORKSPACE} AND e.embedder = %(e)s AND e.dim = {dim}"
        f" ORDER BY {distance} LIMIT %(k)s)"
        " SELECT c.id, -near.d FROM near JOIN chunks c"
        f" ON c.workspace = {_WORKSPACE} AND c.text_hash = near.text_hash"
        " ORDER BY near.d, c.id LIMIT %(k)s",
        {"q": query, "e": embedder, "k": k},
    ).fetchall()
    return [(int(r[0]), float(r[1])) for r in rows]


def exact(
    conn: Any, query: str, k: int, doc_ids: Sequence[int], embedder: str, dim: int
) -> list[tuple[int, float]]:
    """Exact search: every vector of the workspace (or of ``doc_ids``) compared."""
    documents = " AND c.doc_id = ANY(%(docs)s)" if doc_ids else ""
    rows = conn.execute(
        "SELECT c.id, -(e.vec <#> %(q)s::halfvec) AS score FROM chunks c JOIN embeddings e"
        " ON e.workspace = c.workspace AND e.embedder = %(e)s AND e.text_hash = c.text_hash"
        f" WHERE c.workspace = {_WORKSPACE} AND e.dim = %(dim)s{documents}"
        " ORDER BY e.vec <#> %(q)s::halfvec, c.id LIMIT %(k)s",
        {"q": query, "e": embedder, "k": k, "dim": dim, "docs": list(doc_ids)},
    ).fetchall()
    return [(int(r[0]), float(r[1])) for r in rows]
