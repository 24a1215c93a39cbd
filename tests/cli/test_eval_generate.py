"""`dalin eval generate` through Typer's runner: drafts written, counts printed, and a clear
message when no model is configured."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dalin.cli.main import app
from dalin.llm.base import LLM
from dalin.testing.fake_llm import says
from dalin.workspace import Workspace

runner = CliRunner()
RULES = (
    "제12조(연차휴가) 회사는 1년간 80퍼센트 이상 출근한 직원에게 연차휴가 15일을 준다.\n\n"
    "제13조(경조휴가) 본인이 결혼하는 경우 5일의 경조휴가를 준다."
)
DRAFT = (
    "질문: 결혼하면 휴가를 며칠 받나요?\n답: 5일\n근거: 본인이 결혼하는 경우 5일의 경조휴가를 준다."
)


@pytest.fixture
def ws(tmp_path: Path) -> str:
    path = str(tmp_path / "ws")
    (tmp_path / "취업규칙.txt").write_text(RULES, encoding="utf-8")
    assert runner.invoke(app, ["-w", path, "init"]).exit_code == 0
    assert runner.invoke(app, ["-w", path, "add", str(tmp_path / "취업규칙.txt")]).exit_code == 0
    return path


def test_generate_has_help() -> None:
    result = runner.invoke(app, ["eval", "generate", "--help"])
    assert result.exit_code == 0 and "--count" in result.output and "--seed" in result.output


def test_generate_writes_drafts_and_counts_them(
    ws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The model writes the same draft for every passage: it holds for 제13조 only.
    model = says(DRAFT)

    def scripted(self: Workspace, spec: str | None = None, **_: object) -> LLM:
        assert spec == "fake"
        return model

    monkeypatch.setattr(Workspace, "model", scripted)
    out = tmp_path / "drafts" / "q.jsonl"
    result = runner.invoke(
        app,
        ["-w", ws, "--lang", "en", "eval", "generate", "--llm", "fake", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "Wrote draft questions to" in result.output and "q.jsonl" in result.output
    assert "kept 1 · dropped 1" in result.output
    assert "evidence not found in the passage: 1" in result.output
    (item,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert item["expected_label_contains"].startswith("제13조")
    assert len(model.calls) == 2


def test_generate_without_a_model_says_how_to_choose_one(ws: str, tmp_path: Path) -> None:
    out = tmp_path / "q.jsonl"
    result = runner.invoke(app, ["-w", ws, "--lang", "ko", "eval", "generate", "--out", str(out)])
    assert result.exit_code == 1
    assert "--llm local" in result.output
    assert not out.exists()
