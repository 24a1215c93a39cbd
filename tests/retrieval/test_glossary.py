"""The workspace glossary: parsing, expansion in both directions, saving."""

from __future__ import annotations

from pathlib import Path

import pytest

from dalin.errors import WorkspaceError
from dalin.retrieval.glossary import GLOSSARY_NAME, Glossary, load_glossary, parse
from dalin.stores.files import FolderFiles
from dalin.workspace import Workspace

TEXT = """
# comments and blank lines are skipped

부가세 = 부가가치세
4대보험 = 국민연금, 건강보험, 고용보험, 산재보험
VAT = value added tax
"""


def glossary() -> Glossary:
    return Glossary(parse(TEXT))


def test_parse_reads_terms_and_comma_separated_words() -> None:
    entries = parse(TEXT)
    assert entries["부가세"] == ("부가가치세",)
    assert entries["4대보험"] == ("국민연금", "건강보험", "고용보험", "산재보험")


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("부가세 부가가치세", "needs the form"),
        ("부가세 =", "names no synonym"),
        ("세 = 세금", "at least 2 letters"),
    ],
)
def test_a_bad_line_is_named_with_its_number(line: str, says: str) -> None:
    with pytest.raises(WorkspaceError, match=says) as error:
        parse(f"# first\n{line}\n", "glossary.txt")
    assert "glossary.txt:2" in str(error.value)


def test_a_term_with_a_particle_expands_to_its_synonyms() -> None:
    expansion = glossary().expand("부가세는 언제 신고하나요?")
    assert expansion.added == {"부가세": ("부가가치세",)}
    assert expansion.words == ("부가가치세",)


def test_a_synonym_expands_back_to_the_term_but_not_to_its_siblings() -> None:
    expansion = glossary().expand("국민연금 요율은?")
    assert expansion.added == {"국민연금": ("4대보험",)}


def test_an_abbreviation_expands_to_every_member() -> None:
    assert glossary().expand("4대보험 가입 기준").words == (
        "국민연금",
        "건강보험",
        "고용보험",
        "산재보험",
    )


def test_words_already_in_the_query_are_not_added_again() -> None:
    assert glossary().expand("부가세와 부가가치세의 차이").added == {}


def test_latin_terms_match_whole_words_only() -> None:
    assert glossary().expand("When is VAT due?").words == ("value added tax",)
    assert glossary().expand("the vatican museum").added == {}


def test_equivalents_pair_term_tokens_with_synonym_tokens() -> None:
    pairs = glossary().expand("부가세 신고").equivalents()
    assert pairs and all(term and word for term, word in pairs)


def test_the_workspace_file_overrides_the_domain_pack(tmp_path: Path) -> None:
    (tmp_path / GLOSSARY_NAME).write_text("부가세 = VAT\n", encoding="utf-8")
    loaded = load_glossary(tmp_path, {"부가세": ("부가가치세",), "종소세": ("종합소득세",)})
    assert loaded.entries == {"부가세": ("VAT",), "종소세": ("종합소득세",)}
    assert loaded.sources == {"부가세": GLOSSARY_NAME, "종소세": "profile.toml"}


def test_saving_round_trips_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "ws") as ws:
        before = {p.name for p in ws.path.iterdir()}
        assert ws.save_glossary(parse(TEXT)) == str(ws.path / GLOSSARY_NAME)
        assert ws.glossary_entries() == parse(TEXT)
        assert {p.name for p in ws.path.iterdir()} - before == {GLOSSARY_NAME}
    FolderFiles(tmp_path).write("x.txt", "본문")
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["x.txt"]
