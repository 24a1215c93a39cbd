"""Weighted fusion and reciprocal rank fusion over hit lists."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dalin.retrieval.fusion import reciprocal_rank_fusion, weighted_fusion
from dalin.types import Hit


def hit(chunk_id: int, score: float) -> Hit:
    return Hit(chunk_id, 1, "/d.md", "d.md", f"d.md · {chunk_id}", score, "text", 0, 4)


def ids(hits: list[Hit]) -> list[int]:
    return [h.chunk_id for h in hits]


def test_weighted_fusion_normalises_each_list_by_its_top_score() -> None:
    lexical = [hit(1, 20.0), hit(2, 10.0)]  # BM25 scale
    dense = [hit(2, 0.9), hit(3, 0.45)]  # cosine scale
    fused = weighted_fusion([lexical, dense], (0.5, 0.5), k=3)
    # 1: 0.5*1.0 = 0.5; 2: 0.5*0.5 + 0.5*1.0 = 0.75; 3: 0.5*0.5 = 0.25
    assert ids(fused) == [2, 1, 3]
    assert [round(h.score, 3) for h in fused] == [0.75, 0.5, 0.25]


def test_weight_zero_keeps_the_first_lists_order_and_appends_the_rest() -> None:
    lexical = [hit(1, 3.0), hit(2, 2.0)]
    dense = [hit(3, 0.9), hit(2, 0.8)]
    assert ids(weighted_fusion([lexical, dense], (1.0, 0.0), k=3)) == [1, 2, 3]


def test_rrf_uses_ranks_not_scores() -> None:
    a = [hit(1, 1000.0), hit(2, 1.0)]
    b = [hit(2, 0.1), hit(1, 0.0001)]
    fused = reciprocal_rank_fusion([a, b], k=2, rrf_k=60)
    assert sorted(ids(fused)) == [1, 2]
    assert fused[0].score == pytest.approx(1 / 61 + 1 / 62)


def test_rrf_weights_favour_a_list() -> None:
    a = [hit(1, 1.0), hit(2, 0.5)]
    b = [hit(2, 1.0), hit(1, 0.5)]
    assert ids(reciprocal_rank_fusion([a, b], k=2, weights=(0.7, 0.3))) == [1, 2]
    assert ids(reciprocal_rank_fusion([a, b], k=2, weights=(0.3, 0.7))) == [2, 1]


def test_range_scaling_lets_narrow_cosines_reorder_the_keyword_list() -> None:
    lexical = [hit(1, 10.0), hit(2, 9.0), hit(3, 2.0)]
    dense = [hit(2, 0.84), hit(3, 0.82), hit(1, 0.80)]  # e5: even a poor match is near 0.8
    # divided by the top, every cosine is ≥ 0.95 and the keyword order survives
    assert ids(weighted_fusion([lexical, dense], (0.6, 0.4), k=3)) == [1, 2, 3]
    # over its range the dense list spans 1 .. 0: 2 = 0.6*0.9 + 0.4 = 0.94 beats 1 = 0.6
    fused = weighted_fusion([lexical, dense], (0.6, 0.4), k=3, scales=("top", "range"))
    assert ids(fused) == [2, 1, 3]
    assert [round(h.score, 3) for h in fused] == [0.94, 0.6, 0.32]


def test_range_scaling_of_equal_scores_gives_them_all_the_full_share() -> None:
    fused = weighted_fusion([[hit(1, 0.8), hit(2, 0.8)]], (1.0,), k=2, scales=("range",))
    assert [h.score for h in fused] == [1.0, 1.0]


def test_an_unknown_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="scale must be one of top, range"):
        weighted_fusion([[hit(1, 1.0)]], (1.0,), k=1, scales=("zscore",))


def test_a_mismatched_weight_count_is_refused() -> None:
    with pytest.raises(ValueError, match="one weight and one scale per list"):
        weighted_fusion([[hit(1, 1.0)]], (0.5, 0.5), k=1)
    with pytest.raises(ValueError, match="one weight and one scale per list"):
        weighted_fusion([[hit(1, 1.0)]], (1.0,), k=1, scales=("top", "range"))
    with pytest.raises(ValueError, match="one weight per list"):
        reciprocal_rank_fusion([[hit(1, 1.0)]], k=1, weights=(1.0, 1.0))


def test_empty_lists_fuse_to_nothing() -> None:
    assert weighted_fusion([[], []], (0.7, 0.3), k=5) == []
    assert reciprocal_rank_fusion([[], []], k=5) == []


scores = st.lists(st.floats(min_value=0.0, max_value=100.0), min_size=0, max_size=12)


@given(scores, scores, st.floats(min_value=0.0, max_value=1.0), st.integers(1, 20))
def test_fusion_returns_each_chunk_once_best_first(
    a: list[float], b: list[float], w: float, k: int
) -> None:
    first = [hit(i, s) for i, s in enumerate(sorted(a, reverse=True))]
    second = [hit(i + 5, s) for i, s in enumerate(sorted(b, reverse=True))]
    for fused in (
        weighted_fusion([first, second], (1 - w, w), k),
        weighted_fusion([first, second], (1 - w, w), k, scales=("top", "range")),
        reciprocal_rank_fusion([first, second], k),
    ):
        assert len(ids(fused)) == len(set(ids(fused))) <= k
        assert [h.score for h in fused] == sorted((h.score for h in fused), reverse=True)
        assert set(ids(fused)) <= {h.chunk_id for h in first + second}
