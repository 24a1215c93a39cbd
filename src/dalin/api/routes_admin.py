"""Who am I, workspaces, API keys, the models a workspace may use, and the audit log."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, status

from dalin.api.auth import check_workspace, not_found, require_admin
from dalin.api.deps import Caller, IdPath, ServerDep, allow, served
from dalin.api.errors import ApiError
from dalin.api.schemas import (
    LLM_PATTERN,
    AuditEntry,
    KeyCreated,
    KeyIn,
    KeyOut,
    Me,
    ModelsIn,
    ModelsOut,
    WorkspaceDetail,
    WorkspaceIn,
    WorkspaceOut,
)

router = APIRouter(tags=["admin"])


@router.get("/me", summary="The caller: role, workspace and key name")
def me(
    server: ServerDep,
    caller: Caller,
    sign_in: Annotated[bool, Query(description="Record a sign-in in the audit log")] = False,
) -> Me:
    if sign_in:
        server.audit(caller, "sign_in", caller.workspace or "")
    return Me.of(caller)


@router.get("/workspaces", summary="The workspaces this key may see")
def list_workspaces(server: ServerDep, caller: Caller) -> list[WorkspaceOut]:
    return [
        WorkspaceOut.of(w)
        for w in server.workspaces()
        if caller.is_admin or w.slug == caller.workspace
    ]


@router.post(
    "/workspaces", status_code=status.HTTP_201_CREATED, summary="Create a workspace (admin)"
)
def create_workspace(server: ServerDep, caller: Caller, body: WorkspaceIn) -> WorkspaceOut:
    require_admin(caller)
    record = server.create_workspace(body.slug, body.name, body.domain)
    server.audit(caller, "workspace_create", record.slug, domain=record.domain)
    return WorkspaceOut.of(record)


@router.get("/workspaces/{ws}", summary="A workspace: documents, chunks, default model")
def get_workspace(server: ServerDep, caller: Caller, ws: str) -> WorkspaceDetail:
    workspace = served(server, caller, ws)
    record = server.workspace(ws)
    if record is None:  # deleted since the check
        raise not_found("workspace", ws)
    documents = workspace.documents()
    _, chunks = workspace.embedding_status()
    model = workspace.settings.llm
    return WorkspaceDetail(
        **WorkspaceOut.of(record).model_dump(),
        documents=len(documents),
        failed=sum(1 for d in documents if d.status != "indexed"),
        chunks=chunks,
        model=model,
    )


@router.delete("/workspaces/{ws}", summary="Delete a workspace, its files and keys (admin)")
def delete_workspace(server: ServerDep, caller: Caller, ws: str) -> WorkspaceOut:
    check_workspace(caller, ws, "admin")
    record = server.workspace(ws)
    if record is None or not server.delete_workspace(ws):
        raise not_found("workspace", ws)
    server.audit(caller, "workspace_delete", ws)
    return WorkspaceOut.of(record)


@router.get("/workspaces/{ws}/keys", summary="The keys of a workspace, without secrets (admin)")
def list_keys(server: ServerDep, caller: Caller, ws: str) -> list[KeyOut]:
    allow(server, caller, ws, "admin")
    return [KeyOut.of(k) for k in server.keys(ws)]


@router.post(
    "/workspaces/{ws}/keys",
    status_code=status.HTTP_201_CREATED,
    summary="Create a key for a workspace; its secret is shown in this response only (admin)",
)
def create_key(server: ServerDep, caller: Caller, ws: str, body: KeyIn) -> KeyCreated:
    allow(server, caller, ws, "admin")
    created = server.create_key(body.name, body.role, ws)
    info = created.info
    server.audit(caller, "key_create", f"{ws}/keys/{info.id}", role=info.role, name=info.name)
    return KeyCreated(
        id=info.id,
        key=created.key,
        prefix=info.prefix,
        role=info.role,
        name=info.name,
        workspace=info.workspace,
    )


@router.delete("/workspaces/{ws}/keys/{key_id}", summary="Revoke a key of a workspace (admin)")
def revoke_key(server: ServerDep, caller: Caller, ws: str, key_id: IdPath) -> KeyOut:
    allow(server, caller, ws, "admin")
    revoked = server.revoke_key(key_id, ws)
    if revoked is None:
        raise not_found("key", key_id)
    server.audit(caller, "key_revoke", f"{ws}/keys/{key_id}")
    return KeyOut.of(revoked)


@router.get("/keys", summary="Every key of the server, admin keys included (admin)")
def list_all_keys(server: ServerDep, caller: Caller) -> list[KeyOut]:
    require_admin(caller)
    return [KeyOut.of(k) for k in server.all_keys()]


@router.delete(
    "/keys/{key_id}",
    summary="Revoke any key, admin keys included (admin); the last admin key only with force",
)
def revoke_any_key(
    server: ServerDep,
    caller: Caller,
    key_id: IdPath,
    force: Annotated[bool, Query(description="Revoke even the last admin key")] = False,
) -> KeyOut:
    require_admin(caller)
    revoked = server.revoke_any(key_id, allow_last_admin=force)
    if revoked is None:
        raise not_found("key", key_id)
    where = revoked.workspace or ""
    server.audit(caller, "key_revoke", f"{where}/keys/{key_id}", workspace=where, force=force)
    return KeyOut.of(revoked)


@router.get("/workspaces/{ws}/models", summary="The models this workspace's callers may pick")
def get_models(server: ServerDep, caller: Caller, ws: str) -> ModelsOut:
    workspace = served(server, caller, ws)
    return ModelsOut(models=server.allowed_models(ws), default=workspace.settings.llm)


@router.put(
    "/workspaces/{ws}/models",
    summary="Set the models this workspace's callers may pick (admin); [] restores the default",
)
def set_models(server: ServerDep, caller: Caller, ws: str, body: ModelsIn) -> ModelsOut:
    allow(server, caller, ws, "admin")
    specs = list(dict.fromkeys(m.strip() for m in body.models if m.strip()))
    bad = [m for m in specs if not re.fullmatch(LLM_PATTERN, m)]
    if bad:
        raise ApiError(
            422,
            "invalid_request",
            f"not a model spec: {', '.join(bad)[:200]}; use extractive, local, openai:MODEL"
            " or deepseek:MODEL",
        )
    allowed = server.set_allowed_models(ws, specs)
    server.audit(caller, "models_set", ws, models=",".join(allowed))
    return ModelsOut(models=allowed, default=server.served(ws).settings.llm)


@router.get("/audit", summary="The audit log, newest first (admin)")
def audit_log(
    server: ServerDep,
    caller: Caller,
    workspace: Annotated[str | None, Query(max_length=63)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    action: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$")] = None,
    before: Annotated[int | None, Query(ge=1, description="Entries older than this id")] = None,
) -> list[AuditEntry]:
    require_admin(caller)
    entries = server.audit_log(workspace, limit, action=action, before=before)
    return [AuditEntry.model_validate(e) for e in entries]
