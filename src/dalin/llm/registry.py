"""Build an LLM from a one-line spec, the form settings and the CLI use.

local                         the bundled Gemma 3 270M (offline, no configuration)
local:/path/model.gguf        any GGUF model file
openai:MODEL                  an OpenAI-compatible server (base URL: OpenAI unless given)
deepseek:MODEL                DeepSeek's API, e.g. deepseek:deepseek-reasoner
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

import httpx

from dalin.errors import LLMSpecError
from dalin.llm.base import LLM
from dalin.llm.openai import DEFAULT_BASE_URL, OpenAICompatible
from dalin.openai_http import api_key as api_key_for
from dalin.openai_http import host_of

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
    :func:`dalin.openai_http.api_key`). ``n_ctx`` and ``n_threads`` apply to local models, the rest
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
            api_key=api_key or api_key_for(url, "chat", env, dalin_key_hosts=dalin_key_hosts),
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_retries=max_retries,
            context_window=context_window,
            transport=transport,
        )
    forms = "\n  ".join(SPEC_FORMS)
    raise LLMSpecError(f"unknown model spec {spec!r}; use one of:\n  {forms}")


def endpoint_host(spec: str, base_url: str | None = None) -> str | None:
    """The host a model spec sends its requests to (None: no server, e.g. local)."""
    backend, _, rest = spec.strip().partition(":")
    if backend not in ("openai", "deepseek") or not rest.strip():
        return None
    url = base_url or (DEEPSEEK_BASE_URL if backend == "deepseek" else DEFAULT_BASE_URL)
    return host_of(url) or None
