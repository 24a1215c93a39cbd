"""The JSON the REST API reads and writes, as pydantic models (they make /openapi.json).

Converters from the library's dataclasses live here too, so routes stay one call to the
library plus one conversion. Server-side paths are never sent: a document is its id and name.
A question and its answer have their own module, :mod:`dalin.api.schemas_answers`.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Literal

from pydantic import BaseModel, Field, computed_field

from dalin.api.auth import Principal
from dalin.api.server import SLUG, KeyInfo, WorkspaceRecord
from dalin.jobs import JobInfo
from dalin.messages import entry
from dalin.stores.base import EvalRun
from dalin.stores.postgres_jobs import IngestJob
from dalin.types import (
    DocumentContent,
    DocumentInfo,
    Hit,
)

SLUG_PATTERN = SLUG.pattern
#: a conversation id: what the server hands out (hex) or a client's own short token
CONVERSATION_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
#: documents one question may be kept to
MAX_SCOPE = 100
#: a document named in a request: its id or its file name
DocumentRef = Annotated[str, Field(min_length=1, max_length=255)]
#: a model spec a request may name: no local file paths (only the bundled "local")
LLM_PATTERN = r"^(extractive|none|local|(openai|deepseek):[A-Za-z0-9._/@+-]{1,100})$"


class Health(BaseModel):
    status: Literal["ok"]
    #: loaded what the first questions need (until then they wait for it)
    ready: bool


class Me(BaseModel):
    key_id: int
    name: str
    role: str
    workspace: str | None

    @classmethod
    def of(cls, p: Principal) -> Me:
        return cls(key_id=p.key_id, name=p.name, role=p.role, workspace=p.workspace)


class WorkspaceIn(BaseModel):
    slug: str = Field(pattern=SLUG_PATTERN, max_length=63)
    name: str = Field(default="", max_length=200)
    domain: str = Field(default="general", max_length=64)


class WorkspaceOut(BaseModel):
    slug: str
    name: str
    domain: str
    created_at: str

    @classmethod
    def of(cls, r: WorkspaceRecord) -> WorkspaceOut:
        return cls(slug=r.slug, name=r.name, domain=r.domain, created_at=r.created_at)


class WorkspaceDetail(WorkspaceOut):
    documents: int
    failed: int
    chunks: int
    #: the model that answers by default (``answer.llm`` of the workspace's dalin.toml)
    model: str


class KeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: Literal["editor", "viewer"]


class KeyOut(BaseModel):
    id: int
    name: str
    role: str
    workspace: str | None
    prefix: str
    created_at: str
    revoked_at: str | None
    last_used_at: str | None

    @classmethod
    def of(cls, k: KeyInfo) -> KeyOut:
        return cls(
            id=k.id,
            name=k.name,
            role=k.role,
            workspace=k.workspace,
            prefix=k.prefix,
            created_at=k.created_at,
            revoked_at=k.revoked_at,
            last_used_at=k.last_used_at,
        )


class KeyCreated(BaseModel):
    id: int
    #: the secret: shown in this response only, never again
    key: str
    prefix: str
    role: str
    name: str
    workspace: str | None


class Localized(BaseModel):
    """One text in Korean and in English."""

    ko: str
    en: str


class FailureHelp(BaseModel):
    """A failure in the message catalogue's words (:mod:`dalin.messages`): what kind of
    problem, and what to do about it."""

    category: Localized
    remedy: Localized

    @classmethod
    def of(cls, code: str) -> FailureHelp | None:
        """The catalogue's wording of ``code`` (None when there is no failure)."""
        if not code:
            return None
        found = entry(code)
        return cls(
            category=Localized(ko=found.category[0], en=found.category[1]),
            remedy=Localized(ko=found.remedy[0], en=found.remedy[1]),
        )


class DocumentOut(BaseModel):
    id: int
    name: str
    #: "indexed" or "failed"
    status: str
    chunks: int
    tables: int
    #: a stable error code when the file could not be read ("" otherwise)
    code: str
    error: str
    format: str
    pages: int | None
    size: int
    updated_at: str
    #: chunks with a vector for meaning search (vectors follow an upload in the background)
    vectors: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def help(self) -> FailureHelp | None:
        """``code``'s category and remedy in Korean and English (None when it has no error)."""
        return FailureHelp.of(self.code)

    @classmethod
    def of(cls, d: DocumentInfo) -> DocumentOut:
        return cls(
            id=d.id,
            name=d.name,
            status=d.status,
            chunks=d.chunks,
            vectors=d.vectors,
            tables=d.tables,
            code=d.error_code,
            error=d.error,
            format=d.format,
            pages=d.pages,
            size=d.size,
            updated_at=d.updated_at,
        )


class FileResult(BaseModel):
    """What became of one uploaded (or reindexed) file."""

    name: str
    #: "queued": left to `dalin worker` (``dalin serve --queue-uploads``); follow ``job_id``
    status: Literal["added", "replaced", "unchanged", "failed", "queued"]
    code: str = ""
    reason: str = ""
    doc_id: int | None = None
    #: the ingestion job of a queued file (``GET .../jobs/{job_id}``)
    job_id: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def help(self) -> FailureHelp | None:
        """``code``'s category and remedy in Korean and English (None unless failed)."""
        return FailureHelp.of(self.code)


class BlockOut(BaseModel):
    #: the label citations use: "제3조(휴가)", "p.4", "slide 2", "Sheet1!A1:D9"
    label: str
    #: "text", "table", "toc" or "furniture"
    kind: str
    text: str


class TableOut(BaseModel):
    #: where the table is: "Sheet1!A1:D9" or "p.3 · 표 2"
    label: str
    #: its caption, else its sheet, else "표 N"
    name: str
    header: list[str]
    rows: list[list[str]]


class ContentOut(BaseModel):
    """What dalin read from a document: its text in document order, and its tables."""

    document: DocumentOut
    blocks: list[BlockOut]
    tables: list[TableOut]

    @classmethod
    def of(cls, c: DocumentContent) -> ContentOut:
        return cls(
            document=DocumentOut.of(c.document),
            blocks=[BlockOut(label=b.label, kind=b.kind, text=b.text) for b in c.blocks],
            tables=[
                TableOut(
                    label=t.label,
                    name=t.name,
                    header=list(t.header),
                    rows=[list(r) for r in t.rows],
                )
                for t in c.tables
            ],
        )


class PassageOut(BaseModel):
    doc_id: int
    name: str
    label: str
    page: int | None
    section: str
    text: str
    #: where ``text`` sits in the document text
    start: int
    end: int
    #: the requested span, relative to ``text``
    highlight: tuple[int, int]


class HitOut(BaseModel):
    chunk_id: int
    doc_id: int
    document: str
    label: str
    score: float
    text: str
    start: int
    end: int
    page: int | None
    section: str

    @classmethod
    def of(cls, h: Hit) -> HitOut:
        return cls(
            chunk_id=h.chunk_id,
            doc_id=h.doc_id,
            document=h.name,
            label=h.label,
            score=h.score,
            text=h.text,
            start=h.start,
            end=h.end,
            page=h.page,
            section=h.section,
        )


class EvalRunOut(BaseModel):
    run_id: str
    #: "queued", "running", "done", "failed", "cancelled" or "interrupted" (the server stopped)
    status: str
    question_set: str
    models: list[str]
    questions: int
    started_at: str
    finished_at: str | None = None
    error: str = ""
    #: progress: answers recorded (questions x models) of ``total``
    done: int = 0
    total: int = 0
    #: per configuration: accuracy, grounding, latency, cost (the report's summaries)
    summary: list[dict[str, object]] = Field(default_factory=list)

    @classmethod
    def of(cls, run: EvalRun, summary: list[dict[str, object]] | None = None) -> EvalRunOut:
        return cls(
            run_id=run.run_id, status=run.status, question_set=run.question_set,
            models=list(run.models), questions=run.questions, started_at=run.started_at,
            finished_at=run.finished_at, error=run.error, done=run.done, total=run.total,
            summary=summary or [],
        )  # fmt: skip


class EvalRunStarted(BaseModel):
    run_id: str


#: how the id of a file queued for the workers begins, among a workspace's jobs
INGEST_PREFIX = "ingest-"


class JobOut(BaseModel):
    """A background job of a workspace: vectors after an upload, an evaluation run, a file
    queued for the workers."""

    id: str
    #: "embed", "eval" or "ingest"
    kind: str
    #: queued, running, done, failed or cancelled
    status: str
    title: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    #: progress: chunks with a vector, or answers recorded, of ``total``
    done: int
    total: int
    error: str

    @classmethod
    def of(cls, j: JobInfo) -> JobOut:
        fields = dataclasses.asdict(j)
        del fields["workspace"]  # in the path already
        return cls(**fields)

    @classmethod
    def of_run(cls, run: EvalRun) -> JobOut:
        """An evaluation run as a job (one that another process runs, or ran)."""
        return cls(
            id=run.run_id, kind="eval", status=run.status, title=run.question_set,
            created_at=run.started_at, started_at=run.started_at, finished_at=run.finished_at,
            done=run.done, total=run.total, error=run.error,
        )  # fmt: skip

    @classmethod
    def of_ingest(cls, job: IngestJob) -> JobOut:
        """A file queued for `dalin worker`: one step, done once indexed (or failed)."""
        over = job.state in ("done", "failed")
        return cls(
            id=f"{INGEST_PREFIX}{job.id}", kind="ingest", status=job.state, title=job.name,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.updated_at if over else None,
            done=int(job.state == "done"), total=1, error=job.error,
        )  # fmt: skip


class VectorsOut(BaseModel):
    """Meaning search of a workspace: how many chunks have their vector yet."""

    #: the embedder ("" when dense retrieval is off)
    embedder: str
    done: int
    total: int


class ModelsIn(BaseModel):
    models: list[str] = Field(max_length=32)


class ModelsOut(BaseModel):
    """The models a workspace's callers may pick (``llm`` of an ask)."""

    models: list[str]
    #: the workspace's configured model, used when a question names none
    default: str


class AuditEntry(BaseModel):
    id: int
    at: str
    key_id: int | None
    key_name: str
    role: str
    workspace: str | None
    action: str
    target: str
    detail: dict[str, object]
