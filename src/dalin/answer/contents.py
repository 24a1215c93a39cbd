"""Pages from a table of contents: "리포트 양식 목차에서 결론이 시작하는 쪽은 본론이
시작하는 쪽보다 몇 쪽 뒤인가요?".

A contents page lists each heading with the page it starts on ("02 본론 12", "본론 내용 2
20"), one per line, under 차례 or 목차 (letter-spaced in a form: "차 례"). The question
names two headings; their pages are the operands, each cited by its line. A heading named
inside a longer one the question names ("본론" in "본론 내용 2") is not a third.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from dalin.answer.intent import Operation
from dalin.answer.reader_question import Reading, span_evidence
from dalin.answer.shown_work import Operand
from dalin.answer.table_operands import Operands
from dalin.answer.tables import squash
from dalin.types import Hit

__all__ = ["contents_operands", "named_headings"]

#: the title of a contents page, letter-spaced or not
_TITLE = re.compile(r"^\s*(?:차\s*례|목\s*차|contents)\s*$", re.I | re.M)
#: a heading and its page: "02 본론 12", "서론 내용 2 05", "Introduction ..... 3"
_ENTRY = re.compile(
    r"^[ \t]*(?:\d{1,2}[ \t]+)?(?P<name>\S.*?)[ \t.·…]+(?P<page>\d{1,3})[ \t]*$", re.M
)
#: counters of pages
_PAGES = ("쪽", "페이지", "page")
#: the fewest entries a contents page lists
_LEAST = 3


def contents_operands(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Operands | None:
    """The pages of the two headings the question names, from the contents page of a
    passage read; None unless it asks how many pages apart two things are."""
    if reading.intent.operation is not Operation.DIFFERENCE:
        return None
    if reading.intent.counter not in _PAGES:
        return None
    for hit, _ in relevant:
        named = named_headings(reading.question, hit.text)
        if named:
            return _operands(hit, named)
    return None


def named_headings(question: str, text: str) -> list[re.Match[str]]:
    """The two headings of the contents page in ``text`` that ``question`` names, in the
    order it names them; empty when there is no such page or it names not exactly two."""
    title = _TITLE.search(text)
    if title is None:
        return []
    entries = list(_ENTRY.finditer(text, title.end()))
    if len(entries) < _LEAST:
        return []
    asked = squash(question)
    named = [m for m in entries if squash(m.group("name")) in asked]
    named = [
        m for m in named
        if not any(squash(m.group("name")) in squash(o.group("name")) for o in named
                   if len(o.group("name")) > len(m.group("name")))
    ]  # fmt: skip
    if len({squash(m.group("name")) for m in named}) != 2:
        return []
    return sorted(named, key=lambda m: asked.find(squash(m.group("name"))))[:2]


def _operands(hit: Hit, entries: Sequence[re.Match[str]]) -> Operands:
    operands, evidence = [], []
    for i, entry in enumerate(entries):
        evidence.append(span_evidence(hit, entry.start(), entry.end()))
        page = entry.group("page")
        operands.append(Operand(entry.group("name").strip(), page, Decimal(page), "쪽", source=i))
    return Operands(operands, evidence)
