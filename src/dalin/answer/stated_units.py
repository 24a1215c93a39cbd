"""The unit a form or a table states its figures in: "경영 실태(서식2)는 금액을 어떤 단위로
적게 되어 있나요?" over "[서식2] / 경영 실태 (최근 3년) / (단위 : 천원)".

A form writes its unit once, in brackets under its title, never beside the figures, and the
line names no form: the sentence reader cannot tell one form's "(단위 : 천원)" from the next
form's "(금액 : 백만원)". The title lines just above a unit line say whose unit it is, so
the unit line under the title most about the question answers, read in the relevant
passages and the whole document most about the question (search finds one form, not the
next).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.numbered_titles import passages_then_documents
from dalin.answer.reader_question import (
    Candidate,
    Reading,
    Sources,
    passage_evidence,
    share_of,
)
from dalin.answer.tables import squash
from dalin.text.korean import tokenize
from dalin.types import Hit

__all__ = ["stated_unit"]

#: a question for the unit figures are written in: "어떤 단위로 적게 되어 있나요?", "단위는
#: 뭐예요?", "in what units"
_ASKED = re.compile(
    r"(?:어떤|무슨|어느)\s*단위|단위[는가은]?\s*(?:뭐|무엇|어떻게)|\bwhat units?\b|\bin what unit",
    re.I,
)
#: a unit line: "(단위 : 천원)", "(금액 : 백만원)", "(단위: 억원)"
_STATED = re.compile(r"[(（]\s*(?:단위|금액)\s*[:：]\s*([^()（）\n]{1,12}?)\s*[)）]")
#: how many lines above a unit line its title may take
_TITLE_LINES = 3
#: what a bracketed label the question writes adds when the title writes it too ("(서식2)"
#: for "[서식2]"): the number tells two forms of one kind apart, as no word does
_LABEL_BONUS = 1.0
_LABEL = re.compile(r"[(（\[]([^()（）\[\]]{2,12})[)）\]]")


def stated_unit(
    reading: Reading, relevant: Sequence[tuple[Hit, float]], sources: Sources
) -> Candidate | None:
    """The unit under the title most about the question, among the unit lines of the
    relevant passages and the document most about the question; None when the question
    asks no unit, none is written, or two titles are equally about it."""
    if _ASKED.search(reading.question) is None:
        return None
    labels = [squash(label) for label in _LABEL.findall(reading.question)]
    found: dict[tuple[int, int], Candidate] = {}
    for hit, passage, relevance in passages_then_documents(relevant, sources, _DOCUMENTS):
        for stated in _STATED.finditer(passage.text):
            lines = passage.text[: stated.start()].split("\n")
            title = "\n".join(lines[-_TITLE_LINES - 1 :])
            score = share_of(reading, set(tokenize(title)))
            if any(label in squash(title) for label in labels):
                score += _LABEL_BONUS
            quote = passage.text[stated.start() - len(title) : stated.end()].strip()
            start = passage.start + stated.end() - len(quote)
            evidence = passage_evidence(hit, passage, start, quote, " ".join(quote.split()))
            unit = " ".join(stated.group(1).split())
            found[(hit.doc_id, start)] = Candidate(score, unit, evidence, relevance=relevance)
    ranked = sorted(found.values(), key=lambda c: -c.score)
    if not ranked or ranked[0].score <= 0:
        return None
    if len(ranked) > 1 and ranked[1].score == ranked[0].score and ranked[1].lead != ranked[0].lead:
        return None
    return ranked[0]


#: how many of the documents most about the question are read whole
_DOCUMENTS = 1
