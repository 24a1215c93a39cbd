"""Arithmetic over tables: what to compute, which rows and columns a question names, and
the time between two moments a table holds (issue 13, item 3). Each test is a mechanism,
written on made-up tables, not a copy of a benchmark question."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_reader import flat_idf, hit, read_of, table_source

from dalin.answer.cells import with_label_unit
from dalin.answer.extractive import extractive_answer
from dalin.answer.intent import Asked, Operation, read_intent
from dalin.answer.reader import _counted_act
from dalin.answer.reader_question import Sources, reading_for
from dalin.answer.shown_work import Operand, compute, is_year
from dalin.answer.tables import _name_score, squash
from dalin.ingest.document import DocumentBuilder
from dalin.types import Hit, StoredTable


@pytest.mark.parametrize(
    ("question", "operation"),
    [
        ("3월에 평일 경기는 토요일 경기보다 몇 분 늦게 시작하나요?", Operation.DIFFERENCE),
        ("A 지점 개점 시각은 B 지점보다 몇 분 빠르나요?", Operation.DIFFERENCE),
        ("관리 요구사항과 지원 요구사항을 합치면 몇 개인가요?", Operation.SUM),
        ("1분기와 2분기 매출을 합산하면 얼마인가요?", Operation.SUM),
        ("착공연도부터 완료연도까지는 몇 년인가요?", Operation.ELAPSED),
        ("계약일부터 납품일까지 몇 개월 걸렸나요?", Operation.ELAPSED),
        # a column named "… 최소화" asks for its value, not for the smallest one
        ("정성 평가에서 기동 지연 최소화 점수는?", None),
        # 최대 a few words before 얼마 is a limit; 최대인 names the largest
        ("변환 서버에 한 번에 올릴 수 있는 최대 파일 크기는 얼마인가요?", None),
        ("점수가 최대인 항목의 점수는 몇 점인가요?", Operation.MAX),
        # how much an average changed is a difference of two averages
        ("전처리 후 문서 평균 길이가 몇 음절 줄었나요?", Operation.DIFFERENCE),
        ("매출이 작년보다 얼마나 늘었나요?", Operation.DIFFERENCE),
        ("위헌소원은 선고되고 며칠 뒤에 결정 통지가 왔나요?", Operation.ELAPSED),
        ("제출하고 며칠 뒤에 결과가 나오나요?", Operation.ELAPSED),
        ("결과는 며칠 뒤에 나오나요?", None),  # one event: a stated wait, not two moments
        ("결론이 시작하는 쪽은 본론이 시작하는 쪽보다 몇 쪽 뒤인가요?", Operation.DIFFERENCE),
        # 에서 and 까지 in two clauses say where, then until when: no span
        ("현장에서 응원했다고 했고, 올림픽까지 남은 기간은 며칠이라고 했나요?", None),
    ],
)
def test_what_to_compute(question: str, operation: Operation | None) -> None:
    assert read_intent(question).operation is operation


def test_an_operation_word_in_a_yes_no_question_is_what_it_is_about() -> None:
    intent = read_intent("평가위원의 최고점수도 평균에 넣나요?")
    assert (intent.asked, intent.operation) == (Asked.YES_NO, None)
    assert read_intent("세 과목 평균 점수는?").operation is Operation.AVERAGE


def test_two_years_are_years_apart_not_days() -> None:
    start = Operand("착공연도", "2017", Decimal(2017), source=0)
    end = Operand("완료연도", "2019", Decimal(2019), source=1)
    work = compute(Operation.ELAPSED, [end, start])
    assert work.result == "2년"
    assert work.line == "완료연도 2019 {0} − 착공연도 2017 {1} = 2년"


@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=0, max_value=50))
def test_years_apart_is_their_difference(first: int, gap: int) -> None:
    late = first + gap
    operands = [Operand("a", str(first), Decimal(first)), Operand("b", str(late), Decimal(late))]
    if is_year(Decimal(late)):
        assert compute(Operation.ELAPSED, operands).result == f"{gap}년"


def test_a_count_or_a_fraction_is_no_year() -> None:
    assert is_year(Decimal(2024))
    assert not is_year(Decimal(27)) and not is_year(Decimal("2017.5")) and not is_year(None)


REQUIREMENTS = ("요구사항 분류", "고유번호", "설명", "개수")
REQUIREMENT_ROWS = [
    ("기능 요구사항 (Function Req.)", "SFR", "기능을 기술함", "10"),
    ("관리 요구사항 (Mgmt Req.)", "PMR", "관리 방법을 기술함", "4"),
    ("지원 요구사항 (Support Req.)", "PSR", "지원 방안을 기술함", "5"),
    ("합계", "합계", "합계", "19"),
]


def test_rows_named_without_a_column_sum_the_one_number_column() -> None:
    passage, sources = table_source(REQUIREMENTS, REQUIREMENT_ROWS, caption="요구사항 목록")
    answer = extractive_answer(
        "관리 요구사항과 지원 요구사항을 합치면 몇 개인가요?", [passage], flat_idf,
        sources=sources,
    )  # fmt: skip
    first = answer.text.splitlines()[0]
    assert "= 9개" in first and "[1]" in first and "[2]" in first, answer.text


RELEASES = ("태그", "릴리스일", "유형")
RELEASE_ROWS = [
    ("v1.0", "2026-01-10", "기능 추가"),
    ("v1.1", "2026-02-09", "버그 수정"),
    ("v2.0", "2026-03-01", "기능 추가"),
]


def test_the_days_between_two_named_rows_of_a_date_column() -> None:
    passage, sources = table_source(RELEASES, RELEASE_ROWS, caption="릴리스 이력")
    answer = extractive_answer(
        "릴리스 이력에서 v1.0 릴리스부터 v1.1 릴리스까지는 며칠인가요?", [passage], flat_idf,
        sources=sources,
    )  # fmt: skip
    assert answer.text.splitlines()[0].endswith("= 30일"), answer.text


CHANGES = ("사임위원", "보임위원", "교섭단체", "연월일")
CHANGE_ROWS = [
    ("홍길동", "김철수", "가당", "2023. 12. 23."),
    ("김철수", "홍길동", "가당", "2023. 12. 29."),
]


def test_a_column_of_names_holds_no_operand() -> None:
    # 사임위원 and 보임위원 are named by 사임한 and 보임된; the dates are in 연월일
    passage, sources = table_source(CHANGES, CHANGE_ROWS, caption="위원 개선")
    answer = extractive_answer(
        "홍길동 위원이 사임한 날부터 다시 보임된 날까지 며칠인가요?", [passage], flat_idf,
        sources=sources,
    )  # fmt: skip
    assert answer.text.splitlines()[0].endswith("= 6일"), answer.text


FIELDS = ("NO", "항목명", "설명", "예시")
FIELD_ROWS = [
    ("1", "센터명", "환승센터의 이름", "서울역"),
    ("2", "센터면적", "환승센터의 면적", "1200"),
    ("3", "지정연도", "환승센터를 지정한 연도", "2015"),
    ("4", "개발시작연도", "환승센터 개발의 착공연도", "2017"),
    ("5", "개발종료연도", "환승센터 개발의 완료연도", "2019"),
]


def test_rows_are_named_by_their_own_words_not_the_topic_every_row_repeats() -> None:
    passage, sources = table_source(FIELDS, FIELD_ROWS, caption="환승센터 항목")
    answer = extractive_answer(
        "환승센터 예시에서 개발 착공연도부터 완료연도까지는 몇 년인가요?", [passage], flat_idf,
        sources=sources,
    )  # fmt: skip
    first = answer.text.splitlines()[0]
    assert "2019" in first and "2017" in first and first.endswith("= 2년"), answer.text


BOARD = ("Model", "EM", "F1")
BOARD_ROWS = [
    ("Alpha-LM v1.0 (single model) Lab A", "90.10", "96.23"),
    ("Beta-LM-Large V2.0 Lab B", "89.00", "95.39"),
    ("Gamma-Large V2.0 (single model, 355M) Lab C", "88.50", "95.92"),
    ("Gamma-Large V1.0 (single model) Lab C", "87.00", "94.00"),
]


def test_a_name_few_rows_hold_names_its_row_over_one_that_shares_common_words() -> None:
    passage, sources = table_source(BOARD, BOARD_ROWS, caption="리더보드")
    answer = extractive_answer(
        "리더보드에서 Alpha-LM v1.0의 F1은 Gamma-Large V2.0보다 몇 점 높은가요?", [passage],
        flat_idf, sources=sources,
    )  # fmt: skip
    assert "= 0.31" in answer.text.splitlines()[0], answer.text


OPENED = "(10시14분 개의)\n성원이 되었으므로 제3차 운영위원회를 개회하겠습니다."
MINUTES = OPENED + "\n" + "의사일정에 따라 안건을 심사하겠습니다.\n" * 40


def _minutes(closing: str) -> tuple[str, Sources]:
    document = MINUTES + closing

    def read(doc_id: int, start: int, end: int) -> str:
        return document[start:end]

    return document, Sources(read=read, text_at=read)


def test_the_other_end_of_a_span_is_read_from_the_rest_of_the_document() -> None:
    document, sources = _minutes("이상으로 회의를 마치겠습니다.\n(11시02분 산회)\n")
    answer = extractive_answer(
        "제3차 운영위원회 회의는 몇 분 동안 열렸나요?", [hit(OPENED, "회의록.pdf")], flat_idf,
        sources=sources,
    )  # fmt: skip
    assert answer.text.splitlines()[0] == "11시02분 [2] − 10시14분 [1] = 48분", answer.text
    closing = answer.citations[1]
    assert document[closing.start : closing.end] == closing.quote
    assert "11시02분" in closing.quote


def test_an_end_the_document_does_not_hold_is_named_not_guessed() -> None:
    _, sources = _minutes("다음 회의는 2월 3일 14시까지 공지하겠습니다.\n")
    answer = extractive_answer(
        "제3차 운영위원회 회의는 몇 분 동안 열렸나요?", [hit(OPENED, "회의록.pdf")], flat_idf,
        sources=sources,
    )  # fmt: skip
    assert answer.text.splitlines()[0].startswith("계산하지 않았습니다"), answer.text


REFERRAL = (
    "심도 있는 심사를 위하여 의사일정 제2항부터 제9항까지의 법률안은 재정법안심사소위원회로, "
    "의사일정 제10항부터 제20항까지의 법률안은 복지법안심사소위원회로 각각 회부하겠습니다."
)


def test_a_count_stated_as_a_numbered_range_counts_both_ends() -> None:
    answer = extractive_answer(
        "재정법안심사소위원회로 회부된 법률안은 몇 건인가요?", [hit(REFERRAL)], flat_idf
    )
    assert answer.text.splitlines()[0] == "제9항 [1] − 제2항 [1] + 1 = 8건", answer.text
    answer = extractive_answer(
        "복지법안심사소위원회로 회부된 법률안은 몇 건인가요?", [hit(REFERRAL)], flat_idf
    )
    assert answer.text.splitlines()[0].endswith("= 11건"), answer.text


@given(st.integers(min_value=1, max_value=500), st.integers(min_value=1, max_value=500))
def test_a_range_holds_its_last_minus_first_plus_one(first: int, size: int) -> None:
    last = first + size
    text = f"의사일정 제{first}항부터 제{last}항까지의 법률안은 재정법안심사소위원회로 회부한다."
    answer = extractive_answer("재정법안심사소위원회로 회부된 법률안은 몇 건인가요?", [hit(text)],
                               flat_idf)  # fmt: skip
    assert answer.text.splitlines()[0].endswith(f"= {size + 1}건"), answer.text


NOTICE = (
    "가. 행사명 : 봄맞이 장터\n"
    "나. 신청기간 : 2025. 3. 3.(월)~3. 14.(금)\n"
    "다. 선정발표 : 2025. 3. 21.(금)\n"
)


@pytest.mark.parametrize(
    ("question", "days"),
    [
        # the end of the range "3. 3.~3. 14." is the day applications close
        ("봄맞이 장터 신청 마감일부터 선정 발표일까지 며칠인가요?", "7일"),
        ("봄맞이 장터 신청 시작일부터 선정 발표일까지 며칠인가요?", "18일"),
    ],
)
def test_each_side_of_a_span_takes_the_moment_written_under_its_words(
    question: str, days: str
) -> None:
    answer = extractive_answer(question, [hit(NOTICE)], flat_idf)
    assert answer.text.splitlines()[0].endswith(f"= {days}"), answer.text


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        # 파일, 메일, 스타일 end in 일 but name no day
        ("테스트 파일과 프로덕션 파일을 더하면 모두 몇 개인가요?", Asked.COUNT),
        ("두 데이터 파일을 내려받으면 모두 몇 MB인가요?", Asked.NUMBER),
        ("접수된 메일은?", Asked.ANY),
        ("공고일은?", Asked.DATE),
        ("릴리스일이 언제인가요?", Asked.DATE),
    ],
)
def test_a_word_ending_in_il_is_a_day_only_when_it_names_one(question: str, asked: Asked) -> None:
    assert read_intent(question).asked is asked


def test_a_count_is_never_a_sum_of_percentages() -> None:
    passage, sources = table_source(
        ("ID", "기능", "상태 가중치"),
        [("F-1", "표 변환", "100%"), ("F-2", "차트 변환", "50%")],
        caption="기능 매트릭스",
    )
    answer = extractive_answer(
        "기능 매트릭스에서 F-1과 F-2를 합치면 모두 몇 개인가요?", [passage], flat_idf,
        sources=sources,
    )  # fmt: skip
    assert "150" not in answer.text, answer.text


WHOLE_ASKED = "만족도 조사에서 면접한 고객은 모두 몇 명인가요?"


def test_a_whole_asked_of_a_count_given_in_parts_is_their_sum() -> None:
    text = "만족도를 조사하기 위해 서울 지점 고객 120명, 부산 지점 고객 80명을 면접하였다."
    answer = extractive_answer(WHOLE_ASKED, [hit(text)], flat_idf)
    assert answer.text.splitlines()[0].endswith("= 200명"), answer.text


def test_a_whole_the_sentence_states_is_not_summed_again() -> None:
    text = "만족도 조사에서는 총 200명, 곧 서울 지점 고객 120명과 부산 지점 고객 80명을 면접하였다."
    answer = extractive_answer(WHOLE_ASKED, [hit(text)], flat_idf)
    assert "320" not in answer.text and "200명" in answer.text.splitlines()[0], answer.text


def test_a_row_naming_two_things_gives_each_its_own_value() -> None:
    passage, sources = table_source(
        ("항목", "값", "근거"),
        [("Star / Fork", "83 / 9", "GitHub 릴리스 페이지"), ("라이선스", "Apache-2.0", "LICENSE")],
        caption="저장소 개요",
    )
    for question, value in (("저장소의 Star 수는 몇 개인가요?", "83"), ("저장소 Fork 수는?", "9")):
        answer = extractive_answer(question, [passage], flat_idf, sources=sources)
        assert f": {value} [" in answer.text.splitlines()[0], answer.text


def test_a_whole_asked_of_a_row_is_the_sum_of_its_cells() -> None:
    header = ("구분", "대통령령", "부령", "훈령", "고시")
    passage, sources = table_source(
        header, [("노동 소관", "9", "11", "22", "56"), ("환경 소관", "3", "4", "5", "6")],
        caption="행정입법 제출 현황",
    )  # fmt: skip
    answer = extractive_answer(
        "행정입법 제출 현황에서 노동 소관 행정입법은 모두 몇 건인가요?", [passage], flat_idf,
        sources=sources,
    )  # fmt: skip
    assert answer.text.splitlines()[0].endswith("= 98건"), answer.text


def test_a_row_that_states_its_own_total_is_not_summed_again() -> None:
    header = ("구분", "대통령령", "부령", "계")
    passage, sources = table_source(
        header, [("노동 소관", "9", "11", "20"), ("환경 소관", "3", "4", "7")],
        caption="행정입법 제출 현황",
    )  # fmt: skip
    answer = extractive_answer(
        "행정입법 제출 현황에서 노동 소관 행정입법은 모두 몇 건인가요?", [passage], flat_idf,
        sources=sources,
    )  # fmt: skip
    assert "40" not in answer.text, answer.text


def test_a_form_label_naming_two_things_gives_each_its_own_value() -> None:
    passage, sources = table_source(
        ("항목", "내용"),
        [("Star / Fork", "83 / 9"), ("라이선스", "Apache-2.0"), ("언어", "Rust")],
        caption="저장소 개요",
    )
    answer = extractive_answer("저장소 개요에서 Fork 수는?", [passage], flat_idf, sources=sources)
    assert ": 9 [" in answer.text.splitlines()[0], answer.text


SUMMARY = ("태그", "릴리스일", "직전 릴리스 이후(일)")
SUMMARY_ROWS = [
    ("v1.0", "2026-01-10", "-"),
    ("v1.1", "2026-02-09", "30"),
    ("v1.2", "2026-02-20", "11"),
    ("평균 릴리스 간격(일)", "", "20.5"),
]


def test_an_average_the_table_states_is_read_not_computed() -> None:
    passage, sources = table_source(SUMMARY, SUMMARY_ROWS, caption="릴리스 요약")
    answer = extractive_answer(
        "평균 며칠 간격으로 새 버전을 릴리스했나요?", [passage], flat_idf, sources=sources
    )
    first = answer.text.splitlines()[0]
    assert "20.5" in first and "÷" not in first, answer.text


def test_a_number_takes_the_unit_its_label_gives() -> None:
    assert with_label_unit("18.3", "", "평균 릴리스 간격(일)") == "18.3일"
    assert with_label_unit("1,200", "금액(천원)") == "1,200천원"
    assert with_label_unit("18.3", "평균 간격") == "18.3"  # no unit named
    assert with_label_unit("약 3주", "기간(일)") == "약 3주"  # not a bare number


def _two_tables(
    first: tuple[Sequence[str], Sequence[Sequence[str]]],
    second: tuple[Sequence[str], Sequence[Sequence[str]]],
) -> tuple[Hit, Sources]:
    builder = DocumentBuilder("현황.xlsx")
    for n, (header, rows) in enumerate((first, second)):
        builder.paragraph(f"표 {n + 1}")
        builder.table(header, rows, page=1)
    doc = builder.build()
    stored = []
    for index, block in enumerate(doc.tables):
        assert block.table is not None
        stored.append(StoredTable(1, index, block.table, 1, block.start, block.end))
    passage = Hit(1, 1, "/d/현황.xlsx", "현황.xlsx", "현황.xlsx", 1.0, doc.text, 0, len(doc.text))
    return passage, Sources(
        tables=lambda doc_id: stored, read=read_of(doc.text), text_at=read_of(doc.text)
    )


SHARES = (("ID", "상태", "상태 가중치"), [("F-01", "테스트 파일 완료", "100%"),
                                         ("F-02", "프로덕션 파일 완료", "100%")])  # fmt: skip
COUNTS = (("지표", "", "값"), [("테스트 파일 수 (_tests.rs 및 tests/)", "", "94"),
                               ("프로덕션 파일 수", "", "77"),
                               ("프로덕션 파일당 평균 테스트 수", "", "21.6")])  # fmt: skip


def test_a_count_adds_the_rows_it_writes_and_skips_a_table_of_shares() -> None:
    passage, sources = _two_tables(SHARES, COUNTS)
    answer = extractive_answer(
        "테스트 파일과 프로덕션 파일을 더하면 모두 몇 개인가요?", [passage], flat_idf,
        sources=sources,
    )  # fmt: skip
    first = answer.text.splitlines()[0]
    assert first.startswith("테스트 파일 수") and first.endswith("= 171개"), answer.text


def test_a_ratio_puts_what_comes_before_boda_second() -> None:
    passage, sources = table_source(*COUNTS, caption="자동화 테스트 규모")
    answer = extractive_answer(
        "프로덕션 파일보다 테스트 파일이 몇 배 많나요?", [passage], flat_idf, sources=sources
    )
    first = answer.text.splitlines()[0]
    assert first.startswith("테스트 파일 수") and "÷ 프로덕션 파일 수" in first, answer.text


CHANGED = (
    "문서의 길이는 HTML을 그대로 쓰면 평균 90,259음절로 매우 길다. 우리는 최소한의 전처리로 "
    "길이를 줄였다. 주석과 스크립트를 지웠다. 그 결과 길이가 평균 19,864음절로 크게 줄었다."
)


def test_a_change_is_the_difference_of_the_two_amounts_its_passage_states() -> None:
    answer = extractive_answer(
        "전처리를 하고 나니 문서 평균 길이가 몇 음절 줄었나요?", [hit(CHANGED)], flat_idf
    )
    first = answer.text.splitlines()[0]
    assert first == "90,259음절 [1] − 19,864음절 [2] = 70,395음절", answer.text


def test_a_third_amount_leaves_the_change_uncomputed() -> None:
    text = CHANGED + " 답변은 평균 1,200음절이다."
    answer = extractive_answer(
        "전처리를 하고 나니 문서 평균 길이가 몇 음절 줄었나요?", [hit(text)], flat_idf
    )
    assert "=" not in answer.text.splitlines()[0], answer.text


RULING = (
    "◯결정서 송부\n구 산업재해보상보험법 제37조 제1항 등 위헌\n소원\n(2024. 1. 25. 선고)\n"
    "2월 5일 헌법재판소장으로부터 헌법소원심판\n결정 통지가 있어 송부됨\n"
)


def test_days_after_an_event_run_from_it_to_the_next_one_named() -> None:
    # the month and day take the year the passage wrote before them; each date is labelled
    # by the words after it, as a minutes' report writes them
    answer = extractive_answer(
        "위헌소원은 선고되고 며칠 뒤에 헌법재판소장의 결정 통지가 왔나요?", [hit(RULING)],
        flat_idf,
    )  # fmt: skip
    assert answer.text.splitlines()[0].endswith("= 11일"), answer.text


def test_an_end_before_its_start_is_no_answer() -> None:
    backwards = RULING.replace("2월 5일", "1월 5일")
    answer = extractive_answer(
        "위헌소원은 선고되고 며칠 뒤에 헌법재판소장의 결정 통지가 왔나요?", [hit(backwards)],
        flat_idf,
    )  # fmt: skip
    assert "=" not in answer.text.splitlines()[0], answer.text


def test_a_share_asked_is_no_sum_of_counts() -> None:
    passage, sources = table_source(
        ("구분", "학습", "검증"), [("질문", "83,486", "10,165"), ("문서", "38,496", "4,736")],
        caption="데이터 구성",
    )  # fmt: skip
    answer = extractive_answer(
        "학습과 검증 질문의 비율을 합치면 몇 퍼센트인가요?", [passage], flat_idf,
        sources=sources,
    )  # fmt: skip
    assert "93,651" not in answer.text, answer.text


def test_a_numbering_counter_is_answered_only_by_a_number_written_with_it() -> None:
    text = (
        "납품업자로부터 판매사원 3846명을 불법적으로 공급받아 사용했습니다. "
        "대규모유통업법 제12조는 납품업자의 직원을 받아 사용하는 것을 금지합니다."
    )
    question = "납품업체 직원을 받아 쓰는 것을 막는 조항은 대규모유통업법 몇 조인가요?"
    answer = extractive_answer(question, [hit(text)], flat_idf)
    assert answer.text.splitlines()[0].startswith("제12조"), answer.text
    alone = extractive_answer(question, [hit(text.split(". ")[0] + ".")], flat_idf)
    assert "3846명" not in alone.text.splitlines()[0], alone.text
    assert read_intent("몇 조인가요?").numbering and not read_intent("몇 번 교육하나요?").numbering


def test_which_section_is_answered_by_a_numbered_heading() -> None:
    text = (
        "3.2 질문 작성\n작업자는 문서를 읽고 질문을 작성하였다.\n"
        "3.3 KorQuAD 1.0 데이터 변환\nKorQuAD 1.0 데이터를 활용하여 일부를 2.0으로 변환하였다."
    )
    answer = extractive_answer(
        "KorQuAD 1.0 데이터를 2.0으로 바꾼 과정은 몇 절에 나와 있나요?", [hit(text)], flat_idf
    )
    assert answer.text.splitlines()[0] == "3.3 [1]", answer.text


def test_a_count_asked_is_not_answered_by_a_line_stating_none() -> None:
    text = "차관은 먼저 진천 국가대표 선수촌을 방문해 선수들의 훈련 상황을 점검한다."
    answer = extractive_answer(
        "진천 국가대표 선수촌에서 훈련 중인 국가대표 선수는 몇 명인가요?", [hit(text)], flat_idf
    )
    assert answer.abstained, answer.text


def test_a_count_of_things_set_apart_by_an_act_needs_a_line_stating_the_act() -> None:
    text = (
        "롯데하이마트 불법파견 사건 이후 직접고용 요구가 커졌고, 판매사원 3846명을 "
        "불법적으로 공급받아 사용한 것이 밝혀졌습니다."
    )
    question = "롯데하이마트 불법파견 사건 이후 직접고용으로 전환된 판매사원은 몇 명인가요?"
    assert extractive_answer(question, [hit(text)], flat_idf).abstained
    stated = text + " 그 뒤 판매사원 1200명이 직접고용으로 전환되었습니다."
    answer = extractive_answer(question, [hit(stated)], flat_idf)
    assert answer.text.splitlines()[0].startswith("1200명"), answer.text


def test_an_amount_asked_is_no_bare_count_and_no_line_without_an_amount() -> None:
    passage, sources = table_source(
        ("구분", "학습", "검증", "합계"), [("질문", "83,486", "10,165", "93,651")],
        caption="데이터 구성",
    )  # fmt: skip
    question = "크라우드 작업자에게 질문 하나당 얼마를 지급했나요?"
    assert extractive_answer(question, [passage], flat_idf, sources=sources).abstained
    text = "크라우드 작업자에게 질문 하나를 만들 때 문서 일부만 보여 주었다."
    assert extractive_answer(question, [hit(text)], flat_idf).abstained
    priced, sources = table_source(
        ("구분", "지급 단가"), [("질문 하나당", "300")], caption="크라우드 작업자 지급 기준"
    )
    answer = extractive_answer(question, [priced], flat_idf, sources=sources)
    assert "300" in answer.text.splitlines()[0], answer.text


def test_an_act_on_where_a_count_is_written_sets_nothing_apart() -> None:
    words = ("모듈", "계층", "집계", "표", "render", "단위", "테스트", "수")
    question = "소스 모듈을 계층별로 집계한 표에서 render 계층의 단위 테스트 수는 몇 개인가요?"
    reading = reading_for(question, words, flat_idf(words), (), "ko")
    assert _counted_act(reading) == ""
    counted = "직접고용으로 전환된 판매사원은 몇 명인가요?"
    words = ("직접", "고용", "전환", "판매", "사원")
    assert _counted_act(reading_for(counted, words, flat_idf(words), (), "ko")) == "전환"


def test_a_column_written_in_brackets_is_named_and_the_file_row_is_the_topic() -> None:
    assert _name_score("#[test] 수", squash("단위 테스트(#[test]) 수는"), set(), {}, {})[0] >= 1
    builder = DocumentBuilder("office2pdf_workbook.xlsx")
    builder.paragraph("계층별 집계")
    builder.table(("계층", "#[test] 수"), [("office2pdf", "7"), ("render", "459")], page=1)
    doc = builder.build()
    block = doc.tables[0]
    assert block.table is not None
    stored = StoredTable(1, 0, block.table, 1, block.start, block.end)
    passage = Hit(1, 1, "/d/office2pdf_workbook.xlsx", "office2pdf_workbook.xlsx",
                  "office2pdf_workbook.xlsx", 1.0, doc.text, 0, len(doc.text))  # fmt: skip
    sources = Sources(
        tables=lambda doc_id: [stored], read=read_of(doc.text), text_at=read_of(doc.text)
    )
    answer = extractive_answer(
        "office2pdf의 render 계층 단위 테스트(#[test]) 수는 몇 개인가요?", [passage], flat_idf,
        sources=sources,
    )  # fmt: skip
    assert answer.text.splitlines()[0].endswith("459 [1]"), answer.text


def test_a_row_is_named_by_the_value_the_question_states_in_a_column() -> None:
    passage, sources = table_source(
        ("Alpha", "Beta", "Delta"), [("12", "40", "7"), ("96", "66", "14"), ("30", "96", "2")],
        caption="Sheet1",
    )  # fmt: skip
    answer = extractive_answer(
        "Sheet1에서 Alpha 값이 96인 행의 Delta 값은 얼마인가요?", [passage], flat_idf,
        sources=sources,
    )  # fmt: skip
    assert answer.text.splitlines()[0] == "Alpha 96 Delta: 14 [1]", answer.text


def test_a_form_running_people_across_is_read_by_the_person_named() -> None:
    passage, sources = table_source(
        ("항목", "", ""),
        [("참가자 성명", "고길동", "홍길동"), ("참가자 직위", "대리", "사원"),
         ("참가자 역할", "역할 1", "역할 2")],
        caption="프로젝트 계획서",
    )  # fmt: skip
    answer = extractive_answer(
        "프로젝트 계획서에서 홍길동의 역할은 뭐라고 적혀 있나요?", [passage], flat_idf,
        sources=sources,
    )  # fmt: skip
    assert answer.text.splitlines()[0] == "참가자 역할 홍길동: 역할 2 [1]", answer.text


def test_how_much_tax_is_its_cost_not_its_rate() -> None:
    passage, sources = table_source(
        ("Item", "Rate", "Cost"),
        [("Paint Labor", "150", "225"), ("Sales Tax", "10.20%", "278.46")],
        caption="Estimate Totals",
    )  # fmt: skip
    answer = extractive_answer(
        "How much sales tax is charged on the estimate?", [passage], flat_idf, sources=sources
    )
    assert answer.text.splitlines()[0] == "Sales Tax Cost: 278.46 [1]", answer.text


def test_a_count_written_in_a_form_the_reader_does_not_type_is_still_answered() -> None:
    # "100만 명" and "1790세대" are no values the reader types, but the line does write a
    # number: it is shown, not withheld as a line that states none
    text = "현대아산 측은 2005년 6월에 금강산 관광객이 100만 명을 돌파했다고 발표했다."
    answer = extractive_answer("2005년 6월에 금강산 관광객은 몇명을 돌파하였는가?", [hit(text)],
                               flat_idf)  # fmt: skip
    assert "100만 명" in answer.text.splitlines()[0], answer.text
    words = ("금강산", "사찰", "기재")
    reading = reading_for("신증동국여지승람에 기재된 금강산 내 사찰 수는?", words,
                          flat_idf(words), (), "ko")  # fmt: skip
    assert _counted_act(reading) == ""  # the act is where they are counted, not what
