"""Follow-up questions become standalone search queries, by model or by rule."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from dalin.answer.followup import needs_context, rule_rewrite, standalone_query
from dalin.errors import LLMUnreachable
from dalin.llm.base import Event, Message
from dalin.testing.fake_llm import says

HISTORY = [("연차휴가는 며칠인가요?", "연차휴가는 15일입니다. [1]")]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("그럼 3년 근무하면요?", True),
        ("그건 언제까지 써야 하나요?", True),
        ("What about part-time staff?", True),
        ("출장비 일비는 얼마인가요?", False),
        ("How much is the HB-200 battery?", False),
    ],
)
def test_needs_context(question: str, expected: bool) -> None:
    assert needs_context(question) is expected


def test_rule_carries_the_topic_over() -> None:
    rewritten = rule_rewrite("그럼 3년 근무하면요?", ["연차휴가는 며칠인가요?"])
    assert rewritten.startswith("연차") and rewritten.endswith("그럼 3년 근무하면요?")


def test_rule_leaves_a_complete_question_alone() -> None:
    assert rule_rewrite("출장비 일비는 얼마인가요?", ["연차휴가는 며칠인가요?"]) == (
        "출장비 일비는 얼마인가요?"
    )


def test_rule_does_not_repeat_words_already_asked() -> None:
    rewritten = rule_rewrite("그럼 연차휴가 이월은요?", ["연차휴가는 며칠인가요?"])
    assert rewritten.count("연차") == 1


def test_without_history_the_question_is_the_query() -> None:
    assert standalone_query("그럼 3년이면요?", []) == "그럼 3년이면요?"


def test_the_model_rewrite_is_used_and_sees_the_conversation() -> None:
    llm = says("3년 근무한 직원의 연차휴가는 며칠인가요?")
    assert standalone_query("그럼 3년 근무하면요?", HISTORY, llm) == (
        "3년 근무한 직원의 연차휴가는 며칠인가요?"
    )
    (messages,) = llm.calls
    assert "연차휴가는 며칠인가요?" in messages[-1].content
    assert messages[-1].content.endswith("Q: 그럼 3년 근무하면요?")


@pytest.mark.parametrize("output", ["", "   \n", "x" * 400])
def test_an_unusable_model_rewrite_falls_back_to_the_rule(output: str) -> None:
    rewritten = standalone_query("그럼 3년 근무하면요?", HISTORY, says(output))
    assert rewritten.startswith("연차") and rewritten.endswith("그럼 3년 근무하면요?")


def test_a_failing_model_falls_back_to_the_rule() -> None:
    class Down:
        name = "openai:down"
        context_window = 8192

        def stream(
            self, messages: Sequence[Message], *, max_tokens: int = 1024, temperature: float = 0.2
        ) -> Iterator[Event]:
            raise LLMUnreachable("cannot reach http://127.0.0.1:9/v1")

        def count_tokens(self, text: str) -> int:
            return len(text)

    assert standalone_query("그럼 3년 근무하면요?", HISTORY, Down()).startswith("연차")


def test_model_output_quotes_and_prefix_are_stripped() -> None:
    llm = says('Q: "What is the HB-200 battery life?"\nextra line')
    history = [("How long does the HB-200 battery last?", "About 8 hours. [1]")]
    assert standalone_query("And its charging time?", history, llm) == (
        "What is the HB-200 battery life?"
    )
