"""The condition check of a sentence against the statement it rests on: a restriction of the
source (``-면``, ``경우에는``, ``에 한하여``, ``에 대하여는``, a narrowed topic) that neither the
sentence, its question nor the sentence before it carries, on a claim the sentence makes.
One of the meaning checks of :mod:`dalin.answer.verdicts`, kept apart for its size."""

from __future__ import annotations

import re
from collections.abc import Sequence
from math import ceil

from dalin.answer import cases
from dalin.answer.alignment import FRAME_WORDS, Alignment, Unit
from dalin.answer.lexicon import LIGHT, PARTIES
from dalin.answer.quantities import quantities, supports
from dalin.answer.reading import Condition, read
from dalin.answer.verdicts import Finding, Given, quote


def condition(al: Alignment, best: Unit | None, given: Given) -> Finding | None:
    """A restriction of the source that the sentence, its question and the sentence before
    it all leave out, on a claim the sentence makes."""
    if best is None:
        return None
    main = al.reading.main[0] if al.reading.main else ""
    columns = _columns(al, best)
    for unit, strict in _restricting(al, best):
        options = cases.cases(unit.reading)
        named = cases.named_case(al.reading, options)
        if named is not None and main not in named.governs | named.heads:
            named = None  # the case named leads to another claim ("1초 누르면 켜지고")
        if named is not None:
            moved = _other_case_value(al, named, options)
            if moved:  # "과부하가 발생했다면 6개월마다": the value of the "100회 이상" case
                return Finding("entity", moved, unit)
        for restriction in unit.reading.conditions:
            if _lists_cases(restriction) or not _makes(al, restriction, strict=strict):
                continue
            if restriction.terms & columns:
                continue  # a note on another column ("일요일 경기 중 … 한해" for "평일 경기")
            if named is not None and cases.other_case(restriction, named, options):
                continue  # "과부하가 났다면 바로 교정": not the "하루 100회 이상" case
            # a case named by one of its words is carried ("떨어뜨린 경우에는" for "떨어뜨리거나
            # 과부하가 발생한 경우에는")
            if restriction is not named and not _carried(al, best, unit, restriction, given):
                return Finding("condition", quote(" ".join(sorted(restriction.terms))), unit)
            converse = cases.converse(al.reading, unit.reading, main)
            flipped = _flipped(al, restriction) and not converse
            if flipped:  # "재고가 없는 품목도 …" where the source says "재고가 있는 품목은"
                return Finding("contradiction", quote(" ".join(sorted(restriction.terms))), unit)
    return None


def _columns(al: Alignment, best: Unit) -> frozenset[str]:
    """The words of the row's other columns, when the sentence names one of its columns."""
    if not best.row:
        return frozenset()
    headers = [read(h).terms - FRAME_WORDS for h in list(best.cells())[1:]]
    named = [h for h in headers if h & al.reading.terms]
    if not named:
        return frozenset()
    return frozenset(t for h in headers if h not in named for t in h) - al.reading.terms


def _other_case_value(al: Alignment, named: Condition, options: Sequence[Condition]) -> str:
    """A number of the sentence that another case's claim states and the named one's not."""
    own = [q for t in named.governs for q in quantities(t)]
    for q in al.claim:
        if q.bare or supports(q, own):
            continue
        for case in options:
            theirs = [n for t in case.governs for n in quantities(t)]
            if case is not named and supports(q, theirs):
                return f"{q.token}: {quote(' '.join(sorted(case.terms)))}"
    return ""


#: words of a clause that points at the list after it: "다음 각 호의 어느 하나에 해당하는 경우"
_LIST_POINTER = frozenset({"호", "목", "하나", "표", "각"})


def _lists_cases(restriction: Condition) -> bool:
    """A condition that only points at the cases listed after it ("다음 각 호의 어느 하나에
    해당하는 경우 … 징계할 수 있다"): a sentence naming one of those cases keeps it."""
    return "다음" in restriction.terms and bool(restriction.terms & _LIST_POINTER)


def _restricting(al: Alignment, best: Unit) -> list[tuple[Unit, bool | None]]:
    """The statements whose conditions may restrict the sentence, with how strictly the
    sentence must be shown to make their claim (see :func:`_makes`): the best one (leniently),
    those of its passage nearly as close (strictly), and, when the best one does not make
    the sentence's main claim, those that do with its polarity (leniently: "…변경할 수
    있다" after "다만, … 경우에는")."""
    main, negated = al.reading.main or ("", False)
    claims_elsewhere = main not in best.reading.heads and not best.row
    out: list[tuple[Unit, bool | None]] = [(best, None)]
    makers = [u for u in al.others(best) if main in u.reading.heads]
    strongest = max((al.score(u) for u in makers), default=0)
    for unit in al.others(best):
        # of the statements making the claim, those nearly as close as the closest one
        near = 2 * al.score(unit) >= strongest
        if claims_elsewhere and main in unit.reading.heads and near:
            # "주문 제작한 가공품은 반품되지 않습니다" restricts the denial, not "반품할 수 있다"
            if unit.reading.heads[main] == negated:
                out.append((unit, None))
        elif 4 * al.score(unit) >= 3 * al.score(best):
            out.append((unit, True))
    return out


def _makes(al: Alignment, restriction: Condition, *, strict: bool | None) -> bool:
    """Whether the sentence makes the claim ``restriction`` restricts: its head, and (for a
    statement other than the best one, ``strict``) two of its words and its numbers."""
    mine = al.reading
    claim = (restriction.governs - restriction.terms) - FRAME_WORDS - LIGHT
    numbers = [q for t in claim if t[:1].isdigit() for q in quantities(t)]
    if strict and numbers and not any(supports(q, al.claim) for q in numbers):
        return False  # the claim there is another value ("100분의 100" vs "50%")
    shared = len(claim & mine.terms)
    main = mine.main[0] if mine.main else ""
    if not main:
        return shared >= 2
    return main in restriction.governs | restriction.heads and (shared >= 2 or strict is None)


def _carried(al: Alignment, best: Unit, unit: Unit, restriction: Condition, given: Given) -> bool:
    """Whether the sentence (or its question, or the sentence before) keeps the restriction:
    its numbers ("5만원 이상"), or enough of its words (a third; one for a narrowed topic;
    a word of the question counts half)."""
    if any(cases.restates(own, restriction) for own in al.reading.conditions):
        return True  # the sentence has the condition as a condition of its own
    if restriction.kind == "topic" and _points_back(al, restriction):
        return True
    # a bare number is a code's or a list's ("E02", "제3호"), not an amount to carry
    own_terms = restriction.terms - cases.references(restriction.terms)  # not "제1항에 따라"
    numbers = [q for t in own_terms if t[:1].isdigit() for q in quantities(t) if not q.bare]
    if numbers:
        # the sentence's numbers that are the claim's own ("30일분") carry nothing
        claimed = [q for t in restriction.governs for q in quantities(t)]
        own = [q for q in al.claim if not supports(q, claimed)]
        # "30일 전에 예고하지 않으면 30일분 …": the sentence's own condition states it
        conditional = [q for c in al.reading.conditions for t in c.terms for q in quantities(t)]
        carried = (*own, *conditional, *quantities(given.text, evidence=True))
        return any(supports(q, carried) for q in numbers)
    context = best.reading.terms if unit is not best else frozenset()
    if restriction.kind == "clause":  # its own words, not those of its claim or topic
        context = context | restriction.governs | unit.reading.topic
    words = own_terms - context - FRAME_WORDS
    if restriction.kind == "clause" and any(
        _keeps(t, c) for t in restriction.terms - PARTIES for c in al.reading.terms
    ):  # "직원이 퇴직한 경우" is kept by "퇴직하면", "퇴직일부터": the party is the rule's own
        words -= PARTIES
    said = sum(
        1.0 if any(_keeps(t, c) for c in al.reading.terms | given.before_terms)
        else 0.5 if any(_keeps(t, c) for c in given.question_terms)
        else 0.0
        for t in words
    )  # fmt: skip
    needed = 1 if restriction.kind == "topic" else ceil(len(words) / 3)
    return not words or said >= needed


#: a demonstrative before the sentence's topic: "이 개정안은", "해당 직원은", "This bill"
_DEMONSTRATIVE = re.compile(r"^\s*(?:이|그|해당|본|동|this|that|these|those)\s", re.IGNORECASE)


def _points_back(al: Alignment, restriction: Condition) -> bool:
    """Whether the sentence names the narrowed topic with a demonstrative ("이 개정안은" for
    "… 이수진 의원이 대표 발의한 … 일부개정법률안은"): the thing the source narrowed down."""
    if not _DEMONSTRATIVE.match(al.sentence):
        return False
    theirs = restriction.terms | restriction.governs
    return any(
        len(t) >= 2 and any(t.startswith(w) or w.startswith(t) for w in theirs if len(w) >= 2)
        for t in al.reading.topic
    )


def _flipped(al: Alignment, restriction: Condition) -> bool:
    """A condition of the sentence that restates the source's with the opposite polarity."""
    return any(
        cases.restates(own, restriction) and own.negated != restriction.negated
        for own in al.reading.conditions
    )


def _keeps(term: str, said: str) -> bool:
    """The restriction's word, or a short form of it ("서울" for "서울특별시")."""
    return term == said or (len(said) >= 2 and term.startswith(said))
