"""`dalin mcp`: serve one workspace to an MCP client (Claude Desktop, an IDE) over stdio.

An MCP client starts it as a subprocess, e.g. in Claude Desktop's configuration::

    {"mcpServers": {"dalin": {"command": "dalin", "args": ["mcp", "--workspace", "/path/.dalin"]}}}

stdout carries the protocol only; messages go to stderr. The tools are ``search`` and
``ask``; the resource ``dalin://documents`` lists the documents. For several users over the
network use ``dalin serve``, which serves the same tools at ``/mcp`` behind API keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dalin.cli.common import fail_on, find_workspace
from dalin.errors import DalinError


def mcp_command(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace folder (default: --workspace before the command,"
            " DALIN_WORKSPACE, or the nearest .dalin/).",
        ),
    ] = None,
) -> None:
    """Serve a workspace to an MCP client over stdio. / MCP 클라이언트에 작업공간을 제공합니다."""
    from dalin.mcp.server import FolderAccess, build_server  # the MCP SDK loads only here

    path = workspace or find_workspace()
    try:
        server = build_server(FolderAccess(path))
    except DalinError as exc:
        fail_on(exc)
    server.run("stdio")
