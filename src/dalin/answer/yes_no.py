"""Yes/no candidates: the sentence most about the question, and the ruling it makes.

A sentence that rules (permits, forbids) beats one that only names the topic, a heading
never rules; :mod:`dalin.answer.polarity` reads which way it rules.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import time
from decimal import Decimal
from functools import lru_cache
from typing import TypeVar

from dalin.answer.acts import asks_said
from dalin.answer.asked import states_other_filter
from dalin.answer.candidates import is_title
from dalin.answer.evidence import Unit, document_words
from dalin.answer.intent import EACH, Asked
from dalin.answer.named_clauses import other_name_verdict
from dalin.answer.plain_words import formal_words
from dalin.answer.polarity import (
    CLAUSE,
    NO,
    YES,
    exception_after,
    has_ruling,
    is_exception,
    other_case,
    rule,
)
from dalin.answer.quantities import NATIVE_NUMBERS, ORDINALS
from dalin.answer.reader_question import (
    QUOTED,
    Candidate,
    Evidence,
    Reading,
    Sources,
    any_spacing,
    passage_evidence,
    quoted_words,
    share_of,
    unit_evidence,
)
from dalin.answer.tables import ITEM_NUMBER, squash
from dalin.answer.values import ValueKind, base_amount, find_values, listed_run
from dalin.text.korean import has_korean, kiwi, tokenize


def ruling_lead(reading: Reading, sentence: str) -> str:
    """예 or 아니요, with the clause that decided it when the sentence has more than one."""
    language = reading.language
    excluded = excluded_clause(reading.question, sentence)
    if excluded is not None:
        return _said(False, excluded, language)
    marked = (
        marked_verdict(reading.question, sentence)
        or status_verdict(reading.question, sentence)
        or format_verdict(reading.question, sentence)
        or option_verdict(reading.question, sentence)
        or none_verdict(reading.question, sentence)
        or zero_charge_verdict(reading.question, sentence)
        or half_day_verdict(reading.question, sentence)
        or superlative_verdict(reading.question, sentence)
        or version_verdict(reading.question, sentence)
        or side_verdict(reading.question, sentence)
        or ordinal_verdict(reading.question, sentence)
        or direction_verdict(reading.question, sentence)
        or other_name_verdict(reading.question, sentence)
        or same_day_verdict(reading.question, sentence)
        or order_verdict(reading.question, sentence)
        or only_when_verdict(reading.question, sentence)
        or unit_verdict(reading.question, sentence)
        or listed_verdict(reading.question, sentence)
    )
    if marked is not None:
        return _said(*marked, language)
    unneeded = done_without(reading, sentence)
    if unneeded is not None:
        return _said(False, unneeded, language)
    for refusing in _REFUSING:
        refused = refusing(reading.question, sentence)
        if refused is not None:
            return _said(False, _unmarked(refused), language)
    contrary = in_fact(reading.question, sentence) or opposite_quality_verdict(
        reading.question, sentence
    )
    if contrary is not None:
        return _said(*contrary, language)
    if asks_said(reading.question):
        return _said_so(reading, sentence)
    ruling = rule(sentence, lambda clause: share_of(reading, set(tokenize(clause))))
    yes = ruling.yes != states_opposite(reading.question, sentence)
    if ruling.clause == sentence:
        return (YES if yes else NO)[language]
    return _said(yes, _unmarked(ruling.clause), language)


def _said_so(reading: Reading, sentence: str) -> str:
    """예, with the clause most about what the question asks was said: "… 국민 불안을
    언급했나요?" over "… 체크할 수 있게 법률을 제안했는데, 후쿠시마 오염수 이래 국민들의
    불안이 지금 잠재해 있거든요" is said by its last clause, whatever the first rules on."""
    clauses = [c for c in CLAUSE.split(sentence) if c.strip()] or [sentence]
    scored = [(share_of(reading, set(tokenize(c))), i, c) for i, c in enumerate(clauses)]
    clause = max(scored)[2].strip()
    if clause == sentence.strip():
        return YES[reading.language]
    return _said(True, _unmarked(clause), reading.language)


def _said(yes: bool, clause: str, language: str) -> str:
    """The verdict word and the clause that decided it: "아니요 — 1일 내에 신고해야 한다"."""
    return f"{(YES if yes else NO)[language]} — {clause}"


def _unmarked(clause: str) -> str:
    """A clause without the list marker it opens with ("- ", "○ ", "1) ")."""
    return re.sub(r"^\s*(?:[-–•·ㅇ○□■※*]|\d{1,2}[.)])\s*", "", clause).strip()


#: Korean native numbers before a counter, up to ten: "세 종류", "두 명"
_CARDINALS = {word: n for word, n in NATIVE_NUMBERS.items() if n <= 10}
_COUNTERS = (
    r"자리|명|개월|개|일|시간|분|초|년|주일|주|세|살|회|장|쪽|자|글자|페이지|종류|종|가지"
    r"|MB|GB|km|kg|%"
)
#: counters that count the same thing: "세 종류" against "5종 이상"
_SAME_COUNTER = {"종류": "종", "가지": "종"}
#: spans of time a question names in words: "일주일 안에만 신고하면 되나요?"
_SPANS = {"하루": (1, "일"), "이틀": (2, "일"), "사흘": (3, "일"), "나흘": (4, "일"),
          "닷새": (5, "일"), "일주일": (7, "일"), "열흘": (10, "일"), "보름": (15, "일"),
          "한달": (1, "개월"), "한 달": (1, "개월")}  # fmt: skip
#: the number a question proposes: "넷째 자리까지", "3명이", "20자로", "일주일 안에"
_PROPOSED = re.compile(
    rf"(\d+(?:\.\d+)?|{'|'.join(ORDINALS)}|(?<![가-힣])(?:{'|'.join(_CARDINALS)})(?=\s))"
    rf"\s*(?:째\s*)?({_COUNTERS})|({'|'.join(_SPANS)})"
)
#: a bound a document sets: "6자리 이상", "10자리 이하", "5명 미만", "1일 내에"
_BOUND = re.compile(
    rf"(\d+(?:\.\d+)?)\s*({_COUNTERS})\s*(이상|이하|초과|미만|이내|(?:내|안)(?=에|\s|,|$))"
)
#: counters of one measure, in a common unit: a week is 7 days, an hour 60 minutes
_IN_DAYS = {"일": 1.0, "주": 7.0, "주일": 7.0, "개월": 30.0, "년": 365.0}
_IN_MINUTES = {"초": 1 / 60, "분": 1.0, "시간": 60.0}


def _measured(value: float, counter: str) -> tuple[float, str]:
    """``value`` in ``counter`` as an amount of one measure: (days, "일"), (minutes, "분"),
    or as it stands."""
    for scale, unit in ((_IN_DAYS, "일"), (_IN_MINUTES, "분")):
        if counter in scale:
            return value * scale[counter], unit
    return value, _SAME_COUNTER.get(counter, counter)


def _number_word(raw: str) -> float:
    """The number a question writes in digits, an ordinal ("넷째") or a native word ("세")."""
    return float(ORDINALS.get(raw) or _CARDINALS.get(raw) or raw)


def out_of_bounds(question: str, sentence: str) -> str | None:
    """The part of ``sentence`` setting a bound that the number a yes/no question proposes
    breaks: "위도 값을 소수점 넷째 자리까지만 적어도 되나요?" is answered 아니요 by "소수점이하
    6자리 이상 10자리 이하 허용", "일주일 안에만 신고하면 되나요?" by "1일 내에 신고해야
    한다". None when the question proposes no number or it is within every bound written in
    the same measure."""
    return next((part for part, broken in _bounds(question, sentence) if broken), None)


def bounds_proposal(question: str, sentence: str) -> bool:
    """Whether ``sentence`` sets a bound in the measure of the number the question proposes,
    kept or broken: it rules on what is asked."""
    return any(True for _ in _bounds(question, sentence))


def _bounds(question: str, sentence: str) -> Iterator[tuple[str, bool]]:
    """(the part of ``sentence`` setting a bound, whether the proposed number breaks it) for
    every bound in the measure of the number ``question`` proposes."""
    yield from _frequency_bounds(question, sentence)
    proposed = _PROPOSED.search(question)
    if proposed is None:
        return
    raw, counter, span = proposed.groups()
    number, counter = _SPANS[span] if span else (float(_number_word(raw)), counter)
    value, measure = _measured(float(number), counter)
    for part in re.split(r"\s\|\s|\n", sentence):
        for bound in _BOUND.finditer(part):
            limit, unit = _measured(float(bound.group(1)), bound.group(2))
            if unit != measure:
                continue
            broken = {"이상": value < limit, "초과": value <= limit,
                      "미만": value >= limit}.get(bound.group(3), value > limit)  # fmt: skip
            said = part.partition(": ")[2].strip() or part.strip()
            # a long cell of notes is quoted by the note setting the bound
            yield _clause_of(part, bound.start()) if len(said) > _LONG_CELL else said, broken


#: past this many characters a cell is quoted by its note, not whole
_LONG_CELL = 200


#: how many times a period holds a year: "분기에 한 번" is 4 times a year ("일주일에 한 번",
#: "1주일에" weekly)
_PER_YEAR = {"연": 1, "년": 1, "매년": 1, "반기": 2, "분기": 4, "월": 12, "매월": 12, "달": 12,
             "주": 52, "매주": 52, "일주일": 52, "주일": 52, "일": 365, "매일": 365,
             "하루": 365}  # fmt: skip
_TIMES = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "하나": 1}
#: how often something is done: "월 1회", "분기에 한 번", "1년에 두 차례", "매주 2회", and
#: how many of a thing are done in a period: "일주일에 하나의 모델을"
_PERIODS = "|".join(sorted(_PER_YEAR, key=len, reverse=True))
_FREQUENCY = re.compile(
    rf"(?<![가-힣])(?:1\s*)?({_PERIODS})\s*(?:에|마다|당)?\s*"
    rf"(\d+|{'|'.join(sorted(_TIMES, key=len, reverse=True))})\s*(?:회|번|차례|개|건|의)"
    r"\s*(이상|이하|초과|미만)?"
)
#: once every period, in one word: "매일 제출할 수 있나요?"
_EVERY_PERIOD = re.compile(r"(?<![가-힣])(매일|매주|매월|매년)(?![가-힣])")
#: a count in a period a rule caps in words: "일주일에 하나의 모델을 제출하는 것으로 제한"
_CAPPED = re.compile(r"^[^.,;]{0,30}?(?:으로|로)\s*제한")


def _frequency_bounds(question: str, sentence: str) -> Iterator[tuple[str, bool]]:
    """Bounds on how often a thing is done, against the frequency a question proposes:
    "분기에 한 번만 점검해도 되나요?" breaks "접속기록은 월 1회이상 점검", "매일 제출할 수
    있나요?" breaks "일주일에 하나의 모델을 제출하는 것으로 제한합니다"."""
    proposed = _FREQUENCY.search(question)
    every = _EVERY_PERIOD.search(question)
    if proposed is not None:
        asked = _per_year(proposed)
    elif every is not None:
        asked = float(_PER_YEAR[every[1]])  # "매일": once a day
    else:
        return
    for part in re.split(r"\s\|\s|\n", sentence):
        for bound in _FREQUENCY.finditer(part):
            limit, how = _per_year(bound), bound.group(3)
            if how is None and _CAPPED.search(part[bound.end() :]):
                how = "이하"  # "일주일에 하나의 모델을 제출하는 것으로 제한합니다"
            if how is None:
                continue  # "연 2회 실시" states what is done, it sets no bound
            broken = {"이상": asked < limit, "초과": asked <= limit,
                      "미만": asked >= limit}.get(how, asked > limit)  # fmt: skip
            yield _clause_of(part, bound.start()), broken


#: where a note within a cell begins: "… 보관 o 접속기록은 …", "…, 다만"
_NOTE_START = re.compile(r"\s+[o○※ㅇ●•▪-]\s+|[,;]\s+|^[^:|]{1,30}:\s")


def _clause_of(part: str, at: int) -> str:
    """The note or clause of ``part`` holding offset ``at``: "접속기록은 월 1회이상 점검"."""
    starts = [m.end() for m in _NOTE_START.finditer(part) if m.end() <= at]
    ends = [m.start() for m in _NOTE_START.finditer(part) if m.start() > at]
    return part[max(starts, default=0) : min(ends, default=len(part))].strip()


def _per_year(found: re.Match[str]) -> float:
    times = found.group(2)
    return _PER_YEAR[found.group(1)] * float(_TIMES.get(times) or times)


#: a question asking whether doing something will do: "… 비워 두면 되나요?"
_WILL_DO = re.compile(r"면\s*(?:되|돼)[가-힣]*\s*[?？]?\s*$|괜찮")
#: a case and what to do in it: "… 도시/광역철도역이 없는 경우 0 입력"
_IN_CASE = re.compile(
    r"([^*|.;:\n]{2,80}?)\s*(?:경우|때)(?:에는|에|는)?\s*"
    r"([^*|.;:\n]{0,30}?(?:입력|기재|작성|표기|제출|선택|표시|적용))"
)
#: the least words of the question the case must write
_CASE_WORDS = 2


def prescribed_otherwise(question: str, sentence: str) -> str | None:
    """The instruction ``sentence`` gives for the case a question asks about, when it is
    another act than the one the question proposes: "도시철도역이 없는 환승센터는 … 칸을
    비워 두면 되나요?" is answered 아니요 by "…도시/광역철도역이 없는 경우 0 입력". None
    when the question proposes nothing, no case matches it, or it proposes that very act."""
    if _WILL_DO.search(question) is None:
        return None
    asked = set(tokenize(question))
    best: tuple[int, re.Match[str]] | None = None
    for match in _IN_CASE.finditer(sentence):
        shared = len(asked & set(tokenize(match.group(1))))
        if shared >= _CASE_WORDS and (best is None or shared > best[0]):
            best = (shared, match)
    if best is None or asked & set(tokenize(best[1].group(2))):
        return None  # no case asked about, or the question proposes the very act
    return best[1].group().strip()


#: a clause limiting what it allows: "유니폼 내 착용하는 형태에 한하여", "금요일에 한해",
#: "서면으로만"
_LIMITED = re.compile(
    r"([^,.;:|\n]{2,40}?)\s*(?:에|인\s*경우에|경우에)?\s*한(?:하여|해|함|한다|하며)"
)
#: words and their opposites: a question proposing the opposite of the limit is refused
_OPPOSITES = {"내": ("겉", "밖", "외부", "바깥"), "안": ("겉", "밖", "외부", "바깥"),
              "겉": ("안", "속"), "실내": ("실외", "야외"), "실외": ("실내",),
              "국내": ("해외", "국외"), "해외": ("국내",), "오전": ("오후",), "오후": ("오전",),
              "평일": ("주말", "토요일", "일요일", "공휴일"), "주말": ("평일",),
              "서면": ("구두", "전화", "말로"), "사전": ("사후",), "사후": ("사전",)}  # fmt: skip


#: a way something is done instead of another: "검토보고는 서면으로 대체하겠습니다"
_REPLACED = re.compile(r"(?:(?<=\s)|^)([^,.;:|\n]{1,20}?)\s*(?:으로|로)\s*(?:대체|갈음)")


def limited_otherwise(question: str, sentence: str) -> str | None:
    """The limit ``sentence`` sets when the question proposes its opposite: "유니폼 겉에
    차고 뛰어도 되나요?" is refused by "유니폼 내 착용하는 형태에 한하여 … 착용 가능", "검토보고를
    … 말로 했나요?" by "검토보고는 서면으로 대체하겠습니다". None when no limit names a
    word whose opposite the question writes (and not the word)."""
    asked = set(tokenize(question)) | set(question.split())
    for match in itertools.chain(_LIMITED.finditer(sentence), _REPLACED.finditer(sentence)):
        words = set(match.group(1).split()) | set(tokenize(match.group(1)))
        for word in words & _OPPOSITES.keys():
            if word not in asked and any(o in asked for o in _OPPOSITES[word]):
                return sentence[match.start() :].strip()
    return None


#: a clause ending in what was taken out: "… 짧은 문단과 … 부분들은 제거하였다"
_REMOVED = re.compile(
    r"([^.;\n]{4,200}?)\s*(?:을|를|은|는|이|가)?\s*(?:(?:모두\s*)?"
    r"(?:제거|삭제|배제|걸러\s*내|빼)(?:하였|했|되었|됐|한다|된다|함|됨|하고|되어|냈|낸다)"
    # or is to be left out: "비고: wasm32 빌드에서는 제외 필요", "… 제외해야 한다"
    r"|제외\s*(?:필요|해야|하여야|할\s*것))[가-힣]*"
)
#: a question that itself asks after taking out: "… 제거했나요?"
_ASKS_REMOVAL = re.compile(r"제거|삭제|배제|제외|걸러|빼|없애|없앴|지우|지웠|지워")
#: the least words of the question the clause taken out must write
_REMOVED_WORDS = 3


def removed_clause(question: str, sentence: str) -> str | None:
    """The clause of ``sentence`` that takes out what a question asks was kept or used:
    "90단어 이하인 아주 짧은 문단도 작업자에게 보여줬나요?" is answered 아니요 by "…90단어
    이하로 매우 짧은 문단과 … 부분들은 제거하였다". None when the question asks after the
    removal itself, or the clause does not write enough of the question."""
    if _ASKS_REMOVAL.search(question):
        return None
    asked = set(tokenize(question))
    for match in _REMOVED.finditer(sentence):
        if len(asked & set(tokenize(match.group(1)))) >= _REMOVED_WORDS:
            return match.group().rpartition(" | ")[2].strip()  # a row's cell that says so
    return None


#: a question whether something was taken out: "… 속성까지 모두 지웠나요?"
_REMOVAL_ASKED = re.compile(r"(?:지우|지웠|지워|제거|삭제|없애|없앴)[가-힣]*\s*[?？]?\s*$")
#: what a removal left in: "colspan, rowspan을 제외한 모든 attribute를 제거하였다"
_LEFT_IN = re.compile(
    r"([^.;:()\n]{1,60}?)\s*(?:을|를)?\s*제외(?:한|하고)\s*[^.;\n]{0,60}?"
    r"(?:제거|삭제|지우|지웠|없앴)[가-힣]*"
)


def kept_from_removal(question: str, sentence: str) -> str | None:
    """The clause leaving out of a removal what the question asks was removed: "표의
    colspan·rowspan 속성까지 모두 지웠나요?" is answered 아니요 by "colspan, rowspan을 제외한
    모든 attribute를 제거하였다". None unless the question asks a removal and the clause
    left in writes a word of it."""
    if not _REMOVAL_ASKED.search(question):
        return None
    asked = {w for w in tokenize(question) if len(w) >= 2}
    for match in _LEFT_IN.finditer(sentence):
        if asked & set(tokenize(match.group(1))):
            return match.group().strip()
    return None


#: a question asking leave: "… 정해 둬도 괜찮나요?", "… 해도 되나요?"
_ASKS_LEAVE = re.compile(r"괜찮|(?:해|둬|써|가|와)도\s*(?:되|돼)|허용|허락")
#: a cell listing what is forbidden or punished: "위규사항: 1. …", "금지행위: …"
_OFFENCES = re.compile(
    r"(?:위규|위반|금지|불허|제재|징계|벌칙)\s*(?:사항|행위|사유|대상|내용)?\s*:\s*"
)
#: where an item of such a list begins: "1. ", "가. ", "라. " (also run on: "방치나. ")
_ITEM = re.compile(r"(?:(?<=\s)|(?<=^))\d{1,2}\.\s|[가-하]\.\s")
#: the least words of the question an offence listed must write to be the act asked
_OFFENCE_WORDS = 2


def listed_offence(question: str, sentence: str) -> str | None:
    """The item of a list of offences that is the act a question asks leave for ("PC 화면보호
    비밀번호를 '1111' 같은 단순한 숫자로 정해 둬도 괜찮나요?" and "위규사항: … 라. 부팅ㆍ
    화면보호 패스워드 미부여 또는 "1111" 등 단순숫자 부여"), or None: listed as a violation,
    it is not allowed."""
    if _ASKS_LEAVE.search(question) is None:
        return None
    asked = set(tokenize(question))
    best: tuple[int, str] | None = None
    for item in _offences(sentence):
        shared = len(asked & set(tokenize(item)))
        if shared >= _OFFENCE_WORDS and (best is None or shared > best[0]):
            best = (shared, item)
    return best[1] if best else None


def _offences(sentence: str) -> Iterator[str]:
    """The items of every list of offences ``sentence`` holds ("위규사항: 1. … 가. …")."""
    for part in re.split(r"\s\|\s|\n", sentence):
        listed = _OFFENCES.search(part)
        if listed is None:
            continue
        body = part[listed.end() :]
        starts = [0, *(m.start() for m in _ITEM.finditer(body)), len(body)]
        for a, b in itertools.pairwise(starts):
            yield _ITEM.sub("", body[a:b], count=1).strip(" .…")


#: a grade a question quotes for an act: "… 퇴근하면 '보통' 수준 위규로 처리되나요?"
_GRADE_ASKED = re.compile(r"['‘\"“]([가-힣A-Za-z]{1,6})['’\"”]\s*(?:수준|등급|단계|급)")
#: a question asking an act's grade: "… 걸리면 어느 수준 위규로 분류돼요?"
_GRADE_WHICH = re.compile(r"(?:어느|어떤|무슨)\s*(?:수준|등급|단계)")
#: the least words of the question the offence must write to be the act asked
_GRADED_WORDS = 3


def graded_offence(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """예 or 아니요 for "X면 '보통' 수준 위규인가요?" over a table grading offences: the row
    whose list holds the act asked most surely ("통제구역 출입문을 개방한 채 퇴근 등" under
    구분 중대) is graded as quoted or not. None when the question quotes no grade, no row is
    graded so, or two grades hold the act alike."""
    quoted = _GRADE_ASKED.search(reading.question)
    if quoted is None:
        return None
    found = _graded_item(reading.question, units, quoted.group(1))
    grade = squash(quoted.group(1))
    if found is None or grade not in found[0]:
        return None
    _, graded, item, unit = found
    lead = _said(graded == grade, f"{graded}: {item}", reading.language)
    return Candidate(2.0, lead, unit_evidence(unit))


def offence_grade(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """The grade of the row whose list of offences holds the act asked most surely, for
    "… 걸리면 어느 수준 위규로 분류돼요?"; None as for :func:`graded_offence`."""
    if not _GRADE_WHICH.search(reading.question):
        return None
    found = _graded_item(reading.question, units, "")
    if found is None:
        return None
    _, graded, item, unit = found
    return Candidate(2.0, f"{graded}: {item}", unit_evidence(unit))


def _graded_item(
    question: str, units: Sequence[tuple[Unit, float, int]], quoted: str
) -> tuple[set[str], str, str, Unit] | None:
    """(every grade, the grade, the item, its row) of the offence item sharing the most words
    with ``question`` (not counting the grade it quotes), over rows whose first cell grades a
    list of offences; None when it shares too few or two grades hold it alike."""
    asked = set(tokenize(question)) - set(tokenize(quoted))
    found: list[tuple[int, str, str, Unit]] = []
    for unit, _, _ in units:
        if unit.kind != "row":
            continue
        first = squash(unit.display.split(" | ")[0].partition(": ")[2])
        for item in _offences(unit.display):
            found.append((len(asked & set(tokenize(item))), first, item, unit))
    most = max((f[0] for f in found), default=0)
    best = [f for f in found if f[0] == most]
    if most < _GRADED_WORDS or len({f[1] for f in best}) != 1:
        return None
    return {f[1] for f in found}, best[0][1], best[0][2], best[0][3]


#: a measure a yes/no question proposes, in a unit of length, weight, size or share: "종이
#: 왼쪽에서 5mm 떨어진 곳에 놓여 있나요?"
_MEASURE = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(mm|cm|km|kg|MB|GB|KB|pt|px|%|인치)(?![A-Za-z])"
    # an amount given roughly, in any counter: "500여 년 전", "30여 명", "100여 개"
    r"|(?<![\d.,])(\d[\d,]*)\s*여\s*(년|명|개월|개|곳|건|회|일|시간|종|가지|권)(?![가-힣])",
    re.I,
)


def _measures(text: str) -> Iterator[tuple[float, str]]:
    """(value, unit) of every measure ``text`` writes, a rough amount's unit marked 여."""
    for found in _MEASURE.finditer(text):
        if found[1] is not None:
            yield float(found[1]), found[2].lower()
        else:
            yield float(found[3].replace(",", "")), "여" + found[4]


#: words that make the question's number a bound, which :func:`out_of_bounds` reads
_BOUND_WORDS = re.compile(r"이상|이하|초과|미만|이내|넘|까지|안에|내에|최대|최소")


def other_measure(question: str, sentence: str) -> str | None:
    """The clause stating, in the unit the question proposes, another value for what the
    question asks: "표 5는 종이 왼쪽에서 5mm 떨어진 곳에 놓여 있나요?" is answered 아니요 by
    "종이 왼쪽부터 35mm". The clause is the one sharing the most words with the question
    among those writing that unit; None when it writes the value proposed, or the question
    sets a bound."""
    proposed = next(_measures(question), None)
    if proposed is None or _BOUND_WORDS.search(question):
        return None
    value, unit = proposed
    # the words of what is measured: numbers name the thing ("표 5"), not where it is
    asked = {w for w in tokenize(question) if not w[0].isdigit()}
    best: tuple[int, str] | None = None
    for clause in CLAUSE.split(sentence):
        measures = [v for v, u in _measures(clause) if u == unit]
        shared = len(asked & set(tokenize(clause)))
        if measures and shared and (best is None or shared > best[0]):
            best = (shared, clause)
    if best is None or any(v == value for v, _ in _measures(best[1])):
        return None
    return best[1].strip()


#: a setting's name and the number it is set to: "resolver 2", "resolver = \"3\"", "edition
#: 2024", "Python 3.11" (a Latin name, so that "제3조" or "2024년 3월" is no setting)
_SETTING = re.compile(
    r"(?<![\w.-])([A-Za-z][A-Za-z_-]{2,})\s*[=:]?\s*[\"']?(\d+(?:\.\d+)*)(?![\d.]*\s*[%A-Za-z])"
)

#: how far after a setting's number a bound on it is looked for: "3.10 이상"
_BOUND_GAP = 6


def other_setting(question: str, sentence: str) -> str | None:
    """The first clause setting what the question names to another number: "resolver 2를
    쓰나요?" is answered 아니요 by "edition 2024와 resolver 3을 사용하므로". A clause that also
    writes the number asked, or bounds the one it writes ("Python 3.10 이상"), rules nothing."""
    if _BOUND_WORDS.search(question):
        return None
    asked = {name.lower(): number for name, number in _SETTING.findall(question)}
    if not asked:
        return None
    for clause in CLAUSE.split(sentence):
        set_to = [
            (found[1].lower(), found[2], clause[found.end() : found.end() + _BOUND_GAP])
            for found in _SETTING.finditer(clause) if found[1].lower() in asked
        ]  # fmt: skip
        if not set_to or any(asked[n] == v for n, v, _ in set_to):
            continue
        if any(_BOUND_WORDS.search(after) for _, _, after in set_to):
            continue  # "Python 3.10 이상": 3.11 is within what is set
        return clause.strip()
    return None


#: file formats by the names staff call them: "파워포인트 파일", "엑셀", "한글 문서"
_FORMATS: dict[str, tuple[str, ...]] = {
    "PPTX": ("파워포인트", "피피티", "PPTX", "PPT", "PowerPoint"),
    "XLSX": ("엑셀", "XLSX", "XLS", "Excel", "스프레드시트"),
    "DOCX": ("워드", "DOCX", "DOC", "Word"),
    "HWP": ("한글 파일", "한글 문서", "HWPX", "HWP"),
    "PDF": ("PDF",),
    "HTML": ("HTML", "웹 페이지"),
}
#: operating systems by the names people and CI runners call them
_PLATFORMS: dict[str, tuple[str, ...]] = {
    "WINDOWS": ("윈도우", "윈도", "Windows"),
    "MACOS": ("맥OS", "맥 OS", "맥오에스", "macOS", "mac"),
    "LINUX": ("리눅스", "우분투", "Linux", "Ubuntu"),
}
#: a field listing the kinds a row applies to: "적용 포맷: XLSX", "대상 형식: DOCX, PPTX",
#: "적용 범위: XLSX"; "러너: ubuntu-latest", "지원 OS: Windows"
_KIND_FIELDS = (
    (_FORMATS, r"포맷|형식|format|적용\s*범위"),
    (_PLATFORMS, r"러너|runner|OS|운영\s*체제|플랫폼|platform"),
)
_EVERY_KIND = re.compile(r"전체|모두|모든|공통|all|any", re.IGNORECASE)


def _kinds(kinds: dict[str, tuple[str, ...]], text: str, *, asked: bool = False) -> set[str]:
    """The kinds ``text`` names; in a question, not a format it converts to ("PDF로")."""
    found = set()
    for name, spellings in kinds.items():
        for spelling in spellings:
            at = re.search(rf"(?<![A-Za-z]){re.escape(spelling)}(?![A-Za-z])", text, re.I)
            if at and not (asked and re.match(r"\s*(?:로|으로)(?![가-힣])", text[at.end() :])):
                found.add(name)
    return found


def named_formats(question: str) -> set[str]:
    """The file formats a question names as where to look ("테스트 파워포인트에 있는 표"
    → PPTX), by their extensions' upper case."""
    return _kinds(_FORMATS, question, asked=True)


def format_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """아니요 by the field saying which formats (or operating systems) a row applies to,
    when it leaves out the one asked: "--streaming 옵션을 파워포인트 파일에도 쓸 수 있나요?"
    over "적용 포맷: XLSX", "fmt 잡도 윈도우에서 돌아가나요?" over "러너: ubuntu-latest".
    None when the row lists it (its other fields rule: "구현 상태: 미지원"), lists none of
    its kind, or applies to every one ("적용 포맷: 전체")."""
    for kinds, labels in _KIND_FIELDS:
        asked = _kinds(kinds, question, asked=True)
        if not asked:
            continue
        field_pattern = rf"(?<![^|\n])\s*[^|:\n]*?(?:{labels})\s*:\s*([^|\n]+)"
        for field in re.finditer(field_pattern, sentence, re.I):
            listed = _kinds(kinds, field[1])
            if listed and not _EVERY_KIND.search(field[1]) and not asked & listed:
                return False, field[0].strip()
    return None


#: a tie the question supposes, and the precedence it asks about: "합산점수가 같으면 …
#: 우선순위를 주나요?"
_TIE_ASKED = re.compile(
    r"(?:같|동일하|동점이)(?:으면|면|을\s*때|할\s*때|일\s*때)\s+(?P<proposed>.+?)우선"
)
#: the precedence a document gives on a tie: "합산점수가 동일한 경우 : 기술능력평가점수가
#: 높은 자를 우선순위 부여"
_TIE_RULE = re.compile(
    r"(?P<case>[^※*:;.\n]{2,40}?)(?:이|가)?\s*(?:동일한|같은|동점인)\s*경우(?:에는|에)?\s*[:：]?\s*"
    r"(?P<rule>[^※;.\n]{2,80}?우선[가-힣]*)"
)
#: who is preferred, which names no criterion
_PREFERRED = frozenset(("업체", "자", "사람", "회사", "사업자", "기관", "팀", "쪽", "곳"))


def other_tiebreak(question: str, sentence: str) -> str | None:
    """The precedence ``sentence`` gives on the tie the question supposes, when it rests on
    another criterion than the one proposed: "합산점수가 같으면 입찰가격이 낮은 업체한테
    우선순위를 주나요?" is answered 아니요 by "합산점수가 동일한 경우 : 기술능력평가점수가 높은
    자를 우선순위 부여". None when the question supposes no tie, the sentence breaks no tie
    it supposes, or the precedence names the criterion proposed."""
    asked = _TIE_ASKED.search(question)
    if asked is None:
        return None
    before = question[: asked.start()].split()
    tied = squash(re.sub(r"(?:이|가|은|는|도)$", "", before[-1])) if before else ""
    proposed = set(tokenize(asked.group("proposed"))) - _PREFERRED
    for tie in _TIE_RULE.finditer(sentence):
        if not tied or tied not in squash(tie.group("case")):
            continue  # another tie ("기술능력평가 점수도 동일한 경우" for 합산점수)
        if proposed and not proposed & set(tokenize(tie.group("rule"))):
            return tie.group().strip()
    return None


#: what answers 아니요 with the clause that says so, tried in this order: a number outside a
#: stated bound, another act for the case asked, a clause taking it out, an offence listed,
#: another value in the unit proposed
_REFUSING: tuple[Callable[[str, str], str | None], ...] = (
    out_of_bounds,
    prescribed_otherwise,
    other_tiebreak,
    removed_clause,
    kept_from_removal,
    listed_offence,
    other_measure,
    other_setting,
    limited_otherwise,
)


#: a claim, then what is so in fact: "PRD는 ppt-rs 를 명시하나 실제로는 quick-xml 기반",
#: "계획했지만 실제로는 취소되었다"
_IN_FACT = re.compile(
    r"(?:나|지만|는데|으나|었으나|였으나|했으나)\s*,?\s+(?=(?:실제로는|실제로|실제는|사실은|정작)\s)"
    # one act done instead of another: "프로세스로 호출하지 않고 라이브러리로 임베드할 수"
    r"|(?<=[가-힣])지\s*않고\s+"
)


def in_fact(question: str, sentence: str) -> tuple[bool, str] | None:
    """예/아니요 and the clause of fact, when ``sentence`` sets a claim against what is so in
    fact and the question writes words of only one side: asking after the claim
    ("PRD대로 ppt-rs로 읽나요?") is answered 아니요, after the fact 예."""
    for part in re.split(r"\s\|\s|\n", sentence):
        turn = _IN_FACT.search(part)
        if turn is None:
            continue
        claim, fact = set(tokenize(part[: turn.start()])), set(tokenize(part[turn.end() :]))
        asked = set(tokenize(question))
        of_claim, of_fact = (asked & claim) - fact, (asked & fact) - claim
        if bool(of_claim) != bool(of_fact):
            return bool(of_fact), part[turn.end() :].strip()
    return None


#: a question's verb → words that state its opposite: "졌나요?" is answered 아니요 by
#: "8-3으로 승리했다" (지: 지다, to lose)
OPPOSITE_ACT: dict[str, frozenset[str]] = {
    "지": frozenset({"승리", "이기"}),
    "이기": frozenset({"패배", "패하", "지"}),
    # a batter who made an out got no hit: "안타를 쳤나요?" and "유격수 땅볼 아웃으로 물러났다"
    "안타": frozenset({"아웃", "땅볼", "삼진", "뜬공", "직선타", "범타", "병살타", "물러나"}),
    # a bill left to lapse or voted down was not passed: "21대 국회 안에 처리될 수 있을
    # 거라고 봤나요?" and "결국 21대에는 폐기가 될 수밖에 없는"
    "처리": frozenset({"폐기", "부결"}),
    "통과": frozenset({"폐기", "부결"}),
    "가결": frozenset({"폐기", "부결"}),
}


#: a value marked right or wrong, as forms and style guides do: "제주도(X), 제주특별자치도(O)"
_MARK = re.compile(r"([^\s,;:()（）]+)\s*[(（]\s*([XxOo×○✕✗])\s*[)）]")


def marked_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """예 when the sentence marks a value the question quotes ('제주도'라고 써도 되나요?)
    right (O), 아니요 when it marks it wrong (X); with every mark of the sentence, which
    shows the right value beside the wrong one. None when it marks no value quoted."""
    marks = _MARK.findall(sentence)
    quoted = {squash(q) for q in QUOTED.findall(question)}
    for value, mark in marks:
        if squash(value) in quoted:
            shown = ", ".join(f"{v}({m})" for v, m in marks)
            return mark in "Oo○", shown
    return None


#: a state of work a question asks after ("완료된 것으로 되어 있나요?", "구현됐나요?")
_DONE_ASKED = re.compile(
    r"(완료|구현|달성|충족|적용|반영|제출|지원)(?=되|된|됐|했|하였|한|됨|\s*상태)"
)
#: a cell stating that work is not done, in its own words: "판단: 진행 중", "상태: 예정"
_NOT_DONE = re.compile(
    r"(?:진행\s*중|준비\s*중|검토\s*중|개발\s*중|예정|계획|보류|중단|대기|지연|착수|일부\s*[가-힣]*"
    r"|부분\s*[가-힣]*|미(?:완료|완성|착수|이행|구현|적용|반영|달성|충족|제출|지원))"
)


def status_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """예 or 아니요 from a field whose whole value is the state of the work asked after:
    "Phase 4는 완료된 것으로 되어 있나요?" over "… | 판단: 진행 중" is 아니요, over "판단:
    완료" 예. None when no field states a state."""
    asked = _DONE_ASKED.search(question)
    if asked is None:
        return None
    for part in sentence.split(" | "):
        value = part.partition(": ")[2].strip()
        if not value or len(value) > 10:
            continue
        if value in (asked[1], f"{asked[1]}됨"):
            return True, part.strip()
        if _NOT_DONE.fullmatch(value):
            return False, part.strip()
    return None


#: the choices a header lists in brackets: "구분 (필수/선택)", "공개여부(공개/비공개)"
_OPTIONS = re.compile(r"[(（]\s*([^()（）/]{1,8}?)\s*/\s*([^()（）/]{1,8}?)\s*[)）]")


def option_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """예 or 아니요 from a cell holding one of the choices its header lists, when the question
    names one of them: "편의시설종류는 필수 항목이에요?" over "구분 (필수/선택): 선택" is 아니요.
    None when no cell is such a choice or the question names neither or both."""
    for part in sentence.split(" | "):
        header, sep, value = part.partition(": ")
        value = value.strip()
        options = _OPTIONS.search(header)
        if not sep or options is None or value not in options.groups():
            continue
        named = [o for o in options.groups() if re.search(rf"(?<![가-힣]){re.escape(o)}", question)]
        if len(named) == 1:
            return named[0] == value, part.strip()
    return None


#: a question asking whether something holds without another: "--streaming을 켜지
#: 않아도 적용되나요?", "없이도 쓸 수 있나요?", "does it apply without --streaming?"
_WITHOUT_ASKED = re.compile(
    r"(?<!\S)(\S+?)(?:을|를|이|가)?\s+(?:\S+지\s*않(?:아도|고도)|없이도)|\bwithout\s+(\S+)", re.I
)
#: a rule holding only under a condition: "--streaming 활성 시에만 사용", "only when …"
_ONLY_WHEN = re.compile(r"(?:시|때|경우)에만|\bonly\s+(?:when|if)\b", re.I)
#: how far from "에만" or "only when" the condition's name may be written
_CONDITION_SPAN = 40


def only_when_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """아니요 when the question asks whether a thing holds without a condition and the
    sentence says it holds only under it: "--streaming을 켜지 않아도 적용되나요?" over
    "비고: --streaming 활성 시에만 사용". None unless the sentence names the condition
    within a few words of its "에만" or "only when"."""
    asked = _WITHOUT_ASKED.search(question)
    if asked is None:
        return None
    thing = squash(asked.group(1) or asked.group(2)).lower().rstrip("?.,")
    if len(thing) < _LEAST_CONDITION:
        return None
    for part in sentence.split(" | "):
        for only in _ONLY_WHEN.finditer(part):
            near = part[max(0, only.start() - _CONDITION_SPAN) : only.end() + _CONDITION_SPAN]
            if thing in squash(near).lower():
                return False, part.strip()
    return None


#: the fewest characters of a condition's name a question must write
_LEAST_CONDITION = 2


#: the unit a question asks figures are written in: "백만원 단위로 적혀 있나요?", "천원
#: 단위인가요?" (not "원 단위로 반올림하나요?", which asks how a figure is rounded)
_UNIT_ASKED = re.compile(
    r"(?<![가-힣])([가-힣%]{1,5})\s*단위(?:로\s*(?:적혀|적|표시|기재|나와|쓰여|되어|작성)|인가요|예요|입니까|인지)"
)
#: the unit a table or line states: "(단위: 억원)", "단위 : 천원"
_UNIT_STATED = re.compile(r"단위\s*[:：]\s*([가-힣%]{1,5})")


def unit_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """예 or 아니요 by the unit a sentence states, when the question asks whether figures are
    written in one: "순이익 숫자는 백만원 단위로 적혀 있나요?" over "사업영역별 순이익 2012년도
    기준 (단위: 억원)" is 아니요. None unless both name a unit."""
    asked = _UNIT_ASKED.search(question)
    stated = _UNIT_STATED.search(sentence)
    if asked is None or stated is None:
        return None
    return asked.group(1) == stated.group(1), stated.group(0)


#: a question whether a name is on a list or a form: "결재란에 사무국장도 올라 있나요?"
_LISTED_ASKED = re.compile(
    r"([가-힣A-Za-z0-9]{2,})(?:도|이|가)\s*(?:올라|적혀|쓰여|나와|기재되어)\s*있(?:나요|습니까|어요|나|니)"
)
#: a line that says a thing is missing or left out, whatever it lists
_UNLISTING = re.compile(r"않|없|제외|빠져|삭제")


def listed_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """예 when the line writes the name the question asks is on it: "사원 | 팀장 | 사무국장 |
    대표이사" for "결재란에 사무국장도 올라 있나요?". None when it does not, or says that
    something is missing or left out: a name not on one line may be on another."""
    asked = _LISTED_ASKED.search(question)
    if asked is None or _UNLISTING.search(sentence):
        return None
    # the name whole, not the end of another: "사무국장" holds no 국장 asked
    named = re.search(rf"(?<![가-힣A-Za-z0-9]){re.escape(asked.group(1))}", sentence)
    return (True, asked.group(1)) if named else None


def listed_lead(reading: Reading, line: str) -> str | None:
    """The lead "예 — 사무국장" when ``line`` writes the name the question asks is listed
    (see :func:`listed_verdict`); None otherwise."""
    listed = listed_verdict(reading.question, line)
    return None if listed is None else _said(*listed, reading.language)


#: a cell saying the row's thing does not apply: "해당없음", "없음", "N/A"
_NONE = re.compile(r"해당\s*(?:사항\s*)?없음|미해당|없음|n/a", re.I)
#: the least length of a row's name the question must write whole to be asked about it
_NAMED_CHARS = 4


def none_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """아니요 from a row whose thing does not apply, when the question names that thing:
    "표준데이터셋 제공시스템을 통해 제공되나요?" over "항목: 표준데이터셋 제공시스템 | 내용:
    해당없음". None unless the row holds such a cell and a cell the question writes whole."""
    parts = [p.partition(": ") for p in sentence.split(" | ")]
    if not any(sep and _NONE.fullmatch(value.strip()) for _, sep, value in parts):
        return None
    asked = squash(question)
    named = [
        value.strip() for _, sep, value in parts
        if sep and len(squash(value)) >= _NAMED_CHARS and squash(value) in asked
    ]  # fmt: skip
    return (False, sentence.strip()) if named else None


#: a column of what a line costs: "PRICE (€)", "AMOUNT", "금액", "단가"
_CHARGE_COLUMN = re.compile(r"price|amount|cost|charge|fee|total|금액|가격|단가|요금|비용", re.I)
#: a cell charging nothing: "0.00", "€0", "0원", "무료", "free", "-"
_NOTHING_CHARGED = re.compile(r"[€$₩£]?\s*0+(?:[.,]0+)?\s*(?:원|€|\$)?|무료|free|[-–—]", re.I)
#: a question whether something costs anything, or is free of charge
_CHARGE_ASKED = re.compile(
    r"\bcharged?\b|\bcosts?\b|\bpay\b|\bpaid\b|\bfees?\b|비용|요금|유료|돈을?\s*(?:내|지불)"
    r"|청구|부과|과금",
    re.I,
)
_FREE_ASKED = re.compile(r"\bfree\b|무료|공짜", re.I)


def zero_charge_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """Whether a line the question names is charged, from a row whose every price cell is
    zero: "is the customer charged anything for the Free Gift line?" over "ITEM
    DESCRIPTION: 7 Free Gift | QUANTITY: 1 | PRICE (€): 0.00 | AMOUNT (€): 0.00" is no (and
    "무료인가요?" yes). None unless the row has price cells, all zero, and a cell the
    question writes whole."""
    parts = [p.partition(": ") for p in sentence.split(" | ")]
    charges = [value.strip() for name, sep, value in parts if sep and _CHARGE_COLUMN.search(name)]
    if not charges or not all(_NOTHING_CHARGED.fullmatch(c) for c in charges):
        return None
    asked = question.lower()
    # a cell without a column name is the row's label ("Mechanical Labor | Hours: - | …")
    cells = [(name, value) if sep else ("", name) for name, sep, value in parts]
    named = [
        item for column, value in cells
        if not _CHARGE_COLUMN.search(column)
        and len(item := ITEM_NUMBER.sub("", value).strip().lower()) >= _NAMED_CHARS
        and item in asked
    ]  # fmt: skip
    if not named:
        return None
    rest = asked.replace(max(named, key=len), " ")  # the "Free Gift" line asks nothing free
    if _FREE_ASKED.search(rest):
        return True, sentence.strip()
    if _CHARGE_ASKED.search(rest):
        return False, sentence.strip()
    return None


#: a name with a version, held against something: "SQuAD 2.0과 같은 방식", "HTTP/1.1을 따르나요"
_VERSION_ASKED = re.compile(
    r"(?<![A-Za-z])([A-Za-z][A-Za-z0-9-]*[A-Za-z])[ /]?v?(\d+(?:\.\d+)+)\s*"
    r"(?:과|와|을|를|에|의)?\s*(?:같|동일|기반|따르|따른|따라|준수|호환|바탕)"
)
#: the versions a sentence writes after a name: "(SQuAD) v1.0", "SQuAD 1.1"
_WRITTEN_VERSION = r"(?<![A-Za-z]){name}\W{{0,3}}\s*v?(\d+(?:\.\d+)+)"


def version_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """아니요 when the question holds something against one version of a name and the
    sentence writes that name with another only: "KorQuAD 1.0은 SQuAD 2.0과 같은 방식으로
    구성됐나요?" over "… (SQuAD) v1.0과 동일한 방식으로 구성되었습니다". None when the sentence
    writes the version asked, or the name with no version."""
    asked = _VERSION_ASKED.search(question)
    if asked is None:
        return None
    name, version = asked.groups()
    pattern = _WRITTEN_VERSION.format(name=re.escape(name))
    written = {_release(v) for v in re.findall(pattern, sentence, re.I)}
    if not written or _release(version) in written:
        return None
    return False, sentence.strip()


#: two sides of which a thing is on one only, each side in the words that write it: a ball
#: over the left fence is not over the right one, a morning session is not the afternoon's,
#: a left-handed pitcher (좌완투수) throws with no right hand (오른손 투수), a party out of
#: the Assembly (원외) is not in it (원내)
_SIDES = (
    ("좌측", "우측"),
    ("왼쪽", "오른쪽"),
    ("좌완|왼손", "우완|오른손"),
    ("좌전", "우전"),
    ("오전", "오후"),
    ("상반기", "하반기"),
    ("상행", "하행"),
    ("원내", "원외"),
)


def side_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """아니요 and the clause naming the other side, when the question writes one side of a
    pair and the sentence only the other: "타구는 우측 담장을 넘어갔나요?" over "타구는
    좌측 담장을 넘어가면서 3점홈런이 터졌다". None when the sentence writes the side asked."""
    for pair in _SIDES:
        for asked, other in (pair, pair[::-1]):
            if (
                re.search(asked, question)
                and not re.search(other, question)
                and not re.search(asked, sentence)
            ):
                clause = next((c for c in CLAUSE.split(sentence) if re.search(other, c)), None)
                if clause is not None:
                    return False, clause.strip()
    return None


def other_side(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """The most relevant sentence of the best passages putting the thing the question asks
    about on the other side, in passages never writing the side asked, answered 아니요 (see
    :func:`side_verdict`): "22대 국회에서도 정의당이 원내 정당으로 남는다고 말했나요?" over
    "… 한 달 정도가 지나면 정의당이 원외가 되기 때문에 …", which the sentences most like the
    question (on the bill) do not rule."""
    best = [u for u in units if u[2] < _SIDE_PASSAGES]
    passages = "\n".join({u.hit.chunk_id: u.hit.text for u, _, _ in best}.values())
    return _ruled_in(
        reading,
        sorted(best, key=lambda u: -u[1]),
        lambda text: _puts_on_other_side(reading.question, text, passages),
    )


def _ruled_in(
    reading: Reading, units: Sequence[tuple[Unit, float, int]], rules: Callable[[str], bool]
) -> Candidate | None:
    """The first of ``units`` (in the order given) that ``rules`` holds of, answered by its
    ruling; None when none does."""
    for unit, relevance, _ in units:
        if rules(unit.display):
            lead = ruling_lead(reading, unit.display)
            return Candidate(relevance, lead, unit_evidence(unit), relevance=relevance)
    return None


#: how many of the best passages are read for a sentence putting the thing on the other side
#: or bounding how often it may be done
_SIDE_PASSAGES = 3


def _puts_on_other_side(question: str, sentence: str, passages: str) -> bool:
    """Whether ``sentence`` writes a thing the question names on the side the question does
    not ask, and the passages read never write the side asked: "정의당이 원외가" for "정의당이
    원내 정당으로" (passages writing both sides, "종이 왼쪽부터" of 표 5 and "종이 오른쪽부터"
    of 표 9, tell them apart by more than the side)."""
    if side_verdict(question, sentence) is None:
        return False
    for pair in _SIDES:
        for asked, other in (pair, pair[::-1]):
            if not re.search(asked, question) or re.search(asked, passages):
                continue
            things = re.finditer(
                rf"([가-힣A-Za-z]{{2,}}?)(?:이|가|은|는|도)?\s*(?:{other})", sentence
            )
            if any(thing[1] in question for thing in things):
                return True
    return False


#: the two ways a measure moves; a question asking one is answered 아니요 by a sentence
#: writing the other of the same measure
_DOWN = r"떨어[지졌져]|하락|내려[가갔]|낮아[지졌]|감소|줄어[들든]|줄었"
_UP = r"오르|올[라랐]|상승|높아[지졌]|증가|늘어[나난났]|늘었"
#: the measure a question asks moved: "시즌 타율이 떨어졌나요?" → 타율
_MOVED_ASKED = r"([가-힣A-Za-z]{{2,}}?)(?:이|가|은|는|도)?\s*(?:{verb})"


def direction_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """아니요 and the clause, when the question asks whether a measure went one way and the
    sentence writes it went the other: "시즌 타율이 떨어졌나요?" over "시즌 타율은 .222로
    상승했다". None when the sentence's clause naming the measure writes the way asked too,
    or no clause names it moving."""
    for asked, other in ((_DOWN, _UP), (_UP, _DOWN)):
        found = re.search(_MOVED_ASKED.format(verb=asked), question)
        if found is None or re.search(other, question):
            continue
        measure = found[1]
        for clause in CLAUSE.split(sentence):
            if measure in clause and re.search(other, clause) and not re.search(asked, clause):
                return False, clause.strip()
    return None


#: qualities and their opposites, as Kiwi reads the stems ("추운" → 춥, "따뜻한" → 따뜻)
_QUALITY_PAIRS = (
    ("많", "적"), ("크", "작"), ("높", "낮"), ("길", "짧"), ("빠르", "느리"), ("넓", "좁"),
    ("쉽", "어렵"), ("무겁", "가볍"), ("두껍", "얇"), ("깊", "얕"), ("밝", "어둡"),
    ("따뜻", "춥"), ("덥", "춥"), ("뜨겁", "차갑"),
)  # fmt: skip
_OPPOSITE_QUALITY: dict[str, set[str]] = {}
for _one, _other in _QUALITY_PAIRS:
    _OPPOSITE_QUALITY.setdefault(_one, set()).add(_other)
    _OPPOSITE_QUALITY.setdefault(_other, set()).add(_one)
#: a comparison or a superlative: "A보다 많나요", "가장 낮았나요" are read elsewhere
_COMPARISON = re.compile(r"보다|가장|제일|더\s")
#: how many words from a quality the thing it is said of may stand
_QUALITY_REACH = 4


@lru_cache(maxsize=1024)
def _qualified(text: str) -> tuple[tuple[tuple[str, bool], ...], frozenset[int]]:
    """The content words of ``text`` (whether each is a quality stem) and where a quality is
    negated ("적지 않다"). Cached: the question is read once per sentence it is held to."""
    words: list[tuple[str, bool]] = []
    negated: set[int] = set()
    for token in kiwi().tokenize(text):
        if token.tag in ("VX", "MAG") and token.form in ("않", "못", "안"):
            if words and words[-1][1]:
                negated.add(len(words) - 1)
        elif token.tag.startswith(("VA", "XR")) or token.tag in ("NNG", "NNP", "SL"):
            words.append((token.form, token.tag.startswith(("VA", "XR"))))
    return tuple(words), frozenset(negated)


def _near(words: Sequence[tuple[str, bool]], at: int) -> set[str]:
    """The nouns of two syllables or more within reach of the quality at ``at``."""
    around = words[max(0, at - _QUALITY_REACH) : at + _QUALITY_REACH + 1]
    return {form for form, quality in around if not quality and len(form) >= 2}


def opposite_quality_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """아니요 and the clause, when the question proposes a quality of something and the
    sentence writes its opposite of the same thing: "따뜻한 날씨 속에서 훈련하나요?" over
    "추운 날씨에도 연습에 매진하고", "질문 수가 많은 데이터로 …?" over "질문의 수가 만개
    이하로 적다는 한계". None for a comparison, a negated opposite, or a sentence writing the
    quality asked as well."""
    if _COMPARISON.search(question):
        return None
    asked, _ = _qualified(question)
    proposed = [(i, form) for i, (form, quality) in enumerate(asked) if quality]
    proposed = [(i, form) for i, form in proposed if form in _OPPOSITE_QUALITY]
    if not proposed:
        return None
    said = {form for form, quality in _qualified(sentence)[0] if quality}
    if said & {form for _, form in proposed}:
        return None
    for clause in CLAUSE.split(sentence):
        words, negated = _qualified(clause)
        for j, (form, quality) in enumerate(words):
            if not quality or j in negated:
                continue
            for i, asked_form in proposed:
                if form in _OPPOSITE_QUALITY[asked_form] and _near(asked, i) & _near(words, j):
                    return False, clause.strip()
    return None


def other_frequency(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """The first sentence of the best passages whose bound the frequency the question
    proposes breaks, answered 아니요 (see :func:`_frequency_bounds`): "매일 제출할 수
    있나요?" over "… 일주일에 하나의 모델을 제출하는 것으로 제한합니다", which closes a long
    passage whose other sentences name the submission too."""
    return _ruled_in(
        reading,
        sorted((u for u in units if u[2] < _SIDE_PASSAGES), key=lambda u: u[2]),
        lambda text: any(broken for _, broken in _frequency_bounds(reading.question, text)),
    )


def other_direction(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """The best-ranked sentence writing the measure the question asks moved one way moving
    the other, answered 아니요 (see :func:`direction_verdict`): the sentences most like the
    question (its game, its player) may not name the measure at all."""
    return _first_ruled(
        reading, units, lambda text: direction_verdict(reading.question, text) is not None
    )


#: a question whether two things happen on different days
_OTHER_DAYS = re.compile(r"(?:서로\s*)?다른\s*날|on (?:different|separate) days", re.I)
#: a sentence writing they happen one after the other, on one day
_SAME_DAY = re.compile(r"연달아|잇달아|잇따라|같은\s*날|당일|on the same day|back to back", re.I)


def same_day_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """아니요 and the clause, when the question asks whether two things happen on different
    days and the sentence writes them one after the other: "진천 선수촌과 이천 장애인
    선수촌을 서로 다른 날에 찾아가나요?" over "1월 2일(화), … 진천 국가대표 선수촌과 이천
    장애인 국가대표 선수촌을 연달아 방문해". None otherwise."""
    if not _OTHER_DAYS.search(question):
        return None
    found = _SAME_DAY.search(sentence)
    if found is None:
        return None
    clause = next((c for c in CLAUSE.split(sentence) if found.group() in c), sentence)
    return False, clause.strip()


#: which of two a question asks came first: "이천 장애인 선수촌을 진천 선수촌보다 먼저
#: 방문하나요?" (what is proposed first, then what it would come before)
_FIRST_ASKED = re.compile(
    r"(\S+(?:\s\S+){0,3}?)(?:을|를|이|가|은|는)\s+(\S+(?:\s\S+){0,2}?)보다\s*먼저"
)
#: what a sentence says came first: "먼저 진천 국가대표 선수촌을 방문해"
_FIRST_SAID = re.compile(r"(?:먼저|우선|첫\s*번째로)\s+([^,.;]{1,30})")


def order_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """예 when the sentence says the one the question proposes came first, 아니요 when it
    says the other did: "이천 … 선수촌을 진천 선수촌보다 먼저 방문하나요?" over "장미란
    차관은 먼저 진천 국가대표 선수촌을 방문해". None when it says neither first."""
    asked = _FIRST_ASKED.search(question)
    said = _FIRST_SAID.search(sentence)
    if asked is None or said is None:
        return None
    proposed, other = set(asked[1].split()), set(asked[2].split())
    first = said[1]
    own = [w for w in proposed - other if w in first]
    others = [w for w in other - proposed if w in first]
    if bool(own) == bool(others):
        return None
    clause = next((c for c in CLAUSE.split(sentence) if said.group() in c), sentence)
    return bool(own), clause.strip()


def other_order(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """The best-ranked sentence saying which of the two the question asks about came first
    (see :func:`order_verdict`): the sentence most like the question may name both visits
    without their order."""
    return _first_ruled(
        reading, units, lambda text: order_verdict(reading.question, text) is not None
    )


#: a numbered office: "제1차관", "제2부시장", "제1부위원장"
_NUMBERED_TITLE = r"제\s*(\d)\s*({title})"
_TITLES = r"차관|차장|부원장|부시장|부지사|부총리|부위원장|사무차장"


def ordinal_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """아니요 and the clause naming the office, when the question asks one numbered office
    and the sentence writes the same office with another number only: "장미란 차관은 제1차관
    인가요?" over "장미란 제2차관은 … 방문한다". None otherwise."""
    asked = re.search(_NUMBERED_TITLE.format(title=_TITLES), question)
    if asked is None:
        return None
    written = list(re.finditer(_NUMBERED_TITLE.format(title=re.escape(asked[2])), sentence))
    if not written or any(m[1] == asked[1] for m in written):
        return None
    clause = next((c for c in CLAUSE.split(sentence) if written[0][0] in c), sentence)
    return False, clause.strip()


def other_office(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """The best-ranked sentence naming the question's subject in another numbered office
    than the one asked, answered 아니요 (see :func:`ordinal_verdict`): the office asked is
    then written nowhere, and the sentences most like the question do not rule on it."""
    asked = re.search(_NUMBERED_TITLE.format(title=_TITLES), reading.question)
    if asked is None:
        return None
    # who holds the office: the word before its plain title ("장미란 차관은")
    holder = re.search(rf"([가-힣]{{2,4}})\s+{asked[2]}(?:은|는|이|가)\s", reading.question)
    return _first_ruled(
        reading,
        units,
        lambda text: (
            (holder is None or holder[1] in text)
            and ordinal_verdict(reading.question, text) is not None
        ),
    )


def _release(version: str) -> tuple[int, ...]:
    """A version as numbers without trailing zeros: "1.0" and "1" are one release."""
    parts = [int(p) for p in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def other_version(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """The best-ranked sentence writing the name the question holds something against with
    another version only, answered 아니요 (see :func:`version_verdict`); None when none does.
    Such a question names a version its document never writes, so the reader would abstain."""
    return _first_ruled(
        reading, units, lambda text: version_verdict(reading.question, text) is not None
    )


#: the best sentences looked at for one that rules by a verdict of its own (another version,
#: office or direction)
_RULED_UNITS = 8


def _first_ruled(
    reading: Reading, units: Sequence[tuple[Unit, float, int]], rules: Callable[[str], bool]
) -> Candidate | None:
    """The best-ranked of the first :data:`_RULED_UNITS` sentences that ``rules`` holds of,
    answered by its ruling; None when none does."""
    return _ruled_in(reading, sorted(units, key=lambda u: u[2])[:_RULED_UNITS], rules)


#: the half of the day a question asks about: "오전에 진행될 예정인가요?"
_HALF_ASKED = re.compile(r"(오전|오후)(?:에|중|에는|부터|까지)?(?![가-힣])")


def half_day_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """예 or 아니요 by the one clock time a sentence gives, when the question asks whether
    it is in the morning or the afternoon: "심사는 오전에 진행될 예정인가요?" over "심사일정 :
    2024. 8. 13.(화) 14:00" is 아니요. None when the sentence says 오전 or 오후 itself (its
    own words rule) or gives no single time."""
    asked = _HALF_ASKED.search(question)
    if asked is None or re.search(r"오전|오후", sentence):
        return None
    times = [v for v in find_values(sentence) if v.kind is ValueKind.TIME and v.when is not None]
    if len({v.when for v in times}) != 1:
        return None
    when = times[0].when
    assert isinstance(when, time)
    return (when.hour < _NOON) == (asked[1] == "오전"), times[0].text


#: "가장 낮았나요", "제일 많은": a superlative and its adjective's stem
_SUPERLATIVE = r"(?:가장|제일)\s*(낮|높|많|적|크|작|길|짧|빠르|빠른|느리|느린|좋|나쁘)"
_SUPERLATIVE_ASKED = re.compile(_SUPERLATIVE)
#: what a sentence says is the most so: "표가 가장 낮은 성능을 보이고 평문이 제일 높다"
_SUPERLATIVE_SAID = re.compile(rf"([가-힣A-Za-z0-9]+?)(?:이|가|은|는)\s+{_SUPERLATIVE}[가-힣]*")
#: a list the question gives to choose from: "(평문·표·리스트)"
_CHOICES = re.compile(r"[(（][^()（）]*[)）]")


def superlative_verdict(question: str, sentence: str) -> tuple[bool, str] | None:
    """예 or 아니요 from what a sentence says is the most so, when the question asks
    whether one thing is ("… 가운데 표 유형에서 성능이 가장 낮았나요?" over "유형에
    따라서는 표가 가장 낮은 성능을 보이고 평문이 제일 높다" is 예; "평문 유형에서 … 가장
    낮았나요?" 아니요). None unless the sentence says of the same degree who is most."""
    asked = _SUPERLATIVE_ASKED.search(question)
    if asked is None:
        return None
    own = set(tokenize(_CHOICES.sub(" ", question[: asked.start()])))
    for said in _SUPERLATIVE_SAID.finditer(sentence):
        if said[2][0] == asked[1][0]:
            most = set(tokenize(said[1]))
            if most:
                return most <= own, said.group().strip()
    return None


#: the hour the afternoon starts at
_NOON = 12


#: the numbered section a question asks about: "5.2절 실험에서", "3.1절에서"
_SECTION_ASKED = re.compile(r"(?<![\d.])(\d+(?:\.\d+)+)\s*절")
#: the number a numbered heading opens with: "5.1 실험 결과", "4.3 질문 유형"
_HEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s")


def other_section(question: str, context: str) -> bool:
    """Whether a sentence sits under a numbered heading of another section than the one the
    question names ("5.2절 실험에서" and a sentence under "5.1 실험 결과"). A sentence under
    the named section's parent ("5. 실험 및 결과") or its child (5.2.1) is not another's."""
    asked = _SECTION_ASKED.search(question)
    heading = _HEADING_NUMBER.match(context)
    if asked is None or heading is None:
        return False
    want, have = asked[1].split("."), heading[1].split(".")
    shorter = min(len(want), len(have))
    return want[:shorter] != have[:shorter]


#: a question whether something must be done: "다시 켜야 하나요?", "신고가 필요한가요?"
_MUST = re.compile(r"야\s*(?:하|되|돼)[가-힣]*\s*[?？]?\s*$|필요(?:한가|하나|할까|합니까|해요)")
#: what a sentence says is done without: "시스템 재기동 없이 작업을 수행할 수 있어야함"
#: or needs not: "LibreOffice도, Chromium도, Docker도 필요 없는"
_WITHOUT = re.compile(
    r"([가-힣A-Za-z]{2,})\s*(?:없이|않고도|(?:도|가|이|은|는)?\s*필요\s*(?:없|하지\s*않|치\s*않))"
    r"\s*[^.,;\n]*"
)
#: done with no step of its own at all: "macOS 환경에서는 별도 설정 없이 오피스 기본 서체가
#: 해석된다" says no setting, 지정 or any other, is needed for what it names
_NO_STEP = re.compile(r"별도(?:의)?\s*(?:설정|지정|조작|설치|작업|절차)\s*없이\s*[^.,;\n]*")


def done_without(reading: Reading, sentence: str) -> str | None:
    """The clause saying that what the question asks whether one must do is done without
    it ("껐다 다시 켜야 하나요?" over "재기동 없이 작업을 수행할 수 있어야함"): 아니요, it is
    not needed. The act is the question's own word or a formal word for it (the plain
    words' 켜다 = 기동, found inside 재기동), or what is done with no step of its own at all
    ("별도 설정 없이 오피스 기본 서체가 해석된다" for "--font-path를 꼭 지정해야
    하나요?"). None otherwise."""
    if not _MUST.search(reading.question):
        return None
    asked = {w for w in reading.words if len(w) >= 2}
    formal = {word for word, plain in reading.same.items() if plain & set(reading.words)}
    for match in _WITHOUT.finditer(sentence):
        if any(w in match[1].lower() for w in asked | formal):
            return match[0].strip()
    step = _NO_STEP.search(sentence)
    return step[0].strip() if step else None


def act_tokens(question: str, tokens: set[str]) -> set[str]:
    """``tokens`` (of a sentence) with the question's verbs it states in other words
    (:mod:`dalin.answer.plain_words`), or states the opposite of: a sentence on "반환" is
    about "돌려받을 수 있나요", one on "PDF를 생성한다" about "만들 수 있나요"."""
    asked = set(tokenize(question))
    return tokens | {
        verb
        for verb in asked
        if tokens & (formal_words(verb) | OPPOSITE_ACT.get(verb, frozenset()))
    }


def states_opposite(question: str, sentence: str) -> bool:
    """Whether ``sentence`` states the opposite of the act asked and not the act itself."""
    asked = set(tokenize(question))
    own = set(tokenize(sentence))
    return any(own & OPPOSITE_ACT.get(verb, frozenset()) and verb not in own for verb in asked)


#: a question whether something is counted in: "최고점수도 평균에 넣나요?", "포함되나요?"
_COUNTED_IN = re.compile(r"(?:넣|포함|들어가|들어갑|반영|산입|산정|합산|인정)[가-힣]*\s*[?？]?\s*$")
#: what a sentence leaves out: "최고점수와 최저점수를 제외한 나머지", "수수료를 빼고"
_LEFT_OUT = re.compile(
    r"([^,.;:()\n]{1,40}?)\s*(?:을|를|은|는)?\s*(?:제외(?:한|하고|하며|하여|하면|된|되)|빼고|뺀)"
)


def excluded_clause(question: str, sentence: str) -> str | None:
    """The clause of ``sentence`` that leaves out what a question asks to be counted in, or
    None: "최고점수도 평균에 넣나요?" is answered 아니요 by "최고점수와 최저점수를 제외한
    나머지 점수를 산술평균": the thing asked (``최고``) is in what is left out, and nowhere
    else in the sentence. A question about something else (``점수``, which the rest of the
    sentence also names) is not answered by the exclusion."""
    if _COUNTED_IN.search(question) is None:
        return None
    asked = set(tokenize(question))
    for match in _LEFT_OUT.finditer(sentence):
        start = match.start(1) + _object_start(match.group(1))
        left_out = set(tokenize(sentence[start : match.end(1)]))
        rest = set(tokenize(sentence[:start] + " " + sentence[match.end() :]))
        if (left_out & asked) - rest:
            return sentence[start : match.end()].strip()
    return None


#: what ends the words before a left-out thing: "평가점수 중", "위원의", "심사 시"
_BEFORE_OBJECT = re.compile(r".*(?:\s중|의|에서|\s시)\s")


def _object_start(phrase: str) -> int:
    """Where the thing left out begins in the words before 제외: after "… 중", "…의"
    ("각 평가위원의 평가점수 중 **최고점수와 최저점수**를 제외한")."""
    before = _BEFORE_OBJECT.match(phrase)
    return before.end() if before else 0


#: prefixes that make another thing of a noun: 재(re-), 비(non-), 미(not yet), 무, 불, 부
_MEANING_PREFIXES = frozenset("재비미무불부")


def prefixed_nouns(question: str) -> dict[str, str]:
    """Nouns the question writes with a prefix that changes what they name, as base →
    the whole word squashed: "재위탁할" → {"위탁": "재위탁"}, "비공개" → {"공개": "비공개"}."""
    tokens = kiwi().tokenize(question)
    found = {}
    for prefix, noun in itertools.pairwise(tokens):
        if (
            prefix.tag == "XPN"
            and prefix.form in _MEANING_PREFIXES
            and noun.tag.startswith("NN")
            and prefix.start + prefix.len == noun.start
        ):
            found[noun.form] = squash(prefix.form + noun.form)
    return found


#: what ruling on the very act asked adds
_ACT_BONUS = 0.5
#: what ruling on the question's last verb (or a formal word for it) adds
_VERB_BONUS = 0.5
#: for a sentence bounding the number the question proposes
_BOUND_BONUS = 0.3
#: what a table row gains whose label the question writes whole
_ROW_BONUS = 0.5


def _names_row(question: str, row: str) -> bool:
    """Whether the question writes a rendered row's label whole: its first cell that is not
    a number ("NO: 29 | 항목명: 편의시설종류"), three to fifteen letters, spaces aside. A
    later cell ("교섭단체: 국민의힘") is a fact of the row, not its name."""
    label = squash(_row_label(row))
    return 3 <= len(label) <= 15 and label in squash(question)


def _row_label(row: str) -> str:
    """A rendered row's first cell that is not a number, as written."""
    cells = (cell.partition(": ")[2] for cell in row.split(" | "))
    return next((c for c in cells if squash(c) and not squash(c).isdigit()), "")


def _row_asked(question: str, row: str) -> bool:
    """Whether the question is about a rendered row: it writes the row's label whole as its
    subject ("환승센터면적은 선택 항목이라 …?"), not only in passing ("--pdf-ua 옵션만 주면
    태그 PDF(--tagged)도 …?" over the row labelled tagged)."""
    if not _names_row(question, row):
        return False
    return (
        re.search(rf"{any_spacing(_row_label(row))}\s*(?:은|는|이|가)(?![가-힣])", question)
        is not None
    )


#: an act named by three syllables or more ("재위탁할 수 있나요", "공동수급할 수"): a
#: two-syllable one ("사용해도", "참여할") is ruled on in too many sentences about others
_ASKED_ACT = re.compile(r"([가-힣]{3,})(?:할|될|받을|해도|하여도)\s*(?:수\s*있|되)")


def _ruled_act(question: str) -> re.Pattern[str] | None:
    """What rules on the act a yes/no question asks about ("재위탁할 수 있나요?"): the act
    with 수 있/없, 금지, 불가 or 안 된 right after it ("재위탁할 수 없다")."""
    match = _ASKED_ACT.search(question)
    if match is None:
        return None
    act = re.escape(match.group(1))
    ending = r"\s*(?:[하할한되될된]\S*|받\S*)?\s*"
    return re.compile(rf"{act}{ending}(?:수\s*(?:있|없)|금지|불가|안\s*된)")


#: verbs that only carry another: "보내야 하나요", "써도 되나요", "저장해 둔"
_AUXILIARY = frozenset({"하", "되", "있", "없", "두", "보", "주", "놓", "지"})
#: a ruling right after an act: "전송하지 않는다", "편집할 수 없으며", "반환 불가"
_RULED = r"[가-힣]{0,3}\s*(?:수\s*(?:있|없)|지\s*(?:않|못|말)|않|금지|불가|안\s*된|없)"


def asked_verb(question: str) -> re.Pattern[str] | None:
    """What rules on the native verb a yes/no question ends with ("서버로 보내야
    하나요?"): the verb or a formal word for it (:mod:`dalin.answer.plain_words`: 보내다 =
    전송) right before a ruling ("전송하지 않는다"). A Sino-Korean act ("참여할 수
    있나요") is ruled on in too many sentences about other things; None for it."""
    tokens = kiwi().tokenize(question)
    act = ""
    for token in tokens:
        if token.tag.startswith("VV") and token.form not in _AUXILIARY:
            act = token.form
        elif token.tag == "XSV":
            act = ""  # "띄워서 호출하나요" asks of 호출, a Sino-Korean act: none to read
    if not act:
        return None
    words = sorted({act, *formal_words(act)}, key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(map(re.escape, words))}){_RULED}")


#: a field a form is asked to have: "예상 문제점을 적는 칸이 있나요?", "비고란이 있나요?"
_FIELD = re.compile(
    r"((?:[가-힣A-Za-z]+(?<![에의])\s)?[가-힣A-Za-z]+)\s*(?:(?:을|를)\s*(?:적|쓰|기입하|기재하|입력하)는\s*)?"
    r"(?:칸|란|항목|열)(?:이|은|도)?\s*(?:있|없|따로)"
)


def asked_field(question: str) -> list[str]:
    """The field a question asks a form or table to have, squashed: a header that writes
    it answers "… 칸이 있나요?"."""
    found = _FIELD.search(question)
    if found is None or len(squash(found[1])) < 2:
        return []
    return [squash(found[1])]


#: a command-line flag: "--sheets", "--pdf-ua"
_FLAG = re.compile(r"(?<![\w-])--[A-Za-z][\w-]*")
#: an English term of two words or more a Korean question glosses in brackets:
#: "operations research(운영 연구)" (a name glossed the other way, "연간 보고서(Annual
#: Report 2012)", names the document, not what is asked)
_ENGLISH_TERM = re.compile(r"([A-Za-z][A-Za-z-]+(?:\s+[A-Za-z][A-Za-z-]+)+)\s*[(（][가-힣\s]+[)）]")


#: a sentence that only explains the one before it: "풀카운트에서 … 공략한 결과였다." tells
#: how the 2루타 of the sentence before came about
_EXPLAINS = re.compile(r"(?:결과|때문|덕분|탓)(?:이었|였|이)다[.。]?\s*$")
#: what an explaining sentence loses for the words it borrows from the one it explains
_BORROWED = 0.001


def _explained(unit: Unit, units: Sequence[tuple[Unit, float, int]]) -> str:
    """The sentence ``unit`` explains, when it only explains the one before it; else ""."""
    if not _EXPLAINS.search(unit.display):
        return ""
    before = [u for u, _, _ in units if u.hit.chunk_id == unit.hit.chunk_id and u.end <= unit.start]
    return max(before, key=lambda u: u.end).display if before else ""


def yes_no_candidate(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> Candidate | None:
    """The ruling of the sentence most about the question; a sentence that rules (permits,
    forbids) beats one that only names the topic, a heading never rules."""
    graded = graded_offence(reading, units)
    if graded is not None:
        return graded
    scored = []
    # what is asked about the subject: a sentence that neither rules on anything nor names
    # any of it ("Kraxi Systems, Inc." for "Kraxi는 젖은 제품의 반품을 받아 주나요?") is no answer
    predicate = [w for w in reading.words if w not in reading.subject]
    # a flag the question writes ("--sheets") is a name as sure as a quoted word
    quoted = quoted_words(reading.question) + asked_field(reading.question)
    quoted += [squash(f) for f in _FLAG.findall(reading.question)]
    # an English term a Korean question glosses names what is asked as surely as a quote
    # ("operations research(운영 연구)도 들어 있나요?"), whatever else its sentence says
    terms = [squash(t) for t in _ENGLISH_TERM.findall(reading.question)]
    quoted += terms
    prefixed = prefixed_nouns(reading.question)
    action = _ruled_act(reading.question)
    verb = asked_verb(reading.question) if action is None else None
    for i, (unit, relevance, rank) in enumerate(units):
        if unit.demoted:
            continue
        # a sentence that only explains the one before it says one thing with it
        explained = _explained(unit, units)
        said = f"{explained} {unit.display}"
        own = act_tokens(reading.question, set(tokenize(said)))
        written = squash(unit.display)
        # "재위탁할 수 있나요?" asks about 재위탁: a sentence on 위탁 alone is about another thing
        own -= {base for base, whole in prefixed.items() if whole not in written}
        share = share_of(reading, own)
        asked = share_of(reading, own, predicate) if predicate else share
        states = (
            status_verdict(reading.question, unit.display) is not None
            or option_verdict(reading.question, unit.display) is not None
            or listed_verdict(reading.question, unit.display) is not None
        )
        # a value that settles the question outright: "해당없음", a clock time for 오전,
        # who is most so for "가장 낮았나요"
        lacks = any(
            verdict(reading.question, unit.display) is not None
            for verdict in (
                none_verdict,
                zero_charge_verdict,
                half_day_verdict,
                superlative_verdict,
                opposite_quality_verdict,
                kept_from_removal,
                limited_otherwise,
                removed_clause,
            )
        )
        # what the question asks whether one must have is done without: "Docker가 꼭 깔려
        # 있어야 하나요?" and "Docker도 필요 없는"
        lacks = lacks or done_without(reading, unit.display) is not None
        states = states or lacks
        formats = format_verdict(reading.question, unit.display) is not None
        termed = any(t in written for t in terms)
        # a status cell rules on the state asked ("판단: 진행 중" for 완료됐나요)
        if share == 0 or (
            asked == 0 and not (has_ruling(unit.display) or states or formats or termed)
        ):
            continue
        if other_case(reading.question, unit.display):
            continue
        if other_section(reading.question, unit.context):
            continue  # "5.2절 실험에서 …?" is not ruled on by a sentence of 5.1
        if states_other_filter(reading.question, unit.display, Asked.YES_NO):
            continue  # "Phase 4는 완료됐나요?" is not ruled on by the Phase 3 row
        # the file name counts as the document's words, as it does at the gate ("office2pdf로
        # … 만들 수 있나요?" is about the office2pdf slides, not another PDF's 규격)
        around = f"{unit.context} {unit.hit.section} {document_words(unit.hit.name)}"
        context = share_of(reading, set(tokenize(around)) - own)
        # a precedence on the tie asked rules, though it ends on a noun ("… 우선순위 부여")
        tie = other_tiebreak(reading.question, unit.display) is not None
        rules = 0.2 if has_ruling(unit.display) or tie else -0.3 if is_title(unit) else 0.0
        score = share + 0.5 * context + rules + 0.3 * relevance - 0.02 * rank
        if explained:
            # an explaining sentence wins only by words of its own ("풀카운트였나요?"); on a
            # tie the sentence it explains says what is asked ("4회말 선두타자로 나와")
            score -= _BORROWED
        if action is not None and action.search(unit.display):
            score += _ACT_BONUS  # it rules on the very act asked ("재위탁할 수 없다")
        elif verb is not None and verb.search(unit.display):
            score += _VERB_BONUS  # it rules on the act asked, maybe in a formal word
        if bounds_proposal(reading.question, unit.display):
            score += _BOUND_BONUS  # "일주일 안에만 …?" and "1일 내에 신고해야 한다"
        if tie:
            score += _ACT_BONUS  # "합산점수가 같으면 …?" and "합산점수가 동일한 경우 : …"
        if formats or lacks:
            # "PPTX에도 쓸 수 있나요?" and "적용 포맷: XLSX"; "… 제공시스템을 통해 제공되나요?"
            # and "표준데이터셋 제공시스템 | 내용: 해당없음"; "표 유형에서 … 가장 낮았나요?"
            # and "표가 가장 낮은 성능을 보이고"
            score += _ACT_BONUS
        if quoted and any(q in written for q in quoted):
            score += 0.5  # it writes the words the question quotes ('가능하다')
        if unit.kind == "row" and _names_row(reading.question, unit.display):
            score += _ROW_BONUS  # "편의시설종류는 …?" is asked of the row labelled 편의시설종류
        if reading.subject:
            # who it is about, and what is asked about them, count alike: "사업자는
            # 공용계정을 …" is about the subject, "공유 폴더는 …" about what is asked
            # (a one-syllable stem, 받 or 하, says too little to count)
            about = [w for w in predicate if len(w) >= 2]
            score += 0.5 * share_of(reading, own, reading.subject)
            score += 0.5 * share_of(reading, own, about) if about else 0.0
        scored.append((score, i))
    if not scored:
        return None
    named = [
        (score, i)
        for score, i in scored
        if units[i][0].kind == "row" and _row_asked(reading.question, units[i][0].display)
    ]
    # "환승센터면적은 선택 항목이라 …?" is ruled on by the row labelled 환승센터면적, not by
    # another row of the table that writes more of the question's words in its description
    _, best = max(named or scored)
    unit = units[best][0]
    same_passage = [u for u, _, _ in units if u.hit.chunk_id == unit.hit.chunk_id and not u.demoted]
    index = next(i for i, u in enumerate(same_passage) if u is unit)
    # a removal is quoted from its sentence's first line, which the answer reads on from:
    # "… 순수 텍스트가 90단어" / "이하로 매우 짧은 문단과 … 제거하였다." (other lines left
    # unfinished, a caption's or a heading's, stand alone)
    if removed_clause(reading.question, unit.display) is not None:
        while index > 0 and _broken_before(same_passage[index - 1], same_passage[index]):
            index -= 1
    unit = same_passage[index]
    candidate = Candidate(max(scored)[0], ruling_lead(reading, unit.display), unit_evidence(unit))
    following = exception_after([u.display for u in same_passage], index)
    if following is not None:
        candidate.extra.append(unit_evidence(same_passage[following]))
    elif is_exception(unit.display):
        pass  # the quoted sentence states its own condition
    return candidate


#: how a sentence ends: a stop, or a sentence-final verb ending
_SENTENCE_END = re.compile(r"[.!?。…」”’)\]]\s*$|(?:다|요|함|음|됨|임)\s*$")


def _broken_before(before: Unit, unit: Unit) -> bool:
    """Whether ``unit`` goes on a sentence ``before`` left unfinished at a PDF line break
    ("… 순수 텍스트가 90단어" / "이하로 매우 짧은 문단과 … 제거하였다."): a Korean line with
    no end, right before it in the same passage."""
    return (
        before.kind == unit.kind not in ("row", "field", "item")
        and before.hit.chunk_id == unit.hit.chunk_id
        and before.end <= unit.start
        and not unit.hit.text[before.end : unit.start].strip()
        and not _SENTENCE_END.search(before.display)
        and has_korean(before.display)
        and not is_title(before)
    )


#: a yes/no question holding an attribute against a number: "평균연령은 50세를 넘었나요?",
#: "참석자가 100명 이상인가요?", "예산이 20억 원 미만인가요?"
_COMPARED = re.compile(
    r"([가-힣A-Za-z]{2,})(?:은|는|이|가)\s+(\d[\d,]*(?:\.\d+)?)\s*([가-힣%]{0,2}?)\s*(?:을|를)?\s*"
    r"(넘었|넘나|넘는|넘어|넘|초과|이상|미만|이하|안\s*되|못\s*미치)"
    # the comparison ends the question: "90단어 이하인 아주 짧은 문단도 …?" compares nothing;
    # or what someone said ends it: "법률안이 100건을 넘는다고 말했나요?"
    r"[가-힣]{0,6}(?:\s+(?:말|언급|발언|밝|설명|주장)[가-힣]{0,5})?\s*[?？]?\s*$"
)
_ABOVE = ("넘", "초과", "이상")


#: "A가 B보다 … 더 많이 …나요?": two things held against each other
_MORE_THAN = re.compile(
    r"(?P<a>[^\s,]+(?:\s[^\s,]+)?)(?:이|가|은|는)\s+(?P<b>[^\s,]+(?:\s[^\s,]+)?)보다\s+"
    r"(?:[^?？]*?\s)?더\s*(?P<how>많|적|높|낮|크|작|길|짧|비싸|싸|늦|빠르|이르|일찍)"
)
_MORE = ("많", "높", "크", "길", "비싸", "늦")


def respective_comparison(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> Candidate | None:
    """예 or 아니요 for "A가 B보다 … 더 많이 …나요?" over a sentence naming both and giving
    their values respectively: "ABC 주식회사와 DEF 파트너스는 각각 30인 및 70인의 임원을
    파견한다" answers "ABC 주식회사가 DEF 파트너스보다 임원을 더 많이 파견하나요?" 아니요.
    None unless one sentence names both before 각각 and lists two values after it."""
    asked = _MORE_THAN.search(reading.question)
    if asked is None:
        return None
    names = [squash(asked.group("a")), squash(asked.group("b"))]
    for unit, _, _ in units:
        mark = EACH.search(unit.display)
        if mark is None or unit.demoted:
            continue
        before = squash(unit.display[: mark.start()])
        if not all(n in before for n in names):
            continue
        after = unit.display[mark.end() :]
        listed = listed_run(after, [v for v in find_values(after) if v.number is not None])
        if len(listed) != 2:
            continue
        first, second = sorted(names, key=before.index)
        own = {first: listed[0], second: listed[1]}
        a, b = own[names[0]], own[names[1]]
        assert a.number is not None and b.number is not None
        more = asked.group("how").startswith(_MORE)
        yes = a.number > b.number if more else a.number < b.number
        shown = f"{asked.group('a')} {a.text}, {asked.group('b')} {b.text}"
        return Candidate(1.0, f"{(YES if yes else NO)[reading.language]} — {shown}",
                         unit_evidence(unit))  # fmt: skip
    return None


def compared_candidate(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> Candidate | None:
    """예 or 아니요 for a question holding an attribute against a number, read off the line
    that states the attribute's own number in the same unit ("평균연령 : 53세" for "평균연령은
    50세를 넘었나요?" is 예); the line whose passage shares most of the question wins. None when
    no line states it."""
    asked = _COMPARED.search(reading.question)
    if asked is None:
        return None
    name, bound, unit, how = asked.groups()
    stated = re.compile(
        rf"{re.escape(name)}\s*(?:은|는|이|가)?\s*[:：]?\s*(\d[\d,]*(?:\.\d+)?)\s*{re.escape(unit)}"
    )
    best = _best_stating(reading, units, stated.search)
    if best is None:
        return None
    score, match, unit_ = best
    value, limit = float(match.group(1).replace(",", "")), float(bound.replace(",", ""))
    yes = _holds(value, limit, how)
    lead = f"{(YES if yes else NO)[reading.language]} — {match.group().strip()}"
    return Candidate(score + 1.0, lead, unit_evidence(unit_))


_Stated = TypeVar("_Stated")
_Amount = TypeVar("_Amount", float, Decimal)


def _best_stating(
    reading: Reading,
    units: Sequence[tuple[Unit, float, int]],
    read: Callable[[str], _Stated | None],
) -> tuple[float, _Stated, Unit] | None:
    """The line ``read`` finds a statement in whose passage shares most of the question (its
    search rank and relevance next), with its score and the statement; None when none does."""
    found = []
    for unit, relevance, rank in units:
        stated = read(unit.display)
        if stated is None or unit.demoted:
            continue
        around = set(tokenize(f"{unit.display} {unit.context} {unit.hit.section}"))
        found.append((share_of(reading, around) + 0.3 * relevance - 0.02 * rank, stated, unit))
    return max(found, key=lambda f: f[0]) if found else None


def _holds(value: _Amount, limit: _Amount, how: str) -> bool:
    """Whether ``value`` is on the side of ``limit`` a question's word asks: 넘, 초과 and
    이상 above it (이상 at it too), 미만, 이하 (at it too), 안 되, 못 미치 below."""
    if how.startswith(_ABOVE):
        return value > limit if how != "이상" else value >= limit
    return value < limit if how != "이하" else value <= limit


#: a sum of money a question holds a project against: "20억 원이 넘는 규모의 사업인가요?"
_MONEY_BOUND = re.compile(
    r"(?P<amount>\d[\d,.]*\s*(?:억|천만|백만|만|천)?\s*원)\s*(?:이|가|을|를)?\s*"
    r"(?P<how>넘|초과|이상|미만|이하|안\s*되|못\s*미치)"
)
#: what a line states a project's or a contract's cost under: "사업금액 : 1,062,888천원"
_COST_LABEL = re.compile(r"(?:사업|계약|추정|총)\s*(?:금액|예산|비용)|사업비|예산액?|총\s*사업비")
#: how far after its label a cost may be written: "사업금액 : 1,062,888천원"
_COST_GAP = 8


def cost_compared(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Candidate | None:
    """예 or 아니요 for whether a project costs more or less than a sum the question states,
    read off the line stating its cost under a cost label, the two sums in won ("20억 원이
    넘는 규모의 사업인가요?" over "사업금액 : 1,062,888천원" is 아니요). The line whose
    passage shares most of the question wins; None when no line states a cost."""
    asked = _MONEY_BOUND.search(reading.question)
    bound = _won(asked.group("amount")) if asked else None
    if asked is None or bound is None:
        return None
    best = _best_stating(reading, units, _cost_in)
    if best is None:
        return None
    score, (cost, said), unit = best
    yes = _holds(cost, bound, asked.group("how"))
    lead = f"{(YES if yes else NO)[reading.language]} — {said}"
    return Candidate(score + 1.0, lead, unit_evidence(unit))


def _cost_in(line: str) -> tuple[Decimal, str] | None:
    """The cost a line states right after a cost label, in won, with the words stating it."""
    for label in _COST_LABEL.finditer(line):
        for value in find_values(line[label.end() : label.end() + _COST_GAP + 30]):
            if value.kind is ValueKind.MONEY and value.start <= _COST_GAP:
                amount = base_amount(value)
                if amount is not None:
                    end = label.end() + value.end
                    return amount, line[label.start() : end].strip()
    return None


def _won(written: str) -> Decimal | None:
    """A sum written in a question, in won: "20억 원" → 2,000,000,000."""
    values = [v for v in find_values(written) if v.kind is ValueKind.MONEY]
    return base_amount(values[0]) if values else None


#: a measure a question states: "35mm", "85.7%", "3명", "17시"
_AMOUNT_IN = (
    r"(\d[\d,]*(?:\.\d+)?)\s*([A-Za-z]{1,4}|%|명|개|원|시|분|일|년|건|배|회|점|세|살|쪽|층|곳|대)"
)
_STATED_MEASURE = re.compile(_AMOUNT_IN + r"(?![A-Za-z])")
#: how far after the quoted phrase its measure may stand on the line
_MEASURE_GAP = 12


def quoted_measure(
    reading: Reading, units: Sequence[tuple[Unit, float, int]], sources: Sources
) -> Candidate | None:
    """예 or 아니요 for a yes/no question stating a measure of a thing it quotes, read off
    the line giving that thing's own measure in the same unit: "'종이 가운데로부터' 배치된
    표도 … 35mm 떨어져 있나요?" over "표 13 여백 10mm, 종이 가운데로부터 5mm" is 아니요 —
    종이 가운데로부터 5mm. The best-ranked line so written wins; then any line of the
    document most about the question (search found 표 5 … 표 9, not 표 13). None when the
    question quotes no phrase or states no measure, or no line gives the phrase one."""
    quoted = QUOTED.search(reading.question)
    stated = _STATED_MEASURE.search(reading.question, quoted.end()) if quoted else None
    if quoted is None or stated is None:
        return None
    phrase = any_spacing(quoted.group(1))
    # the phrase's groups are escaped text: the measure's are 1 and 2
    given = re.compile(rf"{phrase}[^\n,;]{{0,{_MEASURE_GAP}}}?{_AMOUNT_IN}(?![A-Za-z])")
    ranked = sorted((u for u in units if not u[0].demoted), key=lambda u: u[2])
    for unit, _, _ in ranked:
        found = _measure_in(given, unit.display, stated.group(2))
        if found is not None:
            return _measure_verdict(reading, stated, found, unit_evidence(unit))
    if sources.passages is None or not ranked:
        return None
    hit = ranked[0][0].hit
    for passage in sources.passages(hit.doc_id):
        found = _measure_in(given, passage.text, stated.group(2))
        if found is not None:
            line = passage.text.rfind("\n", 0, found.start()) + 1
            end = passage.text.find("\n", found.end())
            end = len(passage.text) if end < 0 else end
            quote = passage.text[line:end].strip()
            at = passage.start + passage.text.index(quote, line)
            evidence = passage_evidence(hit, passage, at, quote, quote)
            return _measure_verdict(reading, stated, found, evidence)
    return None


def _measure_in(given: re.Pattern[str], text: str, unit: str) -> re.Match[str] | None:
    """The first place ``text`` gives the quoted phrase a measure in ``unit``."""
    return next((m for m in given.finditer(text) if m.group(2) == unit), None)


def _measure_verdict(
    reading: Reading, stated: re.Match[str], found: re.Match[str], evidence: Evidence
) -> Candidate:
    """예 when the measure found is the one the question states, else 아니요, with it."""
    same = Decimal(found.group(1).replace(",", "")) == Decimal(stated.group(1).replace(",", ""))
    lead = f"{(YES if same else NO)[reading.language]} — {found.group().strip()}"
    return Candidate(1.0, lead, evidence)


#: a yes/no question on whether something is the most or the least of its kind
_EXTREME_ASKED = re.compile(r"(?:가장|제일)\s*(?:많|높|크|큰|적|작|낮)")
#: a sentence that says what is the most or the least, or ranks things
_EXTREME_STATED = re.compile(
    r"가장|제일|최대|최고|최다|최소|최저|최하|\d\s*[위등](?:[을를이가은는의에]|(?![가-힣]))"
)


def unranked(question: str, sentence: str) -> bool:
    """Whether a yes/no question asks if something is the most (or least) of its kind and
    the sentence ruling on it says nothing of the sort: "계류 법안이 가장 많은 곳이
    환경노동위원회인가요?" is not answered 예 by a sentence that only names the committee."""
    return bool(_EXTREME_ASKED.search(question)) and not _EXTREME_STATED.search(sentence)
