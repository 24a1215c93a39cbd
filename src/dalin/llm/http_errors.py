"""What an OpenAI-compatible chat server's refusal means, as a specific LLMError.

:func:`dalin.openai_http.classify` reads the refusal, whichever shape the server sent; this
module words it for a chat model, with what to do about it.
"""

from __future__ import annotations

from typing import Any

from dalin.errors import (
    LLMAuthError,
    LLMContextOverflow,
    LLMError,
    LLMModelNotFound,
    LLMRateLimited,
    LLMServerError,
    LLMToolsUnsupported,
)
from dalin.openai_http import Refusal, error_object, is_context_overflow


def error_for_refusal(refusal: Refusal, *, url: str, model: str, has_key: bool) -> LLMError:
    """The LLMError for a refusal of the chat server at ``url`` (credentials hidden)."""
    said, tries = refusal.said, refusal.tries
    match refusal.kind:
        case "auth" if not has_key:
            return LLMAuthError(
                f"{url} wants an API key and none was given ({said}); set DALIN_API_KEY "
                "or the provider's variable (OPENAI_API_KEY, DEEPSEEK_API_KEY)"
            )
        case "auth":
            return LLMAuthError(
                f"the API key was refused by {url} ({said}); check that the key is right, "
                "not revoked, and meant for this provider"
            )
        case "payment":
            return LLMAuthError(
                f"{url} accepted the key but the account cannot pay ({said}); top up the "
                "balance with the provider"
            )
        case "not_found":
            return LLMModelNotFound(f"{url} does not serve the model {model!r} ({said})")
        case "context":
            return LLMContextOverflow(
                f"the prompt and the reply do not fit in {model}'s context window ({said}); "
                "use fewer or shorter passages, or a lower max_tokens"
            )
        case "tools":
            return LLMToolsUnsupported(
                f"{url} will not let {model} call tools ({said}); dalin answers without "
                "them (vLLM needs --enable-auto-tool-choice and --tool-call-parser)"
            )
        case "rate_limited":
            return LLMRateLimited(
                f"{url} is still limiting requests{tries} ({said}); wait a minute, or raise "
                "the rate limit with the provider"
            )
        case "server":
            return LLMServerError(f"{url} failed{tries} ({said}); try again later")
    return LLMError(f"{url} refused the request ({said})")


def error_in_stream(error: Any) -> LLMError:
    """The LLMError for an ``{"error": …}`` event inside a 200 stream (vLLM, OpenRouter)."""
    message, code = error_object(error)
    if is_context_overflow(message, code):
        return LLMContextOverflow(f"the server stopped: {message}")
    return LLMServerError(f"the server reported an error in the middle of the answer: {message}")
