"""Contract tests every Embedder runs: subclass and provide an ``embedder`` fixture.

class TestMyEmbedder(EmbedderContract):
    distinguishes_kind = True   # query and passage vectors differ (E5's prefixes)

    @pytest.fixture
    def embedder(self): ...

The texts are short on purpose: a real model embeds a long Korean passage in about a second
on a small machine, and the contract is about shapes and invariants, not quality.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest

from dalin.embedders.base import Embedder

TEXTS = ("서울 날씨 오늘 맑음", "The cat eats fish.", "연차휴가는 15일이다")
# the query shares words with its passage, so that even a bag-of-words fake must rank it first
QUERY = "서울 날씨"
PASSAGES = ("서울 날씨 오늘 맑음", "고양이가 소파에서 잔다", "stock market news today")
ENGLISH_QUERY = "cat food"
ENGLISH_PASSAGES = ("cat food for sale", "서울 날씨 오늘 맑음", "stock market news today")
TOLERANCE = 1e-4


class EmbedderContract:
    """Behaviour every Embedder must show; the subclass supplies the ``embedder`` fixture."""

    #: whether the same text gets a different vector as a query than as a passage
    distinguishes_kind: ClassVar[bool] = True

    def test_is_an_embedder_with_a_name(self, embedder: Embedder) -> None:
        assert isinstance(embedder, Embedder)
        assert isinstance(embedder.name, str) and embedder.name.strip()
        assert isinstance(embedder.dim, int) and embedder.dim >= 0

    def test_shape_dtype_and_unit_rows(self, embedder: Embedder) -> None:
        name = embedder.name
        vectors = embedder.embed(list(TEXTS), kind="passage")
        assert vectors.dtype == np.float32
        assert vectors.shape == (len(TEXTS), embedder.dim) and embedder.dim > 0
        assert np.isfinite(vectors).all()
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=TOLERANCE)
        assert embedder.name == name  # the cache key never changes under use

    def test_empty_input_gives_no_rows_of_the_right_width(self, embedder: Embedder) -> None:
        empty = embedder.embed([], kind="query")
        assert empty.shape == (0, embedder.dim) and empty.dtype == np.float32
        embedder.embed(TEXTS[:1], kind="query")  # a remote model knows its dim from here on
        empty = embedder.embed((), kind="passage")
        assert empty.shape == (0, embedder.dim) and embedder.dim > 0

    def test_deterministic(self, embedder: Embedder) -> None:
        first = embedder.embed([*TEXTS, TEXTS[0]], kind="passage")
        again = embedder.embed(list(TEXTS), kind="passage")
        np.testing.assert_allclose(first[: len(TEXTS)], again, atol=TOLERANCE)
        np.testing.assert_allclose(first[-1], first[0], atol=TOLERANCE)

    def test_batch_equals_one_by_one(self, embedder: Embedder) -> None:
        for kind in ("query", "passage"):
            batch = embedder.embed(list(TEXTS), kind=kind)
            single = np.vstack([embedder.embed([text], kind=kind) for text in TEXTS])
            np.testing.assert_allclose(batch, single, atol=TOLERANCE)

    def test_query_and_passage(self, embedder: Embedder) -> None:
        as_query = embedder.embed(TEXTS[:1], kind="query")[0]
        as_passage = embedder.embed(TEXTS[:1], kind="passage")[0]
        similar = float(as_query @ as_passage)
        if self.distinguishes_kind:
            assert similar < 1 - TOLERANCE  # the prefix reached the model
            assert similar > 0.5  # and it is still the same text
        else:
            assert similar == pytest.approx(1.0, abs=TOLERANCE)

    @pytest.mark.parametrize(
        ("query", "passages"), [(QUERY, PASSAGES), (ENGLISH_QUERY, ENGLISH_PASSAGES)]
    )
    def test_korean_and_english_query_finds_its_passage(
        self, embedder: Embedder, query: str, passages: tuple[str, ...]
    ) -> None:
        vectors = embedder.embed(list(passages), kind="passage")
        scores = vectors @ embedder.embed([query], kind="query")[0]
        assert int(np.argmax(scores)) == 0, scores

    def test_refuses_a_bare_string_and_an_unknown_kind(self, embedder: Embedder) -> None:
        with pytest.raises(TypeError):
            embedder.embed("서울", kind="query")
        with pytest.raises(ValueError, match="kind"):
            embedder.embed(["서울"], kind="document")  # type: ignore[arg-type]
