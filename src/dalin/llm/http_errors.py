"""What an OpenAI-compatible server's refusal means, as a specific LLMError.

Servers word their errors differently: OpenAI and DeepSeek send
``{"error": {"message", "type", "code"}}``, Ollama ``{"error": "text"}``, FastAPI-based
servers (llama.cpp's Python server) ``{"detail": …}``, vLLM ``{"message": …}`` or the
OpenAI shape. We read the message and code from any of them and classify by status first,
then by wording, since a context overflow is a plain 400 everywhere.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Mapping
from typing import Any

import httpx

from dalin.errors import (
    LLMAuthError,
    LLMContextOverflow,
    LLMError,
    LLMModelNotFound,
    LLMRateLimited,
    LLMServerError,
    LLMToolsUnsupported,
)

_CONTEXT_WORDING = re.compile(
    r"context[_ ]length|context window|maximum context|too many tokens|prompt is too long"
    r"|exceeds? (?:the )?(?:model'?s? )?(?:context|max(?:imum)? (?:sequence|model) length)",
    re.IGNORECASE,
)
#: Ollama: "… does not support tools"; vLLM: '"auto" tool choice requires
#: --enable-auto-tool-choice and --tool-call-parser to be set'
_TOOLS_REFUSED = re.compile(
    r"does not support tools|tools? (?:are |is )?not supported|tool[_ ]choice"
    r"|tool-call-parser|enable-auto-tool-choice|function calling is not",
    re.IGNORECASE,
)
_MODEL_MISSING = re.compile(
    r"model.*(?:not (?:be )?found|does not exist|not exist|unknown|no such)"
    r"|(?:unknown|invalid) model|model_not_found",
    re.IGNORECASE,
)


def error_for_response(
    response: httpx.Response, *, base_url: str, model: str, has_key: bool, attempts: int
) -> LLMError:
    """The LLMError for a non-200 response whose body has been read."""
    status = response.status_code
    message, code = message_and_code(response.content)
    said = f"HTTP {status}: {message}" if message else f"HTTP {status}"
    tries = f" after {attempts} tries" if attempts > 1 else ""
    if status in (401, 403):
        if not has_key:
            return LLMAuthError(
                f"{base_url} wants an API key and none was given ({said}); set DALIN_API_KEY "
                "or the provider's variable (OPENAI_API_KEY, DEEPSEEK_API_KEY)"
            )
        return LLMAuthError(
            f"the API key was refused by {base_url} ({said}); check that the key is right, "
            "not revoked, and meant for this provider"
        )
    if status == 402 or code == "insufficient_quota":  # OpenAI sends the latter with a 429
        return LLMAuthError(
            f"{base_url} accepted the key but the account cannot pay ({said}); top up the "
            "balance with the provider"
        )
    missing = LLMModelNotFound(f"{base_url} does not serve the model {model!r} ({said})")
    if code == "model_not_found" or status == 404:
        return missing
    # before the model wording: "This model's maximum context length is …" names the model
    if code == "context_length_exceeded" or _CONTEXT_WORDING.search(message):
        return LLMContextOverflow(
            f"the prompt and the reply do not fit in {model}'s context window ({said}); "
            "use fewer or shorter passages, or a lower max_tokens"
        )
    if status in (400, 422, 501) and _TOOLS_REFUSED.search(message):
        return LLMToolsUnsupported(
            f"{base_url} will not let {model} call tools ({said}); dalin answers without "
            "them (vLLM needs --enable-auto-tool-choice and --tool-call-parser)"
        )
    if status < 500 and _MODEL_MISSING.search(message):
        return missing
    if status == 429:
        return LLMRateLimited(
            f"{base_url} is still limiting requests{tries} ({said}); wait a minute, or raise "
            "the rate limit with the provider"
        )
    if status >= 500:
        return LLMServerError(f"{base_url} failed{tries} ({said}); try again later")
    return LLMError(f"{base_url} refused the request ({said})")


def error_in_stream(error: Any) -> LLMError:
    """The LLMError for an ``{"error": …}`` event inside a 200 stream (vLLM, OpenRouter)."""
    message, code = _from_error_object(error)
    if code == "context_length_exceeded" or _CONTEXT_WORDING.search(message):
        return LLMContextOverflow(f"the server stopped: {message}")
    return LLMServerError(f"the server reported an error in the middle of the answer: {message}")


def retry_after_seconds(headers: httpx.Headers) -> float | None:
    """Seconds the server asked us to wait (``Retry-After``: seconds or an HTTP date)."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def message_and_code(body: bytes) -> tuple[str, str]:
    """The error message and code of a refusal body, in whichever shape the server sent."""
    try:
        data = json.loads(body)
    except ValueError:
        return body.decode("utf-8", errors="replace").strip()[:300], ""
    if isinstance(data, Mapping):
        for key in ("error", "detail", "message"):
            if data.get(key):
                return _from_error_object(data[key])
    return str(data)[:300], ""


def _from_error_object(error: Any) -> tuple[str, str]:
    if isinstance(error, Mapping):
        message = error.get("message") or error.get("msg") or json.dumps(error)[:300]
        return str(message), str(error.get("code") or error.get("type") or "")
    if isinstance(error, list) and error:  # FastAPI validation errors: a list of objects
        return _from_error_object(error[0])
    return str(error)[:300], ""
