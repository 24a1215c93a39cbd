"""What tighter bounds would buy PostgreSQL's keyword search in a 100,000-chunk workspace,
simulated in Python before any schema change (issue #14).

``dalin.stores.postgres_lexical.search`` runs MaxScore in two rounds; at 1M rows its p95 in
the 10 % workspace is over target because round 2 reads every posting of its essential terms.
This replays the same rounds over the same data — the 100,000 synthetic chunks of workspace
``big`` in ``bench/postgres_scale.py`` (``scale.synthetic_documents``, seed 1), their terms
and weighted counts from ``postgres_lexical.chunk_terms`` — and counts what the SQL would
read and score, for KorQuAD 1.0 dev questions 200–299 (the tuning range, as in
docs/benchmarks.md), against exact BM25 over every posting:

- ``as shipped``: term bounds ``idf · (k1 + 1)``;
- ``impact bounds``: each term's bound from its highest weighted count and its shortest
  chunk (what ``term_stats`` could keep, valid for any average length);
- ``term at a time``: round 2 adds one term, scores the 250 best-bounded new chunks and
  raises the threshold before deciding whether the next term is needed.

    PYTHONPATH=src python bench/keyword_bounds.py
"""

from __future__ import annotations

import math
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable, Collection

from dalin.stores import postgres_lexical as lexical
from dalin.stores.sparse_index import K1, B
from dalin.text.korean import tokenize
from korquad import load as load_korquad  # bench/, the script's folder
from scale import synthetic_documents, vocabulary

K = 50  # hybrid.CANDIDATES: what keyword_search is asked for
BUDGET = 500  # postgres_lexical._FIRST_BUDGET
CAP = lexical.ROUND_2_CAP
STEP = 250


class Corpus:
    def __init__(self, size: int) -> None:
        self.chunks: list[tuple[dict[str, float], int]] = []
        for _, items in synthetic_documents(size, vocabulary(), 1, prefix="/big"):
            for item in items:
                terms, freqs, length = lexical.chunk_terms(item)
                self.chunks.append((dict(zip(terms, freqs, strict=True)), length))
        self.avgdl = sum(n for _, n in self.chunks) / len(self.chunks)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for cid, (tf, _) in enumerate(self.chunks):
            for term in tf:
                self.postings[term].append(cid)
        self.max_f = {t: max(self.chunks[c][0][t] for c in p) for t, p in self.postings.items()}
        self.min_len = {t: min(self.chunks[c][1] for c in p) for t, p in self.postings.items()}

    def part(self, f: float, length: int) -> float:
        return f * (K1 + 1) / (f + K1 * (1 - B + B * length / self.avgdl))

    def score(self, cid: int, weights: dict[str, float]) -> float:
        tf, n = self.chunks[cid]
        return sum(w * self.part(tf[t], n) for t, w in weights.items() if t in tf)

    def ranked(self, scores: dict[int, float]) -> list[int]:
        return [c for c, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:K]]


class Query:
    def __init__(self, corpus: Corpus, question: str, impact: bool) -> None:
        keys = lexical.query_keys(tokenize(question))
        order = {key: i for i, key in enumerate(keys)}
        n = len(corpus.chunks)
        found = [(t, lexical.idf(len(corpus.postings[t]), n) * m) for t, m in keys.items()
                 if corpus.postings.get(t)]  # fmt: skip
        found.sort(key=lambda x: (-x[1], order[x[0]]))
        self.terms = [t for t, _ in found]
        self.weights = dict(found)
        self.bounds = [
            w * (corpus.part(corpus.max_f[t], corpus.min_len[t]) if impact else K1 + 1)
            for t, w in found
        ]
        first, spent = 0, 0
        while first < len(found) and (
            first == 0 or spent + len(corpus.postings[found[first][0]]) <= BUDGET
        ):
            spent += len(corpus.postings[found[first][0]])
            first += 1
        self.first = first


Outcome = tuple[list[int], int, int]  # top K, postings read in round 2, chunks scored


def kth_best(scores: dict[int, float]) -> float:
    """The K-th best score so far: what a chunk must reach to enter the top K."""
    best = sorted(scores.values(), reverse=True)
    return best[K - 1] if len(best) >= K else -math.inf


def best_bounded(
    corpus: Corpus, q: Query, last: int, floor: float, skip: Collection[int]
) -> list[int]:
    """The chunks holding one of the first ``last`` terms (none in ``skip``) whose bound —
    those terms' bounds they hold plus every later term's — reaches ``floor``, highest
    bound first (the SQL's round 2)."""
    rest, bound = sum(q.bounds[last:]), defaultdict(float)
    for term, b in zip(q.terms[:last], q.bounds, strict=False):
        for c in corpus.postings[term]:
            bound[c] += b
    passing = [(b, c) for c, b in bound.items() if c not in skip and b + rest >= floor]
    return [c for _, c in sorted(passing, key=lambda x: (-x[0], x[1]))]


def two_rounds(corpus: Corpus, q: Query) -> Outcome:
    """postgres_lexical.search as shipped (the bounds as the query was made)."""
    seen = set().union(*(corpus.postings[t] for t in q.terms[: q.first]))
    scores = {c: corpus.score(c, q.weights) for c in seen}
    threshold = kth_best(scores)
    last = q.first
    while last < len(q.terms) and sum(q.bounds[last:]) > threshold:
        last += 1
    read = sum(len(corpus.postings[t]) for t in q.terms[:last]) if last > q.first else 0
    if last > q.first:
        for c in best_bounded(corpus, q, last, threshold, seen)[:CAP]:
            scores[c] = corpus.score(c, q.weights)
    return corpus.ranked(scores), read, len(scores)


def term_at_a_time(corpus: Corpus, q: Query) -> Outcome:
    seen = set().union(*(corpus.postings[t] for t in q.terms[: q.first]))
    scores = {c: corpus.score(c, q.weights) for c in seen}
    last, read = q.first, 0
    while last < len(q.terms) and sum(q.bounds[last:]) > kth_best(scores) and len(scores) < 4 * CAP:
        last += 1
        read += len(corpus.postings[q.terms[last - 1]])
        for c in best_bounded(corpus, q, last, kth_best(scores), scores)[:STEP]:
            scores[c] = corpus.score(c, q.weights)
    return corpus.ranked(scores), read, len(scores)


def exact(corpus: Corpus, q: Query) -> list[int]:
    every = set().union(*(corpus.postings[t] for t in q.terms))
    return corpus.ranked({c: corpus.score(c, q.weights) for c in every})


def p95(values: list[int]) -> int:
    return sorted(values)[round(0.95 * (len(values) - 1))]


def main() -> int:
    corpus = Corpus(100_000)
    _, pairs = load_korquad(None)
    questions = list(dict.fromkeys(q for q, _ in pairs))[200:300]
    variants: list[tuple[str, bool, Callable[[Corpus, Query], Outcome]]] = [
        ("as shipped", False, two_rounds),
        ("impact bounds", True, two_rounds),
        ("term at a time", False, term_at_a_time),
    ]
    print("| variant | top 10 identical | top-10 chunks | top-50 chunks | round-2 postings"
          " p50 / p95 | chunks scored p50 / p95 |\n|---|--:|--:|--:|--:|--:|")  # fmt: skip
    truth = {q: exact(corpus, Query(corpus, q, False)) for q in questions}
    for name, impact, run in variants:
        same = top10 = top50 = 0
        reads, scored = [], []
        for question in questions:
            query = Query(corpus, question, impact)
            if not query.terms:
                continue
            top, read, n = run(corpus, query)
            ex = truth[question]
            same += top[:10] == ex[:10]
            top10 += len(set(top[:10]) & set(ex[:10]))
            top50 += len(set(top) & set(ex))
            reads.append(read)
            scored.append(n)
        n = len(reads)
        print(f"| {name} | {same} / {n} | {top10 / (10 * n):.3f} | {top50 / (K * n):.3f} |"
              f" {statistics.median(reads):,.0f} / {p95(reads):,} |"
              f" {statistics.median(scored):,.0f} / {p95(scored):,} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
