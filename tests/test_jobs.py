"""Background jobs: a queue per workspace and kind, slots per kind, status, cancel."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from dalin.errors import EvalError
from dalin.jobs import JobControl, Jobs, Work


@pytest.fixture
def jobs() -> Iterator[Jobs]:
    queues = Jobs({"eval": 2, "embed": 1})
    yield queues
    queues.close(10)


def _until(event: threading.Event) -> Work:
    def work(control: JobControl) -> None:
        while not event.is_set() and not control.cancelled:
            time.sleep(0.01)

    return work


def _status(jobs: Jobs, workspace: str, job_id: str) -> str:
    info = jobs.get(workspace, job_id)
    assert info is not None
    return info.status


def test_one_workspaces_long_job_does_not_hold_back_another_workspace(jobs: Jobs) -> None:
    release = threading.Event()
    long = jobs.submit("a", "eval", _until(release))
    quick = jobs.submit("b", "eval", lambda c: None)
    assert jobs.wait("b", timeout=10)
    assert _status(jobs, "b", quick.id) == "done"
    assert _status(jobs, "a", long.id) == "running"
    release.set()
    assert jobs.wait(timeout=10)


def test_a_workspaces_jobs_of_one_kind_run_one_at_a_time_in_order(jobs: Jobs) -> None:
    order: list[int] = []
    running = threading.Semaphore(1)

    def step(n: int) -> Work:
        def work(control: JobControl) -> None:
            assert running.acquire(blocking=False), "two at once"
            order.append(n)
            time.sleep(0.05)
            running.release()

        return work

    for n in range(4):
        jobs.submit("a", "eval", step(n))
    assert jobs.wait("a", timeout=10)
    assert order == [0, 1, 2, 3]


def test_slots_bound_the_jobs_of_a_kind_over_all_workspaces(jobs: Jobs) -> None:
    release = threading.Event()
    started = [jobs.submit(w, "eval", _until(release)) for w in ("a", "b", "c")]
    time.sleep(0.2)
    assert [_status(jobs, j.workspace, j.id) for j in started] == ["running", "running", "queued"]
    release.set()
    assert jobs.wait(timeout=10)
    assert {_status(jobs, j.workspace, j.id) for j in started} == {"done"}


def test_cancel_a_queued_job_and_a_running_one(jobs: Jobs) -> None:
    release = threading.Event()
    ran: list[str] = []
    first = jobs.submit("a", "eval", _until(release))
    second = jobs.submit("a", "eval", lambda c: ran.append("second"))
    time.sleep(0.1)
    assert jobs.cancel("a", second.id).status == "cancelled"  # type: ignore[union-attr]
    jobs.cancel("a", first.id)
    assert jobs.wait("a", timeout=10)
    assert _status(jobs, "a", first.id) == "cancelled" and ran == []
    assert jobs.cancel("a", "no-such-job") is None
    assert jobs.cancel("b", first.id) is None  # another workspace's job


def test_progress_failure_and_coalescing(jobs: Jobs) -> None:
    release = threading.Event()

    def counted(control: JobControl) -> None:
        control.progress(3, 10)
        release.wait(10)

    def broken(control: JobControl) -> None:
        raise EvalError("the question set is gone")

    running = jobs.submit("a", "embed", counted)
    time.sleep(0.1)
    waiting = jobs.submit("a", "embed", lambda c: None, coalesce=True)
    again = jobs.submit("a", "embed", lambda c: None, coalesce=True)
    assert again.id == waiting.id != running.id  # one waiting "embed what is missing" is enough
    info = jobs.get("a", running.id)
    assert info is not None and (info.done, info.total) == (3, 10)
    release.set()
    failed = jobs.submit("a", "eval", broken)
    assert jobs.wait("a", timeout=10)
    info = jobs.get("a", failed.id)
    assert info is not None and info.status == "failed"
    assert info.error == "the question set is gone"
    assert jobs.of("a")[0].id == failed.id  # newest first
