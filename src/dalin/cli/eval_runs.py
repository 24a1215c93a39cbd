"""`dalin eval runs` and `dalin eval report`: the evaluation runs kept in the workspace's
store and their reports as files.

Runs started through `dalin serve` (the web UI, ``POST .../eval/runs``) live in the store, not
in a folder, so that every serving process on one database shares them; these two commands
show them at the command line, and write a run's report where the user wants it
(``report.json`` and ``report.html``, as `dalin eval run` writes its own). Registered on the
``eval`` sub-app by the last lines of this module; ``dalin.cli.eval`` imports it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from dalin.cli.common import JsonOption, fail, json_output, open_workspace, out, print_json, state
from dalin.cli.messages import message
from dalin.eval.background import get_run, list_runs, stored_report
from dalin.eval.report import write_report
from dalin.stores.base import EvalRun


def _say(key: str, **values: object) -> str:
    return message(key, state().lang, **values)


def runs(
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=1000, help="Newest runs to list.")
    ] = 20,
    as_json: JsonOption = False,
) -> None:
    """List the evaluation runs kept in the workspace (those dalin serve ran), newest first.
    / 작업공간에 저장된 평가 실행 목록 (최근 것부터)."""
    json_output(as_json)
    with open_workspace() as ws:
        found = list_runs(ws.store, limit)
    if as_json:
        print_json([_as_json(r) for r in found])
        return
    if not found:
        out.print(_say("eval.runs.none"))
        return
    # the id is what `dalin eval report` takes: never cut, the other columns give way
    table = Table()
    table.add_column("run", no_wrap=True, min_width=max(len(r.run_id) for r in found))
    for name in ("status", "set", "models", "done", "started"):
        table.add_column(name, overflow="fold")
    for r in found:
        table.add_row(
            escape(r.run_id), r.status, escape(r.question_set), escape(", ".join(r.models)),
            f"{r.done}/{r.total or r.questions}", r.started_at[:16].replace("T", " "),
        )  # fmt: skip
    out.print(table)


def report(
    run_id: Annotated[str, typer.Argument(metavar="RUN", help="The run's id (dalin eval runs).")],
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write report.json and report.html to."),
    ] = None,
) -> None:
    """Write a kept run's report (report.json, report.html) to a folder.
    / 저장된 평가 실행의 보고서를 폴더에 씁니다."""
    with open_workspace() as ws:
        run = get_run(ws.store, run_id)
        if run is None:
            fail(_say("eval.runs.unknown", run_id=run_id))
        kept = stored_report(ws.store, run_id)
    if kept is None:
        fail(_say("eval.runs.no_report", run_id=run_id, status=run.status))
    paths = write_report(kept, out_dir or Path(f"report-{run_id}"))
    out.print(_say("eval.runs.written", html=escape(str(paths["html"]))))


def _as_json(run: EvalRun) -> dict[str, object]:
    fields = dataclasses.asdict(run)
    for private in ("owner", "idle_seconds", "cancel_requested"):
        del fields[private]
    return fields


# Registered here, so the eval sub-app's module only has to import this one.
from dalin.cli.eval import eval_app  # noqa: E402

eval_app.command("runs")(runs)
eval_app.command("report")(report)
