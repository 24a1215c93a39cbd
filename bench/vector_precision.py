"""Vectors stored as float16 or float32: does exact search find the same neighbours?

    .venv/bin/python bench/vector_precision.py [--n 100000] [--queries 200]

The store keeps vectors as float16 (half the bytes). This compares the top 10 of exact
cosine search over float16 vectors (``VectorIndex``, the store's search) with the top 10
over the same vectors in float32, on

* ``e5-korquad``: multilingual-e5-small passage vectors of KorQuAD 1.0 dev paragraphs
  (from ``bench/.cache/korquad-e5.npz`` when ``bench/retrieval.py`` has filled it) and
  the vectors of KorQuAD questions, embedded here;
* ``e5-like``: ``--n`` synthetic vectors with the mean and spread of those e5 vectors
  (e5 vectors crowd into a narrow cone, cosines 0.7–0.9, so neighbours are close and
  rounding matters most), queries drawn the same way;
* ``isotropic``: ``--n`` random unit vectors, random unit queries.

Writes ``bench/results/vector_precision.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from dalin.stores.vector_index import VectorIndex

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache" / "korquad-e5.npz"
KORQUAD = HERE.parent.parent / "shared" / "data" / "korquad1" / "KorQuAD_v1.0_dev.json"
K = 10


def unit_rows(m: np.ndarray) -> np.ndarray:
    return (m / np.linalg.norm(m, axis=1, keepdims=True)).astype(np.float32)


def compare(name: str, corpus: np.ndarray, queries: np.ndarray) -> dict[str, object]:
    """Recall@10 of float16 search against float32 search, and the largest score change."""
    ids = np.arange(len(corpus), dtype=np.int64)
    exact = VectorIndex(ids, np.zeros_like(ids), corpus.astype(np.float32))
    half = VectorIndex(ids, np.zeros_like(ids), corpus.astype("<f2"))
    overlaps, drift = [], 0.0
    for q in queries:
        want = exact.search(q, K)
        got = half.search(q, K)
        overlaps.append(len({i for i, _ in want} & {i for i, _ in got}) / len(want))
        scores = dict(want)
        drift = max(drift, *(abs(s - scores[i]) for i, s in got if i in scores))
    result = {
        "vectors": len(corpus),
        "dim": int(corpus.shape[1]),
        "queries": len(queries),
        "recall_at_10": round(float(np.mean(overlaps)), 4),
        "queries_with_identical_top10": round(float(np.mean([o == 1.0 for o in overlaps])), 4),
        "max_score_change": float(f"{drift:.2e}"),
        "bytes_per_vector": {"float16": corpus.shape[1] * 2, "float32": corpus.shape[1] * 4},
    }
    print(name, json.dumps(result), flush=True)
    return result


def korquad_questions(n: int) -> list[str]:
    data = json.loads(KORQUAD.read_text(encoding="utf-8"))
    questions = [qa["question"] for a in data["data"] for p in a["paragraphs"] for qa in p["qas"]]
    step = max(1, len(questions) // n)
    return questions[::step][:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic vectors")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    results: dict[str, object] = {}
    if not CACHE.exists() or not KORQUAD.exists():
        sys.exit(f"needs {CACHE} (run bench/retrieval.py once) and {KORQUAD}")
    passages = np.load(CACHE)["vectors"].astype(np.float32)
    from dalin.embedders.local import LocalE5

    queries = LocalE5().embed(korquad_questions(args.queries), kind="query")
    results["e5-korquad"] = compare("e5-korquad", passages, queries)

    mean = passages.mean(axis=0)
    spread = passages - mean
    scale = float(spread.std())

    def e5_like(n: int) -> np.ndarray:
        # mean + a mix of real deviations + isotropic noise of the same size
        mix = rng.standard_normal((n, len(spread)), dtype=np.float32) / np.sqrt(len(spread))
        noise = rng.standard_normal((n, passages.shape[1]), dtype=np.float32) * scale
        return unit_rows(mean + mix @ spread + noise)

    results["e5-like"] = compare("e5-like", e5_like(args.n), e5_like(args.queries))
    iso = unit_rows(rng.standard_normal((args.n, passages.shape[1]), dtype=np.float32))
    iso_q = unit_rows(rng.standard_normal((args.queries, passages.shape[1]), dtype=np.float32))
    results["isotropic"] = compare("isotropic", iso, iso_q)
    out = HERE / "results" / "vector_precision.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
