"""The model-free answer on hand-made hits: coverage, abstention, labels, citations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from dalin.answer.extractive import Question, coverage, extractive_answer, refine_label
from dalin.types import Hit

TEXT = (
    "제12조(연차휴가) ① 회사는 1년간 80퍼센트 이상 출근한 직원에게 15일의 유급휴가를 준다.\n"
    "② 3년 이상 근속한 직원에게는 1일을 가산한다."
)


def hit(
    text: str = TEXT, label: str = "취업규칙.docx · 제12조(연차휴가)", chunk_id: int = 1
) -> Hit:
    return Hit(chunk_id, 1, "/d/취업규칙.docx", "취업규칙.docx", label, 5.0, text, 100,
               100 + len(text), None, "제3장 휴가 > 제12조(연차휴가)")  # fmt: skip


def flat_idf(tokens: Sequence[str]) -> Mapping[str, float]:
    return dict.fromkeys(tokens, 1.0)


def test_answer_leads_with_the_fact_then_quotes_the_sentence_of_its_paragraph() -> None:
    answer = extractive_answer("연차휴가는 며칠인가요?", [hit()], flat_idf)
    assert not answer.abstained
    lead, evidence = answer.text.splitlines()[:2]
    assert lead == "15일 [1]"
    assert evidence.startswith("① 회사는 1년간") and evidence.endswith("[1]")
    first = answer.citations[0]
    assert first.label == "취업규칙.docx · 제12조(연차휴가) ①"
    assert TEXT[first.start - 100 : first.end - 100] == first.quote


def test_abstains_when_the_topic_is_not_covered() -> None:
    answer = extractive_answer("우주선 발사 일정은?", [hit()], flat_idf)
    assert (
        answer.abstained
        and answer.text == "문서에서 답을 찾지 못했습니다."
        and not answer.citations
    )
    english = extractive_answer("When is the rocket launch?", [hit()], flat_idf)
    assert english.text == "Not found in your documents." and english.language == "en"


def test_abstains_with_no_hits() -> None:
    assert extractive_answer("연차휴가는 며칠인가요?", [], flat_idf).abstained


def test_question_words_units_and_times_of_day_do_not_count_as_topic() -> None:
    q = Question.parse("정년이 몇 살이에요?")
    assert q.topic == ("정년",)
    assert coverage(q.topic, {"정년": 2.0}, {"정년", "60"}) == 1.0
    assert Question.parse("회사는 아침 몇 시에 출근해야 돼요?").topic == ("회사", "출근")


def test_faq_questions_are_context_not_answers() -> None:
    faq = "Q. 영업시간이 어떻게 되나요?\nA. 평일 09:00부터 18:00까지 전화를 받습니다."
    answer = extractive_answer("영업시간은 몇 시까지예요?", [hit(faq, "faq.txt · ¶1")], flat_idf)
    assert answer.text.splitlines() == [
        "18:00 [1]",
        "A. 평일 09:00부터 18:00까지 전화를 받습니다. [1]",
    ]


def test_refine_label_picks_the_paragraph_holding_the_offset() -> None:
    offset = TEXT.index("② 3년")
    assert (
        refine_label("a.docx · 제12조(연차휴가) ①–②", TEXT, offset) == "a.docx · 제12조(연차휴가) ②"
    )
    assert refine_label("a.pdf · p.3", TEXT, offset) == "a.pdf · p.3"


def test_a_number_the_question_itself_holds_does_not_answer_it() -> None:
    text = "HB-200 wrench body. The warranty period is 1 year from the date of purchase."
    answer = extractive_answer("How long is the HB-200 warranty?", [hit(text)], flat_idf)
    assert answer.text.splitlines()[0] == "1 year [1]"  # 200 is the model, not a length


def test_a_passage_that_only_names_the_product_adds_no_sentence() -> None:
    box = "HB-200 wrench body\nUser manual with warranty card"
    warranty = "The warranty period is 1 year from the date of purchase."
    hits = [
        replace(hit(box, "guide.md · 1. In the box", 1), section="HB-200 Guide > 1. In the box"),
        replace(hit(warranty, "guide.md · 8. Warranty", 2), section="HB-200 Guide > 8. Warranty"),
    ]
    # the model name is in every document of the collection, "warranty" is rare
    idf = {"hb": 1.0, "200": 0.5, "hb200": 1.0, "warranti": 2.0}
    answer = extractive_answer("How long is the HB-200 warranty?", hits, lambda _: idf)
    assert answer.text == f"1 year [1]\n{warranty} [1]"
    assert [c.label for c in answer.citations] == ["guide.md · 8. Warranty"]
