"""The Store interface that every backend (SQLite now, PostgreSQL later) implements."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from dalin.types import Chunk, DocumentInfo, Filter, Hit, StoredTable


@dataclass(frozen=True)
class DocumentRecord:
    """What the store records about a source file, indexed or not."""

    path: str
    name: str
    size: int
    mtime_ns: int
    content_hash: str
    format: str = ""
    pages: int | None = None
    chars: int = 0
    #: pages read by OCR, each with Tesseract's confidence (0-100)
    ocr_pages: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class IndexedChunk:
    """A chunk with its lexical tokens (from ``dalin.text.korean``)."""

    chunk: Chunk
    body_tokens: Sequence[str]
    section_tokens: Sequence[str]


#: statuses of an evaluation run that is not over
LIVE_RUN = frozenset({"queued", "running"})


@dataclass(frozen=True)
class EvalRun:
    """An evaluation run of a served workspace as the store keeps it, so that every serving
    process lists, follows and cancels it (``dalin.eval.background``)."""

    run_id: str
    #: queued, running, done, failed, cancelled or interrupted
    status: str
    question_set: str
    models: tuple[str, ...]
    questions: int
    started_at: str
    finished_at: str | None = None
    error: str = ""
    #: progress: answers recorded of ``total`` (questions x models)
    done: int = 0
    total: int = 0
    #: the process running it (``host:pid:id``)
    owner: str = ""
    #: seconds since its owner last said it is alive, by the store's own clock
    idle_seconds: float = 0.0
    cancel_requested: bool = False


class Store(Protocol):
    """Documents, their chunks, the lexical index and the chunk vectors of one workspace."""

    def upsert_document(
        self,
        record: DocumentRecord,
        chunks: Sequence[IndexedChunk],
        tables: Sequence[StoredTable] = (),
    ) -> int:
        """Insert or replace a document, its chunks and tables atomically; return its id.

        The ``doc_id`` of the given tables is ignored; the document's id is used.
        """
        ...

    def tables(self, doc_id: int) -> list[StoredTable]:
        """The tables of a document in document order (none for an unknown id)."""
        ...

    def chunks_in_range(self, doc_id: int, start: int, end: int) -> list[Chunk]:
        """The chunks of a document overlapping ``[start, end)``, in document order."""
        ...

    def record_failure(self, record: DocumentRecord, code: str, error: str) -> None:
        """Note that a file failed to parse; an earlier indexed version stays searchable."""
        ...

    def touch_document(self, doc_id: int, mtime_ns: int) -> None:
        """Record a new modification time for content that did not change."""
        ...

    def delete_document(self, doc_id: int) -> None:
        """Remove a document, its chunks and every index entry, atomically; in the same
        transaction, take its quotes and citations out of the answer log
        (``dalin.stores.redaction``) and add it to ``pending_redactions``. Its id is never
        given to another document."""
        ...

    def pending_redactions(self) -> list[tuple[int, str, str]]:
        """(id, path, name) of deleted documents whose text may remain outside the store
        (evaluation reports), oldest first."""
        ...

    def finish_redaction(self, redaction_id: int) -> None:
        """Forget a pending redaction once the files outside the store are clean."""
        ...

    def get_document(self, path: str) -> DocumentInfo | None: ...

    def get_document_by_id(self, doc_id: int) -> DocumentInfo | None: ...

    def document_chunks(self, doc_id: int) -> list[Chunk]:
        """Every chunk of a document, in document order (none for an unknown id)."""
        ...

    def documents(self) -> list[DocumentInfo]: ...

    def keyword_search(self, tokens: Sequence[str], k: int, where: Filter) -> list[Hit]:
        """BM25 over indexed tokens; best first."""
        ...

    def document_frequencies(self, tokens: Sequence[str]) -> Mapping[str, int]:
        """How many chunks contain each token (absent tokens map to 0)."""
        ...

    def chunk_count(self) -> int: ...

    # --- vectors: cached by (embedder name, sha256 of the chunk text) ----------------------

    def chunks_without_vectors(self, embedder: str, limit: int) -> list[tuple[str, str]]:
        """Up to ``limit`` (text hash, text) pairs that ``embedder`` has no vector for yet,
        one per distinct text, in chunk order."""
        ...

    def put_embeddings(self, embedder: str, items: Sequence[tuple[str, np.ndarray]]) -> None:
        """Store (text hash, unit vector) pairs of one embedder in one transaction."""
        ...

    def vector_search(self, vector: np.ndarray, k: int, where: Filter, embedder: str) -> list[Hit]:
        """Exact cosine search over the chunks ``embedder`` has vectors for; best first,
        ``Hit.score`` is the cosine. ``vector`` is a unit query vector of the same embedder."""
        ...

    def vector_coverage(self, embedder: str) -> tuple[int, int]:
        """(chunks with a vector of ``embedder``, chunks in total); cheap enough to ask
        before every search."""
        ...

    def vector_counts(self, embedder: str) -> dict[int, int]:
        """doc id -> how many of its chunks have a vector of ``embedder``."""
        ...

    def ocr_pages(self, doc_id: int) -> tuple[tuple[int, float], ...]:
        """The document's pages read by OCR with their confidence, by page."""
        ...

    def embedders(self) -> list[str]:
        """Every embedder with stored vectors."""
        ...

    def vectors(self, embedder: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors (float32) of ``embedder`` by text hash; unknown hashes left out."""
        ...

    def log_answer(self, entry: Mapping[str, object]) -> int:
        """Append one answer to the log; ``entry`` is JSON-serialisable and holds at least
        ``question``, and usually ``conversation``, ``owner``, ``model`` and ``method``.
        Returns its id."""
        ...

    def answer_log(
        self, limit: int = 50, conversation: str = "", owner: str | None = None
    ) -> list[dict[str, object]]:
        """Logged answers, newest first (only one conversation's, and only one owner's, when
        given), each with its ``id`` and ``asked_at``."""
        ...

    def import_answers(self, entries: Sequence[Mapping[str, object]]) -> None:
        """Append answers logged elsewhere (``answer_log`` entries of another store, oldest
        first), keeping when they were asked: a migration between backends."""
        ...

    # --- evaluation runs of a served workspace ---------------------------------------------

    def add_eval_run(self, run: EvalRun) -> None:
        """Record a new run (its ``owner`` alive as of now)."""
        ...

    def eval_runs(self, limit: int = 100) -> list[EvalRun]:
        """The workspace's runs, newest first."""
        ...

    def eval_run(self, run_id: str) -> EvalRun | None: ...

    def update_eval_run(
        self,
        run_id: str,
        *,
        status: str | None = None,
        done: int | None = None,
        total: int | None = None,
        error: str | None = None,
        finished_at: str | None = None,
        report: str | None = None,
    ) -> bool:
        """Change what is given, note the owner alive now, in one transaction; return
        whether someone asked to cancel the run."""
        ...

    def cancel_eval_run(self, run_id: str) -> bool:
        """Ask a queued or running run to stop (its owner sees it at its next update);
        False when the run is over or unknown."""
        ...

    def eval_report(self, run_id: str) -> str | None:
        """The run's report (``RunReport`` JSON), None until it has one."""
        ...

    def redact_eval_reports(self, redact: Callable[[str], str | None]) -> int:
        """Replace every stored report by ``redact(report)`` where that is not None, in one
        transaction; return how many changed."""
        ...

    def close(self) -> None: ...


class WorkspaceFiles(Protocol):
    """The small text files of a workspace (``dalin.toml``, ``profile.toml``,
    ``glossary.txt``): in its folder for the embedded store, in the database for
    PostgreSQL, so that no serving process needs a disk of its own."""

    def stamp(self, name: str) -> object:
        """A value that changes whenever the file changes (None: the file is missing)."""
        ...

    def read(self, name: str) -> str | None:
        """The file's text, None when it is missing."""
        ...

    def write(self, name: str, text: str) -> None:
        """Replace the file's text (atomically: a crash leaves the old text or the new)."""
        ...

    def where(self, name: str) -> str:
        """Where the file is kept, for messages."""
        ...


@runtime_checkable
class Originals(Protocol):
    """Uploaded files kept in the store itself (PostgreSQL), so that any serving process can
    index one again and a document's deletion removes its file in the same transaction.
    The embedded store keeps uploads as files in the workspace folder instead."""

    def keep_original(self, path: str, data: bytes) -> bool:
        """Keep the bytes of the file indexed as document ``path`` (replacing earlier ones);
        False, keeping nothing, when no such document exists (deleted meanwhile)."""
        ...

    def original(self, path: str) -> bytes | None:
        """The kept bytes of document ``path``, None when none are kept."""
        ...

    def originals_size(self, but: str = "") -> int:
        """Bytes of all kept files of the workspace, but the one of document ``but``."""
        ...
