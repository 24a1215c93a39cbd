"""The items of a written list whose names start as the question says: "현재 적용된 기본
폰트 가운데 이름이 'HY'로 시작하는 두 가지는?" over "※ 현재 적용된 폰트 : 돋움체, 바탕체,
HY견고딕, HY헤드라인M, 소포카 한 산스" → "HY견고딕, HY헤드라인M".

The question quotes the start and may count the items; the list is what follows a colon,
items parted by commas, up to the end of its line or the next bullet. No sentence states
the answer, so the sentence reader finds none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.quantities import ENGLISH_NUMBERS, NATIVE_NUMBERS
from dalin.answer.reader_question import Candidate, Reading, span_evidence
from dalin.types import Hit

__all__ = ["prefixed_items"]

#: a quoted start: "'HY'로 시작하는", "starting with 'HY'"
_PREFIX_ASKED = re.compile(
    r"['‘\"“](?P<ko>[^'’\"”]{1,12})['’\"”]\s*(?:로|으로|자로|글자로)\s*시작하는"
    r"|\b(?:starting|beginning|that starts?|that begins?) with\s+['‘\"“]"
    r"(?P<en>[^'’\"”]{1,12})['’\"”]",
    re.IGNORECASE,
)
#: how many items a question asks for: "두 가지", "2개", "two"
_COUNT = re.compile(r"(\d+|[가-힣]{1,2})\s*(?:가지|개|종)|\b([a-z]+)\b", re.IGNORECASE)
#: a list after a colon, up to the end of its line, the next bullet or the next colon
_LIST = re.compile(r"[:：]\s*(?P<items>[^:：\n○●•※|]+)")
#: where the clause introducing a list starts: a line, a bullet, a cell
_INTRO = re.compile(r"[\n○●•※|]")
#: the fewest items a run must part by commas to be a list
_LEAST_ITEMS = 3


def prefixed_items(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Candidate | None:
    """The items starting with the quoted start, from the first passage most about the
    question whose list holds some (as many as the question counts, when it counts) and
    not only such items; None otherwise."""
    asked = _PREFIX_ASKED.search(reading.question)
    if asked is None:
        return None
    prefix = (asked["ko"] or asked["en"]).strip().casefold()
    count = _asked_count(reading.question[: asked.start()] + reading.question[asked.end() :])
    for hit, share in sorted(relevant, key=lambda pair: -pair[1]):
        for found in _LIST.finditer(hit.text):
            items = [i.strip() for i in re.split(r"[,，、]", found["items"]) if i.strip()]
            chosen = [i for i in items if i.casefold().startswith(prefix)]
            if len(items) < _LEAST_ITEMS or not chosen or len(chosen) == len(items):
                continue
            if count is not None and len(chosen) != count:
                continue
            intro = [m.end() for m in _INTRO.finditer(hit.text, 0, found.start())]
            start = intro[-1] if intro else 0
            evidence = span_evidence(hit, start, found.end("items"))
            return Candidate(2.0 + share, ", ".join(chosen), evidence, relevance=share)
    return None


def _asked_count(question: str) -> int | None:
    """The number of items asked: 2 for "두 가지는", None when no count is written."""
    for found in _COUNT.finditer(question):
        if found[1]:
            word = found[1]
            if word.isdigit():
                return int(word)
            if word in NATIVE_NUMBERS:
                return NATIVE_NUMBERS[word]
        elif found[2] and found[2].lower() in ENGLISH_NUMBERS:
            return ENGLISH_NUMBERS[found[2].lower()]
    return None
