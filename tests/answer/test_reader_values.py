"""Typed values in text, and what a question asks for."""

from __future__ import annotations

import itertools
from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dalin.answer.intent import Asked, Operation, is_yes_no, read_intent
from dalin.answer.values import base_amount, find_values, parse_date, parse_time


def kinds(text: str) -> list[tuple[str, str]]:
    return [(v.kind.value, v.text) for v in find_values(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("m 사업금액 : 1,062,888천원(국비 / VAT포함)", [("money", "1,062,888천원")]),
        (
            "모집기간 : 2024. 7. 24.(수)~8. 2.(금)",
            [("date", "2024. 7. 24.(수)"), ("date", "8. 2.(금)")],
        ),
        ("(10시14분 개의)", [("time", "10시14분")]),
        ("전화 226-3570, 팩스 226-5257", [("phone", "226-3570"), ("phone", "226-5257")]),
        ("심사위원 후보 21명 (평가위원수의 3배수)", [("count", "21명")]),
        ("총 사업비의 0.5% 이하", [("percent", "0.5%")]),
        ("9회까지 경기속행이", [("count", "9회")]),
        ("1년간으로 함", [("duration", "1년간")]),
        ("12개월마다 교정", [("duration", "12개월")]),
        ("갱신주기: 연간", [("duration", "연간")]),
        ("부가가치세는 분기마다 신고하고", [("duration", "분기마다")]),
        ("해마다 한 번 점검", [("duration", "해마다")]),
        ("분기말 보고", []),  # a word that starts with 분기 is not how often
        ("이 조례는 공포한 날부터 시행한다.", [("date", "공포한 날")]),
        ("SER-001 and v0.6.4", []),  # codes and versions are not numbers
        ("문의 leh4321@klid.or.kr", [("email", "leh4321@klid.or.kr")]),
        ("INVOICE January 8, 2020", [("date", "January 8, 2020")]),
        ("평균 90,259음절로 매우 길다", [("count", "90,259음절")]),
        ("3,4,5", [("number", "3"), ("number", "4"), ("number", "5")]),  # a list, not 3,4
    ],
)
def test_values_are_found_by_their_most_specific_kind(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert kinds(text) == expected


def test_values_carry_numbers_units_and_moments() -> None:
    (money,) = find_values("1,062,888천원")
    assert money.number == Decimal("1062888") and money.unit == "천원"
    assert base_amount(money) == Decimal("1062888000")
    assert parse_date("2021년 2월 25일") == date(2021, 2, 25)
    assert parse_date("8. 2.(금)", year=2024) == date(2024, 8, 2)
    assert parse_time("오후 2시") == time(14, 0) and parse_time("10시45분") == time(10, 45)
    assert parse_time("25:00") is None


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["원", "명", "건", "%"]))
def test_a_grouped_number_reads_back_as_its_value(n: int, unit: str) -> None:
    (value,) = find_values(f"합계 {n:,}{unit} 입니다")
    assert value.number == n and value.text == f"{n:,}{unit}"


@given(st.integers(min_value=1000, max_value=10**9), st.sampled_from(["뭉치", "kb", "x"]))
def test_the_head_of_a_grouped_number_is_never_a_value(n: int, word: str) -> None:
    # "90,259음절" is not 90, whatever word the number counts
    assert all(v.number == n for v in find_values(f"모두 {n:,}{word} 있다"))


@given(st.text(max_size=60))
def test_found_values_are_where_they_say_and_never_overlap(text: str) -> None:
    found = find_values(text)
    for value in found:
        assert text[value.start : value.end] == value.text
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


@pytest.mark.parametrize(
    ("question", "asked", "operation"),
    [
        ("2024 KBO 규정에서 7월 토요일 경기는 몇 시에 시작하나요?", Asked.TIME, None),
        ("울산의 총인원은 몇 명인가요?", Asked.COUNT, None),
        ("세무2과 전화번호는?", Asked.PHONE, None),
        ("입장료는 얼마인가요?", Asked.MONEY, None),
        ("목재 선박의 길이 한계는 얼마인가?", Asked.NUMBER, None),
        ("교정은 얼마나 자주 받아야 돼요?", Asked.DURATION, None),
        ("서울과 부산의 총인원을 합하면 몇 명인가요?", Asked.COUNT, Operation.SUM),
        ("문서작성 건수는 메모보고 건수보다 몇 건 많나요?", Asked.COUNT, Operation.DIFFERENCE),
        ("총인원이 가장 적은 곳은 어디인가요?", Asked.COUNT, Operation.MIN),
        ("회의는 몇 분 동안 열렸나요?", Asked.DURATION, Operation.ELAPSED),
        ("3배수로 모집한다면 평가위원은 몇 명인가요?", Asked.COUNT, Operation.DIVIDE),
        ("대기업도 입찰에 참여할 수 있나요?", Asked.YES_NO, None),
        ("How do I zero the wrench?", Asked.PROCEDURE, None),
        ("연차휴가 신청은 어떻게 하나요?", Asked.PROCEDURE, None),
        ("반품 절차가 어떻게 되나요?", Asked.PROCEDURE, None),
        # "어떻게 되나요" asks what a thing is, not how to do it
        ("HB-200 측정 범위가 어떻게 되나요?", Asked.ANY, None),
        ("What is the salary of the project manager?", Asked.MONEY, None),
        # 누가 asks who, as 누구 does; it is no yes/no question
        ("두 법안은 각각 누가 대표발의했나요?", Asked.PERSON, None),
        # how long something took is a duration, not any number
        ("경기 시간이 얼마나 걸렸나요?", Asked.DURATION, None),
        ("배송은 얼마나 걸리나요?", Asked.DURATION, None),
        ("Delta 값은 얼마인가요?", Asked.NUMBER, None),  # a value, not a price
    ],
)
def test_what_a_question_asks(question: str, asked: Asked, operation: Operation | None) -> None:
    intent = read_intent(question)
    assert (intent.asked, intent.operation) == (asked, operation)


def test_the_multiple_and_the_counter_a_question_names() -> None:
    assert read_intent("3배수로 모집한다면 평가위원은 몇 명인가요?").factor == 3
    assert read_intent("통상 길이 몇m가 한계인가?").counter == "m"
    assert read_intent("헌법 제 몇 조의 내용인가?").counter == "조"


def test_a_question_word_makes_it_no_yes_no_question() -> None:
    assert is_yes_no("공유 폴더를 사용해도 되나요?")
    assert is_yes_no("Can I return a wet kite?")
    assert not is_yes_no("회의는 몇 분 동안 열렸나요?")
    # a leading phrase before the auxiliary: still a yes/no question; a question word: not
    assert is_yes_no("In the sample news, did the president say the peak had passed?")
    assert not is_yes_no("According to the invoice, what is the total?")
