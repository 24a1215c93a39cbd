"""Who to call about a Korean press release (보도자료): "이천선수촌 쪽 책임자로 적힌 과장님 이름이
뭐예요?", "What phone number is listed for the officer of the 체육정책과?", "이천선수촌 담당
부서도 진천선수촌처럼 체육정책과인가요?".

A 보도자료 ends with its contacts, two rows a block:

    담당 부서 | 체육협력관 | 책임자 | 과장 | 홍덕호 | (044-203-3181)
    (이천선수촌) | 장애인체육과 | 담당자 | 사무관 | 이기태 | (044-203-3185)

The first row names the 국 (or 관) and its 책임자, the second the 과 and its 담당자, and a
bracketed label opening the second row says which part of the matter the block is for.
Read row by row, the label sits on the 담당자's row alone, so "이천선수촌 책임자" finds
nobody and "체육협력관 담당자" finds the wrong row. Read as blocks, each person carries the
block's 국, 과 and label with their own role, rank, name and phone, and the person the
question names most fully answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dalin.answer.intent import Asked
from dalin.answer.numbered_titles import passages_then_documents
from dalin.answer.reader_question import Candidate, Reading, Sources, passage_evidence
from dalin.answer.tables import squash
from dalin.types import Hit

__all__ = ["press_contact"]

#: the row opening a block: "담당 부서 | 체육국 | 책임자 | …"
_OPENS = re.compile(r"^\s*담당\s*부서\s*\|")
#: a contact's role in the block
_ROLE = re.compile(r"^(?:책임자|담당자)$")
#: a telephone number, bracketed or not: "(044-203-3181)"
_PHONE = re.compile(r"\(?\s*(\d{2,4}-\d{3,4}-\d{4})\s*\)?")
#: what a question asks of a contact
_ASKS_PHONE = re.compile(r"전화|연락처|번호|phone|number|\bcall\b", re.IGNORECASE)
_ASKS_NAME = re.compile(r"이름|누구|성함|\bwho\b|\bname\b", re.IGNORECASE)
_ASKS_OFFICE = re.compile(
    r"부서|어느\s*과|어떤\s*과|소속|department|division|office", re.IGNORECASE
)
#: a question about the contacts at all: their roles, ranks, office or numbers
_ABOUT_CONTACTS = re.compile(
    r"담당|책임자|과장|사무관|주무관|부서|연락처|전화|contact|officer|in\s+charge|director",
    re.IGNORECASE,
)
#: how many of the documents most about the question have their whole text read: search
#: finds a release's body, its contacts close it
_DOCUMENTS = 2
#: English words for a role: the officer in charge is the 담당자, the director the 책임자
_ENGLISH_ROLES = (
    (re.compile(r"\bofficer\b|\bstaff\b|in\s+charge|contact\s+person", re.IGNORECASE), "담당자"),
    (re.compile(r"\bdirector\b|\bhead\b|\bchief\b|\bmanager\b", re.IGNORECASE), "책임자"),
)


@dataclass(frozen=True)
class _Person:
    role: str
    rank: str
    name: str
    phone: str


@dataclass(frozen=True)
class _Block:
    bureau: str
    office: str
    label: str
    people: tuple[_Person, ...]
    #: where the block's rows are in the passage
    start: int
    end: int


def _person(cells: Sequence[str]) -> _Person | None:
    """The role, rank, name and phone a contact row writes after its role cell."""
    role = next((i for i, c in enumerate(cells) if _ROLE.match(c)), None)
    phone = next((_PHONE.fullmatch(c) for c in reversed(cells) if _PHONE.fullmatch(c)), None)
    if role is None or phone is None or len(cells) < role + 3:
        return None
    return _Person(cells[role], cells[role + 1], cells[role + 2], phone.group(1))


def contact_blocks(text: str) -> list[_Block]:
    """The contact blocks a passage writes, in order."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    blocks: list[_Block] = []
    for i, line in enumerate(lines):
        if not _OPENS.match(line):
            continue
        first = [c.strip() for c in line.split("|")]
        head = _person(first)
        if head is None or len(first) < 2:
            continue
        people, office, label, end = [head], "", "", offsets[i + 1] - 1
        if i + 1 < len(lines) and not _OPENS.match(lines[i + 1]):
            second = [c.strip() for c in lines[i + 1].split("|")]
            other = _person(second)
            if other is not None and len(second) >= 2:
                people.append(other)
                label, office, end = second[0].strip("()（） "), second[1], offsets[i + 2] - 1
        blocks.append(_Block(first[1], office, label, tuple(people), offsets[i], end))
    return blocks


def _named(field: str, asked: str) -> bool:
    return len(squash(field)) >= 2 and squash(field) in asked


def _fit(block: _Block, person: _Person, asked: str, roles: set[str]) -> int:
    """How many of a person's fields, their block's and their own, the question writes."""
    fields = (block.bureau, block.office, block.label, person.rank, person.name)
    return sum(_named(f, asked) for f in fields) + (person.role in roles)


def press_contact(
    reading: Reading, relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> Candidate | None:
    """The phone, name or office of the contact a question names, or 예/아니요 on the office
    it proposes, from the contact blocks of the passages most about it; None when it asks
    about no contact or names none that one person or block answers alone."""
    question = reading.question
    if not _ABOUT_CONTACTS.search(question):
        return None
    for hit, passage, share in passages_then_documents(relevant, sources, _DOCUMENTS):
        blocks = contact_blocks(passage.text)
        if not blocks:
            continue
        if reading.intent.asked is Asked.YES_NO:
            found = _office_verdict(reading, blocks)
        else:
            found = _asked_field(question, blocks)
        if found is None:
            return None
        lead, block = found
        quote = passage.text[block.start : block.end]
        evidence = passage_evidence(
            hit, passage, passage.start + block.start, quote, " / ".join(quote.split("\n"))
        )
        return Candidate(2.0 + share, lead, evidence, typed=True, relevance=share)
    return None


def _roles(question: str) -> set[str]:
    roles = {role for role in ("책임자", "담당자") if role in question}
    return roles | {role for english, role in _ENGLISH_ROLES if english.search(question)}


def _asked_field(question: str, blocks: Sequence[_Block]) -> tuple[str, _Block] | None:
    """The phone, name or office of the one person the question names best."""
    asked, roles = squash(question), _roles(question)
    scored = [(_fit(b, p, asked, roles), b, p) for b in blocks for p in b.people]
    best = max(score for score, _, _ in scored)
    top = [(b, p) for score, b, p in scored if score == best]
    if best == 0 or len(top) != 1:
        return None
    block, person = top[0]
    if _ASKS_PHONE.search(question) and person.phone not in question:
        return person.phone, block
    if _ASKS_NAME.search(question):
        return f"{person.role} {person.rank} {person.name}", block
    if _ASKS_OFFICE.search(question):
        return " ".join(x for x in (block.bureau, block.office) if x), block
    return None


def _office_verdict(reading: Reading, blocks: Sequence[_Block]) -> tuple[str, _Block] | None:
    """예/아니요 on the office a question proposes for a block it names by its label ("이천
    선수촌 담당 부서도 … 체육정책과로 되어 있나요?"): 아니요 with the block's own office when
    the office proposed is another block's."""
    question = reading.question
    if not _ASKS_OFFICE.search(question):
        return None
    asked = squash(question)
    named = [b for b in blocks if b.label and _named(b.label, asked)]
    proposed = {o for b in blocks for o in (b.bureau, b.office) if o and _named(o, asked)}
    if not named or not proposed:
        return None
    yes, no = ("예", "아니요") if reading.language == "ko" else ("Yes", "No")
    for block in named:
        if not proposed & {block.bureau, block.office}:
            office = " ".join(x for x in (block.bureau, block.office) if x)
            return f"{no} — ({block.label}) 담당 부서: {office}", block
    block = named[0]
    return f"{yes} — ({block.label}) 담당 부서: {block.bureau} {block.office}", block
