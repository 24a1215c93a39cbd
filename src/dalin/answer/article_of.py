"""Which article of a contract or rule says what the question describes: "위탁자가 수탁자의
개인정보 처리 현황이나 접속기록 등을 감독할 수 있다고 정한 조항은 몇 조인가요?" →
"제8조 (수탁자에 대한 관리·감독 등)".

The sentence reader would quote a number the best sentence holds ("개인정보 보호법
제26조"), but the question asks for the article the sentence stands under: the last
article heading (제N조 (제목)) written before it in its passage. A question asking the
article of another law ("노동조합법 몇 조 몇 항에 따른", "근거로 든 개인정보 보호법 조항은 몇
조") asks a number the text writes, and is left to the sentence reader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from dalin.answer.evidence import Unit, rejoin
from dalin.answer.reader_question import (
    Candidate,
    Reading,
    share_of,
    span_evidence,
    unit_evidence,
)
from dalin.text.korean import tokenize

__all__ = ["article_holding"]

#: the article of the document itself asked: "… 정한 조항은 몇 조인가요?", "… 내용은 위탁
#: 계약서 몇 조에 있나요?" (not "몇 조 몇 항에 따른", which asks a reference it writes)
_ASKED = re.compile(
    r"(?:조항|조문|규정|내용)[은는이가]?\s*(?:[가-힣]+\s){0,2}?몇\s*조(?!\s*몇)(?:[에예인이]|\s|$)"
)
#: an article another law has, which the document cites: "… 근거로 든 개인정보 보호법 조항은
#: 몇 조인가요?" asks the number the text writes after the law's name
_CITED = re.compile(r"근거|(?:법|령|규칙|기준|규정|지침)\s*[」』]?\s*(?:의\s*)?조항")
#: an article heading: "제8조 (수탁자에 대한 관리·감독 등)", "제10조의2(…)"
_HEADING = re.compile(r"제\s*\d{1,3}\s*조(?:의\s*\d{1,2})?\s*[(（][^()（）\n]{1,40}[)）]")
#: how much a sentence's search rank counts beside what it writes of the question
_RELEVANCE = 0.3
_RANK = 0.02
#: the longest heading-to-sentence span quoted whole
_QUOTED_CHARS = 400


def article_holding(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """The heading of the article the sentence most about the question stands under; None
    when the question asks no article of the document or no such sentence has a heading
    before it in its passage."""
    if not _ASKED.search(reading.question) or _CITED.search(reading.question):
        return None
    scored = []
    for i, (unit, relevance, rank) in enumerate(units):
        if unit.demoted or _HEADING.fullmatch(unit.display.strip()):
            continue  # a heading alone says nothing the question describes
        heading = _heading_before(unit)
        if heading is None:
            continue
        share = share_of(reading, set(tokenize(unit.display)))
        scored.append((share + _RELEVANCE * relevance - _RANK * rank, i, heading))
    if not scored:
        return None
    score, best, heading = max(scored)
    unit, relevance, _ = units[best]
    title = " ".join(heading.group().split())
    # the quote shows the heading the answer names, and the sentence under it when near
    if unit.end - heading.start() <= _QUOTED_CHARS:
        evidence = span_evidence(unit.hit, heading.start(), unit.end)
        evidence = replace(evidence, display=rejoin(evidence.quote))  # PDF lines joined
        return Candidate(1.0 + score, title, evidence, relevance=relevance)
    evidence = span_evidence(unit.hit, heading.start(), heading.end())
    found = Candidate(1.0 + score, title, evidence, relevance=relevance)
    found.extra.append(unit_evidence(unit))
    return found


def _heading_before(unit: Unit) -> re.Match[str] | None:
    """The last article heading opening at or before the unit in its passage (a sentence
    may open with its own heading)."""
    found = [m for m in _HEADING.finditer(unit.hit.text) if m.start() <= unit.start]
    return found[-1] if found else None
