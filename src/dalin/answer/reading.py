"""What one sentence asserts, read from Kiwi morphemes: polarity, scope words, conditions,
and the role each participant plays.

The grounding check (:mod:`dalin.answer.checker`) compares an answer sentence with the
source sentence it rests on through these readings. A :class:`Reading` holds:

* ``heads``: each predicate head (the noun or verb a clause asserts: 반품 in "반품되지
  않습니다", 대상 in "대상이 아닙니다", 상담 in "상담이 어렵습니다") and whether it is
  negated. Negators are Kiwi morphemes: ``않``/``못``/``말``/``아니하`` after ``-지``,
  ``없`` after ``-ㄹ 수``, ``아니`` (VCN), ``안``/``못`` (MAG), ``-어서는 안 되``, and the
  negative heads 어렵/곤란/불가/불가능/금지/불허/불필요, which pass their polarity to their
  subject ("전화 상담이 어렵습니다" negates 상담).
* ``main``: the last head of the sentence, its main claim.
* ``scope``: the quantifier words present, by group (항상/모든/관계없이 … "universal";
  만/뿐/한하여 … "restrictive").
* ``conditions``: the clauses that restrict what follows them: ``-면``/``-려면``,
  ``경우``/``때``/``시`` (+ 에/에는), ``에 한하여``, ``에 대하여는``, and a topic phrase
  narrowed by a relative clause ("재고가 있는 품목은").
* ``roles``: the relation marker after each participant (``부서장을 거쳐`` → via,
  ``대표이사에게`` → to, ``22:00부터`` → from), to see two participants swapped.
* ``topic``: the terms of the first topic or subject phrase (what the sentence is about).

English sentences get the same fields from words (not, never, always, only, if, unless …).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dalin.answer.lexicon import (
    AUX_AFTER,
    CLAUSE_END,
    CONDITION_EC,
    CONDITION_NOUNS,
    GENERIC_MODALS,
    HEAD_SYNONYMS,
    LIGHT,
    MODAL_HEADS,
    NEGATING_VX,
    NEGATIVE_HEADS,
    NEGATORS,
    PRIOR_STEPS,
    REASON_EC,
    ROLE_MARK,
    ROLES,
    TOPIC_MARKS,
)
from dalin.answer.quantifiers import listed, scope_words
from dalin.answer.quantities import canonical_numbers
from dalin.ingest.structure import CIRCLED
from dalin.text.korean import has_korean, kiwi, normalize

_CONTENT = frozenset({"NNG", "NNP", "XR", "SH", "SL", "VV", "VA", "NR", "SN", "W_SERIAL"})
_NUMERIC = frozenset({"SN", "W_SERIAL"})
_FOUR_SYLLABLES = re.compile(r"^[\uac00-\ud7a3]{4}$")
#: what opens a paragraph or list item ("②", "제2항", "3.", "가.", "- "): layout, not content
_MARKER = re.compile(
    r"^\s*(?:[" + CIRCLED + r"]|제\d+항|\d{1,2}[.)]|[가-하][.)]|\(\d{1,2}\)|[-*•·※]|[AQ]\d*\.)\s*"
)
_WORDLIKE = re.compile(r"[0-9A-Za-z\uac00-\ud7a3]")


@dataclass(frozen=True)
class Condition:
    """A clause that restricts the claim after it."""

    #: its content terms and numbers
    terms: frozenset[str]
    #: the terms of the claim it restricts (its next clause)
    governs: frozenset[str] = frozenset()
    #: that claim's head ("무료" in "5만원 이상이면 무료이고")
    heads: frozenset[str] = frozenset()
    #: "clause" (-면, 경우, 때, 에 한하여) or "topic" (a topic narrowed by a relative clause)
    kind: str = "clause"
    #: stated negatively: "재고가 없는 품목은", "예고하지 아니하였을 때에는"
    negated: bool = False


@dataclass(frozen=True)
class Reading:
    """What a sentence asserts, as far as words show it."""

    text: str
    #: content terms (nouns, predicate stems, Latin words, numbers as written)
    terms: frozenset[str]
    #: the terms of the first topic or subject phrase
    topic: frozenset[str] = frozenset()
    #: predicate head → negated
    heads: Mapping[str, bool] = field(default_factory=dict)
    #: the last head and whether it is negated (None: the sentence has no predicate)
    main: tuple[str, bool] | None = None
    #: scope group → the words of that group present
    scope: Mapping[str, frozenset[str]] = field(default_factory=dict)
    conditions: tuple[Condition, ...] = ()
    #: participant → its relation marker ("object", "to", "from", "until", "via", …)
    roles: Mapping[str, str] = field(default_factory=dict)
    #: nouns written as one phrase, (modifier, head): ("전화", "상담")
    pairs: frozenset[tuple[str, str]] = frozenset()
    #: proper nouns (Kiwi NNP): places, people, organisations
    proper: frozenset[str] = frozenset()
    #: nouns a comparison points to ("본인 결혼처럼"): mentioned, not asserted about
    compared: frozenset[str] = frozenset()
    #: ends with a question mark: it asks, it does not assert
    question: bool = False
    #: several nouns listed before "모두" ("국어, 영어, 수학 모두")
    listed: bool = False


@lru_cache(maxsize=8192)
def read(text: str) -> Reading:
    """The reading of one sentence (Korean by Kiwi morphemes, other text by words)."""
    text = normalize(text)
    if has_korean(text):
        body = _MARKER.sub("", text)
        return _read_korean(text, kiwi().tokenize(canonical_numbers(body)))
    from dalin.answer.english import read_english  # it builds on this module's Reading

    return read_english(text)


# --- Korean ----------------------------------------------------------------------------------


def _tag(m: Any) -> str:
    return str(m.tag).split("-")[0]


def _is_content(m: Any) -> bool:
    return _tag(m) in _CONTENT


def _read_korean(text: str, morphs: Sequence[Any]) -> Reading:
    forms = [m.form for m in morphs]
    tags = [_tag(m) for m in morphs]
    terms = frozenset(
        term
        for i in range(len(morphs))
        if _is_content(morphs[i]) and _WORDLIKE.search(term := _term(morphs, i))
    ) | _halves(morphs, tags)
    heads, order = _heads(morphs, forms, tags)
    main = (order[-1], heads[order[-1]]) if order else None
    scope = scope_words(forms, tags)
    return Reading(
        text=text,
        terms=terms - {""},
        topic=_topic(morphs, tags),
        heads=heads,
        main=main,
        scope=scope,
        conditions=_conditions(morphs, forms, tags),
        roles=_roles(morphs, forms, tags),
        pairs=_pairs(morphs, tags),
        proper=frozenset(str(m.form) for m, t in zip(morphs, tags, strict=True) if t == "NNP"),
        compared=_compared(forms, tags),
        question=text.rstrip().endswith("?"),
        listed=listed(forms, tags),
    )


def _halves(morphs: Sequence[Any], tags: list[str]) -> frozenset[str]:
    """The two halves of a four-syllable noun, and the two nouns of a split one joined: Kiwi
    keeps "형제자매" whole in one sentence and splits it in another (as ``terms`` does)."""
    out: set[str] = set()
    for i, m in enumerate(morphs):
        if tags[i] in ("NNG", "NNP") and _FOUR_SYLLABLES.match(m.form):
            out.update((m.form[:2], m.form[2:]))
        if (
            i
            and tags[i] == tags[i - 1] == "NNG"
            and morphs[i - 1].start + morphs[i - 1].len == m.start
        ):
            joined = morphs[i - 1].form + m.form
            if _FOUR_SYLLABLES.match(joined):
                out.add(joined)
    return frozenset(out)


def _pairs(morphs: Sequence[Any], tags: list[str]) -> frozenset[tuple[str, str]]:
    """Noun + noun written together as one phrase ("전화 상담", "이메일 상담")."""
    out = set()
    for i in range(1, len(morphs)):
        if tags[i] in ("NNG", "NNP") and tags[i - 1] in ("NNG", "NNP", "SL"):
            out.add((str(morphs[i - 1].form), str(morphs[i].form)))
    return frozenset(out)


def _compared(forms: list[str], tags: list[str]) -> frozenset[str]:
    """The nouns of a phrase a comparison points to ("본인 결혼처럼")."""
    out: set[str] = set()
    for i, form in enumerate(forms):
        if form in ("처럼", "같이", "만큼", "보다") and tags[i].startswith("J"):
            j = i - 1
            while j >= 0 and tags[j] in ("NNG", "NNP"):
                out.add(forms[j])
                j -= 1
    return frozenset(out)


def _term(morphs: Sequence[Any], i: int) -> str:
    """The term of a content morpheme; a number with the unit written after it."""
    m = morphs[i]
    if _tag(m) == "SN" and i + 1 < len(morphs) and _tag(morphs[i + 1]) in ("NNB", "NNG"):
        nxt = morphs[i + 1]
        if m.start + m.len == nxt.start:
            return f"{m.form.replace(',', '')}{nxt.form}"
    return str(m.form).replace(",", "") if _tag(m) == "SN" else str(m.form)


def _heads(
    morphs: Sequence[Any], forms: list[str], tags: list[str]
) -> tuple[dict[str, bool], list[str]]:
    """Each predicate head and whether it is negated, in order of appearance."""
    heads: dict[str, bool] = {}
    order: list[str] = []

    def put(term: str, negated: bool) -> None:
        term = HEAD_SYNONYMS.get(term, term)
        heads[term] = negated  # a later clause speaks last
        if term in order:
            order.remove(term)
        order.append(term)

    # heads of "-거나" clauses take the polarity of the claim they lead to: the next negated
    # head, or the last head of the sentence ("사용하거나 … 늘리지 마십시오")
    alternatives: list[str] = []
    for start, end in _clauses(forms, tags):
        head = _clause_head(morphs, forms, tags, start, end)
        without = [  # "승인 없이": 승인 is what is denied, whatever the clause then says
            str(morphs[i - 1].form)
            for i in range(max(start, 1), end)
            if forms[i] == "없이" and tags[i - 1] in ("NNG", "NNP")
        ]
        if head is None:
            for noun in without:
                put(noun, True)
            continue
        index, term = head
        negated = _negations(forms, tags, index, end) % 2 == 1
        if term in NEGATIVE_HEADS:
            negated = not negated
        if forms[end - 1] in ("거나", "든지") and tags[end - 1] == "EC":
            alternatives.append(term)
            continue
        final = tags[end - 1] in ("EF", "SF") or forms[end - 1] in CLAUSE_END
        inside = tags[end - 1] == "ETM"  # "떨어뜨리거나 과부하로 생긴 고장": a relative clause
        if alternatives and (negated or final or inside):
            for alternative in alternatives:
                put(alternative, negated)
            alternatives.clear()
        if _obliges(forms, tags, index, end):  # "제출하여야 한다": 제출 is needed
            put("필요", negated)
        if term in MODAL_HEADS or forms[index] in ("되",):
            subjects = _subjects(morphs, tags, start, index)
            if term in GENERIC_MODALS:  # "상담이 어렵다": the claim is about 상담
                put(term, negated)
            for subject in subjects:
                put(subject, negated)
            if term in GENERIC_MODALS:
                continue
        put(term, negated)
        for noun in without:
            put(noun, True)
    for alternative in alternatives:
        put(alternative, heads.get(order[-1], False) if order else False)
    return heads, order


def _obliges(forms: list[str], tags: list[str], head: int, end: int) -> bool:
    """Whether the clause of ``head`` says it must be done: "-어야 하다", "-어야 되다"."""
    return any(
        forms[i] in ("어야", "아야", "여야") and _next(forms, i, 1) in ("하", "되")
        for i in range(head + 1, min(end + 2, len(forms)))
    )


def _clauses(forms: list[str], tags: list[str]) -> list[tuple[int, int]]:
    """Morpheme ranges of the clauses, cut after connective, adnominal and final endings."""
    cuts: list[tuple[int, int]] = []
    start = 0
    for i, (form, tag) in enumerate(zip(forms, tags, strict=True)):
        nxt = (forms[i + 1], tags[i + 1]) if i + 1 < len(forms) else ("", "")
        if tag == "EC" and _joins_auxiliary(form, nxt):
            continue
        if form == "지" and _negating_ic(forms, tags, i + 1):
            continue  # "예고하지 아니하였을": one negated clause
        if form == "지" and nxt[1] == "JX" and _next(forms, i, 2) in NEGATING_VX:
            continue  # "발행되지는 않습니다": one negated clause
        if tag == "ETM" and nxt[0] in ("수", "것"):
            continue
        if tag == "EC" and _prohibition(forms, tags, i + 1):
            continue  # "-어서는 안 된다", "-으면 안 됩니다": one prohibition
        if tag in ("EC", "ETM", "EF", "SF"):
            cuts.append((start, i + 1))
            start = i + 1
    if start < len(forms):
        cuts.append((start, len(forms)))
    return cuts


def _prohibition(forms: list[str], tags: list[str], i: int) -> bool:
    """Whether "안 되" / "아니 되" starts at ``i`` (after an optional 는)."""
    if i < len(forms) and tags[i] == "JX":
        i += 1
    return _next(forms, i, 0) in ("안", "아니") and _next(forms, i, 1) == "되"


def _joins_auxiliary(form: str, nxt: tuple[str, str]) -> bool:
    if nxt[1] != "VX":
        return form == "지" and nxt[0] in ("못",)
    allowed = AUX_AFTER.get(form, frozenset())
    return allowed is None or nxt[0] in allowed


def _clause_head(
    morphs: Sequence[Any], forms: list[str], tags: list[str], start: int, end: int
) -> tuple[int, str] | None:
    """The morpheme a clause asserts: its last content word, or the noun before a light verb
    ("반품 + 하", "보증을 받") or before a copula ("대상이 아니다", "무료이다")."""
    candidates = [
        i for i in range(start, end) if tags[i] in ("NNG", "NNP", "XR", "VV", "VA", "SL", "SN")
    ]
    if not candidates:
        return None
    index = candidates[-1]
    prohibited = forms[index] == "되" and index > 0 and forms[index - 1] in ("안", "아니")
    if prohibited and len(candidates) > 1:  # "씻으면 안 됩니다": the claim is about 씻
        return candidates[-2], _term(morphs, candidates[-2])
    verb = _can_verb(forms, tags, candidates, index)
    if verb is not None:  # "나누어 쓸 수 없다": the claim is about 쓰, not the 없 after 수
        return verb, _term(morphs, verb)
    if tags[index] in ("VV", "VA") and forms[index] in LIGHT | {"없", "같"}:
        nouns = [i for i in candidates[:-1] if tags[i] in ("NNG", "NNP", "XR", "SL", "SN")]
        if forms[index] == "같" and _next(forms, index, 1) in ("은", "ᆫ"):
            return None  # "A 같은 B": a comparison, not a claim
        if forms[index] == "같":
            return index, "같"  # "정규 직원과 같다": the claim is the sameness
        if forms[index] == "없" and not nouns:
            return None
        if nouns and forms[index] != "없":
            index = nouns[-1]
        elif forms[index] == "없":
            return nouns[-1], forms[nouns[-1]]
    return index, _term(morphs, index)


def _can_verb(forms: list[str], tags: list[str], candidates: list[int], index: int) -> int | None:
    """The verb of "V-ㄹ 수 있다/없다" when it is a content verb (a light one leaves the claim to
    the noun before it: "반품할 수 없다")."""
    before = index - 1
    if before > 0 and tags[before] == "JX":  # "갈 수는 없다"
        before -= 1
    if forms[index] not in ("없", "있") or forms[before] != "수" or tags[before - 1] != "ETM":
        return None
    verbs = [i for i in candidates[:-1] if tags[i] in ("VV", "VA") and i < before]
    if not verbs or forms[verbs[-1]] in LIGHT:
        return None
    return verbs[-1]


def _negations(forms: list[str], tags: list[str], head: int, end: int) -> int:
    """How many negators act on the head at ``head`` within its clause."""
    count = 0
    for i in range(head + 1, end):
        form, tag = forms[i], tags[i]
        if form in NEGATORS.get(tag, ()) or _negating_ic(forms, tags, i):
            count += 1
    if head > 0 and tags[head - 1] == "MAG" and forms[head - 1] in ("안", "못"):
        count += 1
    return count


def _negating_ic(forms: list[str], tags: list[str], i: int) -> bool:
    """Kiwi's "아니" tagged as an interjection in "-지 아니하다" ("예고하지 아니하였을")."""
    return (
        0 < i < len(forms) - 1
        and (forms[i], tags[i]) == ("아니", "IC")
        and forms[i - 1] == "지"
        and forms[i + 1] == "하"
    )


def _subjects(morphs: Sequence[Any], tags: list[str], start: int, head: int) -> list[str]:
    """The nouns a modal head ("가능", "어렵") speaks of: the subject just before it and
    the nouns listed with it ("반품이나 교환이 가능")."""
    out: list[str] = []
    i = head - 1
    while i >= start and tags[i] in ("JKS", "JX", "JC", "SP", "JKO", "NNG", "NNP", "XSN"):
        if tags[i] in ("NNG", "NNP"):
            out.append(str(morphs[i].form))
        i -= 1
    return out


def _topic(morphs: Sequence[Any], tags: list[str]) -> frozenset[str]:
    """Terms of the first phrase marked as topic or subject, with what modifies it (a
    clause that ends before it, "…더하면 45,000원어치 주문은", is not part of it)."""
    begin = 0
    for i, tag in enumerate(tags):
        if tag in TOPIC_MARKS and i > 0:
            return frozenset(
                _term(morphs, j)
                for j in range(begin, i)
                if _is_content(morphs[j]) and tags[j] != "SN"
            )
        form = str(morphs[i].form)
        if tag == "EF" or (tag == "EC" and form in CONDITION_EC | CLAUSE_END | REASON_EC):
            begin = i + 1
    return frozenset()


def _conditions(morphs: Sequence[Any], forms: list[str], tags: list[str]) -> tuple[Condition, ...]:
    """The restricting clauses of a sentence, each with the terms of what it restricts."""
    spans: list[tuple[int, int]] = []
    clause_start = 0
    for i, (form, tag) in enumerate(zip(forms, tags, strict=True)):
        if _closes_condition(forms, tags, i):
            spans.append((clause_start, i))
            clause_start = i + 1
        elif tag in ("EF", "SF") or (tag == "EC" and form in CLAUSE_END):
            clause_start = i + 1
        elif form == "|" or (form == ":" and tag == "SP"):
            clause_start = i + 1  # a table cell or "label:" starts a condition's words
        elif form == "," and spans and spans[-1][1] < clause_start < i:
            # "100회 이상 사용하는 경우에는 6개월마다, 떨어뜨리거나 …": the comma ends the
            # first case's (verbless) claim, not the next condition's words
            clause_start = i + 1
    kinds = dict.fromkeys(spans, "clause")
    narrowed = _narrowed_topic(forms, tags)
    if narrowed is not None:
        kinds.setdefault(narrowed, "topic")
    starts = sorted(start for start, _ in kinds)
    out = []
    for (start, end), kind in sorted(kinds.items()):
        terms = frozenset(
            term
            for j in range(start, end)
            if _is_content(morphs[j])
            and forms[j] not in CONDITION_NOUNS | LIGHT | {"대하", "따르", "관하"}
            and _WORDLIKE.search(term := _term(morphs, j))
        )
        if not terms:
            continue
        # what it restricts runs to the next condition (or the end: "…경우에는 미리 승인을
        # 받아야 하며, 1 km당 250원을 지급한다"); a narrowed topic restricts the whole rest
        stop = next((s for s in starts if s > end), len(morphs)) if kind == "clause" else None
        governs, heads = _governed(morphs, forms, tags, end + 1, stop)
        # "승낙을 얻은 경우를 제외하고 … 할 수 없다" = "승낙을 얻지 않으면 … 할 수 없다"
        excepted = forms[end] == "제외" if end < len(forms) else False
        negated = _negated(forms, tags, start, end) != excepted
        out.append(Condition(terms, governs, heads, kind, negated))
    return tuple(out)


def _closes_condition(forms: list[str], tags: list[str], i: int) -> bool:
    """Whether morpheme ``i`` ends a condition: "-면", "경우(에는)", "경우를 제외하고", "때",
    "개근 시", "에 한하여", "에 대하여는", and "합의하여" / "승인을 받아" (what must happen
    first)."""
    form, tag = forms[i], tags[i]
    if tag == "EC" and form in CONDITION_EC:
        return not _prohibition(forms, tags, i + 1)
    if form in CONDITION_NOUNS and tag in ("NNG", "NNB"):
        return _condition_noun(forms, i)
    if form == "제외" and i >= 2 and forms[i - 2] == "경우" and forms[i - 1] in ("를", "을"):
        return True  # "사전 승낙을 얻은 경우를 제외하고": a negated condition
    if form in ("한하", "한정"):
        return True
    if form == "대하":
        return _next(forms, i, 2) in ("는", "은")
    if tag == "EC" and form in ("어", "아", "여", "하여") and i > 0:
        before = [forms[j] for j in range(max(0, i - 3), i)]
        return bool(PRIOR_STEPS & set(before)) and _next(forms, i, 1) not in ("야",)
    return False


def _negated(forms: list[str], tags: list[str], start: int, end: int) -> bool:
    """Whether a condition is stated negatively ("재고가 없는", "예고하지 아니하였을")."""
    count = sum(
        1
        for i in range(start, min(end + 1, len(forms)))
        if forms[i] in NEGATORS.get(tags[i], ())
        or (tags[i] == "VA" and forms[i] == "없")
        or (tags[i] == "MAG" and forms[i] == "없이")  # "아무 조작 없이 5분이 지나면"
        or _negating_ic(forms, tags, i)
    )
    return count % 2 == 1


def _condition_noun(forms: list[str], i: int) -> bool:
    """경우/때/시 closing a condition, not an argument ("경우를", "때가")."""
    after = _next(forms, i, 1)
    if forms[i] == "시":  # "개근 시 1일", not "9시" nor "시업시각"
        return i > 0 and not forms[i - 1][:1].isdigit() and after in ("에", "에는", ",", "")
    return after not in ("를", "을", "가", "이", "의", "와", "과", "도", "로")


def _next(forms: list[str], i: int, step: int) -> str:
    j = i + step
    return forms[j] if j < len(forms) else ""


def _narrowed_topic(forms: list[str], tags: list[str]) -> tuple[int, int] | None:
    """A topic phrase narrowed by a relative clause ("재고가 있는 품목은"): a restriction."""
    for i, tag in enumerate(tags):
        if tag == "JX" and i > 1 and forms[i] in ("은", "는", "도"):
            phrase = tags[:i]
            if "ETM" in phrase and "EF" not in phrase:
                return 0, i
            return None
        if tag == "EF":
            return None
    return None


def _governed(
    morphs: Sequence[Any], forms: list[str], tags: list[str], start: int, stop: int | None
) -> tuple[frozenset[str], frozenset[str]]:
    """The terms and the head of the claim a condition restricts: up to ``stop`` (the next
    condition), or to the end of the sentence when ``stop`` is None."""
    out: set[str] = set()
    end = start
    limit = len(morphs) if stop is None else stop
    for j in range(start, limit):
        end = j
        if tags[j] in ("EF", "SF") or forms[j] == "•":
            break
        if _is_content(morphs[j]):
            out.add(_term(morphs, j))
    else:
        end = limit
    stop = min(end + 1, len(morphs))
    head = _clause_head(morphs, forms, tags, start, stop) if stop > start else None
    return frozenset(out), frozenset({head[1]} if head else ())


def _roles(morphs: Sequence[Any], forms: list[str], tags: list[str]) -> dict[str, str]:
    """The relation marker after each participant: a role noun, a number or a clock time."""
    roles: dict[str, str] = {}
    for i in range(len(morphs)):
        if tags[i] not in ("NNG", "NNP", *_NUMERIC):
            continue
        term = _term(morphs, i)
        if tags[i] not in _NUMERIC and term not in ROLES:
            continue
        j = i + 1
        while j < len(morphs) and (
            tags[j] == "SSC" or (tags[j] in ("NNB", "SW") and tags[i] in _NUMERIC)
        ):  # “을”은: the closing quote stands between the party and its marker
            j += 1
        mark = forms[j] if j < len(morphs) else ""
        if mark in ("을", "를") and _next(forms, j, 1) == "거치":
            roles[term] = "via"
        elif mark in ROLE_MARK and tags[j].startswith("J"):
            roles[term] = ROLE_MARK[mark]
    return roles
