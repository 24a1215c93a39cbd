"""1M chunks on PostgreSQL + pgvector: ingest with 1, 2 and 4 workers, search under 1, 4 and
16 concurrent clients, and filtered recall against exact search (issue 14).

The data is ``bench/scale.py``'s (how it is made is said there): chunks of 300–900 characters
of real KorQuAD text whose lexical tokens are drawn from the Zipfian distribution of the real
Kiwi tokens, 50 chunks per document. All workspaces share one database (one GIN and one HNSW
index over every workspace's rows, as in a deployment): ``big`` holds 10 % of the chunks and
90 workspaces ``w00``…``w89`` hold 1 % each. The vectors (384 dims) are drawn from a Gaussian
with the mean and covariance of multilingual-e5-small's passage vectors of 1,000 KorQuAD
paragraphs (:class:`E5Shape`), so that HNSW meets a neighbourhood structure like a real one;
the query vectors are e5's real query vectors of the questions.

Build (once; kept in ``bench/.cache/pg-SIZE/``): the chunks go through the real
``PostgresStore.upsert_document`` (terms, BM25 statistics, GIN index, row-level security);
the vectors are written with ``COPY`` as the owner (faster than ``put_embeddings``, which
formats each vector as text) and indexed once at the end by the schema's own
``ensure_vector_index`` (HNSW, halfvec, m = 16, ef_construction = 64) with 3 GB of
``maintenance_work_mem`` and one parallel worker besides the leader. The server runs with
``shared_buffers = 2GB``.

Measured (every query as the app role, through the store's own code):

- keyword: ``PostgresStore.keyword_search`` (BM25, 50 candidates as ``hybrid.CANDIDATES``);
- dense: ``PostgresStore.vector_search`` (HNSW, iterative scan, 50 candidates);
- fused: ``dalin.retrieval.hybrid.search`` with both sides always taken (``dense_gate`` above
  1), Kiwi tokenisation of the question included; the query vector is looked up, not
  computed (embedding time is the embedder's, not the store's);

each with 1, 4 and 16 client threads sharing one process and one connection pool (what one
``dalin serve`` process does), questions from KorQuAD 1.0 dev, in ``w00`` (1 %) and ``big``
(10 %); all of it first as the database answers (``DALIN_KEYWORD_MEMORY_MB=0``), then keyword
and fused search again in the workspaces of ``postgres_memory.MIN_CHUNKS`` chunks or more
with the process's in-memory keyword index built (its build timed on its own first).
Recall@10: ``vector_search`` against ``exact`` (every vector of the workspace compared)
in ``w00`` (the filtered case) and ``big``. Ingest: ``dalin worker --no-embed
--until-empty`` processes working a queue of Markdown files (KorQuAD paragraphs, about 50
chunks each) into a third workspace of the same database: chunks per second from start to
the last worker's exit (the Kiwi model load of each worker included).

    python bench/postgres_scale.py --size 1000000 [--queries 200] [--json FILE]
    # the same "big" (100,000 chunks) in a 200,000-chunk database: 50 workspaces of 1 %
    python bench/postgres_scale.py --size 200000 --small-workspaces 50

A 1M build takes about an hour on 2 cores: run it with nohup and read the log.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from dalin.eval.metrics import percentile
from dalin.retrieval.hybrid import CANDIDATES, SearchPlan, search
from dalin.stores import postgres_memory, postgres_vectors
from dalin.stores.migrations import text_hash
from dalin.stores.postgres import (
    PostgresStore,
    create_workspace,
    delete_workspace,
    workspace_exists,
)
from dalin.stores.postgres_db import Database, close_all, connect
from dalin.stores.sqlite import SQLiteStore
from dalin.testing.postgres import PostgresURLs, running_postgres
from dalin.text.korean import tokenize
from dalin.types import Filter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from korquad import load as load_korquad
from scale import (
    CACHE,
    DIM,
    EMBEDDER,
    Vocabulary,
    synthetic_documents,
    synthetic_texts,
    vocabulary,
)

#: workspace "big" holds 10 % of the chunks; 90 workspaces "w00"…"w89" hold 1 % each
BIG_SHARE = 0.10
SMALL_WORKSPACES = 90
SERVER_SETTINGS = {"shared_buffers": "'2GB'", "effective_cache_size": "'6GB'"}
BUILD_MEMORY = "3GB"
COPY_BATCH = 20_000
CLIENTS = (1, 4, 16)


# --- build ---------------------------------------------------------------------------------


def configure(urls: PostgresURLs) -> bool:
    """Server settings for the run; True when a restart is needed for them to apply."""
    with connect(urls.owner) as conn:
        current = {
            name: conn.execute(f"SHOW {name}").fetchone()[0].upper() for name in SERVER_SETTINGS
        }
        for name, value in SERVER_SETTINGS.items():
            conn.execute(f"ALTER SYSTEM SET {name} = {value}")
    return any(current[n] != v.strip("'").upper() for n, v in SERVER_SETTINGS.items())


def load_chunks(db: Database, slug: str, size: int, vocab: Vocabulary, seed: int) -> float:
    """``size`` chunks into workspace ``slug`` through the real store; seconds taken."""
    store = PostgresStore(db, slug)
    started = time.perf_counter()
    done = 0
    for record, chunks in synthetic_documents(size, vocab, seed, prefix=f"/{slug}"):
        store.upsert_document(record, chunks)
        done += len(chunks)
        if done % 50_000 < len(chunks):
            print(
                f"  {slug}: {done:,}/{size:,} chunks, {time.perf_counter() - started:.0f} s",
                flush=True,
            )
    return time.perf_counter() - started


class E5Shape:
    """Vectors shaped like multilingual-e5-small's: a Gaussian with the mean and covariance
    of its passage vectors of 1,000 KorQuAD paragraphs (random unit vectors have no
    neighbourhood structure: HNSW recall on them says nothing about real embeddings)."""

    FILE = CACHE / "pgscale-e5.npz"

    def __init__(self, mean: np.ndarray, spread: np.ndarray) -> None:
        self.mean, self.spread = mean, spread

    @classmethod
    def load(cls) -> E5Shape:
        if not cls.FILE.exists():
            from dalin.embedders.local import LocalE5

            corpus, _ = load_korquad(None)
            texts = [f"# {title}\n\n{context}" for title, context in corpus[:1000]]
            np.savez(cls.FILE, vectors=LocalE5().embed(texts, kind="passage"))
        passages = np.load(cls.FILE)["vectors"].astype(np.float32)
        mean = passages.mean(axis=0)
        return cls(mean, passages - mean)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        # a standard normal mix of the real deviations has their covariance (up to scale)
        mix = rng.standard_normal((n, len(self.spread)), dtype=np.float32)
        v = self.mean + mix @ self.spread / np.sqrt(len(self.spread))
        return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def halfvec_binary(vector: np.ndarray) -> bytes:
    """pgvector's binary input of a halfvec: dim, unused, then big-endian float16s."""
    return struct.pack(">hh", vector.shape[0], 0) + vector.astype(">f2").tobytes()


def copy_rows(rows: Sequence[tuple[str, str, str, bytes]]) -> bytes:
    """PostgreSQL's binary COPY stream for (workspace, embedder, text_hash, dim, vec) rows."""
    out = [b"PGCOPY\n\xff\r\n\x00", struct.pack(">ii", 0, 0)]
    dim = struct.pack(">ii", 4, DIM)
    for workspace, embedder, digest, vec in rows:
        out.append(struct.pack(">h", 5))
        for text in (workspace, embedder, digest):
            raw = text.encode()
            out.append(struct.pack(">i", len(raw)) + raw)
        out.append(dim)
        out.append(struct.pack(">i", len(vec)) + vec)
    out.append(struct.pack(">h", -1))
    return b"".join(out)


def load_vectors(urls: PostgresURLs, parts: dict[str, int], vocab: Vocabulary, seed: int) -> float:
    """An e5-like vector per chunk text, by COPY, then the HNSW index; seconds taken."""
    rng = np.random.default_rng([seed, 3])
    shape = E5Shape.load()
    started = time.perf_counter()
    with connect(urls.owner) as conn:
        for slug, size in parts.items():
            rows: list[tuple[str, str, str, bytes]] = []
            for bodies in synthetic_texts(size, vocab, seed_of(slug, seed)):
                vectors = shape.sample(rng, len(bodies))
                rows.extend(
                    (slug, EMBEDDER, text_hash(b), halfvec_binary(v))
                    for b, v in zip(bodies, vectors, strict=True)
                )
                if len(rows) >= COPY_BATCH:
                    copy_vectors(conn, rows)
                    rows = []
            copy_vectors(conn, rows)
        print(f"  vectors: {time.perf_counter() - started:.0f} s", flush=True)
        copied = time.perf_counter() - started
        index_vectors(conn)
    print(f"  HNSW index: {time.perf_counter() - started - copied:.0f} s", flush=True)
    return time.perf_counter() - started


def index_vectors(conn: Any) -> None:
    """The HNSW index over every vector, built once by the schema's own function."""
    conn.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
    conn.execute("SET max_parallel_maintenance_workers = 1")
    conn.execute("SELECT dalin.ensure_vector_index(%s)", (DIM,))
    conn.commit()


def copy_vectors(conn: Any, rows: Sequence[tuple[str, str, str, bytes]]) -> None:
    """(workspace, embedder, text hash, :func:`halfvec_binary`) rows by binary COPY."""
    if rows:
        with conn.cursor().copy(
            "COPY dalin.embeddings (workspace, embedder, text_hash, dim, vec)"
            " FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.write(copy_rows(rows))


def layout(size: int) -> dict[str, int]:
    """Chunks per workspace: "big", then the 1 % ones."""
    small = size // 100
    parts = {"big": size - small * SMALL_WORKSPACES}
    parts.update({f"w{i:02d}": small for i in range(SMALL_WORKSPACES)})
    return parts


def seed_of(slug: str, seed: int) -> int:
    """Each workspace its own texts (and so its own vectors)."""
    return seed if slug == "big" else seed + 1 + int(slug[1:])


def build(urls: PostgresURLs, size: int, vocab: Vocabulary, seed: int) -> dict[str, float]:
    """Every workspace: chunks in two threads, vectors and their index in a third."""
    parts = layout(size)
    db = Database(urls.app, pool_size=3)
    times: dict[str, float] = {}
    failed: list[BaseException] = []
    for slug in parts:
        create_workspace(db, slug)

    def vectors() -> None:
        try:
            times["vectors_and_index_s"] = load_vectors(urls, parts, vocab, seed)
        except BaseException as exc:
            failed.append(exc)
            raise

    def chunks(slugs: Sequence[str]) -> None:
        for slug in slugs:
            times[f"chunks_{slug}_s"] = load_chunks(
                db, slug, parts[slug], vocab, seed_of(slug, seed)
            )

    started = time.perf_counter()
    names = list(parts)
    split = len(names) * 4 // 9  # "big" and 40 small ones, then the other 50
    threads = [
        threading.Thread(target=vectors),
        threading.Thread(target=chunks, args=(names[:split],)),
        threading.Thread(target=chunks, args=(names[split:],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.close()
    if failed:
        raise RuntimeError("the vectors could not be loaded") from failed[0]
    with connect(urls.owner) as conn:
        # the chunk loader counted the vectors already there; count them all once, now
        conn.execute(
            "INSERT INTO dalin.vector_stats (workspace, embedder, chunks)"
            " SELECT c.workspace, e.embedder, count(*) FROM dalin.chunks c"
            " JOIN dalin.embeddings e ON e.workspace = c.workspace AND e.text_hash = c.text_hash"
            " GROUP BY 1, 2 ON CONFLICT (workspace, embedder)"
            " DO UPDATE SET chunks = excluded.chunks"
        )
        conn.commit()
        conn.execute("VACUUM (ANALYZE) dalin.chunks")
        conn.execute("VACUUM (ANALYZE) dalin.embeddings")
        conn.execute("VACUUM (ANALYZE) dalin.term_stats")
    times["build_s"] = time.perf_counter() - started
    return times


# --- queries -------------------------------------------------------------------------------


class FixedEmbedder:
    """The query vectors of the run, looked up by question (no model in the timing)."""

    name = EMBEDDER
    dim = DIM

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self._vectors = vectors

    def embed(self, texts: Sequence[str], *, kind: str) -> np.ndarray:
        return np.stack([self._vectors[t] for t in texts])


def under_clients(run: Callable[[int], object], n: int, clients: int) -> dict[str, float]:
    """p50/p95 (ms) of ``run(i)`` for ``i < n`` spread over ``clients`` threads."""
    walls: list[float] = [0.0] * n

    def one(i: int) -> None:
        t0 = time.perf_counter()
        run(i)
        walls[i] = (time.perf_counter() - t0) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(n)))
    elapsed = time.perf_counter() - started
    return {
        "p50_ms": percentile(walls, 50),
        "p95_ms": percentile(walls, 95),
        "max_ms": max(walls),
        "queries_per_s": n / elapsed,
    }


def query_vectors(questions: Sequence[str]) -> np.ndarray:
    """multilingual-e5-small's query vectors of the questions (cached)."""
    cache = CACHE / f"pgscale-questions-{len(questions)}.npz"
    if not cache.exists():
        from dalin.embedders.local import LocalE5

        np.savez(cache, vectors=LocalE5().embed(list(questions), kind="query"))
    return np.load(cache)["vectors"].astype(np.float32)


def measure_search(
    stores: dict[str, Any],
    questions: list[str],
    plans: dict[str, tuple[int, Sequence[int]]],
    kinds: Sequence[str] = ("keyword", "dense", "fused"),
) -> dict[str, Any]:
    """p50/p95 per workspace, kind of search and number of clients (one store per slug)."""
    vectors = query_vectors(questions)
    tokens = [tokenize(q) for q in questions]
    embedder = FixedEmbedder(dict(zip(questions, vectors, strict=True)))
    plan = SearchPlan(dense_gate=2.0)
    everywhere = Filter()
    results: dict[str, Any] = {}
    for slug, (n, clients_list) in plans.items():
        store = stores[slug]
        runs: dict[str, Callable[[int], object]] = {
            "keyword": lambda i, s=store: s.keyword_search(tokens[i], CANDIDATES, everywhere),
            "dense": lambda i, s=store: s.vector_search(
                vectors[i], CANDIDATES, everywhere, EMBEDDER
            ),
            "fused": lambda i, s=store: search(
                questions[i], 10, store=s, plan=plan, embedder=embedder
            ),  # type: ignore[arg-type]
        }
        for name, run in runs.items():
            if name not in kinds:
                continue
            for i in range(3):  # warm the pool and the caches
                run(len(questions) - 1 - i)
            for clients in clients_list:
                key = f"{slug}/{name}/{clients}"
                results[key] = under_clients(run, n, clients)
                print(f"  {key}: {_brief(results[key])}", flush=True)
    return results


def measure_postgres(
    urls: PostgresURLs, questions: list[str], plans: dict[str, tuple[int, Sequence[int]]]
) -> dict[str, Any]:
    """Every search as the database answers it; then keyword and fused search again in the
    workspaces large enough for a process's in-memory keyword index (postgres_memory.py),
    with that index built first (its build timed)."""
    db = Database(urls.app, pool_size=max(CLIENTS))
    stores = {s: PostgresStore(db, s) for s in plans}
    os.environ[postgres_memory.MEMORY_ENV] = "0"  # the database's own search
    results = measure_search(stores, questions, plans)
    os.environ.pop(postgres_memory.MEMORY_ENV)
    large = {
        s: p for s, p in plans.items() if stores[s].chunk_count() >= postgres_memory.MIN_CHUNKS
    }
    for slug in large:
        started = time.perf_counter()
        index = postgres_memory.build(urls.app, slug)
        assert index is not None
        results[f"memory/{slug}/build"] = {
            "seconds": time.perf_counter() - started,
            "megabytes": index.nbytes / 2**20,
            "chunks": len(index.ids),
        }
        print(f"  memory/{slug}/build: {results[f'memory/{slug}/build']}", flush=True)
        stores[slug].keyword_search(["연차"], 1, Filter())  # starts the process's own build
        postgres_memory.INDEXES.wait()
    memory = measure_search(stores, questions, large, kinds=("keyword", "fused"))
    results.update({f"memory/{key}": value for key, value in memory.items()})
    vectors = query_vectors(questions)
    results["recall"] = {
        slug: recall(db, slug, vectors[:n]) for slug, n in (("w00", 100), ("big", 30))
    }
    db.close()
    return results


# --- the same workspaces in SQLite ---------------------------------------------------------


def sqlite_store(urls: PostgresURLs, folder: Path, slug: str, size: int, vocab: Vocabulary,
                 seed: int) -> SQLiteStore:  # fmt: skip
    """Workspace ``slug`` as its own SQLite file (what an embedded install has): the same
    chunks through ``SQLiteStore.upsert_document``, the same vectors (read back from
    PostgreSQL) through ``put_embeddings``; built once into ``folder``."""
    path = folder / f"sqlite-{slug}.db"
    if not path.exists():
        started = time.perf_counter()
        tmp = path.with_suffix(".building")
        for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            stale.unlink(missing_ok=True)
        store = SQLiteStore(tmp)
        store._db.execute("PRAGMA synchronous = OFF")  # a throwaway build: no fsync
        for record, chunks in synthetic_documents(size, vocab, seed, prefix=f"/{slug}"):
            store.upsert_document(record, chunks)
        with connect(urls.owner) as conn:
            rows = conn.execute(
                "SELECT text_hash, vec::real[] FROM dalin.embeddings WHERE workspace = %s",
                (slug,),
            ).fetchall()
        for i in range(0, len(rows), COPY_BATCH):
            batch = rows[i : i + COPY_BATCH]
            store.put_embeddings(EMBEDDER, [(h, np.asarray(v, np.float32)) for h, v in batch])
        store.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        tmp.rename(path)
        print(f"  sqlite {slug}: built in {time.perf_counter() - started:.0f} s", flush=True)
    store = SQLiteStore(path)
    store.vector_search(np.ones(DIM, np.float32) / DIM**0.5, 1, Filter(), EMBEDDER)
    store.keyword_search(["하"], 1, Filter())  # starts the in-memory index (20,000+ chunks)
    if store._lexical is not None:
        store._lexical.wait()
    return store


def measure_sqlite(
    urls: PostgresURLs, folder: Path, size: int, vocab: Vocabulary, seed: int,
    questions: list[str], plans: dict[str, tuple[int, Sequence[int]]],
) -> dict[str, Any]:  # fmt: skip
    parts = layout(size)
    stores = {
        slug: sqlite_store(urls, folder, slug, parts[slug], vocab, seed_of(slug, seed))
        for slug in plans
    }
    try:
        return measure_search(stores, questions, plans)
    finally:
        for store in stores.values():
            store.close()


def _brief(r: dict[str, float]) -> str:
    return f"p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, {r['queries_per_s']:.1f}/s"


def nearest(
    db: Database, slug: str, vector: np.ndarray, k: int, embedder: str = EMBEDDER,
    *, exact_below: int = 0, planner: Sequence[str] = (),
) -> tuple[list[int], float]:  # fmt: skip
    """The chunk ids ``postgres_vectors.search`` returns in ``slug`` with ``EXACT_BELOW`` set
    to ``exact_below`` (0: the HNSW graph walk forced), and its wall time in ms.

    ``planner``: settings (``"enable_seqscan = off"``…) set for the query's transaction, for
    a table so small that the planner would rather scan it than walk the graph.
    """
    served = postgres_vectors.EXACT_BELOW
    postgres_vectors.EXACT_BELOW = exact_below
    try:
        started = time.perf_counter()
        with db.transaction(slug) as conn:
            for setting in planner:
                conn.execute(f"SET LOCAL {setting}")
            near = postgres_vectors.search(conn, vector, k, (), embedder)
        return [c for c, _ in near], (time.perf_counter() - started) * 1000
    finally:
        postgres_vectors.EXACT_BELOW = served


def exact_nearest(
    db: Database, slug: str, vector: np.ndarray, k: int, embedder: str = EMBEDDER
) -> list[int]:
    """The true ``k`` nearest chunk ids in ``slug``: every vector of the workspace compared."""
    with db.transaction(slug) as conn:
        _, query = postgres_vectors.as_text(vector, what="query")
        return [c for c, _ in postgres_vectors.exact(conn, query, k, (), embedder, DIM)]


def recall(db: Database, slug: str, vectors: np.ndarray) -> dict[str, float]:
    """Mean recall@10 against exact search in ``slug``: of the store's vector search as it
    serves (exact below ``EXACT_BELOW`` vectors) and of the HNSW graph walk forced."""
    out: dict[str, float] = {}
    for name, limit in (("served", postgres_vectors.EXACT_BELOW), ("graph", 0)):
        hits = []
        for v in vectors:
            near, _ = nearest(db, slug, v, 10, exact_below=limit)
            truth = exact_nearest(db, slug, v, 10)
            hits.append(len(set(near) & set(truth)) / 10)
        out[name] = float(np.mean(hits))
        print(f"  recall@10 {slug} ({name}): {out[name]:.3f} ({len(hits)} queries)", flush=True)
    return out


# --- ingest --------------------------------------------------------------------------------


def ingest_files(
    folder: Path, paragraphs: Sequence[str], files: int, tag: str, per_file: int = 50
) -> Iterator[Path]:
    """Markdown files of ``per_file`` real paragraphs each (about as many chunks), taken in
    turn from the KorQuAD paragraphs (again from the first when they run out); every section
    heading names the file, so no two chunks share a text."""
    for n in range(files):
        body = [paragraphs[(n * per_file + i) % len(paragraphs)] for i in range(per_file)]
        path = folder / f"{tag}-{n:03d}.md"
        sections = (f"## {tag} {n} 절 {i}\n\n{p}" for i, p in enumerate(body))
        path.write_text(f"# {tag} 문서 {n}\n\n" + "\n\n".join(sections), encoding="utf-8")
        yield path


def measure_ingest(urls: PostgresURLs, files: int, workers: Sequence[int]) -> dict[str, Any]:
    from dalin import Workspace
    from dalin.worker import enqueue_files

    corpus, _ = load_korquad(None)
    paragraphs = [context for _, context in corpus]
    env = {**os.environ, "DALIN_DATABASE_URL": urls.app, "DALIN_LANG": "en"}
    os.environ["DALIN_DATABASE_URL"] = urls.app
    results: dict[str, Any] = {}
    db = Database(urls.app, pool_size=2)
    for n in workers:
        slug = f"ingest-{n}"
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            if workspace_exists(db, slug):
                delete_workspace(db, slug)
            with Workspace.create(folder / "ws", backend="postgres", name=slug):
                pass
            paths = list(ingest_files(folder, paragraphs, files, f"w{n}"))
            jobs, failed = enqueue_files(urls.app, slug, paths)
            assert not failed and len(jobs) == files, failed
            started = time.perf_counter()
            procs = [
                subprocess.Popen(
                    [sys.executable, "-m", "dalin", "worker", "--until-empty", "--no-embed"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
                for _ in range(n)
            ]
            codes = [p.wait(timeout=3600) for p in procs]
            elapsed = time.perf_counter() - started
            assert codes == [0] * n, [p.stderr.read() for p in procs if p.stderr]
            for p in procs:
                if p.stderr:
                    p.stderr.close()
            chunks = PostgresStore(db, slug).chunk_count()
        results[str(n)] = {
            "files": files,
            "chunks": chunks,
            "seconds": elapsed,
            "chunks_per_s": chunks / elapsed,
        }
        print(
            f"  ingest, {n} worker(s): {chunks:,} chunks in {elapsed:.1f} s"
            f" = {chunks / elapsed:.0f}/s",
            flush=True,
        )
    db.close()
    return results


# --- main ----------------------------------------------------------------------------------


def counts(urls: PostgresURLs) -> dict[str, Any]:
    with connect(urls.owner) as conn:
        rows = conn.execute(
            "SELECT workspace, count(*) FROM dalin.chunks GROUP BY workspace ORDER BY 1"
        ).fetchall()
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        index = conn.execute(
            "SELECT coalesce(sum(pg_relation_size(indexrelid)), 0) FROM pg_stat_user_indexes"
            " WHERE indexrelname LIKE 'embeddings_hnsw_%'"
        ).fetchone()[0]
    return {
        "chunks": {w: int(n) for w, n in rows},
        "database_mb": int(size) / 2**20,
        "hnsw_mb": int(index) / 2**20,
    }


def main(argv: Sequence[str] | None = None) -> int:
    global SMALL_WORKSPACES
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--big-queries", type=int, default=30, help="queries in the 10 %% workspace (slow)"
    )
    parser.add_argument("--ingest-files", type=int, default=80)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--skip", nargs="*", default=[], choices=["search", "sqlite", "ingest"])
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--small-workspaces",
        type=int,
        default=SMALL_WORKSPACES,
        help="workspaces of 1 %% beside big (fewer: a smaller database with the same big)",
    )
    args = parser.parse_args(argv)
    seed = 1
    vocab = vocabulary()
    SMALL_WORKSPACES = args.small_workspaces
    folder = CACHE / f"pg-{args.size}"
    if args.small_workspaces != 90:
        folder = CACHE / f"pg-{args.size}-{args.small_workspaces}ws"
    built = (folder / "built.json").exists()
    if not built and folder.exists():
        raise SystemExit(f"{folder} holds an unfinished build: delete it and run again")
    folder.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "date": date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}",
        "size": args.size,
        "small_workspaces": SMALL_WORKSPACES,
        "candidates": CANDIDATES,
    }
    with running_postgres(folder / "data") as urls:
        restart = configure(urls)
    with running_postgres(folder / "data") as urls:
        assert not restart or not configure(urls), "server settings did not apply"
        if not built:
            print(f"building {args.size:,} chunks in {folder}", flush=True)
            info = build(urls, args.size, vocab, seed)
            (folder / "built.json").write_text(json.dumps(info), encoding="utf-8")
        report["build"] = json.loads((folder / "built.json").read_text(encoding="utf-8"))
        report["store"] = counts(urls)
        print(json.dumps(report["store"]), flush=True)
        _, qs = load_korquad(None)
        questions = list(dict.fromkeys(q for q, _ in qs))[: args.queries]
        report["load_before"] = os.getloadavg()
        plans: dict[str, tuple[int, Sequence[int]]] = {
            "w00": (len(questions), CLIENTS),
            "big": (args.big_queries, (1, 4)),
        }
        if "search" not in args.skip:
            report["search"] = measure_postgres(urls, questions, plans)
        if "sqlite" not in args.skip:  # the same workspaces and questions, embedded
            report["sqlite"] = measure_sqlite(
                urls, folder, args.size, vocab, seed, questions, plans
            )
        if "ingest" not in args.skip:
            report["ingest"] = measure_ingest(urls, args.ingest_files, args.workers)
        report["load_after"] = os.getloadavg()
        close_all()
    out = args.json or CACHE.parent / "results" / f"postgres-scale-{date.today()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
