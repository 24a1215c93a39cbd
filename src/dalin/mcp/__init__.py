"""dalin as an MCP server: tools ``search`` and ``ask`` and a ``documents`` resource.

Two transports serve the same tools:

* stdio, over one workspace folder: ``dalin mcp --workspace PATH`` (:mod:`dalin.mcp.server`);
* streamable HTTP at ``/mcp`` of ``dalin serve``, over the workspace of the caller's API key
  (:mod:`dalin.mcp.http`).
"""

from dalin.mcp.server import FolderAccess, WorkspaceAccess, build_server

__all__ = ["FolderAccess", "WorkspaceAccess", "build_server"]
