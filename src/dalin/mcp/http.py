"""MCP over streamable HTTP at ``/mcp`` of `dalin serve`, behind the REST API's keys.

Which workspace a connection serves:

* an editor or viewer key serves its own workspace (naming another one answers 404);
* an admin key serves no workspace by itself and must name one, either in the URL,
  ``/mcp?workspace=SLUG``, or in the header ``X-Dalin-Workspace: SLUG``.

The key goes in ``Authorization: Bearer KEY`` (or ``X-API-Key``), on every request; a
missing or revoked key gets 401 and an overused one 429, as on the REST API (the app's
gate checks it before the body is read). Every ``ask`` is audited (question length only)
and runs on the server's question threads under the same per-key and per-workspace limits
as REST and ``/v1`` questions; its answer is logged under the caller's key. The transport is
stateless with JSON responses: each POST stands alone, so there is no session to hijack or
expire and the key is checked on every message.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from anyio import to_thread
from fastapi import APIRouter, FastAPI
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers, QueryParams
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from dalin.api.auth import Principal, check_workspace, not_found, resolve_principal
from dalin.api.errors import ApiError, error_body
from dalin.api.server import Server
from dalin.errors import WorkspaceNotFound
from dalin.mcp.server import build_server
from dalin.workspace import Workspace

MCP_PATH = "/mcp"
WORKSPACE_PARAM = "workspace"
WORKSPACE_HEADER = "X-Dalin-Workspace"
#: where the endpoint leaves the caller's grant in the request scope's state
_GRANT = "mcp_grant"
T = TypeVar("T")


@dataclass(frozen=True)
class Grant:
    """What one HTTP request may use: the caller and the workspace it is served."""

    principal: Principal
    slug: str


class KeyAccess:
    """The workspace granted to the HTTP request of a call (see :class:`McpEndpoint`)."""

    def __init__(self, server: Server) -> None:
        self.server = server

    def workspace(self, request: object | None) -> Workspace:
        return self.server.served(_grant_of(request).slug)

    async def question(
        self, request: object | None, question: str, work: Callable[[Workspace, str], T]
    ) -> T:
        grant = _grant_of(request)

        def audited() -> T:
            self.server.audit(
                grant.principal, "ask", grant.slug, question_chars=len(question), surface="mcp"
            )
            return work(self.server.served(grant.slug), grant.principal.owner)

        return await self.server.lanes.ask(grant.principal, grant.slug, audited)


def _grant_of(request: object | None) -> Grant:
    grant = getattr(getattr(request, "state", None), _GRANT, None)
    if not isinstance(grant, Grant):  # only a request that passed McpEndpoint reaches a tool
        raise WorkspaceNotFound("this request was granted no workspace")
    return grant


def served_workspace(server: Server, principal: Principal, named: str | None) -> str:
    """The workspace a request is served: the key's own, or the one an admin key names.

    Raises:
        ApiError: 400 when an admin key names none; 404 when the key may not see the one named
            (or it does not exist) — the same answer either way.
    """
    if principal.workspace is None and not named:
        raise ApiError(
            400,
            "workspace_required",
            f"an admin key must name the workspace: {MCP_PATH}?{WORKSPACE_PARAM}=SLUG or the"
            f" header {WORKSPACE_HEADER}: SLUG / 관리자 키는 작업공간을 지정해야 합니다",
        )
    slug = named or principal.workspace or ""
    check_workspace(principal, slug, "viewer")
    if server.workspace(slug) is None:
        raise not_found("workspace", slug)
    return slug


class McpEndpoint:
    """The ASGI endpoint at /mcp: checks the key, grants the workspace, hands over to MCP."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.mcp = build_server(KeyAccess(server))
        #: the MCP transport while the app runs (one per run of the app's lifespan)
        self.manager: StreamableHTTPSessionManager | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the MCP transport for one lifespan of the app (a manager runs only once)."""
        # Browsers cannot send our key cross-site without CORS, which we do not grant, so
        # the SDK's Host/Origin check (meant for unauthenticated local servers) is not
        # needed; it would also refuse every host name `dalin serve` may be reached by.
        self.mcp.streamable_http_app(
            stateless_http=True,
            json_response=True,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        manager = self.mcp.session_manager
        async with manager.run():
            self.manager = manager
            try:
                yield
            finally:
                self.manager = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        named = QueryParams(scope.get("query_string", b"")).get(WORKSPACE_PARAM) or headers.get(
            WORKSPACE_HEADER
        )
        manager = self.manager
        known = scope.get("state", {}).get("principal")
        client = scope.get("client") or ("", 0)
        try:
            principal = (
                known
                if isinstance(known, Principal)
                else await to_thread.run_sync(
                    resolve_principal, self.server, headers, str(client[0]), MCP_PATH
                )
            )
            slug = await to_thread.run_sync(
                served_workspace, self.server, principal, (named or "").strip() or None
            )
            if manager is None:
                raise ApiError(503, "mcp_not_running", "the MCP service has not started")
        except ApiError as exc:
            body = error_body(exc.status_code, exc.code, exc.message)
            response = JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})[_GRANT] = Grant(principal, slug)
        await manager.handle_request(scope, receive, send)


def mcp_router(server: Server) -> APIRouter:
    """A router serving MCP at /mcp; including it also runs the MCP service with the app."""
    endpoint = McpEndpoint(server)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        async with endpoint.running():
            yield {}

    router = APIRouter(lifespan=lifespan)
    router.routes.append(Route(MCP_PATH, endpoint=endpoint, include_in_schema=False))
    return router
