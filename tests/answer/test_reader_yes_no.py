"""Yes/no from exclusion evidence and from acts stated in other words (issue 13, item 4).
Each test is a mechanism on made-up sentences, not a copy of a benchmark question."""

from __future__ import annotations

from test_reader import flat_idf, hit

from dalin.answer.extractive import extractive_answer
from dalin.answer.yes_no import act_tokens, excluded_clause, states_opposite

SCORING = "심사 시 각 심사위원의 점수 중 최고점수와 최저점수를 제외한 나머지 점수를 평균한다."


def test_what_is_left_out_is_not_counted_in() -> None:
    clause = excluded_clause("심사위원의 최고점수도 평균에 넣나요?", SCORING)
    assert clause is not None and "최고점수와 최저점수를 제외한" in clause


def test_an_exclusion_of_something_else_answers_nothing() -> None:
    # 점수 is named by the rest of the sentence too: it is not what is left out
    assert excluded_clause("심사위원의 점수를 평균에 넣나요?", SCORING) is None
    # not a question whether something is counted in
    assert excluded_clause("최고점수를 공개하나요?", SCORING) is None


def test_an_exclusion_answers_no_first() -> None:
    answer = extractive_answer("심사위원의 최고점수도 평균에 넣나요?", [hit(SCORING)], flat_idf)
    assert answer.text.startswith("아니요 — "), answer.text


def test_an_act_in_other_words_is_the_act_asked() -> None:
    tokens = act_tokens("제출한 서류를 돌려받을 수 있나요?", {"제출", "서류", "반환"})
    assert "돌려받" in tokens
    assert act_tokens("서류를 고칠 수 있나요?", {"서류", "반환"}) == {"서류", "반환"}


def test_the_opposite_outcome_answers_no() -> None:
    won = "한편 한빛팀은 5-2로 승리하면서 3연승을 달렸다."
    assert states_opposite("한빛팀은 그 경기에서 졌나요?", won)
    assert not states_opposite("한빛팀은 그 경기에서 이겼나요?", won)
    answer = extractive_answer("한빛팀은 그 경기에서 졌나요?", [hit(won)], flat_idf)
    assert answer.text.startswith("아니요"), answer.text


def test_a_refusal_in_other_words_answers_no() -> None:
    rule = "제출된 서류는 일체 반환하지 않으며, 심사 후 폐기한다."
    answer = extractive_answer("제출된 서류를 돌려받을 수 있나요?", [hit(rule)], flat_idf)
    assert answer.text.startswith("아니요"), answer.text
