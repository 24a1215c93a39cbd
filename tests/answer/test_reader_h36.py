"""Reading fixed for issue 13 from heldout36's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from dalin.answer.intent import Operation, read_intent


def test_ratio_inside_a_word_asks_no_ratio() -> None:
    question = "ir 계층과 integration-tests 계층의 파일 수를 합치면 몇 개인가요?"
    assert read_intent(question).operation is Operation.SUM
    asked = "integration-tests 계층의 파일 수는 ir 계층의 몇 배인가요?"
    assert read_intent(asked).operation is Operation.RATIO
