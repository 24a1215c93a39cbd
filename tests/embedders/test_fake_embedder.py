"""HashEmbedder: the fake other layers test with keeps the Embedder contract."""

from __future__ import annotations

import numpy as np
import pytest

from dalin.testing.embedder_contract import EmbedderContract
from dalin.testing.fake_embedder import HashEmbedder


class TestHashEmbedderContract(EmbedderContract):
    distinguishes_kind = False

    @pytest.fixture
    def embedder(self) -> HashEmbedder:
        return HashEmbedder()


def test_name_dim_and_recorded_calls() -> None:
    embedder = HashEmbedder(dim=8)
    vectors = embedder.embed(["가 나", ""], kind="passage")
    assert (embedder.name, embedder.dim, vectors.shape) == ("hash:8", 8, (2, 8))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert embedder.calls == [(["가 나", ""], "passage")]


def test_same_in_every_process() -> None:
    # blake2b, not hash(): PYTHONHASHSEED must not change the vectors a cache stores
    vector = HashEmbedder(dim=4).embed(["서울"], kind="query")[0]
    assert np.count_nonzero(vector) == 1 and abs(float(vector.sum())) == pytest.approx(1.0)


def test_dim_must_be_positive() -> None:
    with pytest.raises(ValueError, match="dim"):
        HashEmbedder(dim=0)
