"""Draft a question set from a workspace's own documents with a model, for a person to check.

A business rarely has a question set ready; asking a model to write one from the indexed
passages gives a start. Drafts are not trusted: each must quote the sentence that supports
its answer, and a draft is kept only when that quote is really in the passage (after
whitespace is normalised), so every kept question points at a checkable place in a file.
Everything kept is marked ``"review": "draft — check before use"``.

Passages are picked seeded and spread over the documents (round robin over documents, each
document's chunks shuffled), so the same seed on the same workspace drafts from the same
passages. The prompt is Korean or English by the passage's language.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dalin.llm.base import LLM, Message, collect
from dalin.workspace import Workspace

REVIEW_NOTE = "draft — check before use"
GENERATED_TAG = "generated"
#: an answer this short is a fact the scorer can look for verbatim (answer_contains)
SHORT_ANSWER_CHARS = 20
# Passages shorter than this, or made only of short lines (headings, a table of contents),
# hold too little to ask about.
MIN_CHUNK_CHARS = 25
MIN_LINE_CHARS = 20
#: a quote shorter than this is found almost anywhere ("15일"), so it proves nothing
MIN_EVIDENCE_CHARS = 8
MAX_DRAFT_TOKENS = 300

DROP_REASONS = ("unparseable", "no_answer", "evidence_not_found")


@dataclass(frozen=True)
class SourceChunk:
    """An indexed passage, with where it sits in its document."""

    document: str  # file name
    path: str
    label: str
    text: str
    #: offset of the passage in the document's text (``types.Chunk.start``)
    start: int
    page: int | None = None


@dataclass(frozen=True)
class Draft:
    """What a model wrote for one passage, as parsed; nothing checked yet."""

    question: str = ""
    answer: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class DroppedDraft:
    """A draft that was not kept, and why (one of ``DROP_REASONS``)."""

    document: str
    label: str
    reason: str
    reply: str


@dataclass
class DraftRun:
    """The drafts kept (question-set items) and those dropped."""

    items: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[DroppedDraft] = field(default_factory=list)
    #: passages the model was asked about (fewer than asked for when the documents run out)
    passages: int = 0


#: called after each passage with (passages done, passages in all)
DraftProgress = Callable[[int, int], None]


# --- passages ------------------------------------------------------------------------------


def indexed_chunks(workspace: Workspace) -> list[SourceChunk]:
    """Every indexed passage of the workspace, by document path then position."""
    return [
        SourceChunk(doc.name, doc.path, c.label, c.text, c.start, c.page)
        for doc in workspace.store.documents()
        if doc.status == "indexed"
        for c in workspace.store.document_chunks(doc.id)
    ]


def usable(chunk: SourceChunk) -> bool:
    """Whether a passage holds enough text to ask a question about."""
    text = chunk.text.strip()
    lines = (line.strip() for line in text.splitlines())
    return len(text) >= MIN_CHUNK_CHARS and any(len(line) >= MIN_LINE_CHARS for line in lines)


def pick_chunks(chunks: Sequence[SourceChunk], count: int, seed: int) -> list[SourceChunk]:
    """``count`` usable passages spread over the documents, the same for the same seed."""
    rng = random.Random(seed)
    by_document: dict[str, list[SourceChunk]] = {}
    for chunk in chunks:
        if usable(chunk):
            by_document.setdefault(chunk.path, []).append(chunk)
    queues = []
    for path in sorted(by_document):
        # sorted first, so the pick depends on the seed and the passages, not on their order
        queue = sorted(by_document[path], key=lambda c: (c.start, c.label, c.text))
        rng.shuffle(queue)
        queues.append(queue)
    rng.shuffle(queues)  # which document goes first is seeded too
    picked: list[SourceChunk] = []
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(queue.pop())
    return picked


_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")


def passage_language(text: str) -> str:
    """ "ko" when Hangul carries the text, else "en".

    A Hangul syllable holds about as much as three Latin letters, so a Korean manual full
    of model codes and English terms still counts as Korean.
    """
    hangul, latin = len(_HANGUL.findall(text)), len(_LATIN.findall(text))
    return "ko" if hangul and hangul * 3 >= latin else "en"


# --- prompting and parsing -----------------------------------------------------------------

_PROMPTS = {
    "ko": (
        "당신은 회사 문서로 평가용 질문을 만드는 출제자입니다. 주어진 글에 있는 내용만 씁니다.",
        "아래 글을 읽고, 글만 보고 답할 수 있는 질문 하나를 만드세요.\n"
        "정확히 다음 세 줄로만 답하세요. 다른 말은 쓰지 마세요.\n"
        "질문: (글만 보고 답할 수 있는 질문 하나)\n"
        "답: (짧은 답)\n"
        "근거: (답이 들어 있는 문장을 글에서 한 글자도 바꾸지 말고 그대로 복사)\n\n"
        "[문서: {document} · {label}]\n<글>\n{text}\n</글>",
    ),
    "en": (
        "You write evaluation questions from a company's documents, using only the given text.",
        "Read the passage below and write ONE question that can be answered from it alone.\n"
        "Reply with exactly these three lines and nothing else:\n"
        "Q: (one question the passage answers)\n"
        "A: (a short answer)\n"
        "EVIDENCE: (the sentence holding the answer, copied from the passage word for word)\n\n"
        "[Document: {document} · {label}]\n<passage>\n{text}\n</passage>",
    ),
}


def draft_prompt(chunk: SourceChunk, language: str) -> list[Message]:
    """The messages asking for one question, answer and supporting quote."""
    system, user = _PROMPTS["ko" if language == "ko" else "en"]
    text = user.format(document=chunk.document, label=chunk.label, text=chunk.text.strip())
    return [Message("system", system), Message("user", text)]


# Markers in either language whatever the prompt's, with the decorations models add:
# "- ", "1. ", "**질문:**", "Question：", "Q1:", "근거 문장:".
_FIELD = re.compile(
    r"^\s*(?:[-*>#]+\s*)?(?:\d+[.)]\s*)?\**\s*"
    r"(질문|문제|정답|답변|답|근거\s*문장|근거|question|q|answer|a|evidence|e)"
    r"(?:\s*\d+)?\s*\**\s*[:：]\s*\**\s*(.*?)\s*$",
    re.IGNORECASE,
)
_FIELD_OF = {
    "질문": "question",
    "문제": "question",
    "question": "question",
    "q": "question",
    "정답": "answer",
    "답변": "answer",
    "답": "answer",
    "answer": "answer",
    "a": "answer",
    "근거": "evidence",
    "근거문장": "evidence",
    "evidence": "evidence",
    "e": "evidence",
}
_QUOTES = "\"'“”‘’「」『』`*"


def parse_draft(reply: str) -> Draft:
    """The question, answer and evidence of a reply in the line format; "" where missing.

    The first occurrence of each field wins (small models repeat the pattern); lines with
    no marker continue the field above them, so a quote broken over lines stays whole.
    """
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in reply.splitlines():
        match = _FIELD.match(line)
        if match:
            name = _FIELD_OF[re.sub(r"\s+", "", match.group(1).lower())]
            current = None if name in found else found.setdefault(name, [])
            if current is not None:
                current.append(match.group(2))
        elif current is not None and line.strip():
            current.append(line.strip())
    values = {name: _clean(" ".join(parts)) for name, parts in found.items()}
    return Draft(**values)


def _clean(value: str) -> str:
    value = value.strip().strip(_QUOTES).strip()
    # a model marks a quote it cut short with an ellipsis; what precedes it can still match
    return re.sub(r"(?:\.\.\.|…)$", "", value).strip().strip(_QUOTES).strip()


def find_evidence(evidence: str, text: str) -> tuple[int, int] | None:
    """Offsets of ``evidence`` in ``text``, matching any run of whitespace to any other.

    Document text is NFC already (``ingest.document.clean_text``); the model's quote is
    made NFC too, so composed and decomposed Hangul meet.
    """
    wanted = " ".join(unicodedata.normalize("NFC", evidence).split())
    if len(wanted) < MIN_EVIDENCE_CHARS:
        return None
    flat, where = _collapse_whitespace(text)
    at = flat.find(wanted)
    if at < 0:
        return None
    last = at + len(wanted) - 1
    return where[at], where[last] + 1


def _collapse_whitespace(text: str) -> tuple[str, list[int]]:
    """``text`` with each whitespace run as one space, and each kept character's offset."""
    chars: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            char = " "
        chars.append(char)
        where.append(i)
    return "".join(chars), where


# --- drafting ------------------------------------------------------------------------------


def draft_questions(
    workspace: Workspace,
    llm: LLM,
    *,
    count: int,
    seed: int = 0,
    language: str | None = None,
    progress: DraftProgress | None = None,
) -> DraftRun:
    """Ask ``llm`` for one question per picked passage; keep the drafts that check out.

    ``language`` ("ko" or "en") forces the prompt language; by default each passage's own.
    A model error (``dalin.errors.LLMError``) stops the run: the same error would most
    likely hit every passage.
    """
    if language not in (None, "ko", "en"):
        raise ValueError(f'language must be "ko", "en" or None, not {language!r}')
    passages = pick_chunks(indexed_chunks(workspace), count, seed)
    run = DraftRun(passages=len(passages))
    for done, chunk in enumerate(passages, start=1):
        lang = language or passage_language(chunk.text)
        generation = collect(
            llm.stream(draft_prompt(chunk, lang), max_tokens=MAX_DRAFT_TOKENS, temperature=0.2)
        )
        draft = parse_draft(generation.text)
        outcome = _check(draft, chunk)
        if isinstance(outcome, str):
            run.dropped.append(DroppedDraft(chunk.document, chunk.label, outcome, generation.text))
        else:
            number = len(run.items) + 1
            run.items.append(question_item(f"gen-{number:03d}", draft, chunk, outcome, lang))
        if progress is not None:
            progress(done, len(passages))
    return run


def generate_questions(
    workspace: Workspace,
    llm: LLM,
    *,
    count: int,
    seed: int = 0,
    language: str | None = None,
) -> list[dict[str, Any]]:
    """Draft up to ``count`` questions as question-set items (see ``draft_questions``)."""
    return draft_questions(workspace, llm, count=count, seed=seed, language=language).items


def _check(draft: Draft, chunk: SourceChunk) -> tuple[int, int] | str:
    """The evidence's offsets in the passage, or the reason the draft is dropped."""
    if not draft.question or not draft.evidence:
        return "unparseable"
    if not draft.answer:
        return "no_answer"
    span = find_evidence(draft.evidence, chunk.text)
    return "evidence_not_found" if span is None else span


def question_item(
    item_id: str, draft: Draft, chunk: SourceChunk, span: tuple[int, int], language: str
) -> dict[str, Any]:
    """A kept draft in the question-set JSONL schema, with its evidence and source span."""
    start, end = span
    item: dict[str, Any] = {
        "id": item_id,
        "question": draft.question,
        "language": language,
        "answerable": True,
        "reference_answer": draft.answer,
    }
    if len(draft.answer) <= SHORT_ANSWER_CHARS:
        item["answer_contains"] = [draft.answer]
    item["expected_sources"] = [chunk.document]
    if chunk.page is not None:
        item["expected_pages"] = [chunk.page]
    item.update(
        {
            "expected_label_contains": chunk.label,
            "tags": [GENERATED_TAG],
            "review": REVIEW_NOTE,
            # the quote as the document has it, not as the model retyped it
            "evidence": chunk.text[start:end],
            "source_span": {
                "document": chunk.document,
                "label": chunk.label,
                "start": chunk.start + start,
                "end": chunk.start + end,
            },
        }
    )
    return item


def write_drafts(items: Iterable[Mapping[str, Any]], path: Path) -> Path:
    """Write items as JSONL (UTF-8, Korean kept readable); return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(dict(item), ensure_ascii=False) + "\n" for item in items]
    path.write_text("".join(lines), encoding="utf-8")
    return path
