"""Reading fixed for issue 13 from heldout23's failures, once it had been measured: a figure
asked of one numbered term (제2기) is read under that term's heading, a share of each term
is set apart in percentage points, "공공기관 출신" counts the 공공기관, a two-syllable header
Kiwi splits ("부령") is still written whole, "몇 년도로 적혀 있어요" compares nothing, an
invoice line's quantity ("6 Pretty Dark Flyer") does not hide the item the question names,
a line saying no time does not answer "언제까지", a counter noun (에폭) must be written, a
field the document never writes is not answered by another, a choice a header lists
("구분 (필수/선택)") rules yes or no, an age is read from the brackets after a name, and
"언제 개정된" is answered by the line naming 개정. Each test failed before its change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import pytest
from test_reader import flat_idf, hit
from test_reader_h20 import table_passage

from dalin.answer.asked import asked_attribute
from dalin.answer.cohorts import asked_term, under_term
from dalin.answer.extractive import Question, extractive_answer, passage_tokens
from dalin.answer.form_fields import form_field
from dalin.answer.intent import Asked, Operation, read_intent
from dalin.answer.reader import _measure_unwritten, two_facts
from dalin.answer.reader_question import Candidate, Evidence, reading_for
from dalin.answer.shown_work import CalculationError, Operand, compute
from dalin.answer.tables import read_grid
from dalin.answer.yes_no import option_verdict

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


_NOTICE = (
    "2. 논산문화관광재단에서 추진하는 「논산 피크닉 데이 무대설치 용역」과 관련하여 용역 "
    "수행업체 선정의 공정성을 확보하기 위하여 제안서 평가위원(후보자)을 모집하오니,\n"
    "가. 건 명 : 논산 피크닉 데이 무대설치 용역 제안서 평가위원(후보자) 추천 협조 요청\n"
)


def test_a_line_saying_no_time_does_not_answer_until_when() -> None:
    question = "논산 피크닉 데이 무대설치 용역 제안서는 언제까지 제출해야 해요?"
    answer = extractive_answer(question, [hit(_NOTICE)], flat_idf)
    assert answer.abstained, answer.text
    # 언제나 asks no time, though a date is read off it: the rule stands
    always = "심판은 언제나 기보를 볼 수 있어야 한다."
    seen = extractive_answer("심판이 언제나 볼 수 있어야 하는 것은?", [hit(always)], flat_idf)
    assert seen.text.startswith(always), seen.text


def test_a_counter_noun_of_its_own_is_written_beside_its_number() -> None:
    epochs = read_intent("KorQuAD 2.0 논문에서 BERT 베이스라인은 몇 에폭 동안 학습시켰어요?")
    assert _measure_unwritten(epochs, "Baseline 검증 데이터 EM: 30.8")
    assert not _measure_unwritten(epochs, "BERT 모델은 3 에폭 동안 학습하였다")
    # a unit spelt in Hangul is written in symbols ("35cm"), a size with its 짜리 ("115평")
    grown = read_intent("새끼 대모는 몸길이가 몇센티 가량으로 성장했을때 삶터를 옮기는가?")
    assert not _measure_unwritten(grown, "이들이 몸길이 35cm로 성장하였을 때")
    villa = read_intent("몇 평짜리 초호화 빌라에 거주한 혐의가 있었나?")
    assert not _measure_unwritten(villa, "115평 초호화 빌라에 공짜로 거주한 점")
    # the particle left on a counter ("몇 점으로") is no part of it
    rule = "다만, 순위간점수차(3점)보다 큰 경우, 원점수차를 유지"
    scored = extractive_answer(
        "입찰자 순위간점수차는 몇 점으로 정해져 있나요?", [hit(rule)], flat_idf
    )
    assert scored.text.startswith("3점"), scored.text


def test_a_field_the_document_never_writes_is_not_answered_by_another() -> None:
    passage, sources = table_passage(
        ("NO", "항목명", "예시"),
        [("35", "운영유무", "Y"), ("36", "데이터기준일자", "2023-08-18")],
        name="공공데이터_제공표준.hwpx",
    )
    question = "환승센터 표준데이터에서 환승센터 운영기관명 항목 예시는 뭐로 되어 있어요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.abstained, answer.text


def test_a_choice_the_header_lists_rules_yes_or_no() -> None:
    assert option_verdict("편의시설종류는 필수 항목이에요?", "구분 (필수/선택): 선택") == (
        False,
        "구분 (필수/선택): 선택",
    )
    assert option_verdict("편의시설종류는 선택 항목이에요?", "구분 (필수/선택): 선택") == (
        True,
        "구분 (필수/선택): 선택",
    )
    assert option_verdict("편의시설종류는 뭐예요?", "구분 (필수/선택): 선택") is None
    rows = (
        "NO: 16 | 항목명: 도시철도역사번호 | 구분 (필수/선택): 선택 | 설명: 공공데이터 제공 표준 "
        "‘42) 도시철도역사정보‘에 따른 대중교통 환승센터 역사번호\n"
        "NO: 29 | 항목명: 편의시설종류 | 구분 (필수/선택): 선택 | "
        "설명: 환승센터 내의 편의시설 종류\n"
    )
    question = "대중교통환승센터 표준데이터에서 편의시설종류는 꼭 채워야 하는 필수 항목이에요?"
    answer = extractive_answer(question, [hit(rows, "제공표준.hwpx")], flat_idf)
    lines = answer.text.splitlines()
    assert lines[0].startswith("아니요 — 구분 (필수/선택): 선택"), answer.text
    assert "편의시설종류" in lines[1], answer.text  # the row the question names, cited


def test_an_age_is_read_from_the_brackets_after_a_name() -> None:
    text = "'어썸킴' 김하성(27·샌디에이고 파드리스)이 시원한 3점홈런을 폭발했다."
    question = "김하성 3점홈런 기사에서 김하성 나이는 몇 살로 나오나요?"
    answer = extractive_answer(question, [hit(text, "기사.hwpx")], flat_idf)
    assert answer.text.startswith("김하성(27·샌디에이고 파드리스) [1]"), answer.text
    # Kiwi reads the name as one word in one place of the question and as 김 + 성 in
    # another; a passage writing the name whole holds the pieces too
    parsed = Question.parse(question)
    assert {"김", "성"} <= set(parsed.topic)
    assert {"김", "성"} <= passage_tokens(parsed, hit(text, "기사.hwpx"))
    # the second clause is asked of the first clause's topic, not of its 나이
    assert two_facts("기사에서 김하성 나이는 몇 살로 나오고, 이날 선발 포수는 누구였어요?")[1] == (
        "기사에서 김하성 이날 선발 포수는 누구였어요?"
    )


def test_when_an_act_happened_is_answered_by_the_line_naming_it() -> None:
    question = "KBO 규정 제21조 경기개시 시간 조항은 언제 개정된 거라고 적혀 있어요?"
    assert read_intent(question).asked is Asked.DATE  # the article's change, not a time
    assert read_intent("경기개시 시간은 언제예요?").asked is Asked.TIME
    text = (
        "제21조 주·야간경기 및 경기개시 시간\n"
        "* 개막전 2연전 – 3/23(토), 3/24(일) - 14:00\n"
        "(2019.3.19 ➜ 2019.7.19 개정)\n"
    )
    answer = extractive_answer(question, [hit(text, "kbo.pdf")], flat_idf)
    assert answer.text.startswith("2019.7.19"), answer.text


def test_a_form_field_is_read_off_the_cell_beside_its_label() -> None:
    passage, sources = table_passage(
        ("작성일자", "0000년 00월 00일", "작성자", "작성자", "한 글", "(인)"),
        [("프로젝트 이름", "프로젝트 이름을 입력해 주세요.", "", "", "", "")],
        name="프로젝트_계획서.hwpx",
        above="PROJECT PROPOSAL",
    )
    question = "프로젝트 계획서 양식 표에서 작성자 칸에는 뭐라고 적혀 있어요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0].startswith("작성자: 한 글"), answer.text
    # a header beside a header names two columns of records, not a field and its value
    records, stored = table_passage(
        ("비고", "금액"), [("선납", "100"), ("", "200")], name="장부.xlsx"
    )
    reading = reading_for(
        "장부 비고 칸에는 뭐라고 적혀 있어요?", ["장부", "비고"], flat_idf, (), "ko"
    )
    assert stored.tables is not None
    grid = read_grid(stored.tables(1)[0])
    assert form_field(reading, [(grid, records, 1.0)]) is None
    assert form_field(reading, [(read_grid(sources.tables(1)[0]), passage, 1.0)]) is None


def test_a_parts_share_of_its_total_is_worked_out() -> None:
    question = "제안요청서에 나온 2022년 사용건수 중에서 문서작성이 차지하는 비율은 대략 몇 %예요?"
    assert read_intent(question).operation is Operation.SHARE
    passage, sources = table_passage(
        ("사용기관 수", "사용건수(2022년 기준) 합계", "사용건수(2022년 기준) 문서작성", "메모보고"),
        [("69개 기관", "17,737,227건", "14,649,103건", "3,088,124건")],
        name="제안요청서.pdf",
    )
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    # asked "대략", the round figure follows the exact one
    assert answer.text.splitlines()[0].endswith("× 100 = 82.6% (약 83%)"), answer.text
    parts = [Operand("문서작성", "3", Decimal(3)), Operand("합계", "0", Decimal(0))]
    with pytest.raises(CalculationError):
        compute(Operation.SHARE, parts)


def test_a_gloss_in_brackets_is_part_of_the_word_it_glosses() -> None:
    question = (
        "견적서 중에 Bruce Wayne 앞으로 된 건은 보험증권 번호(Policy #)랑 차량 모델이 각각 뭐예요?"
    )
    assert two_facts(question)[1] == "견적서 중에 Bruce Wayne 앞으로 된 건은 차량 모델이 뭐예요?"


def test_a_day_things_are_due_by_is_no_day_something_happens() -> None:
    text = "논산 피크닉 데이 행사 평가위원을 2024. 8. 2.(금)까지 추천하여 주시기 바랍니다.\n"
    held = extractive_answer("논산 피크닉 데이 행사는 언제 열리나요?", [hit(text)], flat_idf)
    assert held.abstained, held.text
    asked = "논산 피크닉 데이 행사 평가위원 추천은 언제까지예요?"
    due = extractive_answer(asked, [hit(text)], flat_idf)
    assert due.text.startswith("2024. 8. 2."), due.text


def test_an_identifier_asked_is_answered_by_a_number() -> None:
    text = "국가기간 전력망 설비 확충 특별법안(김회재 의원 대표발의)\n"
    question = (
        "회의록에 나온 김회재 의원의 국가기간 전력망 설비 확충 특별법안 의안번호는 무엇인가요?"
    )
    answer = extractive_answer(question, [hit(text, "회의록.pdf")], flat_idf)
    assert answer.abstained, answer.text


def test_a_deadline_asked_by_name_is_the_day_things_are_due_by() -> None:
    text = "논산 피크닉 데이 행사 평가위원을 2024. 8. 2.(금)까지 추천하여 주시기 바랍니다.\n"
    asked = "논산 피크닉 데이 행사 평가위원 추천 마감일은 언제예요?"
    answer = extractive_answer(asked, [hit(text)], flat_idf)
    assert answer.text.startswith("2024. 8. 2."), answer.text


def test_a_date_bracketed_with_another_act_does_not_say_when() -> None:
    text = "소위원회: 환경법안심사 | 사임위원: 이은주 (2024. 1. 25. 사직)\n"
    asked = "환경법안심사 소위원회는 언제 열기로 했나요?"
    assert extractive_answer(asked, [hit(text, "회의록.pdf")], flat_idf).abstained
    resigned = extractive_answer("환경법안심사 소위원회 이은주 위원은 언제 사직했나요?",
                                 [hit(text, "회의록.pdf")], flat_idf)  # fmt: skip
    assert "2024. 1. 25." in resigned.text.splitlines()[0], resigned.text


def test_kiwis_pieces_count_only_for_a_word_written_twice() -> None:
    question = "재즈의 음악특색중 하나로 당김음을 뜻하는 말은?"
    parsed = Question.parse(question)
    assert "음" in parsed.topic  # 당김음 read as 당김 + 음
    assert "음" not in passage_tokens(parsed, hit("재즈 음악의 특색은 즉흥연주이다.", "jazz.txt"))


def test_a_suffix_on_the_counter_is_no_part_of_it() -> None:
    prize = read_intent("평택 피어선 영화제에서 유아인에게 신인상을 준 것은 제 몇 회때인가?")
    assert not _measure_unwritten(prize, "제3회 평택 피어선 영화제에서 신인상을 받았다")
    age = read_intent("1943년부터 일본 남성은 몇살부터 징병검사를 받았는가?")
    assert not _measure_unwritten(age, "만 20세(1943년부터는 19세) 때에 받는 징병검사")


def test_a_bare_when_may_be_answered_by_a_year_things_ran_until() -> None:
    text = (
        "2010-11 시즌 팀내 최고 득점자가 된 지루는 계약 기간을 2014년까지 연장하는 재계약을 맺는다."
    )
    answer = extractive_answer(
        "지루가 팀내 최고 득점자가 된 시즌은 언제인가?", [hit(text, "a.txt")], flat_idf
    )
    assert not answer.abstained, answer.text
