"""A step of a process a document draws as a chain of arrows: "ZIP 컨테이너 해석 → 문서 모델
구성 → Typst 조판 → PDF 직렬화". Asked "맨 첫 단계는?", "마지막 단계는?" or "Typst 조판
바로 앞 단계는?", the step is read off by its place in the chain; no sentence states it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.reader_question import Candidate, Reading, span_evidence
from dalin.answer.tables import squash
from dalin.types import Hit

__all__ = ["chain_step"]

#: an arrow between two steps
_ARROW = re.compile(r"\s*(?:→|⟶|⇒|->|=>|➜|➔|▶)\s*")
#: a question for a step by its place: the first, the last, or the one before or after
#: another step it names
_FIRST = re.compile(r"(?:맨\s*)?(?:첫|처음|첫\s*번째)\s*단계|맨\s*앞\s*단계|first\s+step", re.I)
_LAST = re.compile(r"(?:맨\s*)?마지막\s*단계|맨\s*끝\s*단계|last\s+step|final\s+step", re.I)
_NEXT_TO = re.compile(
    r"(?P<step>\S+(?:\s+\S+){0,3}?)\s*(?:단계)?\s*(?:의\s*)?(?:바로\s*)?"
    r"(?P<side>앞|이전|전|뒤|다음|이후)\s*단계"
)
#: the fewest steps a line of arrows must hold to be read as a chain
_LEAST_STEPS = 3
#: the longest a step may be, in characters: a longer part is a sentence, not a step
_LONGEST_STEP = 40
#: words a sentence ends a chain with, which are no part of its last step
_CLOSING = re.compile(r"\s*(?:의|으로의|로의)\s.*$|[.。]\s*$")


def chain_step(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Candidate | None:
    """The step the question asks by its place, in the first chain of arrows (in the
    passages most about the question first) where that place exists; None when the question
    asks for no step by place."""
    question = reading.question
    if "단계" not in question and "step" not in question.lower():
        return None
    for hit, share in sorted(relevant, key=lambda pair: -pair[1]):
        for start, end, steps in _chains(hit.text):
            step = _placed(question, steps)
            if step:
                evidence = span_evidence(hit, start, end)
                return Candidate(2.0 + share, step, evidence, relevance=share)
    return None


def _chains(text: str) -> list[tuple[int, int, list[str]]]:
    """Each line of ``text`` holding a chain of arrows: where it starts and ends, and its
    steps."""
    found = []
    at = 0
    for line in text.split("\n"):
        parts = [p.strip() for p in _ARROW.split(line)]
        if len(parts) >= _LEAST_STEPS and all(0 < len(p) <= _LONGEST_STEP for p in parts[:-1]):
            parts[-1] = _CLOSING.sub("", parts[-1]).strip()
            if 0 < len(parts[-1]) <= _LONGEST_STEP:
                found.append((at, at + len(line), parts))
        at += len(line) + 1
    return found


def _placed(question: str, steps: list[str]) -> str:
    """The step at the place the question asks, or "" when it is not in ``steps``."""
    if _FIRST.search(question):
        return steps[0]
    if _LAST.search(question):
        return steps[-1]
    for match in _NEXT_TO.finditer(question):
        asked = squash(match["step"])
        spots = [i for i, s in enumerate(steps) if squash(s) and squash(s) in asked]
        if len(spots) != 1:
            continue
        i = spots[0] + (-1 if match["side"] in ("앞", "이전", "전") else 1)
        if 0 <= i < len(steps):
            return steps[i]
    return ""
