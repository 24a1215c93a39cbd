"""Korean domain retrieval on the dev set of bench/ko_domain (questions over ../shared/samples).

The corpus is every ordinary sample (not ``ADV_*``, not ``LEFT_OUT``) indexed into one
workspace through ``Workspace.add``; vectors are cached like ``bench/retrieval.py``'s (the
workspace in ``bench/.cache/retrieval/kodomain/``, the vectors in
``bench/.cache/kodomain-e5.npz``). A passage is relevant to a question when it comes from
the question's document and holds one of its evidence spans (whitespace ignored).
Scores count the first relevant passage (one answer per question, however many passages
repeat it): hit@1/3/5/10, MRR@10, nDCG@10, for the ``tune`` and ``heldout`` splits apart.

Each question's 50 keyword and 50 dense candidates are gathered once, the way
``Workspace.search`` gathers them, and every strategy is fused offline from them with
``dalin.retrieval`` (so the rows differ only in how they fuse); the shipped default is
also run through ``Workspace.search`` itself, which must give the same ranking.

    python bench/ko_domain.py [--fresh] [--json bench/results/ko-domain.json]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from dalin import Workspace
from dalin.config import (
    DEFAULT_DENSE_GATE,
    DEFAULT_DENSE_WEIGHT,
    DEFAULT_DENSE_WEIGHT_NON_KOREAN,
    DEFAULT_FUSION,
    Settings,
)
from dalin.eval.metrics import ndcg_at_k, reciprocal_rank
from dalin.ingest.parsers import SUPPORTED_SUFFIXES
from dalin.retrieval import hybrid
from dalin.retrieval.fusion import reciprocal_rank_fusion, weighted_fusion
from dalin.types import Filter, Hit
from retrieval import SHARED, prepared  # bench/ is the script's folder, first on sys.path

SAMPLES = SHARED / "samples"
QUESTIONS = Path(__file__).resolve().parent / "ko_domain" / "questions.jsonl"
SPACE = re.compile(r"\s+")
GOLD = "gold"


@dataclass(frozen=True)
class Question:
    id: str
    split: str
    document: str
    question: str
    evidence: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class Candidates:
    """What one question's search sees before fusion."""

    lexical: list[Hit]
    dense: list[Hit]
    #: share of the question's keyword tokens that the top keyword passage holds
    coverage: float


def load_questions() -> list[Question]:
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines()]
    return [
        Question(r["id"], r["split"], r["document"], r["question"], tuple(r["evidence"]), r["kind"])
        for r in rows
        if r
    ]


#: not in the corpus: the samples' own index, and an English scan (no text layer; left
#: out so that the corpus stays the same whether OCR is on or not)
LEFT_OUT = ("MANIFEST.tsv", "haystack_non_text_searchable.pdf")


def corpus() -> list[Path]:
    """The ordinary samples: every supported file but the hostile ones and ``LEFT_OUT``."""
    return sorted(
        p
        for p in SAMPLES.iterdir()
        if p.suffix.lower() in SUPPORTED_SUFFIXES
        and not p.name.startswith("ADV_")
        and p.name not in LEFT_OUT
    )


def compact(text: str) -> str:
    return SPACE.sub("", text)


def relevant_chunks(ws: Workspace, questions: Sequence[Question]) -> dict[str, set[int]]:
    """Chunk ids holding each question's evidence, in its document; every question must
    have one (else the evidence or the parser is wrong, and the set says so)."""
    db = sqlite3.connect(f"file:{ws.path / 'dalin.db'}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT c.id, d.name, c.text FROM chunks c JOIN documents d ON d.id = c.doc_id"
    ).fetchall()
    db.close()
    by_document: dict[str, list[tuple[int, str]]] = {}
    for chunk_id, name, text in rows:
        by_document.setdefault(name, []).append((int(chunk_id), compact(text)))
    found: dict[str, set[int]] = {}
    for q in questions:
        spans = [compact(e) for e in q.evidence]
        found[q.id] = {
            chunk_id
            for chunk_id, text in by_document.get(q.document, [])
            if any(s in text for s in spans)
        }
        if not found[q.id]:
            raise SystemExit(f"{q.id}: no passage of {q.document} holds its evidence")
    return found


def gather(ws: Workspace, questions: Sequence[Question]) -> tuple[list[Candidates], list[float]]:
    """Each question's keyword and dense candidates, and the query embedding times (ms)."""
    embedder, glossary, pool = ws.embedder, ws.glossary(), hybrid.CANDIDATES
    assert embedder is not None, "the benchmark needs an embedder"
    found, latencies = [], []
    for q in questions:
        expansion = glossary.expand(q.question)
        tokens = hybrid.query_tokens(q.question, expansion)
        lexical = ws.store.keyword_search(tokens, pool, Filter())
        t = time.perf_counter()
        vector = embedder.embed([hybrid.dense_query(q.question, expansion)], kind="query")[0]
        latencies.append((time.perf_counter() - t) * 1000)
        dense = ws.store.vector_search(vector, pool, Filter(), embedder.name)
        found.append(Candidates(lexical, dense, hybrid.keyword_coverage(tokens, lexical)))
    return found, latencies


# --- strategies: how the two candidate lists become one ranking ------------------------------

Strategy = Callable[[Candidates], list[Hit]]


def keyword_only(c: Candidates) -> list[Hit]:
    return hybrid.demote_furniture(c.lexical, 50)


def dense_only(c: Candidates) -> list[Hit]:
    return hybrid.demote_furniture(c.dense, 50)


def weighted(weight: float) -> Strategy:
    def fuse(c: Candidates) -> list[Hit]:
        if weight == 0:
            return keyword_only(c)
        hits = weighted_fusion(
            [c.lexical, c.dense], (1 - weight, weight), 50, scales=("top", "range")
        )
        return hybrid.demote_furniture(hits, 50)

    return fuse


def rrf(weight: float) -> Strategy:
    def fuse(c: Candidates) -> list[Hit]:
        hits = reciprocal_rank_fusion([c.lexical, c.dense], 50, weights=(1 - weight, weight))
        return hybrid.demote_furniture(hits, 50)

    return fuse


def gated(weight: float, below: float) -> Strategy:
    """Dense fused in only when the top keyword passage holds less than ``below`` of the
    question's keyword tokens (keyword evidence is weak)."""
    strong, fused = keyword_only, weighted(weight)

    def fuse(c: Candidates) -> list[Hit]:
        return fused(c) if c.coverage < below else strong(c)

    return fuse


#: the grid the default was chosen from (on the tuning split only)
WEIGHTS = (0.1, 0.2, 0.25, 0.3, 0.35, 0.4)
GATES = (0.5, 0.6, 0.67, 0.75, 0.8, 0.9)


def strategies(grid: bool) -> dict[str, Strategy]:
    rows: dict[str, Strategy] = {"keyword only": keyword_only, "dense only": dense_only}
    for w in (0.1, 0.2, 0.3, 0.4, 0.5):
        rows[f"weighted, dense {w}"] = weighted(w)
    rows["RRF, dense 0.5"] = rrf(0.5)
    for w in WEIGHTS if grid else (0.1, 0.3):
        for below in GATES if grid else (0.8,):
            rows[f"gated {below}, dense {w}"] = gated(w, below)
    return rows


def choose(
    questions: Sequence[Question], candidates: Sequence[Candidates], gold: dict[str, set[int]]
) -> list[tuple[str, float, float, int]]:
    """The grid on the tuning split, best first by the rule the default was chosen with:
    the highest lower bound (2.5th percentile of 2,000 paired bootstrap resamples of the
    questions) of the nDCG@10 gain over keyword search alone. Returns (name, lower bound,
    nDCG@10, questions it answers worse than keyword search)."""
    tune = [i for i, q in enumerate(questions) if q.split == "tune"]

    def per_question(fuse: Strategy) -> np.ndarray:
        marked = [
            list(
                dict.fromkeys(
                    GOLD if h.chunk_id in gold[questions[i].id] else str(h.chunk_id)
                    for h in fuse(candidates[i])
                )
            )
            for i in tune
        ]
        return np.array([ndcg_at_k(m, {GOLD}, 10) for m in marked])

    base = per_question(keyword_only)
    rng = np.random.default_rng(0)
    draws = rng.integers(0, len(tune), (2000, len(tune)))
    ranked = []
    for name, fuse in strategies(grid=True).items():
        gain = per_question(fuse) - base
        lower = float(np.percentile(gain[draws].mean(axis=1), 2.5))
        ranked.append((name, lower, float((base + gain).mean()), int((gain < 0).sum())))
    return sorted(ranked, key=lambda r: (-r[1], -r[2]))


# --- scores ----------------------------------------------------------------------------------


def scores(ranked: Sequence[Sequence[Hit]], gold: Sequence[set[int]]) -> dict[str, float]:
    """hit@k, MRR@10 and nDCG@10 of the first relevant passage."""
    marked = [
        [GOLD if h.chunk_id in g else str(h.chunk_id) for h in hits]
        for hits, g in zip(ranked, gold, strict=True)
    ]
    firsts = [list(dict.fromkeys(m)) for m in marked]  # one gold, at its first rank
    return {
        **{f"hit@{k}": float(np.mean([GOLD in f[:k] for f in firsts])) for k in (1, 3, 5, 10)},
        "MRR@10": float(np.mean([reciprocal_rank(f, {GOLD}, 10) for f in firsts])),
        "nDCG@10": float(np.mean([ndcg_at_k(f, {GOLD}, 10) for f in firsts])),
    }


def by_split(
    questions: Sequence[Question], ranked: Sequence[Sequence[Hit]], gold: dict[str, set[int]]
) -> dict[str, dict[str, float]]:
    """Scores of one ranking per question, for each split apart."""
    result = {}
    for split in ("tune", "heldout"):
        picked = [i for i, q in enumerate(questions) if q.split == split]
        result[split] = scores([ranked[i] for i in picked], [gold[questions[i].id] for i in picked])
    return result


def shipped(settings: Settings) -> Settings:
    """``settings`` with the retrieval defaults as shipped now (a cached workspace keeps
    the ``dalin.toml`` written when it was created)."""
    return dataclasses.replace(
        settings,
        fusion=DEFAULT_FUSION,
        dense_weight=DEFAULT_DENSE_WEIGHT,
        dense_weight_non_korean=DEFAULT_DENSE_WEIGHT_NON_KOREAN,
        dense_gate=DEFAULT_DENSE_GATE,
    )


def shipped_default(ws: Workspace, questions: Sequence[Question]) -> list[list[Hit]]:
    """Rankings from ``Workspace.search`` as configured (the real path, for a check)."""
    return [ws.search(q.question, k=50) for q in questions]


def describe(settings: object) -> str:
    """The dense side of a configuration, as a row name shows it."""
    fields = ("dense_weight", "dense_weight_non_korean", "dense_gate")
    return ", ".join(f"{f} {getattr(settings, f)}" for f in fields if hasattr(settings, f))


def markdown(rows: dict[str, dict[str, dict[str, float]]], split: str) -> str:
    metrics = ["hit@1", "hit@3", "hit@5", "hit@10", "MRR@10", "nDCG@10"]
    lines = ["| strategy | " + " | ".join(metrics) + " |", "|---" * (len(metrics) + 1) + "|"]
    for name, result in rows.items():
        lines.append(f"| {name} | " + " | ".join(f"{result[split][m]:.3f}" for m in metrics) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached workspace")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--grid", action="store_true", help="report every gated row of the grid")
    args = parser.parse_args()
    if not SAMPLES.is_dir():
        print(f"skipped: {SAMPLES} not found (run inside the dalin workplace)")
        return 0
    questions = load_questions()
    files = corpus()
    with prepared("kodomain", lambda _folder: list(files), args.fresh) as ws:
        gold = relevant_chunks(ws, questions)
        candidates, latencies = gather(ws, questions)
        rows = {
            name: by_split(questions, [fuse(c) for c in candidates], gold)
            for name, fuse in strategies(args.grid).items()
        }
        chosen = choose(questions, candidates, gold)
        ws.settings = shipped(ws.settings)
        plan = ws.settings
        rows[f"default through Workspace.search ({plan.fusion}, {describe(plan)})"] = by_split(
            questions, shipped_default(ws, questions), gold
        )
        db = sqlite3.connect(f"file:{ws.path / 'dalin.db'}?mode=ro", uri=True)
        chunks = int(db.execute("SELECT count(*) FROM chunks").fetchone()[0])
        db.close()
    print("\nthe grid on the tuning split, by the lower bound of its gain over keyword only:")
    print("| strategy | lower bound | nDCG@10 | worse than keyword on |\n|---|---|---|---|")
    for name, lower, ndcg, worse in chosen[:10]:
        print(f"| {name} | {lower:+.4f} | {ndcg:.4f} | {worse} |")
    for split in ("tune", "heldout"):
        count = sum(q.split == split for q in questions)
        print(f"\n{split} ({count} questions):")
        print(markdown(rows, split))
    summary = {
        "date": date.today().isoformat(),
        "machine": platform.machine(),
        "documents": len(files),
        "chunks": chunks,
        "questions": {s: sum(q.split == s for q in questions) for s in ("tune", "heldout")},
        "query_embedding_ms_p50": float(np.median(latencies)),
        "coverage": {q.id: c.coverage for q, c in zip(questions, candidates, strict=True)},
        "rows": rows,
        "tuning_grid": [
            {"strategy": n, "lower_bound": lo, "nDCG@10": nd, "worse": w} for n, lo, nd, w in chosen
        ],
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
