"""The app around the routes: security headers, the error shape, docs, health, and
`dalin serve` itself on a real loopback socket."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from api_support import bearer, free_port, stop, wait_until_up
from fastapi.testclient import TestClient

from dalin.api.app import CSP
from dalin.eval.report import _STYLE as REPORT_STYLE

HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


@pytest.mark.parametrize("path", ["/", "/index.html", "/app.js", "/healthz", "/api/v1/me"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    for name, value in HEADERS.items():
        assert response.headers[name] == value


def test_the_csp_is_exactly_the_documented_one() -> None:
    # the one hash is the evaluation report's <style> block (a sandboxed srcdoc iframe
    # inherits this policy), recomputed here from the report module's own text
    style = base64.b64encode(hashlib.sha256(REPORT_STYLE.encode()).digest()).decode()
    assert (
        f"default-src 'self'; script-src 'self'; style-src 'self' 'sha256-{style}';"
        " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
        " form-action 'self'"
    ) == CSP


def test_health_needs_no_key(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "ready": False}  # not started


def test_errors_share_one_json_shape(client: TestClient, admin_key: str) -> None:
    admin = bearer(admin_key)
    cases = [
        (client.get("/api/v1/no-such-route", headers=admin), 404, "not_found"),
        (client.put("/api/v1/me", headers=admin), 405, "method_not_allowed"),
        (client.post("/api/v1/workspaces", json={"slug": "Bad Slug!"}, headers=admin), 422,
         "invalid_request"),
        (client.post("/api/v1/workspaces", content=b"{not json", headers=admin), 422,
         "invalid_request"),
        (client.post("/api/v1/workspaces", json={"slug": "x", "domain": "nope"}, headers=admin),
         400, "bad_workspace"),
        (client.get("/api/v1/me", headers=bearer("dln_not-a-key")), 401, "unauthorized"),
    ]  # fmt: skip
    for response, status, code in cases:
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["code"] == code and error["message"] and error["type"]


def test_creating_a_workspace_twice_is_409(client: TestClient, admin_key: str) -> None:
    admin = bearer(admin_key)
    assert client.post("/api/v1/workspaces", json={"slug": "shop"}, headers=admin).is_success
    again = client.post("/api/v1/workspaces", json={"slug": "shop"}, headers=admin)
    assert again.status_code == 409 and again.json()["error"]["code"] == "exists"


def test_deleting_a_workspace_revokes_its_keys(client: TestClient, admin_key: str) -> None:
    admin = bearer(admin_key)
    client.post("/api/v1/workspaces", json={"slug": "shop"}, headers=admin)
    key = client.post(
        "/api/v1/workspaces/shop/keys", json={"name": "k", "role": "editor"}, headers=admin
    ).json()["key"]
    assert client.get("/api/v1/me", headers=bearer(key)).status_code == 200
    client.delete("/api/v1/workspaces/shop", headers=admin)
    client.post("/api/v1/workspaces", json={"slug": "shop"}, headers=admin)  # same name again
    assert client.get("/api/v1/workspaces/shop", headers=bearer(key)).status_code == 401


def test_docs_page_allows_only_its_own_inline_script(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp and "'sha256-" in csp
    assert "frame-ancestors 'none'" in csp
    assert "http" not in csp  # everything from our own origin: the docs work offline
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/openapi.json").json()
    assert "/api/v1/workspaces/{ws}/ask" in schema["paths"]


# --- dalin serve ----------------------------------------------------------------------------


def _serve(root: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "DALIN_HOME": str(root)}
    return subprocess.Popen(
        [sys.executable, "-m", "dalin", "serve", "--port", str(port)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_serve_prints_the_admin_key_once(tmp_path: Path) -> None:
    port = free_port()
    first = _serve(tmp_path, port)
    try:
        wait_until_up(port)
    finally:
        err = stop(first)  # stderr is read once the process has ended
    keys = re.findall(r"dln_[A-Za-z0-9_-]{43}", err)
    assert len(keys) == 1, err
    assert (tmp_path / "server.db").is_file()
    second = _serve(tmp_path, port)
    try:
        wait_until_up(port)
        me = httpx.get(f"http://127.0.0.1:{port}/api/v1/me", headers=bearer(keys[0]), timeout=5)
    finally:
        err_again = stop(second)
    assert me.json()["role"] == "admin"
    assert "dln_" not in err_again  # never printed (or logged) again
