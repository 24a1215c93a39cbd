"""dalin.toml: validated settings, errors that name file, line and the closest key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

import dalin
from dalin.config import CONFIG_NAME, DEFAULT_CONFIG, Settings, load_settings, parse_settings
from dalin.config_file import locate, sections, toml_value
from dalin.errors import SettingsError, WorkspaceError
from dalin.ingest.limits import Limits


def test_the_written_file_reads_back_as_the_defaults() -> None:
    assert parse_settings(DEFAULT_CONFIG) == Settings() == parse_settings("")
    data = tomllib.loads(DEFAULT_CONFIG)
    for name, model in sections():
        assert set(data[name]) == set(model.model_fields), name
    assert Settings().limits == Limits()  # the [ingest] defaults are the parsers' own


def test_missing_keys_take_defaults_and_values_are_normalised() -> None:
    settings = parse_settings(
        '[answer]\nllm = " deepseek:deepseek-chat "\nverify = false\n'
        '[retrieval]\nfusion = "RRF"\n[store]\nbackend = "Postgres"\n[ingest]\nmax_file_mb = 1\n'
    )
    assert (settings.llm, settings.verify) == ("deepseek:deepseek-chat", "off")
    assert (settings.fusion, settings.store_backend) == ("rrf", "postgres")
    assert settings.limits.max_file_bytes == 2**20
    assert settings.min_coverage == Settings().min_coverage


def bad(text: str, tmp_path: Path) -> SettingsError:
    (tmp_path / CONFIG_NAME).write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    error = caught.value
    assert isinstance(error, WorkspaceError) and error.code == "bad_settings"
    assert error.file == str(tmp_path / CONFIG_NAME)
    return error


def test_a_misspelt_key_names_file_line_and_the_closest_key(tmp_path: Path) -> None:
    error = bad('[ingest]\nworkers = 1\n\n[answer]\n# the model\nlmm = "local"\n', tmp_path)
    assert error.line == 6
    assert str(error) == (
        f"{tmp_path / CONFIG_NAME}:6: [answer] lmm is not a setting; did you mean llm?"
        " / [answer] lmm라는 설정은 없습니다. llm을(를) 쓰려던 것인가요?"
    )


def test_a_key_in_the_wrong_section_says_where_it_belongs(tmp_path: Path) -> None:
    error = bad('[answer]\nembedder = "none"\n', tmp_path)
    assert error.line == 2 and "it belongs in [retrieval]" in str(error)
    assert "[retrieval] 구역의 설정입니다" in str(error)


def test_an_unknown_section_is_named(tmp_path: Path) -> None:
    error = bad('[ingest]\nworkers = 1\n[anwser]\nllm = "local"\n', tmp_path)
    assert error.line == 3 and "[anwser] is not a section" in str(error)
    assert "did you mean [answer]?" in str(error)


def test_an_unknown_key_without_a_close_one_lists_the_valid_ones(tmp_path: Path) -> None:
    error = bad("[cost]\neuros = 3\n", tmp_path)
    assert "valid here: krw_per_usd" in str(error)


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("[ingest]\nmax_seconds = -1\n", 2, "[ingest] max_seconds = -1 is not allowed"),
        ('[ingest]\nworkers = "4"\n', 2, "valid integer"),
        ("[ingest]\nmax_chunk_chars = 1000.5\n", 2, "valid integer"),
        ('[answer]\ntools = "yes"\n', 2, "valid boolean"),
        ('[answer]\nverify = "maybe"\n', 2, "'auto', 'on' or 'off'"),
        ('\n[retrieval]\nfusion = "magic"\n', 3, "'weighted', 'rrf' or 'lexical'"),
        ("[retrieval]\ndense_weight = 1.5\n", 2, "less than or equal to 1"),
        ('[store]\nbackend = "mysql"\n', 2, "'sqlite' or 'postgres'"),
    ],
)
def test_wrong_values_name_the_line_and_the_rule(
    text: str, line: int, needle: str, tmp_path: Path
) -> None:
    error = bad(text, tmp_path)
    assert error.line == line and needle in str(error) and "쓸 수 없습니다" in str(error)
    assert str(error).startswith(f"{tmp_path / CONFIG_NAME}:{line}: ")


def test_prices_are_checked_when_read(tmp_path: Path) -> None:
    error = bad('[cost]\nkrw_per_usd = 1300\n[prices."my-model"]\ninput = 1.0\n', tmp_path)
    assert error.line == 3 and "needs both input and output" in str(error)
    error = bad('[prices."deepseek-chat"]\ninptu = 1.0\n', tmp_path)
    assert error.line == 2 and "did you mean input?" in str(error)
    assert '[prices."deepseek-chat"] inptu' in str(error)
    ok = parse_settings('[prices."deepseek-chat"]\noutput = 0.5\n')
    assert ok.prices == {"deepseek-chat": {"output": 0.5}}


def test_broken_toml_names_its_line(tmp_path: Path) -> None:
    error = bad("[answer]\nllm = local\n", tmp_path)
    assert error.line == 2 and "not valid TOML" in str(error)


def test_locate_reads_dotted_and_quoted_keys() -> None:
    text = 'answer.llm = "x"\n[prices."a.b"]\ninput = 1\n[retrieval]\n"rrf_k" = 3\n'
    assert locate(text, ("answer", "llm")) == 1
    assert locate(text, ("prices", "a.b", "input")) == 3
    assert locate(text, ("retrieval", "rrf_k")) == 5
    assert locate(text, ("cost",)) is None


def test_a_workspace_with_a_typo_does_not_open(tmp_path: Path) -> None:
    dalin.Workspace.create(tmp_path / "ws").close()
    config = tmp_path / "ws" / CONFIG_NAME
    config.write_text(config.read_text("utf-8").replace("min_coverage", "min_coverge"), "utf-8")
    with pytest.raises(SettingsError, match="did you mean min_coverage"):
        dalin.Workspace.open(tmp_path / "ws")


def test_the_retrieval_docs_show_the_models_defaults() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "retrieval.md"
    rows = dict(re.findall(r"^\| `(\w+)` \| `([^`]*)` \|", docs.read_text("utf-8"), re.M))
    model = dict(sections())["retrieval"]
    assert set(rows) == set(model.model_fields)
    for key, info in model.model_fields.items():
        assert rows[key] == toml_value(info.default), key
