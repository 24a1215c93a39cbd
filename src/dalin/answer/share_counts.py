"""A count read off a share of a whole: "Short 질문 중에 '구문 변형' 유형은 대략 몇 개예요?"
over "Short 350개, Long 200개를 … 추출하였고" and "… 구문 변형으로 48.0%를 차지하였고".

No line states the count; the document gives the whole (350 questions drawn) and the share
of the kind the question quotes (48.0%). The count is their product, shown with both
operands cited and rounded as the question asks roughly: ``Short 350개 [1] × 구문 변형
48.0% [2] = 168개``; ``… × 표/리스트 27.7% [2] = 96.95개 (약 97개)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from dalin.answer.evidence import Unit
from dalin.answer.intent import Asked
from dalin.answer.reader_question import (
    QUOTED,
    Evidence,
    Reading,
    dedupe_lines,
    short_quote,
    unit_evidence,
)
from dalin.tools.calculator import format_number

__all__ = ["share_count"]

#: a question asking roughly: the product of a share and a whole is rarely whole
_ROUGHLY = re.compile(r"대략|대강|어림|(?<![가-힣])약\s|쯤|정도")
#: a share after the name it is of: "구문 변형으로 48.0%", "표/리스트 (27.7%)", "…가 27.7%"
_SHARE_AFTER = r"\s*(?:[(（]|으로|로|이|가|은|는|의)?\s*(\d{1,2}(?:\.\d+)?)\s*%"
#: a whole: a count written right after a word ("Short 350개")
_WHOLE = r"(?<![\w-]){word}(?:의)?\s+(\d[\d,]*)\s*(개|명|건)"
_LINE = {"ko": "{work} = {result}{counter}", "en": "{work} = {result}"}
_ABOUT = {"ko": " (약 {0}{1})", "en": " (about {0})"}


def share_count(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> tuple[list[str], list[Evidence]] | None:
    """The count of the kind the question quotes, as its share of the whole the question
    names; None unless the question asks roughly how many of a quoted kind and the passages
    give both the kind's share and the whole counted in the counter asked."""
    quoted = QUOTED.findall(reading.question)
    if (
        reading.intent.asked is not Asked.COUNT
        or reading.intent.operation is not None
        or len(quoted) != 1
        or not _ROUGHLY.search(reading.question)
    ):
        return None
    ranked = [u for u, _, _ in sorted(units, key=lambda u: u[2])]
    share = _share(quoted[0], ranked)
    whole = _whole(reading, ranked)
    if share is None or whole is None:
        return None
    (share_unit, percent), (whole_unit, word, number, counter) = share, whole
    value = number * percent / 100
    rounded = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    work = f"{word} {format_number(number)}{counter} {{0}} × {quoted[0]} {percent}% {{1}}"
    result = format_number(value, places=2)
    line = _LINE.get(reading.language, _LINE["ko"]).format(
        work=work, result=result, counter=counter
    )
    if rounded != value:
        line += _ABOUT.get(reading.language, _ABOUT["ko"]).format(f"{rounded:,}", counter)
    evidence = [unit_evidence(whole_unit), unit_evidence(share_unit)]
    quotes = [f"{short_quote(e.display)} {{{i}}}" for i, e in enumerate(evidence)]
    return dedupe_lines([line, *quotes]), evidence


def _share(name: str, units: Sequence[Unit]) -> tuple[Unit, Decimal] | None:
    """The first unit writing a percentage right after ``name`` (however spaced), and it."""
    spaced = r"\s*".join(re.escape(c) for c in name if not c.isspace())
    pattern = re.compile(rf"{spaced}{_SHARE_AFTER}")
    for unit in units:
        found = pattern.search(unit.display)
        if found is not None:
            return unit, Decimal(found.group(1))
    return None


def _whole(reading: Reading, units: Sequence[Unit]) -> tuple[Unit, str, Decimal, str] | None:
    """The first unit writing a count of the counter asked right after a word the question
    writes outside its quote ("Short 350개" for "Short 질문 중에 '구문 변형' 유형은"), with
    that word, the count and its counter."""
    unquoted = QUOTED.sub(" ", reading.question)
    words = re.findall(r"[A-Za-z][A-Za-z\d-]+|[가-힣]{2,}", unquoted)
    for unit in units:
        for word in words:
            found = re.search(_WHOLE.format(word=re.escape(word)), unit.display)
            if found is not None and found.group(2) == (reading.intent.counter or found.group(2)):
                return unit, word, Decimal(found.group(1).replace(",", "")), found.group(2)
    return None
