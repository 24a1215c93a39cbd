"""What deleting a document removes from the answer log: its quotes and its citations.

An answer log entry (``dalin.answer.ask.log_entry``) keeps the answer text, the citations
with their quotes, the sources the answer was given and, for a model, its reasoning. After a
document is deleted none of its words may stay readable there (issue 15 item 4), so:

* a citation of the document loses its quote and its label (a label holds a heading, which
  is document text too); a source of the document loses its label;
* the answer text is replaced by a notice when it cites the document, when a tool the model
  called read it (its numbers may stand in the answer uncited), or when a model was given
  the document and wrote sentences that no source supports or the grounding check flagged
  (they may come from it);
* a model's reasoning is replaced by the notice whenever the model was given the document,
  and so is what its tool calls read and wrote (arguments, summary, numbers, sources): a
  ``table_query`` over the document's tables names it in its summary, which counts as
  being given it; so are the grounding check's flagged sentences (the model's sentence,
  the source words shown instead, what the check found) and the model verifier's reasons,
  which quote what the model was given. Why a sentence was flagged is kept.

The question (the user's own text) and every other document's citations are kept. The
functions are pure, so every store backend redacts the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

#: what stands where text of a deleted document was
REDACTED = "[삭제된 문서의 내용이 지워졌습니다 / removed with a deleted document]"
#: the label of a citation or source whose document was deleted
DELETED_LABEL = "[삭제된 문서 / deleted document]"


def documents_of(entry: Mapping[str, Any]) -> set[str]:
    """The paths of the documents an answer log entry cites or was given."""
    items = _items(entry, "citations") + _items(entry, "sources")
    return {str(i.get("document", "")) for i in items if isinstance(i, dict)} - {""}


def tool_mention(name: str) -> str:
    """How a tool call's summary names a document it read (``dalin.tools.table_query``)."""
    return f"({name})"


def redact_entry(entry: Mapping[str, Any], path: str, name: str = "") -> dict[str, Any] | None:
    """``entry`` with the document at ``path`` (named ``name``, by default the file's name)
    taken out; None when it never mentions it."""
    citations = _items(entry, "citations")
    sources = _items(entry, "sources")
    tools = _items(entry, "tools")
    mention = tool_mention(name or PurePath(path).name)
    cited = any(_is(c, path) for c in citations)
    read = any(isinstance(t, dict) and mention in str(t.get("summary", "")) for t in tools)
    if not (cited or read or any(_is(s, path) for s in sources)):
        return None
    redacted = dict(entry)
    redacted["citations"] = [_scrub(c, path, "quote") for c in citations]
    redacted["sources"] = [_scrub(s, path) for s in sources]
    by_model = str(entry.get("method", "")) != "extractive"
    flags = _items(entry, "flags")
    if cited or read or (by_model and (entry.get("unsupported") or flags)):
        redacted["answer"] = REDACTED
        redacted["unsupported"] = []
    if by_model and entry.get("reasoning"):
        redacted["reasoning"] = REDACTED
    if by_model and flags:
        redacted["flags"] = [_scrub_flag(f) for f in flags]
    if by_model and isinstance(entry.get("verification"), dict):
        redacted["verification"] = scrub_verification(entry["verification"])
    if tools:
        redacted["tools"] = [_scrub_tool(t) for t in tools]
    redacted["redacted"] = True
    return redacted


def _items(entry: Mapping[str, Any], key: str) -> list[Any]:
    value = entry.get(key)
    return list(value) if isinstance(value, list) else []


def _is(item: object, path: str) -> bool:
    return isinstance(item, dict) and str(item.get("document", "")) == path


def _scrub(item: Any, path: str, *text_keys: str) -> Any:
    if not _is(item, path):
        return item
    scrubbed = {**item, "label": DELETED_LABEL, "document": ""}
    for key in text_keys:
        scrubbed[key] = ""
    return scrubbed


def _scrub_flag(flag: Any) -> Any:
    if not isinstance(flag, dict):
        return flag
    return {**flag, "sentence": REDACTED, "replacement": "", "detail": "", "verifier": ""}


def scrub_verification(run: dict[str, Any]) -> dict[str, Any]:
    """A model verifier's run without its reasons (they quote what it was given)."""
    verdicts = run.get("verdicts")
    if not isinstance(verdicts, list):
        return run
    return {
        **run,
        "verdicts": [{**v, "reason": ""} if isinstance(v, dict) else v for v in verdicts],
    }


def _scrub_tool(use: Any) -> Any:
    if not isinstance(use, dict):
        return use
    return {**use, "arguments": "", "summary": REDACTED, "numbers": [], "sources": []}
