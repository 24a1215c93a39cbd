"""Reading fixed for issue 13 from heldout40's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from dataclasses import replace

from test_reader import flat_idf, hit, stored_text
from test_reader_h20 import table_passage
from test_reader_h32 import INVOICE
from test_reader_h37 import PLEDGES

from dalin.answer.bilingual import bilingual_equivalents
from dalin.answer.extractive import Question, extractive_answer
from dalin.answer.reader import two_facts
from dalin.answer.reader_question import reading_for
from dalin.answer.yes_no import ruling_lead
from dalin.text.korean import tokenize
from dalin.types import Chunk

RFP = "온나라 웹기안기 제안요청서"


def _first_line(question: str, text: str, name: str, coverage: float = 0.2) -> str:
    answer = extractive_answer(question, [hit(text, name)], flat_idf, min_coverage=coverage)
    return answer.text.splitlines()[0]


LEADERBOARD = (
    ("Rank", "Model", "EM"),
    [
        ("1", "EXAONE-LM-v1.0 (single model) LG AI Research", "89.71"),
        ("2", "MoBERT-Large V2.0 (single model, 355M) ETRI XAI-NLP Team", "89.05"),
        ("3", "VAIV AI VAIV Company AI Lab (Kisu Yang)", "88.28"),
        ("4", "MoBERT-Large V1.0 (single model, 355M) ETRI XAI-NLP Team", "88.56"),
        ("5", "LGSP-LM-Large V2.0 LG AI NLP Team", "87.46"),
    ],
)


def test_a_label_begun_inside_another_rows_label_names_no_row() -> None:
    passage, sources = table_passage(*LEADERBOARD, name="korquad_1.0_KOR.html",
                                     above="KorQuAD 1.0 Leaderboard")  # fmt: skip
    asked = (
        "KorQuAD 1.0 리더보드를 보면 4위 MoBERT-Large V1.0의 EM 점수가 3위 VAIV AI보다 오히려 "
        "높던데, 몇 점 더 높아요?"
    )
    answer = extractive_answer(asked, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert "= 0.28" in answer.text.splitlines()[0], answer.text
    # a row whose next word the question writes elsewhere is still named by its beginning
    both = "KorQuAD 1.0 리더보드에서 MoBERT-Large V2.0은 V1.0보다 EM 점수가 얼마나 올랐나요?"
    answer = extractive_answer(both, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert "= 0.49" in answer.text.splitlines()[0], answer.text


NEWS = (
    ("This", "Is", "Just a"),
    [("2020", "Random", "Table")],
)


def test_an_english_question_counts_to_the_cell_below_a_quoted_one() -> None:
    passage, sources = table_passage(*NEWS, name="haystack_sample_docx.docx",
                                     above="The coronavirus news story.")  # fmt: skip
    asked = (
        "In the sample Word document with the coronavirus news story, what is written in the "
        "table cell directly below the cell that says 'Just a'?"
    )
    answer = extractive_answer(asked, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.text.splitlines()[0] == "Table [1]", answer.text
    # where to look is no part of the topic the passage must hold
    topic = Question.parse(asked).topic
    assert not {"direct", "below", "say"} & set(topic), topic


def test_a_line_taken_off_an_invoice_total_is_subtracted_from_it() -> None:
    header, rows = INVOICE
    total = [*rows, ("", "", "", "845.00")]
    passage, sources = table_passage(header, total, name="Invoice.pdf", above="Kraxi INVOICE")
    asked = (
        "On Kraxi invoice 2020-10, what would the invoice total come to if the Giga Trash line "
        "were taken off?"
    )
    answer = extractive_answer(asked, [passage], flat_idf, sources=sources, min_coverage=0.5)
    assert "= 665" in answer.text.splitlines()[0], answer.text


USAGE = (
    (
        "사용기관 수 (사용자 수)",
        "웹기안기 사용건수(2022년 기준) 합계",
        "웹기안기 사용건수(2022년 기준) 문서작성",
    ),
    [("69개 기관 (약 19만명 공무원)", "17,737,227건", "14,649,103건")],
)


def test_an_average_per_thing_divides_by_the_column_counting_it() -> None:
    passage, sources = table_passage(*USAGE, name="제안요청서.pdf",
                                     above=f"{RFP} 웹기안기 사용실적")  # fmt: skip
    asked = (
        "온나라 웹기안기 제안요청서에 나온 2022년 웹기안기 사용건수 합계를 사용기관 수로 나누면, "
        "기관 한 곳당 평균 몇 건 정도 쓴 셈인가요?"
    )
    answer = extractive_answer(asked, [passage], flat_idf, sources=sources, min_coverage=0.2)
    first = answer.text.splitlines()[0]
    assert "÷" in first and "= 257,061.26건 (약 257,061건)" in first, answer.text


def test_a_decimal_place_counted_in_words_is_the_one_written_in_digits() -> None:
    other = (
        "5. 공동수급체의 경우 구성원별 해당 점수에 지분율을 곱한 후 합산하고, 평가 결과 소수점 "
        "이하의 숫자가 있는 경우 소수점 다섯째자리에서 반올림 한다."
    )
    scored = (
        "제안서 평가방법\n- 기술평가점수와 가격평가점수를 합산하여 종합 평가점수를 산출\n"
        "․ 평가점수에서 소수점 이하가 있는 경우, 소수점 5자리에서 반올림함"
    )
    asked = "웹기안기 제안서 평가점수에 소수점 이하가 나오면 소수점 다섯째 자리에서 반올림하나요?"
    answer = extractive_answer(
        asked, [hit(other, "제안요청서.pdf", 1), hit(scored, "제안요청서.pdf", 2, 5000)],
        flat_idf, min_coverage=0.2,
    )  # fmt: skip
    assert answer.text.startswith("예"), answer.text
    assert "소수점 5자리에서 반올림함" in answer.citations[0].quote, answer.text


FLAG_ROW = (
    "구분: 전역 플래그 | 플래그 / 커맨드: --streaming-chunk-size | 값 형식: 행 수 | 기본값: 1000 | "
    "설명: 스트리밍 모드 청크 크기(행) | 비고: --streaming 활성 시에만 사용"
)


def test_what_holds_only_under_a_condition_does_not_hold_without_it() -> None:
    asked = (
        "office2pdf 저장소 분석 엑셀의 CLI 옵션 시트 기준으로, --streaming-chunk-size 옵션은 "
        "--streaming을 켜지 않아도 적용되나요?"
    )
    reading = reading_for(asked, tokenize(asked), flat_idf(tokenize(asked)), (), "ko")
    assert ruling_lead(reading, FLAG_ROW) == "아니요 — 비고: --streaming 활성 시에만 사용"
    always = FLAG_ROW.replace("--streaming 활성 시에만 사용", "항상 적용")
    assert not ruling_lead(reading, always).startswith("아니요")


def test_the_unit_a_table_states_answers_whether_figures_are_in_another() -> None:
    text = "2012 Financial Highlights\n사업영역별 순이익 2012년도 기준 (단위: 억원)"
    asked = "연간 보고서(Annual Report 2012)의 사업영역별 순이익 숫자는 {} 단위로 적혀 있나요?"
    assert _first_line(asked.format("백만원"), text, "annual_report.hwp").startswith("아니요")
    assert _first_line(asked.format("억원"), text, "annual_report.hwp").startswith("예")


def test_a_plain_word_for_a_pitchers_hand_is_held_by_the_formal_one() -> None:
    text = "김하성 3점홈런. 신시내티 선발투수는 우완 루크 위버."
    asked = "김하성 3점홈런 기사에서 신시내티 선발투수 루크 위버는 오른손 투수였나요?"
    assert _first_line(asked, text, "기사.hwpx").startswith("예")


def test_a_forms_user_before_a_name_of_two_words_tells_the_forms_apart() -> None:
    chunks = [Chunk(PLEDGES, 0, len(PLEDGES), "p.52", 52)]
    asked = (
        "웹기안기 제안요청서에 붙은 참여자용 보안 서약서 제1항에서 참여자는 자기 소관업무를 어떤 "
        "사항이라고 인정하나요?"
    )
    answer = extractive_answer(asked, [hit(PLEDGES, "제안요청서.pdf")], flat_idf,
                               sources=stored_text(chunks), min_coverage=0.2)  # fmt: skip
    assert "국가기밀" in answer.text.splitlines()[0], answer.text


FORMS = (
    "[서식2]\n경영 실태 (최근 3년)\n(단위 : 천원)\n구 분 D-2년 D-1년 D년\n총자산\n"
    "[서식3]\n주요사업실적(납품) (최근 3년)\n(금액 : 백만원)\n사업명 | 사업기간 | 계약금액\n"
)


def test_the_unit_under_each_named_forms_title_is_read() -> None:
    asked = (
        "웹기안기 제안서 서식 중 경영 실태(서식2)와 주요사업실적(서식3)은 금액을 각각 어떤 "
        "단위로 적게 되어 있나요?"
    )
    parts = two_facts(asked)
    assert parts[1].startswith("웹기안기 제안서 서식 중 주요사업실적(서식3)"), parts
    chunks = [Chunk(FORMS, 0, len(FORMS), "p.60", 60)]
    answer = extractive_answer(asked, [hit(FORMS, "제안요청서.pdf")], flat_idf,
                               sources=stored_text(chunks), min_coverage=0.2)  # fmt: skip
    assert answer.text.splitlines()[:2] == ["천원 [1]", "백만원 [2]"], answer.text


GRADES = (
    ("이름", "국어", "영어", "수학"),
    [("개똥이", "89", "65", "78"), ("칠득이", "77", "77", "77")],
)


def test_an_english_question_glossing_korean_names_reads_the_korean_table() -> None:
    passage, sources = table_passage(*GRADES, name="Table.hwpx", above="C반 기말고사")
    asked = (
        "In the Korean grade sheet for class C's final exam (C반 기말고사), what score did "
        "개똥이 get in Korean language (국어)?"
    )
    # as the workspace reads it the second time, with the bilingual pairs (Korean is 국어)
    answer = extractive_answer(asked, [passage], flat_idf, sources=sources,
                               equivalents=bilingual_equivalents(asked))  # fmt: skip
    assert answer.text.splitlines()[0] == "개똥이 국어: 89 [1]", answer.text


def test_a_date_that_names_no_event_asked_is_no_answer() -> None:
    text = "office2pdf 저장소 개요\n※ 저장소 지표는 2026년 7월 기준 근사치이며, 라이선스는 MIT이다."
    asked = "office2pdf 저장소에 첫 커밋이 올라온 날짜는 언제인가요?"
    answer = extractive_answer(asked, [hit(text, "office2pdf_intro.pptx")], flat_idf,
                               min_coverage=0.2)  # fmt: skip
    assert answer.abstained, answer.text
    bill = "2023년 11월 9일 이수진 의원이 대표 발의한 탄소중립기본법 일부개정법률안"
    asked = "이수진 의원의 탄소중립기본법 개정안은 공포되면 언제부터 시행되나요?"
    answer = extractive_answer(asked, [hit(bill, "검토보고서.pdf")], flat_idf, min_coverage=0.2)
    assert answer.abstained, answer.text


def test_an_article_the_rules_do_not_hold_is_not_described() -> None:
    rules = (
        "2024년 KBO 리그 규정 변경 요약사항\n제21조 [경기시간]\n제23조 [경기의 중단]\n"
        "제26조 [불공정 정보의 입수 및 관련 행위 금지]"
    )
    other = "“을”은「개인정보 보호법」제23조제2항 및 제24조제3항에 따라 안전성 확보에 필요한 조치"
    passages = [hit(rules, "kbo_규정.pdf", 1), replace(hit(other, "제안요청서.pdf", 2), doc_id=2)]
    asked = "KBO 리그 규정 제24조는 무엇에 관한 조항인가요?"
    answer = extractive_answer(asked, passages, flat_idf, min_coverage=0.2)
    assert answer.abstained, answer.text
    held = extractive_answer(asked.replace("24", "26"), passages, flat_idf, min_coverage=0.2)
    assert "불공정 정보" in held.text, held.text


def test_a_decree_named_after_a_step_does_not_date_the_step() -> None:
    # "시행령" is a decree's name, no 시행: the day it was 공포 is not when it takes effect
    decree = "실내공기질 관리법 시행령 일부개정령 | 공포 일자: 2024. 3. 5."
    asked = "환노위 회의록에 있는 실내공기질 관리법 시행령 일부개정령은 언제부터 시행되나요?"
    answer = extractive_answer(asked, [hit(decree, "회의록.pdf")], flat_idf, min_coverage=0.2)
    assert answer.abstained, answer.text
    dated = f"{decree} | 시행일: 2024. 3. 12."
    answer = extractive_answer(asked, [hit(dated, "회의록.pdf")], flat_idf, min_coverage=0.2)
    assert "2024. 3. 12." in answer.text.splitlines()[0], answer.text
