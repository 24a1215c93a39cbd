import math

import pytest

from dalin.eval.metrics import ndcg_at_k, percentile, recall_at_k, reciprocal_rank


def test_recall_hand_computed() -> None:
    assert recall_at_k(["a", "b", "c"], {"c", "z"}, 3) == 0.5
    assert recall_at_k(["a", "b", "c"], {"c"}, 2) == 0.0
    assert recall_at_k([], set(), 3) == 0.0


def test_reciprocal_rank_hand_computed() -> None:
    assert reciprocal_rank(["a", "b", "c"], {"b"}, 10) == 0.5
    assert reciprocal_rank(["a", "b", "c"], {"c"}, 2) == 0.0


def test_ndcg_hand_computed() -> None:
    # one relevant at rank 3: 1/log2(4) = 0.5
    assert ndcg_at_k(["a", "b", "c"], {"c"}, 10) == pytest.approx(0.5)
    # two relevant at ranks 1 and 3, ideal ranks 1 and 2
    expected = (1 + 0.5) / (1 + 1 / math.log2(3))
    assert ndcg_at_k(["x", "b", "y"], {"x", "y"}, 10) == pytest.approx(expected)
    assert ndcg_at_k(["a"], {"a"}, 10) == 1.0


def test_percentile_interpolates() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([5], 95) == 5
    assert math.isnan(percentile([], 50))
