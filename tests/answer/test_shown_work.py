"""Arithmetic with its work shown, and yes/no rulings."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dalin.answer.intent import Operation
from dalin.answer.polarity import is_exception, rule
from dalin.answer.shown_work import Operand, compute
from dalin.errors import CalculationError
from dalin.tools.calculator import format_number


def number(label: str, value: str, source: int = 0) -> Operand:
    return Operand(label, value, Decimal(value.replace(",", "")), "", None, source)


def test_a_sum_shows_each_operand_with_its_citation() -> None:
    work = compute(Operation.SUM, [number("서울 총인원", "40", 0), number("부산 총인원", "50", 1)],
                   unit="명")  # fmt: skip
    assert work.line == "서울 총인원 40 {0} + 부산 총인원 50 {1} = 90명"
    assert work.result == "90명"


def test_difference_average_ratio_and_a_multiple() -> None:
    a, b = number("문서작성", "14,649,103"), number("메모보고", "3,088,124", 1)
    assert compute(Operation.DIFFERENCE, [b, a]).result == "11,560,979"
    assert compute(Operation.AVERAGE, [number("국어", "89"), number("영어", "65")]).result == "77"
    assert compute(Operation.RATIO, [number("a", "10"), number("b", "4", 1)]).result == "2.5배"
    work = compute(Operation.DIVIDE, [Operand("", "21명", Decimal(21), "명")], factor=Decimal(3))
    assert work.line == "21명 {0} ÷ 3 = 7명"


def test_the_largest_names_its_row() -> None:
    rows = [number("서울", "40"), number("제주", "66", 1), number("대구", "15", 2)]
    work = compute(Operation.MAX, rows)
    assert work.picked == "제주" and work.line == "제주: 66 {1} (3개 중 최대)"
    assert compute(Operation.MIN, rows).picked == "대구"


def test_the_time_and_the_days_between_two_moments() -> None:
    opened = Operand("", "10시14분", when=time(10, 14))
    closed = Operand("", "10시45분", when=time(10, 45), source=1)
    assert compute(Operation.ELAPSED, [opened, closed]).line == "10시45분 {1} − 10시14분 {0} = 31분"
    notice = Operand("", "2021년 2월 5일", when=date(2021, 2, 5))
    deadline = Operand("", "2021년 2월 25일", when=date(2021, 2, 25), source=1)
    assert compute(Operation.ELAPSED, [deadline, notice]).result == "20일"
    weekday = Operand("평일", "18:30", when=time(18, 30))
    saturday = Operand("토요일", "18:00", when=time(18, 0), source=1)
    assert compute(Operation.DIFFERENCE, [weekday, saturday]).result == "30분"


def test_operands_that_do_not_allow_it_are_refused_not_guessed() -> None:
    with pytest.raises(CalculationError):
        compute(Operation.SUM, [number("혼자", "1")])
    with pytest.raises(CalculationError):
        compute(Operation.SUM, [Operand("a", "1,000원", Decimal(1000), "원"),
                                Operand("b", "3명", Decimal(3), "명")])  # fmt: skip
    with pytest.raises(CalculationError):
        compute(Operation.SUM, [Operand("a", "알 수 없음"), number("b", "2")])


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=2, max_size=6))
def test_a_sum_is_exact_and_its_work_lists_every_operand(values: list[int]) -> None:
    operands = [number(f"항목{i}", f"{v:,}", i) for i, v in enumerate(values)]
    work = compute(Operation.SUM, operands)
    assert work.result == format_number(Decimal(sum(values)))
    for i, v in enumerate(values):
        assert f"항목{i} {v:,} {{{i}}}" in work.line


@given(st.integers(min_value=0, max_value=23 * 60), st.integers(min_value=1, max_value=23 * 60))
def test_elapsed_minutes_are_the_difference_of_the_clock_times(start: int, length: int) -> None:
    end = min(start + length, 23 * 60 + 59)
    first = Operand("", "a", when=time(start // 60, start % 60))
    second = Operand("", "b", when=time(end // 60, end % 60), source=1)
    if end == start:
        return
    minutes = int((timedelta(minutes=end) - timedelta(minutes=start)).total_seconds() // 60)
    assert compute(Operation.ELAPSED, [second, first]).result.startswith(
        f"{minutes}분" if minutes % 60 or minutes < 60 else f"{minutes // 60}시간"
    )


@pytest.mark.parametrize(
    ("sentence", "yes"),
    [
        (
            "대기업 및 중견기업 사업자는 본 입찰에 참여할 수 없으며, 기업도 참여할 수 없음",
            False,
        ),
        ("제안서 보상을 실시하지 않음", False),
        ("보안 위약금은 다른 요인에 의해 상쇄, 삭감되지 않는다.", False),
        ("※ ‘독도’를 ‘다케시마’, ‘리앙쿠르트 암초’ 등으로 표시 금지", False),
        ("금요일에 한해 경기개시 시간을 19:00로 변경 가능함", True),
        ("단, 조명시설이 있는 구장에서는 점등한 후 경기를 속행한다.", True),
        ("“을”은 “갑”의 사전 승낙을 얻은 경우를 제외하고 재위탁할 수 없다.", False),
        # a noun-ending negation, as tables and notes write it
        ("야간 근무 수당은 통상임금의 일부가 아님", False),
        ("이 기준은 법정 의무 사항이 아닙니다.", False),
        # a negation that describes a noun rules on nothing; the predicate after it does
        ("기존에는 고려되지 않았던 처리 속도까지 평가에 반영한다.", True),
        ("회의에 참석하지 않은 위원에게도 자료를 보낸다.", True),
        ("신청하지 않는 경우 기본값으로 등록한다.", True),
        ("계약하지 않은 업체는 참여할 수 없다.", False),
        ("참여할 수 없는 자: 대기업", False),
    ],
)
def test_the_ruling_clause_decides_yes_or_no(sentence: str, yes: bool) -> None:
    assert rule(sentence, len).yes is yes


def test_exceptions_are_recognised() -> None:
    assert is_exception("단, 조명시설이 있는 구장에서는 점등한 후 경기를 속행한다.")
    assert is_exception("유니폼 내 착용하는 형태에 한하여 착용 가능")
    assert not is_exception("제안서 보상을 실시하지 않음")
