"""Shared test helpers: where the shared samples live, and a fresh workspace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import dalin

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test (with the reason) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared material not available: {path} (run inside the dalin workplace)")
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[dalin.Workspace]:
    ws = dalin.Workspace.create(tmp_path / "ws")
    yield ws
    ws.close()
