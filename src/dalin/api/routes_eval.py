"""Evaluation runs of a workspace: start one on an uploaded question set, follow it, read it.

A run is a folder ``<workspace>/eval/runs/<run_id>/`` holding the question set, the runner's
own files (see ``dalin.eval.run_folder``), ``report.json`` and ``report.html`` once done, and
``status.json`` (queued, running, done, failed). Runs execute in a background thread, one at
a time per process, through ``dalin.eval.runner.run_evaluation`` as ``dalin eval run`` does.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile, status
from fastapi.responses import HTMLResponse

from dalin.api.auth import Principal, not_found
from dalin.api.deps import Caller, ServerDep, allow
from dalin.api.errors import ApiError
from dalin.api.schemas import LLM_PATTERN, EvalRunOut, EvalRunStarted
from dalin.api.server import Server
from dalin.errors import DalinError
from dalin.eval.datasets import load_question_set
from dalin.eval.report import CSP as REPORT_CSP
from dalin.eval.report import write_report
from dalin.eval.runner import run_evaluation
from dalin.eval.schema import QuestionItem

log = logging.getLogger("dalin.api")
router = APIRouter(tags=["evaluation"])

RUNS_DIR = Path("eval") / "runs"
STATUS_NAME = "status.json"
QUESTIONS_NAME = "questions.jsonl"
MAX_QUESTIONS_BYTES = 10 * 2**20
MAX_MODELS = 8
_RUN_ID = re.compile(r"^[0-9A-Za-z-]{1,64}$")
#: runs take turns: one at a time per process keeps a local model and the CPU for answers
_ONE_AT_A_TIME = threading.Semaphore(1)
#: runs with a live thread in this process; a "running" run not here was interrupted
_LIVE: set[str] = set()
_LIVE_LOCK = threading.Lock()


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


@router.post(
    "/workspaces/{ws}/eval/runs",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start an evaluation run on a question set (.jsonl) with some models (editor)",
)
def start_run(
    server: ServerDep,
    caller: Caller,
    ws: str,
    questions: Annotated[UploadFile, File(description="The question set, JSONL")],
    models: Annotated[
        list[str] | None,
        Form(description="Model specs, repeated or comma-separated (default: the configured)"),
    ] = None,
) -> EvalRunStarted:
    allow(server, caller, ws, "editor")
    configs = _models(models or [])
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
    folder = server.workspace_path(ws) / RUNS_DIR / run_id
    folder.mkdir(parents=True)
    items = _question_set(questions, folder)
    if not configs:
        with server.open_workspace(ws) as workspace:
            configs = [workspace.settings.llm]
    name = (questions.filename or QUESTIONS_NAME).replace("\\", "/").rsplit("/", 1)[-1][:200]
    run = RunStatus(run_id, "queued", name, configs, len(items), _now())
    _write_status(folder, run)
    server.audit(
        caller, "eval_run", f"{ws}/eval/runs/{run_id}", models=",".join(configs),
        questions=len(items),
    )  # fmt: skip
    with _LIVE_LOCK:
        _LIVE.add(run_id)
    thread = threading.Thread(
        target=_execute, args=(server, ws, folder, run, items), name=f"eval-{run_id}", daemon=True
    )
    thread.start()
    return EvalRunStarted(run_id=run_id)


@router.get("/workspaces/{ws}/eval/runs", summary="Evaluation runs, newest first")
def list_runs(server: ServerDep, caller: Caller, ws: str) -> list[EvalRunOut]:
    allow(server, caller, ws)
    root = server.workspace_path(ws) / RUNS_DIR
    folders = sorted(root.iterdir(), reverse=True) if root.is_dir() else []
    runs = [_read_status(f) for f in folders if (f / STATUS_NAME).is_file()]
    return [_out(r, None) for r in runs if r is not None]


@router.get("/workspaces/{ws}/eval/runs/{run_id}", summary="An evaluation run: status, summary")
def get_run(server: ServerDep, caller: Caller, ws: str, run_id: str) -> EvalRunOut:
    folder = _run_folder(server, caller, ws, run_id)
    run = _read_status(folder)
    if run is None:
        raise not_found("evaluation run", run_id)
    return _out(run, folder)


@router.get(
    "/workspaces/{ws}/eval/runs/{run_id}/report.html",
    response_class=HTMLResponse,
    summary="The run's report page (offline HTML, its own strict CSP)",
)
def get_report(server: ServerDep, caller: Caller, ws: str, run_id: str) -> HTMLResponse:
    folder = _run_folder(server, caller, ws, run_id)
    page = folder / "report.html"
    if not page.is_file():
        raise not_found("report", run_id)
    csp = f"{REPORT_CSP}; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
    return HTMLResponse(page.read_text(encoding="utf-8"), headers={"Content-Security-Policy": csp})


# --- helpers -------------------------------------------------------------------------------


def _models(raw: list[str]) -> list[str]:
    specs = list(dict.fromkeys(s.strip() for part in raw for s in part.split(",") if s.strip()))
    bad = [s for s in specs if not re.fullmatch(LLM_PATTERN, s)]
    if bad or len(specs) > MAX_MODELS:
        raise ApiError(
            422,
            "invalid_request",
            f"models: at most {MAX_MODELS} of extractive, local, openai:MODEL, deepseek:MODEL"
            f" (refused: {', '.join(bad)[:200]})",
        )
    return specs


def _question_set(upload: UploadFile, folder: Path) -> list[QuestionItem]:
    data = upload.file.read(MAX_QUESTIONS_BYTES + 1)
    if len(data) > MAX_QUESTIONS_BYTES:
        raise ApiError(413, "too_large", f"the question set is over {MAX_QUESTIONS_BYTES >> 20} MB")
    path = folder / QUESTIONS_NAME
    path.write_bytes(data)
    try:
        items = load_question_set(path)
    except DalinError as exc:
        raise ApiError(422, "bad_question_set", str(exc).replace(str(folder), "")) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(422, "bad_question_set", f"not a JSONL question set: {exc}") from exc
    if not items:
        raise ApiError(422, "bad_question_set", "the question set holds no questions")
    return items


def _execute(
    server: Server, ws: str, folder: Path, run: RunStatus, items: list[QuestionItem]
) -> None:
    """The background thread of one run."""
    try:
        with _ONE_AT_A_TIME:
            run = replace(run, status="running")
            _write_status(folder, run)
            report = run_evaluation(
                server.workspace_path(ws), items, run.models, out_dir=folder,
                question_set=run.question_set,
            )  # fmt: skip
            write_report(report, folder)
            run = replace(run, status="done", finished_at=_now())
    except Exception as exc:  # a thread has no caller: the status file is the only report
        log.exception("evaluation run %s failed", run.run_id)
        message = str(exc) if isinstance(exc, DalinError) else type(exc).__name__
        run = replace(run, status="failed", finished_at=_now(), error=message[:500])
    finally:
        with _LIVE_LOCK:
            _LIVE.discard(run.run_id)
    if folder.is_dir():  # the workspace may have been deleted meanwhile
        _write_status(folder, run)


def _run_folder(server: Server, caller: Principal, ws: str, run_id: str) -> Path:
    allow(server, caller, ws)
    if not _RUN_ID.fullmatch(run_id):
        raise not_found("evaluation run", run_id)
    folder = server.workspace_path(ws) / RUNS_DIR / run_id
    if not (folder / STATUS_NAME).is_file():
        raise not_found("evaluation run", run_id)
    return folder


def _write_status(folder: Path, run: RunStatus) -> None:
    temporary = folder / (STATUS_NAME + ".tmp")
    temporary.write_text(json.dumps(asdict(run), ensure_ascii=False), encoding="utf-8")
    temporary.replace(folder / STATUS_NAME)


def _read_status(folder: Path) -> RunStatus | None:
    try:
        data = json.loads((folder / STATUS_NAME).read_text(encoding="utf-8"))
        run = RunStatus(**data)
    except (OSError, ValueError, TypeError):
        return None
    with _LIVE_LOCK:
        live = run.run_id in _LIVE
    if run.status in ("queued", "running") and not live:
        return replace(run, status="interrupted")
    return run


def _out(run: RunStatus, folder: Path | None) -> EvalRunOut:
    summary: list[dict[str, object]] = []
    if folder is not None and (folder / "report.json").is_file():
        try:
            report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
            summary = list(report.get("summaries", []))
        except (OSError, ValueError):
            summary = []
    return EvalRunOut(**asdict(run), summary=summary)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
