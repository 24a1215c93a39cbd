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
* :func:`condition` — a restriction of the source (``-면``, ``경우에는``, ``에 한하여``, ``에
  대하여는``, a narrowed topic) that neither the sentence, its question nor the sentence
  before it carries, on a claim the sentence makes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from math import ceil

from dalin.answer import cases
from dalin.answer.alignment import FRAME_WORDS, TOPIC_WEIGHT, Alignment, Unit
from dalin.answer.lexicon import ANTONYMS, LIGHT, LIST_SUMMARY, PARTIES, ROLES
from dalin.answer.quantities import UNITS, Quantity, lead, number_terms, quantities, supports
from dalin.answer.reading import Condition, Reading, read
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
    return any(supports(q, u.numbers) for q in claim for u in assertions if u is not top)


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


def quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"“{text[:limit]}{'…' if len(text) > limit else ''}”"
