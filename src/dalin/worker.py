"""`dalin worker`: index the files queued in PostgreSQL, for every workspace, on any machine.

A worker holds nothing between jobs but caches: it takes a job
(:class:`~dalin.stores.postgres_jobs.IngestQueue`), reads that workspace's settings from the
database, parses the file in its own pool of time- and memory-capped parse processes,
indexes it in one transaction, computes the vectors the workspace then lacks, and takes
the next job. Any number of workers may run against one database; a worker killed at any
point leaves its job to be taken again once its lease runs out.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from dalin.embedders import backfill
from dalin.embedders.base import Embedder
from dalin.embedders.registry import make_embedder
from dalin.ingest.limits import Limits
from dalin.ingest.pipeline import Ingestor, discover
from dalin.ingest.worker import ParseWorkers
from dalin.stores.base import Originals, Store
from dalin.stores.postgres_db import database
from dalin.stores.postgres_jobs import LEASE_SECONDS, IngestJob, IngestQueue
from dalin.stores.registry import open_postgres
from dalin.types import FailedFile

log = logging.getLogger("dalin.worker")


@dataclass
class WorkerOptions:
    #: how long a job stays this worker's without a renewal (renewed every third of it)
    lease_seconds: float = LEASE_SECONDS
    #: how long to sleep when the queue is empty
    poll_seconds: float = 1.0
    #: compute the vectors a workspace lacks after indexing into it
    embed: bool = True
    #: stop once no job is queued or running (a dead worker's job is waited for)
    until_empty: bool = False


def enqueue_files(
    url: str, workspace: str, paths: Iterable[str | Path]
) -> tuple[list[IngestJob], list[FailedFile]]:
    """Queue the files under ``paths`` (folders recursively, as `dalin add` finds them) for
    the workers, each under its absolute path; also the files that
    do not exist or cannot be read."""
    files, failed = discover(paths)
    queue = IngestQueue(database(url))
    jobs: list[IngestJob] = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            reason = f"cannot read the file: {exc.strerror or exc}"
            failed.append(FailedFile(str(path), "unreadable", reason))
            continue
        jobs.append(queue.enqueue(workspace, str(path), path.name, data))
    return jobs, failed


def worker_name() -> str:
    """Host and process id: what ``ingest_jobs.worker`` shows."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    """Takes jobs from the queue of the database at ``url`` until told to stop."""

    def __init__(self, url: str, options: WorkerOptions | None = None) -> None:
        self.url = url
        self.options = options or WorkerOptions()
        self.name = worker_name()
        self.queue = IngestQueue(database(url))
        self.stop = threading.Event()
        self._parsers: dict[Limits, ParseWorkers] = {}
        self._embedders: dict[tuple[str, str], Embedder | None] = {}

    def run(self, on_job: Callable[[IngestJob, str], None] | None = None) -> int:
        """Work until ``stop`` is set (or the queue is empty, with ``until_empty``); return
        how many jobs this worker finished."""
        finished = 0
        try:
            while not self.stop.is_set():
                taken = self.queue.take(self.name, self.options.lease_seconds)
                if taken is None:
                    if self.options.until_empty and not self.queue.waiting():
                        break
                    self.stop.wait(self.options.poll_seconds)
                    continue
                job, data = taken
                outcome = self._work(job, data)
                finished += 1
                if on_job is not None:
                    on_job(job, outcome)
        finally:
            for parsers in self._parsers.values():
                parsers.close()
        return finished

    def _work(self, job: IngestJob, data: bytes) -> str:
        """Index one job's file under a renewed lease; return what happened."""
        done = threading.Event()
        renewer = threading.Thread(target=self._renew, args=(job, done), daemon=True)
        renewer.start()
        try:
            opened = open_postgres(self.url, job.workspace)
            settings = opened.settings
            parsers = self._parsers.get(settings.limits)
            if parsers is None:
                parsers = self._parsers[settings.limits] = ParseWorkers(settings.limits, 1)
            ingestor = Ingestor(
                opened.store,
                parsers,
                limits=settings.limits,
                max_chunk_chars=settings.max_chunk_chars,
            )
            report = ingestor.add_bytes(job.path, job.name, data)
            stored = opened.store.get_document(job.path)
            failure = report.failed[0].reason if report.failed else ""
            if job.keep and isinstance(opened.store, Originals):
                # before the job ends, so a finished upload can be indexed again at once;
                # a failed one too (its document records the failure, and a retry reads this)
                opened.store.keep_original(job.path, data)
            self.queue.finish(job, stored.id if stored else None, failure)
            if self.options.embed and not failure:
                self._embed(job, opened.store, settings.embedder, settings.embed_base_url)
            return "failed" if failure else "indexed"
        except Exception as exc:  # keep working; the lease runs out and the job is retried
            log.exception("job %s (%s) stopped: %s", job.id, job.name, exc)
            return "error"
        finally:
            done.set()
            renewer.join()

    def _renew(self, job: IngestJob, done: threading.Event) -> None:
        while not done.wait(self.options.lease_seconds / 3):
            try:
                if not self.queue.renew(job, self.name, self.options.lease_seconds):
                    return
            except Exception as exc:  # the next renewal may succeed; the lease says when
                log.warning("could not renew the lease of job %s: %s", job.id, exc)

    def _embed(self, job: IngestJob, store: Store, spec: str, base_url: str) -> None:
        key = (spec, base_url)
        if key not in self._embedders:
            self._embedders[key] = make_embedder(spec, base_url=base_url or None)
        embedder = self._embedders[key]
        if embedder is None:
            return
        try:
            backfill.embed_pending(store, embedder, stop=self.stop)
        except Exception as exc:  # vectors come later (`dalin embed`, the next job)
            log.warning("vectors of %s not computed now: %s", job.workspace, exc)
