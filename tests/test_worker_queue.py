"""The ingestion queue in PostgreSQL, worked by real `dalin worker` processes, one of them
killed with SIGKILL in the middle of a job (SECURITY.md 15)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dalin import Workspace
from dalin.cli.main import EXIT_PARTIAL, app
from dalin.stores.postgres import create_workspace
from dalin.stores.postgres_db import database
from dalin.stores.postgres_jobs import IngestQueue
from dalin.testing.postgres import PostgresURLs
from dalin.worker import Worker, WorkerOptions

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "documents"
FILES = sorted(p for p in EXAMPLES.iterdir() if p.is_file())


def start_worker(url: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DALIN_DATABASE_URL": url, "DALIN_LANG": "en"}
    return subprocess.Popen(
        [sys.executable, "-m", "dalin", "worker", "--until-empty", "--no-embed", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def expected_chunks(tmp_path: Path) -> dict[str, int]:
    """What a plain SQLite workspace makes of each file: the count a whole document has."""
    with Workspace.create(tmp_path / "reference") as ws:
        ws.add(FILES)
        return {Path(d.path).name: d.chunks for d in ws.store.documents()}


def wait_for(condition, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
def test_two_workers_one_killed_mid_job_leave_every_document_whole_and_once(
    tmp_path: Path, postgres: PostgresURLs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DALIN_DATABASE_URL", postgres.app)
    expected = expected_chunks(tmp_path)
    with Workspace.create(tmp_path / "q", backend="postgres", name="queue-test") as ws:
        slug = ws.settings.store_workspace
    queue = IngestQueue(database(postgres.app))
    rounds = 3  # every file three times under its own path: the later ones are unchanged
    for _ in range(rounds):
        for path in FILES:
            queue.enqueue(slug, f"/uploads/{path.name}", path.name, path.read_bytes())

    victim = start_worker(postgres.app, "--lease", "2")
    wait_for(lambda: any(j.state == "running" for j in queue.jobs(slug)), 120, "a running job")
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=60)
    killed = [j for j in queue.jobs(slug) if j.state == "running"]
    assert len(killed) == 1, "the killed worker held one job"

    # the survivors hold their jobs longer: on a loaded machine a 2 s lease can run out
    # between two renewals, and a third attempt would not be the one this test is about
    workers = [start_worker(postgres.app, "--lease", "30") for _ in range(2)]
    outputs = [w.communicate(timeout=600)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs

    jobs = queue.jobs(slug)
    assert len(jobs) == rounds * len(FILES) and {j.state for j in jobs} == {"done"}, jobs
    retried = next(j for j in jobs if j.id == killed[0].id)
    assert retried.attempts == 2 and retried.doc_id is not None
    with Workspace.open(tmp_path / "q") as ws:
        documents = ws.store.documents()
        assert sorted(Path(d.path).name for d in documents) == sorted(expected)
        assert {Path(d.path).name: d.chunks for d in documents} == expected
        assert all(d.status == "indexed" for d in documents)
        assert ws.store.chunk_count() == sum(expected.values())
        assert ws.search("연차휴가", k=1)[0].name == "취업규칙.docx"
    # the files' bytes are gone from the finished jobs
    with database(postgres.app).transaction(slug) as conn:
        assert conn.execute("SELECT max(length(data)) FROM ingest_jobs").fetchone() == (0,)


def test_a_job_whose_worker_dies_every_time_fails_with_the_reason(
    postgres: PostgresURLs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DALIN_DATABASE_URL", postgres.app)
    with Workspace.create(tmp_path / "d", backend="postgres", name="dying-test") as ws:
        slug = ws.settings.store_workspace
    queue = IngestQueue(database(postgres.app))
    job = queue.enqueue(slug, "/uploads/a.txt", "a.txt", b"text")
    for attempt in range(1, 4):  # taken and never renewed: as if killed each time
        taken = queue.take(f"dead-{attempt}", lease=0.01, max_attempts=3)
        assert taken is not None and taken[0].id == job.id and taken[0].attempts == attempt
        time.sleep(0.05)
    assert queue.take("another", lease=1, max_attempts=3) is None
    failed = queue.get(slug, job.id)
    assert failed is not None and failed.state == "failed" and "3 times" in failed.error


def test_workers_never_take_the_same_job(postgres: PostgresURLs) -> None:
    db = database(postgres.app)
    create_workspace(db, "race-test")
    queue = IngestQueue(db)
    ids = {queue.enqueue("race-test", f"/{i}.txt", f"{i}.txt", b"x").id for i in range(40)}
    taken: list[int] = []
    lock = threading.Lock()

    def take_all(name: str) -> None:
        while (job := queue.take(name, lease=60)) is not None:
            with lock:
                taken.append(job[0].id)
            queue.finish(job[0], None)

    threads = [threading.Thread(target=take_all, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == sorted(ids)  # each exactly once


def test_add_queue_puts_files_in_the_queue_and_a_worker_indexes_them(
    postgres: PostgresURLs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DALIN_DATABASE_URL", postgres.app)
    folder = tmp_path / "queued"
    Workspace.create(folder, backend="postgres", name="add-queue-test").close()
    docx, missing = EXAMPLES / "취업규칙.docx", tmp_path / "없는파일.txt"
    result = CliRunner().invoke(app, ["-w", str(folder), "add", "--queue", str(docx), str(missing)])
    assert result.exit_code == EXIT_PARTIAL, result.output  # the missing file is named
    assert "없는파일.txt" in result.output
    queue = IngestQueue(database(postgres.app))
    assert [(j.path, j.state) for j in queue.jobs("add-queue-test")] == [(str(docx), "queued")]
    with Workspace.open(folder) as ws:
        assert ws.store.documents() == []  # nothing indexed by `dalin add --queue` itself

    worker = Worker(postgres.app, WorkerOptions(embed=False, until_empty=True))
    assert worker.run() == 1
    assert [j.state for j in queue.jobs("add-queue-test")] == ["done"]
    with Workspace.open(folder) as ws:
        assert [d.path for d in ws.store.documents()] == [str(docx)]
        assert ws.search("연차휴가", k=1)[0].name == "취업규칙.docx"


def test_add_queue_refuses_an_sqlite_workspace(tmp_path: Path) -> None:
    Workspace.create(tmp_path / "local").close()
    args = ["--lang", "en", "-w", str(tmp_path / "local"), "add", "--queue", str(EXAMPLES)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0 and "needs a workspace in PostgreSQL" in result.output
