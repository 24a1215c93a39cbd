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
        return None
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
