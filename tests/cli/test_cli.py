"""The command line, through Typer's runner and once as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dalin.cli.main import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "documents"
runner = CliRunner()
COMMANDS = [
    "init",
    "add",
    "embed",
    "search",
    "ask",
    "chat",
    "docs",
    "rm",
    "eval",
    "glossary",
    "serve",
    "mcp",
    "watch",
    "db",
    "migrate",
    "worker",
    "show",
]


def dalin(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def ws(tmp_path: Path) -> str:
    path = str(tmp_path / "ws")
    code, _ = dalin("-w", path, "init")
    assert code == 0
    return path


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(command: str | None) -> None:
    code, output = dalin(*([command] if command else []), "--help")
    assert code == 0 and "Usage" in output


def test_init_twice_fails_with_a_message(ws: str) -> None:
    code, output = dalin("-w", ws, "--lang", "en", "init")
    assert code == 1 and "already exists" in output


def test_missing_workspace_is_explained(tmp_path: Path) -> None:
    code, output = dalin("-w", str(tmp_path / "none"), "--lang", "ko", "docs")
    assert code == 1 and "오류" in output and "dalin init" in output


def test_add_search_ask_docs_rm(ws: str, tmp_path: Path) -> None:
    code, output = dalin("-w", ws, "--lang", "ko", "add", str(EXAMPLES))
    assert code == 0 and "추가 6" in output and "실패 0" in output
    code, output = dalin("-w", ws, "--lang", "en", "add", str(EXAMPLES))
    assert code == 0 and "unchanged 6" in output

    code, output = dalin("-w", ws, "search", "연차휴가", "-k", "2", "--json")
    hits = json.loads(output)
    assert code == 0 and len(hits) == 2 and hits[0]["name"] == "취업규칙.docx"
    assert {"document", "label", "score", "text", "start", "end"} <= set(hits[0])

    code, output = dalin("-w", ws, "ask", "연차휴가는 며칠인가요?", "--json")
    answer = json.loads(output)
    assert code == 0 and not answer["abstained"] and "15일" in answer["text"]
    assert any(c["label"].startswith("취업규칙.docx · ") for c in answer["citations"])

    code, output = dalin("-w", ws, "ask", "우주선 발사 일정이 어떻게 되나요?")
    assert code == 0 and "문서에서 답을 찾지 못했습니다" in output

    code, output = dalin("-w", ws, "docs", "--json")
    assert code == 0 and len(json.loads(output)) == 6

    code, output = dalin("-w", ws, "--lang", "en", "rm", "취업규칙.docx")
    assert code == 0 and "Removed" in output
    code, output = dalin("-w", ws, "search", "연차휴가", "--json")
    assert all(h["name"] != "취업규칙.docx" for h in json.loads(output))
    code, output = dalin("-w", ws, "rm", "취업규칙.docx")
    assert code == 1


def test_add_with_failures_exits_3_and_lists_reasons(ws: str, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.pdf").write_bytes(b"")
    (tmp_path / "in" / "ok.txt").write_text("괜찮은 문서", encoding="utf-8")
    code, output = dalin("-w", ws, "--lang", "ko", "add", str(tmp_path / "in"))
    assert code == 3 and "empty.pdf" in output and "빈 파일" in output and "추가 1" in output
    code, output = dalin("-w", ws, "--lang", "en", "docs", "--json")
    failed = [d for d in json.loads(output) if d["status"] == "failed"]
    assert [d["error_code"] for d in failed] == ["empty"]


def test_the_installed_script_runs_as_a_process(ws: str) -> None:
    env = {**os.environ, "DALIN_WORKSPACE": ws, "DALIN_LANG": "en"}
    script = Path(sys.executable).parent / "dalin"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "dalin"]
    done = subprocess.run(
        [*command, "docs"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "No documents yet" in done.stdout


def test_serve_queue_uploads_without_the_database_is_refused_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DALIN_DATABASE_URL", raising=False)
    root = str(tmp_path / "root")
    code, output = dalin("serve", "--root", root, "--queue-uploads", "--no-watch")
    assert code != 0 and "DALIN_DATABASE_URL" in output, output


@pytest.mark.parametrize("command", [["search", "연차"], ["ask", "연차는 며칠인가요?"]])
def test_a_one_shot_command_builds_no_in_memory_keyword_index(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dalin search` and `dalin ask` answer once and exit: a background build of a large
    PostgreSQL workspace's keyword index (postgres_memory) would only take their CPU."""
    from dalin.stores import postgres_memory

    monkeypatch.setattr(postgres_memory.INDEXES, "building", True)
    ws = str(tmp_path / "ws")
    assert dalin("-w", ws, "init")[0] == 0
    code, output = dalin("-w", ws, *command)
    assert code == 0, output
    assert postgres_memory.INDEXES.building is False
