"""Evaluation runs as background jobs of a served workspace (``dalin serve``).

A run lives in the workspace's store (:class:`dalin.stores.base.EvalRun`): its status,
progress, a cancel request and, once over, its report, so every serving process on one
database lists it, reads its report and cancels it (issue 14 item 1). The process that runs
it (its ``owner``) works in a scratch folder ``<workspace>/eval/runs/<run_id>/`` holding the
question set and the runner's own files (``dalin.eval.run_folder``), says every few seconds
that it is alive (``Host`` does, for its queued and running runs), and removes the folder
once the report is in the store.

A queued or running run whose owner fell silent for :data:`STALE_SECONDS`, or whose owner
was a process of this machine that is gone, is shown as ``interrupted``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from dalin.errors import DalinError, EvalCancelled
from dalin.eval.aggregate import summarise_all
from dalin.eval.run_folder import RESULTS_NAME, RUN_NAME, read_results
from dalin.eval.runner import run_evaluation
from dalin.eval.schema import QuestionItem, RunReport
from dalin.jobs import JobControl, Work
from dalin.stores.base import LIVE_RUN, EvalRun, Store
from dalin.workspace import Workspace

log = logging.getLogger("dalin.eval")

RUNS_DIR = Path("eval") / "runs"
QUESTIONS_NAME = "questions.jsonl"
#: a run's status before this release, in its folder (imported into the store at start)
LEGACY_STATUS_NAME = "status.json"
LIVE = LIVE_RUN
#: how often the owner of a live run says so and looks for a cancel request
HEARTBEAT_SECONDS = 5.0
#: a live run whose owner was silent this long is shown as interrupted
STALE_SECONDS = 60.0
#: progress is written to the store at most this often (and at the end)
PROGRESS_SECONDS = 1.0
#: the name of a served run's folder (``new_run_folder``). `dalin eval run` keeps its own
#: runs in the same ``eval/runs/`` folder under other names (``20261204T101500Z``, or an
#: ``--out`` of the user's): those are reports, never scratch, and start-up leaves them be
SERVED_RUN_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{8}")

#: owners (``Host``) alive in this process, so a run of one closed here reads as interrupted
_LIVE_OWNERS: set[str] = set()
_OWNERS_LOCK = threading.Lock()


def new_owner() -> str:
    """A name for a process's run owner: ``host:pid:nonce``; alive until ``owner_gone``."""
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    with _OWNERS_LOCK:
        _LIVE_OWNERS.add(owner)
    return owner


def owner_gone(owner: str) -> None:
    with _OWNERS_LOCK:
        _LIVE_OWNERS.discard(owner)


def new_run_folder(workspace: Path) -> Path:
    """A fresh, empty scratch folder under ``workspace`` (its name is the run id)."""
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
    folder = workspace / RUNS_DIR / run_id
    folder.mkdir(parents=True, mode=0o700)
    return folder


def shown(run: EvalRun) -> EvalRun:
    """The run as users see it: ``interrupted`` when it is live but its owner is not."""
    if run.status in LIVE and (run.idle_seconds > STALE_SECONDS or _dead(run.owner)):
        return replace(run, status="interrupted")
    return run


def _dead(owner: str) -> bool:
    """Whether ``owner`` was a process of this machine that is gone (or a closed Host of
    this process); owners elsewhere are judged by their heartbeat only."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    if int(pid_text) == os.getpid():
        with _OWNERS_LOCK:
            return owner not in _LIVE_OWNERS
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:  # another user's process: alive
        return False
    return False


def list_runs(store: Store, limit: int = 100) -> list[EvalRun]:
    """The runs of a workspace, newest first, as users see them."""
    return [shown(r) for r in store.eval_runs(limit)]


def get_run(store: Store, run_id: str) -> EvalRun | None:
    run = store.eval_run(run_id)
    return None if run is None else shown(run)


def live_runs(store: Store) -> list[EvalRun]:
    """Runs still queued or running with an owner alive: their reports are not written yet."""
    return [r for r in list_runs(store, 1000) if r.status in LIVE]


def evaluation_job(
    ws: Workspace, folder: Path, run: EvalRun, items: Sequence[QuestionItem]
) -> Work:
    """The job that runs ``run`` in the scratch ``folder``, keeps the store up to date and
    leaves the report there."""
    store = ws.store

    def work(control: JobControl) -> None:
        if control.cancelled:  # cancelled while queued
            finish(store, folder, run.run_id, "cancelled")
            return
        store.update_eval_run(run.run_id, status="running")
        progress = _Progress(store, run.run_id, control)
        try:
            report = run_evaluation(
                ws, items, list(run.models), out_dir=folder, question_set=run.question_set,
                progress=progress, stop=control.stop,
            )  # fmt: skip
            finish(store, folder, run.run_id, "done", report=report)
        except EvalCancelled as exc:
            answered = partial_report(folder, run)
            finish(store, folder, run.run_id, "cancelled", error=str(exc), report=answered)
        except Exception as exc:  # the store's status is the run's only report
            if not isinstance(exc, DalinError):
                log.exception("evaluation run %s failed", run.run_id)
            message = str(exc) if isinstance(exc, DalinError) else type(exc).__name__
            finish(store, folder, run.run_id, "failed", error=message)

    return work


class _Progress:
    """The runner's progress callback: to the job at once, to the store now and then (and
    a cancel request found there stops the job)."""

    def __init__(self, store: Store, run_id: str, control: JobControl) -> None:
        self._store, self._run_id, self._control = store, run_id, control
        self._written = 0.0

    def __call__(self, done: int, total: int) -> None:
        self._control.progress(done, total)
        now = time.monotonic()
        if now - self._written < PROGRESS_SECONDS and done < total:
            return
        self._written = now
        if self._store.update_eval_run(self._run_id, done=done, total=total):
            self._control.stop.set()


def finish(
    store: Store,
    folder: Path,
    run_id: str,
    status: str,
    *,
    error: str = "",
    report: RunReport | None = None,
) -> None:
    """Record how the run ended (with its report) in one update, then drop its folder."""
    done = len(report.results) if report is not None else None
    text = None if report is None else json.dumps(report.to_json(), ensure_ascii=False)
    store.update_eval_run(
        run_id, status=status, error=error, finished_at=now_iso(), report=text, done=done
    )
    shutil.rmtree(folder, ignore_errors=True)


def partial_report(folder: Path, run: EvalRun) -> RunReport | None:
    """The answers a cancelled run recorded, as a report (None when there are none)."""
    results = tuple(read_results(folder / RESULTS_NAME))
    if not results:
        return None
    names = list(dict.fromkeys(r.config for r in results))
    try:
        k = int(json.loads((folder / RUN_NAME).read_text(encoding="utf-8"))["k"])
    except (OSError, ValueError, KeyError, TypeError):
        k = 0
    return RunReport(
        run_id=run.run_id,
        question_set=run.question_set,
        started_at=run.started_at,
        finished_at=now_iso(),
        k=k,
        summaries=summarise_all(results, names),
        results=results,
    )


def stored_report(store: Store, run_id: str) -> RunReport | None:
    """The run's report; None when it has none (or an unreadable one, emptied by a
    redaction)."""
    try:
        return RunReport.from_json(json.loads(store.eval_report(run_id) or ""))
    except (ValueError, KeyError, TypeError):
        return None


def tidy_runs(store: Store, workspace: Path) -> tuple[int, int]:
    """At start: move runs kept in folders by an older dalin into the store, remove scratch
    folders no live run owns, and record runs whose owner is gone as interrupted. Returns
    (interrupted, folders removed)."""
    imported = removed = 0
    root = workspace / RUNS_DIR
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if not folder.is_dir() or not SERVED_RUN_ID.fullmatch(folder.name):
            continue  # a run of `dalin eval run`: its report, not a server's scratch
        if (folder / LEGACY_STATUS_NAME).is_file():
            imported += _import_legacy(store, folder)
        found = store.eval_run(folder.name)
        if found is None or shown(found).status not in LIVE:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    interrupted = imported
    for run in store.eval_runs(1000):
        if run.status in LIVE and shown(run).status == "interrupted":
            store.update_eval_run(run.run_id, status="interrupted", finished_at=now_iso())
            interrupted += 1
    return interrupted, removed


def _import_legacy(store: Store, folder: Path) -> int:
    """A run folder of an older dalin into the store (its report too); 1 if it was live."""
    found = legacy_run(folder)
    if found is None or store.eval_run(found.run.run_id) is not None:
        return 0
    store.add_eval_run(found.run)
    if found.report is not None:
        store.update_eval_run(found.run.run_id, report=found.report)
    return int(found.was_live)


@dataclass(frozen=True)
class LegacyRun:
    """A run an older dalin kept in a folder (``status.json``, ``run_report.json``)."""

    run: EvalRun
    #: the report JSON, if it was written
    report: str | None
    #: it had not finished: it is ``interrupted`` now
    was_live: bool


def legacy_run(folder: Path) -> LegacyRun | None:
    """The run an older dalin kept in ``folder``; one it had not finished is interrupted
    now. None when there is none, or it is unreadable."""
    try:
        raw = json.loads((folder / LEGACY_STATUS_NAME).read_text(encoding="utf-8"))
        run = EvalRun(
            run_id=folder.name, status=str(raw["status"]), question_set=str(raw["question_set"]),
            models=tuple(raw["models"]), questions=int(raw["questions"]),
            started_at=str(raw["started_at"]), finished_at=raw.get("finished_at"),
            error=str(raw.get("error", "")),
        )  # fmt: skip
        kept = folder / "run_report.json"
        report = kept.read_text(encoding="utf-8") if kept.is_file() else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    was_live = run.status in LIVE
    if was_live:
        run = replace(run, status="interrupted", finished_at=now_iso())
    return LegacyRun(run, report, was_live)


def legacy_runs(workspace: Path) -> list[LegacyRun]:
    """Every run an older dalin kept in folders of ``workspace``, oldest first."""
    root = workspace / RUNS_DIR
    folders = sorted(root.iterdir()) if root.is_dir() else []
    served = [f for f in folders if f.is_dir() and SERVED_RUN_ID.fullmatch(f.name)]
    return [found for f in served if (found := legacy_run(f)) is not None]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
