"""`dalin glossary`: show, add, rm, edit, expand."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dalin.cli.main import app

runner = CliRunner()


def dalin(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--lang", "en", *args])
    return result.exit_code, result.output


@pytest.fixture
def ws(tmp_path: Path) -> str:
    path = str(tmp_path / "ws")
    assert dalin("-w", path, "init", "--domain", "tax")[0] == 0
    return path


def test_the_domain_packs_entries_show_with_their_source(ws: str) -> None:
    code, output = dalin("-w", ws, "glossary")
    assert code == 0
    assert "부가세" in output and "부가가치세" in output and "profile.toml" in output


def test_add_then_expand_then_remove(ws: str) -> None:
    code, output = dalin("-w", ws, "glossary", "add", "4대보험 = 국민연금, 건강보험")
    assert code == 0 and "4대보험 = 국민연금, 건강보험" in output
    code, output = dalin("-w", ws, "glossary", "add", "4대보험 = 고용보험")
    assert "국민연금, 건강보험, 고용보험" in output  # added to, not replaced
    code, output = dalin("-w", ws, "glossary", "expand", "4대보험 가입 대상")
    assert code == 0 and "4대보험 → 국민연금, 건강보험, 고용보험" in output
    assert "4대보험 = 국민연금, 건강보험, 고용보험" in (Path(ws) / "glossary.txt").read_text(
        encoding="utf-8"
    )
    assert dalin("-w", ws, "glossary", "rm", "4대보험")[0] == 0
    assert "4대보험" not in (Path(ws) / "glossary.txt").read_text(encoding="utf-8")


def test_a_bad_entry_fails_and_leaves_the_file_alone(ws: str) -> None:
    dalin("-w", ws, "glossary", "add", "부가세 = VAT")
    before = (Path(ws) / "glossary.txt").read_text(encoding="utf-8")
    code, output = dalin("-w", ws, "glossary", "add", "no equals sign")
    assert code == 1 and "term = synonym" in output
    assert (Path(ws) / "glossary.txt").read_text(encoding="utf-8") == before


def test_removing_an_unknown_term_says_so(ws: str) -> None:
    code, output = dalin("-w", ws, "glossary", "rm", "없는용어")
    assert code == 1 and "No such term" in output


def test_edit_saves_what_the_editor_wrote(ws: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("click.edit", lambda text, extension: text + "종소세 = 종합소득세\n")
    code, output = dalin("-w", ws, "glossary", "edit")
    assert code == 0 and "Saved 1 entries" in output
    monkeypatch.setattr("click.edit", lambda text, extension: "broken line\n")
    code, output = dalin("-w", ws, "glossary", "edit")
    assert code == 1 and "needs the form" in output
    assert "종소세 = 종합소득세" in (Path(ws) / "glossary.txt").read_text(encoding="utf-8")
