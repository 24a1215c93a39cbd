"""The meaning checks of a sentence against the statement it rests on.

Each check returns a :class:`Finding` (the reason, what was found, and the source statement
that says otherwise, shown in place of the sentence) or None:

* :func:`polarity` — a head the source negates and the sentence asserts (or the reverse),
  an antonym in place of the source's word, an exception the sentence runs over
  ("다만 떨어뜨리거나 … 보증 대상이 아닙니다"), or an opposite main claim on one topic;
* :func:`entity` — a value of another row or column, a name or role of another statement,
  two participants or modifiers swapped, another code;
* :func:`scope` — a quantifier group (항상/모든/관계없이 …, …만/한하여) the source does not use
  near there;
* :func:`dalin.answer.conditions.condition` — a dropped restriction of the source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from dalin.answer import cases
from dalin.answer.alignment import FRAME_WORDS, TOPIC_WEIGHT, Alignment, Unit
from dalin.answer.lexicon import ANTONYMS, LIGHT, LIST_SUMMARY, ROLES
from dalin.answer.quantities import UNITS, Quantity, lead, number_terms, quantities, supports
from dalin.answer.reading import Reading, read
from dalin.text.korean import has_korean, kiwi
from dalin.tools.calculator import format_number

#: a statement that makes an exception to the one before it
_EXCEPTION = re.compile(r"^\s*(?:[A-Z]\.\s*)?(?:다만|단,|단 |예외|However|Except)")


#: a sentence comparing two things it names: "Ø25는 Ø20보다 14,000원 비쌉니다"
_COMPARISON = re.compile(r"보다|차이|\bthan\b|\bdifference\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    reason: str
    detail: str
    #: the statement that says otherwise (None: the best one)
    unit: Unit | None = None


@dataclass(frozen=True)
class Given:
    """What the sentence may lean on besides its passages."""

    #: totals: results recomputed from the sentence's numbers, its operands, and values a
    #: tool computed (not read from a row, so not held to one)
    totals: frozenset[Decimal] = frozenset()
    question_terms: frozenset[str] = frozenset()
    before_terms: frozenset[str] = frozenset()
    #: the question and the sentence before, for numbers they carry
    text: str = ""
    #: the numbers written inside the sentence's expressions ("100,000원 × 2")
    operands: frozenset[Decimal] = frozenset()


def polarity(al: Alignment, best: Unit | None) -> Finding | None:
    mine = al.reading
    assertions = [u for u in al.units if not u.reading.question]
    for head, negated in mine.heads.items():
        holders = [u for u in assertions if head in u.reading.heads]
        if not holders:
            continue
        top = max(holders, key=lambda u: (al.score(u, [head]), -u.position))
        if top.reading.heads[head] != negated and al.score(top, [head]) >= 1:
            agreeing = [
                u
                for u in holders
                if u.reading.heads[head] == negated and al.score(u, [head]) >= al.score(top, [head])
            ]
            if not agreeing and not cases.converse(mine, top.reading, head):
                return Finding("contradiction", f"{head}: {quote(top.text)}", top)
    for family in ANTONYMS:
        said = family & mine.terms
        holders = [u for u in assertions if family & u.reading.terms] if said else []
        if not holders:
            continue
        top = max(holders, key=lambda u: (al.score(u, family), -u.position))
        theirs = family & top.reading.terms
        agreeing = [  # a statement nearly as close that uses the sentence's word
            u
            for u in holders
            if said & u.reading.terms and 5 * al.score(u, family) >= 4 * al.score(top, family)
        ]
        if not (said & theirs) and not agreeing and al.score(top, family) >= 1:
            if _rests_elsewhere(al, top, assertions):
                continue  # "시외출장 일비 25,000원 × 2일": the table's rule, not "시내출장의 …"
            return Finding(
                "contradiction", f"{'/'.join(sorted(said))} ↔ {'/'.join(sorted(theirs))}", top
            )
    exception = _exception(al, best)
    if exception is not None:
        return Finding("contradiction", quote(exception.text), exception)
    if best is not None and mine.main and best.reading.main:
        (head, negated), (_, their_negated) = mine.main, best.reading.main
        # the claim of the case the sentence names, when the statement has several ("숙소를
        # 제공받은 경우에는 숙박비를 지급하지 아니하며, 식사를 … 줄인다")
        their_negated = cases.case_polarity(mine, best.reading, their_negated)
        strong = al.score(best) >= 2 * TOPIC_WEIGHT or al.score(best) >= 4
        # "대상에서 제외됩니다" (빠집니다) says what "대상이 아닙니다" says
        negated, their_negated = _membership(head, negated, best.reading.main[0], their_negated)
        opposite = negated != their_negated and head not in best.reading.heads
        if opposite and strong and not _other_part(al, best):
            return Finding("contradiction", quote(best.text), best)
    return None


#: heads that deny membership as a negation does ("빠지", "빼" are read as "제외"), and the
#: heads of membership they deny
_EXCLUDING = frozenset({"제외", "불포함"})
_MEMBERSHIP = frozenset({"대상", "포함", "해당", "적용"})


def _membership(head: str, negated: bool, theirs: str, their_negated: bool) -> tuple[bool, bool]:
    """The two main claims' polarities, an exclusion read as a denied membership when the
    other claim is one of membership ("보증 대상에서 빠집니다" ↔ "보증 대상이 아닙니다");
    not otherwise ("연차 하루가 빠집니다" deducts)."""
    if head in _EXCLUDING and theirs in _MEMBERSHIP:
        return not negated, their_negated
    if theirs in _EXCLUDING and head in _MEMBERSHIP:
        return negated, not their_negated
    return negated, their_negated


def _other_part(al: Alignment, best: Unit) -> bool:
    """Whether the sentence restates another part of the statement than its main claim, so
    that their main claims' polarities need not agree: it makes the statement's own main
    claim with its polarity ("상담이 어렵고, 이메일을 남기면 … 받을 수 있습니다"), or it only
    says what something is ("정직은 … 출근을 정지하는 징계입니다" over "… 정지하며, 그 기간
    중에는 임금을 지급하지 아니한다")."""
    if not best.reading.main or not al.reading.main:
        return False
    their_head, their_negated = best.reading.main
    head, negated = al.reading.main
    if al.reading.heads.get(their_head) == their_negated:
        # and the claim it adds is another statement's ("… 다음 영업일에 답변드립니다")
        return any(u.reading.heads.get(head) == negated for u in al.others(best))
    return _identifies(al.sentence) and not negated


def _identifies(sentence: str) -> bool:
    """Whether the sentence's last predicate is the copula ("… 징계입니다", "… 1시까지예요")."""
    if not has_korean(sentence):
        return False
    tags = [t.tag for t in kiwi().tokenize(sentence) if t.tag.startswith(_PREDICATE_TAGS)]
    return bool(tags) and tags[-1] == "VCP"


#: Kiwi's tags of predicates: verbs, adjectives, auxiliaries, copulas, verb/adjective suffixes
_PREDICATE_TAGS = ("VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA")


def _rests_elsewhere(al: Alignment, top: Unit, assertions: Sequence[Unit]) -> bool:
    """Whether the sentence's numbers are none of ``top``'s and another statement states
    them: the sentence applies that statement, not the one using the opposite word."""
    claim = [q for q in al.claim if not q.bare]
    if not claim or any(supports(q, top.numbers) for q in claim):
        return False
    # an item of the list ``top`` leads ("다음 각 호와 같으며, 모두 유급으로 한다" over "2.
    # 근로자의 날: 5월 1일") is what ``top`` speaks of, not another rule
    elsewhere = [u for u in assertions if u is not top and not _item_of(u, top, assertions)]
    return any(supports(q, u.numbers) for q in claim for u in elsewhere)


#: a statement pointing at the list after it, and an item of such a list
_LIST_LEAD = re.compile(r"다음|아래|as follows", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}\.|[가-하]\.|\(\d{1,2}\))\s")


def _item_of(unit: Unit, lead: Unit, units: Sequence[Unit]) -> bool:
    """Whether ``unit`` is an item of the list ``lead`` opens (the same passage, after it,
    with nothing but items between)."""
    if unit.passage != lead.passage or not _LIST_LEAD.search(lead.text):
        return False
    if not _LIST_ITEM.match(unit.text) or unit.position <= lead.position:
        return False
    between = [
        u for u in units if u.passage == lead.passage and lead.position < u.position < unit.position
    ]
    return all(_LIST_ITEM.match(u.text) for u in between)


def _exception(al: Alignment, best: Unit | None) -> Unit | None:
    """The exception after the rule the sentence rests on, when the sentence applies the
    rule to the excepted case ("떨어뜨려서 생긴 고장도 … 무상으로 수리됩니다")."""
    if best is None or not al.reading.main:
        return None
    head, negated = al.reading.main
    if best.reading.heads.get(head) != negated:
        return None  # the sentence does not restate the rule's claim
    for unit in al.others(best):
        if not 0 < unit.position - best.position <= 2 or not _EXCEPTION.match(unit.text):
            continue
        own = (unit.reading.terms - best.reading.terms) - FRAME_WORDS - LIGHT
        if len(own & al.reading.terms) >= 2 and unit.reading.heads.get(head) != negated:
            return unit
    return None


def entity(al: Alignment, best: Unit | None, given: Given) -> Finding | None:
    if best is None:
        return None
    mine = al.reading
    others = al.others(best)
    missing = _missing(mine, best)
    found = (
        _row_swap(al, best, others, missing, given)
        or _number_swap(al, best, others, given)
        or _operand_row(al, given)
        or _key_swap(al, best)
    )
    if found:
        return Finding("entity", found)
    names = {t for t in missing & mine.proper if any(t in u.reading.proper for u in others)}
    rival_names = best.reading.proper - mine.terms
    if names and rival_names:
        return Finding("entity", f"{', '.join(sorted(names))} ↔ {', '.join(sorted(rival_names))}")
    roles = {t for t in missing if t in ROLES and any(t in u.reading.terms for u in others)}
    rivals = {t for t in best.reading.terms - mine.terms if t in ROLES}
    if roles and rivals:
        return Finding("entity", f"{', '.join(sorted(roles))} ↔ {', '.join(sorted(rivals))}")
    swapped = _swapped_roles(mine, best.reading) or _swapped_modifier(mine, best.reading, others)
    if swapped:
        return Finding("entity", swapped)
    codes, theirs = _codes(al.sentence) - _codes(best.text), _codes(best.text)
    compares = _COMPARISON.search(al.sentence) and _codes(al.sentence) & theirs
    if codes and theirs and not compares:  # "Ø25는 Ø20보다": both rows are named
        return Finding("entity", f"{', '.join(sorted(codes))} ↔ {', '.join(sorted(theirs))}")
    return None


def _operand_row(al: Alignment, given: Given) -> str:
    """An operand taken from a table row the sentence does not name, when it names another:
    "과장이 2박이면 100,000원 × 2" (100,000원 is the 부장·차장 row's)."""
    rows = [u for u in al.units if u.row and u.cells()]
    # a key's bare number ("10" of "HB-N10") is a piece of its code, not its name
    key_terms = {
        id(u): {t for t in read(u.name()).terms if not t.isdigit()} - FRAME_WORDS for u in rows
    }
    named = [u for u in rows if key_terms[id(u)] & al.reading.terms]
    if not named:
        return ""
    for value in sorted(given.operands):
        if any(lead(n) == value for u in named for n in u.numbers):
            continue
        holders = [u for u in rows if any(lead(n) == value for n in u.numbers)]
        prose = [u for u in al.units if not u.row and any(lead(n) == value for n in u.numbers)]
        if holders and not prose:
            key = next(iter(named[0].cells().values()))
            return f"{format_number(value)}: {next(iter(holders[0].cells().values()))} ↔ {key}"
    return ""


#: a list item that names what it defines: "1. 견책: 시말서를 …", "가. 건 명 : …"
_ITEM_KEY = re.compile(r"^\s*(?:\d{1,2}\.|[가-하]\.|\(\d{1,2}\))?\s*([^:：\n|]{1,20}?)\s*[:：]\s")


def _key(unit: Unit) -> frozenset[str]:
    """The words naming a table row or a list item ("견책" of "1. 견책: …")."""
    if unit.row:
        text = unit.name()
    elif len(re.findall(r"[:：]\s", unit.text)) == 1:  # one item, not several run together
        match = _ITEM_KEY.match(unit.text)
        text = match.group(1) if match else ""
    else:
        text = ""
    return frozenset(t for t in read(text).terms if not t[:1].isdigit()) - FRAME_WORDS


def _key_swap(al: Alignment, best: Unit) -> str:
    """The sentence is about the item or row another key names, and says what the best
    statement, keyed otherwise, says: "견책은 … 출근을 정지하는 징계" (that is "3. 정직: …")."""
    ours = _key(best)
    mine = al.reading.terms
    if not ours or ours & mine or _COMPARISON.search(al.sentence):
        return ""
    for unit in al.others(best):
        theirs = _key(unit) & al.reading.topic
        if theirs and not _key(unit) <= ours:
            return f"{', '.join(sorted(theirs))} ↔ {', '.join(sorted(ours))}"
    return ""


def _missing(mine: Reading, unit: Unit) -> set[str]:
    return {
        t
        for t in (mine.terms - unit.reading.terms) - FRAME_WORDS
        if not t[:1].isdigit() and t.lower() not in UNITS
    }


def number_row(al: Alignment, best: Unit | None) -> Unit | None:
    """When the best match is prose ("다음 표의 어느 하나에 해당하는 경우 … 준다") or a title
    and the sentence's numbers stand only in table rows, the closest such row."""
    if best is None or best.row or not al.claim:
        return None
    if any(supports(q, best.numbers) for q in al.claim):
        return None
    rows = [u for u in al.others(best) if u.row and all(supports(q, u.numbers) for q in al.claim)]
    return max(rows, key=al.rank) if rows else None


def _row_swap(
    al: Alignment, best: Unit, others: Sequence[Unit], missing: set[str], given: Given
) -> str:
    """A value from another column of the row, or a key of another row."""
    if not best.row:
        return ""
    column = _column(al, best, given)
    if column:
        return column
    cells = best.cells()
    asserted = al.reading.terms - al.reading.compared
    for other in (u for u in others if u.row):
        for header, value in other.cells().items():
            # a value the question gives ("500개만 사면") is the user's, not another row's
            asked = {t for t in given.question_terms | given.before_terms if t[:1].isdigit()}
            theirs = read(value).terms & missing - asked
            ours = cells.get(header)
            if theirs and ours and not (read(ours).terms & asserted):
                return f"{', '.join(sorted(theirs))} ↔ {ours}"
    return ""


def _column(al: Alignment, row: Unit, given: Given) -> str:
    """The sentence names one header ("토요일") and gives the value under another
    ("일요일/공휴일: 17:00")."""
    cells = row.cells()
    key = next(iter(cells), "")  # the first column names the row
    named = {h for h in cells if h != key and read(h).terms & al.reading.terms}
    for q in al.claim:
        if lead(q) in given.totals:
            continue
        holders = [h for h, v in cells.items() if h != key and supports(q, _values(v))]
        if not holders or set(holders) & named:
            continue
        rivals = [h for h in named if any(_same_kind(q, o) for o in _values(cells[h]))]
        if rivals:
            return f"{q.token}: {holders[0]} ↔ {rivals[0]}: {cells[rivals[0]]}"
    return ""


def _values(text: str) -> tuple[Quantity, ...]:
    return quantities(text, evidence=True)


def _number_swap(al: Alignment, best: Unit, others: Sequence[Unit], given: Given) -> str:
    """A number another statement holds, where the best one holds another of its kind."""
    # the user's numbers ("500개만 사면"), unless they name a row ("7월 일요일 경기는")
    asked = quantities(given.text, evidence=True)
    keys = [n for u in (best, *others) if u.row for n in quantities(u.name())]
    for q in al.claim:
        if supports(q, best.numbers) or q.bare or lead(q) in given.totals:
            continue
        if supports(q, asked) and not supports(q, keys):
            continue
        if any(supports(q, u.numbers) for u in others):
            rival = [
                n.token for n in best.numbers if _same_kind(q, n) and not supports(n, al.claim)
            ]
            if rival:
                return f"{q.token} ↔ {rival[0]}"
    return ""


def _same_kind(q: Quantity, other: Quantity) -> bool:
    return other.dimension == q.dimension or other.cell


def _swapped_roles(mine: Reading, theirs: Reading) -> str:
    shared = [t for t in mine.roles if t in theirs.roles]
    for i, x in enumerate(shared):
        for y in shared[i + 1 :]:
            if (
                mine.roles[x] != mine.roles[y]
                and mine.roles[x] == theirs.roles[y]
                and mine.roles[y] == theirs.roles[x]
            ):
                return f"{x} ↔ {y}"
    return ""


def _swapped_modifier(mine: Reading, theirs: Reading, others: Sequence[Unit]) -> str:
    """ "이메일 상담" where the source says "전화 상담": a modifier the passage uses elsewhere
    but never with that noun, in place of the source's."""
    elsewhere = frozenset(t for u in others for t in u.reading.terms)
    known = frozenset(pair for u in others for pair in u.reading.pairs)
    for modifier, head in mine.pairs:
        if modifier in theirs.terms or modifier not in elsewhere or (modifier, head) in known:
            continue
        if modifier in _TIME_NOUNS:
            continue  # "이날 2루수로 출전했다": when, not which one
        for other, their_head in theirs.pairs:
            if other in _TIME_NOUNS:
                continue  # "안내받은 뒤 제품을 보내면": when, not which product
            if their_head == head and other != modifier and other not in mine.terms:
                return f"{modifier} {head} ↔ {other} {head}"
    return ""


#: nouns that end a time clause before the noun after them ("… 뒤 제품을"), not modifiers
_TIME_NOUNS = frozenset(
    {"뒤", "후", "전", "다음", "이후", "이전", "중", "동안", "때", "이날", "당일", "그날", "오늘"}
)


def _codes(text: str) -> set[str]:
    return {t.token for t in number_terms(text) if t.kind == "code"}


def scope(al: Alignment, best: Unit | None, given: Given) -> Finding | None:
    mine = al.reading
    if not mine.scope:
        return None
    near = al.near(best)
    total = any(lead(q) in given.totals for q in al.claim)
    for group, words in mine.scope.items():
        if words <= LIST_SUMMARY and (mine.listed or total):
            continue  # "국어, 영어, 수학 모두 77점"; "모두 300,000원" (a total)
        if not any(group in u.reading.scope for u in near):
            return Finding("scope", ", ".join(sorted(words)))
    return None


def quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"“{text[:limit]}{'…' if len(text) > limit else ''}”"
