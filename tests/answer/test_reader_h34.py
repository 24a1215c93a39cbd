"""Reading fixed for issue 13 from heldout34's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from test_reader import flat_idf, hit
from test_reader_h20 import GREEK, table_passage

from dalin.answer.asked import counts_other_thing
from dalin.answer.bilingual import bilingual_equivalents
from dalin.answer.extractive import extractive_answer
from dalin.answer.intent import Asked, read_intent
from dalin.answer.reader import two_facts
from dalin.answer.reader_question import focus_words
from dalin.answer.yes_no import ordinal_verdict, side_verdict
from dalin.text.korean import tokenize


def test_what_is_entered_in_a_named_column_is_its_cell() -> None:
    passage, sources = table_passage(*GREEK, sheet="Sheet1")
    answer = extractive_answer(
        "In the markitdown test spreadsheet, what is entered in the Beta column on Sheet1 in"
        " the row where Alpha is 58?",
        [passage],
        flat_idf,
        sources=sources,
    )
    # "entered" says the cell holds the answer; the Beta column is what is asked
    assert answer.text.startswith("Alpha 58 Beta: 6ff4173b"), answer.text


def test_how_a_cell_is_written_asks_about_the_cell() -> None:
    question = "개발종료연도 항목의 표현형식/단위 칸에는 어떻게 적혀 있어요?"
    focus = focus_words(question, tokenize(question))
    assert "단위" in focus and "어떻" not in focus, focus


def test_what_a_cell_holds_is_asked_whatever_its_row_is_named() -> None:
    question = "공공데이터 표준에서 개발종료연도 항목의 표현형식/단위 칸에는 어떻게 적혀 있어요?"
    # 연도 names the row; the question asks what the cell says ("YYYY"), not a date
    assert read_intent(question).asked is Asked.DEFINITION
    assert read_intent("개발종료연도는 언제예요?").asked is Asked.DATE


def test_a_count_stressed_with_ina_asks_one_thing() -> None:
    question = "장미란 차관이 방문한 선수촌에서는 선수가 몇 명이나 훈련하고 있어요?"
    assert two_facts(question) == []
    assert two_facts("서울이나 부산의 위원은 몇 명?") == [
        "서울의 위원은 몇 명?",
        "부산의 위원은 몇 명?",
    ]


def test_a_header_cell_stacking_two_labels_names_its_first_column() -> None:
    passage, sources = table_passage(
        ("제목\n담당자", "", "세부 내용"),
        [("셀 편집", "하임", ""), ("셀 합치기", "", "")],
        name="minimal-body-table.hwp",
        above="□ 줄/칸 추가하기, 셀 합치기, 셀 나누기 예시 표",
    )
    question = "예시 표에서 제목이 '셀 편집'인 행 바로 아래 행의 제목 칸에는 뭐라고 적혀 있나요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.startswith("셀 합치기"), answer.text


SCORES = (
    ("이름", "국어", "영어", "수학"),
    [
        ("개똥이", "89", "65", "78"),
        ("칠득이", "77", "77", "77"),
        ("팔푼이", "88", "88", "88"),
        ("육손이", "66", "66", "66"),
    ],
)


def test_a_row_named_by_a_word_the_tokenizer_splits_is_summed() -> None:
    passage, sources = table_passage(*SCORES, name="Table.hwpx", above="C반 기말고사")
    answer = extractive_answer(
        "C반 기말고사 성적표에서 팔푼이의 국어·영어·수학 점수를 다 더하면 몇 점이에요?",
        [passage],
        flat_idf,
        sources=sources,
    )
    assert "= 264점" in answer.text, answer.text


COMMITTEES = (
    (
        "구분",
        "총인원",
        "구성 정부",
        "구성 민간",
        "민간현황 학계",
        "민간현황 시민단체",
        "민간현황 청년",
    ),
    [
        ("서울", "40", "10", "30", "13", "2", "5"),
        ("부산", "50", "6", "44", "13", "4", "1"),
        ("인천", "30", "8", "22", "3", "2", ""),
    ],
)


def common_government(tokens: Sequence[str]) -> Mapping[str, float]:
    """Weights as over a whole library, where 정부 is a commoner word than 현황."""
    return {t: 0.2 if t == "정부" else 1.0 for t in tokens}


def test_two_columns_compared_are_told_apart_by_the_focus_words() -> None:
    passage, sources = table_passage(
        *COMMITTEES, name="검토보고서.pdf", above="광역 탄소중립위원회 위원 구성 현황"
    )
    answer = extractive_answer(
        "탄중법 검토보고서의 광역 탄소중립위원회 위원 구성 현황에서 인천 위원회는 민간 위원이"
        " 정부 측 위원보다 몇 명 더 많아요?",
        [passage],
        common_government,
        sources=sources,
    )
    # 구성 and 현황 are the topic's words; 민간 and 정부 are what is compared
    assert "구성 민간 22 [1] − 구성 정부 8 [1] = 14명" in answer.text, answer.text


def test_the_other_side_stated_answers_no() -> None:
    line = "김하성은 체인지업을 타격했고 타구는 좌측 담장을 넘어가면서 3점홈런이 터졌다."
    ruled = side_verdict("타구는 우측 담장을 넘어갔나요?", line)
    assert ruled == (False, line)
    assert side_verdict("타구는 좌측 담장을 넘어갔나요?", line) is None
    passage = hit(line, name="multipara.hwpx")
    answer = extractive_answer("김하성의 타구는 우측 담장을 넘어갔나요?", [passage], flat_idf)
    assert answer.text.startswith("아니요"), answer.text


PIPELINE = (
    "입력 OOXML에서 PDF까지\n변환 파이프라인\n"
    "ZIP 컨테이너 해석 → 문서 모델 구성 → Typst 조판 → PDF 직렬화의 단방향 흐름이다.\n"
    "ZIP 컨테이너\n해석\nOPC 패키지 해제"
)


def common_place_words(tokens: Sequence[str]) -> Mapping[str, float]:
    """Weights as over a whole library, where the words of a place (맨, 첫, 단계, 앞) are
    common and the pipeline's are not."""
    common = {"맨", "첫", "단계", "무엇", "바로", "앞", "다음", "마지막"}
    return {t: 0.1 if t in common else 1.0 for t in tokens}


def test_a_step_is_read_off_a_chain_of_arrows_by_its_place() -> None:
    passage = hit(PIPELINE, name="office2pdf_introduction_ko.pptx")
    for question, step in (
        ("OOXML을 PDF로 변환하는 흐름에서 맨 첫 단계는 무엇인가요?", "ZIP 컨테이너 해석"),
        ("OOXML을 PDF로 변환하는 흐름에서 Typst 조판 바로 앞 단계는?", "문서 모델 구성"),
        ("OOXML을 PDF로 변환하는 흐름에서 Typst 조판 다음 단계는?", "PDF 직렬화"),
        ("OOXML을 PDF로 변환하는 흐름의 마지막 단계는 무엇인가요?", "PDF 직렬화"),
    ):
        answer = extractive_answer(question, [passage], common_place_words)
        assert answer.text.startswith(f"{step} [1]"), (question, answer.text)


def test_how_many_beside_a_bill_number_asks_a_count() -> None:
    question = "개정안(의안번호 2125318)에는 공동발의한 의원이 몇 명이에요?"
    assert read_intent(question).asked is Asked.COUNT
    assert read_intent("이 개정안의 의안번호는?").asked is Asked.IDENTIFIER


def test_a_win_loss_record_counts_no_hits() -> None:
    assert counts_other_thing("팀 전체로 안타를 몇 개 쳤어요?", "14패")
    assert not counts_other_thing("시즌 전적은 몇 패예요?", "14패")


KORQUAD = (
    "KorQuAD 1.0의 전체 데이터는 1,560 개의 Wikipedia article에 대해 10,645 건의 문단과 66,181"
    " 개의 질의응답 쌍으로, Training set 60,407 개, Dev set 5,774 개의 질의응답쌍으로"
    " 구분하였습니다. 평가에 쓰는 Test set은 공개하지 않습니다."
)


def test_a_value_labelled_by_a_sibling_name_does_not_answer() -> None:
    passage = hit(KORQUAD, name="korquad_1.0_KOR.html")
    asked = "KorQuAD 1.0의 {} set에는 질의응답 쌍이 몇 개 들어 있어요?"
    answer = extractive_answer(asked.format("Test"), [passage], flat_idf)
    assert answer.abstained, answer.text
    answer = extractive_answer(asked.format("Training"), [passage], flat_idf)
    assert answer.text.startswith("60,407 개"), answer.text


MODULES = (
    ("크레이트", "경로 (src/ 기준)", "계층", "LOC", "#[test] 수"),
    [
        ("office2pdf", "config_tests.rs", "core", "241", "29"),
        ("office2pdf", "tests/docx_fixtures.rs", "integration-tests", "1,545", "59"),
        ("office2pdf", "tests/pdf_ops.rs", "integration-tests", "210", "12"),
        ("office2pdf", "tests/pptx_fixtures.rs", "integration-tests", "516", "24"),
        ("office2pdf", "tests/xlsx_fixtures.rs", "integration-tests", "866", "36"),
        ("office2pdf-cli", "main.rs", "cli", "400", "5"),
    ],
)


def test_rows_are_named_by_the_cells_only_they_hold() -> None:
    passage, sources = table_passage(*MODULES, name="office2pdf_repository_workbook.xlsx")
    answer = extractive_answer(
        "office2pdf 저장소 분석 엑셀 모듈 인벤토리에서 tests/docx_fixtures.rs,"
        " tests/pptx_fixtures.rs, tests/xlsx_fixtures.rs의 #[test] 수를 다 합치면 몇 개예요?",
        [passage],
        flat_idf,
        sources=sources,
    )
    # office2pdf, written down the 크레이트 column, names every row: the paths name three
    assert "= 119개" in answer.text, answer.text


def test_the_words_of_a_bill_and_a_code_module_are_held_across_languages() -> None:
    pairs = bilingual_equivalents(
        "What bill number is given for the partial amendment to the water act, and how"
        " many lines does the CLI crate's module inventory list?"
    )
    for english, korean in (({"bill"}, {"의안"}), ({"partial", "amend"}, {"일부", "개정"})):
        assert (frozenset(english), frozenset(korean)) in pairs, english
    assert (frozenset({"modul"}), frozenset({"모듈"})) in pairs


PRESS = (
    "- 1. 2. 장미란 제2차관, 진천 국가대표 선수촌, 이천 장애인 국가대표 선수촌 방문\n"
    "장미란 차관은 먼저 진천 국가대표 선수촌을 방문해 선수들의 훈련 상황을 점검한다.\n"
    "문체부도 우리 선수들이 훈련에 매진할 수 있도록 훈련환경 개선에 최선을 다하겠다."
)


def test_another_numbered_office_answers_no() -> None:
    line = "장미란 제2차관은 선수촌을 방문한다."
    assert ordinal_verdict("장미란 차관은 제1차관인가요?", line) == (False, line)
    assert ordinal_verdict("장미란 차관은 제2차관인가요?", line) is None
    passage = hit(PRESS, name="mot_보도자료.hwpx")
    answer = extractive_answer(
        "선수촌 방문 보도자료에 나오는 장미란 차관은 문체부 제1차관인가요?", [passage], flat_idf
    )
    assert answer.text.startswith("아니요 — 장미란 제2차관"), answer.text
