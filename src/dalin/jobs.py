"""Background jobs of served workspaces: vectors after an upload, evaluation runs.

Every workspace has a queue of its own for each kind of job: its jobs of one kind run one
at a time, in the order they came, and never wait behind another workspace's (issue 15 item
10). Each kind also has a number of slots for the whole process, so ten workspaces starting
evaluations at once do not run ten at once; a free slot goes to the oldest waiting job whose
workspace has none of that kind running, so one workspace's long queue cannot hold back the
others.

A job is a function given a :class:`JobControl`: it reports progress there and stops, at a
point where stopping loses nothing, once ``cancelled`` is set. Jobs live in memory; what
must survive a restart (an evaluation's status) the job writes itself.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from dalin.errors import DalinError

log = logging.getLogger("dalin.jobs")

#: jobs of each kind that may run at once in the process
DEFAULT_SLOTS: Mapping[str, int] = {"embed": 2, "eval": 2}
#: finished jobs kept per workspace for listing
KEEP_FINISHED = 50
FINISHED = frozenset({"done", "failed", "cancelled"})


@dataclass(frozen=True)
class JobInfo:
    """A job as listed: what it is, where it stands."""

    id: str
    workspace: str
    kind: str
    #: queued, running, done, failed or cancelled
    status: str
    title: str
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None
    #: progress in the job's own unit (chunks with a vector, questions answered)
    done: int = 0
    total: int = 0
    error: str = ""


class JobControl:
    """What a running job sees: a stop request, and where to report progress."""

    def __init__(self, jobs: Jobs, key: tuple[str, str]) -> None:
        self._jobs = jobs
        self._key = key
        self.stop = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self.stop.is_set()

    def progress(self, done: int, total: int) -> None:
        self._jobs._update(self._key, done=done, total=total)


Work = Callable[[JobControl], None]


@dataclass
class _Job:
    info: JobInfo
    work: Work
    control: JobControl
    thread: threading.Thread | None = None
    #: called when the job is cancelled before it started
    skipped: Callable[[], None] | None = None


class Jobs:
    """Per-workspace job queues sharing a number of slots per kind."""

    def __init__(self, slots: Mapping[str, int] | None = None) -> None:
        self.slots = dict(slots or DEFAULT_SLOTS)
        self._jobs: dict[tuple[str, str], _Job] = {}  # (workspace, id), in submission order
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        self._closed = False

    def submit(
        self,
        workspace: str,
        kind: str,
        work: Work,
        *,
        title: str = "",
        job_id: str | None = None,
        coalesce: bool = False,
        skipped: Callable[[], None] | None = None,
    ) -> JobInfo:
        """Queue ``work`` on ``workspace``'s queue of ``kind``; return the job.

        ``coalesce``: when a job of this kind is already waiting in the workspace, return it
        instead (a second "embed what is missing" would only repeat the first).
        ``skipped`` is called when the job is cancelled before it started.
        """
        if kind not in self.slots:
            raise ValueError(f"unknown job kind {kind!r}; one of {', '.join(self.slots)}")
        with self._lock:
            if self._closed:
                raise RuntimeError("the job queues are closed")
            if coalesce:
                for job in self._jobs.values():
                    info = job.info
                    if (info.workspace, info.kind, info.status) == (workspace, kind, "queued"):
                        return info
            job_id = job_id or f"{kind}-{next(self._ids)}"
            key = (workspace, job_id)
            if key in self._jobs:
                raise ValueError(f"job {job_id} exists already in {workspace}")
            info = JobInfo(job_id, workspace, kind, "queued", title, _now())
            self._jobs[key] = _Job(info, work, JobControl(self, key), skipped=skipped)
            self._schedule()
            return info

    def of(self, workspace: str) -> list[JobInfo]:
        """The workspace's jobs, newest first (finished ones: the latest few)."""
        with self._lock:
            return [j.info for j in reversed(self._jobs.values()) if j.info.workspace == workspace]

    def get(self, workspace: str, job_id: str) -> JobInfo | None:
        with self._lock:
            job = self._jobs.get((workspace, job_id))
            return job.info if job else None

    def cancel(self, workspace: str, job_id: str) -> JobInfo | None:
        """Cancel a job: a queued one never starts, a running one stops at its next safe
        point. None when the workspace has no such job."""
        with self._lock:
            job = self._jobs.get((workspace, job_id))
            if job is None:
                return None
            job.control.stop.set()
            queued = job.info.status == "queued"
            if queued:
                self._finish(job, "cancelled")
            info = job.info
        if queued and job.skipped is not None:
            job.skipped()
        return info

    def running(self, workspace: str, kind: str) -> list[str]:
        """Ids of the workspace's jobs of ``kind`` that are queued or running."""
        with self._lock:
            return [
                j.info.id
                for j in self._jobs.values()
                if (j.info.workspace, j.info.kind) == (workspace, kind)
                and j.info.status not in FINISHED
            ]

    def cancel_workspace(self, workspace: str, timeout: float) -> None:
        """Cancel every job of ``workspace`` and wait (at most ``timeout``) for them."""
        with self._lock:
            jobs = [j for j in self._jobs.values() if j.info.workspace == workspace]
        for job in jobs:
            self.cancel(workspace, job.info.id)
        self._join([j for j in jobs if j.thread is not None], timeout)

    def wait(self, workspace: str | None = None, timeout: float | None = None) -> bool:
        """Wait until no job (of ``workspace``) is queued or running; False on timeout."""

        def idle() -> bool:
            return all(
                j.info.status in FINISHED
                for j in self._jobs.values()
                if workspace is None or j.info.workspace == workspace
            )

        with self._lock:
            return self._lock.wait_for(idle, timeout)

    def close(self, timeout: float) -> None:
        """Cancel everything and wait (at most ``timeout``) for running jobs to stop."""
        with self._lock:
            self._closed = True
            jobs = list(self._jobs.values())
            for job in jobs:  # a queued job was not cancelled by anyone: no ``skipped``
                job.control.stop.set()
                if job.info.status == "queued":
                    self._finish(job, "cancelled")
        self._join([j for j in jobs if j.thread is not None], timeout)

    # --- inside ------------------------------------------------------------------------------

    def _schedule(self) -> None:
        """Start the oldest waiting jobs that have a slot (under the lock)."""
        running: dict[str, int] = dict.fromkeys(self.slots, 0)
        busy: set[tuple[str, str]] = set()
        for job in self._jobs.values():
            if job.info.status == "running":
                running[job.info.kind] += 1
                busy.add((job.info.workspace, job.info.kind))
        for job in self._jobs.values():
            info = job.info
            if info.status != "queued" or self._closed:
                continue
            if running[info.kind] >= self.slots[info.kind] or (info.workspace, info.kind) in busy:
                continue
            running[info.kind] += 1
            busy.add((info.workspace, info.kind))
            job.info = replace(info, status="running", started_at=_now())
            job.thread = threading.Thread(
                target=self._run, args=(job,), name=f"dalin-job-{info.id}", daemon=True
            )
            job.thread.start()

    def _run(self, job: _Job) -> None:
        status, error = "done", ""
        try:
            job.work(job.control)
        except Exception as exc:  # a thread has no caller: the job's status says what failed
            if not isinstance(exc, DalinError):
                log.exception("job %s of %s failed", job.info.id, job.info.workspace)
            error = str(exc) if isinstance(exc, DalinError) else type(exc).__name__
            status = "failed"
        if job.control.cancelled and status == "done":
            status = "cancelled"
        with self._lock:
            self._finish(job, status, error[:500])
            self._schedule()

    def _finish(self, job: _Job, status: str, error: str = "") -> None:
        job.info = replace(job.info, status=status, finished_at=_now(), error=error)
        self._forget_old(job.info.workspace)
        self._lock.notify_all()

    def _forget_old(self, workspace: str) -> None:
        finished = [
            key
            for key, j in self._jobs.items()
            if j.info.workspace == workspace and j.info.status in FINISHED
        ]
        for key in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[key]

    def _update(self, key: tuple[str, str], *, done: int, total: int) -> None:
        with self._lock:
            job = self._jobs.get(key)
            if job is not None:
                job.info = replace(job.info, done=done, total=total)

    @staticmethod
    def _join(jobs: list[_Job], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for job in jobs:
            if job.thread is not None:
                job.thread.join(max(0.0, deadline - time.monotonic()))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
