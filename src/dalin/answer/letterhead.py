"""The postal code and the web address a Korean official letter (공문) writes in its footer:
"논산문화관광재단 주소의 우편번호는?" over the footer row "우 | 32983 | 충남 논산시 시민로 270 |
/ | http://nonsancntf.or.kr/cntf/".

A 공문's footer is a row of short fields without labels a reader can match: the postal code
follows a bare 우 (for 우편번호), the homepage is written as a URL, never named. Neither is a
sentence or a labelled cell, so the sentence and table readers find no statement. The most
relevant passage writing the field so answers.

An English letterhead or invoice writes an address as lines under a name ("John Q. Doe /
255 Customer Lane / Suite B / 12345 User Town"); its postal code, town and street are read
from the address whose street line the name the question asks about stands on or above.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.numbered_titles import passages_then_documents
from dalin.answer.reader_question import (
    Candidate,
    Reading,
    Sources,
    line_holding,
    passage_evidence,
)
from dalin.types import Hit

__all__ = ["letterhead_field"]

#: how a 공문's footer writes its postal code: "우 | 32983"
_POSTAL_CODE = re.compile(r"(?<![가-힣\w])(?:우|우편번호|우\))\s*[|:)]?\s*(?P<value>\d{5})(?!\d)")
#: what the question asks, and how a footer writes it
_FIELDS = (
    (re.compile(r"우편\s*번호|postal\s+code|zip\s*code", re.I), _POSTAL_CODE),
    (
        re.compile(r"홈페이지|누리집|웹\s*사이트|website|homepage", re.I),
        re.compile(r"(?P<value>https?://[^\s|,]+|(?<![@\w.])www\.[^\s|,]+)"),
    ),
)


def letterhead_field(
    reading: Reading, relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> Candidate | None:
    """The postal code or homepage the question asks for, from the most relevant passage
    writing one as a letter's footer does, else from the footer of the documents most about
    the question (search finds the letter's body, not its footer); None when it asks for
    neither or none is written."""
    for asked, written in _FIELDS:
        if asked.search(reading.question):
            found = _first_written(written, relevant, sources)
            if found is None and written is _POSTAL_CODE:
                found = _address_part(reading, relevant, sources, "code")
            return found
    part = next((name for name, asked in _ADDRESS_PARTS if asked.search(reading.question)), None)
    return _address_part(reading, relevant, sources, part) if part else None


#: the parts of an English address a question may ask besides its postal code: the town
#: ("주소의 도시 이름", "which city") and the street ("거리 주소", "street address")
_ADDRESS_PARTS = (
    ("town", re.compile(r"(?:주소|address).*(?:도시|city|town)"
                        r"|(?:도시|city|town).*(?:주소|address)", re.I)),
    ("street", re.compile(r"거리\s*주소|도로명\s*주소|street(?:\s+address)?", re.I)),
)  # fmt: skip
#: how many of the documents most about the question have their whole text read
_DOCUMENTS = 2
#: a street line of an English address: "255 Customer Lane", "17, Aviation Road"
_STREET = re.compile(
    r"\b\d+[A-Za-z]?,?\s+(?:[A-Z][\w.]*\s+){1,3}(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave"
    r"|Boulevard|Blvd|Drive|Dr|Way|Court|Ct|Place|Pl|Square|Sq)\b\.?"
)
#: the postal code of an address segment: a US state and ZIP ("Redmond, WA 98052") or a
#: code before the town ("12345 User Town")
_ADDRESS_CODE = re.compile(
    r"\b[A-Z]{2}\s+(?P<us>\d{5})(?:-\d{4})?\b|^(?P<eu>\d{4,5})\s+(?P<town>[A-Z].*)$"
)
#: a line that ends an address: its phone, fax, mail or web address
_AFTER_ADDRESS = re.compile(r"phone|tel\b|fax|@|www\.|https?:", re.I)
#: a unit within a building, no town: "Suite B", "Apt 3"
_UNIT = re.compile(r"^(?:suite|apt|unit|floor|room|ste)\b", re.I)
#: a name written in Latin letters: "John Q. Doe", "Kraxi Systems"
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][A-Za-z]+)*")
#: how many lines above its street line an address names whose it is
_OWNER_LINES = 2


def _address_part(
    reading: Reading, relevant: Sequence[tuple[Hit, float]], sources: Sources, part: str
) -> Candidate | None:
    """A part of the address of someone the question names in Latin letters, from an
    English letterhead or invoice: "John Q. Doe 주소의 우편번호" over "John Q. Doe / 255
    Customer Lane / Suite B / 12345 User Town" is 12345, its town User Town, its street
    255 Customer Lane. The address is the one whose street line has the name on it or at
    most two lines above it; an address of another party, or one that does not write the
    part ("Kraxi Systems, Inc. • 17, Aviation Road • Paperfield" has no code), answers
    nothing."""
    names = _owners(reading.question)
    if not names:
        return None
    for hit, passage, share in passages_then_documents(relevant, sources, _DOCUMENTS):
        lines = passage.text.split("\n")
        for i, line in enumerate(lines):
            street = _STREET.search(line)
            if street is None:
                continue
            above = " ".join([*lines[max(0, i - _OWNER_LINES) : i], line[: street.start()]])
            if not any(n in above.lower() for n in names):
                continue
            found = _part_of(part, street, line, lines[i + 1 :])
            if found is None:
                continue
            value, read = found
            offset = passage.start + sum(len(x) + 1 for x in lines[:i])
            offset += len(line) - len(line.lstrip())
            quote = "\n".join(lines[i : i + read + 1]).strip()
            display = " / ".join(x.strip() for x in lines[i : i + read + 1] if x.strip())
            evidence = passage_evidence(hit, passage, offset, quote, display)
            return Candidate(1.0 + share, value, evidence, typed=True, relevance=share)
    return None


#: where a question names the address it asks of: "… John Q. Doe 주소의 우편번호"
_ADDRESS_WORD = re.compile(r"주소|우편\s*번호|address|postal|zip", re.I)


def _owners(question: str) -> list[str]:
    """The Latin names a question may ask the address of, lowercase: the one written last
    before "주소" ("Kraxi 송장에 적힌 John Q. Doe 주소의" asks John Q. Doe's, not the
    invoice's company's), else every one. Acronyms (ZIP, INVOICE) name no one."""
    names = [(m.start(), m.group().lower()) for m in _LATIN_NAME.finditer(question)
             if len(m.group()) >= 3 and not m.group().isupper()]  # fmt: skip
    word = _ADDRESS_WORD.search(question)
    before = [n for at, n in names if word is not None and at < word.start()]
    return before[-1:] or [n for _, n in names]


def _part_of(
    part: str, street: re.Match[str], line: str, below: Sequence[str]
) -> tuple[str, int] | None:
    """The part asked of the address whose street ``street`` matched in ``line``, and how
    many of the lines ``below`` it were read to find it (an address runs on until its phone
    or another street); None if the address does not write it."""
    if part == "street":
        return street.group().rstrip("."), 0
    segments = [(s.strip(), 0) for s in re.split(r"[•,·]", line[street.end() :]) if s.strip()]
    for n, more in enumerate(below[:3], start=1):
        if not more.strip() or _STREET.search(more) or _AFTER_ADDRESS.search(more):
            break
        segments += [(s.strip(), n) for s in re.split(r"[•·]", more) if s.strip()]
    for i, (segment, n) in enumerate(segments):
        code = _ADDRESS_CODE.search(segment)
        if code is not None:
            if part == "code":
                return code.group("us") or code.group("eu"), n
            town = code.group("town") or (segments[i - 1][0] if i else "")
            return (town, n) if town else None
        if part == "town" and not _UNIT.match(segment) and not re.search(r"\d", segment):
            following = segments[i + 1][0] if i + 1 < len(segments) else ""
            if not _ADDRESS_CODE.search(following):
                return segment, n  # "• Paperfield": a town with no code after it
    return None


def _first_written(
    written: re.Pattern[str], relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> Candidate | None:
    for hit, passage, share in passages_then_documents(relevant, sources, _DOCUMENTS):
        found = written.search(passage.text)
        if found is None:
            continue
        at, quote = line_holding(passage.text, found)
        offset = passage.start + at
        evidence = passage_evidence(hit, passage, offset, quote, " ".join(quote.split()))
        value = found.group("value").rstrip(".")
        return Candidate(1.0 + share, value, evidence, typed=True, relevance=share)
    return None
