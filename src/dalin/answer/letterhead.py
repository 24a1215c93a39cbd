"""The postal code and the web address a Korean official letter (공문) writes in its footer:
"논산문화관광재단 주소의 우편번호는?" over the footer row "우 | 32983 | 충남 논산시 시민로 270 |
/ | http://nonsancntf.or.kr/cntf/".

A 공문's footer is a row of short fields without labels a reader can match: the postal code
follows a bare 우 (for 우편번호), the homepage is written as a URL, never named. Neither is a
sentence or a labelled cell, so the sentence and table readers find no statement. The most
relevant passage writing the field so answers.
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

#: what the question asks, and how a footer writes it
_FIELDS = (
    (
        re.compile(r"우편\s*번호|postal\s+code|zip\s*code", re.I),
        re.compile(r"(?<![가-힣\w])(?:우|우편번호|우\))\s*[|:)]?\s*(?P<value>\d{5})(?!\d)"),
    ),
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
            return _first_written(written, relevant, sources)
    return None


#: how many of the documents most about the question have their whole text read
_DOCUMENTS = 2


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
