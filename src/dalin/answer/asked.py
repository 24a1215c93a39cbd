"""What a Korean question asks for, as a word the answer's passage must hold.

A question names a topic and, last, the attribute it wants of it: "온나라 웹기안기 입찰
보증금은 얼마인가요?" is about 웹기안기 and asks for its 보증금. The head of the noun phrase
before the question's topic particle is that attribute. When the passage an answer comes
from never mentions it, the answer is only about the topic (a usage count of 웹기안기 for
its bid bond, an F1 score for a parameter count) and a cited wrong answer is worse than
none, so the reader abstains. Words that only say what kind of value is asked (수, 시간,
날짜 …) are no attribute: the value's kind stands for them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from dalin.answer.intent import Asked, Intent
from dalin.answer.tables import squash
from dalin.answer.values import COUNT_UNIT, Value, ValueKind
from dalin.text.korean import has_korean, kiwi, tokenize

__all__ = [
    "asked_attribute",
    "counts_other_thing",
    "holds_attribute",
    "names_absent",
    "per_one_unsaid",
    "which_noun",
]

#: nouns that say what kind of value is asked, not which attribute: a time answers 시각,
#: a count answers 수, whatever the passage calls them
GENERIC = frozenset(
    (
        "수",
        "개수",
        "횟수",
        "건수",
        "인원",
        "시간",
        "시각",
        "날짜",
        "일자",
        "일시",
        "날",
        "때",
        "기간",
        # how often or when: answered as 분기마다, 매월, 3년마다, 5월 (never "주기는 …")
        "주기",
        "빈도",
        "간격",
        "시기",
        "금액",
        "값",
        "액수",
        "비율",
        "점수",
        "점",
        "번호",
        "이름",
        "성명",
        "것",
        "곳",
        "분",
        "명",
        "개",
        "건",
        "정도",
        "얼마",
        "무엇",
        "누구",
        "언제",
        "어디",
        "규모",
        "기한",
        "장소",
        "위치",
        "전화번호",
        "전화",
        "연락처",
        "주소",
        # where people come from, which only says they are counted by group: "공공기관
        # 출신은 몇 명" asks for the 공공기관 count ("공공기관 6명"), never written 출신
        "출신",
    )
)
#: words that name the kind of value asked rather than what it is about: a passage that
#: states a value of the kind holds them ("체육협력관 담당자의 전화번호는?" over "홍덕호
#: 044-203-3181"; the table never writes 전화번호)
NAMED_BY_VALUE: Mapping[ValueKind, frozenset[str]] = {
    ValueKind.PHONE: frozenset(
        ["전화번호", "전화", "번호", "연락처", "연락", "팩스", "phone", "tel", "fax"]
    ),
    ValueKind.EMAIL: frozenset(["이메일", "메일", "주소", "email", "e", "mail"]),
    ValueKind.DATE: frozenset(["날짜", "일자", "날", "일시", "시점", "date"]),
    # "within how many days …?" over "10일 이내에": the value is the days (English stems)
    ValueKind.DURATION: frozenset(["기간", "day", "week", "month", "year", "hour", "minut"]),
}

#: nouns asking for a summary the answer gives in its own words: no word need match
SUMMARY = frozenset(("결과", "성적", "현황", "실적", "내용", "상황"))
#: counters after 몇 that ask where in a text (an article, a page), not for a value
_PLACES_IN_TEXT = frozenset(("조", "항", "호", "쪽", "페이지", "장", "절", "조항"))
#: a limit before the value asked ("구성원은 최대 몇 개사"): the documents state it with
#: 이하/이상/미만 ("5개사 이하"), so it names no attribute a passage must hold
_LIMITS = frozenset(("최대", "최소"))
_NOUN = ("NNG", "NNP", "SL", "SH")
_PARTICLE = ("JX", "JKS", "JKO")
_MARK = frozenset(("은", "는", "이", "가", "을", "를"))
_QUESTION_WORDS = frozenset(
    ("몇", "얼마", "언제", "누구", "무엇", "어디", "어느", "며칠", "무슨", "어떤")
)


#: the day a document is as of: "몇 년 몇 월 며칠 자 기준", "며칠 기준"
_DATED_AS_OF = re.compile(r"(?:며칠|날짜|일자)\s*자?\s*기준")


def asked_attribute(question: str) -> str:
    """The head noun of what a Korean question asks for: the last noun, not a generic one,
    of the phrase its last topic, subject or object particle marks before the question word
    ("… 입찰 보증금은 얼마인가요?" → 보증금; with no question word, "… 파라미터 수는?" →
    파라미터), or of a bare noun the question word follows ("F1 몇 점"). Empty when there
    is none."""
    return _attribute(question)[0]


#: the question words and auxiliaries of an English sentence
_ENGLISH_GRAMMAR = re.compile(
    r"\b(?:what|which|who|whom|whose|when|where|how|did|does|do|is|are|was|were)\b", re.I
)


def english_grammar(question: str) -> bool:
    """Whether a question is an English sentence, whatever Korean names or glosses it writes
    ("what score did 개똥이 get in Korean language (국어)?"); "KorQuAD 1.0 리더보드 1위
    EXAONE-LM-v1.0의 파라미터 수는?" is Korean, however many Latin letters it holds."""
    return _ENGLISH_GRAMMAR.search(question) is not None


def _attribute(question: str) -> tuple[str, str]:
    """The attribute asked and the noun its suffix was put on ("학습률", "학습"), or blanks."""
    if not has_korean(question) or _DATED_AS_OF.search(question):
        return "", ""  # "문서는 몇 년 몇 월 며칠 자 기준?" asks the day the document is of
    if english_grammar(question):
        return "", ""  # an English question glossing Korean names: "… (C반 기말고사), what …"
    tokens = kiwi().tokenize(question)
    asking = next((i for i, t in enumerate(tokens) if t.form in _QUESTION_WORDS), None)
    after = tokens[asking + 1].form if asking is not None and asking + 1 < len(tokens) else ""
    if after in _PLACES_IN_TEXT:
        return "", ""  # "KBO 규정 몇 조에서 다루나요?" asks where in 규정, which is no attribute
    end = len(tokens) if asking is None else asking
    if asking is not None and asking > 0 and tokens[asking - 1].tag in (*_NOUN, "SN"):
        i = asking - 1  # "F1 몇 점": the noun the question word counts
    else:
        # the phrase its topic, subject or object particle marks ("일비를 하루에 얼마" asks
        # for 일비; 하루에 only says per what)
        marks = [j for j in range(end) if tokens[j].tag in _PARTICLE and tokens[j].form in _MARK]
        i = _before_gloss(tokens, (marks[-1] if marks else 0) - 1)
    while i >= 0 and (tokens[i].tag in (*_NOUN, "SN") or _noun_suffix(tokens, i)):
        form = stem = str(tokens[i].form)
        if tokens[i].tag == "XSN":  # "학습률": 학습 and the suffix 률 make one noun
            i -= 1
            stem = str(tokens[i].form)
            form = stem if form in _PLURAL else f"{stem}{form}"  # "회원들" asks for 회원
        if form in SUMMARY:
            return "", ""  # "타격 성적은?" is answered in the record's own words (4타수 2안타)
        named = stem not in GENERIC and stem not in _LIMITS  # "최대치" is a limit too
        if named and len(form) >= 2 and tokens[i].tag != "SN":
            return form, stem
        i -= 1
    return "", ""


#: determiners that ask which one of a kind: 어느 기관, 무슨 과정, 어떤 서식
_WHICH = frozenset(("어느", "무슨", "어떤"))


def which_noun(question: str) -> str:
    """The kind a question asks which one of: the head of the nouns after 어느, 무슨 or
    어떤 ("이 데이터는 어느 기관이 제공하나요?" → 기관). Empty when there is none, or when
    the noun only says what kind of value is asked (어느 정도, 어떤 것)."""
    if not has_korean(question):
        return ""
    tokens = kiwi().tokenize(question)
    for i, token in enumerate(tokens):
        if token.form not in _WHICH or token.tag != "MM":
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].tag in ("NNG", "NNP"):
            j += 1
        head = str(tokens[j - 1].form) if j > i + 1 else ""
        return head if len(head) >= 2 and head not in GENERIC else ""
    return ""


def attribute_forms(question: str) -> tuple[str, ...]:
    """Every way a document may name the attribute asked: the noun (:func:`asked_attribute`),
    its stem when a suffix made it ("10%를 점유하게" speaks of 점유율) and the gloss the
    question gives in brackets ("LOC" for "코드 줄 수(LOC)"). Empty when none is asked."""
    form, stem = _attribute(question)
    if not form:
        return ()
    gloss = asked_gloss(question)
    return tuple(dict.fromkeys(f for f in (form, stem, gloss) if len(f) >= 2))


#: suffixes that only make a noun plural or polite: "회원들" asks what "회원" does
_PLURAL = frozenset(("들", "님", "씨"))
#: a gloss in brackets before the particle that marks what is asked: "코드 줄 수(LOC)는"
_GLOSS = re.compile(r"[(（]\s*([^()（）]{2,40}?)\s*[)）]\s*(?:은|는|이|가|을|를|으로|로)\s")


def asked_gloss(question: str) -> str:
    """The words a question gives in brackets for what it asks ("LOC" in "코드 줄 수(LOC)는
    얼마인가요?"): a document may name the attribute so instead. Empty when there are none."""
    found = _GLOSS.findall(question)
    return str(found[-1]) if found else ""


def _before_gloss(tokens: Sequence[Any], i: int) -> int:
    """The index before a bracketed gloss ending at ``i`` ("학습률(learning rate)은": the
    gloss restates the noun before it), else ``i``."""
    if i < 0 or tokens[i].form not in (")", "）"):
        return i
    j = i
    while j >= 0 and tokens[j].form not in ("(", "（"):
        j -= 1
    return j - 1 if j > 0 else i


def _noun_suffix(tokens: Sequence[Any], i: int) -> bool:
    """A noun-making suffix on a noun: 률 in 학습률, 성 in 안정성."""
    return tokens[i].tag == "XSN" and i > 0 and tokens[i - 1].tag in _NOUN


def holds_attribute(
    attribute: str, texts: Sequence[str], same: Mapping[str, frozenset[str]] | None = None
) -> bool:
    """Whether any of ``texts`` mentions the attribute: as a token, inside a compound or a
    letter-spaced label ("경기개시 시간" holds 개시), or through a glossary equivalent."""
    if not attribute:
        return True
    key = squash(attribute)
    for text in texts:
        if key in squash(text):
            return True
        if same is not None and any(attribute in same.get(t, ()) for t in tokenize(text)):
            return True
    return False


#: the counter after 몇: what the count asked is of ("몇 층" asks for a floor)
_ASKED_COUNTER = re.compile(
    r"몇\s*(개월|시간|가지|층|개|명|건|곳|대|회|번|점|일|분|배|호|살|세|권|장|주|년|초)"
)
#: counters of time: a line counting only in them counts no 이닝, 나라 or 타석
_TIME_COUNTERS = frozenset(("일", "년", "개월", "주", "시간", "분", "초"))
#: the first syllables of a time asked after 몇: 시, 월, 일, 년, 주, 분, 초
_TIME_WORDS = frozenset("시월일년주분초")
#: any other word counted after 몇: "몇 이닝을", "몇 타석에"
_ASKED_OTHER = re.compile(r"몇\s*([가-힣]{1,3}?)(?=[을를이가은는의도만에]|\s|[?？]|$)")
#: a number with its counter in an answer line
_COUNTED = re.compile(
    r"\d[\d,.]*\s*(개월|시간|가지|층|개|명|건|곳|대|회|번|점|일|분|배|호|살|세|권|장|주|년|초|인|종|승|패)"
    r"(?![가-힣])"
)
#: a unit of measure after 몇 ("몇 MB로", "몇 km"), and one in an answer line
_ASKED_UNIT = re.compile(r"몇\s*(MB|GB|KB|TB|km|kg|cm|mm|ms|pt|px)(?![A-Za-z])", re.IGNORECASE)
_UNIT = re.compile(r"\d[\d,.]*\s*(MB|GB|KB|TB|km|kg|cm|mm|ms|pt|px)(?![A-Za-z])", re.IGNORECASE)
#: a date names a day, it counts nothing: "(2022년 기준)", "5월 7일"
_DATE = re.compile(r"\d{4}\s*년|\d{1,2}\s*월\s*\d{1,2}\s*일")
#: counters that count the same kind of thing
_SAME_COUNT = (
    frozenset(("KB", "MB", "GB", "TB")),
    frozenset(("KM", "CM", "MM")),
    frozenset(("개", "건", "종", "종류", "가지", "개사", "개소", "개국")),
    frozenset(("명", "인")),
    frozenset(("번", "회", "차례")),
    frozenset(("살", "세")),
    frozenset(("시간", "분", "초")),
    frozenset(("일", "주", "개월", "년")),
)


def same_counters(counter: str) -> frozenset[str]:
    """The counters that count what ``counter`` does ("가지": 종류, 종, 개 …), itself included."""
    return next((g for g in _SAME_COUNT if counter in g), frozenset((counter,)))


def counts_other_things(intent: Intent, value: Value) -> bool:
    """Whether a count counts other things than the counter asked does: "1년에 몇 번
    하나요?" is not answered by "사용건수 … 17,737,227건", nor "몇 명" by "5개 기관"."""
    if value.kind is not ValueKind.COUNT or not value.unit or not intent.counter:
        return False
    asked = next((g for g in _SAME_COUNT if intent.counter in g), None)
    other = next((g for g in _SAME_COUNT if value.unit in g), None)
    if asked is None:
        # a counter in no group counts only what it names: "몇 부" is not "17,737,227건";
        # "몇 m", "몇 이닝" name no counter a count is written with
        return COUNT_UNIT.fullmatch(intent.counter) is not None and value.unit != intent.counter
    return other is not None and other is not asked  # "몇 개" may count 타점


#: a figure asked of each one of many: "기관 한 곳에서 … 최대 몇 명", "1인당 몇 시간"
_PER_ONE_ASKED = re.compile(
    r"(?:한|(?<![\d,.])1)\s*(?:곳|명|사람|기관|팀|가구|세대|업체)\s*(?:에서|이|당|마다)"
    r"|(?:\d|한)?\s*(?:인|명|개|곳|건|회|기관|가구|세대)당"
)
#: a line saying its figure is of each one: "1인당", "기관별", "각 기관", "per person"
_PER_ONE_SAID = re.compile(
    r"당|마다|별|각|(?:한|(?<![\d,.])1)\s*(?:곳|명|사람|기관|팀|가구|세대|업체|인)|\bper\b"
    r"|\beach\b",
    re.I,
)


def per_one_unsaid(question: str, said: str) -> bool:
    """Whether the question asks a figure of each one of many ("기관 한 곳에서 후보를 최대
    몇 명까지 추천할 수 있어요?") and the line gives its figure of no one thing: "모집인원 :
    심사위원 후보 21명" is how many are sought in all, not how many one body may put up."""
    return _PER_ONE_ASKED.search(question) is not None and _PER_ONE_SAID.search(said) is None


#: what a question says not to restrict the figure by: "자본금 규모와 상관없이 … 모두 몇 개"
_REGARDLESS = re.compile(
    r"([가-힣A-Za-z]{2,})(?:\s*(?:규모|크기|여부|수준|액수|금액))?\s*(?:와|과|에)\s*"
    r"(?:상관|관계)\s*없이"
)


def restricted_unasked(question: str, said: str) -> bool:
    """Whether the question asks a figure whatever one measure is ("자본금 규모와 상관없이
    영농조합법인은 모두 몇 개") and the line gives it only for those above or below some
    amount of that measure ("영농조합법인 중 자본금이 1억 원 이상인 법인이 6,835개"): a
    part, not the whole asked."""
    regardless = _REGARDLESS.search(question)
    if regardless is None:
        return False
    measure = re.escape(regardless.group(1))
    return (
        re.search(rf"{measure}[이가은는]?\s[^.,;:|]{{0,15}}?(?:이상|이하|미만|초과)", said)
        is not None
    )


def counts_other_thing(question: str, lead: str) -> bool:
    """Whether an answer line counts something else than the question's "몇 X" does: it
    writes its numbers with counters and none is X or counts what X counts ("몇 층에
    있나요?" over "회의록 제 1 호", "몇 MB로" over "6개 타깃"). A bare number may count
    anything."""
    asked = _ASKED_COUNTER.search(question) or _ASKED_UNIT.search(question)
    undated = _DATE.sub(" ", lead)
    if asked is None:
        # a counter of its own ("몇 이닝을 던졌나요"): a line counting only in others ("2일")
        # counts something else, one writing it after a number does not
        other = _ASKED_OTHER.search(question)
        if other is None or other.group(1)[0] in _TIME_WORDS:
            return False  # "몇 시부터", "몇 월에": a time, which days and years may answer
        if re.search(rf"\d[\d,.]*\s*{other.group(1)}", undated):
            return False
        counted = set(_COUNTED.findall(undated))
        return bool(counted) and counted <= _TIME_COUNTERS  # "14개" may count 나라; "2일" not
    found = set(_COUNTED.findall(undated)) | {u.upper() for u in _UNIT.findall(undated)}
    if not found:
        return False
    counter = asked.group(1) if asked.re is _ASKED_COUNTER else asked.group(1).upper()
    kin = next((g for g in _SAME_COUNT if counter in g), frozenset((counter,)))
    return not found & kin


#: what picks out the thing asked about, stated with a number: "11월 토요일", "4번타자",
#: "제2기 위원회", "3분기"; a month that is part of a date ("11월 15일") is no such label, and
#: years are left out: running text states many years beside the one an answer is about
_FILTER = re.compile(r"(?<![\d.,])(\d{1,4})\s*(월(?!\s*\d{1,2}\s*일)|분기|번타자|호선|기|차)")


#: a stage, step or round named in Latin letters with its number: "Phase 4", "Step 2"
#: (not "office2pdf", "RTX 4090", "SkERT-Large 2.0.0")
_LATIN_FILTER = re.compile(
    r"(?<![A-Za-z0-9/-])(Phase|Step|Stage|Level|Round|Part|Week|Day|Sprint|Wave|Tier)\s?"
    r"(\d{1,2})(?![\d.A-Za-z])",
    re.IGNORECASE,
)


def _filters(text: str) -> list[tuple[int, str]]:
    """The numbered labels ``text`` writes: (11, "월"), (4, "phase")."""
    found = [(int(n), unit) for n, unit in _FILTER.findall(text)]
    return found + [(int(n), word.lower()) for word, n in _LATIN_FILTER.findall(text)]


def states_other_filter(question: str, lead: str, asked: Asked) -> bool:
    """Whether an answer line is about another month, quarter, batting order … than the one
    the question names: it states the same kind of number, never the question's ("KBO 11월
    토요일 경기는?" over "3월 토요일: 17:00"; the table has no November). Months are what a
    date answer states, so they are not compared when a date is asked."""
    dated = asked in (Asked.DATE, Asked.DURATION)
    wanted = {(n, unit) for n, unit in _filters(question) if not (dated and unit == "월")}
    if not wanted:
        return False
    stated = set(_filters(lead))
    units = {unit for _, unit in wanted}
    return any(u in units for _, u in stated) and not wanted & stated


#: a name written in Latin letters: "Kraxi", "KorQuAD", "office2pdf", "SLA" (not a bare
#: number or date: "2020-10" is written many ways)
_LATIN_NAME = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*"
    # with the version written after it: "KorQuAD 2.0" is not KorQuAD 1.0
    r"(?:\s+v?\d+\.\d+(?:\.\d+)?(?![\d.]))?"
)


#: a numbered sitting, term or issue a question names: "제2차 회의", "제1기 위원회",
#: "부령 제1085호" (not 제2차관)
_ORDINAL = re.compile(r"제\s*(\d{1,3})\s*(차|기)(?!관)|제\s*(\d{1,6})\s*(호)")


def names_absent(question: str, document: str, known: Collection[str] = ()) -> str:
    """A name the question writes in Latin letters that ``document`` (its name and text)
    never writes: "Kraxi invoice" is not answered from the Zava Auto Repair estimate however
    alike its rows. A name has a capital or a digit ("KorQuAD", "office2pdf"); the word
    opening a question ("What", "How") is none, nor is a name the glossary gives other words
    for (``known`` tokens: "VAT = 부가가치세"). A version written after a name is part of it
    ("KorQuAD 2.0" is not answered from the KorQuAD 1.0 page). Spaces are not compared.
    A numbered sitting or term ("제2차", "제1기") is a name too, written with or without 제.
    Empty when every name is written there."""
    for match in _ORDINAL.finditer(question):
        number, kind = match.group(1) or match.group(3), match.group(2) or match.group(4)
        if not re.search(rf"(?<!\d){number}\s*{kind}(?!관)", document):
            return match.group()  # "제2차 회의" is not answered from the 제1차 minutes
    squashed = squash(document).lower()
    for word in latin_names(question, known):
        written = _tagged(word, squashed) or _versioned(word, squashed)
        if squash(word).lower() not in squashed and not written:
            return word
    return ""


def _versioned(word: str, squashed: str) -> bool:
    """Whether a name with a version ("SQuAD 1.0") is written with that version a bracket
    or a "v" apart: "Stanford Question Answering Dataset(SQuAD) v1.0"."""
    name, _, version = word.rpartition(" ")
    if not name or not re.fullmatch(r"v?\d+(?:\.\d+)+", version, re.I):
        return False
    bare = re.escape(version.lower().lstrip("v"))
    pattern = rf"(?<![a-z0-9]){re.escape(squash(name).lower())}[)\]'’\"]{{0,2}}v?{bare}(?![\d.])"
    return re.search(pattern, squashed) is not None


def latin_names(question: str, known: Collection[str] = ()) -> list[str]:
    """The names ``question`` writes in Latin letters (see :func:`names_absent`)."""
    names = []
    for match in _LATIN_NAME.finditer(question):
        word = match.group()
        if not any(c.isupper() or c.isdigit() for c in word) or len(word) < 2:
            continue  # "parser", "invoice": an English word, not a name
        if match.start() == 0 and word.isalpha() and word[1:].islower():
            continue  # "What", "How": the question's first word ("office2pdf로 …" is a name)
        if known and set(tokenize(word)) <= set(known):
            continue
        names.append(word)
    return names


def _tagged(word: str, squashed: str) -> bool:
    """Whether a name with a release tag ("office2pdf v0.6.0") is written as a name and a
    tag apart, as a table of releases writes it: a tag is no part of the name, as "2.0" is
    of "KorQuAD 2.0"."""
    name, _, tag = word.rpartition(" ")
    return (
        tag.lower().startswith("v") and squash(name).lower() in squashed and tag.lower() in squashed
    )


#: an English question's attribute: "What are X's business hours?", "What is the fee of X?"
_EN_ATTRIBUTE = (
    re.compile(
        # the owner is the subject itself, not inside a phrase ("… number on Diaz's estimate")
        r"^\s*what\s+(?:is|are|was|were)\s+(?:(?!\b(?:on|in|of|for|at|from|by|with)\b)[^?])+?"
        r"['’]s\s+([a-z][a-z\s-]{1,40}?)\s*\??\s*$",
        re.I,
    ),
    re.compile(
        r"^\s*what\s+(?:is|are|was|were)\s+the\s+([a-z][a-z\s-]{1,40}?)\s+(?:of|for)\s+", re.I
    ),
)


def english_attribute(question: str) -> tuple[str, ...]:
    """The tokens of what an English question asks of its subject ("business hours" of
    "What are Zava Auto Repair's business hours?"); () when it is not written that way."""
    for pattern in _EN_ATTRIBUTE:
        match = pattern.search(question)
        if match:
            return tuple(t for t in tokenize(match.group(1)) if len(t) > 1)
    return ()
