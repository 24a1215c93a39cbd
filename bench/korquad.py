"""KorQuAD 1.0 dev as passage retrieval: dalin's Workspace.search against BM25 baselines.

Corpus: the 961 unique paragraphs, each written as a Markdown file ``# title`` + text and
indexed with ``Workspace.add``; one gold paragraph per question. Baselines run in the same
process on the same corpus with an independent BM25 (rank_bm25 Okapi, k1=1.5, b=0.75):
plain ``\\w+`` word tokens (what most RAG stacks do with Korean) and dalin's own Kiwi
tokens (to show the FTS5 index ranks as well as a reference implementation).

    python bench/korquad.py [--limit N] [--json bench/results/korquad.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

from dalin import Workspace
from dalin.eval.metrics import ndcg_at_k, percentile, recall_at_k, reciprocal_rank
from dalin.text.korean import tokenize_many

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "korquad1"
WORD = re.compile(r"\w+")


def load(limit: int | None) -> tuple[list[tuple[str, str]], list[tuple[str, int]]]:
    """(title, context) per unique paragraph, and (question, gold paragraph index)."""
    raw = json.loads((DATA / "KorQuAD_v1.0_dev.json").read_text(encoding="utf-8"))
    index: dict[str, int] = {}
    corpus: list[tuple[str, str]] = []
    questions: list[tuple[str, int]] = []
    for article in raw["data"]:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            if context not in index:
                index[context] = len(corpus)
                corpus.append((article["title"], context))
            questions.extend((qa["question"], index[context]) for qa in paragraph["qas"])
    return corpus, questions[:limit] if limit else questions


def score(rankings: Sequence[Sequence[str]], gold: Sequence[str]) -> dict[str, float]:
    rows = [(r, {g}) for r, g in zip(rankings, gold, strict=True)]
    return {
        "R@1": float(np.mean([recall_at_k(r, g, 1) for r, g in rows])),
        "R@5": float(np.mean([recall_at_k(r, g, 5) for r, g in rows])),
        "R@10": float(np.mean([recall_at_k(r, g, 10) for r, g in rows])),
        "MRR@10": float(np.mean([reciprocal_rank(r, g, 10) for r, g in rows])),
        "nDCG@10": float(np.mean([ndcg_at_k(r, g, 10) for r, g in rows])),
    }


def timed(
    fn: Callable[[str], list[str]], queries: Sequence[str]
) -> tuple[list[list[str]], list[float]]:
    rankings, latencies = [], []
    for q in queries:
        t = time.perf_counter()
        rankings.append(fn(q))
        latencies.append((time.perf_counter() - t) * 1000)
    return rankings, latencies


def reference_bm25(
    docs_tokens: list[list[str]], tokenizer: Callable[[Sequence[str]], list[list[str]]]
) -> Callable[[str], list[str]]:
    bm25 = BM25Okapi(docs_tokens)

    def search(query: str) -> list[str]:
        scores = bm25.get_scores(tokenizer([query])[0])
        return [str(i) for i in np.argsort(-scores, kind="stable")[:10]]

    return search


def words(texts: Sequence[str]) -> list[list[str]]:
    return [WORD.findall(t.lower()) for t in texts]


def run(limit: int | None) -> dict[str, object]:
    corpus, questions = load(limit)
    queries = [q for q, _ in questions]
    gold = [str(g) for _, g in questions]
    texts = [f"{title}\n{context}" for title, context in corpus]
    results: dict[str, dict[str, float]] = {}

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        for i, (title, context) in enumerate(corpus):
            (folder / f"{i}.md").write_text(f"# {title}\n\n{context}\n", encoding="utf-8")
        t = time.perf_counter()
        ws = Workspace.create(Path(tmp) / "ws")
        report = ws.add([folder])
        build_s = time.perf_counter() - t
        assert not report.failed, report.failed

        def dalin_search(q: str) -> list[str]:
            ranked = dict.fromkeys(Path(h.document).stem for h in ws.search(q, k=30))
            return list(ranked)[:10]

        rankings, lat = timed(dalin_search, queries)
        results["dalin Workspace.search (Kiwi, FTS5)"] = {
            **score(rankings, gold),
            "build_s": build_s,
            "p50_ms": percentile(lat, 50),
            "p95_ms": percentile(lat, 95),
        }
        ws.close()

    for name, tokenizer in (
        ("BM25 \\w+ words (rank_bm25)", words),
        ("BM25 Kiwi tokens (rank_bm25)", tokenize_many),
    ):
        t = time.perf_counter()
        search = reference_bm25(tokenizer(texts), tokenizer)
        build_s = time.perf_counter() - t
        rankings, lat = timed(search, queries)
        results[name] = {
            **score(rankings, gold),
            "build_s": build_s,
            "p50_ms": percentile(lat, 50),
            "p95_ms": percentile(lat, 95),
        }
    return {
        "benchmark": "KorQuAD 1.0 dev passage retrieval",
        "paragraphs": len(corpus),
        "questions": len(questions),
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {_cores()} cores",
        "python": platform.python_version(),
        "results": results,
    }


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


def markdown(summary: dict[str, object]) -> str:
    head = "| retriever | R@1 | R@5 | R@10 | MRR@10 | nDCG@10 | build s | p50 ms | p95 ms |"
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    results = summary["results"]
    assert isinstance(results, dict)
    for name, m in results.items():
        lines.append(
            f"| {name} | {m['R@1']:.3f} | {m['R@5']:.3f} | {m['R@10']:.3f} | {m['MRR@10']:.3f}"
            f" | {m['nDCG@10']:.3f} | {m['build_s']:.1f} | {m['p50_ms']:.1f} | {m['p95_ms']:.1f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    if not (DATA / "KorQuAD_v1.0_dev.json").exists():
        print(f"skipped: {DATA} not found (KorQuAD 1.0 dev lives in ../shared/data)")
        return 0
    summary = run(args.limit)
    print(
        f"{summary['benchmark']}: {summary['paragraphs']} paragraphs, "
        f"{summary['questions']} questions; {summary['machine']}; {summary['date']}"
    )
    print(markdown(summary))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
