"""Where in a document something is written: the section, chapter or sheet a question asks
for ("… 고른 기준을 설명한 부분은 몇 절이에요?", "입찰 참여 자격 내용은 어느 장에 들어
있어요?", "CI 잡 정보는 어느 시트에 정리돼 있어요?").

The passage that best holds what the question is about rarely names its section: the
heading sits above it, often in another passage. The answer is the nearest heading of the
kind asked written before that passage in its document ("3.1 문서 수집", "Ⅴ 제안 안내",
the sheet's name), quoted from the document, with the passage as the second citation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum

from dalin.answer.evidence import Unit, refine_label
from dalin.answer.reader_question import (
    Candidate,
    Evidence,
    Reading,
    Sources,
    share_of,
    unit_evidence,
)
from dalin.text.korean import tokenize

__all__ = ["SENTENCE_END", "located"]


class Part(Enum):
    SECTION = "section"
    CHAPTER = "chapter"
    SHEET = "sheet"


#: a question for the part of a document something is in: "몇 절이에요", "어느 장에",
#: "어떤 시트에" ("GPU를 몇 장 썼나요" counts sheets of nothing: 몇 장 must be where)
_ASKS = re.compile(
    r"몇\s*(?P<n>절)|(?:어느|어떤|무슨)\s*(?P<w>장|절|시트|챕터|섹션)"
    r"|몇\s*(?P<c>장)에\s*(?:나와|들어|있|설명|적혀|정리)"
)
_PARTS = {"절": Part.SECTION, "섹션": Part.SECTION, "장": Part.CHAPTER, "챕터": Part.CHAPTER,
          "시트": Part.SHEET}  # fmt: skip
#: a numbered section's heading on its own short line: "3.1 문서 수집", "2. 관련 연구"
_SECTION = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+[^\d\s.][^\n]{0,40}$")
#: a chapter's heading: "Ⅴ 제안 안내", "제3장 휴가", "IV. 결론"
_CHAPTER = re.compile(
    r"^\s*(?:제\s*\d{1,2}\s*장|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]{1,4}\.?|[IVX]{1,4}\.)\s*[^\d\s.][^\n]{0,40}$"
)
#: a heading says what follows; a line ending a sentence is body text
SENTENCE_END = re.compile(r"(?:다|요|함|음)\.?\s*$|[.。]\s*$")
#: how far before the passage its heading is looked for, in characters
_BACK = 8000
#: how many of the best units are tried for a heading
_TRIED = 8


def asked_part(question: str) -> Part | None:
    """The kind of part a question asks for, or None when it asks for no place."""
    match = _ASKS.search(question)
    if match is None:
        return None
    return _PARTS[match.group("n") or match.group("w") or match.group("c")]


def located(
    reading: Reading, units: Sequence[tuple[Unit, float, int]], sources: Sources
) -> Candidate | None:
    """The heading of the part asked that the passage most about the question sits under;
    None when the question asks for no part or no such heading is written before it."""
    part = asked_part(reading.question)
    if part is None or sources.text_at is None:
        return None
    ranked = sorted(
        ((_about(reading, unit, relevance), i) for i, (unit, relevance, _) in enumerate(units)
         if not unit.demoted),
        reverse=True,
    )  # fmt: skip
    found: list[tuple[float, Candidate]] = []
    for score, i in ranked[:_TRIED]:
        unit, relevance, _ = units[i]
        named = _sheet_named(unit, sources) if part is Part.SHEET else None
        if named is not None:
            # a workbook's contents row ("07_검증_품질게이트 | CI 잡, 픽스처 코퍼스 …") names
            # the sheet the thing is in; the sheet it sits in is the contents sheet
            evidence = unit_evidence(unit)
            found.append((score, Candidate(score, named, evidence, relevance=relevance)))
            continue
        heading = _heading_before(unit, part, sources)
        if heading is None:
            continue
        # the heading's own words for what is asked count too: "3.3 KorQuAD 1.0 데이터
        # 변환" heads the passage on the conversion asked, "5.2 데이터 변화에 따른 성능"
        # another that mentions it (the words saying which document, "제안요청서에서", name
        # no part of it)
        total = score + share_of(reading, set(tokenize(heading.display)), reading.focus)
        evidence = unit_evidence(unit)
        extra = [evidence] if evidence.start != heading.start else []
        found.append(
            (total, Candidate(total, heading.display, heading, extra, relevance=relevance))
        )
    return max(found, key=lambda f: f[0])[1] if found else None


def _sheet_named(unit: Unit, sources: Sources) -> str | None:
    """The name of another sheet of the unit's workbook that the unit writes, if any."""
    if sources.tables is None:
        return None
    own = unit.hit.section.split(" > ", 1)[0].strip()
    sheets = {t.table.sheet for t in sources.tables(unit.hit.doc_id) if t.table.sheet}
    named = [s for s in sheets if s != own and s in unit.display]
    return max(named, key=len) if len(named) == 1 else None


def _about(reading: Reading, unit: Unit, relevance: float) -> float:
    """How much of what is asked a unit holds (its heading's words at half weight), then of
    the whole question: "입찰 참여 자격" is what is looked for, "온나라 웹기안기
    제안요청서" only which document it is in."""
    own = set(tokenize(unit.display))
    around = set(tokenize(f"{unit.context} {unit.hit.section}")) - own
    asked = share_of(reading, own, reading.focus) + 0.5 * share_of(reading, around, reading.focus)
    return asked + 0.5 * share_of(reading, own) + 0.3 * relevance


def _heading_before(unit: Unit, part: Part, sources: Sources) -> Evidence | None:
    """The nearest heading of ``part`` at or before the unit's first line, as evidence."""
    assert sources.text_at is not None
    hit = unit.hit
    at = hit.start + unit.start
    line_end = at + len(unit.text.split("\n", 1)[0])
    begin = max(0, at - _BACK)
    text = sources.text_at(hit.doc_id, begin, line_end)
    sheet = hit.section.split(" > ", 1)[0].strip() if part is Part.SHEET else ""
    if part is Part.SHEET and not sheet:
        return None
    end = len(text)
    while end > 0:
        start = text.rfind("\n", 0, end - 1) + 1
        line = text[start:end].rstrip("\n")
        if _is_heading(line, part, sheet):
            quote = line.strip()
            offset = begin + start + len(line) - len(line.lstrip())
            label = refine_label(hit.label, hit.text, max(0, offset - hit.start))
            return Evidence(hit, label, quote, offset, offset + len(quote),
                            " ".join(quote.split()), hit.page)  # fmt: skip
        end = start
    return None


def _is_heading(line: str, part: Part, sheet: str) -> bool:
    if part is Part.SHEET:
        return line.strip() == sheet
    pattern = _SECTION if part is Part.SECTION else _CHAPTER
    return bool(pattern.match(line)) and not SENTENCE_END.search(line)
