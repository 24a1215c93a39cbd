"""Who is calling: API keys, roles, workspace scope and the per-key rate limit.

A key is ``"dln_" + secrets.token_urlsafe(32)`` (256 random bits). The server keeps only its
SHA-256 and an 8-character display prefix, so a stolen ``server.db`` yields no usable key.
Three roles:

* ``admin``  — global (``workspace`` is None): everything, workspaces and keys included;
* ``editor`` — one workspace: upload, delete and reindex documents, ask, search, eval runs;
* ``viewer`` — one workspace: read documents and passages, search, ask, conversations,
  reports.

A principal that may not see a workspace gets 404, never 403, so that a key cannot learn
which other workspaces exist (SECURITY.md rows 1, 2 and 20). Refusals are :class:`Denied`
errors, which the app records in the audit log. Failed authentication is throttled per
client address (:class:`AuthThrottle`), so keys cannot be guessed at speed.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import Request

from dalin.api.errors import ApiError
from dalin.stores.memory_limits import DEFAULT_RATE_PER_MINUTE as DEFAULT_RATE_PER_MINUTE
from dalin.stores.memory_limits import AuthThrottle as AuthThrottle
from dalin.stores.memory_limits import RateLimiter as RateLimiter

if TYPE_CHECKING:
    from dalin.api.server import Server

KEY_PREFIX = "dln_"
ROLES = ("admin", "editor", "viewer")
#: how much each role may do; a route needs at least the rank of the role it names
_RANK = {"viewer": 1, "editor": 2, "admin": 3}


@dataclass(frozen=True)
class Principal:
    """The caller behind an API key."""

    key_id: int
    role: str
    #: the one workspace the key belongs to; None for an admin key (all workspaces)
    workspace: str | None
    name: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def owner(self) -> str:
        """Who owns what this principal starts (its conversations): its key."""
        return f"key:{self.key_id}"


class Denied(ApiError):
    """A valid key asking for what it may not do (403) or see (404); audited."""


def new_key() -> str:
    """A fresh API key: 256 random bits, URL-safe."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    """What the server stores of a key: the SHA-256 hex of the whole key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def display_prefix(key: str) -> str:
    """The first 8 characters, enough to tell keys apart in a list."""
    return key[:8]


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key a request carries: ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``.

    ``headers`` is looked up with lower-case names (Starlette's headers, or a plain dict).
    """
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    api_key = headers.get("x-api-key", "").strip()
    return api_key or None


def resolve_principal(
    server: Server, headers: Mapping[str, str], address: str = "", path: str = ""
) -> Principal:
    """The caller behind the request's key, after the rate limits. Reads ``server.db`` and
    may write the audit log: call it from a worker thread.

    ``address`` is the client's (failed authentication is counted per address) and
    ``path`` the request's, without its query, for the audit log.

    Raises:
        ApiError: 401 (with ``WWW-Authenticate: Bearer``) when the key is missing, unknown
            or revoked; 429 (with ``Retry-After``) when the address failed too often or the
            key is over its rate limit.
    """
    throttled = server.auth_throttle.wait(address)
    if throttled > 0:
        raise _too_many(throttled, "too many failed sign-ins from this address")
    key = presented_key(headers)
    principal = server.principal_for(key) if key else None
    if principal is None:
        now_throttled = server.auth_throttle.failed(address)
        server.audit(
            None, "auth_failed", path, workspace="", address=address, key_given=bool(key),
            throttled=now_throttled,
        )  # fmt: skip
        raise ApiError(
            401,
            "unauthorized",
            "a valid API key is required (Authorization: Bearer KEY) / 유효한 API 키가 필요합니다",
            headers={"WWW-Authenticate": "Bearer"},
        )
    wait = server.rate_limiter.take(principal.key_id)
    if wait > 0:
        raise _too_many(wait, "too many requests for this key")
    return principal


def _too_many(wait: float, why: str) -> ApiError:
    seconds = max(1, math.ceil(wait))
    return ApiError(
        429,
        "rate_limited",
        f"{why}; retry in {seconds} s / 요청이 너무 많습니다. {seconds}초 뒤에 다시 시도하세요",
        headers={"Retry-After": str(seconds)},
    )


def authenticated(request: Request) -> Principal:
    """FastAPI dependency: the caller, or 401 (missing, unknown or revoked key), or 429.

    The app's gate has usually resolved the key already (before the body was read); then
    its principal is reused and the request is not counted twice against the rate limit.
    """
    known = getattr(request.state, "principal", None)
    if isinstance(known, Principal):
        return known
    address = request.client.host if request.client else ""
    principal = resolve_principal(
        request.app.state.server, request.headers, address, request.url.path
    )
    request.state.principal = principal
    return principal


def check_workspace(p: Principal, slug: str, role: str = "viewer") -> None:
    """Allow ``p`` to act on workspace ``slug`` with at least ``role``.

    Raises:
        ApiError: 404 when ``p`` may not see the workspace (another workspace's key: its
            existence is not revealed), 403 when it may see it but its role is too low.
    """
    if role not in _RANK:
        raise ValueError(f"unknown role {role!r}")
    if p.is_admin:
        return
    if p.workspace != slug:  # the same answer as for a workspace that does not exist
        raise Denied(404, "not_found", _not_found_text("workspace", slug))
    if _RANK.get(p.role, 0) < _RANK[role]:
        raise Denied(
            403,
            "forbidden",
            f"this key ({p.role}) may not do this; it needs the {role} role"
            f" / 이 키({p.role})로는 할 수 없습니다 ({role} 권한 필요)",
        )


def require_admin(p: Principal) -> None:
    """403 unless ``p`` is an admin key."""
    if not p.is_admin:
        raise Denied(403, "forbidden", "only an admin key may do this / 관리자 키만 할 수 있습니다")


def not_found(kind: str, ref: object) -> ApiError:
    """The 404 for anything not found or not visible: the same text either way."""
    return ApiError(404, "not_found", _not_found_text(kind, ref))


def _not_found_text(kind: str, ref: object) -> str:
    return f"no {kind} {ref!s} / {kind} {ref!s}을(를) 찾을 수 없습니다"
