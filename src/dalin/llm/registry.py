"""Build an LLM from a one-line spec, the form settings and the CLI use.

local                         the bundled Gemma 3 270M (offline, no configuration)
local:/path/model.gguf        any GGUF model file
openai:MODEL                  an OpenAI-compatible server (base URL: OpenAI unless given)
deepseek:MODEL                DeepSeek's API, e.g. deepseek:deepseek-reasoner
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from dalin.errors import LLMSpecError
from dalin.llm.base import LLM
from dalin.llm.openai import DEFAULT_BASE_URL, OpenAICompatible

DEEPSEEK_BASE_URL = "https://api.deepseek.com"
SPEC_FORMS = (
    "local",
    "local:/path/to/model.gguf",
    "openai:MODEL (with base_url for vLLM, Ollama, llama.cpp)",
    "deepseek:deepseek-chat",
    "deepseek:deepseek-reasoner",
)


def make_llm(
    spec: str,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    connect_timeout: float = 10.0,
    read_timeout: float = 120.0,
    max_retries: int = 3,
    context_window: int | None = None,
    n_ctx: int = 2048,
    n_threads: int | None = None,
    env: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    dalin_key_hosts: Collection[str] | None = None,
) -> LLM:
    """The LLM that ``spec`` names; see the module docstring for the forms.

    ``env`` (default: the process environment) supplies the API key when ``api_key`` is
    None; ``dalin_key_hosts`` limits where ``DALIN_API_KEY`` may go (see
    :func:`api_key_from_env`). ``n_ctx`` and ``n_threads`` apply to local models, the rest
    to servers.
    """
    backend, _, rest = spec.strip().partition(":")
    if backend == "local":
        from dalin.llm.local import LocalGGUF  # llama_cpp loads only when a local model is used

        return LocalGGUF(Path(rest) if rest else None, n_ctx=n_ctx, n_threads=n_threads)
    if backend in ("openai", "deepseek") and rest.strip():
        default_url = DEEPSEEK_BASE_URL if backend == "deepseek" else DEFAULT_BASE_URL
        url = base_url or default_url
        return OpenAICompatible(
            rest.strip(),
            base_url=url,
            api_key=api_key
            or api_key_from_env(url, os.environ if env is None else env, dalin_key_hosts),
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_retries=max_retries,
            context_window=context_window,
            transport=transport,
        )
    forms = "\n  ".join(SPEC_FORMS)
    raise LLMSpecError(f"unknown model spec {spec!r}; use one of:\n  {forms}")


def api_key_from_env(
    base_url: str, env: Mapping[str, str], dalin_key_hosts: Collection[str] | None = None
) -> str | None:
    """``DALIN_API_KEY``, else the provider's own variable for the provider's own host.

    OPENAI_API_KEY and DEEPSEEK_API_KEY go only to their provider's host, so a key is
    never sent to a third-party or self-hosted server that merely speaks the same API.
    DALIN_API_KEY goes to any host, unless ``dalin_key_hosts`` names the ones it is for
    (``dalin serve``: the configured model's, so a model a caller names cannot take it
    elsewhere).
    """
    host = (urlsplit(base_url).hostname or "").lower()
    names = ["DALIN_API_KEY"] if dalin_key_hosts is None or host in dalin_key_hosts else []
    if host == "api.deepseek.com":
        names.append("DEEPSEEK_API_KEY")
    elif host == "api.openai.com":
        names.append("OPENAI_API_KEY")
    for name in names:
        if env.get(name):
            return env[name]
    return None


def endpoint_host(spec: str, base_url: str | None = None) -> str | None:
    """The host a model spec sends its requests to (None: no server, e.g. local)."""
    backend, _, rest = spec.strip().partition(":")
    if backend not in ("openai", "deepseek") or not rest.strip():
        return None
    url = base_url or (DEEPSEEK_BASE_URL if backend == "deepseek" else DEFAULT_BASE_URL)
    return (urlsplit(url).hostname or "").lower() or None
