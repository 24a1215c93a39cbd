"""The JSON of a question and its answer (REST ``/ask``, the OpenAI-compatible API's
``citations``, MCP): the request, the answer with its citations, flags, verification and
tool calls, and the conversations that hold them. Like :mod:`dalin.api.schemas`, server-side
paths are never sent: a cited document is its id and file name."""

from __future__ import annotations

import dataclasses

from pydantic import BaseModel, Field

from dalin.api.schemas import CONVERSATION_PATTERN, LLM_PATTERN, MAX_SCOPE, DocumentRef
from dalin.types import Answer, Citation, SentenceFlag, ToolUse, Verification


class AskIn(BaseModel):
    question: str = Field(min_length=1, max_length=4000)
    conversation_id: str | None = Field(default=None, pattern=CONVERSATION_PATTERN)
    #: a model spec for this question ("extractive", "local", "openai:MODEL", ...)
    llm: str | None = Field(default=None, pattern=LLM_PATTERN)
    stream: bool = False
    #: keep the question to these documents (ids or names; empty: all of them)
    documents: list[DocumentRef] = Field(default_factory=list, max_length=MAX_SCOPE)


class CitationOut(BaseModel):
    number: int
    doc_id: int
    #: the document's name
    document: str
    label: str
    quote: str
    start: int
    end: int
    page: int | None
    #: set when these are the source's words shown in place of a model sentence the check
    #: flagged: why ("contradiction", "number", "arithmetic", "entity", "scope",
    #: "condition", "verifier") and the reason as the user reads it
    flag: str = ""
    reason: str = ""

    @classmethod
    def of(cls, c: Citation) -> CitationOut:
        return cls(
            number=c.number,
            doc_id=c.doc_id,
            document=_file_name(c.document),
            label=c.label,
            quote=c.quote,
            start=c.start,
            end=c.end,
            page=c.page,
            flag=c.flag,
            reason=c.reason,
        )


class FlagOut(BaseModel):
    """A model sentence the check flagged, as written, and what was shown instead."""

    sentence: str
    reason: str
    message: str
    #: "replaced", "removed" or "marked"
    action: str
    replacement: str
    #: the citation number of the replacement (0: none)
    citation: int
    detail: str
    verifier: str

    @classmethod
    def of(cls, f: SentenceFlag) -> FlagOut:
        return cls(**dataclasses.asdict(f))


class VerificationOut(BaseModel):
    """The model verifier's run: verdicts per sentence, tokens, cost and time."""

    model: str
    verdicts: list[dict[str, object]]
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    seconds: float
    error: str

    @classmethod
    def of(cls, v: Verification) -> VerificationOut:
        return cls(
            model=v.model,
            verdicts=[dataclasses.asdict(d) for d in v.verdicts],
            prompt_tokens=v.prompt_tokens,
            completion_tokens=v.completion_tokens,
            cost_usd=v.cost_usd,
            seconds=v.seconds,
            error=v.error,
        )


class ToolUseOut(BaseModel):
    """One tool call the model made while answering."""

    name: str
    #: the arguments as the model wrote them (JSON text)
    arguments: str
    #: what came back, in one line
    summary: str
    seconds: float
    #: why the call was refused or failed ("" when it succeeded)
    error: str
    #: labels of the cells, rows or passages the result came from
    sources: list[str]

    @classmethod
    def of(cls, use: ToolUse) -> ToolUseOut:
        return cls(
            name=use.name,
            arguments=use.arguments,
            summary=use.summary,
            seconds=round(use.seconds, 4),
            error=use.error,
            sources=list(use.sources),
        )

    @classmethod
    def logged(cls, entry: object) -> list[ToolUseOut]:
        """The tool calls of an answer-log entry's ``tools`` list (skipping malformed ones)."""
        found = entry if isinstance(entry, list) else []
        return [
            cls(
                name=str(u.get("name", "")),
                arguments=str(u.get("arguments", "")),
                summary=str(u.get("summary", "")),
                seconds=round(float(u.get("seconds") or 0.0), 4),
                error=str(u.get("error", "")),
                sources=[str(x) for x in u.get("sources") or []],
            )
            for u in found
            if isinstance(u, dict)
        ]


class Tokens(BaseModel):
    prompt: int
    cached_prompt: int
    completion: int
    reasoning: int
    context: int


class AnswerOut(BaseModel):
    conversation_id: str
    text: str
    citations: list[CitationOut]
    reasoning: str
    abstained: bool
    method: str
    model: str
    unsupported: list[str]
    removed_citations: list[int]
    notice: str
    tokens: Tokens
    cost_usd: float | None
    total_seconds: float
    #: the tools the model called while answering, in order
    tools: list[ToolUseOut] = []
    #: the model's sentences the checks flagged, as written, with the reason
    flags: list[FlagOut] = []
    #: the model verifier's run, when one checked the answer
    verification: VerificationOut | None = None

    @classmethod
    def of(cls, a: Answer, conversation_id: str) -> AnswerOut:
        return cls(
            conversation_id=conversation_id,
            text=a.text,
            citations=[CitationOut.of(c) for c in a.citations],
            reasoning=a.reasoning,
            abstained=a.abstained,
            method=a.method,
            model=a.model or "extractive",
            unsupported=list(a.unsupported),
            removed_citations=list(a.removed_citations),
            notice=a.notice,
            tokens=Tokens(
                prompt=a.prompt_tokens,
                cached_prompt=a.cached_prompt_tokens,
                completion=a.completion_tokens,
                reasoning=a.reasoning_tokens,
                context=a.context_tokens,
            ),
            cost_usd=a.cost_usd,
            total_seconds=a.total_seconds,
            tools=[ToolUseOut.of(u) for u in a.tools],
            flags=[FlagOut.of(f) for f in a.flags],
            verification=VerificationOut.of(a.verification) if a.verification else None,
        )


class ConversationOut(BaseModel):
    id: str
    #: the first question
    title: str
    turns: int
    last_at: str
    #: who started it ("key:ID"; "" before owners were recorded); shown to admins
    owner: str = ""


class TurnOut(BaseModel):
    id: int
    asked_at: str
    question: str
    text: str
    citations: list[dict[str, object]]
    reasoning: str
    abstained: bool
    method: str
    model: str
    notice: str
    tools: list[ToolUseOut] = []
    #: the model sentences the checks flagged (as the answer log keeps them)
    flags: list[dict[str, object]] = []


class ConversationDetail(BaseModel):
    id: str
    turns: list[TurnOut]


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]
