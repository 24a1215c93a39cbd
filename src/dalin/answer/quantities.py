"""Numbers in answers and passages, read so that one value written two ways meets itself.

The grounding check compares numbers, so the spellings a model and a document use for one
value must meet first: "2만 원" and "20,000원", "오후 6시" and "18:00", "일주일" and "7일",
"한 대" and "1대", "2분의 1" and "절반" and "50%", "2024. 8. 2." and "2024년 8월 2일",
"485 mm" and "48.5 cm", "②" and "제2항". Claim and passage go through the same rewrites
(:func:`canonical_numbers`), then every number becomes a :class:`Quantity`: a value in a
base unit of its dimension (days for 일/주, months for 개월/년, mm for lengths, …), so
"12개월" meets "1년" and "2 seconds" meets "2초".

A number is supported by a passage when the passage states the same quantity
(:func:`unsupported_numbers`): "15일" needs 15 days, not 15 months, nor a "15" that is only a
list marker ("3. 사용 방법" beside a claimed "3초"). A bare number in a table cell
("단가(원): 135") carries its unit in the header, so it supports the same value in any unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from dalin.ingest.structure import CIRCLED
from dalin.text.korean import Term, terms

# --- rewrites: one spelling per value --------------------------------------------------------

_AMOUNT_PAIR = re.compile(r"(\d[\d,]*)\s*만\s*(\d+)\s*천")
#: a large number written in Korean places, largest first: "10억 6,288만 8천 원", "1만 5,115개"
#: (the plain number after the last place only below that place's size)
_PLACES = re.compile(
    r"(?<![\d,.])((?:\d[\d,]*\s*(?:억|천만|만|천)\s*){2,3}|\d[\d,]*\s*(?:억|만)\s+)(\d{1,3}(?:,\d{3})?(?![\d,.])(?=\s?[가-힣A-Za-z%]))?"
)
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(천만|억|만|천)")
_MULTIPLIER = {"천": 1_000, "만": 10_000, "천만": 10_000_000, "억": 100_000_000}
#: "9시", "오후 6시 30분", "밤 10시", "9시 반", "09:00"; not "3시간" nor "1시행"
_KO_TIME = re.compile(
    r"(?:(오전|오후|아침|새벽|낮|저녁|밤)\s*)?(?<![\d.:])(\d{1,2})"
    r"(?:시(?![간작행험설장청도])(?:\s*(\d{1,2})\s*분|\s*(반))?|:(\d{2})(?!\d))"
)
_AFTERNOON = frozenset({"오후", "저녁", "밤"})
_EN_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\b\.?", re.IGNORECASE)
_CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])")
#: "2024. 8. 2." and "2024년 8월 2일" are one date; a year starts with 19 or 20
_DOT_DATE = re.compile(r"(?<![\d.])((?:19|20)\d{2})\.\s?(\d{1,2})\.\s?(\d{1,2})\.?(?!\d)")
_KO_DATE = re.compile(r"(?:((?:19|20)\d{2})\s*년\s*)?(?<!\d)(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_DATE = re.compile(r"(?<![\d-])(?:(\d{4})-)?(\d{2})-(\d{2})(?![\d-])")
#: "2분의 1" = "절반" = 50%; "100분의 50" = 50%
_FRACTION = re.compile(r"(\d+)\s*분의\s*(\d+)")
_HALF = re.compile(r"절반")
_HALF_YEAR = re.compile(r"(?<![가-힣])반년")
#: "12:00부터 1:00까지": a range runs forward, so its end before its start is afternoon's
_CLOCK_RANGE = re.compile(
    r"(?<![\d:])(\d{1,2}):(\d{2})(\s*(?:부터|~|～|–)\s*)(\d{1,2}):(\d{2})(?![\d:])"
)
_PERCENT_WORD = re.compile(r"(\d)\s*(?:%|퍼센트|프로|percent\b)", re.IGNORECASE)
#: a number then a space then a Korean word: "15 일" is read as "15일"
_SPACED_UNIT = re.compile(r"(\d)[ \t]+(?=[가-힣])")
#: a counter a PDF line break split from its number ("15,115\n개(…)"): one word, not a list
_BROKEN_COUNTER = re.compile(r"(\d)[ \t]*\n[ \t]*(?=(?:개|명|건|곳|원)(?![가-힣]))")
#: native Korean numbers before a counter, written with a space as models write them
NATIVE_NUMBERS = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
           "아홉": 9, "열": 10, "열두": 12}  # fmt: skip
#: Korean ordinal numbers a question may count with, before 째: "소수점 넷째 자리"
ORDINALS = {"첫": 1, "둘": 2, "셋": 3, "넷": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
            "아홉": 9, "열": 10}  # fmt: skip
#: English numbers written as words, up to ten: "greater than one", "two decimal places"
ENGLISH_NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                   "seven": 7, "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_COUNTERS = "대|개|번|회|명|시간|달|가지|건|장|권|살|주|곳|차례|과목|잔|벌|마리|켤레"
#: a native number standing as a noun counts things: "둘 이상의 자격" is "2개 이상"
_NATIVE_NOUNS = {"하나": 1, "둘": 2, "셋": 3, "넷": 4}
#: (with a particle or a comparison after it: "따로 둘 필요" puts something somewhere)
_NATIVE_NOUN = re.compile(
    r"(?<![가-힣])(하나|둘|셋|넷)(?=\s*(?:이상|이하|미만|초과)|(?:의|은|는|을|를|만|씩)(?![가-힣]))"
)
_NATIVE_COUNT = re.compile(
    r"(?<![가-힣])("
    + "|".join(sorted(NATIVE_NUMBERS, key=len, reverse=True))
    + r")\s+("
    + _COUNTERS
    + r")"
)
_DAY_WORDS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7,
              "열흘": 10, "보름": 15}  # fmt: skip
_DAY_WORD = re.compile(r"(?<![가-힣])(" + "|".join(_DAY_WORDS) + r")")
_WEEK_WORD = re.compile(r"(?<![가-힣\d])(?:1\s*|일|한\s*)주일|한\s*주(?![가-힣])")
#: "연간 30일" = "1년에 30일"; "매년" = "해마다" = "1년마다"
_YEAR_WORD = re.compile(r"(?<![가-힣\d])(?:연간|매년|해마다)")
_EN_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "twice": 2, "once": 1}  # fmt: skip
_EN_NUMBER = re.compile(r"\b(" + "|".join(_EN_WORDS) + r")\b(?!-)", re.IGNORECASE)
#: English units a number is read together with ("15 days", "15 working days" → 15day)
_LATIN_UNIT = re.compile(
    r"(?<![\d,.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(?:[a-z]+\s)?(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?"
    r"|months?|years?|times|kilograms?|kg|mg|km|cm|mm|ml|kwh|kw|mah|n·m|nm|won|krw|usd"
    r"|dollars?|%|g(?![0-9])|m(?![0-9·]))(?![a-z])",  # "1,100 g", "3 m", not "3 M8"
    re.IGNORECASE,
)
_PERCENT_SIGN = re.compile(r"(\d+(?:\.\d+)?)\s?%")
#: "1." "2.1" "(3)" opening a line: layout, not a claim
_LINE_MARKER = re.compile(r"(?m)^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|\(\d{1,2}\))\s")
_TABLE_CELL = re.compile(r"(?:^|\|)\s*[^:|\n]{1,40}:\s*(-?\d[\d,]*(?:\.\d+)?)\s*(?=\||$)", re.M)


def _amount(match: re.Match[str]) -> str:
    value = Decimal(match.group(1).replace(",", "")) * _MULTIPLIER[match.group(2)]
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def _clock(hour: int, minute: int, afternoon: bool) -> str:
    if afternoon and hour < 12:
        hour += 12
    return f"{hour}:{minute:02d}"


def _ko_time(m: re.Match[str]) -> str:
    minute = m.group(3) or ("30" if m.group(4) else m.group(5) or "0")
    return _clock(int(m.group(2)), int(minute), m.group(1) in _AFTERNOON)


def _clock_range(m: re.Match[str]) -> str:
    start, end = int(m.group(1)) * 60 + int(m.group(2)), int(m.group(4)) * 60 + int(m.group(5))
    hour = int(m.group(4))
    if not (end < start and hour < 12 and (hour + 12) * 60 + int(m.group(5)) > start):
        return m.group(0)
    # "낮 12시부터 1시까지" is 12:00–13:00, not back to 01:00
    return f"{m.group(1)}:{m.group(2)}{m.group(3)}{hour + 12}:{m.group(5)}"


def _en_time(m: re.Match[str]) -> str:
    return _clock(int(m.group(1)), int(m.group(2) or 0), m.group(3).lower() == "p")


def _date(year: str | None, month: str, day: str) -> str:
    prefix = f"{year}-" if year else ""
    return f" {prefix}{int(month):02d}-{int(day):02d} "


def _fraction(m: re.Match[str]) -> str:
    whole, part = Decimal(m.group(1)), Decimal(m.group(2))
    if whole == 0:
        return m.group()
    return f"{_plain(part / whole * 100)}%"


def _plain(value: Decimal) -> str:
    value = value.quantize(Decimal("0.001")).normalize()
    return f"{value:f}"


#: a year written with an apostrophe: "‘22.2월" (2022년 2월), "’23년"
_SHORT_YEAR = re.compile(r"[‘’'](\d{2})(?:\.\s?(\d{1,2})월|년)")


def _places(m: re.Match[str]) -> str:
    """The value of "10억 6,288만 8천" / "1만 5,115", or the text as it was when its places
    do not descend (not one number) or a bare "1만 " has no number after it."""
    pieces = re.findall(r"(\d[\d,]*)\s*(억|천만|만|천)", m.group(1))
    sizes = [_MULTIPLIER[place] for _, place in pieces]
    rest = int(m.group(2).replace(",", "")) if m.group(2) else None
    if sizes != sorted(set(sizes), reverse=True) or (len(pieces) == 1 and rest is None):
        return m.group()
    if rest is not None and rest >= sizes[-1]:
        return m.group()
    value = sum(int(n.replace(",", "")) * _MULTIPLIER[p] for n, p in pieces) + (rest or 0)
    return str(value)


def canonical_numbers(text: str) -> str:
    """``text`` with amounts, times, dates, fractions, native numbers and 항 marks written
    one way (the same rewrites for a claim and for its passages)."""
    text = _PLACES.sub(_places, text)
    text = _AMOUNT_PAIR.sub(
        lambda m: str(int(m.group(1).replace(",", "")) * 10_000 + int(m.group(2)) * 1_000), text
    )
    text = _AMOUNT.sub(_amount, text)
    text = _FRACTION.sub(_fraction, text)
    text = _HALF_YEAR.sub("6개월", text)
    text = _HALF.sub("50%", text)
    text = _PERCENT_WORD.sub(r"\1%", text)
    text = _NATIVE_COUNT.sub(lambda m: f"{NATIVE_NUMBERS[m.group(1)]}{m.group(2)}", text)
    text = _NATIVE_NOUN.sub(lambda m: f"{_NATIVE_NOUNS[m.group(1)]}개", text)
    text = _WEEK_WORD.sub("1주", text)
    text = _YEAR_WORD.sub("1년 ", text)
    text = _DAY_WORD.sub(lambda m: f"{_DAY_WORDS[m.group(1)]}일", text)
    text = _EN_NUMBER.sub(lambda m: str(_EN_WORDS[m.group(1).lower()]), text)
    text = _SPACED_UNIT.sub(r"\1", text)
    text = _BROKEN_COUNTER.sub(r"\1", text)
    text = _EN_TIME.sub(_en_time, text)
    text = _KO_TIME.sub(_ko_time, text)
    text = _CLOCK_RANGE.sub(_clock_range, text)
    text = _SHORT_YEAR.sub(
        lambda m: f"20{m.group(1)}년" + (f" {m.group(2)}월" if m.group(2) else ""), text
    )
    # dates last: the spaces around them must survive the spaced-unit rewrite above
    text = _DOT_DATE.sub(lambda m: _date(m.group(1), m.group(2), m.group(3)), text)
    text = _KO_DATE.sub(lambda m: _date(m.group(1), m.group(2), m.group(3)), text)
    return "".join(f" 제{CIRCLED.index(c) + 1}항 " if c in CIRCLED else c for c in text)


# --- quantities ------------------------------------------------------------------------------

#: unit → (dimension, factor to the dimension's base unit). A unit not listed is its own
#: dimension, compared as written ("3박" meets only "3박").
UNITS: dict[str, tuple[str, Decimal]] = {
    **dict.fromkeys(("초", "second", "sec"), ("time", Decimal(1))),
    **dict.fromkeys(("분", "minute", "min"), ("time", Decimal(60))),
    **dict.fromkeys(("시간", "hour", "hr"), ("time", Decimal(3600))),
    **dict.fromkeys(("일", "day"), ("time", Decimal(86400))),
    **dict.fromkeys(("주", "주일", "week"), ("time", Decimal(604800))),
    **dict.fromkeys(("개월", "달", "month"), ("month", Decimal(1))),
    **dict.fromkeys(("년", "year"), ("month", Decimal(12))),
    **dict.fromkeys(("mm", "밀리미터"), ("length", Decimal(1))),
    **dict.fromkeys(("cm", "센티미터", "센티"), ("length", Decimal(10))),
    **dict.fromkeys(("m", "미터"), ("length", Decimal(1000))),
    **dict.fromkeys(("km", "킬로미터", "킬로"), ("length", Decimal(1_000_000))),
    **dict.fromkeys(("g", "그램"), ("mass", Decimal(1))),
    **dict.fromkeys(("kg", "kilogram", "킬로그램"), ("mass", Decimal(1000))),
    **dict.fromkeys(("%", "퍼센트", "프로"), ("percent", Decimal(1))),
    **dict.fromkeys(("원", "won", "krw"), ("won", Decimal(1))),
    **dict.fromkeys(("회", "번", "times", "time"), ("times", Decimal(1))),
    **dict.fromkeys(("세", "살"), ("age", Decimal(1))),
    #: "69개 기관" = "69곳": places are counted either way
    **dict.fromkeys(("개", "곳", "개소"), ("count", Decimal(1))),
    #: "세 가지 형식" = "3 종": kinds are counted either way
    **dict.fromkeys(("가지", "종", "종류"), ("kind", Decimal(1))),
}


_DIMENSIONS = frozenset(d for d, _ in UNITS.values()) | {"clock", "date"}


@dataclass(frozen=True)
class Quantity:
    """One number as stated: its value in the base unit of its dimension."""

    value: Decimal
    #: "time", "month", "won", …; the unit itself when it has no dimension here; "" bare
    dimension: str
    #: the token as read, e.g. "15일", "9:00", "2024-08-02"
    token: str
    #: a bare number in a table cell: the header holds its unit
    cell: bool = False

    @property
    def bare(self) -> bool:
        return self.dimension == ""


_NUMBER_UNIT = re.compile(r"^(-?\d+(?:\.\d+)?)(.*)$")


def _quantity(token: str, *, cell: bool = False) -> Quantity | None:
    if _CLOCK.fullmatch(token):
        hour, minute = token.split(":")
        return Quantity(Decimal(int(hour) * 60 + int(minute)), "clock", token)
    date = _DATE.fullmatch(token)
    if date is not None:
        return Quantity(Decimal(int(date.group(2)) * 100 + int(date.group(3))), "date", token)
    match = _NUMBER_UNIT.match(token.replace(",", ""))
    if match is None:
        return None
    try:
        value = Decimal(match.group(1))
    except InvalidOperation:
        return None
    unit = match.group(2).strip().lower().removesuffix("s") if match.group(2) else ""
    if not unit:
        return Quantity(value, "", token, cell)
    dimension, factor = UNITS.get(unit, (unit, Decimal(1)))
    return Quantity(value * factor, dimension, token)


@lru_cache(maxsize=4096)
def number_terms(text: str) -> tuple[Term, ...]:
    """Lexical terms of ``text`` after :func:`canonical_numbers`, with unit-bearing numbers
    ("15일", "2second", "80%", "9:00", "2024-08-02") as number terms."""
    text = canonical_numbers(text)
    extra = [
        Term(m.group(1).replace(",", "") + m.group(2).lower().removesuffix("s"), "number")
        for m in _LATIN_UNIT.finditer(text)
    ]
    extra += [Term(m.group(1) + "%", "number") for m in _PERCENT_SIGN.finditer(text)]
    # "9:30" is one value; as the numbers 9 and 30 it would meet any 9 and any 30.
    extra += [Term(m.group(), "number") for m in _CLOCK.finditer(text)]
    extra += [Term(m.group().strip(), "number") for m in _DATE.finditer(text)]
    return (*terms(text), *extra)


@lru_cache(maxsize=4096)
def quantities(text: str, *, evidence: bool = False) -> tuple[Quantity, ...]:
    """The numbers ``text`` states.

    For a claim (``evidence=False``), a number read with its unit, or as part of a clock
    time or a date, is not checked again bare. An evidence passage keeps every reading,
    minus numbers that only mark list items and headings ("3. 사용 방법").
    """
    markers = {m.group().strip().rstrip(".") for m in _LINE_MARKER.finditer(text)}
    cells = {m.group(1).replace(",", "") for m in _TABLE_CELL.finditer(text)}
    found: dict[str, Quantity] = {}
    for term in number_terms(text):
        if term.kind != "number" or not term.token[:1].isdigit():
            continue
        q = _quantity(term.token, cell=evidence and term.token in cells)
        if q is not None:
            found.setdefault(q.token, q)
    if evidence:
        return tuple(
            q for q in found.values() if not (q.bare and q.token in markers and not q.cell)
        )
    covered: set[Decimal] = set()
    for term in number_terms(text):  # "HB-200", "M8": a name, not a quantity
        if term.kind == "code":
            covered.update(Decimal(n) for n in re.findall(r"\d+", term.token))
    named = {q.token for q in found.values() if q.dimension not in _DIMENSIONS and not q.bare}
    covered_names = {t for t in named if lead_of(t) in covered}  # "HB-200 사용" → "200사용"
    for q in found.values():
        if q.dimension in ("clock", "date"):
            covered.update(Decimal(part) for part in re.findall(r"\d+", q.token))
        elif not q.bare:
            covered.add(lead(q))
    return tuple(
        q
        for q in found.values()
        if not (q.bare and q.value in covered) and q.token not in covered_names
    )


def lead_of(token: str) -> Decimal | None:
    match = _NUMBER_UNIT.match(token.replace(",", ""))
    return Decimal(match.group(1)) if match else None


def lead(q: Quantity) -> Decimal:
    """The number as written, before its unit: 15 for "15일"."""
    match = _NUMBER_UNIT.match(q.token.replace(",", ""))
    return Decimal(match.group(1)) if match else q.value


def supports(claim: Quantity, evidence: Iterable[Quantity]) -> bool:
    """Whether some evidence quantity states ``claim``'s value."""
    return any(_same_value(claim, e) for e in evidence)


def _same_value(claim: Quantity, e: Quantity) -> bool:
    if "date" in (claim.dimension, e.dimension):
        if claim.dimension != e.dimension or claim.value != e.value:
            return False
        years = [t.split("-")[0] for t in (claim.token, e.token) if t.count("-") == 2]
        return len(years) < 2 or years[0] == years[1]
    if "clock" in (claim.dimension, e.dimension):
        return claim.dimension == e.dimension and claim.value == e.value
    if claim.bare or e.cell:
        return lead(claim) == lead(e)
    return e.dimension == claim.dimension and e.value == claim.value


def unsupported_numbers(claim: Sequence[Quantity], evidence: Sequence[Quantity]) -> list[Quantity]:
    """The claim's numbers that no evidence quantity states (in the claim's order)."""
    return [q for q in claim if not supports(q, evidence)]
