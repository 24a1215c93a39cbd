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

from dalin.answer.quantities import canonical_numbers
from dalin.ingest.structure import CIRCLED
from dalin.text.korean import has_korean, kiwi, latin_terms, normalize

# --- lexicon ---------------------------------------------------------------------------------

#: quantifier words by group; a sentence that adds a group its source lacks changes scope
SCOPE_WORDS: dict[str, frozenset[str]] = {
    "universal": frozenset(
        {
            "항상",
            "언제나",
            "늘",
            "언제든",
            "언제든지",
            "모든",
            "모두",
            "전부",
            "누구나",
            "누구든",
            "누구든지",
            "무조건",
            "관계없이",
            "상관없이",
            "예외없이",
            "어떤",
            "아무런",
            "항시",
            "매번",
            "always",
            "all",
            "every",
            "any",
            "regardless",
            "whatever",
            "whenever",
            "never",
        }
    ),
    "restrictive": frozenset(
        {"만", "뿐", "오직", "단지", "한하", "한정", "only", "solely", "exclusively"}
    ),
}
#: words that mean the same within a scope group only alongside a list ("A, B, C 모두")
LIST_SUMMARY = frozenset({"모두", "all", "both"})
#: opposite words: a sentence holding one where its source holds the other contradicts it
ANTONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(pair)
    for pair in (
        ("유급", "무급"),
        ("유상", "무상"),
        ("유료", "무료"),
        ("포함", "제외", "별도"),
        ("허용", "불허", "금지"),
        ("가능", "불가", "불가능"),
        ("이상", "미만"),
        ("초과", "이하"),
        ("필요", "불필요"),
        ("시내", "시외"),
        ("평일", "주말", "휴일"),
        ("included", "excluded"),
        ("free", "paid"),
        ("clockwise", "counter"),
    )
)
#: heads that say "cannot" or "must not" about their subject
NEGATIVE_HEADS = frozenset({"어렵", "곤란", "불가", "불가능", "금지", "불허", "불필요", "금하"})
#: heads that say "can" or "must" about their subject (they pass it their polarity too)
MODAL_HEADS = frozenset({"가능", "필요", "허용", "되"}) | NEGATIVE_HEADS
#: heads that say one thing in two words: the claim is the same
HEAD_SYNONYMS = {"들": "포함", "담기": "포함", "빠지": "제외", "빼": "제외", "동일": "같"}
#: modal heads that say nothing without their subject: the subject is the main claim
GENERIC_MODALS = frozenset({"가능", "불가", "불가능", "어렵", "곤란", "필요", "불필요", "되"})
#: verbs too light to be what a clause asserts: the noun before them is ("반품을 하다")
LIGHT = frozenset({"하", "되", "받", "주", "드리", "있", "시키", "이루", "두", "가", "오"})
_NEGATING_VX = frozenset({"않", "못", "말", "아니하", "못하"})
#: the morphemes that negate the head before them in a clause, by Kiwi tag
_NEGATORS: dict[str, frozenset[str]] = {
    "VX": _NEGATING_VX,
    "VCN": frozenset({"아니"}),
    "VA": frozenset({"없", "어렵"}),
    "MAG": frozenset({"안", "못", "아니"}),
}
_AUX_AFTER = {"지": _NEGATING_VX, "어": None, "아": None, "어야": None, "고": None, "게": None}
_CONTENT = frozenset({"NNG", "NNP", "XR", "SH", "SL", "VV", "VA", "NR", "SN", "W_SERIAL"})
_NUMERIC = frozenset({"SN", "W_SERIAL"})
_FOUR_SYLLABLES = re.compile(r"^[\uac00-\ud7a3]{4}$")
_CONDITION_EC = frozenset({"면", "으면", "려면", "으려면", "라면", "이면", "거든", "다면"})
_CONDITION_NOUNS = frozenset({"경우", "때", "시"})
#: what must happen before a claim holds: "직원과 합의하여", "승인을 받아"
_PRIOR_STEPS = frozenset({"합의", "동의", "승인", "허락", "협의"})
_TOPIC_MARKS = frozenset({"JX", "JKS"})
#: connective endings that close a claim ("…켜지고, 2초 이상 누르면 꺼집니다")
_CLAUSE_END = frozenset({"고", "며", "으며", "지만", "는데", "은데", "나", "으나"})
#: connective endings giving a reason: "…주문이라", "…1일이므로"
_REASON_EC = frozenset({"라", "이라", "므로", "으므로", "니까", "으니까", "니", "으니"})
_ROLE_MARK = {
    "을": "object",
    "를": "object",
    "에게": "to",
    "께": "to",
    "한테": "to",
    "에": "to",
    "부터": "from",
    "에서": "from",
    "로부터": "from",
    "까지": "until",
    "의": "of",
    "이": "subject",
    "가": "subject",
    "은": "subject",
    "는": "subject",
    "께서": "subject",
}
#: role classes: two members of one class in the same slot are a swap, not a paraphrase
ROLES = frozenset(
    {
        "임원",
        "부장",
        "차장",
        "과장",
        "대리",
        "주임",
        "사원",
        "대표이사",
        "대표",
        "이사",
        "부서장",
        "팀장",
        "직원",
        "수습직원",
        "경력직원",
        "위원장",
        "사무관",
        "차관",
        "장관",
        "갑",
        "을",
        "본인",
        "배우자",
        "자녀",
        "부모",
        "조부모",
        "외조부모",
        "형제자매",
        "고객",
        "거래처",
        "회사",
        "근로자",
        "신고자",
    }
)
#: what opens a paragraph or list item ("②", "제2항", "3.", "가.", "- "): layout, not content
_MARKER = re.compile(
    r"^\s*(?:[" + CIRCLED + r"]|제\d+항|\d{1,2}[.)]|[가-하][.)]|\(\d{1,2}\)|[-*•·※]|[AQ]\d*\.)\s*"
)
_EN_NEGATORS = frozenset({"not", "no", "never", "cannot", "without", "nor"})
_EN_CONDITIONS = frozenset({"if", "unless", "when", "whenever", "provided", "only"})
_EN_RELATIVE = frozenset({"that", "which", "who"})
_EN_AUX = re.compile(r"\b(\w+)n't\b", re.IGNORECASE)
_WORDLIKE = re.compile(r"[0-9A-Za-z\uac00-\ud7a3]")
_EN_WORD = re.compile(r"[A-Za-z]+|\d[\d,.]*")


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
    return _read_english(text)


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
    scope = _scope(forms, tags)
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
        listed=_listed(forms, tags),
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
        final = tags[end - 1] in ("EF", "SF") or forms[end - 1] in _CLAUSE_END
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
        if form == "지" and nxt[1] == "JX" and _next(forms, i, 2) in _NEGATING_VX:
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
    allowed = _AUX_AFTER.get(form, frozenset())
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


def _negations(forms: list[str], tags: list[str], head: int, end: int) -> int:
    """How many negators act on the head at ``head`` within its clause."""
    count = 0
    for i in range(head + 1, end):
        form, tag = forms[i], tags[i]
        if form in _NEGATORS.get(tag, ()):
            count += 1
    if head > 0 and tags[head - 1] == "MAG" and forms[head - 1] in ("안", "못"):
        count += 1
    return count


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
        if tag in _TOPIC_MARKS and i > 0:
            return frozenset(
                _term(morphs, j)
                for j in range(begin, i)
                if _is_content(morphs[j]) and tags[j] != "SN"
            )
        form = str(morphs[i].form)
        if tag == "EF" or (tag == "EC" and form in _CONDITION_EC | _CLAUSE_END | _REASON_EC):
            begin = i + 1
    return frozenset()


def _scope(forms: list[str], tags: list[str]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for form, tag in zip(forms, tags, strict=True):
        word = form
        if word == "만" and tag != "JX":
            continue
        for group, words in SCOPE_WORDS.items():
            if word in words:
                found.setdefault(group, set()).add(word)
    return {g: frozenset(w) for g, w in found.items()}


def _listed(forms: list[str], tags: list[str]) -> bool:
    """Whether "모두" sums up a list just before it ("국어, 영어, 수학 모두")."""
    for i, form in enumerate(forms):
        if form in LIST_SUMMARY:
            before = tags[max(0, i - 6) : i]
            return before.count("SP") + before.count("JC") >= 1
    return False


def _conditions(morphs: Sequence[Any], forms: list[str], tags: list[str]) -> tuple[Condition, ...]:
    """The restricting clauses of a sentence, each with the terms of what it restricts."""
    spans: list[tuple[int, int]] = []
    clause_start = 0
    for i, (form, tag) in enumerate(zip(forms, tags, strict=True)):
        if _closes_condition(forms, tags, i):
            spans.append((clause_start, i))
            clause_start = i + 1
        elif tag in ("EF", "SF") or (tag == "EC" and form in _CLAUSE_END):
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
            and forms[j] not in _CONDITION_NOUNS | LIGHT | {"대하", "따르", "관하"}
            and _WORDLIKE.search(term := _term(morphs, j))
        )
        if not terms:
            continue
        # what it restricts runs to the next condition (or the end: "…경우에는 미리 승인을
        # 받아야 하며, 1 km당 250원을 지급한다"); a narrowed topic restricts the whole rest
        stop = next((s for s in starts if s > end), len(morphs)) if kind == "clause" else None
        governs, heads = _governed(morphs, forms, tags, end + 1, stop)
        out.append(Condition(terms, governs, heads, kind, _negated(forms, tags, start, end)))
    return tuple(out)


def _closes_condition(forms: list[str], tags: list[str], i: int) -> bool:
    """Whether morpheme ``i`` ends a condition: "-면", "경우(에는)", "때", "개근 시", "에
    한하여", "에 대하여는", and "합의하여" / "승인을 받아" (what must happen first)."""
    form, tag = forms[i], tags[i]
    if tag == "EC" and form in _CONDITION_EC:
        return not _prohibition(forms, tags, i + 1)
    if form in _CONDITION_NOUNS and tag in ("NNG", "NNB"):
        return _condition_noun(forms, i)
    if form in ("한하", "한정"):
        return True
    if form == "대하":
        return _next(forms, i, 2) in ("는", "은")
    if tag == "EC" and form in ("어", "아", "여", "하여") and i > 0:
        before = [forms[j] for j in range(max(0, i - 3), i)]
        return bool(_PRIOR_STEPS & set(before)) and _next(forms, i, 1) not in ("야",)
    return False


def _negated(forms: list[str], tags: list[str], start: int, end: int) -> bool:
    """Whether a condition is stated negatively ("재고가 없는", "예고하지 아니하였을")."""
    count = sum(
        1
        for i in range(start, min(end + 1, len(forms)))
        if forms[i] in _NEGATORS.get(tags[i], ()) or (tags[i] == "VA" and forms[i] == "없")
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
        while j < len(morphs) and tags[j] in ("NNB", "SSC", "SW") and tags[i] in _NUMERIC:
            j += 1
        mark = forms[j] if j < len(morphs) else ""
        if mark in ("을", "를") and _next(forms, j, 1) == "거치":
            roles[term] = "via"
        elif mark in _ROLE_MARK and tags[j].startswith("J"):
            roles[term] = _ROLE_MARK[mark]
    return roles


# --- English ---------------------------------------------------------------------------------


def _read_english(text: str) -> Reading:
    words = [w.lower() for w in _EN_WORD.findall(_EN_AUX.sub(r"\1 not", text))]
    content = frozenset(t.token for t in latin_terms(text))
    negated = sum(1 for w in words if w in _EN_NEGATORS) % 2 == 1
    scope: dict[str, frozenset[str]] = {}
    for group, members in SCOPE_WORDS.items():
        present = frozenset(w for w in words if w in members)
        if present:
            scope[group] = present
    main_word = next((t for t in reversed(latin_terms(text)) if t.kind == "latin"), None)
    conditions = _english_conditions(text)
    return Reading(
        text=text,
        terms=content,
        heads={main_word.token: negated} if main_word else {},
        main=(main_word.token, negated) if main_word else None,
        scope=scope,
        conditions=conditions,
        question=text.rstrip().endswith("?"),
        listed="both" in words,
    )


def _english_conditions(text: str) -> tuple[Condition, ...]:
    """ "if …", "unless …", "when …" clauses and a "that …" clause narrowing the subject."""
    out = []
    lowered = text.lower()
    for match in re.finditer(r"\b(if|unless|when|provided|only)\b([^,.;:]*)", lowered):
        terms = frozenset(t.token for t in latin_terms(match.group(2)))
        before = frozenset(t.token for t in latin_terms(lowered[: match.start()]))
        if terms:
            out.append(Condition(terms, before))
    relative = re.match(
        r"^\s*\w+(?:\s+\w+)?\s+(?:that|which|who)\b(.*?)\b(?:are|is|were|was)\b", lowered
    )
    if relative is not None:
        terms = frozenset(t.token for t in latin_terms(relative.group(1)))
        rest = frozenset(t.token for t in latin_terms(lowered[relative.end() :]))
        if terms:
            out.append(Condition(terms, rest))
    return tuple(out)
