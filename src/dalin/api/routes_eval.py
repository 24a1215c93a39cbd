"""Evaluation runs of a workspace, and its background jobs.

A run is started on an uploaded question set and queued on the workspace's own evaluation
queue of the process that took it (:mod:`dalin.jobs`: one run at a time per workspace, a
few at a time per process); it is kept in the workspace's store
(:mod:`dalin.eval.background`), so it is followed, read and cancelled through any process.
Jobs are everything the workspace does in the background: vectors after an upload
(``embed``, this process's) and evaluation runs (``eval``, every process's).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile, status
from fastapi.responses import HTMLResponse

from dalin.api.auth import Principal, not_found
from dalin.api.deps import Caller, ServerDep, served
from dalin.api.errors import ApiError
from dalin.api.schemas import INGEST_PREFIX, LLM_PATTERN, EvalRunOut, EvalRunStarted, JobOut
from dalin.api.server import Server
from dalin.errors import DalinError, ModelNotAllowed
from dalin.eval.background import QUESTIONS_NAME, get_run, list_runs, new_run_folder, stored_report
from dalin.eval.datasets import load_question_set
from dalin.eval.report import CSP as REPORT_CSP
from dalin.eval.report import render_html
from dalin.eval.schema import QuestionItem
from dalin.stores.base import EvalRun
from dalin.stores.postgres_jobs import IngestJob
from dalin.workspace import Workspace

log = logging.getLogger("dalin.api")
router = APIRouter(tags=["evaluation"])

MAX_QUESTIONS_BYTES = 10 * 2**20
MAX_MODELS = 8
_RUN_ID = re.compile(r"^[0-9A-Za-z-]{1,64}$")
_JOB_ID = re.compile(r"^[0-9A-Za-z-]{1,64}$")


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
    workspace = served(server, caller, ws, "editor")
    configs = _models(models or []) or [workspace.settings.llm]
    refused = [m for m in configs if m not in server.allowed_models(ws)]
    if refused:
        server.audit(caller, "model_refused", ws, model=",".join(refused))
        raise ModelNotAllowed(
            f"this workspace may not use {', '.join(refused)}; ask an admin to allow it"
            " / 이 작업공간에서 쓸 수 없는 모델입니다. 관리자에게 요청하세요"
        )
    folder = new_run_folder(workspace.path)
    try:
        items = _question_set(questions, folder)
    except BaseException:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
        raise
    name = (questions.filename or QUESTIONS_NAME).replace("\\", "/").rsplit("/", 1)[-1][:200]
    run = EvalRun(folder.name, "queued", name, tuple(configs), len(items), _now())
    server.host.start_evaluation(ws, folder, run, items)
    server.audit(
        caller, "eval_run", f"{ws}/eval/runs/{run.run_id}", models=",".join(configs),
        questions=len(items),
    )  # fmt: skip
    return EvalRunStarted(run_id=run.run_id)


@router.get("/workspaces/{ws}/eval/runs", summary="Evaluation runs, newest first")
def list_eval_runs(server: ServerDep, caller: Caller, ws: str) -> list[EvalRunOut]:
    workspace = served(server, caller, ws)
    return [EvalRunOut.of(r) for r in list_runs(workspace.store)]


@router.get("/workspaces/{ws}/eval/runs/{run_id}", summary="An evaluation run: status, summary")
def get_eval_run(server: ServerDep, caller: Caller, ws: str, run_id: str) -> EvalRunOut:
    run, workspace = _run(server, caller, ws, run_id)
    report = stored_report(workspace.store, run.run_id)
    summary = [] if report is None else [s.to_json() for s in report.summaries]
    return EvalRunOut.of(run, summary)


@router.post(
    "/workspaces/{ws}/eval/runs/{run_id}/cancel",
    summary="Cancel a queued or running evaluation (editor); answers so far are kept",
)
def cancel_run(server: ServerDep, caller: Caller, ws: str, run_id: str) -> JobOut:
    run, _ = _run(server, caller, ws, run_id, "editor")
    if not server.host.cancel_evaluation(ws, run_id):
        raise ApiError(409, "not_running", f"evaluation run {run_id} is not queued or running")
    server.audit(caller, "eval_cancel", f"{ws}/eval/runs/{run_id}")
    return _job_of(server, ws, run)


@router.get(
    "/workspaces/{ws}/eval/runs/{run_id}/report.html",
    response_class=HTMLResponse,
    summary="The run's report page (offline HTML, its own strict CSP)",
)
def get_report(server: ServerDep, caller: Caller, ws: str, run_id: str) -> HTMLResponse:
    run, workspace = _run(server, caller, ws, run_id)
    report = stored_report(workspace.store, run.run_id)
    if report is None:
        raise not_found("report", run_id)
    csp = f"{REPORT_CSP}; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
    return HTMLResponse(render_html(report), headers={"Content-Security-Policy": csp})


@router.get("/workspaces/{ws}/jobs", summary="Background jobs: vectors, evaluations, queued files")
def list_jobs(server: ServerDep, caller: Caller, ws: str) -> list[JobOut]:
    workspace = served(server, caller, ws)
    here = [JobOut.of(j) for j in server.host.jobs.of(ws)]
    known = {j.id for j in here}
    # evaluation runs of the other processes on the same store
    elsewhere = [JobOut.of_run(r) for r in list_runs(workspace.store, 50) if r.run_id not in known]
    queued = [JobOut.of_ingest(j) for j in server.ingest_jobs(ws)]  # for any worker
    return sorted(here + elsewhere + queued, key=lambda j: j.created_at, reverse=True)


@router.get("/workspaces/{ws}/jobs/{job_id}", summary="One background job")
def get_job(server: ServerDep, caller: Caller, ws: str, job_id: str) -> JobOut:
    workspace = served(server, caller, ws)
    if (number := _ingest_number(job_id)) is not None:
        return JobOut.of_ingest(_ingest_job(server, ws, number))
    job = server.host.jobs.get(ws, job_id) if _JOB_ID.fullmatch(job_id) else None
    if job is not None:
        return JobOut.of(job)
    run = get_run(workspace.store, job_id) if _RUN_ID.fullmatch(job_id) else None
    if run is None:
        raise not_found("job", job_id)
    return JobOut.of_run(run)


@router.post("/workspaces/{ws}/jobs/{job_id}/cancel", summary="Cancel a background job (editor)")
def cancel_job(server: ServerDep, caller: Caller, ws: str, job_id: str) -> JobOut:
    workspace = served(server, caller, ws, "editor")
    if (number := _ingest_number(job_id)) is not None:
        _ingest_job(server, ws, number)  # 404 when it is not this workspace's
        raise ApiError(
            409,
            "not_cancellable",
            "a file queued for the workers is indexed as it comes; delete its document"
            " afterwards / 작업자에게 넘긴 파일은 취소할 수 없습니다. 색인된 뒤 문서를 지우세요",
        )
    if not _JOB_ID.fullmatch(job_id):
        raise not_found("job", job_id)
    job = server.host.jobs.cancel(ws, job_id)
    if job is not None:
        server.audit(caller, "job_cancel", f"{ws}/jobs/{job_id}", kind=job.kind)
        if job.kind == "eval":
            workspace.store.cancel_eval_run(job_id)
        return JobOut.of(job)
    run = get_run(workspace.store, job_id)
    if run is None:
        raise not_found("job", job_id)
    server.host.cancel_evaluation(ws, job_id)  # run by another process: stops at its beat
    server.audit(caller, "job_cancel", f"{ws}/jobs/{job_id}", kind="eval")
    return _job_of(server, ws, run)


# --- helpers -------------------------------------------------------------------------------


def _ingest_number(job_id: str) -> int | None:
    """The queue's number in the id of a file queued for the workers ("ingest-12")."""
    found = re.fullmatch(rf"{INGEST_PREFIX}([0-9]{{1,18}})", job_id)
    return int(found.group(1)) if found else None


def _ingest_job(server: Server, ws: str, number: int) -> IngestJob:
    job = server.ingest_job(ws, number)
    if job is None:
        raise not_found("job", f"{INGEST_PREFIX}{number}")
    return job


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


def _run(
    server: Server, caller: Principal, ws: str, run_id: str, role: str = "viewer"
) -> tuple[EvalRun, Workspace]:
    workspace = served(server, caller, ws, role)
    run = get_run(workspace.store, run_id) if _RUN_ID.fullmatch(run_id) else None
    if run is None:
        raise not_found("evaluation run", run_id)
    return run, workspace


def _job_of(server: Server, ws: str, run: EvalRun) -> JobOut:
    """The run as a job: this process's job when it runs here, else as the store has it."""
    job = server.host.jobs.get(ws, run.run_id)
    if job is not None:
        return JobOut.of(job)
    found = get_run(server.served(ws).store, run.run_id) or run
    return JobOut.of_run(found)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
