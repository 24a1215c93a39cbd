"""Statements with several cases, and conditions a sentence restates.

A statement may set several cases, each with its own claim ("하루 100회 이상 사용하는 경우에는
6개월마다, 떨어뜨리거나 과부하(E02)가 발생한 경우에는 즉시 교정을 받으십시오"); a sentence that
names one of them (by the words that set it apart from the others) is held to that case's
claim only. A condition stated as an exception ("승낙을 얻은 경우를 제외하고 … 양도할 수
없다") may be restated as its converse ("승낙을 얻으면 양도할 수 있다").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dalin.answer.alignment import FRAME_WORDS
from dalin.answer.reading import Condition, Reading


def converse(mine: Reading, theirs: Reading, head: str) -> bool:
    """Whether the sentence flips both the source's condition on ``head`` and its claim:
    "승낙을 얻으면 양도할 수 있다" for "승낙을 얻은 경우를 제외하고 양도할 수 없다"."""
    flipped = head in theirs.heads and mine.heads.get(head) != theirs.heads[head]
    return flipped and any(
        restates(own, case) and own.negated != case.negated and head in case.governs
        for own in mine.conditions
        for case in theirs.conditions
    )


def case_polarity(mine: Reading, theirs: Reading, default: bool) -> bool:
    """Whether the claim of the case the sentence names is negated (``default`` when the
    statement has one case or the sentence names none)."""
    named = named_case(mine, cases(theirs))
    heads = [h for h in named.heads if h in theirs.heads] if named else []
    return theirs.heads[heads[0]] if heads else default


def cases(theirs: Reading) -> list[Condition]:
    """A statement's conditional clauses (its cases, when there are several)."""
    return [c for c in theirs.conditions if c.kind == "clause"]


def named_case(mine: Reading, options: Sequence[Condition]) -> Condition | None:
    """Of a statement's several cases, the one the sentence's own condition names by the
    words that set it apart from the others ("숙소" and not "식사"; "과부하" and not "100회")."""
    if len(options) < 2 or not mine.conditions:
        return None
    said = frozenset(t for own in mine.conditions for t in own.terms)
    shares = []
    for case in options:
        others = frozenset(t for c in options if c is not case for t in c.terms)
        own = case.terms - others - FRAME_WORDS
        shares.append(len(own & said) / len(own) if own else 0.0)
    top = max(shares)
    alone = sum(1 for share in shares if share) == 1  # no other case's words are said
    if not top or shares.count(top) > 1 or (top < 0.5 and not alone):
        return None
    return options[shares.index(top)]


def other_case(restriction: Condition, named: Condition, options: Sequence[Condition]) -> bool:
    """Whether ``restriction`` is (or restates) a case other than the one the sentence names."""
    if restriction.terms <= named.terms:
        return False
    return any(restriction.terms <= c.terms for c in options if c is not named)


def restates(own: Condition, restriction: Condition) -> bool:
    """A condition of the sentence that holds at least half of the source's condition (its
    cross-references left out: "제1항에 따라 휴일을 대체하는 경우")."""
    words = restriction.terms - FRAME_WORDS - references(restriction.terms)
    return bool(words) and 2 * len(words & own.terms) >= len(words)


#: a cross-reference to another article, paragraph or item: "1항", "제10조", "3호", "항"
_REFERENCE = re.compile(r"^(?:제?\d+)?(?:조|항|호|목)$")


def references(terms: frozenset[str]) -> frozenset[str]:
    """The terms that point at another provision rather than restrict."""
    return frozenset(t for t in terms if _REFERENCE.match(t))
