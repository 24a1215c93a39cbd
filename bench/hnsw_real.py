"""Filtered HNSW recall on real multilingual-e5-small vectors in PostgreSQL (issue 14).

``bench/postgres_scale.py`` measured the forced graph walk at 1M rows with Gaussian vectors
shaped like e5's (recall@10 0.50 in a 1 % workspace, 0.30 in a 10 % one): the worst case for
a graph index. This measures the same walk on real vectors.

Data: real text embedded by dalin's own bundled embedder (``make_embedder("local")``,
"passage: " prefix). ``--unit passage``: KorQuAD 1.0 dev paragraphs cut into
300–900-character passages (at sentence ends), then the chunks dalin's parsers and chunker
make of ``../shared/samples`` and of the SEC 10-Q PDFs, in that order, as far as the
embedding budget goes (about 1.5 passages/s here). ``--unit sentence``: the sentences (and
lines) of 40–400 characters of those same texts, in the same order: real vectors too, about
ten times as many for the same embedding time, so that the graph is large enough for the walk
to matter. Vectors are cached in ``bench/.cache/hnsw-real/`` a shard at a time.
``--vectors shaped`` is the baseline for the same run: as many Gaussian vectors shaped like
the real ones (``postgres_scale.E5Shape`` fitted to them), the same texts and layout.

The texts are shuffled and spread over workspaces as ``postgres_scale.layout`` does: ``big``
holds 10 %, ``w00``…``w89`` 1 % each, all in one table under one HNSW index built by the
schema's own ``ensure_vector_index`` after a binary ``COPY``; each workspace's chunks go
through ``PostgresStore.upsert_document``.

Queries: e5 query vectors ("query: " prefix) of KorQuAD 1.0 dev questions, deduplicated,
shuffled with seed 14, the first 200 the tuning half and the next 200 the held-out half,
split before anything was measured (both lists are written to the JSON). Settings
(``hnsw.ef_search`` x ``hnsw.max_scan_tuples``) are swept on the tuning half only; the
held-out half is measured at the defaults and at the chosen setting (the defaults when they
reach recall@10 0.95 in both workspaces, else the cheapest setting that does).

Measured per setting, in ``w00`` (1 %) and ``big`` (10 %), one client: the graph walk
forced (``postgres_vectors.search`` with ``EXACT_BELOW = 0``, and sequential scans and sorts
disabled for the transaction, or the planner scans a table this small: the plan is checked
to use the HNSW index) against exact search, asked for 10 (recall@10, as ``postgres_scale``
does) and for 50 (``hybrid.CANDIDATES``: recall@10 of its first ten, recall@50), with the
p50/p95 latency of the walk.

    python bench/hnsw_real.py embed --unit passage --minutes 25   # resumable; stops at the budget
    python bench/hnsw_real.py embed --unit sentence --minutes 22
    python bench/hnsw_real.py measure --unit passage|sentence [--vectors real|shaped] [--json F]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from dalin.eval.metrics import percentile
from dalin.retrieval.hybrid import CANDIDATES
from dalin.stores import postgres_vectors
from dalin.stores.base import DocumentRecord, IndexedChunk
from dalin.stores.migrations import text_hash
from dalin.stores.postgres import PostgresStore, create_workspace
from dalin.stores.postgres_db import Database, close_all, connect
from dalin.testing.postgres import PostgresURLs, running_postgres
from dalin.text.korean import tokenize_many
from dalin.types import Chunk

sys.path.insert(0, str(Path(__file__).resolve().parent))
from korquad import load as load_korquad
from postgres_scale import (
    E5Shape,
    copy_vectors,
    counts,
    exact_nearest,
    halfvec_binary,
    index_vectors,
    layout,
    nearest,
)
from scale import CACHE

FOLDER = CACHE / "hnsw-real"
SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"
SEC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sec10q" / "docs"
SHARD = 200
SEED = 14
QUERIES = 400  # 200 tuning, 200 held-out
SENTENCE_END = re.compile(r"(?<=[.!?다])\s+")
SENTENCE_OR_LINE = re.compile(r"(?<=[.!?다])\s+|\n+")
#: the sweep (tuning half only): ef_search x max_scan_tuples
EF_SEARCHES = (40, 100, 200, 400)
MAX_SCAN_TUPLES = (20_000, 50_000)
TARGET = 0.95
#: far below the defaults (tuning half, for the comparison with the shaped vectors only)
STRESS = ((10, 20_000), (10, 500), (40, 500))
#: a table of a few thousand rows is cheaper to scan and sort than to walk; without these the
#: "graph walk" would be exact search (checked: :func:`walk_plan` must name the HNSW index)
FORCE_HNSW = ("enable_seqscan = off", "enable_sort = off")


# --- passages and their vectors -------------------------------------------------------------


def korquad_passages() -> Iterator[str]:
    """KorQuAD dev paragraphs as 300–900-character passages, cut at sentence ends."""
    corpus, _ = load_korquad(None)
    for title, context in corpus:
        piece = ""
        for sentence in SENTENCE_END.split(context):
            if piece and len(piece) + len(sentence) > 900 and len(piece) >= 300:
                yield f"{title}\n{piece}"
                piece = ""
            piece = f"{piece} {sentence}".strip()
        if piece:
            yield f"{title}\n{piece}"


def document_chunks(folder: Path, pattern: str) -> Iterator[str]:
    """Chunk texts of the documents in ``folder`` as dalin's parsers and chunker make them."""
    from dalin.ingest.chunking import chunk_document
    from dalin.ingest.parsers import parse_bytes

    for path in sorted(folder.glob(pattern)):
        if path.name.startswith("ADV_"):  # adversarial files: nothing to read
            continue
        try:
            doc = parse_bytes(path.read_bytes(), name=path.name)
        except Exception as exc:
            print(f"  skipped {path.name}: {type(exc).__name__}", flush=True)
            continue
        for chunk in chunk_document(doc):
            if chunk.kind == "text" and len(chunk.text) >= 100:
                yield chunk.text


def passages() -> list[str]:
    """Every candidate passage in embedding order, without repeats."""
    seen: dict[str, None] = {}
    for source in (
        korquad_passages(),
        document_chunks(SAMPLES, "*"),
        document_chunks(SEC, "*.pdf"),
    ):
        seen.update(dict.fromkeys(source))
    return list(seen)


def sentences(texts: Sequence[str]) -> list[str]:
    """The sentences (and lines) of 40–400 characters of ``texts``, in order, without repeats:
    real text too, five times as many vectors for the same embedding time."""
    seen: dict[str, None] = {}
    for text in texts:
        pieces = (p.strip() for p in SENTENCE_OR_LINE.split(text))
        seen.update(dict.fromkeys(p for p in pieces if 40 <= len(p) <= 400))
    return list(seen)


def candidates(unit: str) -> list[str]:
    """The texts to embed, in order (cached as FOLDER/UNITs.json)."""
    path = FOLDER / f"{unit}s.json"
    if not path.exists():
        texts = passages() if unit == "passage" else sentences(candidates("passage"))
        FOLDER.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    texts: list[str] = json.loads(path.read_text(encoding="utf-8"))
    return texts


def embed(unit: str, minutes: float) -> None:
    """Embed the texts shard by shard into FOLDER until the time budget is spent."""
    from dalin.embedders.registry import make_embedder

    embedder = make_embedder("local")
    assert embedder is not None
    texts = candidates(unit)
    print(f"{len(texts):,} candidate {unit}s", flush=True)
    started = time.perf_counter()
    done = 0
    for n, start in enumerate(range(0, len(texts), SHARD)):
        shard = FOLDER / f"{unit}s-{n:04d}.npy"
        if shard.exists():
            continue
        if time.perf_counter() - started > minutes * 60:
            break
        t0 = time.perf_counter()
        batch = texts[start : start + SHARD]
        np.save(shard, embedder.embed(batch, kind="passage"))
        done += len(batch)
        print(
            f"  shard {n}: {len(batch) / (time.perf_counter() - t0):.2f} {unit}s/s,"
            f" {done:,} this run in {time.perf_counter() - started:.0f} s",
            flush=True,
        )


def embedded(unit: str) -> tuple[list[str], np.ndarray]:
    """The texts embedded so far (whole shards, in order) and their vectors."""
    texts = candidates(unit)
    shards = []
    n = 0
    while (FOLDER / f"{unit}s-{n:04d}.npy").exists():
        shards.append(np.load(FOLDER / f"{unit}s-{n:04d}.npy"))
        n += 1
    vectors = np.concatenate(shards).astype(np.float32)
    return texts[: len(vectors)], vectors


def split_questions() -> dict[str, list[str]]:
    """KorQuAD dev questions, shuffled once (seed 14) and halved: tuning and held-out."""
    _, qs = load_korquad(None)
    questions = list(dict.fromkeys(q for q, _ in qs))
    order = np.random.default_rng(SEED).permutation(len(questions))[:QUERIES]
    chosen = [questions[i] for i in order]
    return {"tuning": chosen[: QUERIES // 2], "held_out": chosen[QUERIES // 2 :]}


def query_vectors(split: dict[str, list[str]], name: str) -> np.ndarray:
    cache = FOLDER / f"queries-{name}.npy"
    if not cache.exists():
        from dalin.embedders.registry import make_embedder

        embedder = make_embedder("local")
        assert embedder is not None
        np.save(cache, embedder.embed(split[name], kind="query"))
    return np.load(cache).astype(np.float32)


# --- the database ---------------------------------------------------------------------------


def documents(
    slug: str, texts: Sequence[str]
) -> Iterator[tuple[DocumentRecord, list[IndexedChunk]]]:
    """The workspace's passages as documents of up to 50 chunks (Kiwi tokens for BM25)."""
    for doc, start in enumerate(range(0, len(texts), 50)):
        bodies = texts[start : start + 50]
        chunks = []
        position = 0
        for i, (body, tokens) in enumerate(zip(bodies, tokenize_many(bodies), strict=True)):
            chunk = Chunk(body, position, position + len(body), f"p.{i + 1}", i + 1)
            chunks.append(IndexedChunk(chunk, tokens, []))
            position += len(body) + 1
        record = DocumentRecord(
            path=f"/{slug}/{doc:05d}.md",
            name=f"{doc:05d}.md",
            size=position,
            mtime_ns=0,
            content_hash=f"{slug}-{doc}",
            format="md",
            chars=position,
        )
        yield record, chunks


def build(
    urls: PostgresURLs, texts: Sequence[str], vectors: np.ndarray, embedder: str
) -> dict[str, Any]:
    """Shuffle the passages over the workspaces, load chunks and vectors, build the index."""
    order = np.random.default_rng([SEED, 1]).permutation(len(texts))
    parts = layout(len(texts))
    db = Database(urls.app, pool_size=2)
    started = time.perf_counter()
    cut = 0
    rows = []
    for slug, size in parts.items():
        create_workspace(db, slug)
        mine = order[cut : cut + size]
        cut += size
        store = PostgresStore(db, slug)
        for record, chunks in documents(slug, [texts[i] for i in mine]):
            store.upsert_document(record, chunks)
        rows.extend((slug, embedder, text_hash(texts[i]), halfvec_binary(vectors[i])) for i in mine)
    db.close()
    chunks_s = time.perf_counter() - started
    with connect(urls.owner) as conn:
        copy_vectors(conn, rows)
        index_vectors(conn)
        conn.execute(
            "INSERT INTO dalin.vector_stats (workspace, embedder, chunks)"
            " SELECT workspace, embedder, count(*) FROM dalin.embeddings GROUP BY 1, 2"
            " ON CONFLICT (workspace, embedder) DO UPDATE SET chunks = excluded.chunks"
        )
        conn.commit()
        conn.execute("VACUUM (ANALYZE) dalin.chunks")
        conn.execute("VACUUM (ANALYZE) dalin.embeddings")
    return {
        "parts": parts,
        "chunks_s": chunks_s,
        "vectors_and_index_s": time.perf_counter() - started - chunks_s,
    }


# --- measuring ------------------------------------------------------------------------------


def measure(db: Database, slug: str, vectors: np.ndarray, embedder: str) -> dict[str, float]:
    """Forced graph walk against exact search at the module's current settings."""
    r10, r10_of_50, r50, ms10, ms50 = [], [], [], [], []
    for v in vectors:
        near10, t10 = nearest(db, slug, v, 10, embedder, planner=FORCE_HNSW)
        near50, t50 = nearest(db, slug, v, CANDIDATES, embedder, planner=FORCE_HNSW)
        truth50 = exact_nearest(db, slug, v, CANDIDATES, embedder)
        # a workspace smaller than 50 (the 1 % one of a small corpus): all of it is the truth
        top10 = set(truth50[:10])
        r10.append(len(set(near10) & top10) / len(top10))
        r10_of_50.append(len(set(near50[:10]) & top10) / len(top10))
        r50.append(len(set(near50) & set(truth50)) / len(truth50))
        ms10.append(t10)
        ms50.append(t50)
    return {
        "recall@10": float(np.mean(r10)),
        "recall@10_of_50": float(np.mean(r10_of_50)),
        "recall@50": float(np.mean(r50)),
        "p50_ms_k10": percentile(ms10, 50),
        "p95_ms_k10": percentile(ms10, 95),
        "p50_ms_k50": percentile(ms50, 50),
        "p95_ms_k50": percentile(ms50, 95),
        "queries": len(vectors),
    }


class _Explaining:
    """A connection that runs the vector search's query under EXPLAIN and keeps the plan."""

    def __init__(self, conn: Any) -> None:
        self.conn, self.plan = conn, ""

    def execute(self, sql: str, params: Any = None) -> Any:
        if sql.startswith("WITH near"):
            rows = self.conn.execute(f"EXPLAIN {sql}", params).fetchall()
            self.plan = "\n".join(r[0] for r in rows)
            return self.conn.execute("SELECT 1 WHERE false")
        return self.conn.execute(sql, params)


def walk_plan(db: Database, slug: str, vector: np.ndarray, embedder: str) -> str:
    """The plan of the forced graph walk in ``slug`` (it must scan the HNSW index)."""
    served = postgres_vectors.EXACT_BELOW
    postgres_vectors.EXACT_BELOW = 0
    try:
        with db.transaction(slug) as conn:
            for setting in FORCE_HNSW:
                conn.execute(f"SET LOCAL {setting}")
            explaining = _Explaining(conn)
            postgres_vectors.search(explaining, vector, CANDIDATES, (), embedder)
    finally:
        postgres_vectors.EXACT_BELOW = served
    scans = [ln.strip() for ln in explaining.plan.splitlines() if "Scan" in ln]
    if not any("embeddings_hnsw" in ln for ln in scans):
        raise SystemExit(f"the graph walk in {slug} does not use the HNSW index: {scans}")
    return "; ".join(ln.split("  (")[0] for ln in scans)


def at(ef_search: int, max_scan: int) -> None:
    postgres_vectors.EF_SEARCH = ef_search
    postgres_vectors.MAX_SCAN_TUPLES = max_scan


def line(label: str, slug: str, r: dict[str, float]) -> str:
    return (
        f"  {label} {slug}: R@10 {r['recall@10']:.3f}, R@10 of 50 {r['recall@10_of_50']:.3f},"
        f" R@50 {r['recall@50']:.3f}; k=10 p50 {r['p50_ms_k10']:.1f} / p95"
        f" {r['p95_ms_k10']:.1f} ms, k=50 p50 {r['p50_ms_k50']:.1f} / p95 {r['p95_ms_k50']:.1f} ms"
    )


def sweep(db: Database, queries: dict[str, np.ndarray], embedder: str) -> dict[str, Any]:
    defaults = (postgres_vectors.EF_SEARCH, postgres_vectors.MAX_SCAN_TUPLES)
    slugs = ("w00", "big")
    out: dict[str, Any] = {"defaults": defaults, "tuning": {}, "held_out": {}}
    out["plans"] = {s: walk_plan(db, s, queries["tuning"][0], embedder) for s in slugs}
    print(f"  plans: {out['plans']}", flush=True)
    for slug in slugs:  # warm the caches (the first queries read the index from disk)
        measure(db, slug, queries["tuning"][:5], embedder)
    settings = sorted({defaults, *((e, m) for e in EF_SEARCHES for m in MAX_SCAN_TUPLES)})
    for ef, mx in settings:
        at(ef, mx)
        key = f"ef{ef}-max{mx}"
        out["tuning"][key] = {s: measure(db, s, queries["tuning"], embedder) for s in slugs}
        for s in slugs:
            print(line(f"tuning {key}", s, out["tuning"][key][s]), flush=True)
    reaching = [
        (ef, mx)
        for ef, mx in settings
        if all(
            min(out["tuning"][f"ef{ef}-max{mx}"][s][m] for m in ("recall@10", "recall@10_of_50"))
            >= TARGET
            for s in slugs
        )
    ]
    # the defaults if they reach the target; else the cheapest that does (the smallest
    # ef_search, then the fewest tuples)
    chosen = defaults if defaults in reaching else min(reaching, default=None)
    out["chosen"] = chosen
    for ef, mx in STRESS:  # not candidates: how far below the defaults recall holds
        at(ef, mx)
        key = f"ef{ef}-max{mx}"
        out.setdefault("stress", {})[key] = {
            s: measure(db, s, queries["tuning"], embedder) for s in slugs
        }
        for s in slugs:
            print(line(f"stress {key}", s, out["stress"][key][s]), flush=True)
    for ef, mx in {defaults, *([chosen] if chosen else [])}:
        at(ef, mx)
        key = f"ef{ef}-max{mx}"
        out["held_out"][key] = {s: measure(db, s, queries["held_out"], embedder) for s in slugs}
        for s in slugs:
            print(line(f"held-out {key}", s, out["held_out"][key][s]), flush=True)
    at(*defaults)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=["embed", "measure"])
    parser.add_argument("--minutes", type=float, default=25.0, help="embedding budget")
    parser.add_argument(
        "--unit",
        choices=["passage", "sentence"],
        default="passage",
        help="passages of 300–900 characters, or their sentences of 40–400",
    )
    parser.add_argument(
        "--vectors",
        choices=["real", "shaped"],
        default="real",
        help="shaped: the baseline, Gaussian vectors shaped like the real ones (E5Shape)",
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.step == "embed":
        embed(args.unit, args.minutes)
        return 0
    from dalin.embedders.local import LocalE5

    embedder = LocalE5.name
    texts, vectors = embedded(args.unit)
    if args.vectors == "shaped":
        # postgres_scale's synthetic vectors, fitted to these passages' real vectors
        mean = vectors.mean(axis=0)
        vectors = E5Shape(mean, vectors - mean).sample(np.random.default_rng(SEED), len(texts))
    split = split_questions()
    queries = {name: query_vectors(split, name) for name in split}
    report: dict[str, Any] = {
        "date": date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}",
        "passages": len(texts),
        "vectors": args.vectors,
        "unit": args.unit,
        "embedder": embedder,
        "split": split,
    }
    name = f"{args.vectors}-{args.unit}s-{len(texts)}"
    folder = FOLDER / f"pg-{name}"
    built = folder / "built.json"
    if not built.exists() and folder.exists():
        raise SystemExit(f"{folder} holds an unfinished build: delete it and run again")
    folder.mkdir(parents=True, exist_ok=True)
    with running_postgres(folder / "data") as urls:
        if not built.exists():
            print(f"building {len(texts):,} {args.unit}s in {folder}", flush=True)
            built.write_text(json.dumps(build(urls, texts, vectors, embedder)), encoding="utf-8")
        report["build"] = json.loads(built.read_text(encoding="utf-8"))
        report["store"] = counts(urls)
        print(json.dumps(report["store"]["chunks"] | {"hnsw_mb": report["store"]["hnsw_mb"]}))
        report["load_before"] = os.getloadavg()
        db = Database(urls.app, pool_size=2)
        report["sweep"] = sweep(db, queries, embedder)
        report["load_after"] = os.getloadavg()
        db.close()
        close_all()
    out = args.json or CACHE.parent / "results" / f"hnsw-{name}-{date.today()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
