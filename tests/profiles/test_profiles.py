"""Domain profiles: shipped packs, seeding a workspace, editing and fallbacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import dalin
from dalin.cli.main import app
from dalin.errors import WorkspaceError
from dalin.profiles import PROFILE_NAME, load_profile, pack_text, packs


def test_the_shipped_packs() -> None:
    assert packs() == ["general", "hr", "manufacturing", "tax"]


@pytest.mark.parametrize("name", ["general", "hr", "manufacturing", "tax"])
def test_every_pack_is_complete_in_both_languages(tmp_path: Path, name: str) -> None:
    (tmp_path / PROFILE_NAME).write_text(pack_text(name), encoding="utf-8")
    profile = load_profile(tmp_path)
    assert profile.name == name
    for value in (profile.title, profile.role, profile.instructions, profile.style):
        assert any("가" <= ch <= "힣" for ch in value), value
    for value in (profile.title_en, profile.role_en, profile.instructions_en, profile.style_en):
        hangul = sum("가" <= ch <= "힣" for ch in value)
        assert value.strip() and hangul <= 0.02 * len(value), value  # 제N조 may be quoted
    assert profile.glossary and all(profile.glossary.values())


def test_instructions_follow_the_question_language(tmp_path: Path) -> None:
    (tmp_path / PROFILE_NAME).write_text(pack_text("hr"), encoding="utf-8")
    profile = load_profile(tmp_path)
    assert "노무·인사" in profile.instructions_for("ko")
    assert "labour" in profile.instructions_for("en")
    assert "노무" not in profile.instructions_for("en")


def test_init_with_a_domain_seeds_the_profile(tmp_path: Path) -> None:
    with dalin.Workspace.create(tmp_path / "ws", domain="tax") as ws:
        profile = ws.profile()
    assert profile.name == "tax" and profile.glossary["부가세"] == ("부가가치세",)


def test_unknown_domain_fails_before_writing_anything(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="general, hr, manufacturing, tax"):
        dalin.Workspace.create(tmp_path / "ws", domain="bakery")
    assert not (tmp_path / "ws").exists()


def test_an_edited_profile_is_read_and_missing_keys_fall_back(tmp_path: Path) -> None:
    with dalin.Workspace.create(tmp_path / "ws") as ws:
        (ws.path / PROFILE_NAME).write_text(
            'name = "bakery"\nrole = "당신은 빵집 도우미입니다."\n[glossary]\n"바게트" = "빵"\n',
            encoding="utf-8",
        )
        profile = ws.profile()
    assert profile.role == "당신은 빵집 도우미입니다."
    assert profile.style == load_profile(tmp_path / "nowhere").style
    assert profile.glossary == {"바게트": ("빵",)}


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("role = [1, 2]", '"role" must be text'),
        ('[glossary]\n"부가세" = 3', "must be a list of words"),
        ("glossary = 1", "must be a table"),
        ("role = ", "not valid TOML"),
    ],
)
def test_a_broken_profile_gives_a_clear_error(tmp_path: Path, text: str, needle: str) -> None:
    (tmp_path / PROFILE_NAME).write_text(text, encoding="utf-8")
    with pytest.raises(WorkspaceError, match=needle):
        load_profile(tmp_path)


def test_cli_init_domain(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(tmp_path / "ws"), "--domain", "manufacturing"])
    assert result.exit_code == 0, result.output
    assert 'name = "manufacturing"' in (tmp_path / "ws" / PROFILE_NAME).read_text("utf-8")
    bad = CliRunner().invoke(app, ["init", str(tmp_path / "ws2"), "--domain", "nope"])
    assert bad.exit_code == 1 and "manufacturing" in bad.output
