"""Copy a workspace from one store to another (SQLite → PostgreSQL and back), then check it.

What moves: every document record (failed ones too), its chunks (tokenised again by
``dalin.text.korean``, as ingestion does, so the lexical index is the target's own), its
tables and OCR pages, the stored vectors of every embedder (never computed again), the
answer log with its times, and the workspace's small files (``dalin.toml``,
``profile.toml``, ``glossary.txt``). Into PostgreSQL, the files uploaded through `dalin
serve` (the workspace's ``files/`` folder, each as it was indexed) are kept in the database
too, so that every serving process can index them again. The evaluation runs a served
workspace keeps in its store move with their reports (a run still live in the source is
copied as interrupted: no process runs it in the copy).

Then the copy is checked: the counts of documents, chunks, tables and vectors per embedder
and the numbers of logged answers and evaluation runs must be equal, and the same keyword
searches (questions of the answer log, else the openings of stored chunks) must find the
same passages in both (:data:`MIN_AGREEMENT`, measured as overlap of the top 10).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from dalin.config import CONFIG_NAME, load_settings
from dalin.errors import StoreError, WorkspaceExists
from dalin.eval.background import LegacyRun, legacy_runs
from dalin.host import FILES_DIR
from dalin.ingest.pipeline import index_chunks
from dalin.profiles import PROFILE_NAME, parse_profile
from dalin.retrieval.glossary import GLOSSARY_NAME
from dalin.stores.base import LIVE_RUN, DocumentRecord, Originals, Store
from dalin.stores.files import FolderFiles
from dalin.stores.migrations import text_hash
from dalin.stores.registry import (
    DB_NAME,
    OpenedStore,
    create_postgres,
    open_postgres,
    open_store,
    pointer_config,
    with_backend,
)
from dalin.text.korean import tokenize
from dalin.types import DocumentInfo, Filter

#: mean overlap of the top 10 the copy must reach (BM25 sums in another order can swap
#: two passages of equal score at the edge of the list, nothing more)
MIN_AGREEMENT = 0.9
SAMPLE_QUERIES = 50
_ALL = 10**9
#: called with (documents done, documents in all)
TransferProgress = Callable[[int, int], None]


@dataclass
class TransferReport:
    """What was copied, and how the copy compares with its source."""

    documents: int = 0
    chunks: int = 0
    tables: int = 0
    vectors: dict[str, int] = field(default_factory=dict)
    answers: int = 0
    evaluations: int = 0
    files: list[str] = field(default_factory=list)
    #: uploaded files kept in the target store (PostgreSQL)
    uploads: int = 0
    #: what differs between source and copy (empty: every count agrees)
    mismatches: list[str] = field(default_factory=list)
    queries: int = 0
    #: mean overlap of the two stores' top 10 over ``queries`` searches
    agreement: float = 1.0

    @property
    def ok(self) -> bool:
        return not self.mismatches and self.agreement >= MIN_AGREEMENT


def copy_workspace(
    source: OpenedStore,
    target: OpenedStore,
    *,
    target_backend: str,
    uploads: Path | None = None,
    runs: Path | None = None,
    progress: TransferProgress | None = None,
) -> TransferReport:
    """Copy everything of ``source`` into the empty ``target`` and compare the two;
    ``uploads``: the folder of files uploaded to it, kept in ``target`` when it keeps
    originals; ``runs``: its workspace folder, whose evaluation runs kept in folders by an
    older dalin (before the store kept them) are copied too."""
    if target.store.documents() or target.store.answer_log(limit=1):
        raise StoreError("the target workspace is not empty; copy into a new one")
    report = TransferReport()
    for name in (CONFIG_NAME, PROFILE_NAME, GLOSSARY_NAME):
        text = source.files.read(name)
        if text is not None:
            target.files.write(
                name, with_backend(text, target_backend) if name == CONFIG_NAME else text
            )
            report.files.append(name)
    documents = source.store.documents()
    embedders = source.store.embedders()
    for done, doc in enumerate(documents, start=1):
        _copy_document(source.store, target.store, doc, embedders, report)
        if uploads is not None and isinstance(target.store, Originals):
            report.uploads += _keep_upload(target.store, doc, uploads)
        if progress is not None:
            progress(done, len(documents))
    answers = source.store.answer_log(limit=_ALL)
    target.store.import_answers(list(reversed(answers)))
    report.answers = len(answers)
    report.evaluations = _copy_runs(source.store, target.store, legacy_runs(runs) if runs else [])
    compare(source.store, target.store, report, [str(a["question"]) for a in answers])
    return report


def _copy_runs(source: Store, target: Store, legacy: list[LegacyRun]) -> int:
    """The evaluation runs with their reports, oldest first, and those of ``legacy`` the
    source's store does not hold (the source stays as it was); return how many."""
    runs = source.eval_runs(_ALL)
    for run in reversed(runs):
        if run.status in LIVE_RUN:
            run = replace(run, status="interrupted")
        target.add_eval_run(replace(run, owner="", cancel_requested=False))
        kept = source.eval_report(run.run_id)
        if kept is not None:
            target.update_eval_run(run.run_id, report=kept)
    known = {run.run_id for run in runs}
    older = [found for found in legacy if found.run.run_id not in known]
    for found in older:
        target.add_eval_run(found.run)
        if found.report is not None:
            target.update_eval_run(found.run.run_id, report=found.report)
    return len(runs) + len(older)


def _copy_document(
    source: Store, target: Store, doc: DocumentInfo, embedders: list[str], report: TransferReport
) -> None:
    record = DocumentRecord(
        path=doc.path,
        name=doc.name,
        size=doc.size,
        mtime_ns=doc.mtime_ns,
        content_hash=doc.content_hash,
        format=doc.format,
        pages=doc.pages,
        chars=doc.chars,
        ocr_pages=source.ocr_pages(doc.id),
    )
    if doc.status != "indexed":
        target.record_failure(record, doc.error_code, doc.error)
        report.documents += 1
        return
    chunks = source.document_chunks(doc.id)
    tables = source.tables(doc.id)
    target.upsert_document(record, index_chunks(chunks), tables)
    if doc.error:  # a later version failed to parse; this one stays searchable
        target.record_failure(record, doc.error_code, doc.error)
    hashes = list(dict.fromkeys(text_hash(c.text) for c in chunks))
    for embedder in embedders:
        found = source.vectors(embedder, hashes)
        target.put_embeddings(embedder, list(found.items()))
        report.vectors[embedder] = report.vectors.get(embedder, 0) + sum(
            1 for c in chunks if text_hash(c.text) in found
        )
    report.documents += 1
    report.chunks += len(chunks)
    report.tables += len(tables)


def _keep_upload(target: Originals, doc: DocumentInfo, uploads: Path) -> int:
    """Keep the file of ``doc`` in ``target`` if it is an upload, unchanged since it was
    indexed; return 1 when kept."""
    path = Path(doc.path)
    if path.parent != uploads or not path.is_file():
        return 0
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != doc.content_hash:
        return 0
    return int(target.keep_original(doc.path, data))


def compare(source: Store, target: Store, report: TransferReport, questions: list[str]) -> None:
    """Fill the report's mismatches and search agreement."""
    counts = (
        ("documents", len(source.documents()), len(target.documents())),
        ("chunks", source.chunk_count(), target.chunk_count()),
        (
            "tables",
            sum(d.tables for d in source.documents()),
            sum(d.tables for d in target.documents()),
        ),
        ("answers", len(source.answer_log(limit=_ALL)), len(target.answer_log(limit=_ALL))),
        # the source's store and the run folders of an older dalin (``_copy_runs``)
        ("evaluation runs", report.evaluations, len(target.eval_runs(_ALL))),
    )
    for name, a, b in counts:
        if a != b:
            report.mismatches.append(f"{name}: {a} in the source, {b} in the copy")
    for embedder in source.embedders():
        a, b = source.vector_coverage(embedder)[0], target.vector_coverage(embedder)[0]
        if a != b:
            report.mismatches.append(f"vectors of {embedder}: {a} in the source, {b} in the copy")
    queries = _queries(source, questions)
    overlaps = []
    for query in queries:
        tokens = tokenize(query)
        mine = {(h.document, h.start) for h in source.keyword_search(tokens, 10, Filter())}
        copied = {(h.document, h.start) for h in target.keyword_search(tokens, 10, Filter())}
        if mine or copied:
            overlaps.append(len(mine & copied) / max(len(mine), len(copied)))
    report.queries = len(overlaps)
    report.agreement = sum(overlaps) / len(overlaps) if overlaps else 1.0


def _queries(store: Store, questions: list[str]) -> list[str]:
    """Questions users asked, else the first words of stored passages, at most 50."""
    picked = list(dict.fromkeys(q for q in questions if q.strip()))[:SAMPLE_QUERIES]
    if picked:
        return picked
    rng = random.Random(14)
    documents = [d for d in store.documents() if d.chunks]
    texts = []
    for doc in rng.sample(documents, min(len(documents), SAMPLE_QUERIES)):
        chunk = rng.choice(store.document_chunks(doc.id))
        texts.append(" ".join(chunk.text.split()[:8]))
    return texts


def to_postgres(
    folder: Path,
    url: str,
    name: str,
    *,
    switch: bool = True,
    progress: TransferProgress | None = None,
) -> TransferReport:
    """Copy the SQLite workspace in ``folder`` into workspace ``name`` of the database at
    ``url`` and check the copy; with ``switch``, the folder then points there (its
    ``dalin.db`` is kept, and its settings as ``dalin.toml.sqlite``).

    Raises:
        StoreError: the copy does not match its source (the copy is removed again, as
            after any failure or interruption of the copy).
    """
    from dalin.stores.postgres import delete_workspace
    from dalin.stores.postgres_db import database

    settings = load_settings(folder)
    if settings.store_backend != "sqlite":
        raise StoreError(f"{folder} is not an SQLite workspace ([store] backend)")
    source = open_store(folder, settings)
    try:
        domain = parse_profile(source.files.read(PROFILE_NAME)).name
        create_postgres(url, name, domain=domain, files={})
        try:
            report = copy_workspace(
                source,
                open_postgres(url, name),
                target_backend="postgres",
                uploads=(folder / FILES_DIR).resolve(),
                runs=folder,
                progress=progress,
            )
            if not report.ok:
                raise StoreError(_failure(report))
        except BaseException:  # a failed or interrupted copy leaves no half workspace
            delete_workspace(database(url), name)
            raise
    finally:
        source.store.close()
    if switch:
        config = folder / CONFIG_NAME
        if config.exists():
            config.replace(folder / f"{CONFIG_NAME}.sqlite")
        FolderFiles(folder).write(CONFIG_NAME, pointer_config(name))
    return report


def to_sqlite(
    folder: Path, target: Path, *, progress: TransferProgress | None = None
) -> TransferReport:
    """Copy the PostgreSQL workspace of ``folder`` into a new SQLite workspace in
    ``target`` (one workspace's export) and check the copy.

    Raises:
        StoreError: the copy does not match its source (the new files are removed, as
            after any failure or interruption of the copy).
        WorkspaceExists: ``target`` already holds a workspace.
    """
    from dalin.stores.sqlite import SQLiteStore

    settings = load_settings(folder)
    if settings.store_backend != "postgres":
        raise StoreError(f"{folder} is not a PostgreSQL workspace ([store] backend)")
    if (target / DB_NAME).exists() or (target / CONFIG_NAME).exists():
        raise WorkspaceExists(f"a workspace already exists in {target}")
    source = open_store(folder, settings)
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    store = SQLiteStore(target / DB_NAME)
    try:
        copy = OpenedStore(store, FolderFiles(target), settings)
        report = copy_workspace(source, copy, target_backend="sqlite", progress=progress)
        if not report.ok:
            raise StoreError(_failure(report))
    except BaseException:  # a failed or interrupted copy leaves no half workspace
        store.close()
        for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", CONFIG_NAME, PROFILE_NAME,
                     GLOSSARY_NAME):  # fmt: skip
            (target / name).unlink(missing_ok=True)
        raise
    store.close()
    return report


def _failure(report: TransferReport) -> str:
    problems = [*report.mismatches]
    if report.agreement < MIN_AGREEMENT:
        problems.append(
            f"searches agree on {report.agreement:.0%} of their top 10 (at least"
            f" {MIN_AGREEMENT:.0%} needed)"
        )
    return "the copy does not match its source: " + "; ".join(problems)
