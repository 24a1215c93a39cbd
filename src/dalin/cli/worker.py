"""`dalin worker`: index the files queued in PostgreSQL (see ``dalin.worker``)."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.markup import escape

from dalin.cli.common import EXIT_PARTIAL, fail, fail_on, open_workspace, out, state
from dalin.cli.messages import message, reason
from dalin.config import env_database_url
from dalin.errors import DalinError
from dalin.stores.postgres_jobs import LEASE_SECONDS, IngestJob
from dalin.stores.registry import database_url, workspace_name
from dalin.worker import Worker, WorkerOptions, enqueue_files


def worker_command(
    lease: Annotated[
        float,
        typer.Option(help="Seconds a job stays this worker's without a renewal."),
    ] = LEASE_SECONDS,
    no_embed: Annotated[
        bool, typer.Option("--no-embed", help="Index only; leave the vectors to `dalin embed`.")
    ] = False,
    until_empty: Annotated[
        bool, typer.Option("--until-empty", help="Stop once the queue is empty.")
    ] = False,
) -> None:
    """Index the files queued in PostgreSQL (DALIN_DATABASE_URL), for every workspace,
    until stopped. / PostgreSQL 대기열의 파일을 색인합니다."""
    url = env_database_url()
    if not url:
        fail(message("db.no_url", state().lang))
    try:
        worker = Worker(url, WorkerOptions(lease, embed=not no_embed, until_empty=until_empty))
    except DalinError as exc:
        fail_on(exc)

    def stop(signum: int, frame: FrameType | None) -> None:
        worker.stop.set()  # the job in flight finishes first

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def show(job: IngestJob, outcome: str) -> None:
        out.print(f"{escape(job.workspace)} · {escape(job.name)}: {outcome}")
        out.file.flush()

    out.print(message("worker.started", state().lang, name=worker.name))
    out.file.flush()
    done = worker.run(show)
    out.print(message("worker.stopped", state().lang, jobs=done))


def queue_files(paths: list[Path]) -> None:
    """`dalin add --queue`: put the files in the workspace's queue in PostgreSQL."""
    with open_workspace() as ws:
        if ws.settings.store_backend != "postgres":
            fail(message("queue.not_postgres", state().lang))
        url = database_url(ws.settings)
        jobs, failed = enqueue_files(url, workspace_name(ws.path, ws.settings), paths)
    for f in failed:
        out.print(
            f"[red]✗[/red] {escape(f.path)}\n    {escape(reason(f.code, f.reason, state().lang))}"
        )
    out.print(message("queue.done", state().lang, jobs=len(jobs)))
    if failed:
        raise typer.Exit(EXIT_PARTIAL)
