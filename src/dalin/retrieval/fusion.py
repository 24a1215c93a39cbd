"""Fusing ranked lists: score-normalised weighted fusion and reciprocal rank fusion (RRF).

Lexical and dense scores live on different scales, so the weighted fusion first maps each
list onto [0, 1], in one of two ways chosen per list:

* ``"top"`` — ``score / top score``, for scores with a natural zero: a BM25 score of 0 means
  no query word, so a passage at half the top score really is half as good.
* ``"range"`` — ``(score − min) / (max − min)`` over the list, for scores without one: e5's
  cosines sit in a narrow band near 0.8 even for unrelated text, so dividing by the top
  leaves every candidate between 0.9 and 1 and the dense side cannot reorder anything.
  Over a pool of candidates (dalin takes 50) the weakest one is a fair floor.

A passage missing from a list scores 0 there. RRF (Cormack et al. 2009) ignores scores and
adds ``1 / (rrf_k + rank)``.

Which method and weight dalin uses is decided by measurement (docs/benchmarks.md);
these functions only combine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from dalin.types import Hit

DEFAULT_RRF_K = 60
SCALES = ("top", "range")


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


def _scaled(hits: Sequence[Hit], scale: str) -> list[float]:
    """Each hit's score mapped onto [0, 1] (see the module docstring)."""
    values = [max(h.score, 0.0) if scale == "top" else h.score for h in hits]
    if not values:
        return []
    top = max(values)
    floor = 0.0 if scale == "top" else min(values)
    if top <= floor:  # a list of equal scores: "top" has nothing, "range" all alike
        return [0.0 if scale == "top" else 1.0] * len(values)
    return [(v - floor) / (top - floor) for v in values]


def weighted_fusion(
    lists: Sequence[Sequence[Hit]],
    weights: Sequence[float],
    k: int,
    *,
    scales: Sequence[str] | None = None,
) -> list[Hit]:
    """Sum of each list's scaled score times its weight; best ``k`` first.

    ``scales`` names, per list, how its scores reach [0, 1]: ``"top"`` (the default) or
    ``"range"``.
    """
    scales = scales if scales is not None else ["top"] * len(lists)
    if len(lists) != len(weights) or len(lists) != len(scales):
        raise ValueError("one weight and one scale per list")
    if unknown := set(scales) - set(SCALES):
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {sorted(unknown)}")
    scores: dict[int, float] = {}
    for hits, weight, scale in zip(lists, weights, scales, strict=True):
        if weight == 0:
            continue
        for hit, share in zip(hits, _scaled(hits, scale), strict=True):
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
