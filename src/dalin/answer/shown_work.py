"""Arithmetic over values found in the documents, with the work shown and every operand cited.

The reader finds the operands (cells of a table, values in sentences); this module does the
sums, differences, averages, ratios, extremes and times between two moments, always
through :func:`dalin.tools.calculator.evaluate` (exact decimals, no ``eval``), and writes
the work as a person would check it: ``서울 총인원 40 [1] + 부산 총인원 50 [2] = 90``.
Times and dates are subtracted as such: ``10시45분 − 10시14분 = 31분``,
``2021년 2월 25일 − 2021년 2월 5일 = 20일``.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from dalin.answer.intent import Operation
from dalin.errors import CalculationError
from dalin.tools.calculator import evaluate, format_number


@dataclass(frozen=True)
class Operand:
    """One value the work uses, and where it came from."""

    #: what it is, as the work names it ("서울 총인원")
    label: str
    #: the value as the document writes it ("40", "18:30", "2021년 2월 25일")
    text: str
    number: Decimal | None = None
    unit: str = ""
    when: date | time | None = None
    #: the citation it rests on (the reader's key; filled in as ``[n]`` when shown)
    source: int = 0


@dataclass(frozen=True)
class Work:
    """The result and the line that shows how it was reached."""

    #: "서울 총인원 40 {0} + 부산 총인원 50 {1} = 90" (``{i}``: operand i's citation)
    line: str
    result: str
    #: the row label a max/min picked ("제주"), else ""
    picked: str = ""
    #: the exact result and its unit, to write it again to the places a question asks
    value: Decimal | None = None
    unit: str = ""


def compute(
    operation: Operation,
    operands: Sequence[Operand],
    *,
    factor: Decimal | None = None,
    unit: str = "",
) -> Work:
    """Do ``operation`` on ``operands``; ``unit`` names the result's unit when the operands
    carry none ("몇 명" → 명).

    Raises:
        CalculationError: the operands do not allow it (too few, not numbers, mixed units).
    """
    if operation is Operation.ELAPSED or (
        operation is Operation.DIFFERENCE and len(operands) == 2 and all(o.when for o in operands)
    ):
        return _elapsed(operands, unit)
    if operation in (Operation.MAX, Operation.MIN):
        return _extreme(operation, operands)
    numbers = [_number(o) for o in operands]
    result_unit = _common_unit(operands) or unit
    if operation is Operation.DIVIDE:
        if len(operands) != 1 or factor is None:
            raise CalculationError("a division needs one value and the multiple it names")
        value = evaluate(f"{numbers[0]} / {factor}")
        line = f"{_shown(operands[0], 0)} ÷ {format_number(factor)}"
        return _work(line, value, result_unit)
    if len(operands) < 2:
        raise CalculationError("this needs at least two values")
    if operation is Operation.AVERAGE:
        value = evaluate(f"avg({', '.join(str(n) for n in numbers)})")
        terms = " + ".join(_shown(o, i) for i, o in enumerate(operands))
        return _work(f"({terms}) ÷ {len(operands)}", value, result_unit, places=2)
    if operation is Operation.DIFFERENCE:
        big, small = (0, 1) if numbers[0] >= numbers[1] else (1, 0)
        value = evaluate(f"{numbers[big]} - {numbers[small]}")
        # 35% − 21% is 14 percentage points, not 14 % of anything
        result_unit = "%p" if result_unit == "%" else result_unit
        return _work(f"{_shown(operands[big], big)} − {_shown(operands[small], small)}",
                     value, result_unit)  # fmt: skip
    if operation is Operation.SHARE:
        if len(operands) != 2 or numbers[1] == 0:
            raise CalculationError("a share needs its part and a whole that is not zero")
        value = evaluate(f"{numbers[0]} / {numbers[1]} * 100")
        return _work(f"{_shown(operands[0], 0)} ÷ {_shown(operands[1], 1)} × 100", value, "%",
                     places=1)  # fmt: skip
    if operation is Operation.RATIO:
        value = evaluate(f"{numbers[0]} / {numbers[1]}")
        return _work(f"{_shown(operands[0], 0)} ÷ {_shown(operands[1], 1)}", value, "배",
                     places=2)  # fmt: skip
    value = evaluate(" + ".join(str(n) for n in numbers))
    line = " + ".join(_shown(o, i) for i, o in enumerate(operands))
    return _work(line, value, result_unit)


def per_one(operands: Sequence[Operand], per: str, unit: str = "") -> Work:
    """An average per one thing: the other value divided by the one labelled ``per``
    ("질문 9,309 ÷ 문서 4,725 = 1.97개" for "문서 한 개당 평균 몇 개의 질문").

    Raises:
        CalculationError: not two operands, or not exactly one of them labelled ``per``.
    """
    key = "".join(per.split())
    labelled = [i for i, o in enumerate(operands) if key in "".join(o.label.split())]
    if len(operands) != 2 or len(labelled) != 1:
        raise CalculationError(f"an average per {per} needs {per} and one other value")
    whole = 1 - labelled[0]
    numbers = [_number(o) for o in operands]
    if numbers[labelled[0]] == 0:
        raise CalculationError(f"{per} is zero")
    value = evaluate(f"{numbers[whole]} / {numbers[labelled[0]]}")
    line = f"{_shown(operands[whole], whole)} ÷ {_shown(operands[labelled[0]], labelled[0])}"
    return _work(line, value, unit, places=2)


def extreme_share(operation: Operation, operands: Sequence[Operand]) -> Work:
    """The largest (or smallest) operand's share of their total, in percent: "6,323 ÷ (844 +
    4,467 + 6,323 + 1,504) × 100 = 48.1%" for "가장 큰 값은 네 값 합계의 몇 %".

    Raises:
        CalculationError: fewer than two operands, mixed units, or a total of zero.
    """
    if len(operands) < 2:
        raise CalculationError("a share of a total needs at least two values")
    _common_unit(operands)
    numbers = [_number(o) for o in operands]
    pick = (max if operation is Operation.MAX else min)(
        range(len(numbers)), key=numbers.__getitem__
    )
    total = evaluate(" + ".join(str(n) for n in numbers))
    if total == 0:
        raise CalculationError("the values add up to zero")
    value = evaluate(f"{numbers[pick]} / {total} * 100")
    terms = " + ".join(_shown(o, i) for i, o in enumerate(operands))
    return _work(f"{_shown(operands[pick], pick)} ÷ ({terms}) × 100", value, "%", places=1)


def _number(operand: Operand) -> Decimal:
    if operand.number is None:
        raise CalculationError(f"{operand.label} ({operand.text}) is not a number")
    return operand.number


def _common_unit(operands: Sequence[Operand]) -> str:
    units = {o.unit for o in operands if o.unit}
    if len(units) > 1:
        raise CalculationError(f"the values are in different units: {', '.join(sorted(units))}")
    return units.pop() if units else ""


def _shown(operand: Operand, index: int) -> str:
    label = f"{operand.label} " if operand.label else ""
    return f"{label}{operand.text} {{{index}}}"


def _work(line: str, value: Decimal, unit: str, places: int | None = None) -> Work:
    if places is not None and value != value.to_integral_value():
        result = format_number(value, places=places)
    else:
        result = format_number(value)
    shown = f"{result}{unit}"
    return Work(f"{line} = {shown}", shown, value=value, unit=unit)


def at_places(work: Work, places: int) -> Work:
    """The work with its result written to ``places`` decimals, zeros kept, as a question
    asking "소수점 첫째 자리까지" wants it: 9,309 ÷ 102,960 × 100 = 9.0%, not 9%. The work
    unchanged when it keeps no exact result (a time, a picked label)."""
    if work.value is None or not work.line.endswith(work.result):
        return work
    rounded = work.value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    shown = f"{rounded:,f}{work.unit}"
    return Work(work.line[: -len(work.result)] + shown, shown, work.picked, work.value, work.unit)


#: the years a bare number may be read as ("개발시작연도 2017")
_YEARS = (1900, 2100)


def is_year(number: Decimal | None) -> bool:
    """Whether a bare number can be a year (a whole number from 1900 to 2100)."""
    return (
        number is not None
        and number == number.to_integral_value()
        and _YEARS[0] <= number <= _YEARS[1]
    )


def _elapsed(operands: Sequence[Operand], unit: str = "") -> Work:
    if len(operands) == 2 and all(not o.when and is_year(o.number) for o in operands):
        # two years ("착공연도 2017", "완료연도 2019"): the years between them, not days
        (i, early), (j, late) = sorted(enumerate(operands), key=lambda p: _number(p[1]))
        years = evaluate(f"{_number(late)} - {_number(early)}")
        return _work(f"{_shown(late, j)} − {_shown(early, i)}", years, "년")
    if len(operands) != 2 or not all(o.when for o in operands):
        raise CalculationError("the time between needs two times or two dates")
    first, second = sorted(enumerate(operands), key=lambda p: _moment(p[1]))
    (i, early), (j, late) = first, second
    if isinstance(early.when, date) and isinstance(late.when, date):
        days = (late.when - early.when).days
        value = evaluate(f"{days}")
        shown = f"{format_number(value)}일"
        if unit == "개월":  # "몇 개월이 지났나요": 2019.3.19 → 2019.7.19 is 4개월 (122일)
            shown = f"{_months_between(early.when, late.when)} ({shown})"
    else:
        minutes = int((_moment(late) - _moment(early)).total_seconds() // 60)
        hours, rest = divmod(minutes, 60)
        shown = f"{minutes}분" if minutes < 60 or rest else f"{hours}시간"
        if minutes >= 60 and rest:
            shown = f"{minutes}분 ({hours}시간 {rest}분)"
    return Work(f"{_shown(late, j)} − {_shown(early, i)} = {shown}", shown)


def _months_between(early: date, late: date) -> str:
    """Whole months from ``early`` to ``late`` and the days left over: "4개월", "2개월 3일"."""
    months = (late.year - early.year) * 12 + late.month - early.month
    if late.day < early.day:
        months -= 1
    year, month = divmod(early.month - 1 + months, 12)
    day = min(early.day, calendar.monthrange(early.year + year, month + 1)[1])
    rest = (late - date(early.year + year, month + 1, day)).days
    return f"{months}개월" + (f" {rest}일" if rest else "")


def _moment(operand: Operand) -> datetime:
    when = operand.when
    if isinstance(when, datetime):
        return when
    if isinstance(when, date):
        return datetime(when.year, when.month, when.day)
    if isinstance(when, time):
        return datetime(2000, 1, 1, when.hour, when.minute)
    raise CalculationError(f"{operand.label} ({operand.text}) is not a time or a date")


def _extreme(operation: Operation, operands: Sequence[Operand]) -> Work:
    if len(operands) < 2:
        raise CalculationError("a largest or smallest value needs at least two values")
    numbers = [_number(o) for o in operands]
    function = "max" if operation is Operation.MAX else "min"
    best = evaluate(f"{function}({', '.join(str(n) for n in numbers)})")
    index = next(i for i, n in enumerate(numbers) if n == best)
    picked = operands[index]
    word = "최대" if operation is Operation.MAX else "최소"
    line = f"{picked.label}: {picked.text} {{{index}}} ({len(operands)}개 중 {word})"
    return Work(line, picked.label, picked=picked.label)
