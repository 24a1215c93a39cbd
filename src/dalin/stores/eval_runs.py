"""Evaluation runs kept in the workspace store, the part both backends share.

A served workspace's runs live in its store (table ``eval_runs``) rather than in a folder of
the process that runs them, so every ``dalin serve`` process on one database lists them,
reads their reports and cancels them (issue 14 item 1). The owner of a live run refreshes
``heartbeat`` every few seconds; the store reports how long ago that was by its own clock
(``EvalRun.idle_seconds``), so processes on machines whose clocks differ agree on which
runs lost their owner. ``report`` is the finished run's ``RunReport`` JSON, or the answers
so far of a cancelled one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from dalin.stores.base import EvalRun

#: columns read back into an EvalRun, in this order (``idle`` is computed per backend)
COLUMNS = (
    "run_id, status, question_set, models, questions, started_at, finished_at, error,"
    " done, total, owner, cancel_requested"
)


def changes(
    *,
    status: str | None,
    done: int | None,
    total: int | None,
    error: str | None,
    finished_at: str | None,
    report: str | None,
) -> list[tuple[str, object]]:
    """(column, value) of what an update sets, leaving out what was not given."""
    given: list[tuple[str, object | None]] = [
        ("status", status),
        ("done", done),
        ("total", total),
        ("error", None if error is None else error[:500]),
        ("finished_at", finished_at),
        ("report", report),
    ]
    return [(column, value) for column, value in given if value is not None]


def models_json(models: Sequence[str]) -> str:
    return json.dumps(list(models), ensure_ascii=False)


def from_row(row: Sequence[Any], idle: float) -> EvalRun:
    """An EvalRun from the ``COLUMNS`` of a row and its owner's idle seconds."""
    models = row[3] if isinstance(row[3], list) else json.loads(row[3])
    return EvalRun(
        run_id=str(row[0]),
        status=str(row[1]),
        question_set=str(row[2]),
        models=tuple(str(m) for m in models),
        questions=int(row[4]),
        started_at=str(row[5]),
        finished_at=None if row[6] is None else str(row[6]),
        error=str(row[7]),
        done=int(row[8]),
        total=int(row[9]),
        owner=str(row[10]),
        idle_seconds=max(0.0, float(idle)),
        cancel_requested=bool(row[11]),
    )
