"""`dalin docs` at 80 columns (snapshots) and `dalin docs NAME` (issue 16 item 1)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from syrupy.assertion import SnapshotAssertion
from typer.testing import CliRunner

from dalin.cli.common import out
from dalin.cli.documents import NAME_CELLS, shorten
from dalin.cli.main import app
from dalin.config import DEFAULT_EMBEDDER

runner = CliRunner()
LONG = "2024년도_하반기_인사관리규정_개정안_최종본_수정반영(법무팀검토완료).txt"
SCAN = "거래처_계약서_스캔본_2023년_12월_서명완료.pdf"


@pytest.fixture
def columns_80(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(out, "width", 80)


@pytest.fixture
def office(tmp_path: Path) -> str:
    """A workspace over three files: a long Korean name, a short one, a broken PDF."""
    folder = tmp_path / "문서"
    folder.mkdir()
    (folder / LONG).write_text("연차휴가는 15일이다.\n\n병가는 연 60일까지 쓴다.", encoding="utf-8")
    (folder / "출장.txt").write_text("출장비는 실비로 정산한다.", encoding="utf-8")
    (folder / SCAN).write_bytes(b"%PDF-1.4 cut off here")
    ws = str(tmp_path / "ws")
    assert runner.invoke(app, ["-w", ws, "init"]).exit_code == 0
    result = runner.invoke(app, ["-w", ws, "add", str(folder)])
    assert result.exit_code == 3, result.output  # the broken PDF
    return ws


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_list_fits_80_columns(
    office: str, lang: str, columns_80: None, snapshot: SnapshotAssertion
) -> None:
    result = runner.invoke(app, ["-w", office, "--lang", lang, "docs"])
    assert result.exit_code == 0
    assert all(cell_len(line) <= 80 for line in result.output.splitlines())
    assert result.output == snapshot


def test_the_list_with_meaning_search_off(
    tmp_path: Path, columns_80: None, snapshot: SnapshotAssertion
) -> None:
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["-w", str(ws), "init"]).exit_code == 0
    toml = ws / "dalin.toml"
    text = toml.read_text(encoding="utf-8")
    assert f'embedder = "{DEFAULT_EMBEDDER}"' in text
    toml.write_text(text.replace(f'embedder = "{DEFAULT_EMBEDDER}"', 'embedder = "none"'))
    (tmp_path / LONG).write_text("연차휴가는 15일이다.", encoding="utf-8")
    assert runner.invoke(app, ["-w", str(ws), "add", str(tmp_path / LONG)]).exit_code == 0
    result = runner.invoke(app, ["-w", str(ws), "--lang", "ko", "docs"])
    assert result.output == snapshot


def test_one_document_in_full(office: str) -> None:
    result = runner.invoke(app, ["-w", office, "--lang", "ko", "docs", SCAN])
    assert result.exit_code == 0, result.output
    text = result.output
    path = next(Path(office).parent.rglob(SCAN))
    assert str(path) in text and "21 B" in text
    assert hashlib.sha256(path.read_bytes()).hexdigest() in text
    assert "실패: 손상된 파일" in text and "PDFium" in text  # the reason in full
    remedy = "원래 프로그램에서 열어 다시 저장하거나, 파일 확장자가 맞는지 확인하세요."
    assert text.count(remedy) == 1  # the catalogue's remedy (dalin.messages), once


def test_one_document_as_json_and_an_unknown_one(office: str) -> None:
    result = runner.invoke(app, ["-w", office, "docs", "출장.txt", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["chunks"] == 1
    result = runner.invoke(app, ["-w", office, "docs", "없는문서.hwp", "--json"])
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "document_not_found" and "없는문서.hwp" in error["message"]


@given(st.text(min_size=1, max_size=80), st.integers(min_value=8, max_value=NAME_CELLS))
def test_a_shortened_name_fits_and_keeps_its_extension(stem: str, cells: int) -> None:
    name = f"{stem}.hwpx"
    short = shorten(name, cells)
    assert cell_len(short) <= cells
    assert short == name or (short.endswith(".hwpx") and "…" in short)
