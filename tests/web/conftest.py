"""Fixtures of the browser tests: a real server on loopback, a workspace, Chromium, pages.

Needs Debian's chromium and a CJK font (TESTING.md, browser row; `make browser`)::

    apt-get install -y chromium fonts-noto-cjk
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from web_support import DESKTOP, NOTICE, RULES, Live, Watch

from dalin.api.app import create_app
from dalin.api.server import Server
from dalin.testing.browser import CHROMIUM, LAUNCH_ARGS


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = Server(tmp_path_factory.mktemp("serve-root"), rate_per_minute=0)
    with serving(server) as running:
        yield running


@contextmanager
def serving(server: Server) -> Iterator[Live]:
    """``server`` served by uvicorn on a free loopback port until the block ends; closed
    then."""
    admin_key = server.ensure_admin_key()
    assert admin_key
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(server), log_level="warning", ws="none", lifespan="off", access_log=False
    )
    web = uvicorn.Server(config)
    thread = threading.Thread(target=web.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not web.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        assert thread.is_alive(), "uvicorn stopped while starting"
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{port}", admin_key, server)
    finally:
        web.should_exit = True
        thread.join(15)
        sock.close()
        server.close()


@pytest.fixture(scope="module")
def shared(live: Live, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A workspace with the two documents, made through the API; an editor key for it."""
    folder = tmp_path_factory.mktemp("shared-docs")
    files = {"취업규칙.txt": RULES, "보안공지.txt": NOTICE}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with live.api() as api:
        created = api.post("/workspaces", json={"slug": "shared", "name": "공용 문서"})
        assert created.status_code == 201, created.text
        uploads = [("files", (n, (folder / n).read_bytes(), "text/plain")) for n in files]
        result = api.post("/workspaces/shared/documents", files=uploads)
        assert result.status_code == 200, result.text
        assert {r["status"] for r in result.json()} == {"added"}
        key = api.post("/workspaces/shared/keys", json={"name": "편집자", "role": "editor"})
        assert key.status_code == 201, key.text
    return {"slug": "shared", "key": key.json()["key"]}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk (make browser)"
        print(f"\nSKIP browser tests: {reason}")
        pytest.skip(reason)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def open_page(browser: Browser, live: Live) -> Iterator[tuple[Page, Watch]]:
    contexts = []

    def opener(viewport: dict[str, int] = DESKTOP) -> tuple[Page, Watch]:
        context = browser.new_context(viewport=viewport, locale="ko-KR")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        watch = Watch(live.url)
        watch.attach(page)
        page.goto(live.url + "/")
        return page, watch

    yield opener  # type: ignore[misc]
    for context in contexts:
        context.close()
