"""The library of a server that leaves uploads to `dalin worker` (``--queue-uploads``, issue
14): an upload answers "queued", the list says how many files wait, follows them until a
worker has indexed them, and then the vectors a worker computes for them. Real Chromium, a
real server on loopback, a real PostgreSQL."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from web_support import RULES, Live, shoot, sign_in

from conftest import serving
from dalin.api.server import Server
from dalin.embedders import backfill
from dalin.embedders.registry import make_embedder
from dalin.stores.registry import open_postgres
from dalin.testing.postgres import PostgresURLs, another_database
from dalin.worker import Worker, WorkerOptions

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live(postgres: PostgresURLs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """This module's server: on its own database, uploads queued for the workers."""
    urls = another_database(postgres, "dalin_queued_ui")
    before = os.environ.get("DALIN_DATABASE_URL")
    os.environ["DALIN_DATABASE_URL"] = urls.app  # where the workspaces are found
    try:
        root = tmp_path_factory.mktemp("queued-root")
        server = Server(root, rate_per_minute=0, database_url=urls.app, queue_uploads=True)
        with serving(server) as running:
            yield running
    finally:
        if before is None:
            os.environ.pop("DALIN_DATABASE_URL", None)
        else:
            os.environ["DALIN_DATABASE_URL"] = before


def test_a_queued_upload_is_followed_until_a_worker_indexed_it(
    open_page: object, live: Live, tmp_path: Path
) -> None:
    with live.api() as api:
        made = api.post("/workspaces", json={"slug": "queued", "name": "대기열"})
        assert made.status_code == 201, made.text
        key = api.post("/workspaces/queued/keys", json={"name": "편집", "role": "editor"})
        assert key.status_code == 201, key.text
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, key.json()["key"])
    page.locator("#tab-documents").click()
    (tmp_path / "취업규칙.txt").write_text(RULES, encoding="utf-8")
    page.get_by_test_id("upload-input").set_input_files(tmp_path / "취업규칙.txt")
    item = page.locator('.upload-item[data-state="done"]')
    expect(item).to_contain_text("대기열에 넣음", timeout=60_000)
    waiting = page.get_by_test_id("doc-ingests")
    expect(waiting).to_contain_text("1개")  # the list shows it waits for a worker
    expect(page.get_by_test_id("doc-row")).to_have_count(0)
    shoot(page, "documents-queued.png")

    worker = Worker(os.environ["DALIN_DATABASE_URL"], WorkerOptions(embed=False, until_empty=True))
    assert worker.run() == 1
    row = page.locator('[data-testid="doc-row"][data-status="indexed"]')
    expect(row).to_have_count(1, timeout=30_000)  # followed without a reload
    expect(row).to_contain_text("취업규칙.txt")
    expect(waiting).to_be_hidden()
    vectors = page.get_by_test_id("doc-vectors")
    expect(vectors).to_have_attribute("data-vectors", "0")  # indexed without vectors

    # what a worker does after indexing a file (dalin.worker.Worker._embed): no job of the
    # server's computes these vectors, yet the open list shows them arrive
    opened = open_postgres(os.environ["DALIN_DATABASE_URL"], "queued")
    embedder = make_embedder(opened.settings.embedder)
    assert embedder is not None
    assert backfill.embed_pending(opened.store, embedder) > 0
    expect(vectors).to_have_class(re.compile("vectors-done"), timeout=30_000)
    watch.assert_clean()
