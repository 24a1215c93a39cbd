"""Typed values in text: amounts, counts, dates, times, durations, phones, e-mails, percents.

The reader asks "does this sentence hold what the question asks for, and where?": a
question about 사업금액 wants ``1,062,888천원``, one about 개시 시간 wants ``18:30``, one about
모집인원 wants ``21명``. :func:`find_values` finds every such value in a text, the most
specific kind first (a date is not also read as a count of days, a phone number not as two
numbers), each with its offsets, its number and its unit, so that arithmetic can use it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum


class ValueKind(StrEnum):
    EMAIL = "email"
    URL = "url"
    DATE = "date"
    TIME = "time"
    PHONE = "phone"
    PERCENT = "percent"
    MONEY = "money"
    DURATION = "duration"
    COUNT = "count"
    NUMBER = "number"


@dataclass(frozen=True)
class Value:
    """A value found at ``text[start:end]``."""

    kind: ValueKind
    text: str
    start: int
    end: int
    #: the amount it states, when it states one (a date or phone states none)
    number: Decimal | None = None
    #: what the number counts: "명", "원", "천원", "분", "%", "days" ("" for a bare number)
    unit: str = ""
    #: a calendar date or a clock time, for durations between two of them
    when: date | time | None = None


_WEEKDAY = r"(?:\s*\(\s*[월화수목금토일]\s*\))?"
_MONTHS_EN = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY_UNITS = (
    r"(?:백만\s*원|천만\s*원|천\s*원|만\s*원|억\s*원|조\s*원|원|달러|유로|엔"
    r"|USD|KRW|EUR|dollars?|euros?)"
)
_DURATION_UNITS = (
    r"(?:개월|주일|주간|일간|년간|시간|분간|영업일|일|년|주|분|초"
    r"|days?|weeks?|months?|years?|hours?|minutes?|seconds?)"
)
_COUNT_UNITS = (
    r"(?:개사|개소|개국|개|명|인|건|곳|대|회|종|가지|편|권|장|부|차례|척|마리|점|골|표|석|호|위|배"
    r"|면|쪽|페이지|행|열|타수|안타|타점|득점|홈런|승|패|세|음절|글자|단어|문장|문항|항목)"
)
#: units of an amount of data: "37MB", "1.2 GiB", "512 bytes"
_DATA_UNITS = r"[KMGTP]i?B|kB|bytes?"
DATA_UNIT = re.compile(_DATA_UNITS)
#: units of measure written in Latin letters, in their case ("5G" is no five grams)
_MEASURE_UNITS = (
    rf"(?-i:{_DATA_UNITS}|km/h|mph|mm|cm|km|m|kg|mg|g|ml|mL|L|px|pt|dpi"
    r"|kWh|kW|MW|W|kV|V|Hz|kHz|MHz|GHz)"
)
#: a counter a count is written with ("건", "개사", "페이지")
COUNT_UNIT = re.compile(_COUNT_UNITS)
#: what may follow a unit: not another syllable of a longer word ("3개선" is no count) but
#: a particle or ending ("21명은", "9회까지", "15분 전")
_AFTER_UNIT = (
    r"(?:(?![가-힣])|(?=(?:으로|에서|까지|부터|보다|이상|이하|미만|초과|이내|가량|정도|내외|씩|째"
    r"|이다|입니다|이며|이고|으로|간|동안|전|후|마다|당|[은는이가을를의도만과와로에])))"
)

#: (kind, pattern) in the order values are taken; a later pattern never reads text an
#: earlier one took
_PATTERNS: tuple[tuple[ValueKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (ValueKind.EMAIL, r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
        (ValueKind.URL, r"https?://\S+|www\.[\w-]+(?:\.[\w-]+)+\S*"),
        (
            ValueKind.DATE,
            r"(?<!\d)\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}(?!\d)\.?"
            + _WEEKDAY
            # a year by its last two digits after an apostrophe, as plans write it:
            # "(‘23.4.14.)", "서비스 종료(‘22.2월)"
            + r"|[‘'’`]\s?\d{2}\s*\.\s*\d{1,2}\s*(?:\.\s*\d{1,2}(?!\d)\.?|월)"
            + r"|(?<!\d)\d{4}\s*년\s*\d{1,2}\s*월(?:\s*\d{1,2}\s*일)?"
            + _WEEKDAY
            + r"|(?<![\d.])\d{1,2}\s*월\s*\d{1,2}\s*일"
            + _WEEKDAY
            + r"|(?<![\d.])\d{1,2}\s*\.\s*\d{1,2}\s*\.\s*\(\s*[월화수목금토일]\s*\)"
            # a month and day written with a slash, its weekday saying it is a date: "3/23(토)"
            + r"|(?<![\d./])\d{1,2}\s*/\s*\d{1,2}\s*\(\s*[월화수목금토일]\s*\)"
            + rf"|\b(?:{_MONTHS_EN})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
            + rf"|\b\d{{1,2}}\s+(?:{_MONTHS_EN})\.?,?\s+\d{{4}}\b"
            + r"|(?<!\d)(?:1[89]|20)\d{2}\s*년(?!\s*\d)"
            # a day of the month a news story dates by its time zone: "2일(이하 한국시간)",
            # "15일(현지시간)" — no two days' length
            + r"|(?<![\d.])\d{1,2}\s*일(?=\s*\((?:이하\s*)?(?:한국|현지|미국|미\s*동부)\s*시간\))"
            # a day named by what happens on it: "공포한 날부터", "최종 검수 완료일로부터"
            + r"|[가-힣]{1,8}(?:한|된|하는|되는)\s*날(?=\s*(?:로)?부터|\s*까지|\s*이후)"
            + r"|[가-힣]{2,8}일(?=\s*로\s*부터|로부터)",
        ),
        (
            ValueKind.TIME,
            r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])(?:\s*[ap]\.?m\.?)?"
            r"|(?:오전|오후|새벽|밤)?\s*(?<!\d)\d{1,2}\s*시(?!간|즌|점|행|설|장|민|도|청|군|구|리|대)"
            r"(?:\s*\d{1,2}\s*분)?(?:\s*\d{1,2}\s*초)?",
        ),
        (
            ValueKind.PHONE,
            r"(?<![\d-])(?:\(\d{2,4}\)\s*\d{3,4}[-.\s]\d{4}|0\d{1,2}\)?[-.\s]\d{3,4}[-.\s]\d{4}"
            r"|1[5-9]\d{2}-\d{4}|\d{3,4}-\d{4})(?![\d-])",
        ),
        (
            ValueKind.PERCENT,
            rf"(?<![\d.])(?:{_NUM})\s*(?:%|％|퍼센트|percent)"
            # a share written as a fraction with no leading digit: "타율은 .222로"
            rf"|(?<![\w.])\.\d{{2,4}}(?![\d.%]){_AFTER_UNIT}",
        ),
        (
            ValueKind.MONEY,
            rf"[₩$€£]\s*(?:{_NUM})|(?<![\d.])(?:{_NUM})\s*{_MONEY_UNITS}"
            rf"|(?<![\d.])\d+\s*억(?:\s*\d[\d,]*\s*(?:천\s*)?만)?\s*원",
        ),
        (
            ValueKind.DURATION,
            # one length in two units: "2시간 41분", "1년 6개월", "3분 20초"
            rf"(?<![\d.])\d{{1,4}}\s*(?:시간|년|분)\s*\d{{1,2}}\s*(?:분|개월|초){_AFTER_UNIT}"
            rf"|(?<![\d.])(?:{_NUM})\s*{_DURATION_UNITS}{_AFTER_UNIT}"
            # how often, in words: "갱신주기: 연간", "분기마다 신고하고"
            r"|(?<![가-힣])(?:연간|월간|주간|매년|매월|매주|매일|분기(?:별|마다)?|반기(?:별|마다)?"
            r"|해마다|달마다|날마다|수시|상시)(?![가-힣])"
            r"|\b(?:annual(?:ly)?|monthly|weekly|daily|quarterly|yearly)\b",
        ),
        (ValueKind.COUNT, rf"(?<![\d.])(?:{_NUM})\s*{_COUNT_UNITS}{_AFTER_UNIT}"),
        # a measure in a Latin unit: "Training Set (37MB)", "종이 왼쪽부터 35mm"
        (ValueKind.NUMBER, rf"(?<![\w.\-])(?:{_NUM})\s*{_MEASURE_UNITS}(?![A-Za-z_\d])"),
        # a bare number may take a particle ("총인원은 27로", "83이다") but is no part of a
        # longer word ("3개선")
        (
            ValueKind.NUMBER,
            # never the head of a grouped number: "90,259음절" is not 90
            rf"(?<![\w.\-])[-+]?(?:{_NUM})(?![\d\-]|\.\d|,\d{{3}}(?!\d)){_AFTER_UNIT}(?![A-Za-z_])"
            r"|(?<![\w.\-])\.\d+(?![\d\w])",
        ),
    )
)
_LEADING_NUMBER = re.compile(rf"{_NUM}|\.\d+")
_MEASURE = re.compile(_MEASURE_UNITS)
_SPACES = re.compile(r"\s+")
_SCALE = {"천원": 1000, "만원": 10_000, "백만원": 1_000_000, "천만원": 10_000_000, "억원": 10**8}


#: a fax asked or written: "팩스 번호", "FAX : 02-2031-9401"
FAX = re.compile(r"팩스|\bfax\b", re.IGNORECASE)
#: a number after a phone label is a phone number however it is grouped: an invoice's
#: "Phone 7079 4301", "Fax: +49 30 1234 5678", "전화 (02) 123 4567"
_LABELLED_PHONE = re.compile(
    r"(?:\b(?:phone|tel|telephone|fax|mobile|cell)\b|전화(?:번호)?|팩스|휴대(?:전화|폰)|연락처)"
    r"\s*(?:number|no\.?|번호)?\s*[:.：]?[ \t]*"
    r"(?P<number>\+?\(?\d{1,4}\)?(?:[ \t.-]\d{2,4}){1,4})(?![\d-])",
    re.IGNORECASE,
)


def find_values(text: str) -> list[Value]:
    """Every typed value in ``text``, in reading order, none overlapping another."""
    taken: list[tuple[int, int]] = []
    found: list[Value] = []
    for match in _LABELLED_PHONE.finditer(text):
        taken.append(match.span("number"))
        found.append(Value(ValueKind.PHONE, match["number"], *match.span("number")))
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = _trimmed(text, match.start(), match.end())
            if start >= end or any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append(_value(kind, text[start:end], start, end))
    return sorted(found, key=lambda v: v.start)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _value(kind: ValueKind, raw: str, start: int, end: int) -> Value:
    if kind in (ValueKind.EMAIL, ValueKind.URL, ValueKind.PHONE):
        return Value(kind, raw, start, end)
    if kind is ValueKind.DATE:
        return Value(kind, raw, start, end, when=parse_date(raw))
    if kind is ValueKind.TIME:
        return Value(kind, raw, start, end, when=parse_time(raw))
    number = leading_number(raw)
    unit = ""
    if number is not None:
        lead = _LEADING_NUMBER.search(raw)
        tail = raw[lead.end() :] if lead else ""
        unit = _SPACES.sub("", tail).lower() if kind is not ValueKind.NUMBER else ""
        if kind is ValueKind.NUMBER and _MEASURE.fullmatch(tail.strip()):
            unit = tail.strip()  # "37MB": a size in megabytes
        if kind is ValueKind.MONEY and raw[:1] in "₩$€£":
            unit = raw[0]
    return Value(kind, raw, start, end, number=number, unit=unit)


#: what joins the values of a list: "30인 및 70인", "30인, 70인", "A and B"
_LIST_JOINT = re.compile(r"\s*(?:,|및|와|과|그리고|and)\s*", re.IGNORECASE)


def listed_run(text: str, values: Sequence[Value]) -> list[Value]:
    """The run of ``values`` (found in ``text``, in order) that opens it: values of one unit
    joined by 및, 와 or commas ("30인 및 70인의 임원" → 30인, 70인)."""
    listed = list(values[:1])
    for value in values[1:]:
        joint = text[listed[-1].end : value.start]
        if value.unit != listed[0].unit or not _LIST_JOINT.fullmatch(joint):
            break
        listed.append(value)
    return listed


def leading_number(raw: str) -> Decimal | None:
    """The first number written in ``raw``, its unit or currency aside ("15명" → 15,
    "₩1,200" → 1200, "-3.5%" → -3.5); None when it writes none."""
    match = _LEADING_NUMBER.search(raw)
    if match is None:
        return None
    try:
        value = Decimal(match.group().replace(",", ""))
    except InvalidOperation:
        return None
    return -value if raw.lstrip().startswith("-") else value


def base_amount(value: Value) -> Decimal | None:
    """The amount in its base unit: 1,062,888천원 → 1,062,888,000 (원)."""
    if value.number is None:
        return None
    return value.number * _SCALE.get(value.unit, 1)


_YMD = re.compile(r"(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})")
_MD = re.compile(r"(\d{1,2})\s*[.월/]\s*(\d{1,2})")
#: "‘23.4.14.": this century's year by its last two digits
_SHORT_YMD = re.compile(r"[‘'’`]\s?(\d{2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})")
_EN_MONTH = {
    name: number
    for number, full in enumerate(_MONTHS_EN.split("|")[:12], start=1)
    for name in (full, full[:3], full[:4])
}


def parse_date(text: str, *, year: int | None = None) -> date | None:
    """The calendar date ``text`` names, ``year`` standing in when it names none."""
    match = _YMD.search(text)
    try:
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        short_year = _SHORT_YMD.search(text)
        if short_year:
            return date(2000 + int(short_year.group(1)), int(short_year.group(2)),
                        int(short_year.group(3)))  # fmt: skip
        english = re.search(rf"({_MONTHS_EN})\.?\s+(\d{{1,2}})\D+(\d{{4}})", text, re.I)
        if english:
            month = _EN_MONTH[english.group(1).lower()]
            return date(int(english.group(3)), month, int(english.group(2)))
        short = _MD.search(text)
        if short and year is not None:
            return date(year, int(short.group(1)), int(short.group(2)))
    except ValueError:
        return None
    return None


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_KOREAN_CLOCK = re.compile(r"(오전|오후|새벽|밤)?\s*(\d{1,2})\s*시(?:\s*(\d{1,2})\s*분)?")


def parse_time(text: str) -> time | None:
    """The clock time ``text`` names: ``18:30``, ``10시45분``, ``오후 2시``."""
    match = _CLOCK.search(text)
    hour = minute = 0
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if re.search(r"p\.?m", text, re.I) and hour < 12:
            hour += 12
    else:
        korean = _KOREAN_CLOCK.search(text)
        if korean is None:
            return None
        hour, minute = int(korean.group(2)), int(korean.group(3) or 0)
        if korean.group(1) in ("오후", "밤") and hour < 12:
            hour += 12
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
