"""Ingest files into a store: discover, skip what is unchanged, parse, chunk, tokenise, index.

Parsing runs in worker processes with a time limit and a memory cap (``worker.py``), so
no file can hang or exhaust ingestion. One bad file never stops a batch: its reason is
recorded in the store (``dalin docs`` shows it) and in the IngestReport, and the next file
goes on. A document's chunks and
index entries are written in one transaction, so a crash leaves it indexed or untouched.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from dalin.errors import LimitExceeded, ParseError
from dalin.ingest.chunking import chunk_document
from dalin.ingest.limits import Limits
from dalin.ingest.linebreaks import mend_line_breaks
from dalin.ingest.worker import ParseWorkers
from dalin.stores.base import DocumentRecord, IndexedChunk, Store
from dalin.text.korean import tokenize_many
from dalin.types import Chunk, Document, FailedFile, IngestReport, StoredTable

#: called after each file with (files done, files in total, the file's path)
ProgressCallback = Callable[[int, int, str], None]


@dataclass
class _Tally:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)
    chunks: int = 0
    skipped: list[str] = field(default_factory=list)

    def report(self) -> IngestReport:
        return IngestReport(
            tuple(self.added),
            tuple(self.replaced),
            tuple(self.unchanged),
            tuple(self.failed),
            self.chunks,
            tuple(self.skipped),
        )


def discover(
    paths: Iterable[str | Path], skip: Sequence[Path] = ()
) -> tuple[list[Path], list[FailedFile]]:
    """Files under ``paths`` (recursively, hidden files and ``skip`` folders left out)."""
    found: dict[Path, None] = {}
    missing: list[FailedFile] = []
    skip_resolved = [s.resolve() for s in skip]
    for raw in paths:
        path = Path(raw).expanduser().resolve()
        if path.is_file():
            found[path] = None
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                here = Path(root)
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if not d.startswith(".") and (here / d).resolve() not in skip_resolved
                )
                for name in sorted(files):
                    if not name.startswith(".") and not name.startswith("~$"):
                        found[here / name] = None
        else:
            missing.append(FailedFile(str(path), "not_found", f"no such file or folder: {path}"))
    return list(found), missing


def index_chunks(chunks: Sequence[Chunk]) -> list[IndexedChunk]:
    """Attach lexical tokens to chunks (body and heading path tokenised separately)."""
    bodies = tokenize_many([c.text for c in chunks])
    sections = tokenize_many([c.section for c in chunks])
    return [IndexedChunk(c, b, s) for c, b, s in zip(chunks, bodies, sections, strict=True)]


@dataclass(frozen=True)
class _Pending:
    """A file read and hashed, waiting for its parse."""

    path: Path
    record: DocumentRecord
    replacing: bool


class Ingestor:
    """Adds files to one store; parsing happens in ``workers`` (time- and memory-capped)."""

    def __init__(
        self, store: Store, workers: ParseWorkers, *, limits: Limits, max_chunk_chars: int
    ) -> None:
        self.store = store
        self.workers = workers
        self.limits = limits
        self.max_chunk_chars = max_chunk_chars

    def add(
        self,
        paths: Iterable[str | Path],
        *,
        skip: Sequence[Path] = (),
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        from dalin.ingest.parsers import SUPPORTED_SUFFIXES  # the parsers load on first use

        found, missing = discover(paths, skip)
        # A folder of company files holds archives and programs too: no parser reads them,
        # so they are set aside here, not recorded as failures (a nightly re-run of an
        # unchanged folder must not report an error, issue 16 item 6).
        files = [f for f in found if f.suffix.lower() in SUPPORTED_SUFFIXES]
        skipped = [f for f in found if f.suffix.lower() not in SUPPORTED_SUFFIXES]
        tally = _Tally(failed=list(missing), skipped=[str(f) for f in skipped])
        self._forget_failures(skipped)
        pending: list[_Pending] = []
        done = 0

        def advance(path: Path) -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, len(files), str(path))

        def jobs() -> Iterator[tuple[bytes, str]]:
            # Read lazily, so only the files in flight are held in memory.
            for path in files:
                prepared = self._prepare(path, tally)
                if prepared is None:
                    advance(path)
                    continue
                item, data = prepared
                pending.append(item)
                yield data, path.name

        for index, result in self.workers.parse_many(jobs(), self.limits):
            item = pending[index]
            if isinstance(result, ParseError):
                self._fail(item.path, item.record, result.code, result.detail, tally)
            else:
                self._index(item.record, result, tally, replacing=item.replacing)
            advance(item.path)
        return tally.report()

    def add_bytes(self, key: str, name: str, data: bytes, mtime_ns: int = 0) -> IngestReport:
        """Index one file given as bytes under the document path ``key`` (an upload taken
        from a job queue); unchanged content is skipped, a parse failure is recorded."""
        tally = _Tally()
        existing = self.store.get_document(key)
        digest = hashlib.sha256(data).hexdigest()
        record = DocumentRecord(key, name, len(data), mtime_ns, digest)
        fresh = existing if existing and existing.status == "indexed" else None
        if fresh and not fresh.error and fresh.content_hash == digest:
            tally.unchanged.append(key)
            return tally.report()
        path = Path(key)
        if len(data) > self.limits.max_file_bytes:
            detail = (
                f"file is {len(data) / 2**20:.1f} MB, above the "
                f"{self.limits.max_file_bytes / 2**20:.0f} MB limit (ingest.max_file_mb)"
            )
            self._fail(path, record, LimitExceeded.code, detail, tally)
            return tally.report()
        replacing = existing is not None and existing.status == "indexed"
        for _, result in self.workers.parse_many([(data, name)]):
            if isinstance(result, ParseError):
                self._fail(path, record, result.code, result.detail, tally)
            else:
                self._index(record, result, tally, replacing=replacing)
        return tally.report()

    def _prepare(self, path: Path, tally: _Tally) -> tuple[_Pending, bytes] | None:
        """Read and hash a file; None when it is unchanged or cannot be read."""
        key = str(path)
        existing = self.store.get_document(key)
        # Only a cleanly indexed document may be skipped; failed ones are always retried.
        fresh = (
            existing if existing and existing.status == "indexed" and not existing.error else None
        )
        try:
            stat = path.stat()
            if fresh and (fresh.size, fresh.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                tally.unchanged.append(key)
                return None
            data = self._read(path, stat.st_size)
        except ParseError as exc:
            self._fail(path, None, exc.code, exc.detail, tally)
            return None
        except OSError as exc:
            reason = f"cannot read the file: {exc.strerror or exc}"
            self._fail(path, None, "unreadable", reason, tally)
            return None
        digest = hashlib.sha256(data).hexdigest()
        record = DocumentRecord(key, path.name, len(data), stat.st_mtime_ns, digest)
        if fresh and fresh.content_hash == digest:
            self.store.touch_document(fresh.id, stat.st_mtime_ns)
            tally.unchanged.append(key)
            return None
        replacing = existing is not None and existing.status == "indexed"
        return _Pending(path, record, replacing), data

    def _forget_failures(self, skipped: Sequence[Path]) -> None:
        """Drop the failure records an older dalin kept for files it now skips."""
        for path in skipped:
            existing = self.store.get_document(str(path))
            if existing is not None and existing.status == "failed":
                self.store.delete_document(existing.id)

    def _read(self, path: Path, size: int) -> bytes:
        if size > self.limits.max_file_bytes:
            raise LimitExceeded(
                f"file is {size / 2**20:.1f} MB, above the "
                f"{self.limits.max_file_bytes / 2**20:.0f} MB limit (ingest.max_file_mb)"
            )
        return path.read_bytes()

    def _index(
        self, record: DocumentRecord, doc: Document, tally: _Tally, *, replacing: bool
    ) -> None:
        doc = mend_line_breaks(doc)  # here, not in the worker: it needs Kiwi
        chunks = index_chunks(chunk_document(doc, self.max_chunk_chars))
        record = replace(
            record,
            format=doc.format,
            pages=doc.pages,
            chars=len(doc.text),
            ocr_pages=doc.ocr_pages,
        )
        tables = [
            StoredTable(0, b.table_index, b.table, b.page, b.start, b.end)
            for b in doc.tables
            if b.table is not None
        ]
        self.store.upsert_document(record, chunks, tables)
        (tally.replaced if replacing else tally.added).append(record.path)
        tally.chunks += len(chunks)

    def _fail(
        self, path: Path, record: DocumentRecord | None, code: str, detail: str, tally: _Tally
    ) -> None:
        if record is None:
            try:
                size = path.stat().st_size
            except OSError:  # vanished or unreadable: the reason says so already
                size = 0
            record = DocumentRecord(str(path), path.name, size, 0, "")
        self.store.record_failure(record, code, detail)
        tally.failed.append(FailedFile(str(path), code, detail))
