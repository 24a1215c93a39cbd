"""Question reading fixed for issue 13 after heldout6 was measured: a limit before the value
asked (최대 몇 개사, 최소 지분율은 얼마) is a value the documents state, not the largest or
smallest of several to pick, and 뭔가요 asks what. Every test here failed before its
change but the one that keeps "가장 적은", "최대인" and "최고" operations, as they were."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_reader import flat_idf, hit

import dalin
from dalin.answer.asked import asked_attribute
from dalin.answer.extractive import extractive_answer
from dalin.answer.intent import Asked, Operation, is_yes_no, read_intent
from shared_samples import sample_workspace

#: the 온나라 웹기안기 RFP (odl_제안요청서_온나라웹기안기_230524.pdf p.40), verbatim
JOINT = (
    "- 본 사업은 단독 또는 공동수급(공동이행방식)이 가능한 사업이며, 공동수급의 경우, 수급체 "
    "구성원은 5개사 이하로 제한되고, 각 수급체는 최소지분율 10%이상을 소유하여야 함."
)


def test_a_limit_before_the_number_asked_is_no_operation() -> None:
    assert read_intent("구성원은 최대 몇 개사이고, 최소 지분율은 얼마인가요?").operation is None
    assert read_intent("기록은 최소 몇 년 보관해야 하나요?").operation is None
    assert read_intent("과장 출장비는 최대 얼마예요?").operation is None


def test_the_largest_or_smallest_of_several_is_still_picked() -> None:
    assert read_intent("총인원이 최대인 곳은 어디인가요?").operation is Operation.MAX
    assert read_intent("총인원이 가장 적은 곳은 어디인가요?").operation is Operation.MIN
    assert read_intent("최고 기온은 몇 도인가요?").operation is Operation.MAX
    assert read_intent("의존성 최소화 점수는?").operation is None  # 최소화: a name


def test_years_kept_are_a_duration_and_a_year_founded_a_date() -> None:
    assert read_intent("기록은 최소 몇 년 보관해야 하나요?").asked is Asked.DURATION
    assert read_intent("몇 년 이상 근무해야 하나요?").asked is Asked.DURATION
    assert read_intent("회사는 몇 년에 설립되었나요?").asked is Asked.DATE


def test_a_limit_names_no_attribute_the_passage_must_hold() -> None:
    assert asked_attribute("공동수급으로 들어가려면 구성원은 최대 몇 개사?") == ""
    assert asked_attribute("구성원은 최대 몇 개사?") == ""


def test_two_limits_asked_at_once_are_each_answered() -> None:
    question = (
        "웹기안기 사업에 공동수급으로 들어가려면 구성원은 최대 몇 개사이고, "
        "각 회사의 최소 지분율은 얼마인가요?"
    )
    answer = extractive_answer(question, [hit(JOINT, "제안요청서.pdf")], flat_idf)
    assert answer.text.splitlines()[:2] == ["5개사 [1]", "10% [1]"], answer.text


def test_a_contracted_what_is_no_yes_no_question() -> None:
    question = "대중교통환승센터 표준에서 시군구코드 항목의 예시 값은 뭔가요?"
    assert not is_yes_no(question)
    assert read_intent(question).asked is Asked.DEFINITION
    assert is_yes_no("시도명 칸에 '제주도'라고 써도 되나요?")


@pytest.fixture(scope="module")
def standard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    name = "hwpxlib_20230818_공공데이터_제공표준.hwpx"
    with sample_workspace(tmp_path_factory.mktemp("h6"), name) as workspace:
        yield workspace


def test_the_example_cell_answers_a_contracted_what(standard: dalin.Workspace) -> None:
    answer = standard.ask(
        "대중교통환승센터 표준에서 시군구코드 항목의 예시 값은 뭔가요?", llm="extractive"
    )
    assert answer.text.splitlines()[0] == "시군구코드 예시: 11680 [1]", answer.text
