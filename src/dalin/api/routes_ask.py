"""Questions and conversations.

``POST .../ask`` answers as JSON, or with ``"stream": true`` as server-sent events:

    meta       {"conversation_id"}                  at once
    reasoning  {"text"}                             the model's reasoning, when it gave any
    answer     {"text"}                             the answer text, in pieces (deltas)
    citations  {"citations": [...]}
    done       the whole answer, as the JSON route returns it (``tools``: the tool calls)
    error      {"code", "message"}                  instead of the rest, when answering failed

The answer text is released only after its sentences were checked against their sources
(``dalin.answer.generative``): a model's unchecked tokens are never sent. Until then the
stream carries a comment every few seconds, so proxies keep the connection open.

Questions run on the server's question threads under its per-key and per-workspace limits
(:mod:`dalin.api.lanes`; 429 with ``Retry-After`` when there is no room). A conversation
belongs to the key that started it: only that key lists it, reads it or adds to it; an
admin reads anyone's through ``all-conversations``, and each such read is audited.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response, StreamingResponse

from dalin.answer.export import answer_markdown, conversation_markdown
from dalin.api.auth import Principal, not_found, require_admin
from dalin.api.deps import Caller, ServerDep, scope_of, served
from dalin.api.errors import error_for, public_message
from dalin.api.lanes import HeldStream, Ticket
from dalin.api.schemas import CONVERSATION_PATTERN
from dalin.api.schemas_answers import (
    AnswerOut,
    AskIn,
    CitationOut,
    ConversationDetail,
    ConversationOut,
    ToolUseOut,
    TurnOut,
)
from dalin.api.server import Server
from dalin.errors import DalinError, ModelNotAllowed
from dalin.types import Answer
from dalin.workspace import Workspace

log = logging.getLogger("dalin.api")
router = APIRouter(tags=["questions"])

#: earlier turns of a conversation given to the model with a follow-up question
HISTORY_TURNS = 5
#: answers scanned to list conversations
CONVERSATION_SCAN = 2000
KEEPALIVE_SECONDS = 5.0
_PIECE = re.compile(r"\S+\s*|\s+")
_WORDS_PER_PIECE = 6
#: conversations the evaluation runner logs; not a user's chat
_EVAL_PREFIX = "eval:"

ConversationId = Annotated[str, Path(max_length=64)]


@router.post(
    "/workspaces/{ws}/ask",
    response_model=AnswerOut,
    summary="Ask a question; cited answer as JSON, or as server-sent events with stream=true",
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def ask(
    server: ServerDep, caller: Caller, ws: str, body: AskIn
) -> AnswerOut | StreamingResponse:
    conversation = body.conversation_id or uuid.uuid4().hex
    scope = await to_thread.run_sync(_check, server, caller, ws, body, conversation)
    ticket = await server.lanes.reserve(caller, ws)
    work = partial(_answer, server, caller, ws, body, conversation, scope)
    if body.stream:
        return HeldStream(
            _events(server, ticket, work, conversation),
            ticket,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    answer = await server.lanes.start(ticket, work)
    return AnswerOut.of(answer, conversation)


@router.get("/workspaces/{ws}/conversations", summary="Your conversations, most recent first")
def list_conversations(server: ServerDep, caller: Caller, ws: str) -> list[ConversationOut]:
    workspace = served(server, caller, ws)
    return _conversations(workspace.answer_log(CONVERSATION_SCAN, owner=caller.owner))


@router.get(
    "/workspaces/{ws}/conversations/{cid}", summary="The turns of one of your conversations"
)
def get_conversation(
    server: ServerDep, caller: Caller, ws: str, cid: ConversationId
) -> ConversationDetail:
    entries = _logged(served(server, caller, ws), cid, caller.owner)
    if not entries:
        raise not_found("conversation", cid)
    return ConversationDetail(id=cid, turns=[_turn(e) for e in reversed(entries)])


@router.get(
    "/workspaces/{ws}/all-conversations",
    summary="Everyone's conversations, with their owners (admin; audited)",
)
def review_conversations(server: ServerDep, caller: Caller, ws: str) -> list[ConversationOut]:
    require_admin(caller)
    workspace = served(server, caller, ws)
    server.audit(caller, "conversation_review", ws)
    return _conversations(workspace.answer_log(CONVERSATION_SCAN))


@router.get(
    "/workspaces/{ws}/all-conversations/{cid}",
    summary="The turns of anyone's conversation (admin; audited)",
)
def review_conversation(
    server: ServerDep, caller: Caller, ws: str, cid: ConversationId
) -> ConversationDetail:
    require_admin(caller)
    entries = _logged(served(server, caller, ws), cid, None)
    if not entries:
        raise not_found("conversation", cid)
    server.audit(caller, "conversation_review", f"{ws}/conversations/{cid}")
    return ConversationDetail(id=cid, turns=[_turn(e) for e in reversed(entries)])


TurnQuery = Annotated[
    int | None, Query(ge=1, le=CONVERSATION_SCAN, description="Export this answer only (1-based)")
]
_EXPORT_DOC: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/markdown": {}}, "description": "The Markdown"}
}


@router.get(
    "/workspaces/{ws}/conversations/{cid}/export",
    summary="One of your conversations (or one answer of it) as Markdown with its sources",
    response_class=Response,
    responses=_EXPORT_DOC,
)
def export_conversation(
    server: ServerDep, caller: Caller, ws: str, cid: ConversationId, turn: TurnQuery = None
) -> Response:
    return _markdown(_logged(served(server, caller, ws), cid, caller.owner), cid, turn)


@router.get(
    "/workspaces/{ws}/all-conversations/{cid}/export",
    summary="Anyone's conversation (or one answer of it) as Markdown (admin; audited)",
    response_class=Response,
    responses=_EXPORT_DOC,
)
def review_export(
    server: ServerDep, caller: Caller, ws: str, cid: ConversationId, turn: TurnQuery = None
) -> Response:
    require_admin(caller)
    response = _markdown(_logged(served(server, caller, ws), cid, None), cid, turn)
    server.audit(caller, "conversation_review", f"{ws}/conversations/{cid}", export=True)
    return response


def _logged(workspace: Workspace, cid: str, owner: str | None) -> list[dict[str, object]]:
    """A conversation's logged answers, newest first (only ``owner``'s, unless None)."""
    if re.fullmatch(CONVERSATION_PATTERN, cid) is None:
        return []
    return workspace.answer_log(CONVERSATION_SCAN, conversation=cid, owner=owner)


def _markdown(entries: list[dict[str, object]], cid: str, turn: int | None) -> Response:
    """The log's entries (newest first) as a Markdown download; 404 when there are none."""
    if not entries:
        raise not_found("conversation", cid)
    turns = entries[::-1]
    if turn is not None and turn > len(turns):
        raise not_found("turn", f"{cid}/{turn}")
    if turn is None:
        text, name = conversation_markdown(turns, cid), f"dalin-{cid}.md"
    else:
        text, name = answer_markdown(turns[turn - 1]), f"dalin-{cid}-{turn}.md"
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _conversations(entries: list[dict[str, object]]) -> list[ConversationOut]:
    found: dict[str, ConversationOut] = {}
    for entry in reversed(entries):  # oldest first: the first question names it
        cid = str(entry.get("conversation", ""))
        if not cid or cid.startswith(_EVAL_PREFIX):
            continue
        at = str(entry.get("asked_at", ""))
        seen = found.get(cid)
        if seen is None:
            title = str(entry.get("question", ""))[:200]
            owner = str(entry.get("owner", ""))
            found[cid] = ConversationOut(id=cid, title=title, turns=1, last_at=at, owner=owner)
        else:
            found[cid] = seen.model_copy(update={"turns": seen.turns + 1, "last_at": at})
    return sorted(found.values(), key=lambda c: c.last_at, reverse=True)


# --- answering -----------------------------------------------------------------------------


def _check(
    server: Server, caller: Principal, ws: str, body: AskIn, conversation: str
) -> tuple[int, ...]:
    """Before any answering: the workspace, the model and the conversation are the caller's
    to use, and the documents the question is kept to exist (a worker thread); return their
    ids."""
    workspace = served(server, caller, ws)
    llm = body.llm
    if llm and llm not in server.allowed_models(ws):
        server.audit(caller, "model_refused", ws, model=llm)
        raise ModelNotAllowed(
            f"this workspace may not use the model {llm}; ask an admin to allow it"
            f" / 이 작업공간에서는 {llm} 모델을 쓸 수 없습니다. 관리자에게 요청하세요"
        )
    if _owned_by_another(workspace.answer_log(1, conversation=conversation), caller):
        raise not_found("conversation", conversation)
    return scope_of(workspace, body.documents)


def _owned_by_another(entries: list[dict[str, object]], caller: Principal) -> bool:
    return any(str(e.get("owner", "")) != caller.owner for e in entries)


def _answer(
    server: Server,
    caller: Principal,
    ws: str,
    body: AskIn,
    conversation: str,
    scope: tuple[int, ...] = (),
) -> Answer:
    """Answer on a question thread, with the conversation's earlier turns; audit it."""
    workspace = served(server, caller, ws)
    earlier = workspace.answer_log(HISTORY_TURNS, conversation=conversation, owner=caller.owner)
    history = [(str(e.get("question", "")), str(e.get("answer", ""))) for e in earlier]
    answer = workspace.ask(
        body.question,
        llm=body.llm,
        history=history[::-1],
        conversation=conversation,
        owner=caller.owner,
        documents=scope,
    )
    server.audit(
        caller,
        "ask",
        ws,
        question_chars=len(body.question),
        conversation_id=conversation,
        method=answer.method,
        model=answer.model or "extractive",
        abstained=answer.abstained,
    )
    return answer


async def _events(
    server: Server, ticket: Ticket, work: Callable[[], Answer], conversation: str
) -> AsyncIterator[str]:
    task = server.lanes.start(ticket, work)  # from here the thread gives the place back
    yield _event("meta", {"conversation_id": conversation})
    while not task.done():
        done, _ = await asyncio.wait({task}, timeout=KEEPALIVE_SECONDS)
        if not done:
            yield ": working\n\n"
    try:
        answer = task.result()
    except DalinError as exc:
        _, code = error_for(exc)
        yield _event("error", {"code": code, "message": public_message(exc)})
        return
    except Exception:  # the stream has started: the status line can no longer say so
        log.exception("answering failed")
        yield _event("error", {"code": "internal", "message": "the answer failed / 답변 실패"})
        return
    if answer.reasoning:
        yield _event("reasoning", {"text": answer.reasoning})
    for piece in _pieces(answer.text):
        yield _event("answer", {"text": piece})
    citations = [CitationOut.of(c).model_dump() for c in answer.citations]
    yield _event("citations", {"citations": citations})
    yield _event("done", AnswerOut.of(answer, conversation).model_dump())


def _event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _pieces(text: str) -> list[str]:
    """The answer text in pieces of a few words; joined, they give the text back exactly."""
    words = _PIECE.findall(text)
    return [
        "".join(words[i : i + _WORDS_PER_PIECE]) for i in range(0, len(words), _WORDS_PER_PIECE)
    ]


def _turn(entry: dict[str, object]) -> TurnOut:
    raw = entry.get("citations")
    citations = [
        {**c, "document": str(c.get("document", "")).replace("\\", "/").rsplit("/", 1)[-1]}
        for c in (raw if isinstance(raw, list) else [])
        if isinstance(c, dict)
    ]
    return TurnOut(
        id=int(str(entry.get("id", 0))),
        asked_at=str(entry.get("asked_at", "")),
        question=str(entry.get("question", "")),
        text=str(entry.get("answer", "")),
        citations=citations,
        reasoning=str(entry.get("reasoning", "")),
        abstained=bool(entry.get("abstained", False)),
        method=str(entry.get("method", "")),
        model=str(entry.get("model", "")),
        notice=str(entry.get("notice", "")),
        tools=ToolUseOut.logged(entry.get("tools")),
        flags=[f for f in _list(entry.get("flags")) if isinstance(f, dict)],
    )


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []
