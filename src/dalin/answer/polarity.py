"""Yes or no from the sentence that rules on it: permissions, prohibitions, exclusions.

"대기업도 입찰에 참여할 수 있나요?" is answered by "대기업 … 사업자는 본 입찰에 참여할 수
없으며": the clause that speaks about what was asked decides, by its own marker (``수 없``,
``하지 않는다``, ``금지``, ``불허`` for no; ``가능``, ``수 있``, ``허용`` for yes). A sentence that
states the act without either marker ("점등한 후 경기를 속행한다") affirms it. An exception in
the same sentence or the next one (``단,``, ``다만``, ``~를 제외하고``, ``~에 한하여``) is
quoted with the answer, since a bare 예 or 아니요 would hide it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_NEGATIVE = re.compile(
    r"수\s*없|하?지\s*(?:않|아니|못)|않(?:는|음|으며|습니다|았|고|도록|을)|금지|불가|불허|불인정"
    r"|안\s*(?:된다|됨|되며|돼|되고)|해서는\s*안|서는\s*안|없(?:다|음|으며|습니다|고|어)|아니(?:다|며|함|에요)|아님|아닙니다"
    r"|어렵(?:습니다|다|음)"
    # a status written as a 미- noun, ending its cell or clause: "코드 근거 미확인 |",
    # "notesSlide 처리 미검출" (not "README 미기재 CLI 옵션", which names options)
    r"|(?<![가-힣])미(?:확인|검출|구현|지원|적용|반영|기재|제공|포함|완료|충족|달성|제출|해당|공개)"
    r"(?=\s*(?:[|)\]|,.;]|$|상태|이다|입니다|임|됨|으로))"
    r"|\bnot\b|\bno\s+\w+|prohibited|forbidden|cannot|can't|never|won't|isn't|aren't",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"(?<!불)가능|수\s*있|허용|허가|\bmay\b|\bcan\b|allowed|permitted|eligible",
    re.IGNORECASE,
)
_EXCEPTION = re.compile(
    r"^\s*(?:단|다만)\s*[,，]|(?:경우|때)를?\s*제외하고|에\s*한(?:하여|해|함)|경우에만|한하여"
    r"|\bunless\b|\bexcept\b|provided that",
    re.IGNORECASE,
)
#: where one clause of a sentence ends: a comma that is not inside a list of quoted or
#: bracketed items ("‘다케시마’, ‘리앙쿠르트 암초’ 등"), a connective or concessive ending
#: ("…없으며 …", "…참석하지 않는다 하더라도 …", "…어렵긴 합니다마는 …"),
#: a sentence end, or a bullet that opens the next note ("… ○ …", "… ※ …")
CLAUSE = re.compile(
    r"(?<![’”』」)\]])[,，;]\s*|(?<=며)\s+|(?<=더라도)\s+|(?<=지만|마는)\s+|(?<=[.。])\s+"
    r"|\s+(?=[○※ㅇ●•▪]\s)|\s-\s"
)

YES = {"ko": "예", "en": "Yes"}
NO = {"ko": "아니요", "en": "No"}


@dataclass(frozen=True)
class Ruling:
    """What a sentence says about the thing asked."""

    yes: bool
    #: the clause that decided it
    clause: str


def rule(sentence: str, relevance: Callable[[str], float]) -> Ruling:
    """Yes or no by the clause of ``sentence`` most about the question (``relevance`` scores
    a clause) among those with a marker; no marker at all affirms."""
    clauses = [c for c in CLAUSE.split(sentence) if c.strip()] or [sentence]
    marked = [
        (relevance(c), i, c)
        for i, c in enumerate(clauses)
        if _NEGATIVE.search(c) or _POSITIVE.search(c)
    ]
    if not marked:
        return Ruling(True, _most_about(sentence, clauses, relevance))
    _, _, clause = max(marked)  # most relevant; the later clause on a tie (Korean rules last)
    stated = _stated_field(sentence, relevance)
    if stated is not None:
        return Ruling(True, stated)
    return Ruling(_polarity(clause), clause.strip())


#: how long an unmarked sentence must be for the clause most about the question to be quoted
#: with 예: a long cell's evidence is cut short where the answer shows it
_LONG_SENTENCE = 300


def _most_about(sentence: str, clauses: Sequence[str], relevance: Callable[[str], float]) -> str:
    """The clause of a long sentence with no marker most about the question, which affirms
    it ("… ○ 붙임파일(HWP, HWPX) 내 관인 날인 기능 API 제공 ○ …" for "관인을 찍는 기능도
    API로 제공해야 하나요?"); the whole sentence when short or no clause is about it."""
    if len(sentence) < _LONG_SENTENCE or len(clauses) < 2:
        return sentence
    whole: list[str] = []
    for clause in clauses:  # "(HWP, HWPX)" is one clause's words, not two clauses
        if whole and whole[-1].count("(") > whole[-1].count(")"):
            whole[-1] = f"{whole[-1]}, {clause}"
        else:
            whole.append(clause)
    score, _, clause = max((relevance(c), -i, c) for i, c in enumerate(whole))
    return clause.strip() if score > 0 else sentence


#: a field whose value is the state of the row's thing: "구현 상태: 미지원", "판단: 진행 중"
_STATE_FIELD = re.compile(r"상태|여부|판단|결과|status", re.IGNORECASE)


def _stated_field(row: str, relevance: Callable[[str], float]) -> str | None:
    """The field of a table row that states what is asked, when the row's marked fields
    write none of it: "설명: PDF/UA-1 … 출력(--tagged 함의)" answers "--pdf-ua만 주면
    --tagged도 적용되나요?", not "README 문서화: 미기재". It must write more than the
    field naming the row (two fields write the question's words), and no marked field may
    state the row's state ("구현 상태: 미지원" rules on all of it)."""
    fields = row.split(" | ")
    if len(fields) < 2:
        return None
    if any(relevance(f) > 0 for f in fields if _NEGATIVE.search(f) or _POSITIVE.search(f)):
        return None  # a marked field writes what is asked, and rules on it
    if any(
        _STATE_FIELD.search(label) and (_NEGATIVE.search(value) or _POSITIVE.search(value))
        for label, _, value in (f.partition(": ") for f in fields)
    ):
        return None
    relevant = [(relevance(f), f) for f in fields if relevance(f) > 0]
    if len(relevant) < 2:
        return None
    field = max(relevant, key=lambda pair: pair[0])[1]
    if _NEGATIVE.search(field) or _POSITIVE.search(field):
        return None
    return field.strip()


#: a negation that ends in a noun's modifier: "기존에는 고려되지 않았던 추론 속도까지
#: 반영한다" says what the speed was, and affirms; "할 수 없는 자" keeps its 수 없
_MODIFYING = re.compile(
    r"지\s*(?:않|못)(?:았|었|했)?(?:던|은|는|한)\s+(?=[가-힣A-Za-z])"
    r"|(?<!수\s)(?<!수)없(?:던|었던)\s+(?=[가-힣A-Za-z])"
)


def _polarity(clause: str) -> bool:
    """A clause's last marker decides: "제외하고 … 할 수 없다" is no. A negation that only
    describes a noun ("고려되지 않았던 추론 속도") is no marker."""
    modifying = [(m.start(), m.end()) for m in _MODIFYING.finditer(clause)]
    negative = [
        m.end()
        for m in _NEGATIVE.finditer(clause)
        if not any(m.start() < end and start < m.end() for start, end in modifying)
    ]
    positive = [m.end() for m in _POSITIVE.finditer(clause)]
    if not negative:
        return True
    if not positive:
        return False
    return max(positive) > max(negative)


def is_exception(sentence: str) -> bool:
    """Whether ``sentence`` states an exception or a condition on a rule."""
    return _EXCEPTION.search(sentence) is not None


def has_ruling(sentence: str) -> bool:
    """Whether ``sentence`` permits or forbids anything."""
    return bool(_NEGATIVE.search(sentence) or _POSITIVE.search(sentence))


def exception_after(sentences: Sequence[str], index: int) -> int | None:
    """The index of the sentence right after ``index`` when it opens with 단/다만."""
    following = index + 1
    if following < len(sentences) and re.match(r"^\s*(?:단|다만)\s*[,，]?", sentences[following]):
        return following
    return None


#: a condition on a thing: "조명시설이 있는", "조명시설이 없는"
_CONDITION = re.compile(r"([가-힣A-Za-z]+?)(?:이|가)?\s*(있는|없는)")
_OPPOSITE = {"있는": "없는", "없는": "있는"}


def other_case(question: str, sentence: str) -> bool:
    """Whether ``sentence`` rules on the opposite case of a condition the question states
    ("조명시설이 없는 구장" for "조명시설이 있는 구장에서는 …?") and not on the case asked."""
    asked = set(_CONDITION.findall(question))
    stated = set(_CONDITION.findall(sentence))
    return any((noun, _OPPOSITE[has]) in stated and (noun, has) not in stated
               for noun, has in asked)  # fmt: skip
