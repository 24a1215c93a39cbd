"""What `dalin serve` keeps and what it lets go: workspaces kept for its lifetime, vectors
after an upload, no leaked model clients (issue 14 item 1); deletions that delete, private
files, no leftovers, a quota, ids never reused, same-name uploads that tell the truth
(issue 15 items 4, 5, 13, 15 and "also")."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import DOCUMENTS, QUESTIONS, bearer, wait_for_run
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import dalin.workspace
from dalin.api.app import create_app
from dalin.api.limits import ServeLimits
from dalin.api.server import Server
from dalin.cli.main import app as cli
from dalin.llm.base import LLM
from dalin.testing.live_server import configure, running_app
from dalin.testing.model_server import running_model_server
from dalin.testing.parser_contract import minimal_pdf
from dalin.watch import BackgroundWatchers, follow

SECRET = "기밀코드 ZEBRA-4411"
SECRET_TEXT = f"제3조(금고) 금고의 {SECRET}는 총무팀만 압니다. 금고는 매일 점검합니다.\n"


def _server(root: Path, **limits: Any) -> tuple[Server, str]:
    server = Server(root, rate_per_minute=0, limits=ServeLimits(**limits))
    key = server.ensure_admin_key()
    assert key is not None
    return server, key


def _upload(client: TestClient, key: str, *files: tuple[str, bytes]) -> list[dict[str, Any]]:
    response = client.post(
        "/api/v1/workspaces/shop/documents",
        files=[("files", (name, data)) for name, data in files],
        headers=bearer(key),
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()
    return results


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[Server, TestClient, str]]:
    """A server with an empty workspace "shop" (keyword search only) and its admin key."""
    server, key = _server(tmp_path / "serve")
    server.create_workspace("shop")
    configure(server, "shop", retrieval={"embedder": "none"})
    with TestClient(create_app(server)) as client:
        yield server, client, key
    server.close()


# --- deletions that delete (item 4) ---------------------------------------------------------


def test_a_deleted_documents_text_leaves_conversations_and_reports(
    shop: tuple[Server, TestClient, str],
) -> None:
    server, client, key = shop
    viewer = server.create_key("v", "viewer", "shop").key
    (secret,) = _upload(client, key, ("금고규정.txt", SECRET_TEXT.encode()))
    asked = client.post(
        "/api/v1/workspaces/shop/ask",
        json={"question": "금고의 코드는 무엇인가요", "conversation_id": "c1"},
        headers=bearer(viewer),
    )
    assert SECRET in asked.text
    questions = (
        json.dumps({"id": "q1", "question": "금고의 코드는?", "answer_contains": ["ZEBRA"]}) + "\n"
    )
    started = client.post(
        "/api/v1/workspaces/shop/eval/runs",
        files={"questions": ("set.jsonl", questions.encode())},
        headers=bearer(key),
    )
    run_id = started.json()["run_id"]
    assert wait_for_run(client, key, "shop", run_id)["status"] == "done"
    page = f"/api/v1/workspaces/shop/eval/runs/{run_id}/report.html"
    assert SECRET in client.get(page, headers=bearer(key)).text

    deleted = client.delete(
        f"/api/v1/workspaces/shop/documents/{secret['doc_id']}", headers=bearer(key)
    )
    assert deleted.status_code == 200

    turns = client.get("/api/v1/workspaces/shop/conversations/c1", headers=bearer(viewer))
    assert turns.status_code == 200 and "ZEBRA" not in turns.text
    assert turns.json()["turns"][0]["question"] == "금고의 코드는 무엇인가요"  # theirs to keep
    assert "ZEBRA" not in client.get(page, headers=bearer(key)).text
    # the report is kept in the store; the run's scratch folder went when it was done
    assert not (server.workspace_path("shop") / "eval" / "runs" / run_id).exists()
    assert "ZEBRA" not in str(server.served("shop").store.eval_report(run_id))
    assert "ZEBRA" not in "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in server.workspace_path("shop").rglob("*") if p.is_file() and "eval" in p.parts
    )  # fmt: skip


# --- private files (item 5) -----------------------------------------------------------------


def _modes(root: Path) -> set[tuple[str, int]]:
    found = {("dir", root.stat().st_mode & 0o777)}
    for path in root.rglob("*"):
        if not path.is_symlink():
            found.add(("dir" if path.is_dir() else "file", path.stat().st_mode & 0o777))
    return found


def test_everything_the_server_writes_is_its_owners_only(
    shop: tuple[Server, TestClient, str],
) -> None:
    server, client, key = shop
    _upload(client, key, ("규정.txt", "제1조(목적) 이 규정은 휴가를 정한다.\n".encode()))
    client.post("/api/v1/workspaces/shop/ask", json={"question": "휴가"}, headers=bearer(key))
    run = client.post(
        "/api/v1/workspaces/shop/eval/runs",
        files={"questions": ("set.jsonl", QUESTIONS)},
        headers=bearer(key),
    )
    wait_for_run(client, key, "shop", run.json()["run_id"])
    assert _modes(server.root) == {("dir", 0o700), ("file", 0o600)}


def test_an_older_install_is_made_private_at_start(tmp_path: Path) -> None:
    root = tmp_path / "serve"
    Server(root).close()
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    server = Server(root)
    assert server.fixed_permissions >= 2
    assert _modes(root) == {("dir", 0o700), ("file", 0o600)}
    server.close()


def test_dalin_init_makes_a_private_workspace(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    assert _modes(tmp_path / "ws") == {("dir", 0o700), ("file", 0o600)}


# --- leftovers and the quota (item 13) ------------------------------------------------------


def test_start_clears_what_a_crash_left(tmp_path: Path) -> None:
    root = tmp_path / "serve"
    server, key = _server(root)
    server.create_workspace("shop")
    configure(server, "shop", retrieval={"embedder": "none"})
    with TestClient(create_app(server)) as client:
        _upload(client, key, ("kept.txt", "제1조 남는 문서입니다.\n".encode()))
    server.close()
    files = root / "workspaces" / "shop" / "files"
    (files / ".upload-3f2a").write_bytes(b"half an upl")  # a crash mid-upload
    (files / "never-indexed.txt").write_text("저장만 되고 색인되지 않은 파일", encoding="utf-8")
    runs = root / "workspaces" / "shop" / "eval" / "runs"
    (runs / "20260101T000000Z-0e0e0e0e").mkdir(parents=True)  # made, never started
    (runs / "20260101T000000Z-0e0e0e0e" / "questions.jsonl").write_text("{}\n")
    running = runs / "20260102T000000Z-1a2b3c4d"
    running.mkdir()
    # runs of `dalin eval run` share the folder; they are reports, not scratch
    for name in ("20260103T000000Z", "my-run"):
        (runs / name).mkdir()
        (runs / name / "report.json").write_text("{}\n")
    status = {
        "run_id": running.name,
        "status": "running",
        "question_set": "q.jsonl",
        "models": ["extractive"],
        "questions": 1,
        "started_at": "2026-01-02T00:00:00+00:00",
    }
    (running / "status.json").write_text(json.dumps(status))

    restarted = Server(root, rate_per_minute=0)
    restarted.start()
    assert sorted(p.name for p in files.iterdir()) == ["kept.txt"]
    # a run folder of an older dalin moved into the store, as interrupted; scratch is gone,
    # and the command line's runs are still there
    assert sorted(p.name for p in runs.iterdir()) == ["20260103T000000Z", "my-run"]
    assert (runs / "my-run" / "report.json").is_file()
    store = restarted.served("shop").store
    assert [(r.run_id, r.status) for r in store.eval_runs()] == [(running.name, "interrupted")]
    restarted.close()


def test_unsupported_types_are_refused_before_saving(shop: tuple[Server, TestClient, str]) -> None:
    server, client, key = shop
    (result,) = _upload(client, key, ("setup.exe", b"MZ\x90\x00" * 1000))
    assert result["status"] == "failed" and result["code"] == "unsupported"
    assert list(server.files_dir("shop").iterdir()) == []


def test_a_workspace_quota_is_kept(tmp_path: Path) -> None:
    server, key = _server(tmp_path / "serve", workspace_quota_bytes=1000)
    server.create_workspace("shop")
    configure(server, "shop", retrieval={"embedder": "none"})
    text = ("Article 1. A sentence to fill the quota. " * 30).encode()[:600]
    with TestClient(create_app(server)) as client:
        (first,) = _upload(client, key, ("a.txt", text))
        (second,) = _upload(client, key, ("b.txt", text))
        (again,) = _upload(client, key, ("a.txt", text[:590] + b" changed.\n"))
    server.close()
    assert first["status"] == "added"
    assert second["status"] == "failed" and second["code"] == "quota_exceeded"
    assert again["status"] == "replaced"  # a file replaced frees its own room
    assert sorted(p.name for p in server.files_dir("shop").iterdir()) == ["a.txt"]


# --- ids never reused (item 15) -------------------------------------------------------------


def test_document_ids_are_never_reused(shop: tuple[Server, TestClient, str]) -> None:
    _, client, key = shop
    a, b = _upload(client, key, ("a.txt", "제1조 가\n".encode()), ("b.txt", "제1조 나\n".encode()))
    client.delete(f"/api/v1/workspaces/shop/documents/{b['doc_id']}", headers=bearer(key))
    (c,) = _upload(client, key, ("c.txt", "제1조 다\n".encode()))
    assert c["doc_id"] > b["doc_id"] > a["doc_id"]
    stale = client.get(f"/api/v1/workspaces/shop/documents/{b['doc_id']}", headers=bearer(key))
    assert stale.status_code == 404


# --- same-name uploads tell the truth ("also") ----------------------------------------------


def test_uploads_of_one_name_at_once_report_what_happened(tmp_path: Path) -> None:
    server, key = _server(tmp_path / "serve")
    server.create_workspace("shop")
    configure(server, "shop", retrieval={"embedder": "none"})
    versions = [minimal_pdf([f"version {v} page {i}" for i in range(800)]) for v in (1, 2)]
    with running_app(create_app(server)) as url:

        def upload(data: bytes) -> str:
            response = httpx.post(
                f"{url}/api/v1/workspaces/shop/documents",
                files=[("files", ("같은이름.pdf", data))],
                headers=bearer(key),
                timeout=120,
            )
            return str(response.json()[0]["status"])

        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(upload, versions))
    documents = server.served("shop").documents()
    server.close()
    assert statuses == ["added", "replaced"]
    assert len(documents) == 1


# --- a server that keeps its workspaces (issue 14 item 1) -----------------------------------


def test_an_upload_reaches_vectors(tmp_path: Path) -> None:
    server, key = _server(tmp_path / "serve")
    server.create_workspace("shop")  # the default embedder: the bundled e5, offline
    with TestClient(create_app(server)) as client:
        (faq,) = _upload(client, key, ("FAQ.txt", (DOCUMENTS / "고객센터_FAQ.txt").read_bytes()))
        assert server.host.jobs.wait("shop", timeout=300)
        documents = client.get("/api/v1/workspaces/shop/documents", headers=bearer(key)).json()
        vectors = client.get("/api/v1/workspaces/shop/vectors", headers=bearer(key)).json()
        jobs = client.get("/api/v1/workspaces/shop/jobs", headers=bearer(key)).json()
    server.close()
    assert faq["status"] == "added"
    assert documents[0]["vectors"] == documents[0]["chunks"] > 0
    assert vectors["done"] == vectors["total"] == documents[0]["chunks"]
    assert vectors["embedder"]
    assert [(j["kind"], j["status"]) for j in jobs] == [("embed", "done")]
    assert jobs[0]["done"] == jobs[0]["total"] == documents[0]["chunks"]


def test_a_followed_folder_is_kept_in_step_through_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dalin serve --watch`: a watched folder's files are parsed in the server's one pool
    (a workspace's own pool would be outside the memory budget) and get their vectors."""

    def own_pool(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a workspace started its own parse pool")

    monkeypatch.setattr(dalin.workspace, "ParseWorkers", own_pool)
    server, _ = _server(tmp_path / "serve")
    server.create_workspace("shop")  # the default embedder: the bundled e5, offline
    folder = tmp_path / "공유폴더"
    folder.mkdir()
    follow(server.workspace_path("shop"), [folder])
    server.start()
    watchers = BackgroundWatchers(
        [server.workspace_path("shop")], target=lambda _: server.host.hosted("shop")
    )
    ws = server.served("shop")
    try:
        assert watchers.count == 1
        (folder / "규정.txt").write_text(SECRET_TEXT, encoding="utf-8")
        _wait(lambda: [d.status for d in ws.documents()] == ["indexed"], "the file is indexed")
        _wait(lambda: _all_embedded(ws), "the file's chunks have vectors", seconds=300)
        assert server.host.jobs.wait("shop", timeout=60)
        assert [(j.kind, j.status) for j in server.host.jobs.of("shop")] == [("embed", "done")]
        (folder / "규정.txt").unlink()
        _wait(lambda: ws.documents() == [], "the deleted file's document is removed")
    finally:
        watchers.close()
        server.close()


def _all_embedded(ws: dalin.workspace.Workspace) -> bool:
    done, total = ws.embedding_status()
    return done == total > 0


def _wait(check: Any, what: str, seconds: float = 120.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds:g} s: {what}")


def test_one_workspace_and_one_model_client_serve_every_request(
    shop: tuple[Server, TestClient, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, client, key = shop
    opened: list[Path] = []
    made: list[LLM] = []
    real_open, real_make = dalin.workspace.Workspace.open, dalin.workspace.make_llm

    def counting_open(path: Any, **kwargs: Any) -> dalin.workspace.Workspace:
        opened.append(Path(path))
        return real_open(path, **kwargs)

    def counting_make(*args: Any, **kwargs: Any) -> LLM:
        made.append(real_make(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(dalin.workspace.Workspace, "open", staticmethod(counting_open))
    monkeypatch.setattr(dalin.workspace, "make_llm", counting_make)
    with running_model_server(reply="휴가는 15일입니다.") as model:
        server.host.forget("shop")  # opened again below, with the model configured
        configure(server, "shop", answer={"llm": "openai:fast", "base_url": model.base_url})
        _upload(client, key, ("규정.txt", "제1조(휴가) 휴가는 15일입니다.\n".encode()))
        for _ in range(5):
            asked = client.post(
                "/api/v1/workspaces/shop/ask", json={"question": "휴가는?"}, headers=bearer(key)
            )
            assert asked.status_code == 200
        assert model.requests == 5
        assert len(opened) == 1 and len(made) == 1  # not one per request
        server.host.forget("shop")
        assert made[0]._endpoint.client.is_closed  # type: ignore[attr-defined]  # closed, not leaked


def test_the_shared_workspace_survives_concurrent_requests(
    shop: tuple[Server, TestClient, str],
) -> None:
    server, client, key = shop
    _upload(client, key, ("규정.txt", "제1조(휴가) 휴가는 15일입니다.\n".encode()))
    errors: list[str] = []

    def hammer() -> None:
        for _ in range(10):
            for response in (
                client.get("/api/v1/workspaces/shop/search?q=휴가", headers=bearer(key)),
                client.post(
                    "/api/v1/workspaces/shop/ask", json={"question": "휴가"}, headers=bearer(key)
                ),
            ):
                if response.status_code != 200:
                    errors.append(response.text)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert server.served("shop") is server.served("shop")


def test_a_server_without_the_database_has_no_queued_files(
    shop: tuple[Server, TestClient, str],
) -> None:
    server, client, key = shop
    assert server.ingest_queue is None and server.upload_queue("shop") is None
    headers = bearer(key)
    jobs = client.get("/api/v1/workspaces/shop/jobs", headers=headers)
    assert jobs.status_code == 200 and [j for j in jobs.json() if j["kind"] == "ingest"] == []
    for path in ("/jobs/ingest-1", "/jobs/ingest-1/cancel"):
        call = client.post if path.endswith("cancel") else client.get
        missing = call(f"/api/v1/workspaces/shop{path}", headers=headers)
        assert missing.status_code == 404, missing.text
