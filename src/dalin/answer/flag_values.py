"""The values a command line gives the options a question names: "wasm-pack으로 빌드할 때
지정하는 target 옵션 값과 feature 옵션 값은 각각 무엇인가요?" over "$ wasm-pack build
crates/office2pdf \\ --target web --features wasm" → "--target web, --features wasm".

An option's value is the word after its flag, which no table labels and search scores as
any other word; the answer is every option asked, read off the one command that gives them
all, quoted from its first flag to its last.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.reader_question import Candidate, Reading, span_evidence
from dalin.types import Hit

__all__ = ["flag_values"]

#: an option the question names by its flag's word: "target 옵션", "--features 플래그",
#: "the --target option"
_OPTION_ASKED = re.compile(
    r"(?<![\w-])(?:--)?([A-Za-z][\w-]{1,30})\s*(?:옵션|플래그|option|flag)", re.IGNORECASE
)
#: the question asks what the option is given, not whether it exists
_VALUE_ASKED = re.compile(r"값|무엇|뭐|뭔|\bvalues?\b|\bwhat\b", re.IGNORECASE)
#: the lines a command may run over, its lines joined by a backslash
_REACH = 200


def flag_values(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Candidate | None:
    """Every option the question names with the value a command gives it, from the best
    passage whose one command gives them all; None otherwise."""
    names = list(dict.fromkeys(_OPTION_ASKED.findall(reading.question)))
    if not names or not _VALUE_ASKED.search(reading.question):
        return None
    patterns = [_given(name) for name in names]
    for hit, _ in sorted(relevant, key=lambda pair: -pair[1]):
        found = [p.search(hit.text) for p in patterns]
        if not all(found):
            continue
        spans = [m for m in found if m is not None]
        start, end = min(m.start() for m in spans), max(m.end() for m in spans)
        if end - start > _REACH:
            continue  # flags of different commands: not one command line's
        lead = ", ".join(m.group().strip() for m in spans)
        return Candidate(1.0, lead, span_evidence(hit, _command_start(hit.text, start), end))
    return None


def _given(name: str) -> re.Pattern[str]:
    """A flag for ``name`` (its plural or singular too: "feature" and "--features") with the
    value after it."""
    stem = re.escape(name[:-1] if name.endswith("s") else name)
    return re.compile(rf"(?<![\w-])--{stem}s?(?:=|[ \t]+)(?!-)[^\s\\'\"]+", re.IGNORECASE)


def _command_start(text: str, at: int) -> int:
    """Where the command holding ``at`` begins: its line's start, or an earlier line's
    that a backslash continues ("$ wasm-pack build crates/office2pdf \\")."""
    start = text.rfind("\n", 0, at) + 1
    while start > 0:
        before = text.rfind("\n", 0, start - 1) + 1
        if not text[before : start - 1].rstrip().endswith("\\"):
            break
        start = before
    return start
