"""Reading fixed for issue 13 from heldout31's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from decimal import Decimal

from test_reader import flat_idf, hit
from test_reader_h20 import built_passage, table_passage

from dalin.answer.acts import asks_said
from dalin.answer.asked import names_absent
from dalin.answer.contents import heading_page_listed
from dalin.answer.evidence import passage_units
from dalin.answer.extractive import extractive_answer
from dalin.answer.operands import _labels_unasked
from dalin.answer.reader import two_facts
from dalin.answer.reader_question import reading_for
from dalin.answer.shown_work import Operand
from dalin.answer.values import ValueKind, find_values
from dalin.answer.yes_no import version_verdict
from dalin.ingest.document import DocumentBuilder
from dalin.text.korean import tokenize

KORQUAD = (
    "KorQuAD 1.0의 전체 데이터는 1,560 개의 Wikipedia article에 대해 10,645 건의 문단과 "
    "66,181 개의 질의응답 쌍으로, Training set 60,407 개, Dev set 5,774 개의 질의응답쌍으로 "
    "구분하였습니다."
)


def test_two_values_labelled_by_two_words_sharing_the_last_are_a_difference() -> None:
    answer = extractive_answer(
        "KorQuAD 1.0에서 Training set 질의응답 쌍은 Dev set보다 몇 개 더 많아요?",
        [hit(KORQUAD, name="korquad.html")],
        flat_idf,
    )
    # both values were labelled "set" alone, so no pair was found and 60,407 was read
    assert answer.text.startswith("Training set 60,407 개 [1] − Dev set 5,774 개 [1] = 54,633"), (
        answer.text
    )


def test_a_two_word_label_names_a_value_only_when_the_question_writes_both_words() -> None:
    text = (
        "당시 세대별 지지율을 보자면, 이명박 후보는 3,40대로부터 상대적으로 높은 지지를 얻은 "
        "반면, 박근혜 후보는 50대 이상으로부터 상대적으로 높은 지지를 얻었다."
    )
    answer = extractive_answer(
        "경선 당시 세대별 지지율에서 박근혜가 이명박보다 높은 지지를 얻었던 나이대는?",
        [hit(text, name="위키.txt")],
        flat_idf,
    )
    # "이명박 후보는" is not named by its head 이명박: no "50대 − 3 = 47대"
    assert "−" not in answer.text, answer.text


def test_a_quoted_row_picks_the_table_among_several_with_one_header() -> None:
    builder = DocumentBuilder("minimal-body-table.hwp")
    builder.paragraph("편집 탭 – 표")
    for title, who in (("2222", ""), ("셀 편집", "하 임"), ("내용 정렬", "김 철수")):
        builder.paragraph(f"□ {title}")
        builder.table(("제목", "담당자", "세부 내용"), [(title, who, "")])
    passage, sources = built_passage(builder)
    answer = extractive_answer(
        "한글 표 편집 도움말 파일에서 '내용 정렬' 예시 표의 담당자 칸에는 누구 이름이 적혀 있어요?",
        [passage],
        flat_idf,
        sources=sources,
    )
    # the first table's header was read as a form: "담당자: 세부 내용"
    assert answer.text.startswith("담당자: 김 철수 [1]"), answer.text


MINUTES = (
    "2023년도 연간 감사결과\n"
    "(2024. 2. 28. 한국수자원공사사장 제출)\n"
    "공공기관 청년고용의무제 이행 현황 및 조치\n"
    "결과\n"
    "(2024. 3. 4. 고용노동부장관 제출)\n"
    "2024년도 한국환경산업기술원 예산 변경(1차)\n"
    "보고\n"
    "(2024. 3. 7. 한국환경산업기술원장 제출)\n"
    "2023년도 기상청 자체평가(주요정책 부문) 결과보고서 및 2024년도 자체평가계획 보고\n"
    "(2024. 3. 15. 기상청장 제출)\n"
)


def test_a_dated_note_below_a_listed_item_closes_that_item() -> None:
    passage = hit(MINUTES, name="회의록.pdf")
    displays = [u.display for u in passage_units(passage)]
    assert "공공기관 청년고용의무제 이행 현황 및 조치 결과 (2024. 3. 4. 고용노동부장관 제출)" in (
        displays
    ), displays
    # the note above no longer runs on into the next item
    assert not any(d.startswith("(2024. 2. 28.") for d in displays), displays


def test_when_and_who_are_two_questions_and_who_is_the_doer_noted() -> None:
    question = (
        "환노위 회의록 보고사항에 나온 '공공기관 청년고용의무제 이행 현황 및 조치 결과' "
        "보고서는 언제, 누가 제출한 건가요?"
    )
    assert two_facts(question) == [
        question.replace("언제, 누가", "언제"),
        question.replace("언제, 누가", "누가"),
    ]
    assert two_facts("회의는 언제 어디서 열렸나요?") == [
        "회의는 언제 열렸나요?",
        "회의는 어디서 열렸나요?",
    ]
    answer = extractive_answer(question, [hit(MINUTES, name="회의록.pdf")], flat_idf)
    lines = answer.text.splitlines()
    assert lines[:2] == ["2024. 3. 4. [1]", "고용노동부장관 [1]"], answer.text


REPORT = (
    "차 례\n\n"
    "01 서론 05\n\n"
    "서론 내용 1 05\n\n"
    "02 본론 12\n\n"
    "본론 내용 1 12\n\n"
    "본론 내용 2 20\n\n"
    "03 결론 45\n\n"
    "결론 내용 1 45\n\n"
    "결론 내용 2 56\n\n"
    "결론 내용 3 58\n"
)


def test_the_page_of_one_heading_is_read_off_the_contents_page() -> None:
    passage = hit(REPORT, name="basicsReport.hwp")
    for question in (
        "대학 리포트 양식 차례에서 '결론 내용 2'는 몇 쪽에서 시작해요?",
        "In the report template, on which page does '결론 내용 2' start according to the "
        "table of contents?",
    ):
        answer = extractive_answer(question, [passage], flat_idf)
        # the page as the contents writes it: "56쪽" quoted a 쪽 the line does not write
        assert answer.text.splitlines()[:2] == ["결론 내용 2: 56 [1]", "결론 내용 2 56 [1]"], (
            answer.text
        )
    # "결론" inside "결론 내용 2" is not a second heading; two headings are a difference
    assert heading_page_listed("'결론 내용 2'는 몇 쪽?", REPORT)
    assert not heading_page_listed("결론은 본론보다 몇 쪽 뒤?", REPORT)


def test_a_name_written_with_another_version_only_is_answered_no() -> None:
    text = (
        "KorQuAD 1.0은 한국어 기계독해를 위한 데이터셋입니다. Stanford Question Answering "
        "Dataset(SQuAD) v1.0과 동일한 방식으로 구성되었습니다."
    )
    answer = extractive_answer(
        "KorQuAD 1.0은 SQuAD 2.0과 같은 방식으로 구성된 데이터셋인가요?",
        [hit(text, name="korquad_1.0.html")],
        flat_idf,
    )
    # the document never writes "SQuAD 2.0", so the reader abstained
    assert answer.text.startswith("아니요 — Stanford Question Answering Dataset(SQuAD) v1.0과"), (
        answer.text
    )
    sentence = "(SQuAD) v1.0과 동일한 방식으로 구성되었습니다."
    assert version_verdict("SQuAD 1과 같은 방식인가요?", sentence) is None  # 1 is 1.0
    assert version_verdict("SQuAD 1.0을 따르나요?", "SQuAD로 구성되었습니다.") is None


SPEECH = (
    "이학영 위원: 제가 오늘 2개의 법안을 냈는데, 토양 오염과 하천의 방사능 오염을 환노위가 "
    "법률적으로도 체크할 수 있게 법률을 제안했는데, 후쿠시마 오염수 이래 국민들의 불안이 지금 "
    "잠재해 있거든요."
)


def test_whether_someone_said_a_thing_is_ruled_by_the_clause_saying_it() -> None:
    answer = extractive_answer(
        "회의록에서 이학영 위원은 자기가 낸 법안을 설명하면서 후쿠시마 오염수 이후의 국민 불안을 "
        "언급했나요?",
        [hit(SPEECH, name="회의록.pdf")],
        flat_idf,
    )
    # "체크할 수 있게" rules on another act than 언급, so the reader abstained
    assert answer.text.startswith("예 — 후쿠시마 오염수 이래 국민들의 불안이 지금 잠재해"), (
        answer.text
    )
    assert asks_said("위원은 불안을 언급했나요?")
    # a document described is no one saying a thing
    assert not asks_said("--tagged 옵션은 README에 설명되어 있나요?")


NOTICE = (
    "논산 피크닉 데이 041 용역 제안서 평가위원 모집\n"
    "마. 심사일정 : 2024. 8. 13.(화) 14:00, 논산아트센터 2층 커뮤니티룸 예정"
)


def test_an_announcement_or_a_department_is_not_answered_by_a_line_of_another_thing() -> None:
    asked = "논산 피크닉 데이 041 용역 제안서 심사 결과는 언제 발표되나요?"
    answer = extractive_answer(asked, [hit(NOTICE, name="공고.hwp")], flat_idf)
    assert answer.abstained, answer.text  # it was answered by the day of the review
    announced = f"{NOTICE}\n바. 결과 발표 : 2024. 8. 20.(화) 재단 누리집 게시"
    answer = extractive_answer(asked, [hit(announced, name="공고.hwp")], flat_idf)
    assert answer.text.startswith("결과 발표: 2024. 8. 20.(화)"), answer.text

    department = "프로젝트 계획서 양식은 다 쓰고 나서 어느 부서로 제출하게 되어 있나요?"
    form = "프로젝트 계획서\n작성일자 : 2024. 1. 1.\n작성자 : 한 글\n"
    answer = extractive_answer(
        department,
        [hit(f"{form}프로젝트 계획서는 작성 후 제출합니다.", name="계획서.hwp")],
        flat_idf,
    )
    assert answer.abstained, answer.text  # it was answered by a line naming no department
    named = f"{form}프로젝트 계획서는 작성 후 정보화담당관실로 제출합니다."
    answer = extractive_answer(department, [hit(named, name="계획서.hwp")], flat_idf)
    assert "정보화담당관실로" in answer.text.splitlines()[0], answer.text


def test_values_labelled_by_no_word_of_the_question_are_not_its_operands() -> None:
    question = (
        "office2pdf 소개 자료에서 README에 적힌 지원 요소를 포맷별로 센 개수(DOCX, PPTX, XLSX)를 "
        "모두 더하면 몇 개인가요?"
    )
    words = tokenize(question)
    reading = reading_for(question, words, flat_idf(words), (), "ko")
    runners = [Operand("러너 ubuntu-latest", text, Decimal(text)) for text in ("138", "92")]
    # three CI jobs' counts were added up for the formats' elements
    assert _labels_unasked(reading, runners)
    formats = [Operand("DOCX 요소", "40", Decimal(40)), Operand("PPTX 요소", "31", Decimal(31))]
    assert not _labels_unasked(reading, formats)
    # a label naming the person asked about is the question's, whatever its tokens
    question = "이학영 위원이 사임한 날부터 다시 보임된 날까지 며칠인가요?"
    words = tokenize(question)
    reading = reading_for(question, words, flat_idf(words), (), "ko")
    dated = [Operand("이학영 연월일", "2023. 12. 23."), Operand("김병기 연월일", "2023. 12. 29.")]
    assert not _labels_unasked(reading, dated)


def test_a_name_with_its_version_a_bracket_or_a_v_apart_is_written() -> None:
    page = "Stanford Question Answering Dataset(SQuAD) v1.0과 동일한 방식으로 구성되었습니다."
    # "SQuAD 1.0" was taken for a name the page never writes, and the reader abstained
    assert names_absent("이 데이터셋은 SQuAD 1.0과 같은 방식인가요?", page) == ""
    assert names_absent("이 데이터셋은 SQuAD v1.0과 같은 방식인가요?", page) == ""
    assert names_absent("이 데이터셋은 SQuAD 2.0과 같은 방식인가요?", page) == "SQuAD 2.0"
    assert names_absent("SQuAD 1.0.1과 같은가요?", page) == "SQuAD 1.0.1"


def test_the_codes_a_cell_lists_apart_by_slashes_are_counted() -> None:
    passage, sources = table_passage(
        ("NO", "항목명", "구분", "설명", "허용 값"),
        [("10", "환승센터면적", "필수", "환승센터의 총 면적", ""),
         ("11", "환승대상교통시설", "필수", "이용 가능한 교통시설", "01/02/03/04/05/06/07/08/99"),
         ("12", "운영기관명", "필수", "운영하는 기관의 이름", "")],
        name="공공데이터_제공표준.hwpx",
        above="대중교통환승센터 표준데이터 항목",
    )  # fmt: skip
    answer = extractive_answer(
        "대중교통환승센터 표준데이터에서 환승대상교통시설 항목에 넣을 수 있는 코드 값은 모두 "
        "몇 가지예요?",
        [passage],
        flat_idf,
        sources=sources,
    )
    # rows naming 코드 were counted instead ("4가지")
    assert answer.text.startswith("9가지 — 환승대상교통시설 허용 값: 01/02/03/04/05/06/07/08/99"), (
        answer.text
    )


def test_a_day_dated_by_its_time_zone_is_a_date_not_a_length() -> None:
    (day,) = find_values("김하성은 2일(이하 한국시간) 미국 캘리포니아주 샌디에이고에서")
    assert day.kind is ValueKind.DATE, day
    (day,) = find_values("15일(현지시간) 발표한 성명에서")
    assert day.kind is ValueKind.DATE, day
    (length,) = find_values("2일 동안 열린다")
    assert length.kind is ValueKind.DURATION, length


def test_how_long_in_hours_is_not_answered_by_a_count_of_days() -> None:
    story = (
        "김하성은 2일(이하 한국시간) 신시내티 레즈와의 홈 경기에서 3점홈런을 쳤다. "
        "김하성은 지난달 10일 이후 22일 만에 홈런을 기록했다."
    )
    question = "김하성이 3점홈런을 친 신시내티전은 경기 시간이 얼마나 걸렸나요?"
    answer = extractive_answer(question, [hit(story, name="기사.hwpx")], flat_idf)
    assert answer.abstained, answer.text  # it was answered "22일"
    timed = f"{story} 이날 경기 시간은 2시간 41분이 걸렸다."
    answer = extractive_answer(question, [hit(timed, name="기사.hwpx")], flat_idf)
    assert answer.text.startswith("2시간"), answer.text
