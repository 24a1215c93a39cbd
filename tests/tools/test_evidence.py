"""Numbers a tool computed from cited cells count as supported; nothing else does."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dalin.answer.grounding import check_answer
from dalin.answer.support import ComputedValue
from dalin.tools.evidence import computed_values, tool_number, usable
from dalin.types import ToolNumber, ToolUse

POS = "[1] 장비 현황 · 표 2\n구분: POS | 수량: 17대"
KIOSK = "[2] 장비 현황 · 표 2\n구분: 무인 발권기 | 수량: 6대"
OTHER = "[3] 휴가 규정\n연차휴가는 15일이다."
SOURCES = {1: POS, 2: KIOSK, 3: OTHER}
# the total with no operands shown: only a tool's sum can support it
ANSWER = "장비는 모두 23대입니다 [1][2]."


def use(*numbers: ToolNumber, error: str = "") -> ToolUse:
    return ToolUse("calculator", "{}", "17 + 6 = 23", 0.0, error=error, numbers=numbers)


SUM = use(tool_number(Decimal(23), [Decimal(17), Decimal(6)]))


def test_without_the_tool_the_computed_number_is_unsupported() -> None:
    (sentence,) = check_answer("장비는 23대입니다 [1][2].", SOURCES).sentences
    assert not sentence.supported


def test_a_number_computed_from_the_cited_cells_is_supported() -> None:
    checked = check_answer("장비는 23대입니다 [1][2].", SOURCES, computed=computed_values([SUM]))
    (sentence,) = checked.sentences
    assert sentence.supported and sentence.citations == (1, 2)


def test_citing_a_passage_without_the_operands_does_not_help() -> None:
    text = "POS와 발권기는 23대입니다 [3]."
    (sentence,) = check_answer(text, SOURCES, computed=computed_values([SUM])).sentences
    assert not sentence.supported


def test_an_uncited_sentence_gets_nothing_from_tools() -> None:
    (sentence,) = check_answer(
        "장비는 23대입니다.", SOURCES, computed=computed_values([SUM])
    ).sentences
    assert not sentence.supported
    assert usable(computed_values([SUM]), []) == ()


def test_a_failed_call_and_a_number_without_operands_are_no_evidence() -> None:
    assert computed_values([use(tool_number(Decimal(23), [Decimal(17)]), error="refused")]) == []
    assert computed_values([use(ToolNumber("23"))]) == []
    bare = [ComputedValue(Decimal(23))]
    assert usable(bare, [POS, KIOSK]) == ()
    (sentence,) = check_answer("장비는 23대입니다 [1][2].", SOURCES, computed=bare).sentences
    assert not sentence.supported


def test_a_calculation_over_another_tool_number_is_accepted_through_it() -> None:
    # table_query summed 17 and 6 to 23; the calculator then tripled 23
    chained = computed_values([SUM, use(tool_number(Decimal(69), [Decimal(23)]))])
    assert {v.value for v in usable(chained, [POS, KIOSK])} == {Decimal(23), Decimal(69)}
    assert usable(chained, [POS]) == ()  # 6 is not cited: neither follows


def test_the_value_keeps_what_computed_it() -> None:
    (value,) = computed_values([SUM])
    assert value.operands == (Decimal(17), Decimal(6))
    assert value.expression == "calculator: 17 + 6 = 23"


@given(
    st.integers(min_value=11, max_value=10**9),
    st.integers(min_value=11, max_value=10**9),
    st.booleans(),
)
def test_a_sum_is_usable_exactly_when_both_operands_are_cited(a: int, b: int, both: bool) -> None:
    values = computed_values([use(tool_number(Decimal(a + b), [Decimal(a), Decimal(b)]))])
    passages = [f"가: {a:,}원", f"나: {b:,}원"] if both else [f"가: {a:,}원"]
    assert bool(usable(values, passages)) == (both or a == b)
