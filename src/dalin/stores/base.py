"""The Store interface that every backend (SQLite now, PostgreSQL later) implements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

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


@dataclass(frozen=True)
class IndexedChunk:
    """A chunk with its lexical tokens (from ``dalin.text.korean``)."""

    chunk: Chunk
    body_tokens: Sequence[str]
    section_tokens: Sequence[str]


class Store(Protocol):
    """Documents, their chunks and the lexical index of one workspace."""

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

    def record_failure(self, record: DocumentRecord, code: str, error: str) -> None:
        """Note that a file failed to parse; an earlier indexed version stays searchable."""
        ...

    def touch_document(self, doc_id: int, mtime_ns: int) -> None:
        """Record a new modification time for content that did not change."""
        ...

    def delete_document(self, doc_id: int) -> None:
        """Remove a document, its chunks and every index entry, atomically."""
        ...

    def get_document(self, path: str) -> DocumentInfo | None: ...

    def documents(self) -> list[DocumentInfo]: ...

    def keyword_search(self, tokens: Sequence[str], k: int, where: Filter) -> list[Hit]:
        """BM25 over indexed tokens; best first."""
        ...

    def document_frequencies(self, tokens: Sequence[str]) -> Mapping[str, int]:
        """How many chunks contain each token (absent tokens map to 0)."""
        ...

    def chunk_count(self) -> int: ...

    def log_answer(self, entry: Mapping[str, object]) -> int:
        """Append one answer to the log; ``entry`` is JSON-serialisable and holds at least
        ``question``, and usually ``conversation``, ``model`` and ``method``. Returns its id."""
        ...

    def answer_log(self, limit: int = 50, conversation: str = "") -> list[dict[str, object]]:
        """Logged answers, newest first (only one conversation's when given), each with its
        ``id`` and ``asked_at``."""
        ...

    def close(self) -> None: ...
