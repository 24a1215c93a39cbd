"""A bill's record in a committee's minutes: who moved it, when, and when it was referred.

The 보고사항 of National Assembly committee minutes lists the bills referred to the
committee, each as its name with its lead sponsor, the day it was moved with every mover,
and the day it was referred::

    해오름산업벨트 지원에 관한 특별법안(이채익
    의원 대표발의)
    (2024. 1. 29. 이채익․이상헌․박성민 … 의원 발의)
    1월 30일 의견제시기간을 소관위원회의 심사
    의결일 전일까지로 정하여 회부됨메가시티 지원에 관한 특별법안(…

The lines break anywhere, records run into each other, and a record may straddle two
stored passages, so neither the sentence nor the table readers see it whole. This reader
finds the bill the question names in the whole text of the documents most about it and
reads the fact or facts asked: "누가 대표발의했고, 언제 위원회에 회부됐어요?"
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.numbered_titles import documents_most_about
from dalin.answer.reader_question import (
    Candidate,
    Evidence,
    Reading,
    Sources,
    passage_evidence,
)
from dalin.answer.tables import squash
from dalin.types import Chunk, Hit

__all__ = ["bill_record"]

#: what ends a bill's name: "특별법안", "일부개정법률안", "법률 개정안"
_BILL_END = re.compile(r"(?:특별법안|일부\s*개정\s*법률안|법률안|개정\s*법률안|개정안|법안)")
#: the facts a question may ask of the record
_WHO = re.compile(r"누가|누구|대표\s*발의자|발의자는")
_MOVED = re.compile(r"언제\s*(?:\S+\s+){0,2}?발의|발의(?:일|한\s*날|된\s*날|\s*날짜)")
_REFERRED = re.compile(r"언제\s*(?:\S+\s+){0,2}?회부|회부(?:일|된\s*날|\s*날짜)")
_NUMBER = re.compile(r"의안\s*번호")
#: a question for every bill of a name: "하천법 일부개정법률안 두 건은 각각 누가"
_EVERY_BILL = re.compile(r"각각|(?:두|세|네|\d+)\s*건")
#: a sponsor the question names: "이은주 의원이 대표발의한 …"
_SPONSOR_NAMED = re.compile(r"([가-힣]{2,4})\s*의원이\s*대표\s*발의한")
#: how far a record (or its group, referred together) runs after the bill's name
_RECORD_REACH = 600
#: the documents whose whole text is read
_DOCUMENTS = 2


def bill_record(
    reading: Reading, relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> list[Candidate]:
    """The facts asked of a bill the question names, read off its record in the minutes
    (see the module docstring); [] when no fact of a record is asked or none is found."""
    question = reading.question
    facts = (("who", _WHO), ("number", _NUMBER), ("moved", _MOVED), ("referred", _REFERRED))
    asked = [name for name, shape in facts if shape.search(question)]
    stems = _bill_stems(question)
    if not asked or not stems or sources.passages is None or sources.text_at is None:
        return []
    for hit, share in documents_most_about(sorted(relevant, key=lambda p: -p[1]), _DOCUMENTS):
        passages = sources.passages(hit.doc_id)
        if not passages:
            continue
        text = sources.text_at(hit.doc_id, 0, max(p.end for p in passages))
        read = _facts_asked(question, text, stems, asked)
        if read:
            return [_candidate(hit, passages, share, fact) for found in read for fact in found]
    return []


def _facts_asked(
    question: str, text: str, stems: Sequence[str], asked: Sequence[str]
) -> list[list[Fact]]:
    """The facts asked of the records of the bill named by the longest stem any record is
    found for: of the first record, or of every bill of that name when the question asks of
    each ("두 건은 각각"); a bill listed twice (의사일정, 보고사항) is one, by its sponsor, and
    a sponsor the question names picks the record."""
    sponsor = _SPONSOR_NAMED.search(question)
    for stem in stems:
        told: dict[str, list[Fact]] = {}
        for record in _records(text, stem):
            if sponsor is not None and sponsor[1] not in record["who"][0]:
                continue
            found = [record[fact] for fact in asked if fact in record]
            if len(found) == len(asked):
                told.setdefault(record["who"][0], found)
        if told:
            return (
                list(told.values()) if _EVERY_BILL.search(question) else [next(iter(told.values()))]
            )
    return []


def _bill_stems(question: str) -> list[str]:
    """The names the question may give a bill, longest first, without the kind of bill they
    end on: "해오름산업벨트 지원에 관한 특별법안은" → 해오름산업벨트지원에관한, …"""
    stems: list[str] = []
    for end in _BILL_END.finditer(question):
        words = question[: end.start()].split()
        quote = re.search(r"['‘\"“]([^'’\"”]+)$", question[: end.start()])
        if quote is not None:
            stems.append(squash(quote[1]))
            continue
        for n in range(min(len(words), 8), 0, -1):
            stem = squash(" ".join(words[-n:]))
            if len(stem) >= 3:
                stems.append(stem)
    return stems


#: a fact of a record: its value, where the record starts, where the value starts, and
#: where the quote ends
Fact = tuple[str, int, int, int]


def _records(text: str, stem: str) -> list[dict[str, Fact]]:
    """Each record of a bill whose name ends in ``stem`` (written with any breaks): the
    sponsor, the day moved and the day referred."""
    name = r"\s*".join(map(re.escape, stem))
    shape = re.compile(
        rf"{name}\s*(?:{_BILL_END.pattern})?\s*\(\s*([^()]{{2,40}}?)\s*대\s*표\s*발\s*의\s*\)"
    )
    records = []
    for found in shape.finditer(text):
        head = found.start()
        record = {"who": (" ".join(found[1].split()), head, found.start(1), found.end())}
        after = text[found.end() : found.end() + _RECORD_REACH]
        number = re.match(r"\s*\(\s*의안\s*번호\s*(\d{7})\s*\)", after)
        if number is not None:
            record["number"] = (
                number[1],
                head,
                found.end() + number.start(1),
                found.end() + number.end(1),
            )
        moved = re.match(r"\s*\(\s*(\d{4}\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.)", after)
        if moved is not None:
            at = found.end()
            value = " ".join(moved[1].split())
            record["moved"] = (value, head, at + moved.start(1), at + moved.end(1))
            # the movers' bracket closes on "… 의원 발의)", past any "(비)" inside it
            movers = re.compile(r"발\s*의\s*\)").search(after, moved.end())
            rest = after[movers.end() :] if movers is not None else ""
            # its own referral line, or its group's after the group's last record ("이상
            # 2건 1월 4일 회부됨")
            referred = re.search(r"(\d{1,2}월\s*\d{1,2}일)[^()]{0,60}?회\s*부\s*됨?", rest)
            if referred is not None and movers is not None:
                at = found.end() + movers.end()
                value = " ".join(referred[1].split())
                record["referred"] = (value, head, at + referred.start(1), at + referred.end())
        records.append(record)
    return records


def _candidate(hit: Hit, passages: Sequence[Chunk], share: float, fact: Fact) -> Candidate:
    """A fact of the record, cited by the record's text from the bill's name to the fact;
    when the record straddles two stored passages, by the fact's own text, with the bill's
    name in the passage before as a second line of evidence."""
    value, head, start, end = fact
    whole = _evidence(hit, passages, head, end)
    if value in whole.display:
        return Candidate(1.0 + share, value, whole, typed=True, relevance=share)
    own = _evidence(hit, passages, start, end)
    return Candidate(1.0 + share, value, own, [whole], typed=True, relevance=share)


def _evidence(hit: Hit, passages: Sequence[Chunk], start: int, end: int) -> Evidence:
    """The text from ``start`` to ``end``, as far as the stored passage holding ``start``."""
    passage = next((p for p in passages if p.start <= start < p.end), passages[0])
    begin = max(start, passage.start)
    stop = min(end, passage.end)
    raw = passage.text[begin - passage.start : stop - passage.start]
    quote = raw.strip()
    begin += len(raw) - len(raw.lstrip())
    return passage_evidence(hit, passage, begin, quote, " ".join(quote.split()))
