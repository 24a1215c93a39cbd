"""Answers and conversations as Markdown, with their sources: to keep, mail or file.

Built from answer-log entries (what ``Workspace.ask`` logs, see ``dalin.answer.ask.log_entry``),
so an answer exported right after it was given and one exported from the log a month later
read the same: the question, the answer, the numbered sources (document name, label and the
quoted passage), the model and the date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

Entry = Mapping[str, object]


def answer_markdown(entry: Entry) -> str:
    """One answer as a Markdown document."""
    return "# dalin 답변 / Answer\n\n" + _turn(entry, heading="##")


def conversation_markdown(entries: Sequence[Entry], conversation: str = "") -> str:
    """The turns of a conversation (oldest first) as one Markdown document."""
    title = "# dalin 대화 / Conversation"
    if conversation:
        title += f" `{conversation}`"
    turns = [_turn(entry, heading="##", number=i) for i, entry in enumerate(entries, start=1)]
    return title + "\n\n" + "\n---\n\n".join(turns)


def _turn(entry: Entry, *, heading: str, number: int = 0) -> str:
    place = f"{number}. " if number else ""
    lines = [f"{heading} {place}질문 / Question", "", *_quoted(_text(entry, "question")), ""]
    lines += [f"{heading}# 답변 / Answer", ""]
    if notice := _text(entry, "notice"):
        lines += [f"*{notice}*", ""]
    lines += [_text(entry, "answer").strip(), ""]
    citations = [c for c in _list(entry.get("citations")) if isinstance(c, Mapping)]
    if citations:
        lines += [f"{heading}# 출처 / Sources", ""]
        for c in citations:
            lines += _source(c)
        lines.append("")
    model = _text(entry, "model") or "extractive"
    lines += [f"모델 / Model: {model} · 날짜 / Date: {_date(entry)}", ""]
    return "\n".join(lines)


def _source(citation: Mapping[object, object]) -> list[str]:
    name = str(citation.get("document", "")).replace("\\", "/").rsplit("/", 1)[-1]
    label = str(citation.get("label", "")).removeprefix(f"{name} · ")  # labels open with it
    head = f"{citation.get('number', '')}. **{name}** · {label}"
    if reason := str(citation.get("reason", "")):
        head += f" ({reason})"
    quote = str(citation.get("quote", "")).strip()
    return [head, *("   " + line for line in _quoted(quote))] if quote else [head]


def _quoted(text: str) -> list[str]:
    """``text`` as a Markdown block quote, every line of it (blank lines kept in the quote)."""
    return [f"> {line}".rstrip() for line in text.strip().splitlines()] or [">"]


def _date(entry: Entry) -> str:
    """When it was asked (the log's UTC time, to the minute); now for an answer not logged."""
    raw = _text(entry, "asked_at")
    try:
        at = datetime.fromisoformat(raw) if raw else datetime.now(UTC)
    except ValueError:
        return raw
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _text(entry: Entry, key: str) -> str:
    value = entry.get(key)
    return "" if value is None else str(value)


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []
