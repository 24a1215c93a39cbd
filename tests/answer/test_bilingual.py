"""The bundled Korean–English list, for questions across languages (issue 13, item 7)."""

from __future__ import annotations

from test_plain_words import bundled_lines
from test_reader import flat_idf, hit

from dalin.answer.bilingual import bilingual_equivalents, load_bilingual
from dalin.answer.extractive import extractive_answer
from dalin.answer.plain_words import parse_entries
from dalin.text.korean import has_korean


def test_every_line_pairs_a_korean_word_with_english_words() -> None:
    lines = bundled_lines("bilingual_words.txt")
    assert len(load_bilingual()) == len(lines)
    for line in lines:
        korean, english = (side.strip() for side in line.split("="))
        assert has_korean(korean) and not has_korean(english), line
        _, words = parse_entries(line)[0]
        assert len(words) == len(english.split(",")), line  # no word read as nothing


def test_a_korean_question_word_is_held_by_its_english_word() -> None:
    pairs = bilingual_equivalents("수리 견적서를 작성한 견적 담당자는 누구인가요?")
    assert (frozenset({"견적"}), frozenset({"estim"})) in pairs


def test_an_english_question_word_is_held_by_its_korean_word() -> None:
    pairs = bilingual_equivalents("How many members does the Jeju committee have?")
    assert (frozenset({"jeju"}), frozenset({"제주"})) in pairs
    assert (frozenset({"committe"}), frozenset({"위원회"})) in pairs


def test_a_one_syllable_korean_word_never_holds_an_english_one() -> None:
    for question in ("Which table shows the weekly tax?", "What is on page 3 of the table?"):
        for _, passage_side in bilingual_equivalents(question):
            assert not has_korean("".join(passage_side)) or any(
                len(t) >= 2 for t in passage_side
            ), passage_side


REPORT = "광역 위원회 구성 현황: 제주 위원회의 총인원은 66명이며 민간 위원은 44명이다."
ESTIMATE = "Repair Order # RO-20221108\nEstimator: Ellis Turner\nOdometer 9,800\n"


def test_an_english_question_is_answered_from_a_korean_sentence() -> None:
    question = "How many members does the Jeju committee have in total?"
    plain = extractive_answer(question, [hit(REPORT)], flat_idf)
    assert plain.abstained  # no English word is written there
    answer = extractive_answer(
        question, [hit(REPORT)], flat_idf, equivalents=bilingual_equivalents(question)
    )
    assert "66" in answer.text.splitlines()[0], answer.text


def test_a_korean_question_is_answered_from_an_english_field() -> None:
    question = "수리 견적서에 적힌 주행거리는 얼마인가요?"
    answer = extractive_answer(
        question, [hit(ESTIMATE, "estimate.pdf", 1)], flat_idf,
        equivalents=bilingual_equivalents(question),
    )  # fmt: skip
    assert "9,800" in answer.text.splitlines()[0], answer.text


def test_an_english_question_whose_focus_no_korean_word_holds_is_not_answered() -> None:
    question = "What is the salary of the project manager?"
    passage = hit("프로젝트 관리 요구사항 개수: 4")
    answer = extractive_answer(
        question, [passage], flat_idf, equivalents=bilingual_equivalents(question)
    )
    assert answer.abstained, answer.text


def test_a_word_kiwi_reads_apart_in_context_is_still_found() -> None:
    # "저장소" alone is one token; "저장소의" is read as 저장 + 소
    pairs = bilingual_equivalents("office2pdf 저장소의 Star 수는 몇 개인가요?")
    assert (frozenset({"저장", "소"}), frozenset({"repositori"})) in pairs


def test_an_english_word_inside_a_name_is_no_word_to_translate() -> None:
    # "office2pdf" names a product; it is not the word office (사무실)
    pairs = bilingual_equivalents("office2pdf 저장소의 Star 수는 몇 개인가요?")
    assert not any("offic" in question_side for question_side, _ in pairs)


def test_a_sales_rep_is_a_yeongeop_damdangja() -> None:
    question = "Kraxi 송장에 적힌 현지 영업 담당자는 누구인가요?"
    text = "Kraxi Systems, Inc.\ninfo@kraxi.com\nLocal sales rep:\nLucy Irwin\n"
    answer = extractive_answer(question, [hit(text, name="invoice.pdf")], flat_idf,
                               equivalents=bilingual_equivalents(question))  # fmt: skip
    assert "Lucy Irwin" in answer.text.splitlines()[0], answer.text
