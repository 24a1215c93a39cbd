"""Typed settings; the only module that reads environment variables.

A workspace keeps its settings in ``dalin.toml`` beside its database; its tables, keys,
defaults and comments are the models of :mod:`dalin.config_file`, and :data:`DEFAULT_CONFIG`
is the commented file ``dalin init`` writes. :class:`Settings` is the same content, flat.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

from dalin.config_file import (
    AnswerSection,
    CostSection,
    IngestSection,
    RetrievalSection,
    StoreSection,
    default_config,
    default_of,
    read_toml,
)
from dalin.errors import SettingsError
from dalin.ingest.limits import Limits

CONFIG_NAME = "dalin.toml"
_MB = 2**20

#: Retrieval defaults, chosen by measurement (docs/benchmarks.md), as the benchmarks name
#: them; each is written once, in its model in dalin.config_file.
DEFAULT_EMBEDDER: str = default_of(RetrievalSection, "embedder")
DEFAULT_FUSION: str = default_of(RetrievalSection, "fusion")
FUSIONS = get_args(RetrievalSection.model_fields["fusion"].annotation)
DEFAULT_DENSE_WEIGHT: float = default_of(RetrievalSection, "dense_weight")
DEFAULT_DENSE_GATE: float = default_of(RetrievalSection, "dense_gate")
DEFAULT_DENSE_WEIGHT_NON_KOREAN: float = default_of(RetrievalSection, "dense_weight_non_korean")
DEFAULT_RRF_K: int = default_of(RetrievalSection, "rrf_k")
#: the commented dalin.toml that ``dalin init`` writes
DEFAULT_CONFIG = default_config()

_A, _R, _I, _S = AnswerSection, RetrievalSection, IngestSection, StoreSection


@dataclass(frozen=True)
class Settings:
    max_chunk_chars: int = default_of(_I, "max_chunk_chars")
    limits: Limits = field(default_factory=Limits)
    min_coverage: float = default_of(_A, "min_coverage")
    #: withhold extractive answers the learned confidence gate doubts
    confidence_gate: bool = default_of(_A, "confidence_gate")
    #: parse worker processes; 0 means one per CPU core
    workers: int = default_of(_I, "workers")
    #: the model that writes answers, e.g. "extractive", "local", "deepseek:deepseek-chat"
    llm: str = default_of(_A, "llm")
    base_url: str = default_of(_A, "base_url")
    max_answer_tokens: int = default_of(_A, "max_answer_tokens")
    temperature: float = default_of(_A, "temperature")
    timeout_seconds: float = default_of(_A, "timeout_seconds")
    #: offer tools (function calling) to models that support them
    tools: bool = default_of(_A, "tools")
    tool_steps: int = default_of(_A, "tool_steps")
    tool_seconds: float = default_of(_A, "tool_seconds")
    #: the model verifier: "auto" (on for API models), "on" or "off"
    verify: str = default_of(_A, "verify")
    #: the model that verifies; "" for the model that answered
    verifier_llm: str = default_of(_A, "verifier_llm")
    krw_per_usd: float = default_of(CostSection, "krw_per_usd")
    #: model name -> {"input", "cached_input", "output", "currency"} per million tokens
    prices: dict[str, dict[str, object]] = field(default_factory=dict)
    #: the embedder for dense retrieval: "local", "openai:MODEL" or "none" (keywords only)
    embedder: str = DEFAULT_EMBEDDER
    embed_base_url: str = default_of(_R, "embed_base_url")
    #: how keyword and dense results combine: "weighted", "rrf" or "lexical"
    fusion: str = DEFAULT_FUSION
    #: the dense side's share in the fusion (the lexical side gets 1 - dense_weight) for a
    #: question with Hangul in it, and for one without
    dense_weight: float = DEFAULT_DENSE_WEIGHT
    dense_weight_non_korean: float = DEFAULT_DENSE_WEIGHT_NON_KOREAN
    #: a question with Hangul is answered by keywords alone when the best keyword passage
    #: holds this share of its keywords
    dense_gate: float = DEFAULT_DENSE_GATE
    rrf_k: int = DEFAULT_RRF_K
    #: "sqlite" (dalin.db beside dalin.toml) or "postgres"
    store_backend: str = default_of(_S, "backend")
    #: the PostgreSQL URL when DALIN_DATABASE_URL is not set
    store_url: str = default_of(_S, "url")
    #: the workspace's name in the PostgreSQL database ("": the folder's name)
    store_workspace: str = default_of(_S, "workspace")

    @property
    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)


def load_settings(workspace: Path) -> Settings:
    """Read ``dalin.toml`` of a workspace; a missing file means defaults."""
    path = workspace / CONFIG_NAME
    if not path.exists():
        return Settings()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SettingsError(
            f"{path}: not UTF-8 text ({exc}); fix or delete the file / UTF-8 텍스트가 아닙니다."
            " 고치거나 지우세요",
            file=str(path),
        ) from exc
    return parse_settings(text, str(path))


def parse_settings(text: str, where: str = CONFIG_NAME) -> Settings:
    """Settings from the text of a ``dalin.toml`` (``where`` names it in errors).

    Raises:
        SettingsError: an unknown table or key, a wrong type or a value out of range; the
            message names the file, the line and the closest valid key.
    """
    toml = read_toml(text, where)
    ingest, answer, retrieval, store = toml.ingest, toml.answer, toml.retrieval, toml.store
    prices = {m: p.model_dump(exclude_none=True) for m, p in toml.prices.items()}
    return Settings(
        max_chunk_chars=ingest.max_chunk_chars,
        limits=Limits(
            max_file_bytes=int(ingest.max_file_mb * _MB),
            max_seconds=ingest.max_seconds,
            max_memory_bytes=int(ingest.max_memory_mb * _MB),
        ),
        workers=ingest.workers,
        **answer.model_dump(),
        krw_per_usd=toml.cost.krw_per_usd,
        prices=prices,
        **retrieval.model_dump(),
        store_backend=store.backend,
        store_url=store.url,
        store_workspace=store.workspace,
    )


def env_database_url() -> str | None:
    """The PostgreSQL URL of ``DALIN_DATABASE_URL``, if set."""
    return os.environ.get("DALIN_DATABASE_URL", "").strip() or None


def env_database_owner_url() -> str | None:
    """The URL of the schema owner's role (``dalin db migrate``): ``DALIN_DATABASE_OWNER_URL``."""
    return os.environ.get("DALIN_DATABASE_OWNER_URL", "").strip() or None


def env_workspace() -> str | None:
    """The workspace named by ``DALIN_WORKSPACE``, if set."""
    return os.environ.get("DALIN_WORKSPACE") or None


def env_language() -> str:
    """``ko`` or ``en``: ``DALIN_LANG`` first, then the system locale, Korean by default."""
    explicit = os.environ.get("DALIN_LANG", "").lower()
    if explicit in ("ko", "en"):
        return explicit
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            return "ko" if value.lower().startswith("ko") else "en"
    return "ko"


def server_home() -> Path:
    """Where `dalin serve` keeps its state: ``DALIN_HOME``, else ~/.local/share/dalin."""
    explicit = os.environ.get("DALIN_HOME", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    return Path.home() / ".local" / "share" / "dalin"
