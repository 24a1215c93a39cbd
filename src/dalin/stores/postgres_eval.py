"""Evaluation runs in the PostgreSQL store (``dalin.stores.eval_runs``); each function runs
inside the caller's transaction, under the workspace's row-level security. Heartbeats are
the database's ``now()``, so serving processes on several machines share one clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dalin.stores.base import LIVE_RUN, EvalRun
from dalin.stores.eval_runs import COLUMNS, changes, from_row, models_json

_IDLE = "extract(epoch FROM now() - heartbeat)"


def add(conn: Any, workspace: str, run: EvalRun) -> None:
    conn.execute(
        "INSERT INTO eval_runs (workspace, run_id, status, question_set, models, questions,"
        " started_at, finished_at, error, done, total, owner)"
        " VALUES (%s,%s,%s,%s,%s::jsonb,%s,%s,%s,%s,%s,%s,%s)",
        (
            workspace, run.run_id, run.status, run.question_set, models_json(run.models),
            run.questions, run.started_at, run.finished_at, run.error, run.done, run.total,
            run.owner,
        ),
    )  # fmt: skip


def runs(conn: Any, limit: int, run_id: str | None = None) -> list[EvalRun]:
    where, args = ("WHERE run_id = %s", [run_id]) if run_id is not None else ("", [])
    rows = conn.execute(
        f"SELECT {COLUMNS}, {_IDLE} FROM eval_runs {where}"
        " ORDER BY started_at DESC, run_id DESC LIMIT %s",
        [*args, limit],
    ).fetchall()
    return [from_row(r, float(r[12])) for r in rows]


def update(conn: Any, run_id: str, **given: object) -> bool:
    sets = changes(**given)  # type: ignore[arg-type]  # the Store method's keywords
    row = conn.execute(
        "UPDATE eval_runs SET "
        + "".join(f"{column} = %s, " for column, _ in sets)
        + "heartbeat = now() WHERE run_id = %s RETURNING cancel_requested",
        [*(value for _, value in sets), run_id],
    ).fetchone()
    return bool(row and row[0])


def cancel(conn: Any, run_id: str) -> bool:
    row = conn.execute(
        "UPDATE eval_runs SET cancel_requested = true WHERE run_id = %s AND status = ANY(%s)"
        " RETURNING 1",
        (run_id, sorted(LIVE_RUN)),
    ).fetchone()
    return row is not None


def report(conn: Any, run_id: str) -> str | None:
    row = conn.execute("SELECT report FROM eval_runs WHERE run_id = %s", (run_id,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def redact(conn: Any, redactor: Callable[[str], str | None]) -> int:
    changed = 0
    rows = conn.execute(
        "SELECT run_id, report FROM eval_runs WHERE report IS NOT NULL FOR UPDATE"
    ).fetchall()
    for run_id, text in rows:
        redacted = redactor(str(text))
        if redacted is not None:
            conn.execute("UPDATE eval_runs SET report = %s WHERE run_id = %s", (redacted, run_id))
            changed += 1
    return changed
