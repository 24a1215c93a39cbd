"""The operands of arithmetic: cells of a table, rows of an aligned table, moments in text.

A question that asks for a sum, a difference, an average, a ratio, an extreme, a multiple
or the time between two moments is answered by finding its operands with confidence —
named rows × a named column, named columns × a named row, a whole column, or the start
and end of what is asked about — and handing them to :mod:`dalin.answer.shown_work`. An
operand that cannot be found is named in the answer; nothing is guessed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from dalin.answer.aligned import AlignedRow
from dalin.answer.asked import states_other_filter
from dalin.answer.candidates import (
    ASKS_WHOLE,
    TOTAL_MARK,
    aligned_matches,
    own_values,
    unit_candidate,
)
from dalin.answer.cohorts import bracketed_sum, cohort_operands
from dalin.answer.contents import contents_operands
from dalin.answer.evidence import Unit, rejoin
from dalin.answer.intent import EACH, QUOTED, Asked, Operation
from dalin.answer.listed_figures import listed_figures, share_of_extreme
from dalin.answer.quantities import ENGLISH_NUMBERS, ORDINALS
from dalin.answer.reader_question import (
    Evidence,
    Reading,
    Sources,
    dedupe_lines,
    share_of,
    short_quote,
    unit_evidence,
)
from dalin.answer.shown_work import (
    Operand,
    Work,
    at_places,
    compute,
    extreme_share,
    is_year,
    per_one,
)
from dalin.answer.table_operands import (
    Operands,
    counted_things,
    share_operands,
    table_operands,
)
from dalin.answer.tables import TOTAL, Grid, is_numeric, squash
from dalin.answer.text_share import text_share
from dalin.answer.values import (
    Value,
    ValueKind,
    base_amount,
    find_values,
    leading_number,
    listed_run,
    parse_date,
)
from dalin.errors import CalculationError
from dalin.text.korean import tokenize
from dalin.tools.calculator import evaluate, format_number
from dalin.types import Hit

_WORK_LABEL = {"ko": "계산", "en": "Work"}
_MISSING = {
    "ko": "계산하지 않았습니다: 문서에서 {names}을(를) 찾지 못했습니다.",
    "en": "Not computed: {names} could not be found in your documents.",
}


def arithmetic_answer(
    reading: Reading,
    units: Sequence[tuple[Unit, float, int]],
    grids: Sequence[tuple[Grid, Hit, float]],
    relevant: Sequence[tuple[Hit, float]],
    sources: Sources,
) -> tuple[list[str], list[Evidence]] | None:
    intent = reading.intent
    assert intent.operation is not None
    found = (
        share_operands(reading, grids)
        or contents_operands(reading, relevant)
        or cohort_operands(reading, relevant)
        or bracketed_sum(reading, relevant)
        or (
            _named_items(reading, units)
            if intent.operation in (Operation.SUM, Operation.AVERAGE)
            else None
        )
        or table_operands(reading, grids, sources)
    )
    if (
        found is not None
        and intent.operation is Operation.ELAPSED
        and not all(o.when is not None or is_year(o.number) for o in found.operands)
    ):
        found = None  # the time between two moments takes two moments, not two counts
    if found is None or not found.operands:
        found = listed_figures(reading, relevant) or _text_operands(reading, units, sources)
    if found is None:
        return None
    if _years_for_amount(reading, found.operands):
        return None  # "차이는 몇 억원" is no difference of "ANNUAL REPORT of 2012" and its twin
    if _labels_unasked(reading, found.operands):
        return None  # "포맷별 개수를 더하면" is no sum of three "러너 ubuntu-latest" cells
    if not found.missing and not _measured_as_asked(reading.question, found.operands):
        return None  # "평균 몇 초" is no average of four bare scores
    if found.missing:
        names = ", ".join(f"'{m}'" for m in found.missing)
        lines = [_MISSING[reading.language].format(names=names)]
        lines += [f"{e.display} {{{i}}}" for i, e in enumerate(found.evidence)]
        return lines, found.evidence
    try:
        if intent.per:  # "문서 한 개당 평균 몇 개의 질문": 질문 ÷ 문서, not their mean
            work = per_one(found.operands, intent.per, _asked_unit(reading.question))
        elif share_of_extreme(reading):  # "가장 큰 값은 네 값 합계의 몇 %"
            work = extreme_share(intent.operation, found.operands)
        else:
            work = compute(intent.operation, found.operands, factor=intent.factor,
                           unit=_asked_unit(reading.question))  # fmt: skip
    except CalculationError:
        return None
    return _compose_work(reading, work, found)


#: an inclusive numbered range: "제2항부터 제39항까지", "3번~7번", "제5조 내지 제9조"
_RANGE = re.compile(
    r"제?\s*(\d{1,4})\s*([항호조번장])\s*(?:부터|~|∼|내지)\s*제?\s*(\d{1,4})\s*\2(?:까지)?"
)
#: the least share of the question's words (plus of its focus) the clause of a range holds
_RANGE_SHARE = 0.6


def counted_range(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> tuple[list[str], list[Evidence]] | None:
    """A count ("몇 건") that a sentence gives as a numbered range: "의사일정 제2항부터
    제39항까지의 법률안은 환경법안심사소위원회로" holds 39 − 2 + 1 = 38 bills. The range
    whose clause (up to the next comma, read across the PDF's line breaks) holds most of the
    question's words is counted; None when no clause holds enough of them."""
    best: tuple[float, re.Match[str], Unit] | None = None
    passages = list({u.hit.chunk_id: u.hit for u, _, _ in units}.values())
    for hit in passages:
        text = rejoin(hit.text)
        for match in _RANGE.finditer(text):
            end = re.search(r"[,.;]|$", text[match.end() :])
            clause = text[match.start() : match.end() + (end.start() if end else 0)]
            own = set(tokenize(clause))
            # what is asked about ("… 에서 환경법안심사소위원회로 회부된 법률안") counts
            # again: "환경노동위원회에서" names where, and 노동 is in the other clause too
            share = share_of(reading, own) + share_of(reading, own, reading.focus)
            unit = next((u for u, _, _ in units if u.hit is hit and match.group() in u.display),
                        None)  # fmt: skip
            good = int(match.group(3)) > int(match.group(1)) and share >= _RANGE_SHARE
            if unit is not None and good and (best is None or share > best[0]):
                best = (share, match, unit)
    if best is None:
        return None
    _, match, unit = best
    first, counter, last = match.group(1), match.group(2), match.group(3)
    count = format_number(evaluate(f"{last} - {first} + 1"))
    unit_word = _asked_unit(reading.question)
    line = f"제{last}{counter} {{0}} − 제{first}{counter} {{0}} + 1 = {count}{unit_word}"
    evidence = unit_evidence(unit)
    return [line, f"{short_quote(evidence.display)} {{0}}"], [evidence]


#: what joins two items of a list: "Short 350개, Long 200개", "위원 3명과 간사 1명"
_ITEM_JOINT = re.compile(r"\s*(?:,|및|와|과|그리고|\+)\s*[^\d,.;:()]{0,16}?")


def listed_total(reading: Reading, best: Evidence) -> tuple[list[str], list[Evidence]] | None:
    """The whole of a count a sentence gives only in parts: asked "질문은 모두 몇 개", the
    sentence "Short 350개, Long 200개를 … 추출하였고" holds 350 + 200 = 550. Two or more
    values of the counter asked, listed one after another (commas, 및, 와), and none the
    sentence calls the whole ("총 550개"); None otherwise."""
    counter = reading.intent.counter
    if not counter or not ASKS_WHOLE.search(reading.question):
        return None
    text = best.display
    values = [v for v in find_values(text) if v.number is not None and v.unit == counter]
    if any(TOTAL_MARK.search(text[max(0, v.start - 6) : v.start]) for v in values):
        return None
    listed = values[:1]
    for value in values[1:]:
        if not _ITEM_JOINT.fullmatch(text[listed[-1].end : value.start]):
            if len(listed) >= 2:
                break
            listed = [value]
            continue
        listed.append(value)
    if len(listed) < 2:
        return None
    operands = [Operand("", v.text, v.number, v.unit, None, 0) for v in listed]
    try:
        work = compute(Operation.SUM, operands, unit=listed[0].unit)
    except CalculationError:
        return None
    return [work.line, f"{short_quote(text)} {{0}}"], [best]


#: a season's record: "16승 14패", "8승 2무 5패"
_RECORD = re.compile(
    r"(?<![\d,.])(\d{1,3})\s*승\s*(?:(\d{1,3})\s*무\s*)?(\d{1,3})\s*패(?:\s*(\d{1,3})\s*무)?"
)
#: a question for how many games were played: "시즌 몇 경기를 치른 셈인가요?"
_GAMES_ASKED = re.compile(r"몇\s*경기")
#: a question for a record's winning percentage: "시즌 전적으로 승률을 계산하면"
_WIN_RATE_ASKED = re.compile(r"승률")
#: the places a winning percentage is written to unless the question asks others (".533")
_WIN_RATE_PLACES = 3


def games_played(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> tuple[list[str], list[Evidence]] | None:
    """How many games a record adds up to, asked "몇 경기를 치렀나요": the record of the
    best-ranked unit writing one ("16승 14패" is 16 + 14 = 30경기, with 무 if any), whether or
    not a count of games is written elsewhere. Asked its 승률, the record's wins over its
    decided games ("16승 14패" is 16 ÷ (16 + 14) = .533): a draw counts in neither, as
    the leagues reckon it."""
    rate = _WIN_RATE_ASKED.search(reading.question) is not None
    if not rate and not _GAMES_ASKED.search(reading.question):
        return None
    for unit, _, _ in sorted(units, key=lambda u: u[2]):
        record = _RECORD.search(unit.display)
        if record is None:
            continue
        if rate:
            return _win_rate(reading, record, unit_evidence(unit))
        parts = [("승", record.group(1)), ("무", record.group(2) or record.group(4)),
                 ("패", record.group(3))]  # fmt: skip
        operands = [Operand("", f"{n}{word}", Decimal(n), "", None, 0) for word, n in parts if n]
        work = compute(Operation.SUM, operands, unit="경기")
        evidence = unit_evidence(unit)
        line = re.sub(r"\{\d+\}", "{0}", work.line)  # every part is of the one record
        return [line, f"{short_quote(evidence.display)} {{0}}"], [evidence]
    return None


def _win_rate(
    reading: Reading, record: re.Match[str], evidence: Evidence
) -> tuple[list[str], list[Evidence]] | None:
    """The winning percentage of one record, to the places asked (three unless asked)."""
    wins, losses = record.group(1), record.group(3)
    decided = Decimal(wins) + Decimal(losses)
    if decided == 0:
        return None
    places = asked_places(reading.question)
    exponent = Decimal(1).scaleb(-(_WIN_RATE_PLACES if places is None else places))
    value = (Decimal(wins) / decided).quantize(exponent, rounding=ROUND_HALF_UP)
    # written as the box scores write a rate under one, ".533", not "0.533"
    shown = str(value)[1:] if value < 1 else str(value)
    line = f"{wins}승 {{0}} ÷ ({wins}승 + {losses}패) = {shown}"
    return [line, f"{short_quote(evidence.display)} {{0}}"], [evidence]


#: one cell of a rendered table row: "대통령령: 9"
_ROW_CELL = re.compile(r"^\s*([^:|]+?)\s*:\s*(.+?)\s*$")
#: a column that already holds the row's whole: a totals label, or 총/전체 over its parts
_WHOLE_COLUMN = re.compile(rf"{TOTAL.pattern}|^(?:총|전체)$", re.I)
#: at most this many cells are added up as a row's parts
_ROW_PARTS = 12


def row_total(reading: Reading, best: Evidence) -> tuple[list[str], list[Evidence]] | None:
    """The whole of a row asked of its parts: "고용노동 소관 행정입법은 모두 몇 건" over the
    row `구분: 고용노동소관 | 대통령령: 9 | 부령: 11 | … | 기타: 8` is the sum of its cells.
    Only when every cell after the row's label is a number and no column is the row's own
    total (`합계`, `계`), which is then the answer as it stands. None otherwise."""
    if not reading.intent.counter or not ASKS_WHOLE.search(reading.question):
        return None
    line = best.quote.split("\n", 1)[0]
    cells = [_ROW_CELL.match(cell) for cell in line.split(" | ")]
    if not 3 <= len(cells) <= _ROW_PARTS + 1 or not all(cells):
        return None
    named = [(m.group(1), m.group(2)) for m in cells if m is not None]
    parts = named[1:]
    if not all(is_numeric(value) for _, value in parts):
        return None
    if any(_WHOLE_COLUMN.match(name.replace(" ", "")) for name, _ in parts):
        return None
    # a numeric cell may carry its unit or currency ("15명", "₩1,200"): its number is summed
    operands = [Operand(name, value, leading_number(value), "", None, 0) for name, value in parts]
    try:
        work = compute(Operation.SUM, operands, unit=reading.intent.counter)
    except (CalculationError, InvalidOperation):
        return None
    return [work.line, f"{short_quote(best.display)} {{0}}"], [best]


#: a unit of measure a question asks in, and the words a value or its label states it by
_MEASURES = {
    "초": re.compile(r"초|sec|\ds\b", re.I),
    "분": re.compile(r"(?<![구부배성기충처신지])분|min", re.I),  # not 구분, 부분, 지분 …
    "시간": re.compile(r"시간|hour|\dh\b", re.I),
    "원": re.compile(r"원|₩|krw|금액|가격|단가|비용|price|amount|cost", re.I),
}


def _measured_as_asked(question: str, operands: Sequence[Operand]) -> bool:
    """Whether every operand is in the unit of measure the question asks in ("몇 초", "몇
    원"): written with it, a clock time, or named by a label that states it ("변환 시간(초)").
    A question asking no such unit takes any operands."""
    asked = re.search(r"몇\s*(초|분|시간|원)(?=[이가은는을를도만\s?？]|$)", question)
    if asked is None:
        return True
    states = _MEASURES[asked.group(1)]
    return all(
        o.when is not None or states.search(f"{o.unit} {o.text} {o.label}") for o in operands
    )


def _asked_unit(question: str) -> str:
    # the longer counter first: "몇 개월" is no "몇 개"
    match = re.search(r"몇\s*(명|개월|개사|개|건|곳|대|회|점|일|분|시간|년|원)", question)
    return match.group(1) if match else ""


def _compose_work(
    reading: Reading, work: Work, found: Operands
) -> tuple[list[str], list[Evidence]]:
    places = asked_places(reading.question)
    if places is not None:
        work = at_places(work, places)
    # at once: one by one, "{0}"→"{1}" then "{1}"→"{0}" would cite one source twice
    sources = [operand.source for operand in found.operands]
    line = re.sub(
        r"\{(\d+)\}",
        lambda m: f"{{{sources[int(m[1])]}}}" if int(m[1]) < len(sources) else m[0],
        work.line,
    )
    lines = [f"{line}{_roughly(reading, work.result)}"]
    shown = list(range(len(found.evidence)))
    if work.picked:  # a largest or smallest value: its row is the evidence, not all of them
        shown = [o.source for o in found.operands if o.label == work.picked][:1]
    for i in shown:
        lines.append(f"{short_quote(found.evidence[i].display)} {{{i}}}")
    return dedupe_lines(lines), found.evidence


#: a question asking for a round figure: "대략 몇 퍼센트", "약 몇 %", "몇 건 정도", "roughly
#: how many"
_ROUGHLY = re.compile(
    r"대략|대강|어림|(?<![가-힣])약\s|(?<=\s)정도|쯤(?![가-힣])"
    r"|\b(?:roughly|approximately|about)\b",
    re.I,
)
_FRACTION = re.compile(r"^(-?\d[\d,]*\.\d+)(\D*)$")
_ABOUT = {"ko": " (약 {0})", "en": " (about {0})"}
#: the decimal places a question asks a result to: "소수점 첫째 자리까지", "소수 둘째 자리에서
#: 반올림" (rounded there: one place fewer), "to two decimal places"
_PLACES = re.compile(
    r"소수\s*(?:점\s*)?(?:아래\s*)?(첫|둘|셋|[1-3])\s*(?:번?째)?\s*자리\s*(에서)?"
    r"|\b(one|two|three|[1-3])\s+decimal\s+places?\b",
    re.I,
)


def asked_places(question: str) -> int | None:
    """The decimal places a question asks its result to, or None when it asks none."""
    found = _PLACES.search(question)
    if found is None:
        return None
    word = (found[1] or found[3]).lower()
    places = int(word) if word.isdigit() else ORDINALS.get(word) or ENGLISH_NUMBERS[word]
    return places - 1 if found[2] else places


def _roughly(reading: Reading, result: str) -> str:
    """The result rounded to a whole number, after the exact one, when the question asks
    roughly and the result has a fraction: "= 81.1% (약 81%)"; else ""."""
    found = _FRACTION.match(result)
    if found is None or not _ROUGHLY.search(reading.question):
        return ""
    whole = Decimal(found[1].replace(",", "")).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return _ABOUT.get(reading.language, _ABOUT["ko"]).format(f"{whole:,}{found[2]}")


def _labels_unasked(reading: Reading, operands: Sequence[Operand]) -> bool:
    """Whether every operand is labelled and no label writes a word of the question: the
    values are of other things than the ones asked ("러너 ubuntu-latest 138" for the formats'
    counts of supported elements)."""
    if len(operands) < 2 or not all(o.label.strip() for o in operands):
        return False
    asked = squash(reading.question).lower()
    words = {w.lower() for o in operands for w in o.label.split() if len(w) >= 2}
    tokens = {t for o in operands for t in tokenize(o.label)}
    # a label in the other language is asked by its word: "AMOUNT (€)" by 금액
    same = {w for t in tokens for w in reading.same.get(t, ())}
    return not any(w in asked for w in words) and not set(reading.words) & (tokens | same)


def _years_for_amount(reading: Reading, operands: Sequence[Operand]) -> bool:
    """Whether every operand is a bare year while the question asks an amount counted in
    something else ("몇 억원"): a year written in a title is no value to compute with."""
    counter = reading.intent.counter or ""
    return (
        bool(operands)
        and bool(counter)
        and "년" not in counter
        and all(o.number is not None and is_year(o.number) and not o.unit for o in operands)
    )


def _text_operands(
    reading: Reading, units: Sequence[tuple[Unit, float, int]], sources: Sources
) -> Operands | None:
    """Operands from sentences: the two moments of an elapsed time, or the one value a
    multiple is taken of."""
    operation = reading.intent.operation
    ranked = sorted(
        ((c.score, i) for i, (u, s, r) in enumerate(units)
         if (c := unit_candidate(reading, u, s, r)) is not None),
        reverse=True,
    )  # fmt: skip
    if operation is Operation.ELAPSED:
        # every moment in the passages, best units first: the start and the end are often
        # far apart ("(10시14분 개의)" on one page, "(10시45분 산회)" on another)
        order = [units[i][0] for _, i in ranked]
        return _moments(reading, order, sources)
    if operation is Operation.SHARE:
        return text_share(reading, [units[i][0] for _, i in ranked[:_SHARE_UNITS]])
    if operation in (Operation.SUM, Operation.DIFFERENCE, Operation.AVERAGE, Operation.RATIO):
        if reading.intent.per:  # "10,645 건의 문단과 66,181 개의 질의응답 쌍"
            best = [units[i][0] for _, i in ranked[:_RESPECTIVE_UNITS]]
            return next((o for u in best if (o := _counted_pair(reading, u)) is not None), None)
        quoted = _quoted_operands(reading, [units[i][0] for _, i in ranked])
        if quoted is not None:
            return quoted
        aligned = _aligned_operands(reading, units)
        if aligned is not None:
            return aligned
        best = [units[i][0] for _, i in ranked[:_RESPECTIVE_UNITS]]
        found = next((o for u in best if (o := _labelled_pair(reading, u)) is not None), None)
        if found is not None:
            return found
        found = next((o for u in best if (o := _respective(reading, u)) is not None), None)
        if found is None and operation is Operation.DIFFERENCE and best:
            found = _before_and_after(reading, best[0], [u for u, _, _ in units])
        return found
    if operation is Operation.DIVIDE:
        for _, i in ranked[:3]:
            unit = units[i][0]
            kinds = reading.intent.value_kinds or (ValueKind.COUNT, ValueKind.NUMBER)
            values = [v for v in own_values(reading, unit.display) if v.kind in kinds]
            if values:
                value = values[0]
                operand = Operand("", value.text, value.number, value.unit, None, 0)
                return Operands([operand], [unit_evidence(unit)])
    return None


def _quoted_operands(reading: Reading, ranked: Sequence[Unit]) -> Operands | None:
    """The two operands a question names by quoting the words written right before each:
    "'종이 왼쪽부터' 배치된 표는 '쪽 왼쪽부터' 배치된 표보다 몇 mm 더" over "표 5 여백
    10mm, 종이 왼쪽부터 35mm" and "표 4 여백 10mm, 쪽 왼쪽부터 5mm" is 35mm − 5mm. Each is
    the first value within a few characters after its words, in the best line writing them
    as words of their own; None unless the question quotes exactly two."""
    quoted = QUOTED.findall(reading.question)
    if len(quoted) != 2:
        return None
    operands, evidence, read = [], [], []
    for words in quoted:
        shape = re.compile(rf"(?<![가-힣A-Za-z\d]){re.escape(words.strip())}")
        found = next(
            (
                (unit, value)
                for unit in ranked
                for at in shape.finditer(unit.display)
                for value in own_values(reading, unit.display[at.end() : at.end() + _QUOTED_REACH])
                if value.number is not None
            ),
            None,
        )
        if found is None:
            return None
        unit, value = found
        if unit not in read:  # each operand cites the line it is read from
            read.append(unit)
            evidence.append(unit_evidence(unit))
        source = read.index(unit)
        operands.append(Operand(words, value.text, value.number, value.unit, None, source))
    return Operands(operands, evidence)


#: how far after the words a question quotes their value may sit ("종이 왼쪽부터 35mm")
_QUOTED_REACH = 12


#: the best sentences looked at for a share's part and whole
_SHARE_UNITS = 5


#: things a question lists to add up: "10대·20대·30대를", "서울, 부산, 대구의"
_ITEMS = re.compile(
    r"(?<![가-힣A-Za-z\d])([가-힣A-Za-z\d]{1,10}(?:\s*[·,]\s*[가-힣A-Za-z\d]{1,10}){1,7})"
    r"(?:을|를|은|는|이|가|의|에서|까지)?(?=\s|$)"
)
#: the best units looked at for the things a question lists
_ITEM_UNITS = 8
#: a count of owners right before the things listed: "네 학생의 ", "17개 시도의 "
_OWNER_COUNTED = re.compile(r"\S+\s*[가-힣]+의\s*$")


def _named_items(reading: Reading, units: Sequence[tuple[Unit, float, int]]) -> Operands | None:
    """Operands of a sum over things the question lists, each followed by its own value in
    one sentence of the passages: "10대·20대·30대를 합하면" over "10대(1명), 20대(2명),
    30대(7명), 40대(10명)" → 1명, 2명, 7명. None unless one sentence states all of them."""
    listed = max(_ITEMS.findall(reading.question), key=len, default="")
    items = [i.strip() for i in re.split(r"[·,]", listed) if i.strip()]
    if len(items) < 2 or any(i.replace(".", "").isdigit() for i in items):
        return None  # "1,000" is a number, not two things listed
    items[-1] = re.sub(r"(?<=[가-힣A-Za-z\d]{2})(?:을|를|은|는|이|가|의|와|과)$", "", items[-1])
    owners = _OWNER_COUNTED.search(reading.question[: reading.question.find(listed)])
    if owners is not None and counted_things(owners.group()):
        return None  # "네 학생의 국어·영어·수학": each of four rows, not one row's three cells
    ranked = sorted(units, key=lambda u: (u[2], -u[1]))[:_ITEM_UNITS]
    stating = []
    for unit, _, _ in ranked:
        around = f"{unit.context} {unit.display}"
        if states_other_filter(reading.question, around, Asked.ANY):
            continue  # "제1기 … 10대·20대" is not read off the □ 2기 table's row
        values = _item_values(items, unit.display)
        if values:
            share = share_of(reading, set(tokenize(around)))
            # a name the tokenizer splits in a cell ("팔푼이" → 팔, 푼) is still written there
            shown = squash(unit.display)
            written = sum(1 for w in reading.words if len(w) >= 2 and w in shown)
            stating.append((share, written, unit, values))
    if not stating:
        return None
    # the sentence most about the rest of the question: "육손이의 국어, 영어" is his row
    _, _, unit, values = max(stating, key=lambda s: s[:2])
    operands = [Operand(item, v.text, v.number, v.unit, None, 0) for item, v in values]
    return Operands(operands, [unit_evidence(unit)])


def _item_values(items: Sequence[str], text: str) -> list[tuple[str, Value]]:
    """Each item with the value ``text`` writes right after it ("10대(1명)"), or nothing
    when one of them has none."""
    values = []
    for item in items:
        after = re.search(rf"(?<![가-힣A-Za-z\d]){re.escape(item)}\s*[(:：]?\s*(?=\d)", text)
        found = find_values(text[after.end() : after.end() + 20]) if after else []
        if not found or found[0].start != 0 or found[0].number is None:
            return []
        values.append((item, found[0]))
    return values


def _before_and_after(reading: Reading, best: Unit, units: Sequence[Unit]) -> Operands | None:
    """How much a measure changed, from the two amounts the best sentence's passage states in
    the unit asked: "몇 음절 줄었나요?" over "평균 90,259음절로 매우 길다. … 그 결과 길이가 평균
    19,864음절로 크게 줄어들었다." None unless the passage states exactly two such amounts,
    each in a sentence of its own read."""
    counter = reading.intent.counter
    if not counter:
        return None
    mine = [u for u in units if u.hit.chunk_id == best.hit.chunk_id]
    stated = [
        (u, v)
        for u in mine
        for v in own_values(reading, u.display)
        if v.number is not None and v.unit == counter
    ]
    if len({v.number for _, v in stated}) != 2 or len(stated) != 2:
        return None
    (first, a), (second, b) = stated
    if first is second:
        return None  # one sentence comparing two amounts is read as a sentence
    operands = [Operand("", a.text, a.number, a.unit, None, 0),
                Operand("", b.text, b.number, b.unit, None, 1)]  # fmt: skip
    return Operands(operands, [unit_evidence(first), unit_evidence(second)])


#: a word right before a value that labels it: "최대 3천만원", "상한: 500명"
_VALUE_LABEL = re.compile(r"([가-힣A-Za-z]{2,8})\s*[:：]?\s*$")
#: the same with the word before it, for labels that share their last word: "Training set
#: 60,407 개, Dev set 5,774 개"
_VALUE_LABEL_TWO = re.compile(r"((?:[가-힣A-Za-z]{2,8}\s)?[가-힣A-Za-z]{2,8})\s*[:：]?\s*$")


#: a count and the thing it counts after it: "10,645 건의 문단과", "66,181 개의 질의응답"
_COUNTS_OF = re.compile(r"\s*(?:[가-힣]{1,2})?의\s+([가-힣A-Za-z]{2,})")
_TRAILING_PARTICLE = re.compile(r"(?:과|와|으로|로|은|는|이|가|을|를|에)$")


def _counted_pair(reading: Reading, unit: Unit) -> Operands | None:
    """For an average per one thing, the count of that thing and the count of what the
    question asks, each written before what it counts ("10,645 건의 문단과 66,181 개의
    질의응답 쌍" for "문단 하나당 질의응답 쌍은 평균 몇 개"); the first of each in the line.
    None unless both are there."""
    per, text = reading.intent.per, unit.display
    counted: dict[str, Operand] = {}
    for value in own_values(reading, text):
        thing = _COUNTS_OF.match(text, value.end)
        if value.number is None or thing is None:
            continue
        word = _TRAILING_PARTICLE.sub("", thing.group(1))
        key = "per" if word == per else "other" if word in reading.question else ""
        if key and key not in counted:
            counted[key] = Operand(word, value.text, value.number, "", None, 0)
    if len(counted) != 2:
        return None
    return Operands([counted["other"], counted["per"]], [unit_evidence(unit)])


def _labelled_pair(reading: Reading, unit: Unit) -> Operands | None:
    """The two operands of a difference, ratio or sum that one line labels with the
    question's words: "B급 위약금의 최대 금액은 최소 금액의 몇 배" over "(최대 3천만원 최소
    2,500천원)", "영농조합법인 수와 비영리민간단체 수를 합치면" over "… 법인이 6,835개(…),
    비영리민간단체가 15,115 개(…)".
    The question's order is the operands' (the first named is divided). Amounts of money in
    different scales (천만원, 천원) are brought to 원. None unless exactly two values are so
    labelled, by two different words."""
    if reading.intent.operation not in (Operation.DIFFERENCE, Operation.RATIO, Operation.SUM):
        return None
    pairs = [p for cell in unit.display.split(" | ") if (p := _pair_in(reading, cell))]
    if not pairs:
        return None
    # a row of cells, each with its pair: the cell the question names ("B급")
    asked = set(tokenize(reading.question))
    _, ordered = max(pairs, key=lambda p: len(asked & set(tokenize(p[0].partition(":")[0]))))
    money = all(v.kind is ValueKind.MONEY for _, v in ordered)
    operands = [
        Operand(label, v.text, base_amount(v) if money else v.number, "원" if money else v.unit,
                None, 0)
        for label, v in ordered
    ]  # fmt: skip
    return Operands(operands, [unit_evidence(unit)])


def _pair_in(reading: Reading, text: str) -> tuple[str, list[tuple[str, Value]]] | None:
    """``text`` and its two values labelled by words of the question, in its order; labels
    of two words when one word names both values alike."""
    for label_at, width in ((_VALUE_LABEL, 12), (_VALUE_LABEL_TWO, 20)):
        labelled: dict[str, Value] = {}
        for value in own_values(reading, text):
            label = label_at.search(text[max(0, value.start - width) : value.start])
            named = _named_by(label.group(1), reading.question) if label else ""
            if label_at is _VALUE_LABEL_TWO and " " not in named:
                named = ""  # two words, both written: "Training set", not "이명박 후보는"'s head
            if value.number is not None and named and not _measure_compared(named, reading):
                labelled.setdefault(named, value)
        if len(labelled) < 2:
            for name, value in _named_respectively(reading, text):
                labelled.setdefault(name, value)
        if len(labelled) == 2:
            return text, sorted(labelled.items(), key=lambda item: reading.question.index(item[0]))
    return None


def _measure_compared(word: str, reading: Reading) -> bool:
    """Whether the question writes ``word`` of both operands, as the measure it compares
    ("평문 비율이 표 비율보다": 비율 names neither 평문 nor 표)."""
    question = reading.question
    return (
        question.count(word) > 1
        and re.search(rf"{re.escape(word)}\S*\s*보다", question) is not None
    )


#: what joins the things a sentence lists: "표, 리스트", "A와 B"
_NAME_JOINT = re.compile(r"\s*(?:,|및|와|과)\s*")


def _named_respectively(reading: Reading, text: str) -> list[tuple[str, Value]]:
    """The values a sentence gives "respectively" to the things it lists right before
    각각, of those the question names as words of their own: "… 차지하고, 표, 리스트가 각각
    22.0%, 10.5%를" gives 표 22.0% for "평문 비율이 표 비율보다"."""
    mark = EACH.search(text)
    if mark is None:
        return []
    after = text[mark.end() :]
    values = listed_run(after, [v for v in own_values(reading, after) if v.number is not None])
    if len(values) < 2 or values[0].start > _NEAR:
        return []
    before = re.sub(r"(?:이|가|은|는|도)?\s*$", "", text[: mark.start()])
    pieces = _NAME_JOINT.split(before)
    if len(pieces) < len(values):
        return []
    names = [p.split()[-1] if p.split() else "" for p in pieces[-len(values) :]]
    return [
        (name, value) for name, value in zip(names, values, strict=True)
        if name and re.search(
            rf"(?<![가-힣A-Za-z\d]){re.escape(name)}(?![가-힣A-Za-z\d])", reading.question
        )
    ]  # fmt: skip


def _named_by(label: str, question: str) -> str:
    """What of a value's label the question writes: the label, without the particle it
    ends on ("노동자는 74.3%" → 노동자), or the head of a compound ("기간제노동자는 25.7%" for
    "기간제 비율") of three letters or more; "" when none."""
    bare = re.sub(r"(?<=..)(?:은|는|이|가|의|도)$", "", label)
    for word in (label, bare):
        if word in question:
            return word
    head = next((bare[:n] for n in range(len(bare) - 1, 2, -1) if bare[:n] in question), "")
    return head


#: the best sentences looked at for values given "respectively"
_RESPECTIVE_UNITS = 3


def _respective(reading: Reading, unit: Unit) -> Operands | None:
    """Operands a sentence gives one per thing it names, "respectively": "ABC 주식회사와
    DEF 파트너스는 각각 30인 및 70인의 임원을 파견한다" → 30인, 70인. Values of one unit
    listed right after 각각, joined by 및, 와, commas; None unless two or more."""
    text = unit.display
    mark = EACH.search(text)
    if mark is None:
        return None
    after = text[mark.end() :]
    listed = listed_run(after, [v for v in own_values(reading, after) if v.number is not None])
    if len(listed) < 2 or (mark.group().lower() == "각각" and listed[0].start > _NEAR):
        return None
    operands = [Operand("", v.text, v.number, v.unit, None, 0) for v in listed]
    return Operands(operands, [unit_evidence(unit)])


#: how far after 각각 its first value may sit ("각각 30인", "각각 연 2회")
_NEAR = 12


def _aligned_operands(
    reading: Reading, units: Sequence[tuple[Unit, float, int]]
) -> Operands | None:
    """Operands from space-aligned table rows: each row the question names, in the column
    it names best (the same column for all)."""
    matches = aligned_matches(reading, units)
    if not matches:
        return None
    column = matches[0][2]
    rows: dict[str, tuple[AlignedRow, str]] = {}
    for _, row, name, value, _ in matches:
        if name == column and row.label not in rows:
            rows[row.label] = (row, value)
    if len(rows) < 2:
        return None
    operands: list[Operand] = []
    evidence: list[Evidence] = []
    for label, (row, value) in list(rows.items())[:6]:
        found = find_values(value)
        number = found[0].number if found else None
        evidence.append(unit_evidence(row.unit))
        operands.append(Operand(f"{label} {column}", value, number, "", None, len(evidence) - 1))
    return Operands(operands, evidence)


_START = re.compile(r"개의|개회|개시|시작|착수|부터|from|start|open", re.I)
_END = re.compile(r"산회|폐회|종료|마감|까지|끝|until|end|close", re.I)


#: a span asked in days or longer, whatever other words the question writes
_DAYS_ASKED = re.compile(r"며칠|몇\s*(?:일|주|개월|달|년)|how many (?:days|weeks|months|years)")


def _moments(reading: Reading, units: Sequence[Unit], sources: Sources) -> Operands | None:
    """The start and end of what the question asks about, from the best units' times or
    dates: the ones written under each side's words ("A부터 B까지"), or else a start word
    near one and an end word near the other."""
    # "… 경기개시 시간) … 몇 개월이 지났나요" asks months: the 시간 is the article's title
    hours = re.search(r"분|시간|minute|hour", reading.question)
    want = ValueKind.TIME if hours and not _DAYS_ASKED.search(reading.question) else ValueKind.DATE
    moments: list[tuple[Value, Unit]] = []
    for unit in units:
        year = _year_of(unit)
        for value in find_values(unit.display):
            if value.kind is want:
                if value.when is None and want is ValueKind.DATE and year:
                    value = Value(value.kind, value.text, value.start, value.end,
                                  when=parse_date(value.text, year=year))  # fmt: skip
                if value.when is not None:
                    moments.append((value, unit))
    if len(moments) == 1:
        return _one_moment(reading, moments[0], want, sources)
    if len(moments) < 2:
        return None
    sided = _sided(reading.question, moments)
    if sided is None and any(p.search(reading.question) for p in _SIDES):
        # each side named, not found in the passages read: a line of the document may write
        # both; else two dates written under neither side's words are no span asked
        docs = list(dict.fromkeys(u.hit for u in units[:_SIDED_DOCS]))
        found = next((o for h in docs if (o := _sided_line(reading, want, h, sources))), None)
        if found is not None or not _labelled_by_question(reading.question, moments):
            return found
    start, end = sided or _start_and_end(moments)
    if end is None or end[0].when == start[0].when:
        return None
    operands: list[Operand] = []
    evidence: list[Evidence] = []
    for value, unit in (start, end):
        if not any(e.start == unit.hit.start + unit.start for e in evidence):
            evidence.append(unit_evidence(unit))
        index = next(i for i, e in enumerate(evidence) if e.start == unit.hit.start + unit.start)
        operands.append(Operand("", value.text, None, "", value.when, index))
    return Operands(operands, evidence)


#: "A부터 B까지": the two moments a question names, each by its own words
_SIDES = (
    re.compile(r"(?P<start>.+?)부터\s+(?P<end>.+?)까지"),
    re.compile(r"(?P<start>.+?)에서\s+(?P<end>.+?)까지"),  # 에서 also says where: 부터 first
    # "위헌소원은 선고되고 며칠 뒤에 결정 통지가 왔나요": the first event, then the second
    re.compile(
        r"(?P<start>.+?(?:고|한|된|은))\s+(?:(?:뒤|후)\s+)?(?:며칠|몇\s*\S+)\s*(?:뒤|후|만)에?"
        r"\s+(?P<end>.+)"
    ),
)
#: a side that names the end of what it is about ("모집 마감일", "접수가 끝나는 날")
_SIDE_END = re.compile(r"마감|끝|종료|만료|폐막|폐회|마지막")
#: "7. 24.(수)~8. 2.(금)": a range; its end is read under the label of its start
_RANGE_JOINT = re.compile(r"\s*(?:\(\s*[월화수목금토일]\s*\))?\s*[~∼–-]\s*$")

Moment = tuple[Value, Unit]


def _sided(question: str, moments: Sequence[Moment]) -> tuple[Moment, Moment] | None:
    """The start and the end a question names on each side of 부터 … 까지, matched by the
    label each moment is written under: "모집 마감일부터 제안서 심사일까지" takes the end of
    "모집기간 : 7. 24.~8. 2." and the date of "심사일정 : 8. 13.". None unless each side's
    own words pick a different moment."""
    match = next((m for p in _SIDES if (m := p.search(question))), None)
    if match is None:
        return None
    start_words = set(tokenize(match.group("start")))
    end_words = set(tokenize(match.group("end")))
    start_words, end_words = start_words - end_words, end_words - start_words
    labels = _labels(moments)
    picked: list[Moment] = []
    for name, side, other in (("start", start_words, end_words), ("end", end_words, start_words)):
        # the second side may be named as much by the first side's words as by its own
        # ("헌법소원심판 결정 통지" for "위헌소원은 …, 결정 통지"), once the first is taken
        taken = {id(m) for m in picked}
        scored = [(len(words & side) - len(words & other), i)
                  for i, (words, _) in enumerate(labels)
                  if id(moments[i]) not in taken and (not picked or words & side)]  # fmt: skip
        best = max((score for score, _ in scored), default=-1)
        if best < (0 if picked else 1):
            return None
        # a side naming an end ("마감일") takes a range's end, any other its start
        wants_end = bool(_SIDE_END.search(match.group(name)))
        # of ends named alike ("2월 13일 회부됨", "3월 4일 회부됨"), the first written after
        # the start: a record lists each bill's events in the order they happened
        tied = sorted(
            (labels[i][1] != wants_end, _after_start(picked, moments[i]), i)
            for score, i in scored
            if score == best
        )
        picked.append(moments[tied[0][2]])
    start, end = picked
    if start is end or _after(start[0], end[0]):
        return None  # the side named first comes first: an end before its start is misread
    return start, end


def _after_start(picked: Sequence[Moment], moment: Moment) -> int:
    """How far ``moment`` is written after the start already picked, in characters of the
    same document; 0 for the start itself, and past any document's length when there is no
    start yet or it is written before the start or in another document."""
    if not picked:
        return 0
    start_value, start_unit = picked[0]
    value, unit = moment
    at = unit.hit.start + unit.start + value.start
    since = at - (start_unit.hit.start + start_unit.start + start_value.start)
    same = unit.hit.doc_id == start_unit.hit.doc_id
    return since if same and since >= 0 else sys.maxsize


#: how many of the best passages' documents are read for a line naming both sides
_SIDED_DOCS = 3


def _labelled_by_question(question: str, moments: Sequence[Moment]) -> bool:
    """Whether any moment is written under the question's words ("모집기간 : 7. 24.~8. 2."
    for "모집 시작일부터 마감일까지")."""
    asked = set(tokenize(question))
    return any(words & asked for words, _ in _labels(moments))


def _sided_line(reading: Reading, want: ValueKind, hit: Hit, sources: Sources) -> Operands | None:
    """The start and the end on one line of ``hit``'s document, each written after its
    side's words: a letter's footer "시행 문화기획팀-2181 (2024.07.24.) 접수 NIA 기관-64
    (2024. 9. 10.)" for "시행된 날부터 접수된 날까지", rarely retrieved with the letter."""
    match = next((m for p in _SIDES if (m := p.search(reading.question))), None)
    if match is None or sources.text_at is None:
        return None
    start_words, end_words = set(tokenize(match.group("start"))), set(tokenize(match.group("end")))
    start_words, end_words = start_words - end_words, end_words - start_words
    text = sources.text_at(hit.doc_id, 0, _FAR_CHARS)
    position = 0
    for line in text.split("\n"):
        here, position = position, position + len(line) + 1
        values = [v for v in find_values(line) if v.kind is want and v.when is not None]
        if len(values) != 2 or not _after(values[1], values[0]):
            continue
        first = set(tokenize(line[: values[0].start]))
        second = set(tokenize(line[values[0].end : values[1].start]))
        if (
            first & start_words
            and second & end_words
            and not (first & end_words or second & start_words)
        ):
            evidence = Evidence(hit, hit.name, line, here, here + len(line), line.strip(), None)
            operands = [Operand("", v.text, None, "", v.when, 0) for v in values]
            return Operands(operands, [evidence])
    return None


def _after(first: Value, second: Value) -> bool:
    """Whether ``first`` is later than ``second`` (moments of one kind only)."""
    a, b = first.when, second.when
    if isinstance(a, date) and isinstance(b, date):
        return a > b
    if isinstance(a, time) and isinstance(b, time):
        return a > b
    return False


#: how much of what follows a time stamp alone on its line is read as its label
_STAMPED_CHARS = 200


def _labels(moments: Sequence[Moment]) -> list[tuple[set[str], bool]]:
    """The words each moment is written under — its unit's text from the moment before it
    in the same unit (or the unit's start) up to it, or, when nothing is written before it,
    the text after it up to the next moment — and whether it ends a range, which takes its
    start's words."""
    labels: list[tuple[set[str], bool]] = []
    for i, (value, unit) in enumerate(moments):
        before = moments[i - 1] if i and moments[i - 1][1] is unit else None
        offset = before[0].end if before is not None else 0
        gap = unit.display[offset : value.start]
        if before is not None and _RANGE_JOINT.fullmatch(gap):
            labels.append((labels[-1][0], True))
            continue
        words = set(tokenize(gap))
        if not words:  # "2월 5일 헌법재판소장으로부터 … 통지", "(2024. 1. 25. 선고)"
            after = moments[i + 1] if i + 1 < len(moments) and moments[i + 1][1] is unit else None
            words = set(tokenize(unit.display[value.end : after[0].start if after else None]))
            if words and gap.strip() == "(":
                words |= _item_before(unit)  # "(2024. 1. 25. 선고)": the date of the item above
        if not words:  # a time stamp on its own line ("(10시25분)"): what follows happened then
            words = set(tokenize(unit.hit.text[unit.end : unit.end + _STAMPED_CHARS]))
        labels.append((words, False))
    return labels


def _item_before(unit: Unit) -> set[str]:
    """The words of the item a bracketed date stands under: "구 산업재해보상보험법 제37조
    제1항 등 위헌 소원" above "(2024. 1. 25. 선고)", from the last moment written before it
    (the item before ends there)."""
    text = unit.hit.text[max(0, unit.start - _STAMPED_CHARS) : unit.start]
    moments = [v for v in find_values(text) if v.kind in (ValueKind.DATE, ValueKind.TIME)]
    if moments:
        text = text[moments[-1].end :]
        text = text.split("\n", 1)[1] if "\n" in text else ""  # the rest of that moment's line
    return set(tokenize(text))


def _start_and_end(moments: Sequence[Moment]) -> tuple[Moment, Moment | None]:
    """A start word near one moment, an end word near another; else the first two."""
    start = _marked(moments, _START) or moments[0]
    later = [m for m in moments if m is not start]
    return start, _marked(later, _END) or (later[0] if later else None)


#: the moment an elapsed time lacks, by the kind of moment and the side missing
_MOMENT_NAMES = {
    "ko": {(ValueKind.TIME, "end"): "끝난 시각", (ValueKind.TIME, "start"): "시작 시각",
           (ValueKind.DATE, "end"): "끝나는 날짜", (ValueKind.DATE, "start"): "시작하는 날짜"},
    "en": {(ValueKind.TIME, "end"): "the end time", (ValueKind.TIME, "start"): "the start time",
           (ValueKind.DATE, "end"): "the end date", (ValueKind.DATE, "start"): "the start date"},
}  # fmt: skip


def _one_moment(
    reading: Reading, moment: tuple[Value, Unit], want: ValueKind, sources: Sources
) -> Operands | None:
    """One end of the span found ("(10시14분 개의)") and not the other: the other is read
    from the rest of the same document, and when it is not there either, named rather
    than guessed."""
    if _marked([moment], _START):
        side = "end"
    elif _marked([moment], _END):
        side = "start"
    else:
        named = _side_named(reading.question, moment)
        if named is None:
            return None
        side = "end" if named == "start" else "start"
    value, unit = moment
    evidence = unit_evidence(unit)
    known = Operand("", value.text, None, "", value.when, 0)
    other = _far_moment(evidence, want, side, sources)
    if other is not None:
        far_value, far_evidence = other
        far = Operand("", far_value.text, None, "", far_value.when, 1)
        return Operands([known, far], [evidence, far_evidence])
    names = _MOMENT_NAMES["en" if reading.language == "en" else "ko"]
    return Operands([], [evidence], missing=[names[(want, side)]])


def _side_named(question: str, moment: Moment) -> str | None:
    """Which side of "A부터 B까지" the words a moment is written under name: "일괄 상정한
    시각부터 산회할 때까지" and "(10시25분)" over "… 93건의 법률안을 일괄하여 상정합니다"
    is the start. None when neither side, or both alike."""
    match = next((m for p in _SIDES if (m := p.search(question))), None)
    if match is None:
        return None
    start, end = set(tokenize(match.group("start"))), set(tokenize(match.group("end")))
    start, end = start - end, end - start
    ((words, _),) = _labels([moment])
    held = len(words & start) - len(words & end)
    return "start" if held > 0 else "end" if held < 0 else None


#: the words that close or open a sitting, read beyond the passages ("(10시45분 산회)");
#: narrower than :data:`_END`: "까지" is written beside many dates that end nothing
_FAR_END = re.compile(r"산회|폐회|폐식|종료")
_FAR_START = re.compile(r"개의|개회|개식|개시")
#: how much of a document is read for the other end, and around its word
_FAR_CHARS, _NEAR_WORD = 300_000, 16


def _far_moment(
    found: Evidence, want: ValueKind, side: str, sources: Sources
) -> tuple[Value, Evidence] | None:
    """The moment of the other end in the same document: the first marked end after the
    moment found, or the last marked start before it, with its line as the evidence.
    The minutes' opening "(10시14분 개의)" is often pages away from "(10시45분 산회)"."""
    if sources.text_at is None:
        return None
    text = sources.text_at(found.hit.doc_id, 0, _FAR_CHARS)
    marks = _FAR_END if side == "end" else _FAR_START
    spans = [m for m in marks.finditer(text) if (m.start() >= found.end if side == "end"
             else m.end() <= found.start)]  # fmt: skip
    for mark in spans if side == "end" else reversed(spans):
        line_start = text.rfind("\n", 0, mark.start()) + 1
        line_end = text.find("\n", mark.end())
        line_end = len(text) if line_end < 0 else line_end
        window_start = max(line_start, mark.start() - _NEAR_WORD)
        window = text[window_start : min(line_end, mark.end() + _NEAR_WORD)]
        values = [v for v in find_values(window) if v.kind is want and v.when is not None]
        if values:
            line = text[line_start:line_end]
            hit = found.hit
            evidence = Evidence(hit, hit.name, line, line_start, line_end, line.strip(), None)
            return values[0], evidence
    return None


def _marked(
    moments: Sequence[tuple[Value, Unit]], words: re.Pattern[str]
) -> tuple[Value, Unit] | None:
    for value, unit in moments:
        text = unit.display
        near = text[max(0, value.start - 12) : value.end + 12]
        if words.search(near):
            return value, unit
    return None


_YEAR_WRITTEN = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[.년-]")


def _year_of(unit: Unit) -> int | None:
    """The year a month and day in ``unit`` fall in: the unit's own, else the last one its
    passage writes before it ("(2024. 1. 25. 선고)" then "2월 5일 … 통지")."""
    match = _YEAR_WRITTEN.search(unit.display)
    if match is None:
        before = list(_YEAR_WRITTEN.finditer(unit.hit.text[: unit.start]))
        match = before[-1] if before else None
    return int(match.group(1)) if match else None
