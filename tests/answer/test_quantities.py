"""Numbers read so that one value written two ways meets itself, and another value does not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dalin.answer.quantities import canonical_numbers, quantities, supports, unsupported_numbers


def same(claim: str, evidence: str) -> bool:
    return not unsupported_numbers(quantities(claim), quantities(evidence, evidence=True))


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        ("오후 6시", "18:00"),
        ("밤 10시", "22:00"),
        ("9 a.m.", "09:00"),
        ("일주일", "7일"),
        ("하루 전", "1일 전"),
        ("한 대에", "1대당"),
        ("두 번", "2회"),
        ("2만 원", "20,000원"),
        ("3만 8천 원", "38,000원"),
        ("1,062,888천원", "1,062,888,000원"),
        ("절반", "2분의 1"),
        ("50%", "100분의 50"),
        ("80%", "80퍼센트"),
        ("48.5 cm", "485 mm"),
        ("1.1 kilograms", "1.1 kg"),
        ("12개월", "1년"),
        ("2 seconds", "2초"),
        ("2024년 8월 2일", "2024. 8. 2.(금)"),
        ("8월 2일", "2024. 8. 2."),
        ("135원", "단가(원): 135 | 최소주문수량: 1,000개"),  # the header holds the unit
    ],
)
def test_one_value_two_spellings(claim: str, evidence: str) -> None:
    assert same(claim, evidence), (canonical_numbers(claim), canonical_numbers(evidence))


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        ("오후 5시", "18:00"),
        ("9:30", "9시 업무, 30분 휴식"),  # 9 and 30 are both there, 9:30 is not
        ("15개월", "15일"),
        ("3초", "3. 사용 방법\n영점: 버튼을 2초간 누르십시오."),  # a heading number
        ("2023년 8월 2일", "2024. 8. 2."),
        ("3만 원", "20,000원"),
        ("30일", "7일 이내"),
    ],
)
def test_another_value(claim: str, evidence: str) -> None:
    assert not same(claim, evidence)


@given(st.integers(1, 9999), st.integers(0, 9))
def test_man_and_cheon_amounts_are_their_won_value(man: int, cheon: int) -> None:
    spelled = f"{man}만 {cheon}천 원" if cheon else f"{man}만 원"
    digits = f"{man * 10_000 + cheon * 1_000:,}원"
    assert same(spelled, digits) and same(digits, spelled)
    assert not same(spelled, f"{man * 10_000 + cheon * 1_000 + 1_000:,}원")


@given(st.integers(1, 11), st.integers(0, 59), st.sampled_from(["오전", "오후"]))
def test_korean_clock_times_meet_their_24_hour_form(hour: int, minute: int, half: str) -> None:
    spoken = f"{half} {hour}시 {minute}분" if minute else f"{half} {hour}시"
    clock = f"{hour + (12 if half == '오후' else 0):02d}:{minute:02d}"
    assert same(spoken, clock)
    assert not same(spoken, f"{(hour + 1) % 24:02d}:{minute:02d}")


def test_a_code_number_is_a_name_not_a_quantity() -> None:
    assert [q.token for q in quantities("HB-200 3대")] == ["3대"]
    assert supports(quantities("3일")[0], quantities("3일 전까지", evidence=True))
