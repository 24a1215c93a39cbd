"""Reading fixed for issue 13 from heldout29's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from test_reader import flat_idf, hit, read_of
from test_reader_h20 import table_passage

from dalin.answer.extractive import extractive_answer
from dalin.answer.intent import Asked, read_intent
from dalin.answer.reader import _pick, two_facts
from dalin.answer.reader_question import Candidate, Evidence, Sources, reading_for
from dalin.answer.values import ValueKind
from dalin.text.korean import tokenize

#: the KBO rules (autorag_kbo_table_text.pdf), the note under 제21조's table
KBO_21 = (
    "제21조 주·야간경기 및 경기개시 시간\n"
    "* 마케팅 활성화 차원에서 홈구단이 요청할 경우 금요일에 한해 경기개시\n"
    "시간을 19:00로 변경 가능함(경기개시일 2주전까지 변경 요청시)\n"
    "* 개막전 2연전 – 3/23(토), 3/24(일) - 14:00\n"
    "* 어린이날 - 14:00\n"
)


def test_how_long_before_asks_a_span_though_a_time_of_day_is_talked_about() -> None:
    question = (
        "KBO 규정 제21조에 따르면 홈구단이 금요일 경기 개시 시간을 19:00로 바꾸려면 "
        "경기개시일 얼마 전까지 요청해야 하나요?"
    )
    assert read_intent(question).asked is Asked.DURATION
    answer = extractive_answer(question, [hit(KBO_21, "KBO규정.pdf")], flat_idf)
    assert answer.text.splitlines()[0].startswith("2주"), answer.text
    # a time of day is still asked when no span is
    assert read_intent("경기 개시 시간은 몇 시인가요?").asked is Asked.TIME
    assert read_intent("얼마 전에 개정됐나요?").asked is Asked.DURATION


#: the agenda of the 414th committee meeting: titles "…에 관한 법률 …" of several laws
AGENDA = (
    "제414회국회 환경노동위원회회의록\n의사일정\n"
    "1. 가축분뇨의 관리 및 이용에 관한 법률 일부개정법률안(송기헌 의원 대표발의)\n"
    "2. 건설폐기물의 재활용촉진에 관한 법률 일부개정법률안(임이자 의원 대표발의)\n"
    "3. 남녀고용평등과 일․가정 양립 지원에 관한 법률 일부개정법률안(윤호중 의원 대표발의)\n"
    "4. 남녀고용평등과 일․가정 양립 지원에 관한 법률 일부개정법률안(정태호 의원 대표발의)\n"
    "5. 근로기준법 일부개정법률안(이주환 의원 대표발의)\n"
)


def test_a_title_about_something_is_counted_whole_not_from_its_about() -> None:
    question = (
        "의사일정에 올라온 남녀고용평등과 일·가정 양립 지원에 관한 법률 일부개정법률안은 "
        "모두 몇 건인가요?"
    )
    sources = Sources(read=read_of(AGENDA), text_at=read_of(AGENDA))
    answer = extractive_answer(question, [hit(AGENDA, "회의록.pdf")], flat_idf, sources=sources)
    first = answer.text.splitlines()[0]
    # "관한 법률 일부개정법률안" alone would count four
    assert first.startswith("2건 — 의사일정 중 '남녀고용평등과"), answer.text
    assert "1. 가축분뇨" not in first


def test_how_long_something_takes_is_not_answered_by_one_date() -> None:
    question = "office2pdf CI의 bulk-test 잡은 한 번 돌리는 데 시간이 얼마나 걸리나요?"
    assert read_intent(question).value_kinds == (ValueKind.DURATION,)
    # the workbook's note names the job's repository and a day, but no time taken
    note = (
        "office2pdf CI bulk-test 잡 표기 규칙 — 모든 정량 지표는 main 브랜치 얕은 클론"
        "(2026-07-27)에서 기계적으로 계산했습니다."
    )
    answer = extractive_answer(question, [hit(note, "workbook.xlsx")], flat_idf)
    assert answer.abstained, answer.text
    # a 기간 may still be a span of dates ("모집기간: 7. 24.~8. 2.")
    assert ValueKind.DATE in read_intent("모집 기간은 얼마인가요?").value_kinds
    assert read_intent("How long does the bulk test take?").value_kinds == (ValueKind.DURATION,)


def test_a_one_row_table_of_function_word_headers_answers_no_count() -> None:
    # the sample news file's test table: nothing in it counts states
    passage, sources = table_passage(
        ("This", "Is", "Just a"),
        [("2020", "Random", "Table")],
        name="sample_docx.docx",
        above="Trump said some states would reopen this month.",
    )
    question = "In the sample news document, how many states did Trump say would reopen this month?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.abstained, answer.text
    # a header the question writes as a word of substance still names its column
    passage, sources = table_passage(
        ("State", "Reopening"), [("Texas", "12")], name="states.xlsx", above="States reopening"
    )
    answer = extractive_answer(
        "How many reopening steps for Texas in the states table?",
        [passage],
        flat_idf,
        sources=sources,
    )
    assert answer.text.startswith("Texas Reopening: 12"), answer.text


def test_a_sheet_the_question_names_unquoted_is_where_the_answer_is_read() -> None:
    def on(sheet: str, lead: str, score: float) -> Candidate:
        place = f"repository_workbook.xlsx · {sheet}!C18"
        return Candidate(score, lead, Evidence(hit(lead), place, lead, 0, len(lead), lead))

    def picked(question: str) -> str:
        reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
        return _pick(reading, [files, fork]).lead

    files, fork = on("05_모듈_인벤토리", "파일 수: 30", 1.04), on("00_개요", "Fork: 9", 0.94)
    assert picked("저장소 분석 엑셀 개요 시트 기준으로 Fork 수는 얼마인가요?") == "Fork: 9"
    # a sheet no candidate is on leaves them all
    assert picked("요약 시트 기준으로 Fork 수는 얼마인가요?") == "파일 수: 30"


def test_two_facts_do_not_repeat_the_words_the_second_thing_opens_with() -> None:
    question = (
        "연간 보고서 한글 양식의 '2012 At a Glance' 쪽에 맨 처음 나오는 달과 맨 마지막에 "
        "나오는 달은 각각 무엇인가요?"
    )
    assert two_facts(question) == [
        "연간 보고서 한글 양식의 '2012 At a Glance' 쪽에 맨 처음 나오는 달은 무엇인가요?",
        "연간 보고서 한글 양식의 '2012 At a Glance' 쪽에 맨 마지막에 나오는 달은 무엇인가요?",
    ]


def test_the_words_naming_a_table_name_no_row_of_it() -> None:
    passage, sources = table_passage(
        ("", "학습", "검증", "평가", "합계"),
        [("문서", "38,496", "4,736", "4,725", "47,957"),
         ("질문", "83,486", "10,165", "9,309", "102,960")],
        name="KorQuAD_2.0_paper.pdf",
        above="[표 1] 문서 및 질문 개수",
    )  # fmt: skip
    question = (
        "KorQuAD 2.0 논문의 문서 및 질문 개수 표에서 검증 데이터와 평가 데이터의 질문 수를 "
        "합하면 몇 개인가요?"
    )
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    # the caption's 문서 and 질문 used to name both rows, and 검증 was summed down them
    assert answer.text.startswith("검증 10,165 [1] + 평가 9,309 [1] = 19,474"), answer.text
