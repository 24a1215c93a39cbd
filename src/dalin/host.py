"""Workspaces served together by one long-running process (``dalin serve``).

A :class:`Host` opens each workspace once and keeps it for its lifetime (a Workspace is safe
across threads), so its models, HTTP clients, caches and indexes are built once, not per
request (issue 14 item 1). All its workspaces share one pool of parse workers under one
memory budget, and their background work (vectors after an upload, evaluation runs) runs
as jobs with a queue per workspace (:mod:`dalin.jobs`).

Uploads live in each workspace's ``files/`` folder, or, once indexed, in the store itself
when it keeps originals (PostgreSQL: any process can then index a document again, and a
deletion through any process removes its file). At start, what a crash may have left
there is cleared: partial uploads (``.upload-*``), files saved but never indexed, and
evaluation scratch folders no live run owns; runs whose owner is gone are marked
interrupted, deleted documents' text is taken out of the reports, and chunks without vectors
are queued for embedding.

Evaluation runs are kept in each workspace's store (:mod:`dalin.eval.background`), so any
process on one database lists and cancels them; the host says every few seconds that its
own queued and running runs are alive, and stops those another process asked to cancel.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from dalin.eval.background import (
    HEARTBEAT_SECONDS,
    evaluation_job,
    finish,
    new_owner,
    owner_gone,
    tidy_runs,
)
from dalin.eval.schema import QuestionItem
from dalin.ingest.limits import Limits
from dalin.ingest.worker import ParseWorkers
from dalin.jobs import JobControl, JobInfo, Jobs
from dalin.llm.registry import endpoint_host
from dalin.stores.base import EvalRun, Originals
from dalin.types import DocumentInfo, IngestReport
from dalin.workspace import Workspace

if TYPE_CHECKING:  # psycopg loads only where PostgreSQL is used
    from dalin.stores.postgres_jobs import IngestJob, IngestQueue

log = logging.getLogger("dalin.host")

FILES_DIR = "files"
#: the name an upload has while it is being written (renamed when complete)
UPLOAD_PREFIX = ".upload-"
#: how long stopping waits for running jobs
STOP_SECONDS = 30.0


def default_parse_budget() -> int:
    """Half the machine's memory, and at least room for one parse."""
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        physical = 0
    return max(Limits().max_memory_bytes, physical // 2)


class Host:
    """The open workspaces of one process, their shared parse pool and their jobs."""

    def __init__(
        self,
        folder_of: Callable[[str], Path],
        *,
        parse_workers: int = 0,
        parse_memory_bytes: int | None = None,
        answer_seconds: float | None = 120.0,
        job_slots: Mapping[str, int] | None = None,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
    ) -> None:
        """Args:
        folder_of: the folder of a workspace, by its name.
        parse_workers: parses at once over all workspaces (0: one per CPU core).
        parse_memory_bytes: what the memory caps of the parses in flight may add up to
            (default: half the machine's memory).
        answer_seconds: the longest a model may take over one answer (None: no limit
            beyond each workspace's per-read timeout).
        job_slots: jobs of each kind that may run at once (``dalin.jobs.DEFAULT_SLOTS``).
        heartbeat_seconds: how often this process's live evaluation runs are said alive
            and looked at for a cancel request from another process.
        """
        self._folder_of = folder_of
        self.answer_seconds = answer_seconds
        self.parse = ParseWorkers(
            Limits(),
            parse_workers or os.cpu_count() or 1,
            memory_budget=parse_memory_bytes or default_parse_budget(),
        )
        self.jobs = Jobs(job_slots)
        self._open: dict[str, Workspace] = {}
        self._lock = threading.Lock()
        self._name_locks: dict[tuple[str, str], threading.Lock] = {}
        #: who runs this process's evaluation runs, as the store records it
        self.owner = new_owner()
        self._stopping = threading.Event()
        self._heartbeat_seconds = heartbeat_seconds
        self._heartbeat = threading.Thread(
            target=self._beat, name="dalin-eval-heartbeat", daemon=True
        )
        self._heartbeat.start()

    # --- workspaces ----------------------------------------------------------------------------

    def workspace(self, slug: str) -> Workspace:
        """Workspace ``slug``, opened on first use and kept until ``forget``."""
        with self._lock:
            ws = self._open.get(slug)
            if ws is None:
                ws = Workspace.open(self._folder_of(slug), parse_workers=self.parse)
                configured = endpoint_host(ws.settings.llm, ws.settings.base_url or None)
                ws.api_key_hosts = frozenset({configured} if configured else ())
                ws.answer_seconds = self.answer_seconds
                self._open[slug] = ws
            return ws

    def forget(self, slug: str) -> None:
        """Stop serving ``slug``: cancel its jobs and close it (before its folder goes)."""
        self.jobs.cancel_workspace(slug, STOP_SECONDS)
        with self._lock:
            ws = self._open.pop(slug, None)
        if ws is not None:
            ws.close()

    def files_dir(self, slug: str) -> Path:
        """Where uploads to ``slug`` are kept (made private on first use)."""
        folder = self._folder_of(slug) / FILES_DIR
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder

    @contextmanager
    def name_lock(self, slug: str, name: str) -> Iterator[None]:
        """Held while a file name of ``slug`` is saved and indexed, so two uploads of one
        name take turns and each reports what really happened to it."""
        with self._lock:
            lock = self._name_locks.setdefault((slug, name), threading.Lock())
        with lock:
            yield

    # --- documents -----------------------------------------------------------------------------

    def add(self, slug: str, paths: Sequence[Path]) -> IngestReport:
        """Index files into ``slug`` in the shared parse pool; their vectors follow as a job."""
        return self._embed_added(slug, self.workspace(slug).add(paths))

    def _embed_added(self, slug: str, report: IngestReport) -> IngestReport:
        if report.added or report.replaced:
            self.embed_later(slug)
        return report

    def keep_uploads(self, slug: str, paths: Sequence[Path]) -> None:
        """Move indexed uploads of ``slug`` into its store when the store keeps originals
        (PostgreSQL: every process can then index them again, and a deletion through any
        process removes them); else they stay in the files/ folder."""
        originals = self.originals(slug)
        if originals is None:
            return
        limit = self.workspace(slug).settings.limits.max_file_bytes
        for path in paths:
            # an upload is never larger; a file put there by hand may be: it stays
            if path.is_file() and path.stat().st_size <= limit:
                originals.keep_original(str(path), path.read_bytes())
                path.unlink()  # kept, or its document is gone: no copy stays here

    def queue_uploads(
        self, slug: str, paths: Sequence[Path], queue: IngestQueue
    ) -> dict[Path, IngestJob]:
        """Leave uploads of ``slug`` to `dalin worker` processes: each file goes into the
        queue with its bytes, to be kept in the store by the worker that indexes it, and
        leaves the files/ folder (``slug``'s store must keep originals: PostgreSQL)."""
        jobs: dict[Path, IngestJob] = {}
        for path in paths:
            key = str(path.resolve())
            jobs[path] = queue.enqueue(slug, key, path.name, path.read_bytes(), keep=True)
            path.unlink()
        return jobs

    def originals(self, slug: str) -> Originals | None:
        """``slug``'s store when it keeps uploaded files itself, else None."""
        store = self.workspace(slug).store
        return store if isinstance(store, Originals) else None

    def reindex(self, slug: str, doc: DocumentInfo) -> IngestReport:
        """Index a document's file again: the original kept in the store if there is one
        (whichever process took the upload), else the file at its path."""
        originals = self.originals(slug)
        data = None if originals is None else originals.original(doc.path)
        if data is None:
            return self.add(slug, [Path(doc.path)])
        return self._embed_added(slug, self.workspace(slug).add_bytes(doc.path, doc.name, data))

    def remove(self, slug: str, doc_id: int) -> DocumentInfo:
        """Delete a document; its text leaves the answer log at once and the evaluation
        reports as soon as no run is writing them."""
        ws = self.workspace(slug)
        doc = ws.document(doc_id)
        ws.store.delete_document(doc.id)
        ws.finish_redactions(busy=self._writing_runs(slug))
        return doc

    def embed_later(self, slug: str) -> JobInfo | None:
        """Queue the vectors ``slug``'s chunks lack (None: dense retrieval is off)."""
        return self._embed(slug, self.workspace(slug))

    def _embed(self, slug: str, ws: Workspace) -> JobInfo | None:
        if ws.embedder is None:
            return None

        def embed(control: JobControl) -> None:
            ws.embed_pending(progress=control.progress, stop=control.stop)

        return self.jobs.submit(slug, "embed", embed, title="vectors", coalesce=True)

    def hosted(self, slug: str) -> Hosted:
        """``slug`` as :mod:`dalin.watch` keeps it in step with folders: through this host."""
        return Hosted(self, slug)

    # --- evaluation ----------------------------------------------------------------------------

    def start_evaluation(
        self, slug: str, folder: Path, run: EvalRun, items: Sequence[QuestionItem]
    ) -> JobInfo:
        """Record the evaluation ``run`` (owned by this process) and queue it; its scratch
        folder holds the question set already."""
        ws = self.workspace(slug)
        run = EvalRun(
            run.run_id, "queued", run.question_set, run.models, run.questions, run.started_at,
            owner=self.owner,
        )  # fmt: skip
        ws.store.add_eval_run(run)
        evaluate = evaluation_job(ws, folder, run, items)

        def work(control: JobControl) -> None:
            try:
                evaluate(control)
            finally:  # a document deleted during the run: its answers leave the report now
                ws.finish_redactions(busy=self._writing_runs(slug, but=run.run_id))

        def skipped() -> None:  # cancelled while queued: the run never started
            finish(ws.store, folder, run.run_id, "cancelled")

        return self.jobs.submit(
            slug, "eval", work, title=run.question_set, job_id=run.run_id, skipped=skipped
        )

    def cancel_evaluation(self, slug: str, run_id: str) -> bool:
        """Stop a run, whichever process runs it: at once here, or at its owner's next
        heartbeat. False when it is not queued or running."""
        asked = self.workspace(slug).store.cancel_eval_run(run_id)
        return self.jobs.cancel(slug, run_id) is not None or asked

    def _writing_runs(self, slug: str, but: str = "") -> list[Path]:
        runs = self._folder_of(slug) / "eval" / "runs"
        return [runs / job for job in self.jobs.running(slug, "eval") if job != but]

    def _beat(self) -> None:
        """Say every few seconds that this process's runs are alive, and stop those that
        another process asked to cancel."""
        while not self._stopping.wait(self._heartbeat_seconds):
            with self._lock:
                open_now = dict(self._open)
            for slug, ws in open_now.items():
                for run_id in self.jobs.running(slug, "eval"):
                    try:
                        if ws.store.update_eval_run(run_id):
                            self.jobs.cancel(slug, run_id)
                    except Exception:  # a store gone away now is retried at the next beat
                        log.warning("%s: no heartbeat for run %s", slug, run_id, exc_info=True)

    # --- lifetime ------------------------------------------------------------------------------

    def tidy(self, slug: str) -> None:
        """At start, before serving ``slug``: clear what a crash left behind (see the module
        docstring) and queue the vectors its chunks lack."""
        ws = self.workspace(slug)
        files = self._folder_of(slug) / FILES_DIR
        indexed = {Path(d.path) for d in ws.store.documents()}
        removed, kept = 0, []
        for path in sorted(files.iterdir()) if files.is_dir() else []:
            if path.is_file() and (path.name.startswith(UPLOAD_PREFIX) or path not in indexed):
                path.unlink(missing_ok=True)
                removed += 1
            elif path.is_file():
                kept.append(path)
        self.keep_uploads(slug, kept)  # uploads from before, or a move a crash cut short
        interrupted, orphans = tidy_runs(ws.store, ws.path)
        redacted = ws.finish_redactions()
        if removed or interrupted or orphans or redacted:
            log.warning(
                "%s: removed %d unindexed or partial uploads and %d evaluation scratch folders,"
                " marked %d runs interrupted, finished %d redactions",
                slug, removed, orphans, interrupted, redacted,
            )  # fmt: skip
        done, total = ws.embedding_status()
        if done < total:
            self._embed(slug, ws)

    def close(self) -> None:
        """Stop the jobs, close the workspaces and the parse workers."""
        self._stopping.set()
        self.jobs.close(STOP_SECONDS)
        self._heartbeat.join(STOP_SECONDS)
        owner_gone(self.owner)
        with self._lock:
            workspaces, self._open = list(self._open.values()), {}
        for ws in workspaces:
            ws.close()
        self.parse.close()


class Hosted:
    """A served workspace seen through its host, for a folder watcher (``dalin.watch.Synced``):
    files are parsed in the host's one pool, get their vectors as a job, and a removal
    reaches the evaluation reports as an upload's deletion does."""

    def __init__(self, host: Host, slug: str) -> None:
        self._host = host
        self.slug = slug

    @property
    def path(self) -> Path:
        return self._host.workspace(self.slug).path

    def documents(self) -> list[DocumentInfo]:
        return self._host.workspace(self.slug).documents()

    def add(self, paths: Sequence[Path]) -> IngestReport:
        return self._host.add(self.slug, paths)

    def remove(self, ref: int) -> DocumentInfo:
        return self._host.remove(self.slug, ref)
