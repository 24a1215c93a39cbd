"""The access matrix (SECURITY.md row 2): every REST route, called by every kind of caller,
answers exactly the expected status. Plus cross-workspace canaries (row 1)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from api_support import CANARY, QUESTIONS, Deployment, bearer

from dalin.api.app import create_app

CALLERS = ("admin", "editor", "viewer", "other", "revoked", "anonymous")


@dataclass(frozen=True)
class Call:
    path: str
    kwargs: dict[str, Any]
    #: the keys of the target workspace (default: alpha's)
    keys: dict[str, str] | None = None


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    #: "viewer", "editor", "admin" (of the workspace in the path), "global-admin", "any"
    needs: str
    ok: int
    build: Callable[[Deployment], Call]


def _fresh_document(d: Deployment) -> Call:
    with d.server.open_workspace("alpha") as ws:
        folder = d.server.files_dir("alpha")
        path = folder / f"{d.unique('throwaway')}.txt"
        path.write_text("지울 문서입니다. 내용은 중요하지 않습니다.\n", encoding="utf-8")
        ws.add([path])
        doc = ws.store.get_document(str(path.resolve()))
    assert doc is not None
    return Call(f"/api/v1/workspaces/alpha/documents/{doc.id}", {})


def _fresh_key(d: Deployment) -> Call:
    made = d.server.create_key(d.unique("throwaway"), "viewer", "alpha")
    return Call(f"/api/v1/workspaces/alpha/keys/{made.info.id}", {})


def _fresh_global_key(d: Deployment) -> Call:
    made = d.server.create_key(d.unique("throwaway"), "viewer", "alpha")
    return Call(f"/api/v1/keys/{made.info.id}", {})


def _fresh_workspace(d: Deployment) -> Call:
    slug = d.unique("gone")
    d.server.create_workspace(slug)
    keys = {
        "admin": d.keys["admin"],
        "editor": d.server.create_key("e", "editor", slug).key,
        "viewer": d.server.create_key("v", "viewer", slug).key,
        "other": d.keys["other"],
    }
    revoked = d.server.create_key("r", "editor", slug)
    d.server.revoke_key(revoked.info.id, slug)
    keys["revoked"] = revoked.key
    return Call(f"/api/v1/workspaces/{slug}", {}, keys)


def _simple(path: str, **kwargs: Any) -> Callable[[Deployment], Call]:
    return lambda d: Call(
        path.format(doc=d.doc_id, run=d.run_id, cid=d.conversation, s=d.span[0], e=d.span[1]),
        kwargs,
    )


def _upload(d: Deployment) -> Call:
    name = d.unique("upload") + ".txt"
    files = [("files", (name, "업로드 시험 문서입니다.\n".encode()))]
    return Call("/api/v1/workspaces/alpha/documents", {"files": files})


WS = "/api/v1/workspaces/alpha"
ROUTES = (
    Route("GET", "/api/v1/me", "any", 200, _simple("/api/v1/me")),
    Route("GET", "/api/v1/workspaces", "any", 200, _simple("/api/v1/workspaces")),
    Route(
        "POST",
        "/api/v1/workspaces",
        "global-admin",
        201,
        lambda d: Call("/api/v1/workspaces", {"json": {"slug": d.unique("new")}}),
    ),
    Route("GET", "/api/v1/audit", "global-admin", 200, _simple("/api/v1/audit")),
    Route("GET", "/api/v1/workspaces/{ws}", "viewer", 200, _simple(WS)),
    Route("DELETE", "/api/v1/workspaces/{ws}", "admin", 200, _fresh_workspace),
    Route("GET", "/api/v1/workspaces/{ws}/keys", "admin", 200, _simple(WS + "/keys")),
    Route(
        "POST",
        "/api/v1/workspaces/{ws}/keys",
        "admin",
        201,
        _simple(WS + "/keys", json={"name": "made", "role": "viewer"}),
    ),
    Route("DELETE", "/api/v1/workspaces/{ws}/keys/{key_id}", "admin", 200, _fresh_key),
    Route("GET", "/api/v1/workspaces/{ws}/documents", "viewer", 200, _simple(WS + "/documents")),
    Route("POST", "/api/v1/workspaces/{ws}/documents", "editor", 200, _upload),
    Route(
        "GET",
        "/api/v1/workspaces/{ws}/documents/{doc_id}",
        "viewer",
        200,
        _simple(WS + "/documents/{doc}"),
    ),
    Route("DELETE", "/api/v1/workspaces/{ws}/documents/{doc_id}", "editor", 200, _fresh_document),
    Route(
        "POST",
        "/api/v1/workspaces/{ws}/documents/{doc_id}/reindex",
        "editor",
        200,
        _simple(WS + "/documents/{doc}/reindex"),
    ),
    Route(
        "GET",
        "/api/v1/workspaces/{ws}/documents/{doc_id}/passage",
        "viewer",
        200,
        _simple(WS + "/documents/{doc}/passage?start={s}&end={e}"),
    ),
    Route(
        "GET",
        "/api/v1/workspaces/{ws}/documents/{doc_id}/content",
        "viewer",
        200,
        _simple(WS + "/documents/{doc}/content"),
    ),
    Route(
        "GET", "/api/v1/workspaces/{ws}/search", "viewer", 200, _simple(WS + "/search?q=연차휴가")
    ),
    Route(
        "POST",
        "/api/v1/workspaces/{ws}/ask",
        "viewer",
        200,
        _simple(WS + "/ask", json={"question": "수습 기간은 얼마인가요"}),
    ),
    Route(
        "GET",
        "/api/v1/workspaces/{ws}/conversations",
        "viewer",
        200,
        _simple(WS + "/conversations"),
    ),
    Route(
        "GET",
        "/api/v1/workspaces/{ws}/conversations/{cid}",
        "owner",  # the fixture's conversation was started by the admin key
        200,
        _simple(WS + "/conversations/{cid}"),
    ),
    Route(
        "GET",
        "/api/v1/workspaces/{ws}/conversations/{cid}/export",
        "owner",
        200,
        _simple(WS + "/conversations/{cid}/export?turn=1"),
    ),
    Route(
        "GET",
        "/api/v1/workspaces/{ws}/all-conversations/{cid}/export",
        "admin",
        200,
        _simple(WS + "/all-conversations/{cid}/export"),
    ),
    Route(
        "GET",
        "/api/v1/workspaces/{ws}/all-conversations",
        "admin",
        200,
        _simple(WS + "/all-conversations"),
    ),
    Route(
        "GET",
        "/api/v1/workspaces/{ws}/all-conversations/{cid}",
        "admin",
        200,
        _simple(WS + "/all-conversations/{cid}"),
    ),
    Route("GET", "/api/v1/keys", "global-admin", 200, _simple("/api/v1/keys")),
    Route("DELETE", "/api/v1/keys/{key_id}", "global-admin", 200, _fresh_global_key),
    Route("GET", "/api/v1/workspaces/{ws}/models", "viewer", 200, _simple(WS + "/models")),
    Route(
        "PUT",
        "/api/v1/workspaces/{ws}/models",
        "admin",
        200,
        _simple(WS + "/models", json={"models": []}),
    ),
    Route("GET", "/api/v1/workspaces/{ws}/vectors", "viewer", 200, _simple(WS + "/vectors")),
    Route("GET", "/api/v1/workspaces/{ws}/jobs", "viewer", 200, _simple(WS + "/jobs")),
    Route(
        "GET", "/api/v1/workspaces/{ws}/jobs/{job_id}", "viewer", 200, _simple(WS + "/jobs/{run}")
    ),
    Route(
        "POST",
        "/api/v1/workspaces/{ws}/jobs/{job_id}/cancel",
        "editor",
        200,
        _simple(WS + "/jobs/{run}/cancel"),
    ),
    Route(
        "POST",
        "/api/v1/workspaces/{ws}/eval/runs/{run_id}/cancel",
        "editor",
        200,
        _simple(WS + "/eval/runs/{run}/cancel"),
    ),
    Route(
        "POST",
        "/api/v1/workspaces/{ws}/eval/runs",
        "editor",
        202,
        _simple(
            WS + "/eval/runs",
            files={"questions": ("q.jsonl", QUESTIONS)},
            data={"models": "extractive"},
        ),
    ),
    Route("GET", "/api/v1/workspaces/{ws}/eval/runs", "viewer", 200, _simple(WS + "/eval/runs")),
    Route(
        "GET",
        "/api/v1/workspaces/{ws}/eval/runs/{run_id}",
        "viewer",
        200,
        _simple(WS + "/eval/runs/{run}"),
    ),
    Route(
        "GET",
        "/api/v1/workspaces/{ws}/eval/runs/{run_id}/report.html",
        "viewer",
        200,
        _simple(WS + "/eval/runs/{run}/report.html"),
    ),
)


def expected(route: Route, caller: str) -> int:
    if caller in ("revoked", "anonymous"):
        return 401
    if route.needs == "any":
        return route.ok
    if route.needs == "global-admin":
        return route.ok if caller == "admin" else 403
    if caller == "admin":
        return route.ok
    if caller == "other":
        return 404  # another workspace's key never learns that alpha exists
    if route.needs == "owner":
        return 404  # a conversation is its owner's: others cannot tell it exists
    allowed = {"viewer": ("viewer", "editor"), "editor": ("editor",), "admin": ()}[route.needs]
    return route.ok if caller in allowed else 403


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.template}")
def test_access_matrix(deployment: Deployment, route: Route, caller: str) -> None:
    call = route.build(deployment)
    keys = call.keys or deployment.keys
    headers = {} if caller == "anonymous" else bearer(keys[caller])
    response = deployment.client.request(route.method, call.path, headers=headers, **call.kwargs)
    assert response.status_code == expected(route, caller), response.text
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] and error["message"]
    if response.status_code == 401:
        assert response.headers["www-authenticate"] == "Bearer"


def test_the_matrix_covers_every_rest_route(deployment: Deployment) -> None:
    paths = create_app(deployment.server).openapi()["paths"]
    served = {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/v1/")
        for method in operations
    }
    assert served == {(r.method, r.template) for r in ROUTES}


def test_x_api_key_header_is_accepted(deployment: Deployment) -> None:
    response = deployment.client.get("/api/v1/me", headers={"X-API-Key": deployment.keys["viewer"]})
    assert response.json()["role"] == "viewer"
    assert response.json()["workspace"] == "alpha"


def test_workspace_list_shows_only_the_keys_workspace(deployment: Deployment) -> None:
    listed = deployment.client.get("/api/v1/workspaces", headers=bearer(deployment.keys["viewer"]))
    assert [w["slug"] for w in listed.json()] == ["alpha"]
    everything = deployment.client.get("/api/v1/workspaces", headers=deployment.admin())
    assert {"alpha", "beta"} <= {w["slug"] for w in everything.json()}


def test_unknown_workspace_looks_the_same_as_a_hidden_one(deployment: Deployment) -> None:
    headers = bearer(deployment.keys["viewer"])
    hidden = deployment.client.get("/api/v1/workspaces/beta/documents", headers=headers)
    missing = deployment.client.get("/api/v1/workspaces/nowhere/documents", headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["code"] == missing.json()["error"]["code"]


def test_ids_are_looked_up_inside_the_workspace_of_the_path(deployment: Deployment) -> None:
    beta_editor = bearer(deployment.keys["other"])
    with deployment.server.open_workspace("beta") as ws:
        beta_ids = {d.id for d in ws.documents()}
    foreign = max(beta_ids) + 1000
    response = deployment.client.get(
        f"/api/v1/workspaces/beta/documents/{foreign}", headers=beta_editor
    )
    assert response.status_code == 404
    run = deployment.client.get(
        f"/api/v1/workspaces/beta/eval/runs/{deployment.run_id}", headers=beta_editor
    )
    assert run.status_code == 404  # alpha's run, asked for through beta
    conversation = deployment.client.get(
        f"/api/v1/workspaces/beta/conversations/{deployment.conversation}", headers=beta_editor
    )
    assert conversation.status_code == 404
    key = deployment.server.keys("alpha")[0]
    revoke = deployment.client.delete(
        f"/api/v1/workspaces/beta/keys/{key.id}", headers=deployment.admin()
    )
    assert revoke.status_code == 404  # alpha's key cannot be revoked through beta


def test_beta_canary_never_reaches_alpha(deployment: Deployment) -> None:
    headers = bearer(deployment.keys["editor"])
    client = deployment.client
    alpha = "/api/v1/workspaces/alpha"
    bodies = [
        client.get(f"{alpha}/search", params={"q": CANARY}, headers=headers).text,
        client.get(f"{alpha}/search", params={"q": "연차휴가 규정 비밀유지"}, headers=headers).text,
        client.post(
            f"{alpha}/ask", json={"question": "비밀유지 베타전용 연차휴가 규정은?"}, headers=headers
        ).text,
        client.get(f"{alpha}/documents", headers=headers).text,
        client.get(f"{alpha}/conversations", headers=headers).text,
    ]
    for doc_id in range(1, 6):
        passage = f"{alpha}/documents/{doc_id}/passage?start=0&end=5000"
        bodies.append(client.get(passage, headers=headers).text)
    assert not [body for body in bodies if "canary-7f3a9c" in body]
    found = client.get(
        "/api/v1/workspaces/beta/search",
        params={"q": "canary-7f3a9c 비밀유지"},
        headers=bearer(deployment.keys["other"]),
    )
    assert "canary-7f3a9c" in found.text  # the canary is there to be found, in beta
