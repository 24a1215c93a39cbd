"""Command-line tests embed with HashEmbedder: instant and deterministic. The real models
have their own tests (tests/embedders); here only the plumbing around them is under test."""

from __future__ import annotations

import pytest

from dalin.embedders.base import Embedder
from dalin.testing.fake_embedder import HashEmbedder


@pytest.fixture(autouse=True)
def hash_embedder(monkeypatch: pytest.MonkeyPatch) -> list[HashEmbedder]:
    """Every workspace the CLI opens gets a HashEmbedder (None when dense is off); the list
    holds those made, in order."""
    made: list[HashEmbedder] = []

    def make(spec: str, *, base_url: str | None = None) -> Embedder | None:
        if spec.strip().lower() in ("", "none", "off"):
            return None
        made.append(HashEmbedder())
        return made[-1]

    monkeypatch.setattr("dalin.workspace.make_embedder", make)
    return made
