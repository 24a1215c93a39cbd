"""The shared samples (../shared), importable from any test directory.

A module of its own, not conftest: several test directories have a conftest.py, and
`from conftest import …` finds whichever was imported last.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test (with the reason) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared material not available: {path} (run inside the dalin workplace)")
    return path
