"""The ingestion queue in PostgreSQL: files wait in ``ingest_jobs`` for any `dalin worker`.

A worker takes the oldest job with ``FOR UPDATE SKIP LOCKED`` (so two workers never take
the same one) and holds it under a lease it renews while it works. A worker killed with
``kill -9`` stops renewing: once the lease runs out the job is taken again, up to
:data:`MAX_ATTEMPTS` times. Retrying is safe because indexing a file is one transaction
keyed by the document's path: a killed attempt left nothing, a finished one is found
unchanged, and no document is ever added twice or half (SECURITY.md 15).

The file's bytes live in the job until it ends, then are dropped: a finished or failed job
keeps only what happened to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dalin.stores.postgres_db import Database

#: a worker that has not renewed its lease for this long is taken for dead
LEASE_SECONDS = 60.0
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class IngestJob:
    """A file waiting for, being worked by, or done by a worker."""

    id: int
    workspace: str
    path: str
    name: str
    state: str
    attempts: int
    doc_id: int | None = None
    error: str = ""
    worker: str = ""
    #: keep the file in the store once indexed (an upload through `dalin serve`)
    keep: bool = False
    #: when it was queued, and when it last changed (ISO 8601, UTC, to the second)
    created_at: str = ""
    updated_at: str = ""
    #: when a worker last took it (None: still queued)
    started_at: str | None = None


_COLUMNS = (
    "id, workspace, path, name, state, attempts, doc_id, error, worker, keep,"
    " created_at, updated_at, started_at"
)


def _job(row: tuple[Any, ...]) -> IngestJob:
    """A job from a row of ``_COLUMNS``, its times as the library's other jobs write theirs."""
    job_id, workspace, path, name, state, attempts, doc_id, error, worker, keep = row[:10]
    return IngestJob(
        job_id, workspace, path, name, state, attempts, doc_id, error, worker, keep,
        created_at=_iso(row[10]), updated_at=_iso(row[11]),
        started_at=None if row[12] is None else _iso(row[12]),
    )  # fmt: skip


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class IngestQueue:
    """Jobs of every workspace in the database behind ``db``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def enqueue(
        self, workspace: str, path: str, name: str, data: bytes, *, keep: bool = False
    ) -> IngestJob:
        """Queue one file of ``workspace`` under the document path ``path``; ``keep``: the
        worker keeps the file in the store once indexed (``Originals``)."""
        with self.db.transaction(workspace) as conn:
            row = conn.execute(
                "INSERT INTO ingest_jobs (workspace, path, name, data, keep)"
                f" VALUES (%s,%s,%s,%s,%s) RETURNING {_COLUMNS}",
                (workspace, path, name, data, keep),
            ).fetchone()
        return _job(row)

    def take(
        self, worker: str, lease: float = LEASE_SECONDS, max_attempts: int = MAX_ATTEMPTS
    ) -> tuple[IngestJob, bytes] | None:
        """The oldest job no live worker holds, now leased to ``worker``, with its bytes."""
        with self.db.transaction() as conn:
            conn.execute("SELECT give_up_ingest_jobs(%s)", (max_attempts,))
            taken = conn.execute(
                "SELECT job_id, job_workspace FROM take_ingest_job(%s, %s, %s)",
                (worker, lease, max_attempts),
            ).fetchone()
        if taken is None:
            return None
        job_id, workspace = taken
        with self.db.transaction(workspace) as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS}, data FROM ingest_jobs WHERE id = %s", (job_id,)
            ).fetchone()
        return _job(row[:-1]), bytes(row[-1])

    def waiting(self) -> int:
        """Jobs queued or running, in every workspace."""
        with self.db.transaction() as conn:
            return int(conn.execute("SELECT ingest_jobs_waiting()").fetchone()[0])

    def waiting_bytes(self, workspace: str, but: str = "") -> int:
        """Bytes of ``workspace``'s files still waiting for a worker, but the one of the
        document ``but`` (what a storage quota must count before they are indexed)."""
        with self.db.transaction(workspace) as conn:
            row = conn.execute(
                "SELECT coalesce(sum(length(data)), 0) FROM ingest_jobs"
                " WHERE state IN ('queued', 'running') AND path <> %s",
                (but,),
            ).fetchone()
        return int(row[0])

    def renew(self, job: IngestJob, worker: str, lease: float = LEASE_SECONDS) -> bool:
        """Extend the lease; False when the job is no longer this worker's."""
        with self.db.transaction(job.workspace) as conn:
            done = conn.execute(
                "UPDATE ingest_jobs SET lease_until = now() + make_interval(secs => %s)"
                " WHERE id = %s AND worker = %s AND state = 'running'",
                (lease, job.id, worker),
            ).rowcount
        return bool(done)

    def finish(self, job: IngestJob, doc_id: int | None, error: str = "") -> None:
        """Record the outcome and drop the file's bytes."""
        with self.db.transaction(job.workspace) as conn:
            conn.execute(
                "UPDATE ingest_jobs SET state = %s, doc_id = %s, error = %s, data = ''::bytea,"
                " lease_until = NULL, updated_at = now() WHERE id = %s",
                ("failed" if error and doc_id is None else "done", doc_id, error, job.id),
            )

    def get(self, workspace: str, job_id: int) -> IngestJob | None:
        with self.db.transaction(workspace) as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM ingest_jobs WHERE id = %s", (job_id,)
            ).fetchone()
        return None if row is None else _job(row)

    def jobs(self, workspace: str, limit: int = 100) -> list[IngestJob]:
        """The workspace's jobs, newest first."""
        with self.db.transaction(workspace) as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM ingest_jobs ORDER BY id DESC LIMIT %s", (limit,)
            ).fetchall()
        return [_job(r) for r in rows]
