"""How the fusion's scaling and dense weights were chosen: a sweep over candidate lists.

For every question the keyword and dense candidate lists (50 each) are collected once, the
way ``Workspace.search`` builds them (glossary expansion, Kiwi tokens, the query vector from
the workspace's embedder). Then every scaling × dense weight is fused offline with
``dalin.retrieval.fusion`` and scored like ``bench/retrieval.py``: nDCG@10 on KorQuAD 1.0
dev, document-level hit@1 / hit@3 / MRR@10 on the SEC 10-Q filings.

Scalings (keyword side / dense side): ``top/top`` (each list divided by its top score — the
first default), ``range/range`` (min-max on both), ``top/range``, ``rrf`` (reciprocal rank
fusion, k = 60, with the same weights) and ``gated`` (top/range, but keywords alone when the
best keyword passage holds ``dense_gate`` of the question's keywords: the shipped default
for Korean questions, chosen on bench/ko_domain.py's tuning split).

Reuses ``bench/retrieval.py``'s cached workspaces and vectors.

    python bench/fusion_sweep.py [--only korquad|sec10q] [--limit N] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from dalin import Workspace
from dalin.config import DEFAULT_DENSE_GATE
from dalin.eval.datasets import sec10q_set
from dalin.retrieval import hybrid
from dalin.retrieval.fusion import reciprocal_rank_fusion, weighted_fusion
from dalin.types import Filter, Hit
from korquad import load
from retrieval import (
    KORQUAD,
    SEC10Q,
    SHARED,
    korquad_scores,
    korquad_sources,
    prepared,
    sec10q_scores,
)

WEIGHTS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
SCALINGS = ("top/top", "range/range", "top/range", "rrf", "gated")
Lists = list[tuple[list[Hit], list[Hit], float]]


def candidates(ws: Workspace, queries: Sequence[str]) -> Lists:
    """(keyword hits, dense hits) per question, as ``hybrid.search`` gathers them."""
    embedder, glossary, pool = ws.embedder, ws.glossary(), hybrid.CANDIDATES
    assert embedder is not None, "the sweep needs an embedder"
    lists = []
    for query in queries:
        expansion = glossary.expand(query)
        tokens = hybrid.query_tokens(query, expansion)
        lexical = ws.store.keyword_search(tokens, pool, Filter())
        vector = embedder.embed([hybrid.dense_query(query, expansion)], kind="query")[0]
        dense = ws.store.vector_search(vector, pool, Filter(), embedder.name)
        lists.append((lexical, dense, hybrid.keyword_coverage(tokens, lexical)))
    return lists


def fuse(
    lexical: list[Hit], dense: list[Hit], scaling: str, weight: float, coverage: float
) -> list[str]:
    """Documents in fused order, each once. ``gated`` is top/range fusion for questions
    whose best keyword passage holds less than ``DEFAULT_DENSE_GATE`` of their keywords,
    keywords alone for the others (the shipped default for Korean questions)."""
    pair, weights = [lexical, dense], (1.0 - weight, weight)
    if scaling == "gated" and coverage >= DEFAULT_DENSE_GATE:
        hits = lexical
    elif scaling == "rrf":
        hits = reciprocal_rank_fusion(pair, 50, weights=weights)
    else:
        scales = ("top", "range") if scaling == "gated" else scaling.split("/")
        hits = weighted_fusion(pair, weights, 50, scales=scales)
    return list(dict.fromkeys(h.document for h in hybrid.demote_furniture(hits, 50)))


def sweep(lists: Lists, score: Callable[[list[list[str]]], dict[str, float]]) -> dict[str, object]:
    def alone(hits: list[Hit]) -> list[str]:
        return list(dict.fromkeys(h.document for h in hybrid.demote_furniture(hits, 50)))

    rows: dict[str, object] = {
        "keyword only": score([alone(lx) for lx, _, _ in lists]),
        "dense only": score([alone(dn) for _, dn, _ in lists]),
    }
    for scaling in SCALINGS:
        for weight in WEIGHTS:
            ranked = [fuse(lx, dn, scaling, weight, cov) for lx, dn, cov in lists]
            rows[f"{scaling} {weight}"] = score(ranked)
    return rows


def korquad(limit: int | None) -> dict[str, object]:
    corpus, questions = load(limit)
    gold = [str(g) for _, g in questions]
    with prepared("korquad", korquad_sources(corpus), False) as ws:
        lists = candidates(ws, [q for q, _ in questions])
    rows = sweep(lists, lambda ranked: korquad_scores(ranked, gold))
    return {"benchmark": "KorQuAD 1.0 dev", "questions": len(gold), "rows": rows}


def sec10q(limit: int | None) -> dict[str, object]:
    docs, items = sec10q_set(SEC10Q, limit=limit)
    with prepared("sec10q", lambda _folder: [docs], False) as ws:
        lists = candidates(ws, [item.question for item in items])
    rows = sweep(lists, lambda ranked: sec10q_scores(ranked, items))
    return {"benchmark": "SEC 10-Q", "questions": len(items), "rows": rows}


def table(summary: dict[str, object], metric: str) -> str:
    rows = summary["rows"]
    assert isinstance(rows, dict)
    lines = [
        f"{summary['benchmark']}, {metric} by dense weight:",
        "| scaling | " + " | ".join(map(str, WEIGHTS)) + " |",
        "|---" * (len(WEIGHTS) + 1) + "|",
    ]
    for scaling in SCALINGS:
        cells = " | ".join(f"{rows[f'{scaling} {w}'][metric]:.4f}" for w in WEIGHTS)
        lines.append(f"| {scaling} | {cells} |")
    for name in ("keyword only", "dense only"):
        lines.append(f"{name}: {rows[name][metric]:.4f}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("korquad", "sec10q"), default=None)
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    results = []
    for name, present, run, metrics in (
        ("korquad", (KORQUAD / "KorQuAD_v1.0_dev.json").exists(), korquad, ("nDCG@10",)),
        ("sec10q", (SEC10Q / "qna_data.csv").exists(), sec10q, ("hit@1", "hit@3")),
    ):
        if args.only not in (None, name):
            continue
        if not present:
            print(f"skipped {name}: its data is not in {SHARED / 'data'}")
            continue
        summary = run(args.limit)
        results.append(summary)
        for metric in metrics:
            print(table(summary, metric) + "\n")
    if args.json and results:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"date": date.today().isoformat(), "benchmarks": results}
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
