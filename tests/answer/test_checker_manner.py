"""A manner of the source's condition the sentence drops (#19): "연속하여 3일 이상" restated
as "3일 이상" widens the rule; an adverb that gives a reason ("부득이하게") may go, and of
alternatives only the one the sentence restates binds it."""

from __future__ import annotations

import pytest
from checker_support import verdict
from hypothesis import given, settings
from hypothesis import strategies as st

from dalin.answer import manner
from dalin.text.korean import kiwi

DISCIPLINE = (
    "복무 규정 · 제9조\n제9조(징계) 회사는 직원이 정당한 이유 없이 연속하여 4일 이상 또는 한 달에"
    " 6일 이상 지각한 경우 징계할 수 있다."
)
REPAIR = (
    "보증 안내 · ¶2\n보증 기간 안에 정상적으로 사용하다가 고장 난 경우 무상으로 수리해 드립니다."
)
CAR = (
    "여비 규정 · 제4조\n부득이하게 개인 차량을 이용하는 경우에는 주행거리 1 km당 300원을 지급한다."
)


@pytest.mark.parametrize(
    ("passage", "faithful", "unfaithful"),
    [
        (
            DISCIPLINE,
            "정당한 이유 없이 연속해서 4일 이상 지각하면 징계를 받을 수 있습니다.",
            "정당한 이유 없이 4일 이상 지각하면 징계를 받을 수 있습니다.",
        ),
        (
            REPAIR,
            "보증 기간 안에 정상적으로 쓰다가 고장 나면 무상으로 수리해 드립니다.",
            "보증 기간 안에 고장 나면 무상으로 수리해 드립니다.",
        ),
    ],
)
def test_a_dropped_manner_of_the_condition_is_a_dropped_condition(
    passage: str, faithful: str, unfaithful: str
) -> None:
    assert verdict(faithful, passage) == (True, "")
    assert verdict(unfaithful, passage) == (False, "condition")


def test_the_manner_binds_only_the_alternative_it_belongs_to() -> None:
    # "한 달에 6일 이상" is the other alternative: "연속하여" is not its
    assert verdict("한 달에 6일 이상 지각하면 징계 사유가 됩니다.", DISCIPLINE)[0]


def test_an_adverb_giving_a_reason_may_be_left_out() -> None:
    assert verdict("개인 차량을 쓰면 1 km당 300원을 받습니다.", CAR)[0]


def test_manners_are_adverbs_made_of_a_noun() -> None:
    def stems(text: str) -> list[str]:
        return manner._manners(kiwi().tokenize(text))

    assert stems("연속하여 3일 이상") == ["연속"]
    assert stems("정상적으로 사용하다가") == ["정상"]
    assert stems("부득이하게 이용하는") == []  # 부득이 is an adverb already


STEMS = ("연속", "계속", "정상")


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(STEMS), st.integers(2, 9))
def test_any_manner_dropped_from_a_restated_condition_is_flagged(stem: str, days: int) -> None:
    how = f"{stem}적으로" if stem == "정상" else f"{stem}하여"
    passage = f"근무 규정 · 제3조\n직원이 {how} {days}일 이상 결근한 경우 경고한다."
    assert verdict(f"{how} {days}일 이상 결근하면 경고를 받습니다.", passage)[0]
    assert verdict(f"{days}일 이상 결근하면 경고를 받습니다.", passage) == (False, "condition")
