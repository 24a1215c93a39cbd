"""Fusing ranked lists: score-normalised weighted fusion and reciprocal rank fusion (RRF).

Lexical and dense scores live on different scales (BM25 is unbounded, cosine sits in a
narrow band near 0.8 for e5), so the weighted fusion first maps each list onto [0, 1] by
its own top score (``score / max``) — min-max would give the list's weakest hit 0 however
good it is, and a one-hit list nothing to compare. A passage missing from a list scores 0
there. RRF (Cormack et al. 2009) ignores scores and adds ``1 / (rrf_k + rank)``.

Which method and weight dalin uses is decided by measurement (docs/benchmarks.md);
these functions only combine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from dalin.types import Hit

DEFAULT_RRF_K = 60


def _by_chunk(lists: Sequence[Sequence[Hit]]) -> dict[int, Hit]:
    first: dict[int, Hit] = {}
    for hits in lists:
        for hit in hits:
            first.setdefault(hit.chunk_id, hit)
    return first


def _ranked(scores: dict[int, float], hits: dict[int, Hit], k: int) -> list[Hit]:
    # Ties go to the smaller chunk id so that results are deterministic.
    order = sorted(scores, key=lambda c: (-scores[c], c))[:k]
    return [replace(hits[c], score=scores[c]) for c in order]


def weighted_fusion(lists: Sequence[Sequence[Hit]], weights: Sequence[float], k: int) -> list[Hit]:
    """Sum of each list's ``score / top score`` times its weight; best ``k`` first."""
    if len(lists) != len(weights):
        raise ValueError("one weight per list")
    scores: dict[int, float] = {}
    for hits, weight in zip(lists, weights, strict=True):
        top = max((h.score for h in hits), default=0.0)
        if top <= 0 or weight == 0:
            continue
        for hit in hits:
            share = max(hit.score, 0.0) / top
            scores[hit.chunk_id] = scores.get(hit.chunk_id, 0.0) + weight * share
    for hits in lists:  # a hit only in zero-weight lists still ranks, last
        for hit in hits:
            scores.setdefault(hit.chunk_id, 0.0)
    return _ranked(scores, _by_chunk(lists), k)


def reciprocal_rank_fusion(
    lists: Sequence[Sequence[Hit]],
    k: int,
    *,
    rrf_k: int = DEFAULT_RRF_K,
    weights: Sequence[float] | None = None,
) -> list[Hit]:
    """Sum of ``weight / (rrf_k + rank)`` over the lists (ranks from 1); best ``k`` first."""
    weights = weights if weights is not None else [1.0] * len(lists)
    if len(lists) != len(weights):
        raise ValueError("one weight per list")
    scores: dict[int, float] = {}
    for hits, weight in zip(lists, weights, strict=True):
        for rank, hit in enumerate(hits, start=1):
            scores[hit.chunk_id] = scores.get(hit.chunk_id, 0.0) + weight / (rrf_k + rank)
    return _ranked(scores, _by_chunk(lists), k)
