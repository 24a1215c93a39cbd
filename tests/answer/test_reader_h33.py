"""Reading fixed for issue 13 from heldout33's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from datetime import date

from test_reader import flat_idf, hit, stored_text
from test_reader_h20 import built_passage, table_passage

from dalin.answer.bilingual import bilingual_equivalents
from dalin.answer.clauses import clause_text
from dalin.answer.extractive import extractive_answer
from dalin.answer.intent import Operation, read_intent
from dalin.answer.reader_question import reading_for
from dalin.answer.shown_work import Operand, compute
from dalin.answer.tables import match_cells, read_grid
from dalin.answer.yes_no import other_setting
from dalin.ingest.document import DocumentBuilder
from dalin.text.korean import tokenize
from dalin.types import Chunk

DEPENDENCIES = (
    ("크레이트", "버전", "소속", "구분", "역할"),
    [
        (
            "typst",
            "0.14",
            "office2pdf",
            "런타임 필수",
            "레이아웃 엔진 — 생성된 Typst 마크업을 조판",
        ),
        ("typst-pdf", "0.14", "office2pdf", "런타임 필수", "Typst 문서 → PDF 내보내기"),
        ("typst-kit", "0.14", "office2pdf", "런타임 필수", "폰트 탐색 및 폰트 임베딩"),
    ],
)


def test_a_row_is_named_by_the_cell_only_it_holds() -> None:
    _, sources = table_passage(*DEPENDENCIES, name="office2pdf_repository_workbook.xlsx")
    grid = read_grid(sources.tables(1)[0])
    question = "office2pdf 저장소 분석 엑셀의 typst-kit 크레이트의 역할은 뭐라고 적혀 있나요?"
    words = tokenize(question)
    best = match_cells(grid, question, words, flat_idf(words), {})[0]
    # office2pdf, written down the whole 소속 column, names every row: the file's topic
    assert (best.row_label, best.value) == ("typst-kit", "폰트 탐색 및 폰트 임베딩"), best


def test_a_setting_stated_at_another_number_answers_no() -> None:
    line = "edition 2024와 resolver 3을 사용하므로 Rust 1.89 이상의 툴체인이 필요하다."
    assert other_setting("Cargo 워크스페이스는 resolver 2를 쓰나요?", line) == line
    assert other_setting("Cargo 워크스페이스는 resolver 3을 쓰나요?", line) is None
    # a bound on the number stated: 1.90 is within "1.89 이상"
    assert other_setting("Rust 1.90으로 빌드할 수 있나요?", line) is None


def test_a_figure_of_another_named_thing_is_no_answer() -> None:
    passage, sources = table_passage(
        ("", "학습", "검증", "평가", "합계"),
        [
            ("문서", "38,496", "4,692", "4,507", "47,695"),
            ("질문", "83,486", "10,165", "9,309", "102,960"),
        ],
        name="korquad_KorQuAD_2.0_paper.pdf",
        above="표 1. KorQuAD 2.0 데이터 통계",
    )
    related = hit(
        "TriviaQA는 평균 6개의 문단에 걸친 추론이 필요한 데이터셋이다.",
        name="korquad_KorQuAD_2.0_paper.pdf",
        chunk_id=2,
    )
    asked = "According to the KorQuAD 2.0 paper, how many questions does the {} dataset contain?"
    for name, found in (("KorQuAD 2.0", True), ("TriviaQA", False)):
        question = asked.format(name)
        answer = extractive_answer(question, [passage, related], flat_idf, sources=sources,
                                   equivalents=bilingual_equivalents(question))  # fmt: skip
        assert ("102,960" in answer.text) is found, answer.text


CONTENTS = (
    "차례\n01 서론 01\n서론 내용 1 01\n서론 내용 2 05\n02 본론 12\n본론 내용 1 12\n"
    "본론 내용 2 20\n본론 내용 3 23\n03 결론 45\n결론 내용 1 45\n결론 내용 2 56"
)


def test_a_heading_inside_a_longer_quoted_one_is_not_named() -> None:
    passage = hit(CONTENTS, name="basicsReport.hwp")
    answer = extractive_answer(
        "리포트 차례에서 '본론 내용 4'는 몇 쪽에 있나요?", [passage], flat_idf
    )
    assert answer.abstained, answer.text  # the contents list no 본론 내용 4, and 본론 is not it
    answer = extractive_answer(
        "리포트 차례에서 '본론 내용 3'는 몇 쪽에 있나요?", [passage], flat_idf
    )
    assert answer.text.startswith("본론 내용 3: 23"), answer.text


ESTIMATE = (
    ("", "", "Hours", "Rate", "Cost"),
    [
        ("Parts", "", "", "", "2,100"),
        ("Body Labor", "", "2", "150", "300"),
        ("Paint Labor", "", "1.5", "150", "225"),
        ("Other Charges", "", "", "", "105"),
        ("Subtotal", "", "", "", "2,730"),
        ("GRAND TOTAL", "", "", "", "3,008.46"),
    ],
)


def test_a_part_share_of_a_whole_named_after_it_is_computed() -> None:
    question = "Gabriel Diaz 견적서에서 부품비(Parts)는 소계(Subtotal)의 몇 %를 차지하나요?"
    assert read_intent(question).operation is Operation.SHARE
    # the largest value's share of the sum is the extreme's, read by share_of_extreme
    largest = "사업영역별 순이익에서 가장 큰 값은 네 값 합계의 몇 %를 차지하나요?"
    assert read_intent(largest).operation is not Operation.SHARE
    passage, sources = table_passage(*ESTIMATE, name="REPAIR-INV-001.pdf", above="Gabriel Diaz")
    answer = extractive_answer(question, [passage], flat_idf, sources=sources,
                               equivalents=bilingual_equivalents(question))  # fmt: skip
    # no column is named: Cost is the one both rows fill; Subtotal, not the GRAND TOTAL
    assert answer.text.startswith("Parts Cost 2,100 [1] ÷ Subtotal Cost 2,730 [2] × 100 = 76.9%"), (
        answer.text
    )


def test_a_span_of_dates_asked_in_months_is_counted_in_months() -> None:
    start = Operand("", "2019.3.19", when=date(2019, 3, 19), source=0)
    end = Operand("", "2019.7.19", when=date(2019, 7, 19), source=0)
    assert compute(Operation.ELAPSED, [start, end], unit="개월").result == "4개월 (122일)"
    assert compute(Operation.ELAPSED, [start, end]).result == "122일"
    later = Operand("", "2019.5.22", when=date(2019, 5, 22), source=0)
    assert compute(Operation.ELAPSED, [start, later], unit="개월").result == "2개월 3일 (64일)"
    line = (
        "제21조 (주·야간경기 및 경기개시 시간) 경기개시 시간은 평일 18:30, 일요일 14:00으로 한다.\n"
        "(2019.3.19 ➜ 2019.7.19 개정)"
    )
    answer = extractive_answer(
        "제21조(경기개시 시간) 아래 개정 이력을 보면 이전 개정일에서 최근 개정일까지 몇 개월이"
        " 지났나요?",
        [hit(line, name="kbo.pdf")],
        flat_idf,
    )
    # 시간 is the article's title: the span asked is of dates, in months
    assert "= 4개월" in answer.text, answer.text


NOTICE = (
    "1. 관련: 논산문화관광재단-1234\n"
    "2. 피크닉 데이 제안서 평가위원(후보자) 추천을 요청하오니 협조 바랍니다.\n"
    "다. 이 줄은 목록이 아닙니다\n"
    "3. 세부 내용\n"
    "가. 건명 : 피크닉 데이 무대설치 및 행사운영 용역\n"
    "나. 모집기간 : 2024. 7. 24.(수)~8. 2.(금)\n"
    "다. 모집분야 : 문화, 관광, 이벤트, 축제 분야 등 전문가\n"
    "라. 모집인원 : 심사위원 후보 21명\n"
)


def test_an_item_named_by_its_letter_is_read_from_the_list() -> None:
    chunks = [Chunk(NOTICE, 0, len(NOTICE), "¶1", None)]
    sources = stored_text(chunks)
    # named by its quoted letter or as a 목; the first 다. stands alone (no 나. before it):
    # the list's 다. is the item asked
    for named in ("에서 '다.' 항목에는", "의 다목에는"):
        question = f"평가위원 추천 협조 요청 공문 본문{named} 무엇이 적혀 있나요?"
        reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
        found = clause_text(reading, [(hit(NOTICE, "공문.hwp"), 1.0)], sources)
        assert found is not None, question
        assert found.lead == "다. 모집분야 : 문화, 관광, 이벤트, 축제 분야 등 전문가", found.lead


def test_a_field_named_by_its_acronym_gives_the_code_after_it() -> None:
    text = (
        "Preliminary estimate\nInsured name Bruce Wayne Year 2025 Claim # 999 Model Batmobile\n"
        "Email batman@wayneindustries.com VIN XXX\nColor Black\nOdometer 1"
    )
    answer = extractive_answer(
        "On the estimate for Bruce Wayne's Batmobile, what is entered in the VIN field?",
        [hit(text, name="REPAIR-2022-INV-001.pdf")],
        flat_idf,
    )
    assert answer.text.startswith("VIN XXX"), answer.text


def test_a_cell_of_the_row_below_a_quoted_one_is_read_in_the_column_named() -> None:
    passage, sources = table_passage(
        ("제목", "담당자", "세부 내용"),
        [("표 뒤집기", "하 임", ""), ("표 붙이기", "", "")],
        name="minimal-body-table.hwp",
        above="□ 표 뒤집기(행/열 바꿈)",
    )
    question = "예시 표에서 제목이 '표 뒤집기'인 행 바로 아래 행의 제목 칸에는 뭐라고 적혀 있나요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.startswith("표 붙이기"), answer.text
    above = "예시 표에서 제목이 '표 붙이기'인 행 바로 위 행의 담당자 칸에는 뭐라고 적혀 있나요?"
    answer = extractive_answer(above, [passage], flat_idf, sources=sources)
    assert answer.text.startswith("하 임"), answer.text


ENACTED = ("구분", "공포번호", "행정입법명", "소관 부처", "공포 일자")


def test_two_rows_on_two_pages_of_one_table_are_compared() -> None:
    builder = DocumentBuilder("회의록.pdf")
    builder.paragraph("행정입법 목록", page=18)
    builder.table(ENACTED, [
        ("대통령령", "제34232호", "녹색제품 구매촉진에 관한 법률 시행령 일부개정령", "환경 소관",
         "2024. 2. 6."),
        ("대통령령", "제34413호", "순환경제사회 전환 촉진법 시행령 일부개정령안", "환경 소관",
         "2024. 4. 17."),
    ], page=18)  # fmt: skip
    builder.table(ENACTED, [
        ("부령", "제1071호", "자원순환기본법 시행규칙 전부개정령", "환경 소관", "2023. 12. 29."),
        ("부령", "제1089호", "순환경제사회 전환 촉진법 시행규칙 일부개정령안", "환경 소관",
         "2024. 4. 24."),
    ], page=19)  # fmt: skip
    passage, sources = built_passage(builder)
    answer = extractive_answer(
        "행정입법 목록에서 순환경제사회 전환 촉진법 시행령 일부개정령안과 같은 법 시행규칙"
        " 일부개정령안은 공포일이 며칠 차이 나나요?",
        [passage],
        flat_idf,
        sources=sources,
    )
    # each page's table names one row whole; neither compares two rows of its own page
    assert "2024. 4. 24. [2] − " in answer.text and "2024. 4. 17. [1] = 7일" in answer.text, (
        answer.text
    )
