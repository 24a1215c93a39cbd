"""Reading fixed for issue 13 from heldout23's failures, once it had been measured: a figure
asked of one numbered term (제2기) is read under that term's heading, a share of each term
is set apart in percentage points, "공공기관 출신" counts the 공공기관, a two-syllable header
Kiwi splits ("부령") is still written whole, "몇 년도로 적혀 있어요" compares nothing, and an
invoice line's quantity ("6 Pretty Dark Flyer") does not hide the item the question names.
Each test failed before its change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from test_reader import flat_idf, hit
from test_reader_h20 import table_passage

from dalin.answer.asked import asked_attribute
from dalin.answer.cohorts import asked_term, under_term
from dalin.answer.extractive import extractive_answer
from dalin.answer.intent import Operation, read_intent
from dalin.answer.reader_question import Candidate, Evidence
from dalin.answer.shown_work import Operand, compute

_TERMS = (
    "※ 참고자료\n"
    "1. 2050 탄소중립위원회 민간위촉위원 구성현황\n"
    "□ 1기 탄중위 : 위원장(1) + 위촉직(78)\n"
    "구분: 성별비율 | 현황: · 여성(28명, 35%) 남성(51명, 65%)\n"
    "구분: 직능별 | 현황: · 전문가(44명) * 학계 22명, 공공기관 22명 · 각계 대표(35명)\n"
    "□ 2기 탄중위 : 위원장(1) + 위촉직(32)\n"
    "구분: 성별비율 | 현황: · 여성(7명, 21%) 남성(26명, 79%)\n"
    "구분: 직능별 | 현황: · 전문가(27명) * 학계 19명, 공공기관 6명, 로펌 2명 · 각계 대표(6명)\n"
)


def test_a_figure_of_one_term_is_read_under_its_heading() -> None:
    question = "탄중위 참고자료 보면 제2기 전문가 위원 중에 공공기관 출신은 몇 명이에요?"
    assert asked_attribute(question) == "기관"  # 출신 only says they are counted by group
    assert asked_term(question) == ("2", "기")
    assert asked_term("제1기에서 제2기로 몇 명 줄었어요?") is None  # two terms: a difference
    answer = extractive_answer(question, [hit(_TERMS, "검토보고서.pdf")], flat_idf)
    assert answer.text.splitlines()[0].startswith("공공기관 6명"), answer.text


def test_a_cover_title_opens_no_term() -> None:
    text = "제1차 환경노동위원회\n검토보고\n◯출석 위원(10인)\n"
    passage = hit(text, "검토보고서.pdf")
    start = text.index("◯")
    evidence = Evidence(passage, "p", "◯출석 위원(10인)", start, len(text), "◯출석 위원(10인)")
    assert not under_term(Candidate(1.0, "10인", evidence), ("1", "차"))
    boxed = hit(f"□ {text}", "검토보고서.pdf")
    inside = Evidence(boxed, "p", "◯출석 위원(10인)", start + 2, len(text) + 2, "")
    assert under_term(Candidate(1.0, "10인", inside), ("1", "차"))


def test_a_share_of_two_terms_is_set_apart_in_points() -> None:
    question = "탄중위 참고자료 기준으로 여성 위원 비율이 제1기에서 제2기로 몇 %p 줄었어요?"
    answer = extractive_answer(question, [hit(_TERMS, "검토보고서.pdf")], flat_idf)
    assert answer.text.splitlines()[0].endswith("= 14%p"), answer.text
    shares = [Operand("1기", "35%", Decimal(35), "%"), Operand("2기", "21%", Decimal(21), "%")]
    assert compute(Operation.DIFFERENCE, shares).result == "14%p"


def test_a_two_syllable_header_kiwi_splits_is_written_whole() -> None:
    passage, sources = table_passage(
        ("구분", "대통령령", "부령", "훈령"),
        [("환경 소관", "27", "18", "37"), ("고용노동소관", "9", "11", "22")],
        name="회의록.pdf",
        above="◯행정입법 제출",
    )
    question = "회의록 행정입법 제출 현황 표에서 고용노동 소관 부령은 몇 건이에요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0].startswith("고용노동소관 부령: 11 "), answer.text


def test_what_is_written_is_no_comparison() -> None:
    written = read_intent("주간업무보고서 양식 맨 위 칸에 일자 예시가 몇 년도로 적혀 있어요?")
    assert written.operation is None
    assert read_intent("1기는 2기보다 몇 명 적어요?").operation is Operation.DIFFERENCE


def _rare_flyer(tokens: Sequence[str]) -> Mapping[str, float]:
    return {t: 5.0 if t == "flyer" else 1.0 for t in tokens}


def test_an_invoice_lines_quantity_does_not_hide_the_item_named() -> None:
    passage, sources = table_passage(
        ("ITEM DESCRIPTION", "AMOUNT (€)"),
        [
            ("6 Pretty Dark Flyer", "75.00"),
            ("4 Bare Bone Kit", "150.00"),
            ("2 Turbo Flyer", "200.00"),
        ],
        name="Invoice.pdf",
    )
    question = "Kraxi 송장에서 Bare Bone Kit하고 Pretty Dark Flyer 금액을 합치면 얼마예요?"
    # flyer is the rare word, and two rows hold it: it named 2 Turbo Flyer too
    answer = extractive_answer(question, [passage], _rare_flyer, sources=sources)
    assert answer.text.splitlines()[0].endswith("= 225"), answer.text
