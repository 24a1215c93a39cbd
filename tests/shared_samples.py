"""The shared samples (../shared), importable from any test directory.

A module of its own, not conftest: several test directories have a conftest.py, and
`from conftest import …` finds whichever was imported last.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import dalin

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test (with the reason) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared material not available: {path} (run inside the dalin workplace)")
    return path


@contextmanager
def sample_workspace(folder: Path, *names: str) -> Iterator[dalin.Workspace]:
    """A workspace in ``folder`` holding the named samples, every one read; skips the test
    when ../shared is absent."""
    paths = [shared_path("samples", name) for name in names]
    workspace = dalin.Workspace.create(folder / "ws")
    try:
        assert not workspace.add(paths).failed
        yield workspace
    finally:
        workspace.close()
