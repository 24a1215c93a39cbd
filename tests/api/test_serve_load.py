"""One slow model, a locked server.db or many uploads must not take the server from anyone
else (issue 15 items 2, 8 and 11). Real uvicorn on loopback, a deliberately slow loopback
model server, bounded in count and time."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import threading
import time
from collections.abc import Awaitable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import httpx2
import pytest
from api_support import DOCUMENTS, bearer, wait_for_run
from fastapi.testclient import TestClient
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult

from dalin.api.app import create_app
from dalin.api.limits import ServeLimits
from dalin.api.server import DB_NAME, Server
from dalin.testing.live_server import configure, running_app, running_serve, seed_workspace
from dalin.testing.model_server import ModelServer, running_model_server
from dalin.testing.parser_contract import minimal_pdf

pytestmark = [pytest.mark.slow, pytest.mark.timed]

#: how long the slow model takes to answer
SLOW_SECONDS = 6.0
#: concurrent questions to the slow workspace: more than the 40 threads FastAPI shares
SLOW_ASKS = 44


@dataclass
class Live:
    url: str
    model: ModelServer
    #: viewers of "slow" (11 of them: 4 questions each), and a viewer of "quick"
    slow_viewers: list[str]
    quick_viewer: str


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """`dalin serve` in its own process over two workspaces, "slow" answering with a model
    that takes SLOW_SECONDS, "quick" without a model."""
    root = tmp_path_factory.mktemp("serve")
    server = Server(root)
    rules = [DOCUMENTS / "취업규칙.docx"]
    with running_model_server(delay=SLOW_SECONDS, reply="연차휴가는 15일입니다.") as model:
        seed_workspace(
            server,
            "slow",
            rules,
            answer={"llm": "openai:slow", "base_url": model.base_url, "timeout_seconds": 60},
            retrieval={"embedder": "none"},
        )
        seed_workspace(server, "quick", rules, retrieval={"embedder": "none"})
        slow = [server.create_key(f"v{i}", "viewer", "slow").key for i in range(11)]
        quick = server.create_key("q", "viewer", "quick").key
        server.close()
        with running_serve(root, "--rate-limit", "0") as url:
            yield Live(url, model, slow, quick)


async def _ask_async(
    client: httpx.AsyncClient, slug: str, key: str, question: str = "연차휴가는 며칠인가요"
) -> httpx.Response:
    return await client.post(
        f"/api/v1/workspaces/{slug}/ask", json={"question": question}, headers=bearer(key)
    )


def _ask(url: str, slug: str, key: str, question: str = "연차휴가는 며칠인가요") -> httpx.Response:
    return httpx.post(
        f"{url}/api/v1/workspaces/{slug}/ask",
        json={"question": question},
        headers=bearer(key),
        timeout=60,
    )


async def _timed(call: Awaitable[httpx.Response]) -> tuple[float, httpx.Response]:
    started = time.monotonic()
    response = await call
    return time.monotonic() - started, response


async def _everyone_else(
    client: httpx.AsyncClient, live: Live
) -> dict[str, tuple[float, httpx.Response]]:
    """How long health, the web UI and the other workspace's documents and answers take."""
    quick = bearer(live.quick_viewer)
    return {
        "health": await _timed(client.get("/healthz")),
        "web": await _timed(client.get("/")),
        "documents": await _timed(client.get("/api/v1/workspaces/quick/documents", headers=quick)),
        "ask": await _timed(_ask_async(client, "quick", live.quick_viewer)),
    }


def test_a_slow_model_stalls_neither_other_workspaces_nor_health_nor_the_web_ui(
    live: Live,
) -> None:
    keys = [k for k in live.slow_viewers for _ in range(4)][:SLOW_ASKS]

    async def scenario() -> tuple[dict[str, tuple[float, httpx.Response]], list[httpx.Response]]:
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(base_url=live.url, timeout=60, limits=limits) as client:
            slow = [asyncio.ensure_future(_ask_async(client, "slow", k)) for k in keys]
            await asyncio.sleep(1.5)  # the slow questions hold whatever threads they can get
            timings = await _everyone_else(client, live)
            return timings, list(await asyncio.gather(*slow))

    timings, results = asyncio.run(scenario())
    for name, (seconds, response) in timings.items():
        assert response.status_code == 200, (name, response.text)
        assert seconds < 3.0, f"{name} took {seconds:.1f} s behind a slow model"
    statuses = sorted({r.status_code for r in results})
    assert statuses == [200, 429]  # a workspace's limit: the rest are told to come back
    refused = [r for r in results if r.status_code == 429]
    assert all(int(r.headers["retry-after"]) >= 1 for r in refused)
    assert sum(r.status_code == 200 for r in results) <= 8  # 4 at once, then 4 more at most


def test_questions_over_mcp_to_a_slow_model_stall_neither_health_nor_another_workspace(
    live: Live,
) -> None:
    """As found: 40 MCP asks against a slow model froze /healthz and every sync route."""
    keys = [k for k in live.slow_viewers for _ in range(4)][:40]

    async def mcp_ask(key: str) -> CallToolResult:
        async with (
            httpx2.AsyncClient(headers=bearer(key), timeout=120) as http,
            Client(streamable_http_client(f"{live.url}/mcp", http_client=http)) as client,
        ):
            return await client.call_tool("ask", {"question": "연차휴가는 며칠인가요"})

    async def scenario() -> tuple[dict[str, tuple[float, httpx.Response]], list[object]]:
        slow = [asyncio.ensure_future(mcp_ask(k)) for k in keys]
        await asyncio.sleep(3.0)  # the sessions are open and their questions waiting
        async with httpx.AsyncClient(base_url=live.url, timeout=60) as client:
            timings = await _everyone_else(client, live)
        return timings, list(await asyncio.gather(*slow, return_exceptions=True))

    timings, results = asyncio.run(scenario())
    for name, (seconds, response) in timings.items():
        assert response.status_code == 200, (name, response.text)
        assert seconds < 3.0, f"{name} took {seconds:.1f} s behind MCP questions to a slow model"
    answered = [r for r in results if isinstance(r, CallToolResult) and not r.is_error]
    assert answered, results[:3]  # the slow workspace still answers, within its limits


def test_one_key_may_have_only_a_few_questions_in_progress(live: Live) -> None:
    key = live.slow_viewers[0]
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: _ask(live.url, "slow", key), range(6)))
    codes = [r.status_code for r in results]
    assert codes.count(429) >= 2, codes  # 4 per key
    assert {r.json()["error"]["code"] for r in results if r.status_code == 429} == {"busy"}


def test_a_model_answer_has_a_deadline(tmp_path: Path) -> None:
    limits = ServeLimits(answer_seconds=2.0, failed_auth_per_minute=0)
    server = Server(tmp_path / "serve", rate_per_minute=0, limits=limits)
    with running_model_server(delay=30.0, reply="늦은 답") as model:
        seed_workspace(
            server,
            "slow",
            [DOCUMENTS / "취업규칙.docx"],
            answer={"llm": "openai:slow", "base_url": model.base_url},
            retrieval={"embedder": "none"},
        )
        key = server.create_key("v", "viewer", "slow").key
        with running_app(create_app(server)) as url:
            started = time.monotonic()
            response = _ask(url, "slow", key)
            seconds = time.monotonic() - started
    server.close()
    assert response.status_code == 200
    answer = response.json()
    assert seconds < 10.0  # not the model's 30 s
    assert answer["method"] == "extractive-fallback" and "llm_unreachable" in answer["notice"]
    assert "127.0.0.1" not in answer["notice"]  # addresses stay in the server log (item 12)


def test_a_locked_server_database_stalls_no_read(tmp_path: Path) -> None:
    server = Server(tmp_path / "serve", rate_per_minute=0)
    seed_workspace(server, "shop", [DOCUMENTS / "고객센터_FAQ.txt"], retrieval={"embedder": "none"})
    fresh = server.create_key("new", "viewer", "shop").key  # never used: nothing to write yet
    with running_app(create_app(server)) as url:
        other = sqlite3.connect(
            tmp_path / "serve" / DB_NAME, isolation_level=None, check_same_thread=False
        )
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        release = threading.Timer(5.0, other.execute, args=("COMMIT",))
        release.start()
        try:
            started = time.monotonic()
            health = httpx.get(f"{url}/healthz", timeout=30)
            seconds = time.monotonic() - started
            listed = httpx.get(
                f"{url}/api/v1/workspaces/shop/documents", headers=bearer(fresh), timeout=30
            )
            listed_in = time.monotonic() - started - seconds
        finally:
            release.join()
            other.close()
    server.close()
    assert health.status_code == 200 and listed.status_code == 200
    assert seconds < 1.5 and listed_in < 1.5, (seconds, listed_in)


def _parse_workers() -> list[int]:
    """Process ids of this process's children that are parse workers."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if f"PPid:\t{os.getpid()}\n" in text and b"dalin.ingest.worker" in cmdline:
            found.append(int(status.parent.name))
    return found


def test_uploads_at_once_share_one_parse_budget(tmp_path: Path) -> None:
    cap = 512 * 2**20
    limits = ServeLimits(parse_workers=4, parse_memory_bytes=cap, failed_auth_per_minute=0)
    server = Server(tmp_path / "serve", rate_per_minute=0, limits=limits)
    server.create_workspace("shop")
    configure(server, "shop", ingest={"max_memory_mb": 512}, retrieval={"embedder": "none"})
    key = server.ensure_admin_key()
    assert key is not None
    pdfs = [minimal_pdf([f"document {n} page {i}" for i in range(1500)]) for n in range(3)]
    seen: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append(len(_parse_workers()))
            time.sleep(0.02)

    def upload(n: int) -> httpx.Response:
        return httpx.post(
            f"{url}/api/v1/workspaces/shop/documents",
            files=[("files", (f"crafted-{n}.pdf", pdfs[n]))],
            headers=bearer(key),
            timeout=120,
        )

    with running_app(create_app(server)) as url:
        watcher = threading.Thread(target=watch)
        watcher.start()
        with ThreadPoolExecutor(3) as pool:
            results = list(pool.map(upload, range(3)))
        done.set()
        watcher.join()
    server.close()
    assert [r.json()[0]["status"] for r in results] == ["added"] * 3
    # one parse's memory cap fits the budget: one worker process ever, however many uploads
    assert max(seen) == 1, max(seen)
    assert server.host.parse.peak_reserved <= cap


def _questions(n: int) -> bytes:
    lines = [
        json.dumps(
            {"id": f"q{i}", "question": "연차휴가는 며칠인가요", "answer_contains": ["15일"]}
        )
        for i in range(n)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_each_workspace_has_its_own_evaluation_queue_and_runs_can_be_cancelled(
    tmp_path: Path,
) -> None:
    server = Server(tmp_path / "serve", rate_per_minute=0)
    admin = server.ensure_admin_key()
    assert admin is not None
    with running_model_server(delay=3.0, reply="연차휴가는 15일입니다.") as model:
        seed_workspace(
            server,
            "slow",
            [DOCUMENTS / "취업규칙.docx"],
            answer={"llm": "openai:slow", "base_url": model.base_url},
            retrieval={"embedder": "none"},
        )
        seed_workspace(
            server, "quick", [DOCUMENTS / "취업규칙.docx"], retrieval={"embedder": "none"}
        )
        with TestClient(create_app(server)) as client:

            def start(slug: str, n: int) -> str:
                started = client.post(
                    f"/api/v1/workspaces/{slug}/eval/runs",
                    files={"questions": ("set.jsonl", _questions(n))},
                    headers=bearer(admin),
                )
                assert started.status_code == 202, started.text
                return str(started.json()["run_id"])

            long_run = start("slow", 20)  # a minute of a slow model
            queued = start("slow", 1)  # behind it, in the same workspace's queue
            quick = start("quick", 2)
            assert wait_for_run(client, admin, "quick", quick, 60)["status"] == "done"
            runs = "/api/v1/workspaces/slow/eval/runs"
            assert client.get(f"{runs}/{long_run}", headers=bearer(admin)).json()["status"] == (
                "running"
            )
            assert client.get(f"{runs}/{queued}", headers=bearer(admin)).json()["status"] == (
                "queued"
            )
            jobs = client.get("/api/v1/workspaces/slow/jobs", headers=bearer(admin)).json()
            assert {j["id"]: j["status"] for j in jobs} == {long_run: "running", queued: "queued"}
            cancelled = client.post(f"{runs}/{queued}/cancel", headers=bearer(admin))
            assert cancelled.status_code == 200
            stopping = client.post(f"{runs}/{long_run}/cancel", headers=bearer(admin))
            assert stopping.status_code == 200
            final = wait_for_run(client, admin, "slow", long_run, 60)
            assert final["status"] == "cancelled"
            assert wait_for_run(client, admin, "slow", queued, 30)["status"] == "cancelled"
            # what was answered is kept, as a report; the rest was never asked
            report = server.served("slow").store.eval_report(long_run)
            assert report is not None and 1 <= len(json.loads(report)["results"]) < 20
            page = client.get(f"{runs}/{long_run}/report.html", headers=bearer(admin))
            assert page.status_code == 200 and "연차휴가는 15일입니다" in page.text
            assert not (server.workspace_path("slow") / "eval" / "runs" / long_run).exists()
            audit = [e["action"] for e in server.audit_log("slow", limit=10)]
            assert audit.count("eval_cancel") == 2
    server.close()
