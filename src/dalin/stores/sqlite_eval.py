"""Evaluation runs in the SQLite store (``dalin.stores.eval_runs``); each function runs in
the caller's connection, writes inside its write transaction. Heartbeats are Unix times:
one SQLite file is served from one machine."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from dalin.stores.base import LIVE_RUN, EvalRun
from dalin.stores.eval_runs import COLUMNS, changes, from_row, models_json

_LIVE = ",".join(f"'{s}'" for s in sorted(LIVE_RUN))


def add(db: sqlite3.Connection, run: EvalRun) -> None:
    db.execute(
        "INSERT INTO eval_runs (run_id, status, question_set, models, questions, started_at,"
        " finished_at, error, done, total, owner, heartbeat) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            run.run_id, run.status, run.question_set, models_json(run.models), run.questions,
            run.started_at, run.finished_at, run.error, run.done, run.total, run.owner,
            time.time(),
        ),
    )  # fmt: skip


def runs(db: sqlite3.Connection, limit: int, run_id: str | None = None) -> list[EvalRun]:
    where, args = ("WHERE run_id = ?", [run_id]) if run_id is not None else ("", [])
    rows = db.execute(
        f"SELECT {COLUMNS}, heartbeat FROM eval_runs {where}"
        " ORDER BY started_at DESC, run_id DESC LIMIT ?",
        [*args, limit],
    ).fetchall()
    now = time.time()
    return [from_row(tuple(r), now - float(r["heartbeat"])) for r in rows]


def update(db: sqlite3.Connection, run_id: str, **given: object) -> bool:
    sets = changes(**given)  # type: ignore[arg-type]  # the Store method's keywords
    db.execute(
        "UPDATE eval_runs SET "
        + "".join(f"{column} = ?, " for column, _ in sets)
        + "heartbeat = ? WHERE run_id = ?",
        [*(value for _, value in sets), time.time(), run_id],
    )
    row = db.execute("SELECT cancel_requested FROM eval_runs WHERE run_id = ?", (run_id,))
    found = row.fetchone()
    return bool(found and found[0])


def cancel(db: sqlite3.Connection, run_id: str) -> bool:
    cursor = db.execute(
        f"UPDATE eval_runs SET cancel_requested = 1 WHERE run_id = ? AND status IN ({_LIVE})",
        (run_id,),
    )
    return cursor.rowcount > 0


def report(db: sqlite3.Connection, run_id: str) -> str | None:
    row = db.execute("SELECT report FROM eval_runs WHERE run_id = ?", (run_id,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def redact(db: sqlite3.Connection, redactor: Callable[[str], str | None]) -> int:
    changed = 0
    rows = db.execute("SELECT run_id, report FROM eval_runs WHERE report IS NOT NULL")
    for run_id, text in rows.fetchall():
        redacted = redactor(str(text))
        if redacted is not None:
            db.execute("UPDATE eval_runs SET report = ? WHERE run_id = ?", (redacted, run_id))
            changed += 1
    return changed
