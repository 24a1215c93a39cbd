"""The bundled GGUF model and a real OpenAI-compatible server on loopback, shared per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dalin.llm.local import LocalGGUF, bundled_model_path


def _require_llama_cpp() -> None:
    pytest.importorskip(
        "llama_cpp", reason="llama-cpp-python is not installed (pip install -e '.[dev]')"
    )


@pytest.fixture(scope="session")
def gguf_path() -> Path:
    _require_llama_cpp()
    return bundled_model_path()


@pytest.fixture(scope="session")
def local_llm(gguf_path: Path) -> LocalGGUF:
    return LocalGGUF(gguf_path, n_ctx=2048)


@pytest.fixture(scope="session")
def llama_server(gguf_path: Path) -> Iterator[str]:
    """Base URL of llama_cpp.server serving the bundled model on 127.0.0.1."""
    pytest.importorskip("llama_cpp.server", reason="pip install 'llama-cpp-python[server]'")
    from dalin.testing.llm_server import running_llama_server

    with running_llama_server(gguf_path, n_ctx=2048) as base_url:
        yield base_url
