"""A part's share of a whole that one sentence gives both of: "66,181 개의 질의응답 쌍으로,
Training set 60,407 개, Dev set 5,774 개" for "전체 질의응답 쌍 가운데 Dev set 질의응답 쌍이
차지하는 비율은?".

The question names the whole before 가운데/중 and the part before 차지하는. The part's value
is the one right after a word only the part's name has (Dev set); the whole's is another
value in the same counter, larger, whose counted noun (the words right after it, as Korean
writes "66,181 개의 질의응답 쌍") or, less surely, the words right before it hold the
whole's name. Both must sit in one sentence: across sentences which number is the whole
is a guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from dalin.answer.candidates import own_values
from dalin.answer.evidence import Unit
from dalin.answer.intent import SHARE_ASKED
from dalin.answer.reader_question import Reading, unit_evidence
from dalin.answer.shown_work import Operand
from dalin.answer.table_operands import Operands
from dalin.answer.values import Value
from dalin.text.korean import tokenize

__all__ = ["text_share"]

#: how many characters around a value name it
_NEAR = 15
#: what the words before a value count against its counted noun after it
_BEFORE_WEIGHT = 0.5


def text_share(reading: Reading, units: Sequence[Unit]) -> Operands | None:
    """The part and the whole of the share asked, from the first of ``units`` (best first)
    giving both; None when the question names no whole and part or no sentence gives them."""
    asked = SHARE_ASKED.search(reading.question)
    if asked is None:
        return None
    whole_words = set(tokenize(asked.group("whole")))
    part_words = set(tokenize(asked.group("part"))) - whole_words
    if not part_words:
        return None
    for unit in units:
        text = unit.display
        values = [v for v in own_values(reading, text) if v.number is not None]
        part = _part(text, values, part_words)
        whole = _whole(text, part, values, whole_words) if part is not None else None
        if part is not None and whole is not None:
            operands = [_operand(asked.group("part"), part), _operand(asked.group("whole"), whole)]
            return Operands(operands, [unit_evidence(unit)])
    return None


def _part(text: str, values: Sequence[Value], words: set[str]) -> Value | None:
    """The value right after the most of the part's own words ("Dev set 5,774 개", not
    "Training set 60,407 개"), or None when none or two are so named."""
    scored = [(len(words & _words(text[max(0, v.start - _NEAR) : v.start])), v) for v in values]
    most = max((n for n, _ in scored), default=0)
    best = [v for n, v in scored if n == most]
    return best[0] if most and len(best) == 1 else None


def _whole(text: str, part: Value, values: Sequence[Value], words: set[str]) -> Value | None:
    """The value of ``values`` that is the whole ``part`` is a share of, or None."""
    scored = []
    for value in values:
        if value is part or value.unit != part.unit or not value.number > part.number:  # type: ignore[operator]
            continue
        after = len(words & _words(text[value.end : value.end + _NEAR]))
        before = len(words & _words(text[max(0, value.start - _NEAR) : value.start]))
        score = after + _BEFORE_WEIGHT * before
        if score:
            scored.append((score, -value.start, value))
    if not scored:
        return None
    best = max(scored, key=lambda s: s[:2])
    if sum(1 for s in scored if s[0] == best[0]) > 1:
        return None  # two wholes named alike: which one is a guess
    return best[2]


def _words(text: str) -> set[str]:
    return set(tokenize(text))


def _operand(label: str, value: Value) -> Operand:
    return Operand(label.strip(), value.text, value.number, value.unit, None, 0)
