"""Evaluation runs of a served workspace kept in its store (issue 14 item 1): who is shown as
interrupted, what a start tidies, a cancel asked by another process, the answers a cancelled
run keeps, and a deletion that waits for live runs before it is done."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dalin.eval.background import (
    STALE_SECONDS,
    get_run,
    new_owner,
    new_run_folder,
    owner_gone,
    shown,
    tidy_runs,
)
from dalin.eval.datasets import load_question_set
from dalin.eval.schema import QuestionItem
from dalin.host import Host
from dalin.stores.base import EvalRun
from dalin.workspace import Workspace

DOCUMENT = "제1조(휴가) 연차휴가는 15일이다. 금고 코드는 ZEBRA-7이다.\n"


def run(run_id: str, owner: str, status: str = "running", idle: float = 0.0) -> EvalRun:
    return EvalRun(
        run_id, status, "q.jsonl", ("extractive",), 1, "2026-12-04T00:00:00+00:00",
        owner=owner, idle_seconds=idle,
    )  # fmt: skip


def gone_pid() -> int:
    """The pid of a process that has ended."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    return int(child.stdout)


# --- who is shown as interrupted ------------------------------------------------------------


def test_a_live_run_is_interrupted_when_its_owner_is_gone_or_silent() -> None:
    here = socket.gethostname()
    alive = new_owner()
    try:
        assert shown(run("a", alive)).status == "running"
        assert shown(run("a", alive, idle=STALE_SECONDS + 1)).status == "interrupted"
        assert shown(run("a", f"{here}:{gone_pid()}:x")).status == "interrupted"
        # another machine's process is judged by its heartbeat only
        assert shown(run("a", "elsewhere:1:x", "queued")).status == "queued"
        assert shown(run("a", "elsewhere:1:x", idle=STALE_SECONDS + 1)).status == "interrupted"
        assert shown(run("a", "elsewhere:1:x", "done", idle=1e6)).status == "done"
    finally:
        owner_gone(alive)
    assert shown(run("a", alive)).status == "interrupted"  # its Host closed in this process


# --- a workspace to run in ------------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    Workspace.create(tmp_path / "ws").close()
    config = tmp_path / "ws" / "dalin.toml"
    text = re.sub(r"(?m)^embedder = .*$", 'embedder = "none"', config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws")
    (tmp_path / "금고규정.txt").write_text(DOCUMENT, encoding="utf-8")
    ws.add([tmp_path / "금고규정.txt"])
    ws.close()
    return Workspace.open(tmp_path / "ws")


def questions(folder: Path, n: int) -> list[QuestionItem]:
    lines = [
        json.dumps({"id": f"q{i}", "question": "금고 코드는?", "answer_contains": ["ZEBRA"]})
        for i in range(n)
    ]
    (folder / "questions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return list(load_question_set(folder / "questions.jsonl"))


def test_start_moves_old_run_folders_into_the_store_and_clears_scratch(
    workspace: Workspace,
) -> None:
    runs = workspace.path / "eval" / "runs"
    old = runs / "20260101T000000Z-d0d0d0d0"
    old.mkdir(parents=True)
    status = {"run_id": old.name, "status": "done", "question_set": "q.jsonl",
              "models": ["extractive"], "questions": 1, "started_at": "2026-01-01T00:00:00+00:00",
              "finished_at": "2026-01-01T00:01:00+00:00"}  # fmt: skip
    (old / "status.json").write_text(json.dumps(status), encoding="utf-8")
    (old / "run_report.json").write_text('{"results": []}', encoding="utf-8")
    dead = run("20260102T000000Z-dead0000", f"{socket.gethostname()}:{gone_pid()}:x")
    workspace.store.add_eval_run(dead)
    (runs / dead.run_id).mkdir()
    owner = new_owner()
    try:
        alive = run("20260103T000000Z-a11ce000", owner)
        workspace.store.add_eval_run(alive)
        (runs / alive.run_id).mkdir()
        assert tidy_runs(workspace.store, workspace.path) == (1, 2)
        assert [p.name for p in runs.iterdir()] == [alive.run_id]  # still being written
    finally:
        owner_gone(owner)
    statuses = {r.run_id: r.status for r in workspace.store.eval_runs()}
    assert statuses == {old.name: "done", dead.run_id: "interrupted", alive.run_id: "running"}
    assert workspace.store.eval_report(old.name) == '{"results": []}'
    workspace.close()


# --- runs through a host --------------------------------------------------------------------


def start(host: Host, slug: str, workspace: Workspace, n: int) -> EvalRun:
    folder = new_run_folder(workspace.path)
    items = questions(folder, n)
    planned = EvalRun(folder.name, "queued", "q.jsonl", ("extractive",), n, "2026-12-04")
    host.start_evaluation(slug, folder, planned, items)
    return planned


def test_a_cancel_asked_through_the_store_stops_the_run_and_keeps_its_answers(
    workspace: Workspace,
) -> None:
    path = workspace.path
    workspace.close()
    host = Host(lambda slug: path, heartbeat_seconds=0.1)
    try:
        ws = host.workspace("shop")
        long_run = start(host, "shop", ws, 3000)
        deadline = time.monotonic() + 60
        while (found := get_run(ws.store, long_run.run_id)) is None or found.done < 5:
            assert time.monotonic() < deadline, found
            time.sleep(0.05)
        assert found.owner == host.owner and found.status == "running"
        assert ws.store.cancel_eval_run(long_run.run_id)  # as another process would
        assert host.jobs.wait("shop", timeout=30)
        final = get_run(ws.store, long_run.run_id)
        assert final is not None and final.status == "cancelled", final
        report = json.loads(str(ws.store.eval_report(long_run.run_id)))
        assert 5 <= len(report["results"]) < 3000 and final.done == len(report["results"])
        assert not (path / "eval" / "runs" / long_run.run_id).exists()
    finally:
        host.close()


def test_a_deletion_waits_for_live_runs_then_leaves_every_report(workspace: Workspace) -> None:
    path = workspace.path
    workspace.close()
    host = Host(lambda slug: path)
    try:
        ws = host.workspace("shop")
        first = start(host, "shop", ws, 1)
        assert host.jobs.wait("shop", timeout=60)
        assert "ZEBRA" in str(ws.store.eval_report(first.run_id))
        # a run another process is still running: its report may yet quote the document
        other = new_owner()
        ws.store.add_eval_run(run("20261204T000000Z-other", other))
        doc = ws.documents()[0]
        host.remove("shop", doc.id)
        assert "ZEBRA" not in str(ws.store.eval_report(first.run_id))  # redacted at once
        assert len(ws.store.pending_redactions()) == 1  # but not done while a run is live
        ws.store.update_eval_run("20261204T000000Z-other", status="done", report="{}")
        owner_gone(other)
        assert ws.finish_redactions() == 1 and ws.store.pending_redactions() == []
    finally:
        host.close()


def test_a_run_of_a_host_closed_in_this_process_reads_as_interrupted(
    workspace: Workspace,
) -> None:
    path = workspace.path
    workspace.close()
    host = Host(lambda slug: path)
    ws = host.workspace("shop")
    planned = run("20261204T000000Z-r", host.owner, "queued")
    ws.store.add_eval_run(planned)
    assert get_run(ws.store, planned.run_id).status == "queued"  # type: ignore[union-attr]
    host.close()
    reopened = Workspace.open(path)
    assert get_run(reopened.store, planned.run_id).status == "interrupted"  # type: ignore[union-attr]
    reopened.close()
