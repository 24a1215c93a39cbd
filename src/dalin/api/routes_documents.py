"""Documents of a workspace: list, upload, read, delete, reindex, passages, search.

Uploads are indexed synchronously, inside the request, and answer with one result per file:
each file is parsed in a worker process under the workspace's limits (``max_seconds``,
``max_memory_mb``), so a request takes at most about ``max_seconds`` per file and a file
that hangs or fails never blocks the others. The web UI sends one request per file, which
also gives it per-file progress. (A background queue would need its own status API; the
per-file answer keeps the contract simple.)
"""

from __future__ import annotations

import os
import unicodedata
import uuid
from pathlib import Path
from typing import Annotated, BinaryIO

from fastapi import APIRouter, File, Query, UploadFile

from dalin.api.auth import not_found
from dalin.api.deps import Caller, IdPath, ServerDep, opened
from dalin.api.errors import ApiError
from dalin.api.schemas import DocumentOut, FileResult, HitOut, PassageOut
from dalin.errors import DocumentNotFound
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
    with opened(server, caller, ws) as workspace:
        return [DocumentOut.of(d) for d in workspace.documents()]


@router.post(
    "/workspaces/{ws}/documents",
    summary="Upload and index files (editor); one result per file",
)
def upload_documents(
    server: ServerDep,
    caller: Caller,
    ws: str,
    files: Annotated[list[UploadFile], File(description="The files to index")],
) -> list[FileResult]:
    with opened(server, caller, ws, "editor") as workspace:
        folder = server.files_dir(ws)
        folder.mkdir(parents=True, exist_ok=True)
        limit = workspace.settings.limits.max_file_bytes
        early: dict[int, FileResult] = {}
        saved: dict[int, Path] = {}
        for index, upload in enumerate(files):
            outcome = _save(upload, folder, limit, taken=set(saved.values()))
            if isinstance(outcome, FileResult):
                early[index] = outcome
            else:
                saved[index] = outcome
        report = workspace.add(list(saved.values())) if saved else IngestReport()
        results = [
            early[i] if i in early else _result(workspace, saved[i], report)
            for i in range(len(files))
        ]
    for result in results:
        server.audit(
            caller,
            "upload",
            f"{ws}/documents/{result.doc_id or ''}",
            name=result.name,
            status=result.status,
            code=result.code,
        )
    return results


@router.get("/workspaces/{ws}/documents/{doc_id}", summary="One document")
def get_document(server: ServerDep, caller: Caller, ws: str, doc_id: IdPath) -> DocumentOut:
    with opened(server, caller, ws) as workspace:
        return DocumentOut.of(_document(workspace, doc_id))


@router.delete(
    "/workspaces/{ws}/documents/{doc_id}",
    summary="Delete a document, everything indexed from it, and its file (editor)",
)
def delete_document(server: ServerDep, caller: Caller, ws: str, doc_id: IdPath) -> DocumentOut:
    with opened(server, caller, ws, "editor") as workspace:
        doc = _document(workspace, doc_id)
        workspace.remove(doc.id)
        _remove_file(Path(doc.path), server.files_dir(ws))
    server.audit(caller, "delete", f"{ws}/documents/{doc.id}", name=doc.name)
    return DocumentOut.of(doc)


@router.post(
    "/workspaces/{ws}/documents/{doc_id}/reindex",
    summary="Index a document's file again: picks up a changed file, retries a failed one (editor)",
)
def reindex_document(server: ServerDep, caller: Caller, ws: str, doc_id: IdPath) -> FileResult:
    with opened(server, caller, ws, "editor") as workspace:
        doc = _document(workspace, doc_id)
        path = Path(doc.path)
        result = _result(workspace, path, workspace.add([path]))
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
    with opened(server, caller, ws) as workspace:
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
    with opened(server, caller, ws) as workspace:
        return [HitOut.of(h) for h in workspace.search(q, k)]


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


def _save(upload: UploadFile, folder: Path, limit: int, taken: set[Path]) -> Path | FileResult:
    """Store one upload under its safe name, replacing an earlier file of that name."""
    shown = upload.filename or ""
    name = safe_name(shown)
    if name is None:
        return FileResult(
            name=shown[:200],
            status="failed",
            code="bad_name",
            reason="the file has no usable name / 파일 이름이 없습니다",
        )
    target = (folder / name).resolve()
    if target.parent != folder.resolve():  # cannot happen after safe_name; never trust it
        return FileResult(name=name, status="failed", code="bad_name", reason="bad file name")
    if target in taken:
        return FileResult(
            name=name,
            status="failed",
            code="duplicate_name",
            reason="another file of this request has the same name / 같은 이름의 파일이 있습니다",
        )
    temporary = folder / f".upload-{uuid.uuid4().hex}"
    try:
        if not _copy_within(upload.file, temporary, limit):
            return FileResult(
                name=name,
                status="failed",
                code="limit_exceeded",
                reason=f"the file is larger than {limit // 2**20} MB (ingest.max_file_mb)"
                f" / 파일이 {limit // 2**20}MB보다 큽니다",
            )
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _copy_within(source: BinaryIO, target: Path, limit: int) -> bool:
    """Copy ``source`` to ``target``; False (and stop) once it passes ``limit`` bytes."""
    written = 0
    with target.open("wb") as out:
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
    doc = workspace.store.get_document(key)
    doc_id = doc.id if doc else None
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
    found = workspace.store.get_document_by_id(doc_id)
    if found is None:
        raise not_found("document", doc_id)
    return found


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
