"""Two real `dalin serve` processes on one PostgreSQL database (issue 14 item 4): keys,
revocations, rate limits, the failed-sign-in throttle and the audit log are shared through
the database, and an upload through one is listed, answered and embedded on the other; its
file is kept in the database, so the other can index it again, delete it, and count it
against the one storage quota; two processes starting together make one admin key."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import DOCUMENTS, bearer

from dalin.stores.base import DocumentRecord
from dalin.stores.postgres import PostgresStore
from dalin.stores.registry import open_postgres
from dalin.testing.live_server import Serving, start_serve
from dalin.testing.postgres import PostgresURLs, another_database

RATE_PER_MINUTE = 30
#: dalin serve's default: failed sign-ins per minute from one address before 429
FAILED_PER_MINUTE = 10


@pytest.fixture
def pair(tmp_path: Path, postgres: PostgresURLs) -> Iterator[tuple[Serving, Serving, str, str]]:
    """Processes A and B, each with its own folder, on one fresh database; A's admin key;
    the app role's URL."""
    with _two_processes(tmp_path, postgres, "dalin_shared_serve") as started:
        yield started


@pytest.fixture
def queued_pair(
    tmp_path: Path, postgres: PostgresURLs
) -> Iterator[tuple[Serving, Serving, str, str]]:
    """As ``pair``, both started with --queue-uploads."""
    with _two_processes(tmp_path, postgres, "dalin_queued_serve", "--queue-uploads") as started:
        yield started


@contextmanager
def _two_processes(
    tmp_path: Path, postgres: PostgresURLs, name: str, *extra: str
) -> Iterator[tuple[Serving, Serving, str, str]]:
    urls = another_database(postgres, name)
    env = {**os.environ, "DALIN_DATABASE_URL": urls.app}
    options = ("--rate-limit", str(RATE_PER_MINUTE), "--no-watch", *extra)
    log_a = (tmp_path / "a.log").open("wb")
    first = start_serve(tmp_path / "a", *options, log=log_a, env=env)
    second = None
    try:
        found = re.search(r"dln_[A-Za-z0-9_-]{40,}", (tmp_path / "a.log").read_text("utf-8"))
        assert found, "the first process printed no admin key"
        with (tmp_path / "b.log").open("wb") as log_b:
            second = start_serve(tmp_path / "b", *options, log=log_b, env=env)
        assert "dln_" not in (tmp_path / "b.log").read_text("utf-8")  # it found A's admin
        yield first, second, found.group(0), urls.app
    finally:
        for serving in (first, second):
            if serving is not None:
                serving.stop()
        log_a.close()


@contextmanager
def _shared(
    first: Serving, second: Serving, admin: str
) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """Clients of A and B, once workspace "shared" is made through A."""
    with (
        httpx.Client(base_url=first.url, timeout=120) as a,
        httpx.Client(base_url=second.url, timeout=120) as b,
    ):
        made = a.post("/api/v1/workspaces", json={"slug": "shared"}, headers=bearer(admin))
        assert made.status_code == 201, made.text
        yield a, b


def test_two_serve_processes_share_keys_limits_audit_and_documents(
    pair: tuple[Serving, Serving, str, str],
) -> None:
    first, second, admin, app_url = pair
    with _shared(first, second, admin) as (a, b):
        assert [w["slug"] for w in b.get("/api/v1/workspaces", headers=bearer(admin)).json()] == [
            "shared"
        ]

        # a key made through A works on B at once
        editor = _new_key(a, admin, "editor")
        assert b.get("/api/v1/workspaces/shared/documents", headers=bearer(editor)).json() == []

        # an upload through A is listed, answered and embedded on B
        assert _upload(a, editor, DOCUMENTS / "취업규칙.docx")["status"] == "added"
        listed = b.get("/api/v1/workspaces/shared/documents", headers=bearer(editor)).json()
        assert [d["name"] for d in listed] == ["취업규칙.docx"]
        asked = b.post(
            "/api/v1/workspaces/shared/ask",
            json={"question": "연차휴가는 며칠인가요"},
            headers=bearer(editor),
        )
        assert asked.status_code == 200 and "15일" in asked.json()["text"], asked.text
        _wait_for_vectors(b, _new_key(a, admin, "viewer"))
        store = open_postgres(app_url, "shared").store  # in the database, not in A's memory
        assert store.chunk_count() == listed[0]["chunks"] > 0

        # a revoke through B stops the key on A at the next request
        editor_id = _key_id(b, admin, editor)
        revoked = b.delete(f"/api/v1/workspaces/shared/keys/{editor_id}", headers=bearer(admin))
        assert revoked.status_code == 200, revoked.text
        gone = a.get("/api/v1/workspaces/shared/documents", headers=bearer(editor))
        assert gone.status_code == 401

        # one rate budget per key over both processes
        limited = _new_key(a, admin, "viewer")
        started, served = time.monotonic(), {"a": 0, "b": 0}
        refused = None
        for i in range(2 * RATE_PER_MINUTE + 10):
            name, client = ("a", a) if i % 2 == 0 else ("b", b)
            response = client.get("/api/v1/workspaces/shared/documents", headers=bearer(limited))
            if response.status_code == 429:
                refused = name
                break
            assert response.status_code == 200, response.text
            served[name] += 1
        refilled = (time.monotonic() - started) * RATE_PER_MINUTE / 60
        assert refused is not None, f"no 429 after {served}: each process kept its own budget"
        assert sum(served.values()) <= RATE_PER_MINUTE + refilled + 1, served
        assert served["a"] > 0 and served["b"] > 0

        # one audit log: A's upload and failed sign-in, B's answer and revoke
        log = b.get("/api/v1/audit", params={"limit": 500}, headers=bearer(admin))
        assert log.status_code == 200, log.text
        actions = [e["action"] for e in log.json()]
        assert {"workspace_create", "key_create", "upload", "ask", "key_revoke"} <= set(actions)
        assert actions.count("auth_failed") == 1
        seen_by_a = a.get("/api/v1/audit", params={"limit": 500}, headers=bearer(admin)).json()
        assert {e["id"] for e in log.json()} <= {e["id"] for e in seen_by_a}

        # failed sign-ins from one address counted over both (one failed above: the revoked key;
        # last, as then this address may not even read)
        attempts = 0
        while attempts < 2 * FAILED_PER_MINUTE:
            client = a if attempts % 2 == 0 else b
            attempts += 1
            wrong = client.get("/api/v1/me", headers=bearer("dln_" + "x" * 43))
            if wrong.status_code == 429:
                break
            assert wrong.status_code == 401, wrong.text
        assert attempts == FAILED_PER_MINUTE, attempts  # the 10th try finds 10 failures


#: 0.04 MB: room for 취업규칙.docx (41,163 bytes), not for it and 가격표_2025.md (2,567) too
QUOTA_MB = "0.04"


@pytest.fixture
def started_together(
    tmp_path: Path, postgres: PostgresURLs
) -> Iterator[tuple[Serving, Serving, str, str]]:
    """Processes A and B started at the same time on one fresh database with a storage
    quota; the admin key one of them printed; the app role's URL."""
    urls = another_database(postgres, "dalin_shared_files")
    env = {**os.environ, "DALIN_DATABASE_URL": urls.app}
    logs = [tmp_path / "a.log", tmp_path / "b.log"]

    def start(index: int) -> Serving:
        with logs[index].open("wb") as log:
            root = tmp_path / "ab"[index]
            return start_serve(root, "--quota-mb", QUOTA_MB, "--no-watch", log=log, env=env)

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(start, i) for i in range(2)]
    servings = [f.result() for f in futures if f.exception() is None]
    try:
        assert len(servings) == 2, [f.exception() for f in futures]
        printed = [re.findall(r"dln_[A-Za-z0-9_-]{40,}", p.read_text("utf-8")) for p in logs]
        assert sorted(len(keys) for keys in printed) == [0, 1], printed  # one admin key
        yield servings[0], servings[1], (printed[0] + printed[1])[0], urls.app
    finally:
        for serving in servings:
            serving.stop()


def test_an_upload_is_kept_in_the_database_for_every_process(
    started_together: tuple[Serving, Serving, str, str], tmp_path: Path
) -> None:
    first, second, admin, app_url = started_together
    with _shared(first, second, admin) as (a, b):
        editor = _new_key(a, admin, "editor")
        sample, small = DOCUMENTS / "취업규칙.docx", DOCUMENTS / "가격표_2025.md"
        uploaded = _upload(a, editor, sample)
        assert uploaded["status"] == "added", uploaded
        doc_id = uploaded["doc_id"]

        # the file is in the database, not in A's folder
        assert not any((tmp_path / "a" / "workspaces" / "shared" / "files").iterdir())
        store = open_postgres(app_url, "shared").store
        assert isinstance(store, PostgresStore)
        doc = store.get_document_by_id(doc_id)
        assert doc is not None and store.original(doc.path) == sample.read_bytes()

        # B, which never saw the file, indexes it again: a failed parse is retried from the
        # bytes in the database (as if the last re-index had timed out)
        store.record_failure(DocumentRecord(doc.path, doc.name, 0, 0, ""), "timeout", "slow")
        again = b.post(
            f"/api/v1/workspaces/shared/documents/{doc_id}/reindex", headers=bearer(editor)
        )
        assert again.status_code == 200 and again.json()["status"] == "replaced", again.text
        redone = store.get_document_by_id(doc_id)
        assert redone is not None and redone.error == "" and redone.chunks == doc.chunks > 0

        # one quota for both: A's upload counts on B
        over = _upload(b, editor, small)
        assert over["status"] == "failed" and over["code"] == "quota_exceeded", over
        assert not any((tmp_path / "b" / "workspaces" / "shared" / "files").iterdir())

        # a delete through B removes the kept file with the document, for every process
        gone = b.delete(f"/api/v1/workspaces/shared/documents/{doc_id}", headers=bearer(editor))
        assert gone.status_code == 200, gone.text
        assert store.original(doc.path) is None and store.originals_size() == 0
        missing = a.post(
            f"/api/v1/workspaces/shared/documents/{doc_id}/reindex", headers=bearer(editor)
        )
        assert missing.status_code == 404, missing.text
        assert _upload(b, editor, small)["status"] == "added"  # room again


def test_an_evaluation_run_is_followed_cancelled_and_read_through_any_process(
    pair: tuple[Serving, Serving, str, str],
) -> None:
    first, second, admin, _ = pair
    runs = "/api/v1/workspaces/shared/eval/runs"
    with _shared(first, second, admin) as (a, b):
        editor = _new_key(a, admin, "editor")
        assert _upload(a, editor, DOCUMENTS / "취업규칙.docx")["status"] == "added"

        # a run through A is done, and its summary and report are read through B
        short = _start_run(a, editor, 1)
        assert _wait_run(b, editor, short, "done")["summary"], "no summary on B"
        page = b.get(f"{runs}/{short}/report.html", headers=bearer(editor))
        assert page.status_code == 200 and "연차휴가" in page.text

        # a long run through A is listed, followed and cancelled through B
        long = _start_run(a, editor, 3000)
        running = _wait_run(b, editor, long, "running", answered=1)
        assert running["total"] == 3000
        jobs = b.get("/api/v1/workspaces/shared/jobs", headers=bearer(editor)).json()
        assert {j["id"]: j["kind"] for j in jobs}[long] == "eval"
        cancelled = b.post(f"{runs}/{long}/cancel", headers=bearer(editor))
        assert cancelled.status_code == 200, cancelled.text
        final = _wait_run(b, editor, long, "cancelled")  # A stops at its next heartbeat
        assert 1 <= final["done"] < 3000
        assert a.get(f"{runs}/{long}", headers=bearer(editor)).json()["status"] == "cancelled"
        kept = b.get(f"{runs}/{long}/report.html", headers=bearer(editor))
        assert kept.status_code == 200  # the answers it recorded

        # a run whose process is killed reads as interrupted on the other at once
        orphan = _start_run(a, editor, 3000)
        _wait_run(b, editor, orphan, "running", answered=1)
        first.process.kill()
        first.process.wait()
        assert _wait_run(b, editor, orphan, "interrupted", seconds=10)["done"] >= 1


def _start_run(client: httpx.Client, key: str, n: int) -> str:
    lines = [
        json.dumps(
            {"id": f"q{i}", "question": "연차휴가는 며칠인가요", "answer_contains": ["15일"]}
        )
        for i in range(n)
    ]
    started = client.post(
        "/api/v1/workspaces/shared/eval/runs",
        files={"questions": ("set.jsonl", ("\n".join(lines) + "\n").encode())},
        headers=bearer(key),
    )
    assert started.status_code == 202, started.text
    return str(started.json()["run_id"])


def _wait_run(
    client: httpx.Client,
    key: str,
    run_id: str,
    status: str,
    *,
    answered: int = 0,
    seconds: float = 120,
) -> dict[str, Any]:
    """Poll a run on ``client``'s process (within the rate limit) until it has ``status``
    and at least ``answered`` answers recorded."""
    deadline = time.monotonic() + seconds
    while True:
        run: dict[str, Any] = client.get(
            f"/api/v1/workspaces/shared/eval/runs/{run_id}", headers=bearer(key)
        ).json()
        if run.get("status") == status and run.get("done", 0) >= answered:
            return run
        assert time.monotonic() < deadline, f"run {run_id} not {status} after {seconds} s: {run}"
        time.sleep(2)


def _upload(client: httpx.Client, key: str, sample: Path) -> dict[str, object]:
    response = client.post(
        "/api/v1/workspaces/shared/documents",
        files=[("files", (sample.name, sample.read_bytes()))],
        headers=bearer(key),
    )
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()[0]
    return result


def _new_key(client: httpx.Client, admin: str, role: str) -> str:
    made = client.post(
        "/api/v1/workspaces/shared/keys", json={"name": role, "role": role}, headers=bearer(admin)
    )
    assert made.status_code == 201, made.text
    return str(made.json()["key"])


def _key_id(client: httpx.Client, admin: str, key: str) -> int:
    keys = client.get("/api/v1/workspaces/shared/keys", headers=bearer(admin)).json()
    return int(next(k["id"] for k in keys if key.startswith(k["prefix"])))


def _wait_for_vectors(client: httpx.Client, key: str, seconds: float = 400) -> None:
    """Until every chunk has its vector (computed by the job of the process that took the
    upload), polled on the other process within the rate limit."""
    deadline = time.monotonic() + seconds
    while True:
        status = client.get("/api/v1/workspaces/shared/vectors", headers=bearer(key)).json()
        if status["total"] > 0 and status["done"] == status["total"]:
            return
        assert time.monotonic() < deadline, f"vectors still missing after {seconds} s: {status}"
        time.sleep(5)


def test_a_server_on_the_database_keeps_and_deletes_its_workspaces_there(
    tmp_path: Path, postgres: PostgresURLs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from dalin.api.app import create_app
    from dalin.api.server import Server
    from dalin.errors import WorkspaceError
    from dalin.stores.postgres import workspace_exists
    from dalin.stores.postgres_db import database

    urls = another_database(postgres, "dalin_served_here")
    with pytest.raises(WorkspaceError, match="DALIN_DATABASE_URL"):
        Server(tmp_path / "root", database_url=urls.app)  # its workspaces could not be found
    monkeypatch.setenv("DALIN_DATABASE_URL", urls.app)
    server = Server(tmp_path / "root", rate_per_minute=0, database_url=urls.app)
    try:
        admin = server.ensure_admin_key()
        assert admin is not None and server.ensure_admin_key() is None
        assert not (tmp_path / "root" / "server.db").exists()  # nothing kept beside it
        with TestClient(create_app(server)) as client:
            made = client.post(
                "/api/v1/workspaces", json={"slug": "gaon", "domain": "general"},
                headers=bearer(admin),
            )  # fmt: skip
            assert made.status_code == 201, made.text
            assert workspace_exists(database(urls.app), "gaon")
            settings = open_postgres(urls.app, "gaon").settings  # kept in the database
            assert settings.store_backend == "postgres"
            pointer = (server.workspace_path("gaon") / "dalin.toml").read_text("utf-8")
            assert 'backend = "postgres"' in pointer and 'workspace = "gaon"' in pointer
            viewer = _new_key_in(client, admin, "gaon")
            seen = client.get("/api/v1/workspaces/gaon", headers=bearer(viewer))
            assert seen.status_code == 200, seen.text
            gone = client.delete("/api/v1/workspaces/gaon", headers=bearer(admin))
            assert gone.status_code == 200, gone.text
            assert not workspace_exists(database(urls.app), "gaon")
            assert client.get("/api/v1/me", headers=bearer(viewer)).status_code == 401
            assert not server.workspace_path("gaon").exists()
    finally:
        server.close()


def _new_key_in(client: object, admin: str, slug: str) -> str:
    made = client.post(  # type: ignore[attr-defined]
        f"/api/v1/workspaces/{slug}/keys", json={"name": "v", "role": "viewer"},
        headers=bearer(admin),
    )  # fmt: skip
    assert made.status_code == 201, made.text
    return str(made.json()["key"])


def test_keys_of_a_server_db_are_imported_into_the_database(
    tmp_path: Path, postgres: PostgresURLs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from dalin.api.server import Server
    from dalin.cli.main import app as cli

    old = Server(tmp_path / "old", rate_per_minute=0)  # keys in ROOT/server.db
    try:
        admin = old.ensure_admin_key()
        old.create_workspace("shared")
        editor = old.create_key("kim", "editor", "shared").key
        gone = old.create_key("lee", "viewer", "shared")
        old.revoke_key(gone.info.id, "shared")
        old.set_allowed_models("shared", ["openai:m"])
    finally:
        old.close()
    urls = another_database(postgres, "dalin_keys_import")
    monkeypatch.setenv("DALIN_DATABASE_URL", urls.app)
    command = ["keys", "import", str(tmp_path / "old" / "server.db"), "--root", str(tmp_path)]
    first = CliRunner().invoke(cli, command)
    assert first.exit_code == 0, first.output
    assert (
        "copied 3 keys" in first.output
        and "workspace shared is not in the database" in first.output
    )
    again = CliRunner().invoke(cli, command)
    assert again.exit_code == 0 and "copied 0 keys and 0 model grants" in again.output, again.output
    server = Server(tmp_path / "new", rate_per_minute=0, database_url=urls.app)
    try:
        assert admin is not None and server.ensure_admin_key() is None  # the old admin key is one
        signed = server.principal_for(admin)
        assert signed is not None and signed.is_admin
        worker = server.principal_for(editor)
        assert worker is not None and (worker.role, worker.workspace) == ("editor", "shared")
        assert server.principal_for(gone.key) is None  # revoked there, revoked here
        assert [e["action"] for e in server.audit_log(action="keys_import")] == ["keys_import"] * 2
    finally:
        server.close()
    missing = CliRunner().invoke(cli, ["keys", "import", str(tmp_path / "none.db")])
    assert missing.exit_code != 0 and "no server.db" in missing.output


def test_at_start_indexed_uploads_left_in_the_folder_move_into_the_database(
    tmp_path: Path, postgres: PostgresURLs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dalin.api.server import Server

    urls = another_database(postgres, "dalin_uploads_moved")
    monkeypatch.setenv("DALIN_DATABASE_URL", urls.app)
    root = tmp_path / "root"
    # files indexed where they lie, as an earlier dalin left its uploads
    before = Server(root, rate_per_minute=0, database_url=urls.app)
    try:
        before.create_workspace("shared")
        files = open_postgres(urls.app, "shared").files
        config = str(files.read("dalin.toml")).replace('embedder = "local"', 'embedder = "none"')
        files.write("dalin.toml", config.replace("max_file_mb = 200", "max_file_mb = 0.01"))
        small, large = (
            before.files_dir("shared") / "가격표_2025.md",
            before.files_dir("shared") / "취업규칙.docx",
        )
        for path in (small, large):
            path.write_bytes((DOCUMENTS / path.name).read_bytes())
        report = before.host.add("shared", [small, large])
        assert report.added == (str(small),) and [f.code for f in report.failed] == [
            "limit_exceeded"
        ]
    finally:
        before.close()
    after = Server(root, rate_per_minute=0, database_url=urls.app)
    try:
        after.start()
        store = open_postgres(urls.app, "shared").store
        assert isinstance(store, PostgresStore)
        assert store.original(str(small)) == (DOCUMENTS / small.name).read_bytes()
        assert not small.exists()  # moved
        assert large.exists() and store.original(str(large)) is None  # over the limit: stays
    finally:
        after.close()


def test_queued_uploads_are_indexed_by_a_worker_and_kept_in_the_database(
    tmp_path: Path, postgres: PostgresURLs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from dalin.api.app import create_app
    from dalin.api.limits import ServeLimits
    from dalin.api.server import Server
    from dalin.errors import WorkspaceError
    from dalin.worker import Worker, WorkerOptions

    with pytest.raises(WorkspaceError, match="DALIN_DATABASE_URL"):
        Server(tmp_path / "plain", queue_uploads=True)  # no queue without the database
    urls = another_database(postgres, "dalin_queued_uploads")
    monkeypatch.setenv("DALIN_DATABASE_URL", urls.app)
    sample, broken = DOCUMENTS / "취업규칙.docx", b"not a zip archive"
    quota = ServeLimits(workspace_quota_bytes=sample.stat().st_size + len(broken) + 100)
    server = Server(
        tmp_path / "root", rate_per_minute=0, database_url=urls.app, limits=quota,
        queue_uploads=True,
    )  # fmt: skip
    try:
        admin = server.ensure_admin_key()
        assert admin is not None
        with TestClient(create_app(server)) as client:
            for slug in ("queued", "other"):
                made = client.post("/api/v1/workspaces", json={"slug": slug}, headers=bearer(admin))
                assert made.status_code == 201, made.text
            docs = "/api/v1/workspaces/queued/documents"
            both = [("files", (sample.name, sample.read_bytes())), ("files", ("x.docx", broken))]
            sent = client.post(docs, files=both, headers=bearer(admin))
            assert sent.status_code == 200, sent.text
            results = sent.json()
            assert [r["status"] for r in results] == ["queued", "queued"], results
            assert all(r["doc_id"] is None and r["job_id"].startswith("ingest-") for r in results)
            assert not any(server.files_dir("queued").iterdir())  # the bytes are in the queue
            assert client.get(docs, headers=bearer(admin)).json() == []  # serve indexed nothing
            job_url = f"/api/v1/workspaces/queued/jobs/{results[0]['job_id']}"
            job = client.get(job_url, headers=bearer(admin)).json()
            assert (job["kind"], job["status"], job["title"]) == ("ingest", "queued", sample.name)
            assert job["started_at"] is None  # no worker has taken it
            listed = client.get("/api/v1/workspaces/queued/jobs", headers=bearer(admin)).json()
            assert {j["id"] for j in listed if j["kind"] == "ingest"} == {
                r["job_id"] for r in results
            }
            cancel = client.post(f"{job_url}/cancel", headers=bearer(admin))
            assert cancel.status_code == 409 and cancel.json()["error"]["code"] == "not_cancellable"
            elsewhere = f"/api/v1/workspaces/other/jobs/{results[0]['job_id']}"
            assert client.get(elsewhere, headers=bearer(admin)).status_code == 404
            # files still waiting count against the quota
            over = client.post(
                docs,
                files=[("files", ("가격표_2025.md", (DOCUMENTS / "가격표_2025.md").read_bytes()))],
                headers=bearer(admin),
            ).json()[0]
            assert (over["status"], over["code"]) == ("failed", "quota_exceeded"), over

            worker = Worker(urls.app, WorkerOptions(embed=False, until_empty=True))
            assert worker.run() == 2
            job = client.get(job_url, headers=bearer(admin)).json()
            assert (job["status"], job["done"], job["total"]) == ("done", 1, 1), job
            assert job["started_at"] is not None and job["finished_at"] is not None
            assert job["created_at"] <= job["started_at"] <= job["finished_at"]
            documents = {d["name"]: d for d in client.get(docs, headers=bearer(admin)).json()}
            assert documents[sample.name]["status"] == "indexed"
            assert documents[sample.name]["chunks"] > 0
            assert documents["x.docx"]["status"] == "failed"  # named, with its reason
            store = open_postgres(urls.app, "queued").store
            assert isinstance(store, PostgresStore)
            for name, data in ((sample.name, sample.read_bytes()), ("x.docx", broken)):
                doc = store.get_document_by_id(documents[name]["id"])
                assert doc is not None and store.original(doc.path) == data  # kept by the worker
            hits = client.get(
                "/api/v1/workspaces/queued/search", params={"q": "연차휴가"}, headers=bearer(admin)
            ).json()
            assert hits and hits[0]["doc_id"] == documents[sample.name]["id"], hits
            again = client.post(
                f"{docs}/{documents[sample.name]['id']}/reindex", headers=bearer(admin)
            )  # from the kept file: this process never had it
            assert again.status_code == 200 and again.json()["status"] == "unchanged", again.text
    finally:
        server.close()


def test_two_serve_processes_leave_uploads_to_two_worker_processes(
    queued_pair: tuple[Serving, Serving, str, str],
) -> None:
    first, second, admin, app_url = queued_pair
    with _shared(first, second, admin) as (a, b):
        editor = _new_key(a, admin, "editor")
        sent = {
            "취업규칙.docx": _upload(a, editor, DOCUMENTS / "취업규칙.docx"),
            "출장비_규정.html": _upload(b, editor, DOCUMENTS / "출장비_규정.html"),
        }
        assert all(r["status"] == "queued" for r in sent.values()), sent
        assert _documents(a, editor) == {} == _documents(b, editor)  # neither indexed them
        env = {**os.environ, "DALIN_DATABASE_URL": app_url, "DALIN_LANG": "en"}
        command = [sys.executable, "-m", "dalin", "worker", "--until-empty", "--no-embed"]
        output = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}
        workers = [subprocess.Popen(command, env=env, **output) for _ in range(2)]
        outputs = [w.communicate(timeout=600)[0] for w in workers]
        assert [w.returncode for w in workers] == [0, 0], outputs
        for client in (a, b):  # each sees both, whichever process took the upload
            documents = _documents(client, editor)
            assert sorted(documents) == sorted(sent)
            assert all(d["status"] == "indexed" and d["chunks"] > 0 for d in documents.values())
            for name, result in sent.items():
                job = client.get(
                    f"/api/v1/workspaces/shared/jobs/{result['job_id']}", headers=bearer(editor)
                ).json()
                assert (job["status"], job["title"]) == ("done", name), job
        # the file B never saw is indexed again through B, from the database
        doc_id = _documents(b, editor)["취업규칙.docx"]["id"]
        again = b.post(
            f"/api/v1/workspaces/shared/documents/{doc_id}/reindex", headers=bearer(editor)
        )
        assert again.status_code == 200 and again.json()["status"] == "unchanged", again.text


def _documents(client: httpx.Client, key: str) -> dict[str, dict[str, Any]]:
    listed = client.get("/api/v1/workspaces/shared/documents", headers=bearer(key))
    assert listed.status_code == 200, listed.text
    return {d["name"]: d for d in listed.json()}
