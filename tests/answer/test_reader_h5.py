"""Abstention rules added for issue 13 after heldout5 was written, each from a failure on
dev … heldout4 (never heldout5) and each failing before its rule: an answer whose passage
never mentions the attribute the question asks for is only about the question's topic."""

from __future__ import annotations

from test_reader import flat_idf, hit, table_source

from dalin.answer.acts import asked_act, rules_other_act
from dalin.answer.asked import asked_attribute, counts_other_thing, holds_attribute
from dalin.answer.extractive import extractive_answer

USAGE = ("구분", "메모보고", "문서작성", "합계")
USAGE_ROWS = [("웹기안기 사용건수(2022년 기준)", "3,088,124", "14,649,103", "17,737,227")]


def test_an_amount_of_another_attribute_is_no_answer() -> None:
    # the bid bond is asked; the table only counts the drafter's use
    passage, sources = table_source(USAGE, USAGE_ROWS, caption="온나라 웹기안기 사용 현황")
    answer = extractive_answer(
        "온나라 웹기안기 입찰 보증금은 얼마인가요?", [passage], flat_idf, sources=sources
    )
    assert answer.abstained, answer.text


def test_the_attribute_asked_in_the_table_is_still_answered() -> None:
    passage, sources = table_source(USAGE, USAGE_ROWS, caption="온나라 웹기안기 사용 현황")
    answer = extractive_answer(
        "2022년 웹기안기 메모보고 사용건수는 몇 건인가요?", [passage], flat_idf, sources=sources
    )
    assert "3,088,124" in answer.text.splitlines()[0], answer.text


PRESS = (
    "장미란 제2차관은 1월 2일(화), 2024년 새해를 맞이해 진천 국가대표 선수촌을 방문해 "
    "‘2024 파리 하계올림픽’을 준비하고 있는 우리 선수단을 격려한다."
)


def test_a_date_in_a_sentence_on_the_topic_does_not_answer_another_event() -> None:
    answer = extractive_answer("2024 파리 올림픽 개막일은 언제인가요?", [hit(PRESS)], flat_idf)
    assert answer.abstained, answer.text


def test_the_attribute_is_the_head_before_the_question_word() -> None:
    assert asked_attribute("온나라 웹기안기 입찰 보증금은 얼마인가요?") == "보증금"
    assert asked_attribute("EXAONE-LM-v1.0의 파라미터 수는?") == "파라미터"  # 수: a count
    assert asked_attribute("KBO 9월 토요일 경기의 개시 시각은?") == "개시"  # 시각: a time
    # how often: "분기마다 신고한다" answers it without the word 주기
    assert asked_attribute("VAT 신고 주기는?") == "신고"
    # the object asked for, not the adverbial before the question word
    assert asked_attribute("대리 직급은 출장 가면 일비를 하루에 얼마 받아요?") == "일비"


def test_words_that_only_say_the_kind_of_value_or_a_place_in_a_text_ask_nothing() -> None:
    assert asked_attribute("김하성의 이날 경기 타격 성적은?") == ""  # said in its own words
    assert asked_attribute("임시조치는 KBO 규정 몇 조에서 다루나요?") == ""
    assert asked_attribute("What is the salary of the manager?") == ""


def test_an_attribute_written_inside_a_compound_or_spaced_label_is_held() -> None:
    assert holds_attribute("개시", ["제21조 주·야간경기 및 경기개시 시간"])
    assert holds_attribute("문의", ["자. 문 의 처 : 문화기획팀(041-730-2925)"])
    assert not holds_attribute("보증금", ["웹기안기 사용건수 합계: 17,737,227건"])


MINUTES = "제414회 국회(임시회)\n환경노동위원회회의록 제 1 호\n장 소 환경노동위원회회의실"


def test_a_count_of_another_thing_does_not_answer_how_many_floors() -> None:
    answer = extractive_answer(
        "제414회 환경노동위원회 회의실은 몇 층에 있나요?", [hit(MINUTES, "회의록.pdf")], flat_idf
    )
    assert answer.abstained, answer.text


def test_counters_of_one_kind_answer_each_other() -> None:
    assert counts_other_thing("회의실은 몇 층에 있나요?", "회의록 제 1 호")
    assert not counts_other_thing("요구사항은 몇 개인가요?", "요구사항 합계: 33건")
    assert not counts_other_thing("몇 분 동안 열렸나요?", "10시 05분 ~ 10시 36분")
    assert not counts_other_thing("몇 명인가요?", "울산 총인원: 27")  # a bare number
    assert not counts_other_thing("정년이 몇 살이에요?", "정년은 만 60세로 한다")


def test_a_date_in_the_line_counts_nothing() -> None:
    assert not counts_other_thing("몇 건인가요?", "사용건수(2022년 기준) 메모보고: 3,088,124")


def test_a_ruling_on_another_act_does_not_answer_yes_or_no() -> None:
    # "실행할 수 있도록" says one can run a model on the Test set, not download it
    sentence = "대신 모델을 제출하여 Test set에서 실행할 수 있도록 해야 합니다."
    answer = extractive_answer(
        "KorQuAD 1.0 Test set을 내려받을 수 있나요?", [hit(sentence, "korquad.html")], flat_idf
    )
    assert answer.abstained, answer.text


def test_acts_are_read_through_light_verbs_and_restored_stems() -> None:
    assert asked_act("KorQuAD 1.0 Test set을 내려받을 수 있나요?") == "내려받"
    assert asked_act("장미란 차관은 선수들과 식사를 하나요?") == "식사"
    assert asked_act("다른 보조기억매체를 써도 되나요?") == ""  # 쓰: too short to compare
    assert rules_other_act("Test set을 내려받을 수 있나요?", "Test set에서 실행할 수 있도록")
    assert not rules_other_act("이닝에 들어갈 수 있나요?", "이닝에\n들어갈 수 없다.")  # one stem
    # no ruling on any act: a sentence in other words may still answer ("변경 가능함")
    assert not rules_other_act("시간을 19:00로 바꿀 수 있나요?", "19:00로 변경 가능함")
