"""The ASGI application of `dalin serve`: routers, security headers, limits, errors, web UI.

Layers, outermost first:

1. :class:`SecurityHeaders` — CSP, ``nosniff`` and ``no-referrer`` on every response (a
   response that sets its own CSP, like an evaluation report, keeps it);
2. :class:`AuthGate` — every ``/api/v1/``, ``/v1/`` and ``/mcp`` request needs a key
   (``/healthz`` and the web UI do not), and a request naming a workspace needs a key that
   may use it with the route's role: 401, 404, 403 or 429 are answered *before* any body is
   read, so no caller can make the server buffer a body it may not send (issue 15 item 6).
   Keys are checked on a worker thread: the event loop never waits for ``server.db``;
3. :class:`BodyLimit` — 413 for a body over the limit (uploads: ``Server.max_upload_bytes``,
   anything else 1 MB), from ``Content-Length`` before reading, or while streaming;
4. FastAPI with the JSON error handlers of :mod:`dalin.api.errors`.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from swagger_ui_bundle import swagger_ui_path

import dalin
from dalin.api import openai_compat, routes_admin, routes_ask, routes_documents, routes_eval
from dalin.api.auth import Denied, Principal, check_workspace, require_admin, resolve_principal
from dalin.api.errors import ApiError, error_body, error_for, public_message, retry_headers
from dalin.api.schemas import Health
from dalin.api.server import Server
from dalin.errors import DalinError
from dalin.eval.report import STYLE_HASH as REPORT_STYLE_HASH
from dalin.mcp.http import mcp_router

log = logging.getLogger("dalin.api")

STATIC_DIR = Path(dalin.__file__).resolve().parent / "web" / "static"
#: the evaluation report is shown in a sandboxed srcdoc iframe, which inherits this policy:
#: its <style> block is admitted by hash, nothing else inline
CSP = (
    f"default-src 'self'; script-src 'self'; style-src 'self' {REPORT_STYLE_HASH};"
    " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
    " form-action 'self'"
)
JSON_BODY_LIMIT = 2**20
#: routes whose body is a multipart upload (limit: ``Server.max_upload_bytes``)
_UPLOAD_PATH = re.compile(r"^/api/v1/workspaces/[^/]+/(documents|eval/runs)/?$")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def create_app(server: Server) -> FastAPI:
    """The whole HTTP surface over ``server``: REST under /api/v1, web UI at /."""
    app = FastAPI(
        title="dalin",
        version=dalin.__version__,
        summary="Cited answers from your own documents / 내 문서에서 출처와 함께 답하기",
        docs_url=None,  # served below with a CSP that admits exactly its inline script
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.server = server
    _install_error_handlers(app)

    @app.get("/healthz", tags=["health"], summary="Liveness and readiness (no key needed)")
    async def healthz() -> Health:  # on the loop: no busy thread pool can hold it
        return Health(status="ok", ready=server.ready.is_set())

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return _docs_page(app)

    for module in (routes_admin, routes_documents, routes_ask, routes_eval):
        app.include_router(module.router, prefix="/api/v1")

    # --- other surfaces: helper "openai-mcp" adds its router and the /mcp mount here ---------
    app.include_router(openai_compat.router)
    app.include_router(mcp_router(server))  # MCP at /mcp; see dalin.mcp.http
    # -----------------------------------------------------------------------------------------

    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-assets")
    # last: the web UI answers every path no route claimed
    app.mount("/", StaticFiles(directory=STATIC_DIR, html=True, check_dir=False), name="web")
    app.add_middleware(BodyLimit, server=server)
    app.add_middleware(AuthGate, server=server)
    app.add_middleware(SecurityHeaders)
    return app


# --- errors --------------------------------------------------------------------------------


def _install_error_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if isinstance(exc, ApiError):
            code, message = exc.code, exc.message
        else:
            code, message = _http_code(exc.status_code), str(exc.detail)
        return JSONResponse(
            error_body(exc.status_code, code, message),
            status_code=exc.status_code,
            headers=exc.headers,
        )

    async def invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in exc.errors()[:5]
        )
        return JSONResponse(
            error_body(422, "invalid_request", f"invalid request: {problems}"), status_code=422
        )

    async def dalin_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DalinError)
        status, code = error_for(exc)
        if status >= 500:
            log.warning("%s %s: %s: %s", request.method, request.url.path, code, exc)
        return JSONResponse(
            error_body(status, code, public_message(exc)),
            status_code=status,
            headers=retry_headers(exc),
        )

    async def denied(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Denied)
        principal = getattr(request.state, "principal", None)
        if isinstance(principal, Principal):
            server: Server = request.app.state.server
            await to_thread.run_sync(_audit_denial, server, principal, request.url.path, exc)
        return await api_error(request, exc)

    app.add_exception_handler(Denied, denied)
    app.add_exception_handler(StarletteHTTPException, api_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(DalinError, dalin_error)


def _http_code(status: int) -> str:
    return {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        413: "too_large",
        422: "invalid_request",
        429: "rate_limited",
    }.get(status, "http_error")


async def _send_error(send: Send, error: ApiError) -> None:
    body = JSONResponse(
        error_body(error.status_code, error.code, error.message),
        status_code=error.status_code,
        headers=error.headers,
    )
    await send(
        {"type": "http.response.start", "status": body.status_code, "headers": body.raw_headers}
    )
    await send({"type": "http.response.body", "body": body.body})


# --- middleware ----------------------------------------------------------------------------


class SecurityHeaders:
    """CSP, nosniff and no-referrer on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in (
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ):
                    if name not in names:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class AuthGate:
    """401/404/403/429 for requests the key may not make, before the body is read."""

    def __init__(self, app: ASGIApp, server: Server) -> None:
        self.app = app
        self.server = server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not path.startswith(_GATED):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        client = scope.get("client") or ("", 0)
        try:
            principal = await to_thread.run_sync(
                _authorise, self.server, headers, str(client[0]), str(scope["method"]), path
            )
        except ApiError as error:
            await _send_error(send, error)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


#: the paths that need a key
_GATED = ("/api/v1/", "/v1/", "/mcp")
_WORKSPACE_PATH = re.compile(r"^/api/v1/workspaces/(?P<ws>[^/]+)(?P<rest>/.*)?$")
#: (method or None for any, path after the workspace, the role it needs)
_ROLES: tuple[tuple[str | None, re.Pattern[str], str], ...] = (
    ("POST", re.compile(r"^/documents/?$"), "editor"),
    ("DELETE", re.compile(r"^/documents/[^/]+$"), "editor"),
    ("POST", re.compile(r"^/documents/[^/]+/reindex$"), "editor"),
    ("POST", re.compile(r"^/eval/runs/?$"), "editor"),
    ("POST", re.compile(r"^/(eval/runs|jobs)/[^/]+/cancel$"), "editor"),
    (None, re.compile(r"^/keys(/.*)?$"), "admin"),
    ("PUT", re.compile(r"^/models$"), "admin"),
    (None, re.compile(r"^/all-conversations(/.*)?$"), "admin"),
    ("DELETE", re.compile(r"^/?$"), "admin"),
)
_ADMIN_ONLY = re.compile(r"^/api/v1/(audit|keys)(/.*)?$")


def _authorise(
    server: Server, headers: dict[str, str], address: str, method: str, path: str
) -> Principal:
    """The caller, allowed to make this request as far as its path tells (a worker thread)."""
    principal = resolve_principal(server, headers, address, path)
    try:
        creating = method == "POST" and path.rstrip("/") == "/api/v1/workspaces"
        if _ADMIN_ONLY.match(path) or creating:
            require_admin(principal)
        found = _WORKSPACE_PATH.match(path)
        if found:
            rest = found["rest"] or ""
            role = next(
                (r for m, p, r in _ROLES if (m is None or m == method) and p.match(rest)), "viewer"
            )
            check_workspace(principal, found["ws"], role)
            if server.workspace(found["ws"]) is None:
                raise ApiError(404, "not_found", f"no workspace {found['ws']}")
    except Denied as denial:
        _audit_denial(server, principal, path, denial)
        raise
    return principal


def _audit_denial(server: Server, principal: Principal, path: str, denial: Denied) -> None:
    found = _WORKSPACE_PATH.match(path)
    server.audit(
        principal, "denied", path, workspace=found["ws"] if found else "",
        status=denial.status_code,
    )  # fmt: skip


class BodyTooLarge(Exception):
    """Raised from ``receive`` when a body passes its limit."""


class BodyLimit:
    """413 for bodies over the limit; the body is never buffered past it."""

    def __init__(self, app: ASGIApp, server: Server) -> None:
        self.app = app
        self.server = server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = _UPLOAD_PATH.match(str(scope.get("path", ""))) is not None
        limit = self.server.max_upload_bytes if upload else JSON_BODY_LIMIT
        too_large = ApiError(
            413,
            "too_large",
            f"the request body is larger than {limit // 2**20} MB"
            f" / 요청 본문이 {limit // 2**20}MB보다 큽니다",
        )
        length = _content_length(scope)
        if length is not None and length > limit:
            await _send_error(send, too_large)
            return
        state = {"seen": 0, "exceeded": False, "started": False}

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["seen"] += len(message.get("body", b""))
                if state["seen"] > limit:
                    state["exceeded"] = True
                    raise BodyTooLarge
            return message

        async def guarded(message: Message) -> None:
            if state["exceeded"]:  # the app turned our exception into an error of its own
                if message["type"] == "http.response.start" and not state["started"]:
                    state["started"] = True
                    await _send_error(send, too_large)
                return
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except BodyTooLarge:
            if not state["started"]:
                state["started"] = True
                await _send_error(send, too_large)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


# --- API docs ------------------------------------------------------------------------------


#: Swagger UI's files, shipped by the swagger-ui-bundle package: the docs work offline.
DOCS_ASSETS = "/docs-assets"


def _docs_page(app: FastAPI) -> HTMLResponse:
    """Swagger UI from our own origin; its one inline script is allowed by hash, so the page
    needs no 'unsafe-inline' and no outside host."""
    page = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title="dalin API",
        swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
    )
    html = bytes(page.body).decode("utf-8")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    )
    csp = (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self';"
        " img-src 'self' data:; connect-src 'self';"
        " frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": csp})
