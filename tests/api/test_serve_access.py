"""Who may do what on `dalin serve` (issue 15 items 3, 6, 7, 9, 12 and 14): models a workspace
may use, bodies refused before they are read, conversations that belong to their owner, every
key listed and revocable, model details kept from callers, failed keys throttled."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from api_support import DOCUMENTS, bearer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dalin.api.app import create_app
from dalin.api.limits import ServeLimits
from dalin.api.server import Server
from dalin.cli.main import app as cli
from dalin.llm.registry import make_llm
from dalin.openai_http import api_key
from dalin.testing.live_server import running_app, seed_workspace
from dalin.testing.model_server import ModelServer, running_model_server


@dataclass
class Shop:
    server: Server
    client: TestClient
    model: ModelServer
    admin: str
    editor: str
    viewer: str
    other_viewer: str
    outsider: str


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """Workspace "shop" answering with a loopback model, "other" without; keys of each kind."""
    limits = ServeLimits(failed_auth_per_minute=0)
    server = Server(tmp_path_factory.mktemp("serve"), rate_per_minute=0, limits=limits)
    with (
        running_model_server(reply="직원의 연차휴가는 매년 15일입니다.") as model,
        pytest.MonkeyPatch.context() as env,
    ):
        env.setenv("DALIN_API_KEY", "sk-operators-own")
        seed_workspace(
            server,
            "shop",
            [DOCUMENTS / "취업규칙.docx"],
            answer={"llm": "openai:house", "base_url": model.base_url},
            retrieval={"embedder": "none"},
        )
        seed_workspace(server, "other", [DOCUMENTS / "고객센터_FAQ.txt"])
        admin = server.ensure_admin_key()
        assert admin is not None
        keys = {
            name: server.create_key(name, role, slug).key
            for name, role, slug in (
                ("editor", "editor", "shop"),
                ("viewer", "viewer", "shop"),
                ("other_viewer", "viewer", "shop"),
                ("outsider", "viewer", "other"),
            )
        }
        with TestClient(create_app(server)) as client:
            yield Shop(server, client, model, admin, **keys)
    server.close()


def _ask(shop: Shop, key: str, **body: object) -> dict[str, object]:
    response = shop.client.post(
        "/api/v1/workspaces/shop/ask", json={"question": "연차휴가는 며칠인가요", **body},
        headers=bearer(key),
    )  # fmt: skip
    return {"status": response.status_code, **response.json()}


# --- the models a workspace may use (item 3) ------------------------------------------------


def test_a_viewer_picks_only_among_the_allowed_models(shop: Shop) -> None:
    listed = shop.client.get("/api/v1/workspaces/shop/models", headers=bearer(shop.viewer))
    assert listed.json() == {"models": ["extractive", "openai:house"], "default": "openai:house"}
    refused = _ask(shop, shop.viewer, llm="deepseek:deepseek-reasoner")
    assert refused["status"] == 403
    assert refused["error"]["code"] == "model_not_allowed"  # type: ignore[index]
    audit = shop.server.audit_log("shop")
    assert audit[0]["action"] == "model_refused"
    assert audit[0]["detail"]["model"] == "deepseek:deepseek-reasoner"
    assert _ask(shop, shop.viewer, llm="extractive")["status"] == 200  # costs nothing


def test_only_an_admin_sets_the_models(shop: Shop) -> None:
    body = {"models": ["openai:house", "openai:bigger"]}
    for key in (shop.viewer, shop.editor):
        denied = shop.client.put("/api/v1/workspaces/shop/models", json=body, headers=bearer(key))
        assert denied.status_code == 403
    allowed = shop.client.put(
        "/api/v1/workspaces/shop/models", json=body, headers=bearer(shop.admin)
    )
    assert allowed.json()["models"] == ["extractive", "openai:bigger", "openai:house"]
    assert _ask(shop, shop.viewer, llm="openai:bigger")["status"] == 200
    bad = shop.client.put(
        "/api/v1/workspaces/shop/models",
        json={"models": ["local:/etc/passwd"]},
        headers=bearer(shop.admin),
    )
    assert bad.status_code == 422
    shop.client.put(
        "/api/v1/workspaces/shop/models", json={"models": []}, headers=bearer(shop.admin)
    )
    assert _ask(shop, shop.viewer, llm="openai:bigger")["status"] == 403  # back to the default


def test_the_operators_key_goes_only_to_the_configured_host(shop: Shop) -> None:
    before = len(shop.model.authorizations)
    assert _ask(shop, shop.viewer)["status"] == 200
    assert shop.model.authorizations[before:] == ["Bearer sk-operators-own"]
    ws = shop.server.served("shop")
    elsewhere = ws.model("deepseek:deepseek-chat", base_url="https://api.deepseek.com")
    assert not elsewhere.llm._endpoint.has_key  # type: ignore[attr-defined]  # DALIN_API_KEY stays home


def test_dalin_api_key_binding() -> None:
    env = {"DALIN_API_KEY": "sk-dalin", "DEEPSEEK_API_KEY": "sk-deepseek"}
    anywhere = api_key("https://api.deepseek.com", "chat", env)
    bound = api_key("https://api.deepseek.com", "chat", env, dalin_key_hosts={"10.0.0.5"})
    home = api_key("http://10.0.0.5:8000/v1", "chat", env, dalin_key_hosts={"10.0.0.5"})
    assert (anywhere, bound, home) == ("sk-dalin", "sk-deepseek", "sk-dalin")
    stray = make_llm(
        "openai:x", base_url="https://evil.example/v1", env=env, dalin_key_hosts=frozenset()
    )
    assert not stray._endpoint.has_key  # type: ignore[attr-defined]


# --- conversations belong to their owner (item 7) -------------------------------------------


def test_a_conversation_is_its_owners(shop: Shop) -> None:
    mine = _ask(shop, shop.viewer, conversation_id="mine-1")
    assert mine["status"] == 200
    other = bearer(shop.other_viewer)
    listed = shop.client.get("/api/v1/workspaces/shop/conversations", headers=other).json()
    assert "mine-1" not in [c["id"] for c in listed]
    read = shop.client.get("/api/v1/workspaces/shop/conversations/mine-1", headers=other)
    assert read.status_code == 404
    appended = _ask(shop, shop.other_viewer, conversation_id="mine-1", question="더 알려줘")
    assert appended["status"] == 404
    own = shop.client.get("/api/v1/workspaces/shop/conversations", headers=bearer(shop.viewer))
    assert "mine-1" in [c["id"] for c in own.json()]
    turns = shop.client.get(
        "/api/v1/workspaces/shop/conversations/mine-1", headers=bearer(shop.viewer)
    ).json()["turns"]
    assert len(turns) == 1  # the other key's attempt added nothing


def test_an_admin_reads_others_conversations_only_through_an_audited_route(shop: Shop) -> None:
    _ask(shop, shop.viewer, conversation_id="review-me")
    admin = bearer(shop.admin)
    own = shop.client.get("/api/v1/workspaces/shop/conversations", headers=admin).json()
    assert "review-me" not in [c["id"] for c in own]
    everyone = shop.client.get("/api/v1/workspaces/shop/all-conversations", headers=admin)
    found = next(c for c in everyone.json() if c["id"] == "review-me")
    assert found["owner"].startswith("key:")
    turns = shop.client.get("/api/v1/workspaces/shop/all-conversations/review-me", headers=admin)
    assert turns.status_code == 200
    actions = [(e["action"], e["target"]) for e in shop.server.audit_log("shop", limit=5)]
    assert ("conversation_review", "shop/conversations/review-me") in actions
    assert ("conversation_review", "shop") in actions


# --- every key listed and revocable (item 9) ------------------------------------------------


def test_every_key_is_listed_and_the_last_admin_key_is_kept(tmp_path: Path) -> None:
    server = Server(tmp_path / "serve", rate_per_minute=0)
    first = server.ensure_admin_key()
    assert first is not None
    server.create_workspace("shop")
    server.create_key("v", "viewer", "shop")
    with TestClient(create_app(server)) as client:
        admin = bearer(first)
        listed = client.get("/api/v1/keys", headers=admin).json()
        assert [(k["role"], k["workspace"]) for k in listed] == [
            ("admin", None),
            ("viewer", "shop"),
        ]
        last = client.delete(f"/api/v1/keys/{listed[0]['id']}", headers=admin)
        assert last.status_code == 409 and last.json()["error"]["code"] == "last_admin_key"
        second = server.create_key("backup", "admin", None)
        gone = client.delete(f"/api/v1/keys/{second.info.id}", headers=admin)
        assert gone.status_code == 200 and gone.json()["revoked_at"]
        forced = client.delete(f"/api/v1/keys/{listed[0]['id']}?force=true", headers=admin)
        assert forced.status_code == 200
        assert client.get("/api/v1/keys", headers=admin).status_code == 401  # it was this key
    server.close()


def test_keys_are_listed_and_revoked_from_the_command_line(tmp_path: Path) -> None:
    root = tmp_path / "serve"
    server = Server(root)
    server.ensure_admin_key()
    extra = server.create_key("ops", "admin", None)
    server.close()
    runner = CliRunner()
    listed = runner.invoke(cli, ["keys", "list", "--root", str(root)])
    assert listed.exit_code == 0 and "ops" in listed.output and "admin" in listed.output
    revoked = runner.invoke(cli, ["keys", "revoke", str(extra.info.id), "--root", str(root)])
    assert revoked.exit_code == 0, revoked.output
    last = runner.invoke(cli, ["keys", "revoke", "1", "--root", str(root)])
    assert last.exit_code != 0 and "last admin key" in last.output
    server = Server(root)
    assert [k.revoked_at is not None for k in server.all_keys()] == [False, True]
    server.close()


# --- model details stay in the server log (item 12) -----------------------------------------


def test_an_unreachable_model_is_reported_without_its_address(tmp_path: Path) -> None:
    server = Server(tmp_path / "serve", rate_per_minute=0)
    seed_workspace(
        server,
        "shop",
        [DOCUMENTS / "취업규칙.docx"],
        answer={"llm": "openai:gone", "base_url": "http://127.0.0.1:9/v1", "timeout_seconds": 5},
        retrieval={"embedder": "none"},
    )
    key = server.create_key("v", "viewer", "shop").key
    with TestClient(create_app(server)) as client:
        rest = client.post(
            "/api/v1/workspaces/shop/ask", json={"question": "연차휴가는?"}, headers=bearer(key)
        ).json()
        chat = client.post(
            "/v1/chat/completions",
            json={"model": "shop", "messages": [{"role": "user", "content": "연차휴가는?"}]},
            headers=bearer(key),
        ).json()
    server.close()
    assert rest["method"] == "extractive-fallback" and "llm_unreachable" in rest["notice"]
    content = chat["choices"][0]["message"]["content"]
    for said in (rest["notice"], rest["text"], content):
        assert "127.0.0.1" not in said and ":9" not in said


# --- failed keys throttled and audited (item 14) --------------------------------------------


def test_failed_keys_are_throttled_per_address_and_audited(tmp_path: Path) -> None:
    server = Server(tmp_path / "serve", limits=ServeLimits(failed_auth_per_minute=5))
    good = server.ensure_admin_key()
    assert good is not None
    with TestClient(create_app(server)) as client:
        statuses = [
            client.get("/api/v1/me", headers=bearer(f"dln_wrong{i}")).status_code for i in range(8)
        ]
        throttled = client.get("/api/v1/me", headers=bearer("dln_wrong-again"))
        also_good_key = client.get("/api/v1/me", headers=bearer(good))
    failures = [e for e in server.audit_log(limit=50) if e["action"] == "auth_failed"]
    server.close()
    assert statuses == [401] * 5 + [429] * 3
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) >= 1
    assert also_good_key.status_code == 429  # the address, not the key, is throttled
    assert len(failures) == 5 and failures[0]["detail"]["throttled"] is True
    assert all("wrong" not in str(e) for e in failures)  # no key text in the log


def test_denied_requests_are_audited(shop: Shop) -> None:
    response = shop.client.get("/api/v1/workspaces/other/documents", headers=bearer(shop.viewer))
    assert response.status_code == 404
    entry = shop.server.audit_log("other", limit=1)[0]
    assert entry["action"] == "denied" and entry["detail"]["status"] == 404
    assert entry["key_name"] == "viewer"


# --- authorised before the body (item 6) ----------------------------------------------------


@pytest.mark.timed
def test_a_key_that_may_not_upload_is_refused_before_the_body(shop: Shop) -> None:
    big = 190 * 2**20  # announced, never sent
    with running_app(create_app(shop.server)) as url:
        port = int(url.rsplit(":", 1)[1])
        for key, expected in ((shop.outsider, b" 404 "), (shop.viewer, b" 403 ")):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                conn.sendall(
                    b"POST /api/v1/workspaces/shop/documents HTTP/1.1\r\nHost: x\r\n"
                    + f"Authorization: Bearer {key}\r\n".encode()
                    + b"Content-Type: multipart/form-data; boundary=b\r\n"
                    + f"Content-Length: {big}\r\n\r\n".encode()
                    + b"--b\r\n"
                )
                started = time.monotonic()
                head = conn.recv(200)
                assert expected in head.split(b"\r\n")[0], head
                assert time.monotonic() - started < 5
