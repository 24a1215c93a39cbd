"""Whose figure a line gives: a question asking a figure of one named person ("후안 소토는
이날 몇 타수 몇 안타") is not answered by a line about another person the passages list
beside them ("김하성은 이날 4타수 2안타", the lineup naming both).

Names are Kiwi's proper nouns (NNP) marked as topic or subject; a name the passages never
write, or one of the question's names written in the line, leaves the line standing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from dalin.answer.evidence import Unit
from dalin.answer.reader_question import Candidate, Reading
from dalin.answer.tables import squash
from dalin.text.korean import kiwi

__all__ = ["LOOK_IN", "about_someone_else", "other_named_thing"]

#: the words that say where to look, up to their locative: "KorQuAD 1.0 페이지에서"
LOOK_IN = re.compile(r"^(.*\S에서)\s+(?=\S)")


def about_someone_else(
    reading: Reading, best: Candidate, units: Sequence[tuple[Unit, float, int]]
) -> bool:
    """Whether the question asks a figure of a named subject ("후안 소토는 몇 타수 …") and
    the best line, not writing that name (nor a part of it: "번디" is 테드 번디), is about
    another named subject ("김하성은 이날 4타수 2안타") that a passage lists beside the one
    asked (the lineup "… 후안 소토(좌익수)-김하성(2루수) …"): what one player did is no
    answer about his teammate. A subject never listed with the one asked may be the same
    person named otherwise, or the line may tell of both: no ruling then."""
    if not reading.intent.value_kinds:
        return False  # a figure asked ("몇 타수"): whose figure it is, the line must say
    said = squash(f"{best.lead} {best.evidence.display}")
    others = [squash(n) for n in _named_subjects(best.evidence.display)]
    if not others:
        return False
    # the names after where to look: "김하성 3점홈런 기사에서 후안 소토는" asks of 소토
    question = LOOK_IN.sub("", reading.question, count=1)
    for name in _proper_nouns(question):
        parts = [squash(p) for p in name.split() if len(p) >= 2] or [squash(name)]
        if any(p in said for p in parts):
            return False  # "그는 김대중이 신민당에 입당해야": one of the names asked is there
    # the topic ("후안 소토는"), not the subject of a clause ("나폴레옹이 … 결정했을 때")
    topics = _named_subjects(question, ("JX",))
    shown = [squash(u.display) for u, _, _ in units]
    return any(
        squash(name) in text and any(o in text for o in others) for name in topics for text in shown
    )


def _named_subjects(text: str, markers: tuple[str, ...] = ("JX", "JKS")) -> list[str]:
    """The proper nouns ``text`` makes its topic or subject: "후안 소토는", "김하성이"."""
    tokens = kiwi().tokenize(text)
    return [
        t.form for t, after in itertools.pairwise(tokens)
        if t.tag == "NNP" and after.tag in markers and after.start == t.start + t.len
    ]  # fmt: skip


def _proper_nouns(text: str) -> list[str]:
    return [t.form for t in kiwi().tokenize(text) if t.tag == "NNP"]


#: a name in Latin letters that is no plain word: "TriviaQA", "SQuAD", "A100", "bge-m3"
_LATIN_NAME = re.compile(
    r"(?<![\w-])(?=[\w-]*(?:[a-z][A-Z]|[A-Za-z]\d|\d[A-Za-z]))[A-Za-z][A-Za-z\d-]{2,}(?![\w-])"
)


def other_named_thing(
    reading: Reading, best: Candidate, units: Sequence[tuple[Unit, float, int]]
) -> bool:
    """Whether the question asks a figure of a thing named in Latin letters ("how many
    questions does the TriviaQA dataset contain?") that the passages write but the best line
    does not: "질문 합계: 102,960" counts KorQuAD 2.0's questions, not TriviaQA's. A name the
    file is named after is where to look, not what is asked; one no passage writes may be
    the line's own thing named otherwise: no ruling then."""
    if not reading.intent.value_kinds:
        return False
    e = best.evidence
    said = f"{best.lead} {e.display} {e.quote} {best.context} {e.hit.section or ''}".lower()
    file = e.hit.name.lower()
    shown = [u.display.lower() for u, _, _ in units]
    for name in _LATIN_NAME.findall(reading.question):
        name = name.lower()
        if name in file or name in said:
            continue
        if any(name in text for text in shown):
            return True
    return False
