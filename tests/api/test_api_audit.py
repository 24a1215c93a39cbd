"""The audit log: an entry per sign-in, upload, deletion, question, key and workspace change
and evaluation run, and never the text of a document, a question or an answer."""

from __future__ import annotations

import sqlite3

import pytest
from api_support import QUESTIONS, bearer, upload, wait_for_run
from fastapi.testclient import TestClient

from dalin.api.server import DB_NAME, Server

SECRET_DOC = "기밀문서-본문-4d2e 연차휴가는 매년 열닷새를 준다."
SECRET_QUESTION = "연차휴가는 며칠인가요"


def _raw_audit(server: Server) -> str:
    """Every byte of the audit table, read straight from the database file."""
    with sqlite3.connect(server.root / DB_NAME) as db:
        rows = db.execute("SELECT * FROM audit_log").fetchall()
    return "\n".join(repr(r) for r in rows)


def test_actions_are_audited_without_any_text(
    server: Server, client: TestClient, admin_key: str
) -> None:
    admin = bearer(admin_key)
    assert client.get("/api/v1/me?sign_in=1", headers=admin).status_code == 200
    client.post("/api/v1/workspaces", json={"slug": "shop"}, headers=admin)
    made = client.post(
        "/api/v1/workspaces/shop/keys", json={"name": "front desk", "role": "editor"}, headers=admin
    ).json()
    editor = bearer(made["key"])
    [result] = upload(client, made["key"], "shop", ("secret.txt", SECRET_DOC.encode()))
    asked = client.post(
        "/api/v1/workspaces/shop/ask", json={"question": SECRET_QUESTION}, headers=editor
    ).json()
    assert "열닷새" in asked["text"]  # the answer quotes the document...
    doc = result["doc_id"]
    reindexed = client.post(f"/api/v1/workspaces/shop/documents/{doc}/reindex", headers=editor)
    assert reindexed.status_code == 200
    started = client.post(
        "/api/v1/workspaces/shop/eval/runs",
        files={"questions": ("set.jsonl", QUESTIONS)},
        data={"models": "extractive"},
        headers=editor,
    ).json()
    wait_for_run(client, made["key"], "shop", started["run_id"])
    assert client.delete(f"/api/v1/workspaces/shop/documents/{doc}", headers=editor).is_success
    assert client.delete(f"/api/v1/workspaces/shop/keys/{made['id']}", headers=admin).is_success
    assert client.delete("/api/v1/workspaces/shop", headers=admin).is_success

    entries = client.get("/api/v1/audit", headers=admin).json()
    actions = [e["action"] for e in reversed(entries)]
    assert actions == [
        "sign_in",
        "workspace_create",
        "key_create",
        "upload",
        "ask",
        "reindex",
        "eval_run",
        "delete",
        "key_revoke",
        "workspace_delete",
    ]
    ask = next(e for e in entries if e["action"] == "ask")
    assert ask["workspace"] == "shop"
    assert ask["key_name"] == "front desk"
    assert ask["detail"]["question_chars"] == len(SECRET_QUESTION)
    assert ask["detail"]["conversation_id"] == asked["conversation_id"]
    raw = _raw_audit(server)  # ...but the log holds none of it
    for text in ("기밀문서", "4d2e", "열닷새", "연차휴가", SECRET_QUESTION, asked["text"][:10]):
        assert text not in raw
    assert made["key"] not in raw

    # filtered and paged by the server: one action, then the entries before a cursor
    keys = client.get("/api/v1/audit", params={"action": "key_create"}, headers=admin).json()
    assert [e["action"] for e in keys] == ["key_create"]
    newest, *rest = entries
    older = client.get("/api/v1/audit", params={"before": newest["id"]}, headers=admin).json()
    assert [e["id"] for e in older] == [e["id"] for e in rest]
    bad = client.get("/api/v1/audit", params={"action": "x' OR 1=1"}, headers=admin)
    assert bad.status_code == 422


def test_audit_refuses_text_fields(server: Server) -> None:
    with pytest.raises(ValueError, match="no text"):
        server.audit(None, "ask", "shop", question="연차휴가는 며칠인가요")
    with pytest.raises(ValueError, match="unknown audit action"):
        server.audit(None, "read_everything", "shop")


def test_audit_can_be_filtered_by_workspace(client: TestClient, admin_key: str) -> None:
    admin = bearer(admin_key)
    for slug in ("one", "two"):
        assert client.post("/api/v1/workspaces", json={"slug": slug}, headers=admin).is_success
    only = client.get("/api/v1/audit", params={"workspace": "two"}, headers=admin).json()
    assert [(e["action"], e["target"]) for e in only] == [("workspace_create", "two")]


def test_keys_are_stored_hashed_and_listed_without_secrets(
    server: Server, client: TestClient, admin_key: str
) -> None:
    admin = bearer(admin_key)
    client.post("/api/v1/workspaces", json={"slug": "shop"}, headers=admin)
    made = client.post(
        "/api/v1/workspaces/shop/keys", json={"name": "k", "role": "viewer"}, headers=admin
    ).json()
    assert made["key"].startswith("dln_") and len(made["key"]) >= 4 + 43  # 256 bits
    assert made["prefix"] == made["key"][:8]
    listed = client.get("/api/v1/workspaces/shop/keys", headers=admin)
    assert made["key"] not in listed.text
    assert listed.json()[0]["prefix"] == made["prefix"]
    stored = b"".join(p.read_bytes() for p in server.root.glob(DB_NAME + "*"))  # with the WAL
    assert made["key"].encode() not in stored and admin_key.encode() not in stored


def test_first_admin_key_is_made_once(server: Server) -> None:
    first = server.ensure_admin_key()
    assert first is not None and server.principal_for(first) is not None
    assert server.ensure_admin_key() is None
