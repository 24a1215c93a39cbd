"""The one error shape of the HTTP API: ``{"error": {"code", "message", "type"}}``.

``code`` is stable and machine-readable, ``message`` says what happened and what to do.
``type`` follows the OpenAI error shape, so the same body also serves OpenAI-compatible
clients (which read ``error.message`` and ``error.type``).
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import HTTPException

from dalin.errors import (
    DalinError,
    DocumentNotFound,
    EvalError,
    LLMError,
    LLMModelNotFound,
    LLMSpecError,
    LLMUnavailable,
    ParseError,
    WorkspaceError,
    WorkspaceExists,
    WorkspaceNotFound,
)

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
    if isinstance(exc, LLMSpecError | LLMUnavailable | LLMModelNotFound):
        return 400, exc.code
    if isinstance(exc, LLMError):
        return 502, exc.code
    if isinstance(exc, ParseError | EvalError):
        return 400, exc.code
    if isinstance(exc, WorkspaceError):
        return 400, "bad_workspace"
    return 500, "internal"
