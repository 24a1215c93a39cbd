"""Data that crosses module boundaries: documents, chunks, hits, answers, reports.

All of it is immutable. Offsets are character offsets (Python ``str`` indices) into the
document's rendered text, ``Document.text``; a chunk's text is always
``document.text[chunk.start:chunk.end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"


@dataclass(frozen=True)
class Table:
    """A table as read from the source: an optional header row and the body rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    #: the sheet a spreadsheet table comes from, e.g. "재고"; "" for other formats
    sheet: str = ""
    #: 1-based source row of the header row (0: no header or not a spreadsheet)
    header_row: int = 0
    #: 1-based source row of each body row, parallel to ``rows`` (empty: not known)
    row_numbers: tuple[int, ...] = ()
    #: 1-based first and last source column the table spans (0: not known)
    first_column: int = 0
    last_column: int = 0


@dataclass(frozen=True)
class StoredTable:
    """A table as the store keeps it: cells with their provenance, for exact look-ups."""

    doc_id: int
    #: 1-based index among the document's tables (tools cite it as "표 N"; passage labels
    #: name a table by its caption)
    index: int
    table: Table
    page: int | None = None
    #: where the table's rendered text sits in the document text
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Block:
    """One structural unit of a document, placed at ``text[start:end]``.

    A table's text has one line per source row: the header line first (when there is a
    header), then each body row rendered as ``header: value | header: value``.
    """

    kind: BlockKind
    text: str
    start: int
    end: int
    level: int = 0
    page: int | None = None
    table: Table | None = None
    #: 1-based index of this table among the document's tables
    table_index: int = 0
    #: what the block is for, beside what it is: "" (the document's own text), "toc" (lines
    #: of a table of contents), "header" / "footer" (running page furniture). Search ranks
    #: toc and furniture passages lower and answers never quote them (see ``Chunk.kind``).
    role: str = ""


@dataclass(frozen=True)
class Document:
    """A parsed file: its rendered text and the blocks that make it up."""

    name: str
    text: str
    blocks: tuple[Block, ...]
    pages: int | None = None
    #: the parser that read it, e.g. "pdf"
    format: str = ""
    #: what ``Block.page`` counts: "page" (PDF) or "slide" (PPTX); used in citation labels
    page_unit: str = "page"
    #: pages whose text was read from their image by OCR, each with Tesseract's mean
    #: confidence (0-100): ``((3, 91.2), …)``; empty for text that came as text
    ocr_pages: tuple[tuple[int, float], ...] = ()
    #: the number printed on each page, by physical page (``page_labels[page - 1]``), where
    #: it differs from the physical number: "11" on the 13th page, "iii" (PDF /PageLabels or
    #: the folio printed in the margin); "" when the same or not known
    page_labels: tuple[str, ...] = ()

    @property
    def tables(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind is BlockKind.TABLE)


@dataclass(frozen=True)
class Chunk:
    """A retrievable, citable unit of a document."""

    text: str
    start: int
    end: int
    #: human label without the document name, e.g. "제12조(연차휴가) ②" or "p.7"
    label: str
    page: int | None = None
    #: heading path, e.g. "제3장 휴가 > 제12조(연차휴가)"; indexed with extra weight
    section: str = ""
    #: "text", "table" (rows of a table), "toc" (table-of-contents lines) or "furniture"
    #: (a running header or footer, kept once per document); search ranks the last two
    #: lower, and an answer should not quote them
    kind: str = "text"


@dataclass(frozen=True)
class Hit:
    """A chunk found by a search, with where it came from."""

    chunk_id: int
    doc_id: int
    document: str
    name: str
    label: str
    score: float
    text: str
    start: int
    end: int
    page: int | None = None
    section: str = ""
    #: the chunk's kind (see ``Chunk.kind``)
    kind: str = "text"


@dataclass(frozen=True)
class Citation:
    """The passage an answer sentence rests on."""

    number: int
    doc_id: int
    document: str
    label: str
    quote: str
    start: int
    end: int
    page: int | None = None
    #: set when the cited words stand in for a model sentence the check flagged: the reason
    #: ("contradiction", "number", …) and what the user reads ("⚠ 근거와 반대되는 표현")
    flag: str = ""
    reason: str = ""


@dataclass(frozen=True)
class SentenceFlag:
    """A sentence of a model's answer that its sources do not support, and what was shown."""

    #: the sentence as the model wrote it (without citation markers)
    sentence: str
    #: why: a key of ``dalin.answer.support.REASONS``
    reason: str
    #: the reason as the user reads it, in the answer's language ("⚠ 숫자가 근거와 다름")
    message: str
    #: "replaced" (the source's own words shown instead), "removed", or "marked" (kept with
    #: the message, when no source sentence says otherwise)
    action: str
    #: what was shown instead: the source's sentence, or the recomputed expression
    replacement: str = ""
    #: the citation number of the replacement (0: none)
    citation: int = 0
    #: what the check found, e.g. "30일 ↔ 7일"
    detail: str = ""
    #: the model verifier's verdict and reason, when one verified the answer
    verifier: str = ""


@dataclass(frozen=True)
class SentenceVerdict:
    """The model verifier's verdict on one sentence (numbered from 1 in the answer)."""

    number: int
    #: "supported", "contradicted" or "not_supported"
    verdict: str
    reason: str = ""


@dataclass(frozen=True)
class Verification:
    """One model-verifier run over an answer: its verdicts and what it cost."""

    model: str
    verdicts: tuple[SentenceVerdict, ...] = ()
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0
    completion_tokens: int = 0
    #: None: the model's price is unknown
    cost_usd: float | None = None
    seconds: float = 0.0
    #: why verdicts are missing ("llm_unreachable: …", an unreadable reply); "" when none
    error: str = ""


@dataclass(frozen=True)
class ToolNumber:
    """A number a tool produced, with the numbers it was computed from.

    Decimals are written as text (``"270000000"``, ``"0.15"``), exactly. A number whose
    ``operands`` all stand in the passages an answer sentence cites counts as supported
    there (:mod:`dalin.tools.evidence`); with no operands it never does.
    """

    value: str
    operands: tuple[str, ...] = ()


@dataclass(frozen=True)
class ToolUse:
    """One tool call a model made while answering, as the answer log keeps it."""

    #: "calculator", "table_query", "search"
    name: str
    #: the arguments as the model wrote them (JSON text)
    arguments: str
    #: what came back, in one line ("17 + 6 = 23", "3 rows from t1")
    summary: str
    seconds: float
    #: why the call was refused or failed ("" when it succeeded)
    error: str = ""
    numbers: tuple[ToolNumber, ...] = ()
    #: labels of the cells, rows or passages the result came from
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """An answer to a question, with the citations it rests on."""

    question: str
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    language: str
    #: "extractive" (document sentences, no model), "generative" (a model's answer, checked
    #: sentence by sentence), or "extractive-fallback" (a model answered but none of its
    #: sentences could be confirmed, so document sentences are shown instead)
    method: str = "extractive"
    hits: tuple[Hit, ...] = ()
    # --- what a model-written answer adds (defaults: no model was involved) ---------------
    #: the model's reasoning trace, kept apart: it never enters ``text`` or ``citations``
    reasoning: str = ""
    #: the model that wrote it, "backend:model"
    model: str = ""
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0
    completion_tokens: int = 0
    reasoning_tokens: int = 0
    #: tokens of the numbered sources put in the prompt
    context_tokens: int = 0
    first_token_seconds: float | None = None
    total_seconds: float = 0.0
    #: citation numbers the model wrote that named no source it was given (taken out of text)
    removed_citations: tuple[int, ...] = ()
    #: sentences shown in ``text`` with a "not supported" marker, without the marker
    unsupported: tuple[str, ...] = ()
    #: a line for the user about how the answer was made, e.g. why a fallback was used
    notice: str = ""
    #: share of the model's sentences that its sources support (None: no model answer checked)
    grounded_rate: float | None = None
    #: what the answer cost at the configured prices (None: the model's price is unknown)
    cost_usd: float | None = None
    cost_krw: float | None = None
    #: the query searched with, when a follow-up question was rewritten to stand alone
    query: str = ""
    #: the tools the model called while answering, in order (empty: none offered or used)
    tools: tuple[ToolUse, ...] = ()
    #: the model's sentences the checks flagged, and what was shown for each
    flags: tuple[SentenceFlag, ...] = ()
    #: the model verifier's run, when one checked the answer (None: not verified)
    verification: Verification | None = None
    #: seconds the offline sentence check took
    check_seconds: float = 0.0


@dataclass(frozen=True)
class FailedFile:
    path: str
    code: str
    reason: str


@dataclass(frozen=True)
class IngestReport:
    """What ``Workspace.add`` did with each file it was given."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failed: tuple[FailedFile, ...] = ()
    chunks: int = 0
    #: files of a type no parser reads (a .zip, an .exe): left alone, not a failure
    skipped: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class DocumentInfo:
    """A document as the store knows it."""

    id: int
    path: str
    name: str
    status: str
    size: int
    mtime_ns: int
    content_hash: str
    chunks: int
    error_code: str = ""
    error: str = ""
    format: str = ""
    pages: int | None = None
    updated_at: str = ""
    tables: int = 0
    #: pages read by OCR, and the lowest confidence (0-100) Tesseract gave one of them
    ocr_pages: int = 0
    ocr_confidence: float | None = None
    #: chunks with a vector of the workspace's embedder (filled by ``Workspace.documents``)
    vectors: int = 0
    #: characters of the document's text
    chars: int = 0


@dataclass(frozen=True)
class ContentBlock:
    """A stretch of a document's text as dalin read it, under the label citations use."""

    #: "제3조(휴가)", "p.4", "slide 2", "재고!A12:F12"
    label: str
    #: the chunk kind: "text", "table", "toc" or "furniture" (see ``Chunk.kind``)
    kind: str
    text: str


@dataclass(frozen=True)
class ContentTable:
    """A stored table as a viewer shows it: where it is, what it is called, its cells."""

    #: "재고!A1:F40" or "p.3 · 표 2" (as ``table_query`` cites it)
    label: str
    #: its caption, else its sheet, else "표 N"
    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class DocumentContent:
    """What dalin read from a document: its text in document order, and its tables."""

    document: DocumentInfo
    blocks: tuple[ContentBlock, ...]
    tables: tuple[ContentTable, ...]


@dataclass(frozen=True)
class Filter:
    """Restricts a search to some documents (empty means all)."""

    doc_ids: tuple[int, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Passage:
    """The stored text of a document around a span, e.g. to show a citation in context.

    ``text`` is the chunk(s) covering the span; ``start``/``end`` place it in the document
    text, and ``highlight`` is the requested span relative to ``text``.
    """

    doc_id: int
    name: str
    label: str
    page: int | None
    section: str
    text: str
    start: int
    end: int
    highlight: tuple[int, int]
