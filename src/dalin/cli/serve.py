"""`dalin serve`: the REST API, the OpenAI-compatible API and the web UI on one port.

State lives in ``--root`` (default ``DALIN_HOME``, else ~/.local/share/dalin): ``server.db``
with the hashed API keys, the audit log and the workspace registry, and one dalin workspace
per ``workspaces/<slug>/``. On the first start an admin key is made and printed once to
stderr; only its hash is kept, so note it then. A lost admin key is replaced by starting
once with ``--new-admin-key`` (whoever can run the server owns it anyway).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from dalin.cli.main import _fail
from dalin.config import server_home
from dalin.errors import DalinError
from dalin.watch import BackgroundWatchers


def serve_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on; keep 127.0.0.1 unless behind TLS.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8321,
    root: Annotated[
        Path | None,
        typer.Option(help="Server folder (default: DALIN_HOME or ~/.local/share/dalin)."),
    ] = None,
    rate_limit: Annotated[
        float, typer.Option(min=0, help="Requests per minute per API key (0: no limit).")
    ] = 120.0,
    max_upload_mb: Annotated[
        float, typer.Option(min=1, help="Largest upload request, in MB.")
    ] = 200.0,
    new_admin_key: Annotated[
        bool, typer.Option("--new-admin-key", help="Make another admin key and print it once.")
    ] = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch/--no-watch",
            help="Keep each workspace in step with the folders it follows (dalin watch).",
        ),
    ] = True,
) -> None:
    """Serve the web UI and the APIs. / 웹 화면과 API를 제공합니다.

    REST under /api/v1 (docs at /docs), OpenAI-compatible under /v1, MCP at /mcp.
    """
    import uvicorn  # the server stack loads only for this command

    from dalin.api.app import create_app
    from dalin.api.server import Server

    folder = root or server_home()
    try:
        server = Server(folder, rate_per_minute=rate_limit, max_upload_mb=max_upload_mb)
        admin_key = server.ensure_admin_key()
        if new_admin_key and admin_key is None:
            admin_key = server.create_key("admin", "admin", None).key
    except DalinError as exc:
        _fail(str(exc))
    if admin_key is not None:
        typer.echo(
            "관리자 API 키 (한 번만 표시됩니다. 지금 안전한 곳에 보관하세요)\n"
            "Admin API key (shown this once only; store it now):\n"
            f"  {admin_key}",
            err=True,
        )
    if not _is_loopback(host):
        typer.echo(
            f"주의: {host}에서 암호화 없이 열립니다. TLS 리버스 프록시 뒤에 두세요."
            f" / Note: listening on {host} without TLS; put a TLS reverse proxy in front.",
            err=True,
        )
    typer.echo(f"dalin: http://{host}:{port}/ (root {server.root})", err=True)
    watchers = BackgroundWatchers(
        server.workspace_path(w.slug) for w in (server.workspaces() if watch else [])
    )
    if watchers.count:
        typer.echo(f"dalin: keeping {watchers.count} workspace(s) in step with folders", err=True)
    try:
        uvicorn.run(create_app(server), host=host, port=port, log_level="info")
    finally:
        watchers.close()
        server.close()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
