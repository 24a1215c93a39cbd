"""Query latency at scale: SQLiteStore keyword and vector search over 100k and 1M chunks.

Synthetic but realistic stores: chunks of 300–900 characters (real KorQuAD 1.0 text, so the
file size is honest) whose lexical tokens are drawn from the Zipfian distribution of the
real Kiwi tokens of the KorQuAD paragraphs (``dalin.text.korean.tokenize``), about one
token per 3.9 characters as in the real text; 50 chunks per document, the document's
section path made of 2–4 tokens of the same distribution. Queries are 3–8 tokens drawn the
same way. Vectors are random unit vectors (384 dims, embedder name ``synthetic``), stored
with ``put_embeddings`` (float16), queried with random unit vectors.

The store is built with the real ``SQLiteStore.upsert_document`` / ``put_embeddings`` and
kept under ``bench/.cache/`` so reruns skip the build (delete the file to rebuild).
"Both" is what ``Workspace.search`` does per query: keyword search, the vector coverage
check, vector search, one after the other, 50 candidates each (``hybrid.CANDIDATES``).
The time to embed the query is not included. Keyword search is measured twice: plain FTS5
(``lexical_fts5``) and through the in-memory BM25 index (``lexical``, what the store uses
once the index is built), after checking that both return the same hits and scores.
Times are wall clock (p50/p95) and CPU per query: on a shared machine the CPU time is the
steadier figure.

    python bench/scale.py --sizes 100000 1000000 [--queries 300] [--json bench/results/scale.json]

A 1M build takes a while: run it with nohup in the background and read the log.
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from dalin.eval.metrics import percentile
from dalin.retrieval.hybrid import CANDIDATES
from dalin.stores.base import DocumentRecord, IndexedChunk
from dalin.stores.migrations import text_hash
from dalin.stores.sparse_index import fts_tokens
from dalin.stores.sqlite import SQLiteStore, fts_query
from dalin.stores.sqlite_lexical import chunks_generation
from dalin.types import Chunk, Filter, Hit

ROOT = Path(__file__).resolve().parents[1]
KORQUAD = ROOT.parent / "shared" / "data" / "korquad1" / "KorQuAD_v1.0_dev.json"
CACHE = ROOT / "bench" / ".cache"
EMBEDDER = "synthetic"
DIM = 384
CHUNKS_PER_DOC = 50
CHARS_PER_TOKEN = 3.95  # measured on the KorQuAD paragraphs with dalin's tokenizer
DOCS_PER_COMMIT = 20  # documents per vector batch (each upsert is its own transaction)


@dataclass(frozen=True)
class Vocabulary:
    tokens: list[str]
    probabilities: np.ndarray  # Zipfian: the real token frequencies, normalised
    text: str  # the real paragraphs, concatenated, to cut chunk text from


def vocabulary() -> Vocabulary:
    """Kiwi tokens of the KorQuAD paragraphs and their frequencies (cached: Kiwi is slow)."""
    cache = CACHE / "scale-vocab.json"
    if cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
    else:
        from dalin.text.korean import tokenize_many

        raw = json.loads(KORQUAD.read_text(encoding="utf-8"))
        paragraphs = list(dict.fromkeys(p["context"] for a in raw["data"] for p in a["paragraphs"]))
        counts = collections.Counter(t for ts in tokenize_many(paragraphs) for t in ts)
        ranked = counts.most_common()
        data = {
            "tokens": [t for t, _ in ranked],
            "counts": [c for _, c in ranked],
            "text": " ".join(paragraphs),
        }
        CACHE.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    counts = np.asarray(data["counts"], dtype=np.float64)
    return Vocabulary(data["tokens"], counts / counts.sum(), data["text"])


def unit_vectors(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, DIM), dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v


def synthetic_documents(
    size: int, vocab: Vocabulary, seed: int, prefix: str = "/synthetic"
) -> Iterator[tuple[DocumentRecord, list[IndexedChunk]]]:
    """``size`` chunks as documents of :data:`CHUNKS_PER_DOC` (the last one shorter).

    The texts come from one random stream and the tokens from another, so a caller that
    needs only the texts (:func:`synthetic_texts`) gets the same ones without the tokens.
    """
    texts = synthetic_texts(size, vocab, seed)
    rng = np.random.default_rng([seed, 2])
    n_vocab = len(vocab.tokens)
    tokens = np.asarray(vocab.tokens, dtype=object)
    for doc, bodies in enumerate(texts):
        counts = [max(1, round((len(b) - 1) / CHARS_PER_TOKEN)) for b in bodies]
        drawn = tokens[rng.choice(n_vocab, size=sum(counts), p=vocab.probabilities)]
        section = list(
            tokens[rng.choice(n_vocab, size=int(rng.integers(2, 5)), p=vocab.probabilities)]
        )
        section_text = " ".join(section)
        chunks: list[IndexedChunk] = []
        position = cut = 0
        for i, body in enumerate(bodies):
            chunk = Chunk(body, position, position + len(body), f"p.{i + 1}", i + 1, section_text)
            position += len(body) + 1
            chunks.append(IndexedChunk(chunk, list(drawn[cut : cut + counts[i]]), section))
            cut += counts[i]
        record = DocumentRecord(
            path=f"{prefix}/{doc:07d}.md",
            name=f"{doc:07d}.md",
            size=position,
            mtime_ns=0,
            content_hash=f"{seed}-{doc}",
            format="md",
            chars=position,
        )
        yield record, chunks


def synthetic_texts(size: int, vocab: Vocabulary, seed: int) -> Iterator[list[str]]:
    """The chunk texts of :func:`synthetic_documents`, one list per document: 300–900
    characters of real text, each ending in its serial (every text unique, so every chunk
    gets its own vector)."""
    rng = np.random.default_rng([seed, 1])
    text = vocab.text
    done = 0
    while done < size:
        n = min(CHUNKS_PER_DOC, size - done)
        lengths = rng.integers(300, 901, size=n)
        offsets = rng.integers(0, len(text) - 900, size=n)
        yield [f"{text[offsets[i] : offsets[i] + lengths[i]]} [{done + i}]" for i in range(n)]
        done += n


def build(path: Path, size: int, vocab: Vocabulary, seed: int = 1) -> dict[str, float]:
    """Write ``size`` chunks (and their vectors) into a new store at ``path``."""
    rng = np.random.default_rng([seed, 3])
    tmp = path.with_suffix(".building")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    store = SQLiteStore(tmp)
    # A throwaway build needs no fsync per transaction (half the build time went to it);
    # the rows, the FTS5 index and the transactions are the same as in real use.
    store._db.execute("PRAGMA synchronous = OFF")
    started = time.perf_counter()
    lexical_s = vectors_s = 0.0
    pending: list[str] = []
    done = doc = 0
    for record, chunks in synthetic_documents(size, vocab, seed):
        t0 = time.perf_counter()
        store.upsert_document(record, chunks)
        lexical_s += time.perf_counter() - t0
        pending.extend(text_hash(c.chunk.text) for c in chunks)
        done += len(chunks)
        doc += 1
        if doc % DOCS_PER_COMMIT == 0 or done >= size:
            t0 = time.perf_counter()
            store.put_embeddings(
                EMBEDDER, list(zip(pending, unit_vectors(rng, len(pending)), strict=True))
            )
            vectors_s += time.perf_counter() - t0
            pending = []
        if doc % 500 == 0:
            elapsed = time.perf_counter() - started
            print(f"  built {done:,}/{size:,} chunks in {elapsed:.0f}s", flush=True)
    store.close()
    total = time.perf_counter() - started
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    tmp.rename(path)
    info = {
        "build_s": total,
        "lexical_s": lexical_s,
        "vectors_s": vectors_s,
        "chunks": size,
        "documents": doc,
    }
    path.with_suffix(".json").write_text(json.dumps(info), encoding="utf-8")
    return info


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def timed(run: Callable[[int], object], n: int) -> dict[str, float]:
    """Wall-clock p50/p95 (ms) and the CPU time per query of ``run(i)`` for ``i < n``."""
    walls: list[float] = []
    cpu0 = time.process_time()
    for i in range(n):
        t0 = time.perf_counter()
        run(i)
        walls.append((time.perf_counter() - t0) * 1000)
    cpu = (time.process_time() - cpu0) * 1000 / n
    return {
        "p50_ms": percentile(walls, 50),
        "p95_ms": percentile(walls, 95),
        "max_ms": max(walls),
        "cpu_ms_per_query": cpu,
    }


def queries(vocab: Vocabulary, n: int, seed: int) -> tuple[list[list[str]], np.ndarray]:
    rng = np.random.default_rng(seed)
    picked = [
        [
            vocab.tokens[j]
            for j in rng.choice(
                len(vocab.tokens), size=int(rng.integers(3, 9)), p=vocab.probabilities
            )
        ]
        for _ in range(n)
    ]
    return picked, unit_vectors(rng, n)


def measure(path: Path, vocab: Vocabulary, n_queries: int, n_fts: int) -> dict[str, object]:
    gc.collect()
    rss_start, _ = rss_mb()
    store = SQLiteStore(path)
    token_queries, vectors = queries(vocab, n_queries, seed=7)
    everywhere = Filter()
    k = CANDIDATES
    results: dict[str, object] = {
        "queries_with_a_phrase_token": sum(
            any(len(fts_tokens(t)) > 1 for t in q) for q in token_queries
        )
        / n_queries
    }

    t0 = time.perf_counter()
    store.vector_search(vectors[0], k, everywhere, EMBEDDER)
    results["vector_index_load_s"] = time.perf_counter() - t0
    rss_vectors, _ = rss_mb()
    results["vector_index_rss_mb"] = rss_vectors - rss_start

    cache = store._lexical
    assert cache is not None
    t0 = time.perf_counter()
    store.keyword_search(token_queries[0], k, everywhere)  # answered by FTS5; starts the build
    cache.wait()
    results["lexical_index_build_s"] = time.perf_counter() - t0
    gc.collect()
    rss_lexical, _ = rss_mb()
    results["lexical_index_rss_mb"] = rss_lexical - rss_vectors
    index = cache.get(store._db, chunks_generation(store._db))
    results["lexical_index_mb"] = index.nbytes / 2**20 if index is not None else None

    def fts5(i: int) -> list[Hit]:
        return store._fts_search(fts_query(token_queries[i]), k, everywhere)

    def lexical(i: int) -> list[Hit]:
        return store.keyword_search(token_queries[i], k, everywhere)

    def dense(i: int) -> object:
        return store.vector_search(vectors[i], k, everywhere, EMBEDDER)

    def both(i: int) -> object:
        lexical(i)
        store.vector_coverage(EMBEDDER)
        return dense(i)

    one_doc = Filter((3,))

    def lexical_one_doc(i: int) -> object:
        return store.keyword_search(token_queries[i], k, one_doc)

    def dense_one_doc(i: int) -> object:
        return store.vector_search(vectors[i], k, one_doc, EMBEDDER)

    # the same answers from both lexical paths (the index ranks exactly as FTS5)
    for i in range(min(n_fts, 20)):
        a = [(h.chunk_id, h.score) for h in fts5(i)]
        b = [(h.chunk_id, h.score) for h in lexical(i)]
        assert a == b, f"query {i}: FTS5 and the in-memory index disagree"
    for name, run, n in (
        ("lexical_fts5", fts5, n_fts),
        ("lexical", lexical, n_queries),
        ("dense", dense, n_queries),
        ("both", both, n_queries),
        ("lexical_one_doc", lexical_one_doc, n_queries),
        ("dense_one_doc", dense_one_doc, n_queries),
    ):
        results[name] = {"queries": n, **timed(run, n)}
        print(f"    {name}: {results[name]}", flush=True)
    rss, peak = rss_mb()
    results["rss_mb"] = rss
    results["rss_peak_mb"] = peak
    store.close()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--fts-queries", type=int, default=60, help="queries for plain FTS5 (slow at 1M)"
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--build-only", action="store_true", help="build the stores, measure nothing"
    )
    args = parser.parse_args(argv)
    vocab = vocabulary()
    report: dict[str, object] = {
        "date": date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}",
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
        "queries": args.queries,
        "candidates": CANDIDATES,
        "sizes": {},
    }
    for size in args.sizes:
        path = CACHE / f"scale-{size}.db"
        print(f"{size:,} chunks: {path}", flush=True)
        if path.exists():
            info = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            print(f"  cached store (built in {info['build_s']:.0f}s)", flush=True)
        else:
            CACHE.mkdir(parents=True, exist_ok=True)
            info = build(path, size, vocab)
        info["file_mb"] = path.stat().st_size / 2**20
        if args.build_only:
            continue
        info.update(measure(path, vocab, args.queries, args.fts_queries))
        report["sizes"][str(size)] = info  # type: ignore[index]
    out = args.json or ROOT / "bench" / "results" / f"scale-{date.today().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
