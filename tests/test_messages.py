"""The message catalogue (dalin.messages): one entry per stable code, Korean and English, and
the same words on every surface (CLI, REST, MCP; the web UI in tests/web/test_e2e.py)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dalin.errors
from dalin.messages import CATALOGUE, bilingual, entry, explain, language
from shared_samples import shared_path

HANGUL = re.compile(r"[가-힣]")


def _error_classes() -> list[type[dalin.errors.DalinError]]:
    return [
        cls
        for _, cls in inspect.getmembers(dalin.errors, inspect.isclass)
        if issubclass(cls, dalin.errors.DalinError)
    ]


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda c: c.__name__)
def test_every_error_code_has_its_own_entry(cls: type[dalin.errors.DalinError]) -> None:
    assert cls.code in CATALOGUE, f"{cls.__name__}.code = {cls.code!r} has no catalogue entry"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_entry_says_what_and_what_to_do_in_both_languages(code: str) -> None:
    found = CATALOGUE[code]
    for ko, en in (found.category, found.remedy):
        assert HANGUL.search(ko) and en and not HANGUL.search(en.replace("한글", "")), code


def test_codes_are_distinct_across_the_error_tree() -> None:
    codes = [cls.code for cls in _error_classes()]
    assert len(codes) == len(set(codes))


@given(st.text(max_size=40))
def test_an_unknown_code_reads_as_a_generic_error(code: str) -> None:
    said = explain(code, "ko")
    assert said.category == entry(code).category[0] and said.remedy
    assert bilingual(code).count(" / ") >= 1


def test_language_from_tags_and_headers() -> None:
    assert language("en-US,en;q=0.9") == "en"
    assert language("ko-KR") == "ko" and language(None) == "ko" and language("fr") == "ko"


# --- the surfaces, on one real failure: a password-protected PDF ----------------------------

ENCRYPTED = "ADV_pypdf_encrypted-file.pdf"
CATEGORY_KO, CATEGORY_EN = CATALOGUE["encrypted"].category
REMEDY_KO, REMEDY_EN = CATALOGUE["encrypted"].remedy


def test_the_cli_words_a_failed_file_from_the_catalogue(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dalin.cli.main import app

    sample = shared_path("samples", ENCRYPTED)
    runner = CliRunner()
    for lang, category, remedy in (("ko", CATEGORY_KO, REMEDY_KO), ("en", CATEGORY_EN, REMEDY_EN)):
        ws = str(tmp_path / lang)
        assert runner.invoke(app, ["-w", ws, "init"]).exit_code == 0
        added = runner.invoke(app, ["-w", ws, "--lang", lang, "add", str(sample)])
        assert added.exit_code == 3
        flat = " ".join(added.output.split())  # rich wraps long lines
        assert category in flat and " ".join(remedy.split()) in flat
