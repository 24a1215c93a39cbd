"""The code a form writes after a numbered field's label: "Bruce Wayne 건의 보험 청구 번호(Claim
#)는?" over the line "Claim # 999 Make Batman", "What is the claim number on Gabriel Diaz's
estimate?" over "Claim # SF-1008 Make Jeep".

A form of two columns extracted from a PDF runs both columns' fields into one line
("Claim # 999 Make Batman"), so no cell holds the value and a sentence reader finds no
statement. A numbered field ("Claim #", "Policy No.", "Repair Order #") holds one code,
written as one token with a digit or in capitals; that token is the answer, wherever the
line goes on. The passage most about the question (the estimate of the person it names)
is read first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.reader_question import Candidate, Evidence, Reading, line_holding
from dalin.types import Hit

__all__ = ["coded_field"]

#: a numbered field the question names: "Claim #", "claim number", "Policy No."; the words
#: before the mark are its name
_ASKED = re.compile(
    r"(?<![A-Za-z])((?:[A-Za-z]+\s){0,2}[A-Za-z]+)\s*(?:#|\bno\.|\bnumber\b)", re.IGNORECASE
)
#: a code: one token with a digit ("999", "SF-1008", "RO-20221108") or in capitals
#: ("IM-BATMAN")
_CODE = re.compile(r"(?=\S*\d)[\w./-]*\w|[A-Z][A-Z0-9-]{2,}(?![a-z])")
#: or a field named by its acronym, no mark after it: "what is entered in the VIN field",
#: "VIN 칸에는"
_ACRONYM_FIELD = re.compile(r"(?<![A-Za-z])([A-Z]{2,5})\s*(?:field|box|칸|란|항목)")
#: or an identifier asked by the word ID: "견적 ID는 무엇인가요?" over "Preliminary Estimate
#: (ID: EST-1008)"
_ID_ASKED = re.compile(r"(?<![A-Za-z])ID(?![A-Za-z])")
#: words that name no field: "what is the claim number" names claim
_NOT_NAMES = frozenset({"the", "a", "an", "is", "what", "which", "s", "of", "on", "its"})


def coded_field(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Candidate | None:
    """The code after the numbered field the question names, from the most relevant
    passage that writes the field so; None when the question names none."""
    asked = _ASKED.search(reading.question)
    if asked is None:
        acronym = _ACRONYM_FIELD.search(reading.question)
        if acronym is None and _ID_ASKED.search(reading.question):
            return _written(["ID"], relevant, marked=False)
        return _written([acronym.group(1)], relevant, marked=False) if acronym else None
    words = [w for w in asked.group(1).split() if w.lower() not in _NOT_NAMES]
    if not words:
        return None
    # the field's own name may be its last words only: "insurance policy number" is the
    # form's "Policy #"
    for first in range(len(words)):
        found = _written(words[first:], relevant)
        if found is not None:
            return found
    return None


def _written(
    words: Sequence[str], relevant: Sequence[tuple[Hit, float]], *, marked: bool = True
) -> Candidate | None:
    """The code after the field named ``words`` (and its number mark, when ``marked``) in
    the most relevant passage writing it."""
    name = r"\s+".join(re.escape(w) for w in words)
    mark = r"\s*(?:#|No\.?|Number)" if marked else r"(?![A-Za-z])"
    line = re.compile(
        rf"(?<![A-Za-z])(?P<label>{name}{mark}\s*:?)\s*(?P<code>{_CODE.pattern})(?=[\s)\]]|$)",
        re.IGNORECASE if marked else 0,  # an acronym is written in capitals
    )
    for hit, share in sorted(relevant, key=lambda pair: -pair[1]):
        found = line.search(hit.text)
        if found is None:
            continue
        at, quote = line_holding(hit.text, found)
        offset = hit.start + at
        evidence = Evidence(hit, hit.label, quote, offset, offset + len(quote),
                            " ".join(quote.split()), hit.page)  # fmt: skip
        label = " ".join(found.group("label").rstrip(":").split())
        return Candidate(1.0 + share, f"{label} {found.group('code')}", evidence, relevance=share)
    return None
