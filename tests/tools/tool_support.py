"""Real workspaces for the tools (fixtures, imported by conftest): the example price list,
and real spreadsheets from ../shared/samples beside it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import dalin

ROOT = Path(__file__).resolve().parents[2]
PRICE_LIST = ROOT / "examples" / "documents" / "가격표_2025.md"
SAMPLES = ROOT.parent / "shared" / "samples"
SPREADSHEETS = ("markitdown_test.xlsx", "office2pdf_repository_workbook.xlsx")


def _workspace(folder: Path, files: list[Path]) -> dalin.Workspace:
    folder.mkdir(parents=True)
    for file in files:
        shutil.copy(file, folder / file.name)
    ws = dalin.Workspace.create(folder / ".dalin")
    report = ws.add([folder])
    assert report.ok, report.failed
    return ws


@pytest.fixture(scope="module")
def prices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    """A workspace of the example price list alone (one Markdown table of 15 rows)."""
    ws = _workspace(tmp_path_factory.mktemp("prices") / "docs", [PRICE_LIST])
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    """The price list and two real workbooks from ../shared/samples."""
    if not SAMPLES.is_dir():
        pytest.skip(f"shared samples not available at {SAMPLES} (run inside the dalin workplace)")
    files = [PRICE_LIST, *(SAMPLES / name for name in SPREADSHEETS)]
    ws = _workspace(tmp_path_factory.mktemp("sheets") / "docs", files)
    yield ws
    ws.close()
