"""Reading fixed for issue 13 from heldout20's failures, once it had been measured: a row
field that states what is asked rules when the row's marked fields write none of it, a
format field rules out a format it does not list, a measure proposed in a unit is held
against the value the row writes in that unit, "A와 B에서 각각" asks two things and no sum,
and a time asked for an end is not a start time. Each test failed before its change."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from test_reader import flat_idf, hit, read_of

from dalin.answer.evidence import passage_units
from dalin.answer.extractive import Question, extractive_answer, passage_tokens
from dalin.answer.intent import Asked, Operation, read_intent
from dalin.answer.polarity import rule
from dalin.answer.reader import _end_unwritten, _naming_whole, two_facts
from dalin.answer.reader_question import (
    Candidate,
    Sources,
    counted_thing,
    focus_words,
    main_clause,
    reading_for,
    unit_evidence,
)
from dalin.answer.table_operands import _whole_column_asked
from dalin.answer.yes_no import _NOT_DONE, format_verdict, other_measure, status_verdict
from dalin.ingest.document import DocumentBuilder
from dalin.text.korean import tokenize
from dalin.types import Hit, StoredTable

_FLAG_ROW = (
    "구분: 전역 플래그 | 플래그 / 커맨드: --pdf-ua | 값 형식: 플래그 | 적용 포맷: 전체 | "
    "설명: PDF/UA-1 보편적 접근성 준수 출력(--tagged 함의) | README 문서화: 미기재 | "
    "비고: README CLI Options 표에 없음"
)


def _relevance(question: str) -> Callable[[str], float]:
    asked = set(tokenize(question))
    return lambda clause: len(asked & set(tokenize(clause))) / max(1, len(asked))


def test_a_field_stating_what_is_asked_rules_over_unrelated_marked_fields() -> None:
    question = "office2pdf에서 --pdf-ua 옵션만 주면 태그 PDF(--tagged)도 함께 적용되나요?"
    ruling = rule(_FLAG_ROW, _relevance(question))
    assert ruling.yes and "--tagged 함의" in ruling.clause
    # a state field rules on the whole row, however few words it shares
    feature = (
        "ID: F-057 | 대상 포맷: XLSX | 기능 영역: 피벗 테이블 | 구현 상태: 미지원 | "
        "근거: 전용 처리 모듈 없음"
    )
    assert not rule(feature, _relevance("office2pdf로 엑셀 피벗 테이블도 변환되나요?")).yes
    # one relevant field only names the row: its marked fields still rule
    assert not rule("기능: 피벗 테이블 | 비고: 렌더 불가", _relevance("피벗 테이블 되나요?")).yes


def test_only_a_state_of_the_asked_kind_is_a_state_of_the_work() -> None:
    question = "--pdf-ua 옵션을 주면 --tagged도 적용되나요?"
    assert status_verdict(question, "README 문서화: 미기재") is None
    assert status_verdict(question, "상태: 미적용") == (False, "상태: 미적용")
    assert _NOT_DONE.fullmatch("미구현") and not _NOT_DONE.fullmatch("미분류")


def test_a_format_field_rules_out_a_format_it_does_not_list() -> None:
    row = "플래그 / 커맨드: --streaming | 적용 포맷: XLSX | 설명: 행 청크 단위로 처리"
    question = "office2pdf의 --streaming 옵션을 파워포인트 파일 변환에도 쓸 수 있나요?"
    assert format_verdict(question, row) == (False, "적용 포맷: XLSX")
    assert format_verdict(question.replace("파워포인트", "엑셀"), row) is None
    assert format_verdict(question, row.replace("XLSX", "전체")) is None
    # the format converted to is not the one asked about
    assert format_verdict("--streaming으로 PDF로 변환할 수 있나요?", row) is None
    # a CI runner is a list of operating systems
    job = "잡 ID: fmt | 표시명: Format | 러너: ubuntu-latest | 목적: cargo fmt --check"
    asked = "fmt 잡도 윈도우랑 맥OS에서 같이 돌아가나요?"
    assert format_verdict(asked, job) == (False, "러너: ubuntu-latest")
    assert format_verdict("fmt 잡은 우분투에서 돌아가나요?", job) is None
    assert format_verdict(asked, job.replace("ubuntu-latest", "3중 OS 매트릭스")) is None


def test_a_measure_proposed_is_held_against_the_one_written_in_its_unit() -> None:
    caption = "표 5 여백 10mm, 종이 왼쪽부터 35mm"
    question = "표 5는 종이 왼쪽에서 5mm 떨어진 곳에 놓여 있나요?"
    assert other_measure(question, caption) == "종이 왼쪽부터 35mm"
    assert other_measure(question.replace("5mm", "35mm"), caption) is None
    assert other_measure("표 5는 종이 왼쪽에서 5mm 이상 떨어져 있나요?", caption) is None
    assert other_measure("표 5는 종이 왼쪽에 있나요?", caption) is None


def test_two_things_each_at_a_place_are_two_questions_and_no_sum() -> None:
    question = "기계학습 모델의 F1 합계 점수는 Long 답변과 Short 답변에서 각각 얼마였어요?"
    assert two_facts(question) == [
        "기계학습 모델의 F1 합계 점수는 Long 답변에서 얼마였어요?",
        "기계학습 모델의 F1 합계 점수는 Short 답변에서 얼마였어요?",
    ]
    assert read_intent(question).operation is None
    assert read_intent("A팀과 B팀은 각각 몇 명이고, 합치면 몇 명인가요?").operation is Operation.SUM
    assert read_intent("F1 합계 점수는 얼마였어요?").operation is Operation.SUM


def test_a_time_asked_for_an_end_is_not_a_start_time() -> None:
    question = "논산 피크닉 데이 용역 제안서 심사는 몇 시에 끝날 예정인가요?"
    reading = reading_for(question, tokenize(question), {}, (), "ko")
    assert _end_unwritten(reading, "심사일정: 2024. 8. 13.(화) 14:00, 논산아트센터 2층")
    assert not _end_unwritten(reading, "심사일정: 2024. 8. 13.(화) 14:00~16:00")
    assert not _end_unwritten(reading, "심사 종료: 16:00")
    started = "심사는 몇 시에 시작하나요?"
    assert not _end_unwritten(reading_for(started, tokenize(started), {}, (), "ko"), "14:00")


def table_passage(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    name: str = "markitdown_test.xlsx",
    above: str = "",
    sheet: str = "",
) -> tuple[Hit, Sources]:
    """A document holding one table (under the line ``above``, or on ``sheet``) as one
    passage, with the stored table and text the reader consults."""
    builder = DocumentBuilder(name)
    if above:
        builder.paragraph(above)
    if sheet:
        builder.table(header, rows, sheet=sheet, header_row=1)
    else:
        builder.table(header, rows)
    return built_passage(builder, label=sheet or name)


def built_passage(builder: DocumentBuilder, *, label: str = "") -> tuple[Hit, Sources]:
    """A built document as one passage, with its stored tables and text for the reader."""
    doc = builder.build()
    stored = []
    for index, block in enumerate(doc.tables):
        assert block.table is not None
        stored.append(StoredTable(1, index, block.table, 1, block.start, block.end))
    name = doc.name
    passage = Hit(1, 1, f"/d/{name}", name, label, 1.0, doc.text, 0, len(doc.text))
    return passage, Sources(
        tables=lambda doc_id: stored, read=read_of(doc.text), text_at=read_of(doc.text)
    )


def _sheet(header: Sequence[str], rows: Sequence[Sequence[str]]) -> tuple[Hit, Sources]:
    return table_passage(header, rows, sheet="09060124-b5e7")


GREEK = (
    ("Alpha", "Beta", "Gamma", "Delta"),
    [("58", "6ff4173b", "22", "9"), ("49", "93", "6", "38"), ("89", "82", "100", "12")],
)
COLUMNS = (("ColA", "ColB", "ColC"), [("1", "2", "3"), ("5", "6", "7"), ("9", "10", "11")])


def test_an_english_question_picks_the_row_by_the_value_it_states() -> None:
    passage, sources = _sheet(*GREEK)
    question = (
        "In the markitdown test spreadsheet, what is the Delta value in the row where Alpha is 49?"
    )
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0].startswith("Alpha 49 Delta: 38"), answer.text
    # "where" after a noun picks a row; a question opening with it asks a place
    assert read_intent(question).asked is not Asked.PLACE
    assert read_intent("Where is the Kraxi office?").asked is Asked.PLACE


def test_a_sum_of_a_column_named_whole_adds_its_every_value() -> None:
    passage, sources = _sheet(*COLUMNS)
    question = "In the markitdown test spreadsheet, what do the ColB values add up to?"
    assert read_intent(question).operation is Operation.SUM
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0].endswith("= 18"), answer.text
    korean = extractive_answer(
        "ColB 열을 모두 더하면 얼마예요?", [passage], flat_idf, sources=sources
    )
    assert korean.text.splitlines()[0].endswith("= 18"), korean.text
    # no row and no whole column asked: no sum of a column picked at random
    assert not _whole_column_asked("ColB와 ColC를 더하면 얼마예요?", "ColB")


def test_an_english_question_names_a_spreadsheet_by_its_kind() -> None:
    passage, _ = _sheet(*COLUMNS)
    asked = Question.parse(
        "In the test spreadsheet, what do the ColB values on the second sheet add up to?"
    )
    assert {"spreadsheet", "sheet"} <= passage_tokens(asked, passage)
    assert not {"add", "up"} & set(asked.topic)


def test_an_opening_phrase_saying_where_to_look_is_not_what_is_asked() -> None:
    question = (
        "According to the Korean review report on the carbon neutrality bill, how many "
        "private (non-government) members sit on the Gangwon regional committee?"
    )
    assert counted_thing(question) == "private"
    assert main_clause("In the test spreadsheet, what is the Delta value?") == (
        "what is the Delta value?"
    )
    words = tokenize("In the test spreadsheet, what is the Delta value in the row?")
    assert "spreadsheet" not in focus_words(
        "In the test spreadsheet, what is the Delta value?", words
    )


def test_an_article_whose_title_writes_the_name_asked_whole_wins() -> None:
    text = (
        "1)｢탄소중립‧녹색성장 기본법｣ 제15조(2050 탄소중립녹색성장위원회의 설치)\n\n"
        "제22조(2050 지방탄소중립녹색성장위원회의 구성 및 운영 등)"
    )
    national, local = (
        Candidate(score, lead, unit_evidence(u))
        for score, lead, u in zip(
            (1.7, 1.5), ("제15조", "제22조"), passage_units(hit(text, "보고서.pdf")), strict=True
        )
    )
    question = (
        "지방자치단체마다 2050 지방탄소중립녹색성장위원회를 둘 수 있다고 정한 건 몇 조인가요?"
    )
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    assert _naming_whole(reading, [national, local], national)[1] is local
    # no title writes it: the candidates stand
    other = "수탁자의 개인정보처리위탁 업무 범위를 정한 조항은 몇 조예요?"
    reading = reading_for(other, tokenize(other), flat_idf, (), "ko")
    assert _naming_whole(reading, [national, local], national)[1] is national


def test_a_rank_the_question_writes_names_the_row_of_that_rank() -> None:
    passage, sources = _sheet(
        ("Rank", "Model", "EM", "F1"),
        [("-", "Human Performance", "80.17", "91.20"), ("1", "EXAONE-LM", "89.71", "96.23"),
         ("2", "MoBERT-Large", "89.05", "95.92")],
    )  # fmt: skip
    question = "1위 모델의 EM 점수는 Human Performance EM보다 몇 점 높아요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0].endswith("= 9.54점"), answer.text


DECISIONS = (
    "3월 29일 의견제시기간을 소관위원회의 심사\n의결일 전일까지로 정하여 회부됨\n"
    "◯결정서 송부구 산업재해보상보험법 제37조 제1항 등 위헌\n소원\n(2024. 1. 25. 선고)\n"
    "2월 5일 헌법재판소장으로부터 헌법소원심판\n결정 통지가 있어 송부됨\n"
    "최저임금법 제8조 제1항 등 위헌확인\n(이상 2건 2024. 2. 28. 선고)\n"
    "3월 7일 헌법재판소장으로부터 위 2건에 대한\n헌법소원심판결정 통지가 있어 송부됨"
)


def test_a_bracketed_date_is_the_date_of_the_item_written_above_it() -> None:
    question = (
        "구 산업재해보상보험법 제37조 제1항 등 위헌소원은 선고되고 며칠 뒤에 "
        "헌법재판소장의 결정 통지가 왔나요?"
    )
    answer = extractive_answer(question, [hit(DECISIONS, "회의록.pdf")], flat_idf)
    assert answer.text.splitlines()[0].endswith("= 11일"), answer.text


def test_the_row_of_the_flag_asked_rules_on_the_format_it_applies_to() -> None:
    text = (
        "대용량 통합문서 --sheets 플래그로 필요한 시트만 지정하면 변환 시간을 줄일 수 있다.\n\n"
        "플래그: --sheets <NAMES> | 설명: 변환 대상 시트 필터 (쉼표 구분) | 적용 범위: XLSX\n"
        "플래그: --slides <RANGE> | 설명: 변환 대상 슬라이드 범위 | 적용 범위: PPTX"
    )
    question = "office2pdf의 --sheets 옵션을 파워포인트(PPTX) 파일 변환에도 쓸 수 있나요?"
    answer = extractive_answer(question, [hit(text, "office2pdf_introduction_ko.pptx")], flat_idf)
    assert answer.text.startswith("아니요 — 적용 범위: XLSX"), answer.text


def test_a_bracketed_phone_or_email_below_a_line_is_read_with_it() -> None:
    text = (
        "○ 문의처 및 자료열람 요청 : 한국지역정보개발원 문서정보부 이은혁\n"
        "(02-2031-9464, leh4321@klid.or.kr)\n"
        "※ 제안요청서에 대한 의문사항은 반드시 전화 또는 방문하여 질의하며"
    )
    units = passage_units(hit(text, "제안요청서.pdf"))
    assert any("이은혁" in u.display and "leh4321@klid.or.kr" in u.display for u in units)
    # a bracketed aside with no contact in it stays its own line
    aside = "○ 제출서류 : 입찰공고서에 따름\n(기획재정부 계약예규 제5조의 3)\n"
    assert not any("따름" in u.display and "예규" in u.display
                   for u in passage_units(hit(aside, "제안요청서.pdf")))  # fmt: skip


def test_a_difference_of_two_shares_labelled_by_their_heads() -> None:
    text = (
        "고용노동부에 따르면 2023년 300인 이상 기업에서 직접 고용하고 있는 소속 노동자 중 "
        "기간의 정함이 없는 노동자는 74.3%, 기간제노동자는 25.7% 약 4분의 1을 차지합니다."
    )
    question = "직접고용 노동자 중 기간의 정함이 없는 노동자 비율은 기간제 비율보다 몇 %p 높아요?"
    assert read_intent(question).asked is Asked.PERCENT  # 몇 %p asks a share, not a 기간
    answer = extractive_answer(question, [hit(text, "회의록.pdf")], flat_idf)
    assert answer.text.splitlines()[0].endswith("= 48.6%p"), answer.text  # points apart


def test_the_highest_and_the_lowest_of_a_column_are_how_far_apart() -> None:
    passage, sources = table_passage(
        ("이름", "국어", "영어"),
        [("개똥이", "89", "65"), ("칠득이", "70", "77"), ("팔푼이", "88", "88"), ("합계", "", "")],
        name="성적표.hwpx",
        above="C반 기말고사 학생 점수",
    )
    question = "C반 기말고사에서 영어 점수가 제일 높은 학생이랑 제일 낮은 학생은 몇 점 차이 나요?"
    assert read_intent(question).operation is Operation.DIFFERENCE
    assert read_intent("영어 점수가 제일 높은 학생은 누구예요?").operation is Operation.MAX
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0] == "팔푼이 영어 88 [1] − 개똥이 영어 65 [2] = 23점", (
        answer.text
    )


def test_two_things_given_respectively_are_held_against_each_other() -> None:
    text = (
        "본 계약은 150인 규모의 유상증자를 위하여 체결되며 ABC 주식회사와 DEF 파트너스는 "
        "각각 30인 및 70인의 임원을 파견한다"
    )
    ask = "ABC 주식회사가 DEF 파트너스보다 임원을 더 많이 파견하나요?"
    answer = extractive_answer(ask, [hit(text, "계약.docx")], flat_idf)
    assert answer.text.startswith("아니요 — ABC 주식회사 30인, DEF 파트너스 70인"), answer.text
    swapped = "DEF 파트너스가 ABC 주식회사보다 임원을 더 많이 파견하나요?"
    assert extractive_answer(swapped, [hit(text, "계약.docx")], flat_idf).text.startswith("예")
    fewer = "ABC 주식회사가 DEF 파트너스보다 임원을 더 적게 파견하나요?"
    assert extractive_answer(fewer, [hit(text, "계약.docx")], flat_idf).text.startswith("예")
