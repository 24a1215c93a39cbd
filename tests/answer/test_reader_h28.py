"""Reading fixed for issue 13 from heldout28's failures, once it had been measured: what one
clause of an article says (제23조 제1항), and an article's body when the question already
quotes its heading. Each test failed before its change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_reader import flat_idf, hit, stored_text
from test_reader_h20 import table_passage

from dalin.answer.article_titles import article_title
from dalin.answer.clauses import clause_text
from dalin.answer.extractive import (
    Question,
    _writing_glossed,
    _writing_parts_named,
    extractive_answer,
    passage_tokens,
)
from dalin.answer.following import written_after
from dalin.answer.intent import Operation, read_intent
from dalin.answer.listed_figures import listed_figures
from dalin.answer.reader import _names_no_body, _numbers_asked_with, two_facts
from dalin.answer.reader_question import Sources, reading_for
from dalin.answer.shown_work import Operand, extreme_share, per_one
from dalin.answer.table_operands import _names_total
from dalin.errors import CalculationError
from dalin.text.korean import tokenize
from dalin.types import Chunk

#: the KBO rules (autorag_kbo_table_text.pdf): a bare heading line, clauses "1." on lines
KBO = (
    "제22조 경기시간 제한\n서스펜디드 경기로 한다.\n"
    "제23조 심판위원, 기록위원의 사고발생으로 인한 임시조치\n"
    "1. 출장 예정 심판위원의 일부 또는 전원이 사고로 인하여 경기에\n"
    "출장하지 못하거나 정시에 도착하지 못하는 사태가 발생하였을 때에는 대기심판이 맡는다.\n"
    "2. 기록위원이 사고로 출장하지 못하면 홈구단이 대신할 기록원을 정한다.\n"
    "제24조 경기의 중지\n"
)
#: the model outsourcing contract (odl_제안요청서_온나라웹기안기_230524.pdf): the PDF's text
#: runs articles and circled clauses on after the sentence before them
CONTRACT = (
    "7일 이전에 “갑”에게 통보하고 협의하여야 한다. 제6조 (개인정보의 안전성 확보조치) “을”은"
    "「개인정보 보호법」에 따라\n필요한 기술적․관리적 조치를 취하여야 한다.\n"
    "제7조 (개인정보의 처리제한) ① “을”은 개인정보를 제3자에게 제공하여서는 안 된다. "
    "② “을”은 계약이 만료된 경우 개인정보를 즉시 파기하여야 한다.\n"
    "③ 제2항에 따라 파기한 경우 지체없이 “갑”에게 그 결과를 통보하여야 한다. "
    "제8조 (수탁자에 대한 관리·감독 등) ① “갑”은 다음 각 호의 사항을\n"
    "감독할 수 있다. 1. 개인정보의 처리 현황\n2. 개인정보의 접근 기록\n"
    "제11조 (손해배상) ① “을”은 그 손해를 배상하여야 한다. ② “갑”이 손해를 배상한 때에는 "
    "“갑”은 이를 “을”에게 구상할 수 있다. 본 계약의 내용을 증명하기 위하여 계약서 2부를 작성한다."
)


def _sources(text: str) -> Sources:
    half = text.find("\n", len(text) // 2) + 1 or len(text)  # two stored passages, if it may
    chunks = [Chunk(text[:half], 0, half, "p.1", 1), Chunk(text[half:], half, len(text), "p.2", 2)]
    return stored_text(chunks)


def _clause(question: str, text: str) -> str | None:
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    found = clause_text(reading, [(hit(text, "규정.pdf"), 1.0)], _sources(text))
    return found.lead if found else None


def test_a_named_clause_is_answered_by_its_text_not_the_article_heading() -> None:
    question = "KBO 리그 규정 제23조 제1항은 출장 예정 심판위원에게 어떤 일이 생긴 경우를 다루나요?"
    # search found the heading; the reader used to quote it, the line most like the question
    passage = hit(KBO[: KBO.index("1. 출장")], "KBO규정.pdf")
    answer = extractive_answer(question, [passage], flat_idf, sources=_sources(KBO))
    assert answer.text.startswith("1. 출장 예정 심판위원의"), answer.text
    assert "정시에 도착하지 못하는" in answer.text.splitlines()[0]
    (cited,) = answer.citations
    assert KBO[cited.start : cited.end] == cited.quote
    assert _clause("KBO 규정 제23조 2항은 무엇을 정하나요?", KBO) == (
        "2. 기록위원이 사고로 출장하지 못하면 홈구단이 대신할 기록원을 정한다."
    )


def test_clauses_run_on_in_a_pdf_are_found_by_their_circled_numbers() -> None:
    assert _clause("계약서 제7조 제3항은 무엇을 정하나요?", CONTRACT) == (
        "③ 제2항에 따라 파기한 경우 지체없이 “갑”에게 그 결과를 통보하여야 한다."
    )
    # the items 1., 2. belong to clause ①; the next article ends it
    first = _clause("계약서 제8조 제1항은 무엇을 정하나요?", CONTRACT)
    assert first is not None and first.startswith("① “갑”은") and first.endswith("접근 기록")
    # the article written as one paragraph has only a first clause: its body
    assert _clause("계약서 제6조 제1항은 무엇을 정하나요?", CONTRACT) == (
        "“을”은「개인정보 보호법」에 따라 필요한 기술적․관리적 조치를 취하여야 한다."
    )


def test_the_last_clause_stops_before_the_contracts_closing_words() -> None:
    assert _clause("계약서 제11조 제2항은 무엇을 정하나요?", CONTRACT) == (
        "② “갑”이 손해를 배상한 때에는 “갑”은 이를 “을”에게 구상할 수 있다."
    )
    proviso = "제3조 (기간) 계약기간은 1년으로 한다. 다만, 갑과 을이 합의하면 연장한다. 부칙"
    assert _clause("제3조 제1항은 무엇을 정하나요?", proviso) == (
        "계약기간은 1년으로 한다. 다만, 갑과 을이 합의하면 연장한다."
    )


def test_no_clause_is_read_when_none_is_named_or_the_document_has_none() -> None:
    assert _clause("KBO 규정 제23조는 무엇을 정하나요?", KBO) is None  # the whole article
    assert _clause("KBO 규정 제23조 제3항은 무엇을 정하나요?", KBO) is None  # no third
    # a sub-item (목) asks for less than the clause; an item (호) is read since heldout35
    assert _clause("계약서 제8조 제1항 제2호 가목은 무엇인가요?", CONTRACT) is None
    # a reference inside a sentence is no heading
    assert _clause("제2조 제1항은 무엇을 정하나요?", "이 법 제2조 제1항에 따른다.\n1. 없음") is None


def test_a_question_quoting_the_heading_is_not_answered_by_it() -> None:
    question = "계약서 제6조(개인정보의 안전성 확보조치)는 을에게 어떤 조치를 취하라고 정하나요?"
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    assert article_title(reading, [(hit(CONTRACT, "계약서.pdf"), 1.0)]) is None
    bare = "계약서 제6조는 어떤 조치를 정하나요?"
    reading = reading_for(bare, tokenize(bare), flat_idf, (), "ko")
    titled = article_title(reading, [(hit(CONTRACT, "계약서.pdf"), 1.0)])
    assert titled is not None and titled.lead == "제6조(개인정보의 안전성 확보조치)"


def test_an_average_per_one_thing_divides_by_that_thing() -> None:
    intent = read_intent("평가 데이터는 문서 한 개당 평균 몇 개의 질문이 있나요?")
    assert (intent.operation, intent.per, intent.counter) == (Operation.AVERAGE, "문서", "개")
    assert read_intent("문단 하나당 질의응답 쌍은 평균 몇 개인가요?").per == "문단"
    # "개당", "1인당" name no thing a value is labelled with; no 평균, no average per one
    assert read_intent("평균 개당 가격은 얼마인가요?").per == ""
    assert read_intent("문서 한 개당 질문은 몇 개인가요?").per == ""
    passage, sources = table_passage(
        ["구분", "학습", "검증", "평가"],
        [["문서", "38,496", "4,625", "4,725"], ["질문", "83,486", "10,165", "9,309"]],
        name="KorQuAD_2.0_paper.pdf",
        above="[표 1] KorQuAD 2.0 데이터 통계",
    )
    question = "KorQuAD 2.0 표 1에서 평가 데이터는 문서 한 개당 평균 몇 개의 질문이 있나요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    first = answer.text.splitlines()[0]
    assert first.startswith("질문 평가 9,309 [2] ÷ 문서 평가 4,725 [1] = 1.97개"), answer.text


def test_an_average_per_one_thing_reads_counts_written_before_what_they_count() -> None:
    text = (
        "KorQuAD 1.0의 전체 데이터는 1,560 개의 Wikipedia article에 대해 10,645 건의 문단과 "
        "66,181 개의 질의응답 쌍으로, Training set 60,407 개, Dev set 5,774 개의 "
        "질의응답쌍으로 구분하였습니다."
    )
    question = "KorQuAD 1.0 전체 데이터에서 문단 하나당 질의응답 쌍은 평균 몇 개인가요?"
    answer = extractive_answer(question, [hit(text, "korquad_1.0_KOR.html")], flat_idf)
    assert answer.text.startswith("질의응답 66,181 개 [1] ÷ 문단 10,645 건 [1] = 6.22개"), (
        answer.text
    )


def test_per_one_needs_one_value_labelled_with_the_thing() -> None:
    documents, questions = (
        Operand("문서", "4,725", Decimal(4725)),
        Operand("질문", "9,309", Decimal(9309), source=1),
    )
    assert per_one([documents, questions], "문서", "개").result == "1.97개"
    with pytest.raises(CalculationError):
        per_one([questions, questions], "문서")
    with pytest.raises(CalculationError):
        per_one([documents, Operand("문서 검증", "0", Decimal(0))], "문서")


def test_two_things_of_the_same_shape_are_asked_each_whole() -> None:
    question = "항목표에서 '도시철도노선명' 항목의 예시와 '역사명' 항목의 예시는 각각 무엇인가요?"
    assert two_facts(question) == [
        "항목표에서 '도시철도노선명' 항목의 예시는 무엇인가요?",
        "항목표에서 '역사명' 항목의 예시는 무엇인가요?",
    ]
    # one thing of two topics is still split at its shared attribute
    assert two_facts("7월 토요일 경기와 일요일 경기의 개시 시간은?") == [
        "7월 토요일 경기의 개시 시간은?",
        "7월 일요일 경기의 개시 시간은?",
    ]


def test_a_subtotal_the_question_names_is_an_operand() -> None:
    passage, sources = table_passage(
        ["", "Hours", "Rate", "Cost"],
        [
            ["Labor", "3", "90", "270"],
            ["Parts", "", "", "2,460"],
            ["Subtotal", "", "", "2,730"],
            ["Sales Tax", "", "10.20%", "278.46"],
            ["GRAND TOTAL", "", "", "5,738"],
        ],
        name="REPAIR-2022-INV-001.pdf",
        above="Zava repair estimate for Gabriel Diaz",
    )
    question = "Gabriel Diaz 견적서에서 소계(Subtotal)에 판매세(Sales Tax)를 더하면 얼마가 되나요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert "= 3,008.46" in answer.text.splitlines()[0], answer.text
    # a 합계 the question names is the sum it asks ("합계 인원"), not a thing to add
    assert _names_total("소계(Subtotal)에 판매세를 더하면", "Subtotal")
    assert not _names_total("서울과 부산의 합계 인원을 더하면", "합계")
    assert not _names_total("판매세를 더하면", "소계")


FIELDS = "테스트 누름틀 ABCD 1234567\n\n테이블안\n\n누름틀은 여러줄 문자열1\n"


def _after(question: str, text: str = FIELDS) -> str | None:
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    found = written_after(reading, [(hit(text, "누름틀.hwp"), 1.0)])
    return found.lead if found else None


def test_what_is_written_after_a_quoted_phrase_is_read_by_the_kind_named() -> None:
    question = "한글 파일 첫 줄에서 '테스트 누름틀' 뒤에 적힌 영문자와 숫자는 각각 무엇인가요?"
    # a passage that holds the question's words, for the relevance gate with flat weights
    text = FIELDS + "누름틀 뒤에 영문자와 숫자를 적은 한글 파일의 첫 줄\n"
    answer = extractive_answer(question, [hit(text, "누름틀.hwp")], flat_idf)
    assert answer.text.splitlines()[:2] == ["ABCD [1]", "1234567 [1]"], answer.text
    assert answer.citations[0].quote == "테스트 누름틀 ABCD 1234567"
    assert _after("'테스트 누름틀' 다음에 나오는 숫자는?") == "1234567"
    assert _after("“테스트 누름틀” 뒤에 적힌 말은 무엇인가요?") == "ABCD 1234567"


def test_nothing_is_read_after_a_phrase_not_written_or_not_quoted() -> None:
    assert _after("'시험 누름틀' 뒤에 적힌 영문자는?") is None  # not in the passage
    assert _after("테스트 누름틀 뒤에 적힌 영문자는?") is None  # no quoted phrase
    assert _after("'테이블안' 뒤에 적힌 숫자는?") is None  # nothing after it on its line


#: the table-position test file (pyhwp_table-position.hwp): each table's caption
POSITIONS = (
    "표 5 여백 10mm, 종이 왼쪽부터 35mm\n표 9 여백 10mm, 종이 오른쪽부터 35mm\n"
    "표 12 여백 10mm, 쪽 가운데로부터 5mm\n\n표 13 여백 10mm, 종이 가운데로부터 5mm\n"
)


def _position_sources() -> Sources:
    cut = POSITIONS.index("표 12")
    chunks = [Chunk(POSITIONS[:cut], 0, cut, "p.1", 1),
              Chunk(POSITIONS[cut:], cut, len(POSITIONS), "p.2", 2)]  # fmt: skip
    return stored_text(chunks)


def test_a_quoted_things_measure_is_checked_anywhere_in_the_document() -> None:
    # search found 표 5 … 표 9, each 35mm away; the quoted 종이 가운데로부터 is 표 13's
    passage = hit(POSITIONS[: POSITIONS.index("표 12")], "table-position.hwp")
    question = (
        "표 위치 한글 파일에서 '종이 가운데로부터' 배치된 표도 종이 왼쪽 표처럼 35mm 떨어져 있나요?"
    )
    answer = extractive_answer(question, [passage], flat_idf, sources=_position_sources())
    assert answer.text.splitlines()[0] == "아니요 — 종이 가운데로부터 5mm [1]", answer.text
    (cited,) = answer.citations
    assert cited.quote == "표 13 여백 10mm, 종이 가운데로부터 5mm"
    assert POSITIONS[cited.start : cited.end] == cited.quote
    question = "표 위치 한글 파일에서 '종이 왼쪽부터' 배치된 표는 35mm 떨어져 있나요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=_position_sources())
    assert answer.text.splitlines()[0] == "예 — 종이 왼쪽부터 35mm [1]", answer.text


def test_a_table_the_document_does_not_number_is_not_answered_from_another() -> None:
    passage = hit(POSITIONS[: POSITIONS.index("표 12")], "table-position.hwp")
    question = "표 위치 한글 파일에서 표 14는 종이 어디에서 몇 mm 떨어져 있나요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=_position_sources())
    assert answer.abstained, answer.text
    named = _writing_parts_named("표 13은 몇 mm?", [(passage, 1.0)], _position_sources())
    assert named == [(passage, 1.0)]  # 표 13 is in the document, not in the passage found
    # "Table 2" names the 표 2 a Korean document writes; with no stored passages, no check
    assert _writing_parts_named("Table 5 margin?", [(passage, 1.0)], _position_sources())
    assert _writing_parts_named("표 14는?", [(passage, 1.0)], Sources()) == [(passage, 1.0)]


def test_a_hwp_file_is_a_hangul_file_and_a_docx_a_word_file() -> None:
    question = Question.parse("샘플 워드 문서와 한글 파일")
    assert "한글" in passage_tokens(question, hit("본문", "보고서.hwp"))
    assert "워드" in passage_tokens(question, hit("본문", "sample.docx"))
    assert "한글" not in passage_tokens(question, hit("본문", "보고서.pdf"))


def test_a_count_is_not_the_large_number_the_question_counts_within() -> None:
    question = "평가 데이터 9,309개 질문 가운데 Long 답변 질문은 몇 개인가요?"
    assert _numbers_asked_with("질문 평가: 9,309", question)
    assert not _numbers_asked_with("Long: 1,657", question)
    # a small number may be both what the question names and what it asks
    assert not _numbers_asked_with("로펌: 2", "제2기 위원 가운데 로펌 출신은 몇 명인가요?")
    table = table_passage(
        ["구분", "학습", "검증", "평가"],
        [["문서", "38,496", "4,625", "4,725"], ["질문", "83,486", "10,165", "9,309"]],
        name="KorQuAD_2.0_paper.pdf",
        above="[표 1] KorQuAD 2.0 데이터 통계: 평가 데이터 질문 가운데 Long 답변",
    )
    answer = extractive_answer(question, [table[0]], flat_idf, sources=table[1])
    assert "9,309" not in answer.text.splitlines()[0], answer.text


def test_a_stated_number_is_checked_against_the_value_of_what_it_is_said_to_be() -> None:
    passage, sources = table_passage(
        ["모델", "평가 데이터 EM", "평가 데이터 F1"],
        [["Baseline", "30.2", "46.0"], ["Human", "68.8", "83.9"]],
        name="KorQuAD_2.0_paper.pdf",
        above="[표 3] KorQuAD 2.0에 대한 성능 비교: 사람의 F1 점수",
    )
    question = (
        "사람의 F1 점수 85.7%가 성능 비교표(표 3)의 Human 평가 데이터 F1 값과 같은 숫자인가요?"
    )
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.startswith("아니요 — Human 평가 데이터 F1: 83.9"), answer.text
    question = "사람의 F1 점수 83.9가 성능 비교표(표 3)의 Human 평가 데이터 F1 값과 같나요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.startswith("예 — Human 평가 데이터 F1: 83.9"), answer.text


#: the KBO rules' 제21조 excerpt: regular-season start times only
SEASON = (
    "제21조 경기개시 시간\n3, 4, 5, 9, 10월의 평일 경기는 18:30에 시작한다.\n"
    "홈구단이 요청할 경우 금요일에 한해 경기개시 시간을 19:00로 변경 가능함\n"
)


def test_a_term_named_twice_must_be_written_by_the_document_answering() -> None:
    sources = Sources(passages=lambda d: [Chunk(SEASON, 0, len(SEASON), "p.1", 1)])
    passage = hit(SEASON, "KBO규정.pdf")
    question = "KBO 규정 제21조에 따르면 포스트시즌(한국시리즈) 경기는 몇 시에 경기개시 하나요?"
    assert _writing_glossed(question, [(passage, 1.0)], sources) == []
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.abstained, answer.text
    # either name will do, and a name of no word to look for ("-j") is taken as written
    held = [(passage, 1.0)]
    assert _writing_glossed("정규시즌(금요일) 경기는 몇 시?", held, sources) == held
    assert _writing_glossed("병렬 개수(-j 옵션)는?", held, sources) == []  # 옵션 is not written
    assert _writing_glossed("경기개시(-j) 시간은?", held, sources) == held
    # an English question's terms are checked in translation, not here
    assert _writing_glossed("How many private (non-government) members?", held, sources) == held


def test_which_body_something_belongs_to_is_answered_only_by_naming_one() -> None:
    question = "김승완 교수는 어느 대학 소속인가요?"
    assert _names_no_body(question, "· 청년 1명(김승완 교수) 현황: · 30대(2명), 40대(4명)")
    assert not _names_no_body(question, "김승완 (서울대 교수)")
    assert not _names_no_body(question, "Professor at Seoul National University")
    assert _names_no_body("보험 청구 건은 어느 보험회사 건인가요?", "Insured name Gabriel Diaz")
    assert not _names_no_body("Jane Doe는 어느 회사 소속?", "Jane Doe, Contoso Inc.")
    assert not _names_no_body("무엇을 하는 회사인가요?", "수리를 합니다")  # no 어느 회사
    passage = hit(
        "제2기 탄소중립위원회 위원 구성\n구분 | 현황\n청년 | 청년 1명(김승완 교수)\n",
        "검토보고서.pdf",
    )
    answer = extractive_answer(
        "제2기 탄소중립위원회 청년 위원 김승완 교수는 어느 대학 소속인가요?", [passage], flat_idf
    )
    assert answer.abstained, answer.text


#: the annual report template (hwprs_annual_report.hwp): chart figures one to a line
FIGURES = (
    "2012 Financial Highlights\n\n사업영역별 순이익 2012년도 기준 (단위: 억원)\n\n844\n\n4,467\n\n"
    "6,323\n\n1,504\n\n내용을 입력하세요. 나눔명조 R, 18pt\n"
)


def test_figures_listed_bare_under_their_heading_are_operands() -> None:
    passage = hit(FIGURES, "annual_report.hwp")
    question = "연간 보고서 2012 사업영역별 순이익을 모두 더하면 몇 억원인가요?"
    answer = extractive_answer(question, [passage], flat_idf)
    first = answer.text.splitlines()[0]
    assert first.startswith("844 [1] + 4,467 [1] + ") and first.endswith("= 13,138억원"), first
    (cited,) = answer.citations
    assert cited.quote.startswith("사업영역별 순이익") and cited.quote.endswith("1,504")
    question = "연간 보고서 2012 사업영역별 순이익에서 가장 큰 값과 가장 작은 값의 차이는?"
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    found = listed_figures(reading, [(passage, 1.0)])
    assert found is not None
    # each figure as its quote writes it; the heading's unit is the operands' and the result's
    assert [(o.text, o.unit) for o in found.operands] == [("6,323", "억원"), ("844", "억원")]
    # a share of the largest in the total takes every figure; a share alone takes none
    question = "연간 보고서 2012 사업영역별 순이익에서 가장 큰 값은 네 값 합계의 몇 %?"
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    found = listed_figures(reading, [(passage, 1.0)])
    assert found is not None and len(found.operands) == 4
    question = "연간 보고서 2012 사업영역별 순이익에서 가장 큰 값은 몇 %인가요?"
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    assert listed_figures(reading, [(passage, 1.0)]) is None


def test_an_extremes_share_of_the_total_shows_every_term() -> None:
    figures = [Operand("", f"{n}억원", Decimal(n), "억원") for n in (844, 4467, 6323, 1504)]
    work = extreme_share(Operation.MAX, figures)
    assert work.result == "48.1%"
    assert work.line.startswith("6323억원 {2} ÷ (844억원 {0} + ")
    assert extreme_share(Operation.MIN, figures).result == "6.4%"
    with pytest.raises(CalculationError):
        extreme_share(Operation.MAX, figures[:1])
