"""Reading fixed for issue 13 from heldout35's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from decimal import Decimal

from test_reader import flat_idf, hit, stored_text
from test_reader_h20 import table_passage
from test_reader_h32 import INVOICE

from dalin.answer.asked import attribute_forms, per_one_unsaid
from dalin.answer.bilingual import bilingual_equivalents
from dalin.answer.clauses import clause_text
from dalin.answer.extractive import Question, extractive_answer
from dalin.answer.intent import Asked, Operation, read_intent
from dalin.answer.list_count import _COUNTED, _nouns
from dalin.answer.operands import asked_places
from dalin.answer.polarity import rule
from dalin.answer.reader import _about_topic_only
from dalin.answer.reader_question import Candidate, Evidence, reading_for
from dalin.answer.shown_work import Operand, at_places, compute
from dalin.answer.yes_no import direction_verdict
from dalin.text.korean import tokenize
from dalin.types import Chunk, Hit


def test_a_share_is_written_to_the_decimal_places_asked() -> None:
    question = (
        "전체 질문 가운데 평가 데이터 질문이 차지하는 비율은 몇 %예요? (소수점 첫째 자리까지)"
    )
    assert asked_places(question) == 1
    assert asked_places("평균 몇 개예요? (소수점 둘째 자리까지)") == 2
    assert asked_places("소수점 첫째 자리에서 반올림하면?") == 0
    assert asked_places("rounded to two decimal places?") == 2
    assert asked_places("비율은 몇 %예요?") is None
    parts = [Operand("평가", "9,309", Decimal(9309)), Operand("합계", "102,960", Decimal(102960))]
    work = compute(Operation.SHARE, parts)
    assert work.result == "9%"  # 9.04 to one place, its zero dropped
    shown = at_places(work, 1)
    assert shown.result == "9.0%" and shown.line.endswith("× 100 = 9.0%"), shown
    assert at_places(work, 2).result == "9.04%"


def test_a_gloss_before_ro_names_what_is_asked() -> None:
    question = "모듈 인벤토리 시트를 보면 render/shapes.rs 파일은 코드가 몇 줄(LOC)로 잡혀 있어요?"
    # the document names the attribute LOC, never 코드: the line "LOC: 541" is about it
    assert "LOC" in attribute_forms(question)


def test_a_counter_before_butuh_is_the_counter() -> None:
    assert read_intent("Long 답변 그룹은 몇 자부터예요?").counter == "자"
    assert read_intent("표/리스트 유형은 대략 몇 개쯤 되나요?").counter == "개"


CONTRACT = (
    "제8조 (수탁자에 대한 관리·감독 등) ① “갑”은 “을”에 대하여 다음 각 호의 사항을\n"
    "감독할 수 있으며, “을”은 특별한 사유가 없는 한 이에 응하여야 한다. 1. 개인정보의 처리 현황\n"
    "2. 개인정보의 접근 또는 접속기록(다운로드 기록 포함) 3. 개인정보 접근 또는 접속 대상자\n"
    "4. 목적외 이용·제공 및 재위탁 금지 준수여부\n"
    "5. 암호화 등 안전성 확보조치 이행여부\n"
    "6. 그 밖에 개인정보의 보호를 위하여 필요한 사항\n"
    "② “갑”은 “을”에 대하여 제1항 각 호의 사항에 대한 실태를 점검하여 시정을 요구할 수 있다.\n"
)


def test_an_item_of_a_clause_is_read_from_its_list() -> None:
    chunks = [Chunk(CONTRACT, 0, len(CONTRACT), "¶1", None)]
    sources = stored_text(chunks)
    relevant = [(hit(CONTRACT, "제안요청서.pdf"), 1.0)]
    for item, said in ((5, "5. 암호화 등 안전성 확보조치 이행여부"),
                       (3, "3. 개인정보 접근 또는 접속 대상자")):  # fmt: skip
        question = f"위탁 계약서 제8조 제1항 제{item}호에는 뭐가 적혀 있어요?"
        reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
        found = clause_text(reading, relevant, sources)
        assert found is not None and found.lead == said, (item, found)
    question = "위탁 계약서 제8조 제1항 제9호에는 뭐가 적혀 있어요?"
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    assert clause_text(reading, relevant, sources) is None  # no 9th item: no clause instead


def test_a_measure_moving_the_other_way_answers_no() -> None:
    line = "7회말에는 3구 삼진으로 물러났다. 시즌 타율은 .222로 상승했다."
    ruled = direction_verdict("그 경기 끝나고 김하성 시즌 타율이 떨어졌나요?", line)
    assert ruled == (False, "시즌 타율은 .222로 상승했다.")
    assert direction_verdict("김하성 시즌 타율이 올랐나요?", line) is None
    assert direction_verdict("김하성 시즌 타율이 올랐나요?", "시즌 타율은 .210으로 하락했다.")
    answer = extractive_answer(
        "김하성 3점홈런 기사 보면 그 경기 끝나고 김하성 시즌 타율이 떨어졌나요?",
        [hit("김하성은 3점홈런을 쳤다. 한편 샌디에이고는 8-3으로 승리했다.", "기사.hwpx"),
         hit("김하성은 4타수 2안타로 마쳤다. 시즌 타율은 .222로 상승했다.", "기사.hwpx", 2)],
        flat_idf,
    )  # fmt: skip
    assert answer.text.startswith("아니요 — 시즌 타율은 .222로 상승했다."), answer.text


REQUIREMENTS = (
    "기능요구사항: ○ 기본 문서변환 API 제공 - 기안, 검토, 결재 등에 필요한 파일변환처리 "
    "API제공(HTML ⇆ ODT) - 최종결재 완료 시 본문파일을 PDF-A1(보안PDF)로 변환처리하는 "
    "API제공 - 문서유통을 위한 XML 전송용통합파일(중계, 연계) 변환처리하는 API제공 ※ "
    "전송용통합파일 규격은 문서유통표준규격 고시(행안부 고시) 참고 - 모바일 온나라에서 요청한 "
    "정보(검토, 결재 등) 처리 API제공 ○ 이차원바코드(시각장애인용) 솔루션 호환성 보장 - "
    "시행문 출력 시 이차원 바코드를 출력해주는 API 기능 구현(바코드 해상도 보장) ○ "
    "붙임파일(HWP, HWPX) 내 관인 날인 기능 API 제공 ○ ODT포맷을 이미지포맷(저용량)로 "
    "변환하는 API 제공"
)


def test_a_long_unmarked_sentence_affirms_by_its_clause_most_about_the_question() -> None:
    words = {"붙임파일", "관인", "날인"}
    ruling = rule(REQUIREMENTS, lambda c: sum(w in c for w in words))
    assert ruling.yes and ruling.clause == "○ 붙임파일(HWP, HWPX) 내 관인 날인 기능 API 제공"
    short = "붙임파일 내 관인 날인 기능 API 제공 - 기안 파일변환 API 제공"
    assert rule(short, lambda c: sum(w in c for w in words)).clause == short


def test_a_sum_over_the_rows_a_number_keeps() -> None:
    passage, sources = table_passage(*INVOICE, name="Invoice.pdf")
    question = "Kraxi 송장에서 수량이 1개인 품목의 금액을 합치면 몇 유로예요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources,
                               equivalents=bilingual_equivalents(question))  # fmt: skip
    # QUANTITY keeps the rows (수량), AMOUNT is summed (금액): neither is named in Korean
    first = answer.text.splitlines()[0]
    assert first.startswith("3 Giga Trash AMOUNT (€) 180.00 [1] + 6 Pretty Dark"), first
    assert first.endswith("= 255"), first


def test_the_bills_of_a_member_kiwi_reads_apart_are_counted() -> None:
    question = "의사일정에 올라온 법률안 중에 박대수 의원이 대표발의한 건 모두 몇 건이에요?"
    # "대표발의한 건 모두 몇 건": 건 is the thing counted, with no particle after it
    asked = _COUNTED.search(question)
    assert asked is not None and asked.group("phrase").endswith("박대수 의원이 대표발의한")
    # read apart, 박대수 is 박대 + 수, which no item writes
    assert {"박대수", "의원", "대표", "발의"} <= _nouns("박대수 의원이 대표발의한")


def test_the_middle_cell_of_the_bottom_row_is_read_and_the_words_of_a_place_are_no_topic() -> None:
    header = ("Header 1", "", "")
    rows = [("This is a subheader", "", ""), ("Value 1", "Value 2", "Val 3")]
    above = "Table 1. An example table with two multicolumn headers"
    passage, sources = table_passage(header, rows, name="sample_pdf_3.pdf", above=above)
    question = (
        "In the sample PDF whose Table 1 has two multicolumn headers, what is written in the"
        " middle cell of the table's bottom row?"
    )
    # the table never writes whose, written, cell, row or the possessive's s: the default
    # gate lets it through
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0] == "Value 2 [1]", answer.text
    topic = Question.parse(question).topic
    assert not {"whose", "written", "cell", "row", "s"} & set(topic), topic
    assert "s" in Question.parse("삼성 갤럭시 S8의 램은?").topic
    # four cells have no middle one
    passage, sources = table_passage(("a", "b", "c", "d"), [("1", "2", "3", "4")])
    question = "In the markitdown test table, what is in the middle cell of the bottom row?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert not answer.text.startswith(("2 [1]", "3 [1]")), answer.text


def test_a_figure_asked_of_each_one_is_not_a_total() -> None:
    line = "라. 모집인원 : 심사위원 후보 21명 (평가위원수의 3배수)"
    asked = "평가위원 추천 공문대로라면 기관 한 곳에서 후보를 최대 몇 명까지 추천할 수 있어요?"
    assert per_one_unsaid(asked, line)
    assert not per_one_unsaid(asked, "추천 인원 : 기관당 최대 3명")
    assert not per_one_unsaid("평가위원 후보는 몇 명 모집해요?", line)
    answer = extractive_answer(asked, [hit(line, "공문.hwp")], flat_idf)
    assert answer.abstained, answer.text


def test_a_cell_of_another_table_is_not_about_the_passage_that_found_its_workbook() -> None:
    found = Hit(1, 1, "/d/repo.xlsx", "repo.xlsx", "repo.xlsx · 01_개요", 1.0,
                "항목: 메인테이너 | 값: Yonghye Kwon | 근거 / 비고: 릴리스 노트 Contributors",
                0, 60, None, "", "table")  # fmt: skip
    cell = "계층: render | 파일 수: 30"
    question = "office2pdf 저장소에 코드를 기여한 사람(contributor)은 모두 몇 명이에요?"
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    elsewhere = Evidence(found, "repo.xlsx · 05_모듈", cell, 900, 925, cell)
    assert _about_topic_only(reading, Candidate(1.0, "파일 수: 30", elsewhere))
    # the row the passage holds is what it is about
    inside = Evidence(found, "repo.xlsx · 01_개요", found.text, 0, 60, found.text)
    assert not _about_topic_only(reading, Candidate(1.0, "Yonghye Kwon", inside))


def test_a_place_word_naming_another_noun_asks_no_place() -> None:
    question = "지리적 위치 가설을 소개한 한글 문서에서 그의 대표 저서 제목은 뭐라고 나와요?"
    assert read_intent(question).asked is Asked.DEFINITION
    assert read_intent("재단 주소는?").asked is Asked.PLACE
    assert read_intent("회의 장소가 어디예요?").asked is Asked.PLACE


SAMPLED = (
    "질문의 유형을 분석하기 위해서 Short 350개, Long 200개를 검증데이터에서 임의 추출하였다.\n"
    "먼저 Short의 경우 가장 많은 비율을 차지하는 유형은 구문 변형으로 48.0%를 차지하였고 그 "
    "다음으로 표/\n리스트가 27.7%를 차지하였다."
)


def test_a_count_is_read_off_a_share_of_the_whole() -> None:
    passage = hit(SAMPLED, "korquad_2.0_paper.pdf")
    asked = "KorQuAD 2.0 논문에서 뽑은 Short 질문 중에 '{}' 유형은 대략 몇 개예요?"
    answer = extractive_answer(asked.format("구문 변형"), [passage], flat_idf)
    assert answer.text.startswith("Short 350개 [1] × 구문 변형 48.0% [2] = 168개"), answer.text
    # across the PDF's line break, and rounded as asked roughly
    answer = extractive_answer(asked.format("표/리스트"), [passage], flat_idf)
    assert answer.text.splitlines()[0].endswith("= 96.95개 (약 97개)"), answer.text
    # not asked roughly: a share times a whole is no count a document states
    answer = extractive_answer("Short 질문 중에 '구문 변형' 유형은 몇 개예요?", [passage], flat_idf)
    assert "168" not in answer.text, answer.text
