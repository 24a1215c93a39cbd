"""Reading fixed for issue 13 from heldout35's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from decimal import Decimal

from dalin.answer.asked import attribute_forms
from dalin.answer.intent import Operation, read_intent
from dalin.answer.operands import asked_places
from dalin.answer.shown_work import Operand, at_places, compute


def test_a_share_is_written_to_the_decimal_places_asked() -> None:
    question = (
        "전체 질문 가운데 평가 데이터 질문이 차지하는 비율은 몇 %예요? (소수점 첫째 자리까지)"
    )
    assert asked_places(question) == 1
    assert asked_places("평균 몇 개예요? (소수점 둘째 자리까지)") == 2
    assert asked_places("소수점 첫째 자리에서 반올림하면?") == 0
    assert asked_places("rounded to two decimal places?") == 2
    assert asked_places("비율은 몇 %예요?") is None
    parts = [Operand("평가", "9,309", Decimal(9309)), Operand("합계", "102,960", Decimal(102960))]
    work = compute(Operation.SHARE, parts)
    assert work.result == "9%"  # 9.04 to one place, its zero dropped
    shown = at_places(work, 1)
    assert shown.result == "9.0%" and shown.line.endswith("× 100 = 9.0%"), shown
    assert at_places(work, 2).result == "9.04%"


def test_a_gloss_before_ro_names_what_is_asked() -> None:
    question = "모듈 인벤토리 시트를 보면 render/shapes.rs 파일은 코드가 몇 줄(LOC)로 잡혀 있어요?"
    # the document names the attribute LOC, never 코드: the line "LOC: 541" is about it
    assert "LOC" in attribute_forms(question)


def test_a_counter_before_butuh_is_the_counter() -> None:
    assert read_intent("Long 답변 그룹은 몇 자부터예요?").counter == "자"
