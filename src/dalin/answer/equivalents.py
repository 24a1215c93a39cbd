"""Values a sentence writes another way than its passages do, read as the same value.

* **A duration between two clock times**: "18:00 … 18:30 … 30분 늦게" and "18:30 … 일요일
  경기(14:00)보다 4시간 30분 늦습니다" state the difference of two times the sentence or its
  closest statements give; the passage never writes it.
* **One period as a rate**: "한 달에 3만 원" is "월 30,000원", "1년에 한 번" is "연간" or "연
  1회": the "1달", "1년" and "한 번" of a rate are its period and count, which a passage says
  with a rate word (월, 매월, 연간, 매년, 매주 …), not a number.
* **A threshold compared to**: "5만 원 이상이라 배송비는 무료" compares a total with the
  passage's threshold; the threshold is read, not computed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from dalin.answer.quantities import Quantity, lead

#: "4시간 30분": one duration written in two units
_HOURS_MINUTES = re.compile(r"(\d+)\s*시간\s*(\d+)\s*분")
#: "1달에", "1년마다", "1주에 1번" (numbers as ``canonical_numbers`` writes them)
_PER = re.compile(r"(?<![\d.,])(1(달|개월|년|주))\s*(?:에|마다|당)(?:\s*(1(?:번|회)))?")
#: how a passage says "per one …" of each period, as a word of its own
_RATE_WORDS = {
    "달": "월|매월|매달|달마다|월간|월별",
    "개월": "월|매월|매달|달마다|월간|월별",
    "년": "연|연간|매년|해마다|연도별|년마다",
    "주": "주|매주|주마다|주간",
}
#: a number compared with: "5만 원 이상이라", "40 km 미만인"
_COMPARED = r"\s*(?:이상|이하|미만|초과|넘)"


def durations(sentence: str, claim: Sequence[Quantity], nearby: Iterable[Quantity]) -> set[Decimal]:
    """The leading numbers of the sentence's durations that are the difference of one of its
    clock times and another, its own or one of ``nearby`` (the closest statements')."""
    own = {q.value for q in claim if q.dimension == "clock"}
    clocks = own | {q.value for q in nearby if q.dimension == "clock"}
    # clock times are in minutes, durations in seconds
    gaps = {abs(a - b) * 60 for a in own for b in clocks if a != b}
    if not gaps:
        return set()
    out: set[Decimal] = set()
    parts: set[str] = set()
    for match in _HOURS_MINUTES.finditer(sentence):
        hours, minutes = Decimal(match[1]), Decimal(match[2])
        parts |= {f"{match[1]}시간", f"{match[2]}분"}
        if hours * 3600 + minutes * 60 in gaps:
            out |= {hours, minutes}
    # "4시간 30분" is one duration: neither part is one on its own
    single = [q for q in claim if q.dimension == "time" and q.token not in parts]
    return out | {lead(q) for q in single if q.value in gaps}


def rate_tokens(canonical: str, passages: Sequence[str]) -> set[str]:
    """The tokens ("1달", "1번") of the sentence's rates whose period a passage states with a
    rate word; ``canonical`` is the sentence as ``canonical_numbers`` writes it."""
    out: set[str] = set()
    for match in _PER.finditer(canonical):
        words = _RATE_WORDS[match[2]]
        rate = re.compile(rf"(?<![가-힣\d])(?:{words})(?![가-힣])")
        if any(rate.search(p) for p in passages):
            out |= {t for t in (match[1], match[3]) if t}
    return out


def compared(q: Quantity, canonical: str) -> bool:
    """Whether the sentence compares something with ``q`` ("50000원 이상이라")."""
    return re.search(rf"(?<![\d.,]){re.escape(q.token)}{_COMPARED}", canonical) is not None
