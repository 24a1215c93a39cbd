"""MCP over streamable HTTP at /mcp of the real server, behind the API keys.

The MCP SDK's own client talks to `create_app` served by uvicorn on a loopback port.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import anyio
import httpx
import httpx2
import pytest
from fastapi.testclient import TestClient
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult, TextResourceContents

from dalin.api.app import create_app
from dalin.api.server import Server
from dalin.testing.live_server import running_app, seed_workspace

T = TypeVar("T")
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "0"},
    },
}


@dataclass(frozen=True)
class Live:
    url: str
    server: Server
    keys: dict[str, str]

    def session(
        self,
        key: str,
        script: Callable[[Client], Awaitable[T]],
        *,
        query: str = "",
        headers: dict[str, str] | None = None,
    ) -> T:
        """Run ``script`` in an MCP client session with ``key`` (and extra headers)."""

        async def run() -> T:
            all_headers = {"Authorization": f"Bearer {key}", **(headers or {})}
            async with (
                httpx2.AsyncClient(headers=all_headers, timeout=120) as http,
                Client(streamable_http_client(f"{self.url}/mcp{query}", http_client=http)) as c,
            ):
                return await script(c)

        return anyio.run(run)

    def post(self, key: str | None, *, query: str = "", **headers: str) -> httpx.Response:
        """A bare MCP initialize POST, to see what the HTTP layer answers."""
        if key:
            headers["Authorization"] = f"Bearer {key}"
        headers["Accept"] = "application/json, text/event-stream"
        return httpx.post(f"{self.url}/mcp{query}", json=INITIALIZE, headers=headers, timeout=60)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, documents: Path) -> Iterator[Live]:
    server = Server(tmp_path_factory.mktemp("serve"), rate_per_minute=0)
    seed_workspace(server, "shop", [documents / "leave.md", documents / "shipping.md"])
    seed_workspace(server, "other", [documents / "secret.md", documents / "secret.csv"])
    admin = server.ensure_admin_key()
    assert admin is not None
    revoked = server.create_key("gone", "editor", "shop")
    server.revoke_key(revoked.info.id, "shop")
    keys = {
        "admin": admin,
        "viewer": server.create_key("viewer", "viewer", "shop").key,
        "editor": server.create_key("editor", "editor", "shop").key,
        "other": server.create_key("other", "viewer", "other").key,
        "revoked": revoked.key,
    }
    with running_app(create_app(server)) as url:
        yield Live(url, server, keys)
    server.close()


def _text(result: CallToolResult) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


async def _ask(client: Client, question: str) -> CallToolResult:
    return await client.call_tool("ask", {"question": question})


def test_a_workspace_key_gets_its_workspaces_tools(live: Live) -> None:
    async def script(client: Client) -> tuple[list[str], CallToolResult, str]:
        tools = sorted(t.name for t in (await client.list_tools()).tools)
        answer = await _ask(client, "병가는 며칠까지 쓸 수 있나요?")
        read = await client.read_resource("dalin://documents")
        content = read.contents[0]
        assert isinstance(content, TextResourceContents)
        return tools, answer, content.text

    tools, answer, documents = live.session(live.keys["viewer"], script)
    assert tools == ["ask", "calculator", "search", "table_query"]
    assert not answer.is_error
    assert "10일" in _text(answer) and "출처:\n[1] leave.md" in _text(answer)
    assert sorted(d["name"] for d in json.loads(documents)) == ["leave.md", "shipping.md"]


def test_search_over_http(live: Live) -> None:
    async def script(client: Client) -> CallToolResult:
        return await client.call_tool("search", {"query": "Express delivery", "k": 3})

    result = live.session(live.keys["editor"], script)
    assert result.structured_content is not None
    hits = result.structured_content["hits"]
    assert hits and hits[0]["document"] == "shipping.md"


def test_an_admin_key_names_the_workspace_in_the_url_or_a_header(live: Live, canary: str) -> None:
    async def vault(client: Client) -> str:
        return _text(await _ask(client, "What is the vault code?"))

    assert canary in live.session(live.keys["admin"], vault, query="?workspace=other")
    via_header = live.session(live.keys["admin"], vault, headers={"X-Dalin-Workspace": "other"})
    assert canary in via_header
    assert canary not in live.session(live.keys["admin"], vault, query="?workspace=shop")


def test_an_admin_key_naming_no_workspace_is_told_how(live: Live) -> None:
    response = live.post(live.keys["admin"])
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "workspace_required"
    assert "/mcp?workspace=" in error["message"] and "X-Dalin-Workspace" in error["message"]


@pytest.mark.parametrize("key", [None, "dln_not-a-key", "revoked"])
def test_without_a_usable_key_401(live: Live, key: str | None) -> None:
    response = live.post(live.keys.get(key or "", key))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("named", ["other", "nope"])
def test_a_workspace_key_naming_another_workspace_gets_404(live: Live, named: str) -> None:
    by_query = live.post(live.keys["viewer"], query=f"?workspace={named}")
    by_header = live.post(live.keys["viewer"], **{"X-Dalin-Workspace": named})
    assert by_query.status_code == by_header.status_code == 404
    # the same answer whether or not the workspace exists
    assert by_query.json()["error"]["code"] == "not_found"


def test_another_workspaces_documents_never_reach_a_key(live: Live, canary: str) -> None:
    async def script(client: Client) -> list[str]:
        answer = await _ask(client, "What is the vault code?")
        found = await client.call_tool("search", {"query": f"vault code {canary}", "k": 10})
        read = await client.read_resource("dalin://documents")
        content = read.contents[0]
        assert isinstance(content, TextResourceContents)
        return [
            json.dumps(answer.model_dump(), ensure_ascii=False),
            json.dumps(found.model_dump(), ensure_ascii=False),
            content.text,
        ]

    for seen in live.session(live.keys["viewer"], script):
        assert canary not in seen
        assert "secret.md" not in seen


def test_table_query_reaches_only_the_keys_workspace(live: Live, canary: str) -> None:
    """The other workspace's table (its canary) is out of reach of table_query (SECURITY 5)."""
    database = live.server.workspace_path("other") / "dalin.db"
    queries = [
        "SELECT * FROM tables",
        "SELECT * FROM t1",
        f"ATTACH DATABASE '{database}' AS other",
        f"SELECT * FROM '{database}'.doc_table_rows",
    ]

    listed, *refused = live.session(live.keys["viewer"], lambda c: _calls(c, queries))
    assert listed.structured_content is not None and listed.structured_content["rows"] == []
    assert all(r.is_error for r in refused)
    for result in (listed, *refused):
        assert canary not in json.dumps(result.model_dump(), ensure_ascii=False)
    # the other workspace's own key does read it: the canary is there to be found
    (own,) = live.session(live.keys["other"], lambda c: _calls(c, ["SELECT code FROM t1"]))
    assert own.structured_content is not None
    assert own.structured_content["rows"] == [[canary]]


async def _calls(client: Client, queries: list[str]) -> list[CallToolResult]:
    return [await client.call_tool("table_query", {"sql": sql}) for sql in queries]


def test_asking_is_audited_without_the_question(live: Live) -> None:
    question = "Returns within how many days?"

    async def script(client: Client) -> CallToolResult:
        return await _ask(client, question)

    live.session(live.keys["viewer"], script)
    entry = live.server.audit_log("shop", limit=1)[0]
    detail: dict[str, Any] = entry["detail"]  # type: ignore[assignment]
    assert entry["action"] == "ask"
    assert detail == {"question_chars": len(question), "surface": "mcp"}
    assert question not in json.dumps(entry)


def test_mcp_runs_with_each_run_of_the_app(tmp_path: Path) -> None:
    server = Server(tmp_path / "serve", rate_per_minute=0)
    server.create_workspace("shop")
    key = server.create_key("viewer", "viewer", "shop").key
    app = create_app(server)
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json, text/event-stream"}
    try:
        for _ in range(2):  # a transport runs once, so each lifespan gets a fresh one
            with TestClient(app) as client:
                response = client.post("/mcp", json=INITIALIZE, headers=headers)
                assert response.status_code == 200
                assert response.json()["result"]["serverInfo"]["name"] == "dalin"
        # without the app's lifespan (no `with`) there is no transport: 503, not a crash
        response = TestClient(app).post("/mcp", json=INITIALIZE, headers=headers)
        assert response.status_code == 503
    finally:
        server.close()
