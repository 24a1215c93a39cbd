"""What every route needs: the server, the caller, and a workspace it may use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Path, Request

from dalin.api.auth import Principal, authenticated, check_workspace, not_found
from dalin.api.server import Server
from dalin.workspace import Workspace

Caller = Annotated[Principal, Depends(authenticated)]


def get_server(request: Request) -> Server:
    """The Server the app was made for."""
    server: Server = request.app.state.server
    return server


ServerDep = Annotated[Server, Depends(get_server)]


def allow(server: Server, p: Principal, slug: str, role: str = "viewer") -> None:
    """``check_workspace``, then 404 when no such workspace is registered (admins too)."""
    check_workspace(p, slug, role)
    if server.workspace(slug) is None:
        raise not_found("workspace", slug)


def served(server: Server, p: Principal, slug: str, role: str = "viewer") -> Workspace:
    """Workspace ``slug`` after the access check (the server's own: never close it)."""
    allow(server, p, slug, role)
    return server.served(slug)


#: an id in a path: positive and small enough for SQLite's 64-bit integers
IdPath = Annotated[int, Path(ge=1, le=2**53)]


def scope_of(workspace: Workspace, refs: Sequence[str]) -> tuple[int, ...]:
    """The ids of the documents a request names by id or file name (never by server path,
    which callers are not told); 404 naming one that names no document, or several."""
    documents = workspace.documents() if refs else []
    ids: dict[int, None] = {}
    for ref in refs:
        found = [d for d in documents if str(d.id) == ref] or [
            d for d in documents if d.name == ref
        ]
        if len(found) != 1:  # several share the name: their ids tell them apart
            raise not_found("document", ref)
        ids[found[0].id] = None
    return tuple(ids)
