"""The things of a kind a question says there are so many of: "교육지원 요구사항에서 따로
정해 둔 교육 과정 두 가지는 뭐예요?".

The question gives the count and the kind (두 가지, 과정); the answer is the names of that
kind one passage writes, exactly as many as asked: the heads of its bullets ("ㅇ 관리자 과정
- …", "ㅇ 운영자 과정 - …") or the names it brackets ("「대표자용 보안확약서」 및
「참여자용 보안 확약서」"). A name of the kind is one that ends with it and says more than
it ("교육과정" alone names no course). A passage writing more or fewer of them does not
answer: which ones were meant is then a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.reader_question import Candidate, Reading, span_evidence
from dalin.answer.tables import squash
from dalin.types import Hit

__all__ = ["named_items"]

_NUMBERS = {"두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6}
#: "교육 과정 두 가지는 뭐예요?", "보안 확약서 두 가지는 무엇인가요?": the kind, the count
_ASKED = re.compile(
    r"(?P<kind>[가-힣A-Za-z]{2,})\s+(?P<count>두|세|네|다섯|여섯|[2-6])\s*(?:가지|개|종류)"
    r"(?:는|은|가|이|를|을)?\s*(?:뭐|무엇|어떤|어느)"
)
#: a bracketed name: 「대표자용 보안확약서」, ‘관리자 과정’
_BRACKETED = re.compile(r"[「『‘“<《]\s*([^」』’”>》\n]{2,40}?)\s*[」』’”>》]")
#: the head of a bullet, up to its dash, colon or line end: "ㅇ 관리자 과정 - 초기운영의 …"
_BULLET_HEAD = re.compile(
    r"(?:^|\s)(?:ㅇ|○|◦|•|▪|□|■|-|\d{1,2}\.)\s+([^\n:：\-–ㅇ○◦•]{2,25}?)\s*(?:\s[-–:：]\s|\n|$)",
    re.M,
)
#: how many passages are read, best first
_PASSAGES = 3


def named_items(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Candidate | None:
    """The names of the kind the question counts, from the best passage writing exactly as
    many of them as it asks; None when it asks for no count of a kind's names, or no
    passage writes that many."""
    asked = _ASKED.search(reading.question)
    if asked is None:
        return _examples(reading, relevant)
    kind = squash(asked.group("kind"))
    count = asked.group("count")
    wanted = int(count) if count.isdigit() else _NUMBERS[count]
    for hit, score in list(relevant)[:_PASSAGES]:
        names = _names_of(hit.text, kind)
        if len(names) != wanted:
            continue
        evidence = span_evidence(hit, names[0][1], _item_end(hit.text, names[-1][2]))
        return Candidate(1.0 + score, ", ".join(n for n, _, _ in names), evidence)
    return None


#: where a bulleted item ends: the next bullet, or its line's end
_NEXT_ITEM = re.compile(r"\s(?:ㅇ|○|◦|•|▪|□|■)\s|\n")
#: the most of an item's text quoted after its name
_ITEM_CHARS = 200


def _item_end(text: str, end: int) -> int:
    """Where the item whose name ends at ``end`` ends."""
    following = _NEXT_ITEM.search(text, end, end + _ITEM_CHARS)
    return following.start() if following else min(len(text), end + _ITEM_CHARS)


def _names_of(text: str, kind: str) -> list[tuple[str, int, int]]:
    """The distinct names of ``kind`` ``text`` brackets or heads a bullet with, in order,
    each with where its bracket or bullet starts and its name ends."""
    found = [m for p in (_BRACKETED, _BULLET_HEAD) for m in p.finditer(text)]
    names: dict[str, tuple[str, int, int]] = {}
    for match in sorted(found, key=lambda m: m.start(1)):
        name = match.group(1).strip()
        key = squash(name)
        if key.endswith(kind) and len(key) > len(kind) and key not in names:
            names[key] = (name, match.start(), match.end(1) + 1)
    return list(names.values())


#: "도구탭에는 어떤 기능 두 가지가 예로 들어 있나요?": the term whose examples are asked,
#: and how many when the question says
_EXAMPLES_ASKED = re.compile(
    r"(?P<term>[가-힣A-Za-z0-9]{2,}?)(?:에는|엔|에서는)\s+(?:어떤|어느|무슨)\s+[가-힣A-Za-z]+"
    r"(?:\s+(?P<count>두|세|네|다섯|여섯|[2-6])\s*(?:가지|개|종류))?"
)
#: examples bracketed after a term: "도구탭(블록합계, 블록평균 등)"
_EXAMPLES = r"\s*[(（]\s*([^()（）\n]{3,120}?)\s*[)）]"
#: "… 등" closes a list of examples
_AND_SO_ON = re.compile(r"\s*(?:등|등등|etc\.?)\s*$")


def _examples(reading: Reading, relevant: Sequence[tuple[Hit, float]]) -> Candidate | None:
    """The examples a passage brackets right after the term asked about ("도구탭(블록합계,
    블록평균 등)" for "도구탭에는 어떤 기능이 있나요?"), two or more, as many as the
    question counts when it does; None otherwise."""
    asked = _EXAMPLES_ASKED.search(reading.question)
    if asked is None:
        return None
    count = asked.group("count")
    wanted = None if count is None else int(count) if count.isdigit() else _NUMBERS[count]
    written = re.compile(re.escape(asked.group("term")) + _EXAMPLES)
    for hit, score in list(relevant)[:_PASSAGES]:
        for found in written.finditer(hit.text):
            items = [i.strip() for i in _AND_SO_ON.sub("", found.group(1)).split(",")]
            if len(items) < 2 or not all(items) or wanted not in (None, len(items)):
                continue
            evidence = span_evidence(hit, found.start(), found.end())
            return Candidate(1.0 + score, ", ".join(items), evidence)
    return None
