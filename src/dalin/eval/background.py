"""Evaluation runs as background jobs of a served workspace (``dalin serve``).

A run is a folder ``<workspace>/eval/runs/<run_id>/`` holding the question set, the runner's
own files (``dalin.eval.run_folder``), ``report.json`` and ``report.html`` once done, and
``status.json``: queued, running, done, failed, cancelled, or interrupted (the server
stopped while it was queued or running; found so at the next start). The job runs
``dalin.eval.runner.run_evaluation`` on the server's own Workspace, as ``dalin eval run``
does on a folder.
"""

from __future__ import annotations

import json
import logging
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from dalin.errors import DalinError, EvalCancelled
from dalin.eval.report import write_report
from dalin.eval.run_folder import write_durably
from dalin.eval.runner import run_evaluation
from dalin.eval.schema import QuestionItem
from dalin.jobs import JobControl, Work
from dalin.workspace import Workspace

log = logging.getLogger("dalin.eval")

RUNS_DIR = Path("eval") / "runs"
STATUS_NAME = "status.json"
QUESTIONS_NAME = "questions.jsonl"
LIVE = frozenset({"queued", "running"})


@dataclass(frozen=True)
class RunStatus:
    """What ``status.json`` holds."""

    run_id: str
    status: str
    question_set: str
    models: list[str]
    questions: int
    started_at: str
    finished_at: str | None = None
    error: str = ""


def new_run_folder(workspace: Path) -> Path:
    """A fresh, empty run folder under ``workspace`` (its name is the run id)."""
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
    folder = workspace / RUNS_DIR / run_id
    folder.mkdir(parents=True, mode=0o700)
    return folder


def write_status(folder: Path, run: RunStatus) -> None:
    write_durably(folder / STATUS_NAME, json.dumps(asdict(run), ensure_ascii=False))


def read_status(folder: Path) -> RunStatus | None:
    try:
        return RunStatus(**json.loads((folder / STATUS_NAME).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def list_runs(workspace: Path) -> list[RunStatus]:
    """The runs of a workspace, newest first."""
    root = workspace / RUNS_DIR
    folders = sorted(root.iterdir(), reverse=True) if root.is_dir() else []
    return [run for f in folders if (run := read_status(f)) is not None]


def evaluation_job(
    ws: Workspace, folder: Path, run: RunStatus, items: Sequence[QuestionItem]
) -> Work:
    """The job that runs ``run`` in ``folder`` and keeps ``status.json`` up to date."""

    def work(control: JobControl) -> None:
        nonlocal run
        if control.cancelled:  # cancelled while queued
            write_status(folder, replace(run, status="cancelled", finished_at=now_iso()))
            return
        run = replace(run, status="running")
        write_status(folder, run)
        try:
            report = run_evaluation(
                ws, items, run.models, out_dir=folder, question_set=run.question_set,
                progress=control.progress, stop=control.stop,
            )  # fmt: skip
            write_report(report, folder)
            run = replace(run, status="done", finished_at=now_iso())
        except EvalCancelled as exc:
            run = replace(run, status="cancelled", finished_at=now_iso(), error=str(exc))
        except Exception as exc:  # the status file is the run's only report
            if not isinstance(exc, DalinError):
                log.exception("evaluation run %s failed", run.run_id)
            message = str(exc) if isinstance(exc, DalinError) else type(exc).__name__
            run = replace(run, status="failed", finished_at=now_iso(), error=message[:500])
        if folder.is_dir():  # the workspace may have been deleted meanwhile
            write_status(folder, run)

    return work


def recover_runs(workspace: Path) -> tuple[int, int]:
    """At start: mark runs left queued or running as interrupted, and remove folders a
    crash left without a status (made, then never started). Returns (interrupted, removed)."""
    root = workspace / RUNS_DIR
    interrupted = removed = 0
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if not folder.is_dir():
            continue
        run = read_status(folder)
        if run is None:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
        elif run.status in LIVE:
            write_status(folder, replace(run, status="interrupted", finished_at=now_iso()))
            interrupted += 1
    return interrupted, removed


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
