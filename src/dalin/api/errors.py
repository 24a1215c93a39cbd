"""The one error shape of the HTTP API: ``{"error": {"code", "message", "type"}}``.

``code`` is stable and machine-readable, ``message`` says what happened and what to do: for
a library error, its own text, then the message catalogue's category and remedy for its code
(:mod:`dalin.messages`) in Korean and then English, the same words the CLI, the web UI and
MCP show.
``type`` follows the OpenAI error shape, so the same body also serves OpenAI-compatible
clients (which read ``error.message`` and ``error.type``).
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import HTTPException

from dalin.errors import (
    Busy,
    DalinError,
    DocumentNotFound,
    EmbedderError,
    EvalError,
    LastAdminKey,
    LLMError,
    LLMModelNotFound,
    LLMSpecError,
    LLMUnavailable,
    ModelNotAllowed,
    ParseError,
    QuotaExceeded,
    ToolError,
    WorkspaceError,
    WorkspaceExists,
    WorkspaceNotFound,
)
from dalin.messages import bilingual

_TYPES = {
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    409: "conflict_error",
    413: "invalid_request_error",
    429: "rate_limit_error",
}


class ApiError(HTTPException):
    """An error answered as JSON with ``status``; raise it from any route or dependency."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status, detail=message, headers=dict(headers or {}))
        self.code = code
        self.message = message


def error_body(status: int, code: str, message: str) -> dict[str, dict[str, str]]:
    """The JSON body of an error response."""
    kind = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return {"error": {"code": code, "message": message, "type": kind}}


def error_for(exc: DalinError) -> tuple[int, str]:
    """The HTTP status and code of a library error.

    A model the request named but that cannot be used here is the caller's mistake (400);
    a configured model that fails is the upstream's (502).
    """
    if isinstance(exc, WorkspaceNotFound | DocumentNotFound):
        return 404, "not_found"
    if isinstance(exc, WorkspaceExists):
        return 409, "exists"
    if isinstance(exc, LastAdminKey):
        return 409, exc.code
    if isinstance(exc, ModelNotAllowed):
        return 403, exc.code
    if isinstance(exc, Busy):
        return 429, exc.code
    if isinstance(exc, QuotaExceeded):
        return 413, exc.code
    if isinstance(exc, LLMSpecError | LLMUnavailable | LLMModelNotFound):
        return 400, exc.code
    if isinstance(exc, LLMError | EmbedderError):
        return 502, exc.code
    if isinstance(exc, ParseError | EvalError):
        return 400, exc.code
    if isinstance(exc, WorkspaceError):
        return 400, "bad_workspace"
    return 500, "internal"


def public_message(exc: DalinError) -> str:
    """What a caller is told about ``exc``.

    A model or embedding server's failure names internal addresses and network errors; the
    caller gets its code only, and the details go to the server log (issue 15 item 12). A
    tool's refusal (a calculation or query it will not run) is about the caller's own input
    and says what to change, so it is passed on. Either way the message catalogue's category
    and remedy for the error's code follow, in Korean and then English.
    """
    status, code = error_for(exc)
    said = str(exc)
    if not isinstance(exc, ToolError) and (
        isinstance(exc, LLMError | EmbedderError) or status >= 500
    ):
        said = (
            f"the model server could not answer ({code}); the server log has the details"
            f" / 모델 서버가 답하지 못했습니다 ({code}). 자세한 내용은 서버 기록에 있습니다"
        )
    return f"{said} — {bilingual(exc.code)}"


def retry_headers(exc: DalinError) -> dict[str, str]:
    """``Retry-After`` for a refusal that passes (over a concurrency limit)."""
    return {"Retry-After": str(exc.retry_after)} if isinstance(exc, Busy) else {}
