"""Documents of a workspace: list, upload, read, delete, reindex, content, passages, search.

Uploads are indexed inside the request and answer with one result per file: each file is
parsed in the server's shared pool of worker processes under the workspace's limits
(``max_seconds``, ``max_memory_mb``) and the server's memory budget, so a file that hangs or
fails never blocks the others, and many uploads at once wait their turn rather than exhaust
memory. Saving and indexing run on the server's upload threads, never on the ones other
routes use. The keyword index is ready when the answer comes; vectors for meaning search
follow as a background job (``GET .../jobs``; each document's ``vectors``).

Before a byte is saved, a file must have a usable name, a type dalin reads, and room in the
workspace's storage quota. A workspace kept in PostgreSQL keeps each indexed upload in the
database (``document_originals``), so re-indexing works on every process and the quota
is one for all of them. Two uploads of one name take turns, so each reports what really
became of it ("added", then "replaced" or "unchanged").

A server started with ``--queue-uploads`` indexes none of them itself: each file of a
workspace in PostgreSQL is checked and saved as above, then put in the database's ingestion
queue and answered "queued" with its job (``GET .../jobs/ingest-N``); a `dalin worker` on
any machine indexes it, computes its vectors and keeps the file in the database. Files
waiting in the queue count against the quota too.
"""

from __future__ import annotations

import os
import unicodedata
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, BinaryIO

from fastapi import APIRouter, File, Query, UploadFile

from dalin.api.auth import Principal, not_found
from dalin.api.deps import Caller, IdPath, ServerDep, served
from dalin.api.errors import ApiError
from dalin.api.schemas import (
    INGEST_PREFIX,
    ContentOut,
    DocumentOut,
    FileResult,
    HitOut,
    PassageOut,
    VectorsOut,
)
from dalin.api.server import Server
from dalin.errors import DocumentNotFound, UnsupportedFormat
from dalin.host import UPLOAD_PREFIX
from dalin.types import DocumentInfo, IngestReport
from dalin.workspace import Workspace

router = APIRouter(tags=["documents"])

#: longest stored file name in UTF-8 bytes (file systems allow 255)
MAX_NAME_BYTES = 200
#: longest span a passage request may ask for, in characters
MAX_PASSAGE_SPAN = 20_000
_COPY_BLOCK = 1 << 20


@router.get("/workspaces/{ws}/documents", summary="Documents: indexed and failed")
def list_documents(server: ServerDep, caller: Caller, ws: str) -> list[DocumentOut]:
    return [DocumentOut.of(d) for d in served(server, caller, ws).documents()]


@router.post(
    "/workspaces/{ws}/documents",
    summary="Upload and index files (editor); one result per file",
)
async def upload_documents(
    server: ServerDep,
    caller: Caller,
    ws: str,
    files: Annotated[list[UploadFile], File(description="The files to index")],
) -> list[FileResult]:
    return await server.lanes.upload(lambda: _upload(server, caller, ws, files))


@router.get("/workspaces/{ws}/vectors", summary="How many chunks have their vector yet")
def vectors(server: ServerDep, caller: Caller, ws: str) -> VectorsOut:
    workspace = served(server, caller, ws)
    done, total = workspace.embedding_status()
    embedder = workspace.embedder
    return VectorsOut(embedder=embedder.name if embedder else "", done=done, total=total)


@router.get("/workspaces/{ws}/documents/{doc_id}", summary="One document")
def get_document(server: ServerDep, caller: Caller, ws: str, doc_id: IdPath) -> DocumentOut:
    workspace = served(server, caller, ws)
    found = [d for d in workspace.documents() if d.id == doc_id]
    if not found:
        raise not_found("document", doc_id)
    return DocumentOut.of(found[0])


@router.get(
    "/workspaces/{ws}/documents/{doc_id}/content",
    summary="What dalin read from a document: its text in order under citation labels, its tables",
)
def get_content(server: ServerDep, caller: Caller, ws: str, doc_id: IdPath) -> ContentOut:
    workspace = served(server, caller, ws)
    return ContentOut.of(workspace.content(_document(workspace, doc_id).id))


@router.delete(
    "/workspaces/{ws}/documents/{doc_id}",
    summary="Delete a document, everything indexed from it, its quotes in answers and reports,"
    " and its file (editor)",
)
def delete_document(server: ServerDep, caller: Caller, ws: str, doc_id: IdPath) -> DocumentOut:
    served(server, caller, ws, "editor")
    doc = _document(server.served(ws), doc_id)
    server.host.remove(ws, doc.id)
    _remove_file(Path(doc.path), server.files_dir(ws))
    server.audit(caller, "delete", f"{ws}/documents/{doc.id}", name=doc.name)
    return DocumentOut.of(doc)


@router.post(
    "/workspaces/{ws}/documents/{doc_id}/reindex",
    summary="Index a document's file again: picks up a changed file, retries a failed one (editor)",
)
async def reindex_document(
    server: ServerDep, caller: Caller, ws: str, doc_id: IdPath
) -> FileResult:
    return await server.lanes.upload(lambda: _reindex(server, caller, ws, doc_id))


def _reindex(server: Server, caller: Principal, ws: str, doc_id: int) -> FileResult:
    doc = _document(served(server, caller, ws, "editor"), doc_id)
    path = Path(doc.path)
    with server.host.name_lock(ws, path.name):
        result = _result(server.served(ws), path, server.host.reindex(ws, doc))
    server.audit(caller, "reindex", f"{ws}/documents/{doc.id}", status=result.status)
    return result


@router.get(
    "/workspaces/{ws}/documents/{doc_id}/passage",
    summary="The stored text covering [start, end) of a document, with the span highlighted",
)
def get_passage(
    server: ServerDep,
    caller: Caller,
    ws: str,
    doc_id: IdPath,
    start: Annotated[int, Query(ge=0, le=2**40)],
    end: Annotated[int, Query(ge=1, le=2**40)],
) -> PassageOut:
    if end <= start or end - start > MAX_PASSAGE_SPAN:
        raise _bad_span(start, end)
    workspace = served(server, caller, ws)
    doc = _document(workspace, doc_id)
    try:
        p = workspace.passage(doc.id, start, end)
    except DocumentNotFound:
        raise not_found("passage", f"{doc_id}:{start}-{end}") from None
    return PassageOut(
        doc_id=p.doc_id,
        name=p.name,
        label=p.label,
        page=p.page,
        section=p.section,
        text=p.text,
        start=p.start,
        end=p.end,
        highlight=p.highlight,
    )


@router.get("/workspaces/{ws}/search", summary="The best passages for a query")
def search(
    server: ServerDep,
    caller: Caller,
    ws: str,
    q: Annotated[str, Query(min_length=1, max_length=2000)],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[HitOut]:
    return [HitOut.of(h) for h in served(server, caller, ws).search(q, k)]


# --- helpers -------------------------------------------------------------------------------


def safe_name(raw: str | None) -> str | None:
    """A file name safe to store: no directories, control characters or leading dots.

    None when nothing usable is left (empty, ".", "..", only separators).
    """
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".").rstrip(". ")
    if not name:
        return None
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix.encode()) > 16:
        stem, dot, suffix = name, "", ""
    budget = MAX_NAME_BYTES - len((dot + suffix).encode())
    stem = stem.encode()[:budget].decode("utf-8", "ignore").rstrip(". ") or "file"
    return stem + dot + suffix


def _upload(
    server: Server, caller: Principal, ws: str, files: list[UploadFile]
) -> list[FileResult]:
    """Save and index the files of one request (an upload thread)."""
    workspace = served(server, caller, ws, "editor")
    folder = server.files_dir(ws)
    limit = workspace.settings.limits.max_file_bytes
    results: dict[int, FileResult] = {}
    targets: dict[int, Path] = {}
    for index, upload in enumerate(files):
        checked = _check_upload(upload, folder, taken=set(targets.values()))
        if isinstance(checked, FileResult):
            results[index] = checked
        else:
            targets[index] = checked
    with ExitStack() as held:  # in name order: two requests never wait for each other
        for name in sorted({t.name for t in targets.values()}):
            held.enter_context(server.host.name_lock(ws, name))
        saved: dict[int, Path] = {}
        for index, target in targets.items():
            quota = _room(server, ws, folder, target)
            outcome = _save(files[index].file, target, min(limit, quota), quota < limit)
            if isinstance(outcome, FileResult):
                results[index] = outcome
            else:
                saved[index] = outcome
        queue = server.upload_queue(ws)
        if queue is not None:  # the workers index them, and keep them in the database
            jobs = server.host.queue_uploads(ws, list(saved.values()), queue)
            for index, path in saved.items():
                job_id = f"{INGEST_PREFIX}{jobs[path].id}"
                results[index] = FileResult(name=path.name, status="queued", job_id=job_id)
        else:
            report = server.host.add(ws, list(saved.values())) if saved else IngestReport()
            for index, path in saved.items():
                results[index] = _result(workspace, path, report)
            server.host.keep_uploads(ws, list(saved.values()))
    ordered = [results[i] for i in range(len(files))]
    for result in ordered:
        server.audit(
            caller,
            "upload",
            f"{ws}/documents/{result.doc_id or ''}",
            name=result.name,
            status=result.status,
            code=result.code,
        )
    return ordered


def _check_upload(upload: UploadFile, folder: Path, taken: set[Path]) -> Path | FileResult:
    """Where an upload will be stored, or why it will not be: checked before saving."""
    shown = upload.filename or ""
    name = safe_name(shown)
    if name is None:
        return _failed(shown[:200], "bad_name", "the file has no usable name / 이름이 없습니다")
    target = (folder / name).resolve()
    if target.parent != folder.resolve():  # cannot happen after safe_name; never trust it
        return _failed(name, "bad_name", "bad file name")
    if target in taken:
        return _failed(
            name,
            "duplicate_name",
            "another file of this request has the same name / 같은 이름의 파일이 있습니다",
        )
    from dalin.ingest.parsers import parser_for  # the parsers load on the first upload

    try:
        parser_for(name)
    except UnsupportedFormat as exc:
        return _failed(name, exc.code, f"{exc.detail} / 읽을 수 없는 파일 형식입니다")
    return target


def _room(server: Server, ws: str, folder: Path, target: Path) -> int:
    """Bytes the workspace's quota leaves for ``target`` (a file it replaces is freed):
    the files/ folder's, and the uploads kept in the store when it keeps them (one quota
    for every process)."""
    quota = server.limits.workspace_quota_bytes
    if quota <= 0:
        return 2**62
    used = sum(_size(p) for p in folder.iterdir() if p != target)  # with uploads in flight
    if (originals := server.host.originals(ws)) is not None:
        used += originals.originals_size(but=str(target))
        if server.ingest_queue is not None:  # files the workers have not indexed yet
            used += server.ingest_queue.waiting_bytes(ws, but=str(target))
    return max(0, quota - used)


def _size(path: Path) -> int:
    """A stored file's size; 0 for a folder, or a file gone since the folder was listed (a
    concurrent upload's temporary file, renamed or removed meanwhile)."""
    try:
        return path.stat().st_size if path.is_file() else 0
    except FileNotFoundError:
        return 0


def _save(source: BinaryIO, target: Path, limit: int, quota: bool) -> Path | FileResult:
    """Store one upload under its name, replacing an earlier file of that name; a file
    over ``limit`` is not kept (``quota``: the limit is the workspace's storage quota)."""
    temporary = target.parent / f"{UPLOAD_PREFIX}{uuid.uuid4().hex}"
    try:
        if not _copy_within(source, temporary, limit):
            if quota:
                return _failed(
                    target.name,
                    "quota_exceeded",
                    "the workspace's storage quota is used up; delete documents first"
                    " / 작업공간 저장 용량이 가득 찼습니다. 문서를 지운 뒤 다시 올리세요",
                )
            return _failed(
                target.name,
                "limit_exceeded",
                f"the file is larger than {limit // 2**20} MB (ingest.max_file_mb)"
                f" / 파일이 {limit // 2**20}MB보다 큽니다",
            )
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _failed(name: str, code: str, reason: str) -> FileResult:
    return FileResult(name=name, status="failed", code=code, reason=reason)


def _copy_within(source: BinaryIO, target: Path, limit: int) -> bool:
    """Copy ``source`` to ``target``; False (and stop) once it passes ``limit`` bytes."""
    written = 0
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        while block := source.read(_COPY_BLOCK):
            written += len(block)
            if written > limit:
                return False
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    return True


def _result(workspace: Workspace, path: Path, report: IngestReport) -> FileResult:
    key = str(path.resolve())
    try:
        doc_id: int | None = workspace.document(path).id
    except DocumentNotFound:
        doc_id = None
    for failed in report.failed:
        if failed.path == key:
            return FileResult(
                name=path.name, status="failed", code=failed.code, reason=failed.reason,
                doc_id=doc_id,
            )  # fmt: skip
    for status in ("added", "replaced", "unchanged"):
        if key in getattr(report, status):
            return FileResult(name=path.name, status=status, doc_id=doc_id)
    return FileResult(
        name=path.name, status="failed", code="not_indexed", reason="not indexed", doc_id=doc_id
    )


def _document(workspace: Workspace, doc_id: int) -> DocumentInfo:
    try:
        return workspace.document(doc_id)
    except DocumentNotFound:
        raise not_found("document", doc_id) from None


def _remove_file(path: Path, folder: Path) -> None:
    """Delete an uploaded file; files outside the upload folder are never touched."""
    if path.parent == folder.resolve():
        path.unlink(missing_ok=True)


def _bad_span(start: int, end: int) -> ApiError:
    return ApiError(
        422,
        "invalid_request",
        f"need 0 <= start < end and end - start <= {MAX_PASSAGE_SPAN} (got {start}, {end})",
    )
