"""Pages from a table of contents: "리포트 양식 목차에서 결론이 시작하는 쪽은 본론이
시작하는 쪽보다 몇 쪽 뒤인가요?", "차례에서 '결론 내용 2'는 몇 쪽에서 시작해요?".

A contents page lists each heading with the page it starts on ("02 본론 12", "본론 내용 2
20"), one per line, under 차례 or 목차 (letter-spaced in a form: "차 례"). The question
names two headings, whose pages are the operands, each cited by its line, or one heading,
whose page is the answer. A heading named inside a longer one the question names ("본론" in
"본론 내용 2") is not another.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from dalin.answer.intent import Operation
from dalin.answer.reader_question import Candidate, Reading, quoted_words, span_evidence
from dalin.answer.shown_work import Operand
from dalin.answer.table_operands import Operands
from dalin.answer.tables import squash
from dalin.types import Hit

__all__ = [
    "contents_operands",
    "heading_page",
    "heading_page_listed",
    "named_headings",
    "page_asked",
]

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
#: asking the page one thing is on: "몇 쪽에서 시작", "which page", "page number"
_PAGE_ASKED = re.compile(
    r"몇\s*(?:쪽|페이지)|(?:which|what)\s+page|page\s+number|on\s+what\s+page", re.I
)


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


def page_asked(question: str) -> bool:
    """Whether ``question`` asks the page one thing is on."""
    return _PAGE_ASKED.search(question) is not None


def heading_page(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Candidate | None:
    """The page of the one heading the question names, from the contents page of a passage
    read: "'결론 내용 2'는 몇 쪽에서 시작해요?" over "결론 내용 2 56" → "결론 내용 2: 56", the
    page as the contents writes it (a 쪽 it does not write would be no quote). None unless it
    asks a page and names exactly one heading there."""
    if reading.intent.operation is not None or not page_asked(reading.question):
        return None
    for hit, relevance in relevant:
        named = _named(reading.question, hit.text)
        if len({squash(m.group("name")) for m in named}) == 1:
            entry = named[0]
            page = f"{entry.group('name').strip()}: {entry.group('page')}"
            evidence = span_evidence(hit, entry.start(), entry.end())
            return Candidate(1.0, page, evidence, relevance=relevance)
    return None


def heading_page_listed(question: str, text: str) -> bool:
    """Whether ``text`` holds a contents page listing exactly one heading ``question`` names."""
    return len({squash(m.group("name")) for m in _named(question, text)}) == 1


def named_headings(question: str, text: str) -> list[re.Match[str]]:
    """The two headings of the contents page in ``text`` that ``question`` names, in the
    order it names them; empty when there is no such page or it names not exactly two."""
    named = _named(question, text)
    if len({squash(m.group("name")) for m in named}) != 2:
        return []
    asked = squash(question)
    return sorted(named, key=lambda m: asked.find(squash(m.group("name"))))[:2]


def _named(question: str, text: str) -> list[re.Match[str]]:
    """The entries of the contents page in ``text`` whose headings ``question`` names, but
    for one named inside a longer one named; empty when ``text`` holds no contents page."""
    title = _TITLE.search(text)
    if title is None:
        return []
    entries = list(_ENTRY.finditer(text, title.end()))
    if len(entries) < _LEAST:
        return []
    asked = squash(question)
    # a heading written inside a longer one the question quotes is not named: '본론 내용 4'
    # is no 본론 (nor, when the contents lists no 본론 내용 4, anything it lists)
    quoted = quoted_words(question)
    named = [
        m for m in entries
        if (name := squash(m.group("name"))) in asked
        and not any(name in q and name != q for q in quoted)
    ]  # fmt: skip
    return [
        m for m in named
        if not any(squash(m.group("name")) in squash(o.group("name")) for o in named
                   if len(o.group("name")) > len(m.group("name")))
    ]  # fmt: skip


def _operands(hit: Hit, entries: Sequence[re.Match[str]]) -> Operands:
    operands, evidence = [], []
    for i, entry in enumerate(entries):
        evidence.append(span_evidence(hit, entry.start(), entry.end()))
        page = entry.group("page")
        operands.append(Operand(entry.group("name").strip(), page, Decimal(page), "쪽", source=i))
    return Operands(operands, evidence)
