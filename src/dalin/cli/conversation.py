"""What `dalin ask` and `dalin chat` share beyond one question: keeping a question to some
documents (``--doc``), continuing a logged conversation (``--resume``) and saving answers as
Markdown with their sources (``--export``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.markup import escape

from dalin.answer.ask import log_entry
from dalin.answer.export import answer_markdown, conversation_markdown
from dalin.cli.common import err, fail, state
from dalin.cli.messages import message
from dalin.errors import ConversationNotFound, DocumentNotFound
from dalin.types import Answer
from dalin.workspace import Workspace

#: a command line naming what does not exist (as click does for a bad option)
EXIT_USAGE = 2


def scope(ws: Workspace, refs: Sequence[str]) -> tuple[int, ...]:
    """The ids of the documents ``--doc`` names (file name, path or id); exit 2 naming the
    first that names none (or several)."""
    ids: dict[int, None] = {}
    for ref in refs:
        try:
            ids[ws.document(ref).id] = None
        except DocumentNotFound:
            fail(_unknown(ws, ref), EXIT_USAGE)
    return tuple(ids)


def _unknown(ws: Workspace, ref: str) -> str:
    named = [d.path for d in ws.documents() if d.name == ref]
    if len(named) > 1:
        return message("scope.several", state().lang, ref=ref, paths=", ".join(named))
    return message("scope.unknown", state().lang, ref=ref)


def resume(ws: Workspace, conversation: str) -> list[tuple[str, str]]:
    """The (question, answer) turns of a logged conversation, oldest first; exit 2 when the
    answer log holds none."""
    try:
        entries = ws.conversation(conversation)
    except ConversationNotFound:
        fail(message("chat.unknown", state().lang, id=conversation), EXIT_USAGE)
    return [(str(e.get("question", "")), str(e.get("answer", ""))) for e in entries]


def export_answer(path: Path, answer: Answer) -> None:
    """Save one answer as Markdown (as the answer log keeps it, dated now)."""
    _write(path, answer_markdown(log_entry(answer)))


def export_conversation(path: Path, ws: Workspace, conversation: str) -> None:
    """Save every logged turn of a conversation so far as Markdown (rewritten after each
    answer, so a chat cut off still leaves the file whole)."""
    _write(path, conversation_markdown(ws.conversation(conversation), conversation))


def _write(path: Path, text: str) -> None:
    target = path.expanduser()
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(message("export.failed", state().lang, path=target, error=exc.strerror or exc))
    err.print(f"[dim]{escape(message('export.written', state().lang, path=target))}[/dim]")
