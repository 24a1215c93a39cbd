"""VectorIndex: exact cosine top-k, checked against a brute-force reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dalin.stores.vector_index import VectorIndex, top_k


def unit(rng: np.random.Generator, n: int, dim: int = 384) -> np.ndarray:
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def brute_force(
    vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int
) -> list[tuple[int, float]]:
    """The reference: every score in float64, sorted by (-score, id)."""
    scores = vectors.astype(np.float64) @ query.astype(np.float64)
    order = np.lexsort((ids, -scores))[:k]
    return [(int(ids[i]), float(scores[i])) for i in order]


def assert_same(found: list[tuple[int, float]], expected: list[tuple[int, float]]) -> None:
    assert [i for i, _ in found] == [i for i, _ in expected]
    assert np.allclose([s for _, s in found], [s for _, s in expected], atol=1e-5)


@pytest.fixture(scope="module")
def corpus() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(4)
    n = 70_000  # above the size where the top-k samples a threshold
    ids = rng.permutation(np.arange(10, 10 + n)).astype(np.int64)
    doc_ids = rng.integers(1, 400, size=n).astype(np.int64)
    return ids, doc_ids, unit(rng, n)


@pytest.fixture(scope="module")
def index(corpus: tuple[np.ndarray, np.ndarray, np.ndarray]) -> VectorIndex:
    return VectorIndex(*corpus)


@pytest.mark.parametrize("k", [1, 10, 50])
def test_exact_against_brute_force(
    index: VectorIndex, corpus: tuple[np.ndarray, np.ndarray, np.ndarray], k: int
) -> None:
    ids, _, vectors = corpus
    rng = np.random.default_rng(k)
    for query in unit(rng, 5):
        assert_same(index.search(query, k), brute_force(vectors, ids, query, k))


def test_a_stored_vector_finds_itself_first(
    index: VectorIndex, corpus: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> None:
    ids, _, vectors = corpus
    found = index.search(vectors[777], 3)
    assert found[0][0] == ids[777]
    assert found[0][1] == pytest.approx(1.0, abs=1e-5)


def test_doc_filter_keeps_only_those_documents(
    index: VectorIndex, corpus: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> None:
    ids, doc_ids, vectors = corpus
    query = unit(np.random.default_rng(9), 1)[0]
    wanted = [3, 250, 17]
    mask = np.isin(doc_ids, wanted)
    found = index.search(query, 20, wanted)
    assert_same(found, brute_force(vectors[mask], ids[mask], query, 20))
    allowed = set(ids[mask].tolist())
    assert all(i in allowed for i, _ in found)


def test_doc_filter_with_unknown_documents_finds_nothing(index: VectorIndex) -> None:
    query = unit(np.random.default_rng(1), 1)[0]
    assert index.search(query, 10, [999_999]) == []


def test_k_larger_than_the_index_returns_everything_sorted() -> None:
    rng = np.random.default_rng(2)
    vectors = unit(rng, 7, dim=8)
    ids = np.arange(100, 107)
    index = VectorIndex(ids, np.ones(7, dtype=np.int64), vectors)
    query = unit(rng, 1, dim=8)[0]
    found = index.search(query, 50)
    assert len(found) == 7
    assert_same(found, brute_force(vectors, ids, query, 50))


def test_empty_index_and_non_positive_k() -> None:
    empty = VectorIndex(np.empty(0), np.empty(0), np.empty((0, 16), dtype=np.float16))
    assert len(empty) == 0
    assert empty.search(np.ones(16), 10) == []
    index = VectorIndex([1], [1], np.ones((1, 4), dtype=np.float32) / 2)
    assert index.search(np.ones(4) / 2, 0) == []
    assert index.search(np.ones(4) / 2, -3) == []


def test_wrong_dimensions_are_refused() -> None:
    index = VectorIndex([1, 2], [1, 1], np.eye(2, 4, dtype=np.float32))
    with pytest.raises(ValueError, match="dims"):
        index.search(np.ones(3), 1)
    with pytest.raises(ValueError, match="differ in length"):
        VectorIndex([1, 2, 3], [1, 1], np.eye(2, 4, dtype=np.float32))


def test_float16_and_float32_find_the_same_neighbours(
    corpus: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """Stored vectors are float16: the neighbours must be those of the float32 vectors."""
    ids, doc_ids, vectors = corpus
    half = VectorIndex(ids, doc_ids, vectors.astype(np.float16))
    full = VectorIndex(ids, doc_ids, vectors)
    rng = np.random.default_rng(11)
    overlap = []
    for query in unit(rng, 25):
        a, b = half.search(query, 10), full.search(query, 10)
        overlap.append(len({i for i, _ in a} & {i for i, _ in b}) / 10)
        assert np.allclose([s for _, s in a], [s for _, s in b], atol=2e-3)
    # random vectors are the hard case: their neighbours' scores differ by ~1e-3
    assert np.mean(overlap) >= 0.98


def test_ties_are_broken_by_chunk_id() -> None:
    vectors = np.tile(np.array([[0.6, 0.8]], dtype=np.float32), (5, 1))
    index = VectorIndex([50, 10, 40, 20, 30], [1] * 5, vectors)
    assert [i for i, _ in index.search([0.6, 0.8], 3)] == [10, 20, 30]


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.sampled_from([-1.0, -0.5, 0.0, 0.25, 0.5, 1.0]), min_size=1, max_size=200),
    k=st.integers(1, 250),
)
def test_top_k_matches_a_full_sort(scores: list[float], k: int) -> None:
    values = np.asarray(scores, dtype=np.float32)
    ids = np.arange(len(values))[::-1].copy()
    expected = sorted(range(len(values)), key=lambda i: (-values[i], ids[i]))[:k]
    assert top_k(values, k, ids).tolist() == expected


def test_top_k_sampled_threshold_with_many_ties() -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(0, 20, size=300_000).astype(np.float32)
    ids = rng.permutation(300_000)
    expected = np.lexsort((ids, -values))[:100]
    assert top_k(values, 100, ids).tolist() == expected.tolist()
