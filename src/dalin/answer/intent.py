"""What a question asks for: the kind of answer, and any arithmetic it asks to be done.

``몇 명``, ``얼마``, ``언제``, ``몇 시``, ``며칠``, ``어디``, ``누구``, ``전화번호`` each name
the kind of value that answers them (:class:`Asked`); ``합하면``, ``차이``, ``평균``, ``가장
많은``, ``몇 배``, ``3배수라면`` name an operation over several values (:class:`Operation`);
``~할 수 있나요?`` with no question word is a yes/no question. Patterns are plain regular
expressions over the question text, Korean and English, so a reader can see why a question
was read as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from dalin.answer.values import ValueKind


class Asked(StrEnum):
    """The kind of answer a question wants."""

    MONEY = "money"
    COUNT = "count"
    DATE = "date"
    TIME = "time"
    DURATION = "duration"
    PERCENT = "percent"
    PHONE = "phone"
    EMAIL = "email"
    PERSON = "person"
    PLACE = "place"
    #: a number that names something: 공고 번호, 의안번호, 계약번호
    IDENTIFIER = "identifier"
    NUMBER = "number"
    YES_NO = "yes_no"
    DEFINITION = "definition"
    PROCEDURE = "procedure"
    ANY = "any"


class Operation(StrEnum):
    SUM = "sum"
    DIFFERENCE = "difference"
    AVERAGE = "average"
    RATIO = "ratio"
    MAX = "max"
    MIN = "min"
    #: a value the documents give as a multiple of the one asked ("21명 (평가위원수의 3배수)")
    DIVIDE = "divide"
    #: the time or days between two moments ("10시14분 개의" … "10시45분 산회")
    ELAPSED = "elapsed"
    #: a part's share of its total, in percent ("사용건수 중에서 문서작성이 차지하는 비율")
    SHARE = "share"


#: how long something takes or lasts: "얼마나 걸리나요", "얼마 동안", "how long"
_LASTING_WORDS = r"얼마\s*동안|얼마나\s*(?:오래|걸리|걸렸|걸려|걸릴|소요)|how long"

#: (what is asked, pattern) in order: the first match wins
_ASKED: tuple[tuple[Asked, re.Pattern[str]], ...] = tuple(
    (asked, re.compile(pattern, re.IGNORECASE))
    for asked, pattern in (
        (Asked.EMAIL, r"이메일|e-?mail|메일\s*주소"),
        # "개시 시간을 바꾸려면 얼마 전까지 요청" asks the notice a span gives ("2주전"),
        # however much a time of day is talked about
        (Asked.DURATION, r"얼마\s*(?:전에|전까지|앞서)"),
        # "경기개시 시간 조항은 언제 개정" asks when the article changed, not a time of day
        (
            Asked.TIME,
            r"몇\s*시(?!간)|시각|(?:개시|시작|종료|마감|출근|퇴근)\s*시간(?!\s*(?:조항|규정|조문|항목))"
            r"|what time",
        ),
        (
            Asked.PHONE,
            # "어느 번호로 전화하나요": the number to call
            r"전화\s*번호|연락처|팩스|번호로\s*전화|전화\s*(?:하|걸)|phone|\btel\b|\bfax\b",
        ),
        (Asked.IDENTIFIER, r"번호"),
        # "기간은 언제부터 언제까지" asks the dates the span runs between, not its length
        (Asked.DATE, r"언제\s*부터|언제\s*까지"),
        # "몇 년 몇 월 며칠 자 기준" asks a day, though 며칠 alone may ask a span
        (Asked.DATE, r"몇\s*년\s*몇\s*월|몇\s*월\s*며칠"),
        (
            Asked.DURATION,
            # 몇 년 kept, lasting or at least: "최소 몇 년 보관" asks how long ("3년간")
            # "며칠에 열리나요" asks the day (a date), "며칠에 한 번", "며칠에 걸쳐" a span
            r"며칠(?!에(?!\s*(?:한\s*번|걸쳐|걸친)))"
            r"|몇\s*(?:일|분|시간|개월|주|년\s*(?:간|동안|이상|이내|보관|보존|유지)|초)"
            # a 기간제 worker is one on a fixed-term contract, no span asked
            rf"|기간(?!제)|{_LASTING_WORDS}"
            # "학습하는 데 걸린 총 시간은 얼마": the time taken, however 얼마 asks it
            r"|걸린\s*(?:총\s*)?시간|소요\s*시간"
            r"|얼마나\s*자주|주기|how often"
            r"|how many (?:days|hours|minutes|weeks|months|years)|period",
        ),
        (
            Asked.DATE,
            r"언제|날짜|일자|일시|일정|기한|시점|연도|몇\s*년|며칠에|\bwhen\b|\bdate\b|deadline"
            r"|\b(?:which|what) days?\b"
            # a day named by what happens on it: 공고일, 시행일, 마감일, 릴리스일; not a
            # word that only ends in 일: 파일, 메일, 스타일, 모바일, 동일, 단일, 유일, 제일
            r"|(?<![몇며요])(?![파메타바세레동단유통균제]일)[가-힣]일(?=[은는이가을를]|\s*[?？]|$)",
        ),
        (Asked.PERCENT, r"비율|비중|퍼센트|몇\s*%|율[은는이]|percentage|\brate\b"),
        (Asked.NUMBER, r"점수|배점|수치|\bscore|얼마나(?!\s*자주)|제\s*몇"),
        (
            Asked.MONEY,
            r"금액|비용|가격|단가|예산|사업비|요금|수수료|급여|연봉|월급|매출|how much"
            r"|price|cost|amount|budget|fee|salary|wage|revenue",
        ),
        (
            Asked.COUNT,
            r"몇\s*(?:명|개|건|곳|대|회|개사|가지|번|장|권|편|종|점|골)|인원|수량|개수|\S\s수[는가은]"
            r"|how many|number of|quantity",
        ),
        (Asked.NUMBER, r"몇\s*\S|얼마"),  # 몇 m, 몇 세기, 얼마: a number (with its counter)
        (Asked.PERSON, r"누구|누가|이름|성명|담당자|책임자|대표자|\bwho\b|\bwhom\b"),
        # "the row where Alpha is 49" picks a row; it asks no place; nor does a place word
        # naming another noun ("지리적 위치 가설을 소개한 … 저서 제목은"); a 저장소 (a
        # repository) is no 장소
        (
            Asked.PLACE,
            r"어디|(?:(?<!저)장소|위치|주소)(?!\s+[가-힣]{1,4}(?:을|를|은|는|이|가|의)\s)"
            r"|(?<!row )(?<!rows )(?<!case )(?<!line )(?<!entry )"
            r"(?<!record )(?<!one )\bwhere\b|address|location",
        ),
        (Asked.PROCEDURE, r"어떻게(?!\s*되)|방법|절차|\bhow (?:do|to|can|should)\b"),
        (Asked.DEFINITION, r"무엇|뭐|뭔|뭘|뭡|무슨|어떤|어느|란\b|이란|뜻|\bwhat\b|\bwhich\b"),
    )
)
#: the value kinds that answer each kind of question, best first
ANSWERED_BY: dict[Asked, tuple[ValueKind, ...]] = {
    Asked.MONEY: (ValueKind.MONEY, ValueKind.NUMBER),
    Asked.COUNT: (ValueKind.COUNT, ValueKind.NUMBER),
    Asked.DATE: (ValueKind.DATE,),
    Asked.TIME: (ValueKind.TIME,),
    Asked.DURATION: (ValueKind.DURATION, ValueKind.DATE),  # "모집기간: 7. 24.~8. 2."
    Asked.PERCENT: (ValueKind.PERCENT,),
    Asked.PHONE: (ValueKind.PHONE,),
    Asked.EMAIL: (ValueKind.EMAIL,),
    Asked.NUMBER: (
        ValueKind.NUMBER,
        ValueKind.COUNT,
        ValueKind.PERCENT,
        ValueKind.DURATION,
        ValueKind.MONEY,
    ),
}

#: counters that number places, not amounts
_NUMBERING = re.compile(r"조|항|호|절|쪽|페이지|층|위")
#: counters of a duration measured by the clock, which a date never states
_CLOCK_COUNTERS = frozenset(("초", "분", "시간"))

_QUESTION_WORD = re.compile(
    # 뭔, 뭘, 뭡: 뭐 contracted ("예시 값은 뭔가요?" asks what, though it ends as yes/no does)
    # 어떻다고, 어때요, 어떠한: how a thing is, which 예 or 아니요 does not answer
    r"몇|얼마|언제|어디|무엇|뭐|뭔|뭘|뭡|무슨|누구|누가|어떻게|어떤|어느|왜|며칠|어떻|어때|어떠"
    r"|\b(?:what|when|where|who|whom|which|why|how)\b",
    re.IGNORECASE,
)
_YES_NO_KO = re.compile(
    r"(?:나요|까요|ㄹ까요|가요|습니까|ㅂ니까|니까|나|니|냐|죠|지요|는지|은지|을까|ㄹ까|되요|돼요|어요|아요|해요|에요|예요)\s*[?？]?\s*$"
)
_YES_NO_EN = re.compile(
    # after a leading phrase: "In the sample news document, did President Trump say …?"
    r"^\s*(?:[^,?]{1,80},\s*)?"
    r"(?:can|could|may|might|is|are|was|were|do|does|did|will|would|should|shall|must"
    r"|has|have|had)\b",
    re.IGNORECASE,
)
#: words a question quotes: "'가능하다'라고 쓰면", "'어휘 변형' 유형은", "“재위탁”"
QUOTED = re.compile(r"['‘\"“「｢『]([^'’\"”」｣』]{2,30})['’\"”」｣』]")
#: one thing taken out of another: "합계에서 Giga Trash를 빼면", "what would the invoice
#: total come to if the Giga Trash line were taken off"
TAKEN_OUT = re.compile(
    r"[을를]\s*(?:빼면|뺀다면|제외하면|제외한다면)"
    r"|\bif\b.*\b(?:were|was|is)\s+(?:taken\s+(?:off|out)|removed|deducted|subtracted"
    r"|left\s+out|dropped)",
    re.IGNORECASE,
)
#: "<whole> 가운데 <part>이 차지하는 비율" or "<whole> 가운데 <part>의 비율은 몇 %": up to
#: five words of the whole, four of the part
SHARE_ASKED = re.compile(
    r"(?P<whole>\S+(?:\s\S+){0,4}?)\s*(?:가운데|중에서|중에|중)\s+"
    r"(?P<part>\S+(?:\s\S+){0,3}?)(?:(?:이|가|은|는)\s*차지하는|의?\s*비율[은는이가]?\s*몇)"
)
_OPERATIONS: tuple[tuple[Operation, re.Pattern[str]], ...] = tuple(
    (op, re.compile(pattern, re.IGNORECASE))
    for op, pattern in (
        (Operation.DIVIDE, r"\d+\s*배수?(?:라면|이면|로|를)"),
        # how much a value changed is a difference, though the value is an average ("평균
        # 길이가 몇 음절 줄었나요?": 90,259음절 − 19,864음절)
        (
            Operation.DIFFERENCE,
            r"(?:몇|얼마)\s*\S*\s*(?:나|이나|만큼)?\s*(?:줄었|줄어|늘었|늘어|감소|증가|떨어졌|올랐)",
        ),
        # the difference asked, though an extreme is named: "최대 금액과 최소 금액의 차이는 얼마"
        (Operation.DIFFERENCE, r"차이[는가]?\s*(?:몇|얼마)"),
        # a part's share of a whole no line states: "… 중에서 문서작성이 차지하는 비율은 몇 %"
        # or of a whole named after it: "부품비는 소계의 몇 %를 차지하나요?" (the largest
        # value's share of a sum is read by share_of_extreme: "가장 큰 값은 … 몇 %를 차지")
        (
            Operation.SHARE,
            r"차지하는\s*(?:비율|비중)"
            r"|^(?!.*(?:가장|제일|최대|최소)).*몇\s*(?:%|퍼센트|프로)\s*(?:를|을|나)?\s*차지"
            r"|(?:가운데|중에서|중에)\s.*의?\s*비율[은는이가]?\s*몇\s*(?:%|퍼센트|프로)"
            r"|\bwhat (?:percentage|percent|share|proportion) of\b.*"
            r"\b(?:makes? up|accounts? for|represents?)\b",
        ),
        (Operation.AVERAGE, r"평균|average|\bthe mean\b|\bmean (?:of|value)"),
        (Operation.RATIO, r"몇\s*배|배율|\bratio\b|times as"),
        (
            Operation.MAX,
            # 큰: the stem fused with its ending into one syllable
            r"(?:가장|제일)\s*(?:많|크|큰|높|길|비싸|늦)|최대(?!화|한)|최고(?!점수)"
            r"|highest|(?<!at )most|largest|biggest|maximum",
        ),
        (
            Operation.MIN,
            r"(?:가장|제일)\s*(?:적|작|낮|짧|싸|이르|빠르)|최소(?!화|한)|최저(?!점수)"
            r"|lowest|(?<!at )least|smallest|fewest|minimum",
        ),
        (
            Operation.DIFFERENCE,
            # "몇 포인트 크기로", "길이는": a size or length named, not compared; "몇
            # 년도로 적혀 있어요" asks what is written (적히다), not what is fewer
            # ("몇 부작인가" names a count in 부작, no comparison: the adjective opens a word
            # or follows a particle, "얼마나 많", "몇 명이 더 많")
            r"차이|(?:몇|얼마)\s*\S*\s*(?:더\s*)?(?:(?<![가-힣])|(?<=[이가은는나큼씩]))(?:많|적|높|낮|크|작|길|짧|늦|빠르|이르|일찍|비싸|싸|긴|큰|빠른|이른)(?![기이혀히힌혔])"
            r"|보다\s*\S*\s*(?:많|적|높|낮|크|작|늦|빠르|이르|일찍)|difference|more than|less than"
            # "본론보다 몇 쪽 뒤": how far one comes after another
            r"|보다\s*(?:몇|얼마)\s*\S*\s*(?:뒤|앞|나중|먼저)"
            # "ABC보다 임원을 몇 명 더 파견하나요": how many more, whatever the verb
            r"|보다\s.*(?:몇|얼마)\s*\S{0,3}\s*더\s+[가-힣]"
            r"|higher than|lower than|fewer than"
            # "how much more is A than B": the comparative and its than stand apart
            r"|how (?:much|many) (?:more|less|fewer|higher|lower|larger|smaller|bigger|longer"
            r"|shorter|later|earlier)\b.*\bthan\b",
        ),
        (
            Operation.SUM,
            r"합하면|합계|합은|합이|총합|더하면|모두\s*합|합쳐|합치|합산|together|in total|\bsum\b"
            r"|combined|add up|altogether"
            # two things named, then how many "all": "A와 B가 파견하는 임원은 모두 몇 명"
            r"|[가-힣A-Za-z\d](?:와|과)\s.*(?:모두|합쳐서|통틀어)\s*몇|\s및\s.*(?:모두|통틀어)\s*몇"
            # three or more listed: "DOCX, PPTX, XLSX 전용 파일은 모두 몇 개"
            r"|(?<!\S)[^\s,]{1,15},\s*[^\s,]{1,15}(?:,\s*[^\s,]{1,15})+\s.*(?:모두|합쳐서|통틀어)\s*몇",
        ),
        (
            Operation.ELAPSED,
            # in one clause: "현장에서 응원했고, 올림픽까지 남은 기간은 며칠" asks no span
            r"(?:부터|에서)[^,，]*까지[^,，]*(?:며칠|몇\s*(?:분|시간|일|주|개월|달|년)|얼마나)"
            r"|사이(?:는|가|에)?\s*(?:며칠|몇)"
            r"|(?:며칠|몇\s*(?:분|시간|일|주|개월|달|년)).*(?:열렸|걸렸|진행|지속)"
            # one event, then another some time after it: "선고되고 며칠 뒤에 통지가 왔나요"
            r"|(?:고|한|된|은)\s+(?:(?:뒤|후)\s+)?(?:며칠|몇\s*(?:분|시간|일|주|개월|달|년))\s*(?:뒤|후|만)"
            r"|how long did|how many days between|how many days after",
        ),
        # a total with one part taken out: "합계에서 Giga Trash를 빼면", "what would the
        # total come to if the Giga Trash line were taken off"
        (Operation.DIFFERENCE, TAKEN_OUT.pattern),
    )
)
#: 최대/최소 before the number asked is a limit the documents state ("구성원은 최대 몇
#: 개사", "최소 지분율은 얼마", "최소 몇 년 보관", "최대 파일 크기는 얼마": "5개사 이하",
#: "최소지분율 10%"), not the largest or smallest of several to pick
_LIMIT = re.compile(r"(?:최대|최소)(?=(?:\s+[가-힣A-Za-z]+?[은는이가을를의]?){0,3}\s*(?:몇|얼마))")
_MULTIPLE = re.compile(r"(\d+)\s*배수?")
#: a measure other than money: "배수량 한계는 얼마", "높이는 얼마"
_MEASURED = re.compile(
    r"길이|높이|너비|깊이|무게|중량|면적|넓이|거리|속도|온도|인구|배수량|크기|용량|규모|주파수|점수"
    r"|비율|비중|확률|지수|순위|기록|몇|LOC|줄\s*수"  # lines of code: "파일당 평균 LOC는 얼마"
)
#: what names a price or a sum of money: "단가", "입장료", "일비", "수수료", "개당", "한 달에"
_PRICED = re.compile(
    # 값 alone is a value ("Delta 값은 얼마"), not a price
    r"금액|가격|비용|예산|단가|소계|합계|총액|한도|연봉|급여|월급|임금|수당|보수|대금|세금"
    r"|매출|이익|수익|손실|적립|지원금|보조금|보상|[가-힣](?:료|비|금|세)(?=[은는이가을를도만의]|\s|$)"
    r"|개당|[가-힣]+당\s|하루에|한\s*달에|1인당|price|cost|fee|amount|charge|total|salary|pay",
    re.I,
)
#: the counter a 몇-question names: "몇 m가", "몇 세기에", "몇년", "제 몇 조의"
_COUNTER = re.compile(
    # the copula may follow the counter: "몇 조예요?", "몇 층이에요" (이 is a particle here)
    # (a counter whose second syllable reads as a particle is taken whole: "몇 페이지",
    # "몇 포인트" are not 페 and 포)
    r"몇\s*([A-Za-z%㎡㎞㎏]+|페이지|포인트|[가-힣]{1,3}?)"
    r"(?=[은는이가을를의에로인도만과와까]|부터|쯤|예요|야|죠|\s|[?？]|$)"
)

#: a span asked in its unit
_HOW_LONG = re.compile(r"며칠|몇\s*(?:분|초|시간|일|주|개월|달|년)(?=[이을간은]|\s|[?？]|$)")
#: a count asked with its counter, which says what is asked over a word naming the topic
_COUNTED = re.compile(
    r"몇\s*(?:명|개|건|곳|대|개사|가지|장|권|편|종)(?=[은는이가을를의인도만과와예입]|\s|[?？]|$)"
)
#: a date as the last thing asked: "몇 개의 … 상을 수상한 연도는?" asks the year
_DATE_LAST = re.compile(r"(?:연도|년도|날짜|일자|시점)(?:는|은|가|이)?\s*[?？]?\s*$")
#: kinds read off a word naming what a question is about (점수, 비율, 금액, 일정, 기간, 시각)
_TOPIC_KINDS = frozenset(
    (Asked.NUMBER, Asked.PERCENT, Asked.MONEY, Asked.DATE, Asked.DURATION, Asked.TIME)
)  # TIME: "시각 증적 디렉터리가 몇 개" (시각 is 視覺 there, and 몇 개 asks a count anyway)


#: a question for whatever a cell or field holds: "… 칸에는 어떻게 적혀 있어요?", "… 란에는
#: 뭐라고 쓰여 있나요?"
_WRITTEN_IN_PLACE = re.compile(
    r"(?:칸|열|셀|란)(?:에는|에|엔)\s*(?:어떻게|뭐라고|무엇이|무슨\s*\S+이|어떤\s*\S+이)\s*"
    r"(?:적혀|쓰여|기재|들어)"
)


@dataclass(frozen=True)
class Intent:
    """What a question asks: the kind of answer and an operation, if any."""

    asked: Asked
    operation: Operation | None = None
    #: for ``DIVIDE``: the multiple the question names ("3배수라면" → 3)
    factor: Decimal | None = None
    #: the counter after 몇 ("몇 m" → "m", "제 몇 조" → "조"): the answer is a number
    #: written with it
    counter: str = ""
    #: for an average per one thing ("문서 한 개당 평균 몇 개의 질문"): that thing, the
    #: divisor of the other value asked ("문서")
    per: str = ""
    #: for ``DURATION``: whether how long something takes or lasts is asked ("얼마나
    #: 걸리나요", "how long"), which no single date answers; a 기간 may be a span of dates
    lasting: bool = False

    @property
    def numbering(self) -> bool:
        """Whether the counter numbers a place ("몇 조", "몇 쪽", "몇 절"), so that only a
        number written with it answers: "3846명" beside the article is no article."""
        return bool(self.counter) and _NUMBERING.fullmatch(self.counter) is not None

    @property
    def value_kinds(self) -> tuple[ValueKind, ...]:
        if self.asked is Asked.DURATION and (self.counter in _CLOCK_COUNTERS or self.lasting):
            return (ValueKind.DURATION,)  # "몇 초" is no date ("2024년"); "기간은?" may be one
        return ANSWERED_BY.get(self.asked, ())


def read_intent(question: str) -> Intent:
    """What ``question`` asks for (see the module docstring)."""
    text = question.strip()
    scanned = _LIMIT.sub(" ", text)
    operation = next((op for op, p in _OPERATIONS if p.search(scanned)), None)
    if operation in (Operation.MAX, Operation.MIN) and spans_extremes(scanned):
        operation = Operation.DIFFERENCE  # "제일 높은 학생이랑 제일 낮은 학생은 몇 점 차이"
    factor = None
    if operation is Operation.DIVIDE:
        match = _MULTIPLE.search(text)
        factor = Decimal(match.group(1)) if match else None
    if is_yes_no(text):
        # no question word and a yes/no ending: an operation word is what the question is
        # about, not what to compute ("최고점수도 평균에 넣나요?")
        return Intent(Asked.YES_NO)
    asked = _asked_of(text)
    if asked in _TOPIC_KINDS and _asked_of(QUOTED.sub(" ", text)) is Asked.DEFINITION:
        asked = Asked.DEFINITION  # "'안전예산 현황' 항목의 평가기준은 무엇": 예산 only names it
    if asked is Asked.NUMBER and "얼마" in text and _PRICED.search(text):
        # "개당 얼마예요?", "입장료는 얼마": money when something priced is named, and no
        # measure; "stride를 얼마로 주었나요?" asks a number
        asked = Asked.MONEY if not _MEASURED.search(text) else asked
    if operation is Operation.ELAPSED and (
        asked not in (Asked.DURATION, Asked.TIME) or _HOW_LONG.search(text)
    ):
        asked = Asked.DURATION  # "상정한 시각부터 … 몇 분": the minutes, not the 시각
    if asked in _TOPIC_KINDS and _WRITTEN_IN_PLACE.search(text):
        # "개발종료연도 항목의 표현형식/단위 칸에는 어떻게 적혀 있어요?" asks what the cell
        # holds ("YYYY"); the 연도 of the row's name is no kind of value asked
        asked = Asked.DEFINITION
    counted = _COUNTED.search(text) and not _DATE_LAST.search(text)
    if counted and (asked in _TOPIC_KINDS or asked is Asked.IDENTIFIER):
        # "성능 점수를 잴 때 몇 명이 참여했나요?": 점수 is what it is about; 몇 명 is what it
        # asks, as in "개정안(의안번호 2125318)에는 공동발의한 의원이 몇 명"
        asked = Asked.COUNT
    if operation is Operation.SUM and EACH.search(text) and not _ADDING.search(text):
        operation = None  # "합계 점수는 Long과 Short에서 각각": two totals stated, no sum
    if asked is Asked.DEFINITION and operation in _COMPUTED and not _AMOUNT_ASKED.search(text):
        operation = None  # "… 등을 합쳐 무엇이라고 부르는가?" asks a name, not a sum
    per = _PER.search(text) if operation is Operation.AVERAGE else None
    counter = _COUNTER.search(text)
    if counter and counter.group(1) in ("%", "%p", "%포인트", "퍼센트", "퍼센트포인트"):
        asked = Asked.PERCENT  # "기간의 정함이 없는 … 비율은 몇 %p": a share, not a 기간
    if asked is Asked.IDENTIFIER and counter and _NUMBERING.fullmatch(counter.group(1)):
        asked = Asked.NUMBER  # "역번호를 적을 때 … 도시철도법 몇 조인가요?" asks the article
    lasting = asked is Asked.DURATION and _LASTING.search(text) is not None
    return Intent(asked, operation, factor, counter.group(1) if counter else "",
                  per.group(1) if per else "", lasting)  # fmt: skip


def _asked_of(text: str) -> Asked:
    """The first kind of answer whose words ``text`` writes."""
    return next((a for a, p in _ASKED if p.search(text)), Asked.ANY)


#: a question for how long something takes or lasts, which only a duration answers
_LASTING = re.compile(_LASTING_WORDS, re.IGNORECASE)
#: one of a thing, per which an average is asked: "문서 한 개당", "문단 하나당" ("개당",
#: "1인당" name no thing a value is labelled with)
_PER = re.compile(r"([가-힣A-Za-z]+)\s*(?:한\s*[개명건곳권편장]|하나|1\s*[개명건곳])\s*당(?=\s)")
#: "respectively": what follows is asked of each thing named, one by one
EACH = re.compile(r"각각|respectively", re.IGNORECASE)
#: a verb that asks to add, which "각각" does not undo ("각각 몇 명이고, 합치면 몇 명")
_ADDING = re.compile(r"합하면|더하면|합쳐|합치|모두\s*합|합산|add up|in total|altogether", re.I)
_HIGHEST = next(p for op, p in _OPERATIONS if op is Operation.MAX)
_LOWEST = next(p for op, p in _OPERATIONS if op is Operation.MIN)
_APART = re.compile(r"차이|difference|between", re.I)


def spans_extremes(question: str) -> bool:
    """Whether a question asks how far apart the highest and the lowest are ("영어 점수가 제일
    높은 학생이랑 제일 낮은 학생은 몇 점 차이")."""
    return bool(_HIGHEST.search(question) and _LOWEST.search(question) and _APART.search(question))


#: operations that compute an amount, which a question for a name does not ask
_COMPUTED = frozenset((Operation.SUM, Operation.DIFFERENCE, Operation.RATIO, Operation.AVERAGE))
_AMOUNT_ASKED = re.compile(
    r"몇|얼마|how many|how much|add up to|sum (?:of|to)|total (?:of|is|are)|in total"
    r"|(?:come|comes|came) to\b",
    re.I,
)  # "what do the ColB values add up to?", "what would the total come to" ask an amount


def is_yes_no(question: str) -> bool:
    """A question answered by 예 or 아니요: no question word, a yes/no ending."""
    if _QUESTION_WORD.search(question) or _CHOICE.search(question):
        return False
    return bool(_YES_NO_KO.search(question) or _YES_NO_EN.match(question))


#: two things offered to choose from: "위헌이라고 결정했나요, 아니면 기각했나요?", "… or …?"
#: is answered by one of them, not by 예 or 아니요
_CHOICE = re.compile(
    r"[나까요]\s*[,，]?\s*아니면\s|,\s*or\s+(?:did|was|were|is|are|do|does)\b", re.I
)
