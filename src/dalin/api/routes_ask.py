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
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import StreamingResponse

from dalin.api.auth import Principal, not_found
from dalin.api.deps import Caller, ServerDep, allow, opened
from dalin.api.errors import error_for
from dalin.api.schemas import (
    CONVERSATION_PATTERN,
    AnswerOut,
    AskIn,
    CitationOut,
    ConversationDetail,
    ConversationOut,
    ToolUseOut,
    TurnOut,
)
from dalin.api.server import Server
from dalin.errors import DalinError
from dalin.types import Answer

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
    await asyncio.to_thread(allow, server, caller, ws)
    conversation = body.conversation_id or uuid.uuid4().hex
    if body.stream:
        return StreamingResponse(
            _events(server, caller, ws, body, conversation),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    answer = await asyncio.to_thread(_answer, server, caller, ws, body, conversation)
    return AnswerOut.of(answer, conversation)


@router.get("/workspaces/{ws}/conversations", summary="Conversations, most recent first")
def list_conversations(server: ServerDep, caller: Caller, ws: str) -> list[ConversationOut]:
    with opened(server, caller, ws) as workspace:
        entries = workspace.answer_log(CONVERSATION_SCAN)
    found: dict[str, ConversationOut] = {}
    for entry in reversed(entries):  # oldest first: the first question names it
        cid = str(entry.get("conversation", ""))
        if not cid or cid.startswith(_EVAL_PREFIX):
            continue
        at = str(entry.get("asked_at", ""))
        seen = found.get(cid)
        if seen is None:
            title = str(entry.get("question", ""))[:200]
            found[cid] = ConversationOut(id=cid, title=title, turns=1, last_at=at)
        else:
            found[cid] = seen.model_copy(update={"turns": seen.turns + 1, "last_at": at})
    return sorted(found.values(), key=lambda c: c.last_at, reverse=True)


@router.get("/workspaces/{ws}/conversations/{cid}", summary="The turns of a conversation")
def get_conversation(
    server: ServerDep, caller: Caller, ws: str, cid: ConversationId
) -> ConversationDetail:
    with opened(server, caller, ws) as workspace:
        valid = re.fullmatch(CONVERSATION_PATTERN, cid) is not None
        entries = workspace.answer_log(CONVERSATION_SCAN, conversation=cid) if valid else []
    if not entries:
        raise not_found("conversation", cid)
    return ConversationDetail(id=cid, turns=[_turn(e) for e in reversed(entries)])


# --- answering -----------------------------------------------------------------------------


def _answer(server: Server, caller: Principal, ws: str, body: AskIn, conversation: str) -> Answer:
    """Answer in this thread, with the conversation's earlier turns; audit the question."""
    with opened(server, caller, ws) as workspace:
        earlier = workspace.answer_log(HISTORY_TURNS, conversation=conversation)
        history = [(str(e.get("question", "")), str(e.get("answer", ""))) for e in earlier]
        answer = workspace.ask(
            body.question, llm=body.llm, history=history[::-1], conversation=conversation
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
    server: Server, caller: Principal, ws: str, body: AskIn, conversation: str
) -> AsyncIterator[str]:
    yield _event("meta", {"conversation_id": conversation})
    task = asyncio.ensure_future(asyncio.to_thread(_answer, server, caller, ws, body, conversation))
    while not task.done():
        done, _ = await asyncio.wait({task}, timeout=KEEPALIVE_SECONDS)
        if not done:
            yield ": working\n\n"
    try:
        answer = task.result()
    except DalinError as exc:
        _, code = error_for(exc)
        yield _event("error", {"code": code, "message": str(exc)})
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
