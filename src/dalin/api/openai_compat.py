"""An OpenAI-compatible chat API over the workspaces: each workspace a key may see is a model.

Any OpenAI client can then ask a workspace::

    client = OpenAI(base_url="http://127.0.0.1:8000/v1", api_key="dln_...")
    client.chat.completions.create(model="shop", messages=[{"role": "user", "content": "..."}])

The last user message is the question; earlier user/assistant turns are the conversation
(a follow-up is rewritten into a standalone query before searching). The answer text keeps
its ``[n]`` markers and ends with a "Sources:" / "출처:" list; the same citations come as
data in an extra ``citations`` field, on the message (non-streaming) or on the final chunk
(streaming). Errors use the OpenAI shape ``{"error": {"message", "type", "code"}}``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from anyio import to_thread
from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from dalin.api.auth import Principal, authenticated, check_workspace
from dalin.api.deps import scope_of
from dalin.api.errors import ApiError, error_body, error_for, public_message
from dalin.api.lanes import HeldStream, Ticket
from dalin.api.schemas import MAX_SCOPE, DocumentRef
from dalin.api.schemas_answers import CitationOut, FlagOut, ToolUseOut
from dalin.api.server import Server
from dalin.errors import DalinError, WorkspaceNotFound
from dalin.types import Answer, Citation


class _OpenAIRoute(APIRoute):
    """Checks the key before the body is read, and answers a malformed body with 400 in the
    OpenAI error shape (as OpenAI does) rather than FastAPI's 422."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            authenticated(request)  # 401/429 first; the route's dependency reuses the result
            try:
                return await handler(request)
            except RequestValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in e.get('loc', ())) or 'body'}: {e.get('msg', '')}"
                    for e in list(exc.errors())[:5]
                )
                raise _bad_request(f"not a valid request ({problems})") from None

        return route


router = APIRouter(prefix="/v1", tags=["openai-compatible"], route_class=_OpenAIRoute)

#: the heading of the sources list appended to an answer, by answer language
SOURCES_HEADING = {"ko": "출처:", "en": "Sources:"}
#: characters per streamed content chunk: small enough to look live, few enough to be cheap
_STREAM_PIECE_CHARS = 24
KEEPALIVE_SECONDS = 5.0
_MAX_QUESTION_CHARS = 4000


# --- request and response shapes ---------------------------------------------------------


class ContentPart(BaseModel):
    """One part of a multi-part message; only text parts are read."""

    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None


class ChatCompletionRequest(BaseModel):
    """What /v1/chat/completions reads; other OpenAI fields are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = Field(description="The workspace slug, as listed by GET /v1/models.")
    messages: list[ChatMessage]
    stream: bool = False
    documents: list[DocumentRef] = Field(
        default_factory=list,
        max_length=MAX_SCOPE,
        description="dalin's extra field: keep the question to these documents (ids or file"
        " names; empty: all). OpenAI clients pass it in extra_body.",
    )


class ErrorDetail(BaseModel):
    message: str
    type: str
    code: str


class ErrorResponse(BaseModel):
    """OpenAI's error shape, which every error of this API has."""

    error: ErrorDetail


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    described = {
        400: "Not a valid request: no user question, or a malformed body",
        401: "No valid API key",
        404: "No such model (workspace), or the key may not use it",
        429: "Too many requests for this key; see Retry-After",
    }
    return {s: {"model": ErrorResponse, "description": described[s]} for s in statuses}


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "dalin"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    citations: list[CitationOut]
    #: the tools dalin's model called to answer (an extension, like ``citations``); never
    #: ``tool_calls``, which would ask the client to run them
    tools_used: list[ToolUseOut] = []
    #: the model sentences the checks flagged (a replacement's citation carries the flag too)
    flags: list[FlagOut] = []


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage


# --- answers as OpenAI text --------------------------------------------------------------


def cited_text(answer: Answer) -> str:
    """The answer with its ``[n]`` markers, then a numbered sources list when it cites any."""
    parts = [answer.notice, answer.text] if answer.notice else [answer.text]
    if answer.citations:
        heading = SOURCES_HEADING.get(answer.language, SOURCES_HEADING["en"])
        lines = [heading, *(_source_line(c) for c in answer.citations)]
        parts.append("\n".join(lines))
    return "\n\n".join(p for p in parts if p)


def _source_line(citation: Citation) -> str:
    """ "[2] 고객센터_FAQ.txt · ¶1", with the reason when it replaces a flagged sentence."""
    line = f"[{citation.number}] {citation.label}"
    return f"{line} ({citation.reason})" if citation.reason else line


def _strip_sources(text: str) -> str:
    """An earlier answer without the sources list we appended (history needs only the text)."""
    for heading in SOURCES_HEADING.values():
        cut = text.rfind(f"\n\n{heading}\n")
        if cut >= 0:
            return text[:cut]
    return text


def _text_of(message: ChatMessage) -> str:
    if isinstance(message.content, str):
        return message.content
    if message.content is None:
        return ""
    return "\n".join(p.text for p in message.content if p.type == "text" and p.text)


def question_and_history(
    messages: Sequence[ChatMessage],
) -> tuple[str, list[tuple[str, str]]]:
    """The question (the last message, from the user) and the earlier (question, answer) turns.

    System, developer and tool messages are skipped: the workspace's profile, not the
    caller, decides how answers are written.

    Raises:
        ApiError: 400 when there is no question to answer.
    """
    turns = [m for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user":
        raise _bad_request(
            "the last message must come from the user / 마지막 메시지는 질문이어야 합니다"
        )
    question = _text_of(turns[-1]).strip()
    if not question:
        raise _bad_request("the question is empty / 질문이 비어 있습니다")
    if len(question) > _MAX_QUESTION_CHARS:
        raise _bad_request(
            f"the question is longer than {_MAX_QUESTION_CHARS} characters"
            f" / 질문이 {_MAX_QUESTION_CHARS}자를 넘습니다"
        )
    history: list[tuple[str, str]] = []
    pending: str | None = None
    for m in turns[:-1]:
        if m.role == "user":
            pending = _text_of(m).strip()
        elif pending is not None:
            history.append((pending, _strip_sources(_text_of(m)).strip()))
            pending = None
    return question, history


def _bad_request(message: str) -> ApiError:
    return ApiError(400, "invalid_request", message)


def _model_not_found(slug: str) -> ApiError:
    return ApiError(
        404,
        "model_not_found",
        f"the model {slug!r} does not exist or this key may not use it"
        f" / 모델 {slug!r}이(가) 없거나 이 키로 쓸 수 없습니다",
    )


# --- routes ------------------------------------------------------------------------------

Caller = Annotated[Principal, Depends(authenticated)]


def _server(request: Request) -> Server:
    server: Server = request.app.state.server
    return server


def _visible_slug(server: Server, principal: Principal, slug: str) -> str:
    """``slug`` when the caller may ask it; otherwise 404 model_not_found, whatever the cause."""
    try:
        check_workspace(principal, slug, "viewer")
    except ApiError as exc:
        if exc.status_code == 404:
            raise _model_not_found(slug) from None
        raise
    if server.workspace(slug) is None:
        raise _model_not_found(slug)
    return slug


def _created(iso: str) -> int:
    try:
        return int(datetime.fromisoformat(iso).timestamp())
    except ValueError:
        return 0


@router.get("/models", response_model=ModelList, responses=_errors(401, 429))
def list_models(request: Request, principal: Caller) -> ModelList:
    """Each workspace this key may ask, as an OpenAI model (id = workspace slug)."""
    server = _server(request)
    records = server.workspaces()
    if not principal.is_admin:
        records = [r for r in records if r.slug == principal.workspace]
    return ModelList(data=[ModelCard(id=r.slug, created=_created(r.created_at)) for r in records])


@router.get("/models/{model}", response_model=ModelCard, responses=_errors(401, 404, 429))
def get_model(model: str, request: Request, principal: Caller) -> ModelCard:
    """One workspace as an OpenAI model; 404 model_not_found when the key may not see it."""
    server = _server(request)
    slug = _visible_slug(server, principal, model)
    record = server.workspace(slug)
    created = _created(record.created_at) if record else 0
    return ModelCard(id=slug, created=created)


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={200: {"content": {"text/event-stream": {}}}, **_errors(400, 401, 404, 429)},
)
async def chat_completions(chat: ChatCompletionRequest, request: Request, principal: Caller) -> Any:
    """Answer the last user message from the workspace named by ``model``, with citations."""
    server = _server(request)
    slug = await to_thread.run_sync(_visible_slug, server, principal, chat.model)
    scope = await to_thread.run_sync(lambda: scope_of(server.served(slug), chat.documents))
    question, history = question_and_history(chat.messages)
    conversation = _conversation_id(principal, chat.messages)
    completion_id = "chatcmpl-" + uuid.uuid4().hex
    created = int(time.time())

    def answer() -> Answer:
        server.audit(
            principal,
            "ask",
            slug,
            question_chars=len(question),
            conversation=conversation,
            surface="openai",
        )
        return _ask(server, slug, question, history, conversation, principal.owner, scope)

    ticket = await server.lanes.reserve(principal, slug)  # 429 Busy when there is no room
    if chat.stream:
        chunks = _stream(
            server, ticket, answer, completion_id=completion_id, created=created, model=slug
        )
        return HeldStream(
            chunks,
            ticket,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    result = await server.lanes.start(ticket, answer)
    return _completion(result, completion_id=completion_id, created=created, model=slug)


def _conversation_id(principal: Principal, messages: Sequence[ChatMessage]) -> str:
    """A stable id for an OpenAI conversation: its first user message, per key.

    OpenAI requests carry no conversation id, yet the turns of one chat should be listed
    together in the answer log; the same opening question from the same key is the same chat.
    """
    first = next((_text_of(m) for m in messages if m.role == "user"), "")
    digest = hashlib.sha256(f"{principal.key_id}\n{first}".encode()).hexdigest()
    return "oa-" + digest[:16]


def _ask(
    server: Server,
    slug: str,
    question: str,
    history: list[tuple[str, str]],
    conversation: str,
    owner: str,
    scope: Sequence[int] = (),
) -> Answer:
    """Ask on a question thread; the answer is logged under ``owner`` (the caller's key)."""
    try:
        ws = server.served(slug)
    except WorkspaceNotFound:  # deleted since the check
        raise _model_not_found(slug) from None
    return ws.ask(
        question, history=history, conversation=conversation, owner=owner, documents=scope
    )


def _usage(answer: Answer) -> Usage:
    return Usage(
        prompt_tokens=answer.prompt_tokens,
        completion_tokens=answer.completion_tokens,
        total_tokens=answer.prompt_tokens + answer.completion_tokens,
    )


def _completion(answer: Answer, *, completion_id: str, created: int, model: str) -> ChatCompletion:
    message = AssistantMessage(
        content=cited_text(answer),
        citations=[CitationOut.of(c) for c in answer.citations],
        tools_used=[ToolUseOut.of(u) for u in answer.tools],
        flags=[FlagOut.of(f) for f in answer.flags],
    )
    return ChatCompletion(
        id=completion_id,
        created=created,
        model=model,
        choices=[Choice(message=message)],
        usage=_usage(answer),
    )


def _sse(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _stream(
    server: Server,
    ticket: Ticket,
    answer: Callable[[], Answer],
    *,
    completion_id: str,
    created: int,
    model: str,
) -> AsyncIterator[str]:
    """OpenAI ``chat.completion.chunk`` events: role, text pieces, final chunk, ``[DONE]``.

    The role chunk goes out before the answer is ready, so a client sees the stream open at
    once; the text follows when the answer (checked sentence by sentence) is complete, with a
    comment line every few seconds until then.
    """
    head = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
    }

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return _sse({**head, "choices": [choice], **extra})

    task = server.lanes.start(ticket, answer)
    yield chunk({"role": "assistant", "content": ""})
    while not task.done():
        done, _ = await asyncio.wait({task}, timeout=KEEPALIVE_SECONDS)
        if not done:  # an SSE comment: OpenAI clients skip it, proxies keep the line open
            yield ": working\n\n"
    try:
        result = task.result()
    except ApiError as exc:
        yield _sse(error_body(exc.status_code, exc.code, exc.message))
        yield "data: [DONE]\n\n"
        return
    except DalinError as exc:
        yield _sse(error_body(*error_for(exc), public_message(exc)))
        yield "data: [DONE]\n\n"
        return
    text = cited_text(result)
    for start in range(0, len(text), _STREAM_PIECE_CHARS):
        yield chunk({"content": text[start : start + _STREAM_PIECE_CHARS]})
    citations = [CitationOut.of(c).model_dump() for c in result.citations]
    tools_used = [ToolUseOut.of(u).model_dump() for u in result.tools]
    flags = [FlagOut.of(f).model_dump() for f in result.flags]
    yield chunk(
        {}, "stop", citations=citations, tools_used=tools_used, flags=flags,
        usage=_usage(result).model_dump(),
    )  # fmt: skip
    yield "data: [DONE]\n\n"
