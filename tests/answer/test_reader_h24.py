"""Reading fixed for issue 13 from heldout24's failures, once it had been measured: a cell
asked by the sheet the question quotes, a sub-header row under a merged header names the
columns, the average of a column the question counts whole, a leaderboard's long model
name names its row, a table in the file format the question names, the end of a span
written after its start, "해당없음" rules no, the section, chapter or sheet something is
in, a year written '23, the days listed after a date, a clause naming where to look shared
by both parts, a line about another named person, a blank cell asked by its column, an
average a sentence states, a value after the two words naming it, both ends of a range, and
a Latin cell written inside a longer word naming no row. Each test failed before its change,
but the blank cell's, which guards an answer the new focus of "값이 들어 있어요" first lost."""

from __future__ import annotations

from test_reader import flat_idf, hit, read_of
from test_reader_h20 import built_passage, table_passage

from dalin.answer.extractive import extractive_answer
from dalin.answer.intent import Asked, read_intent
from dalin.answer.locator import Part, asked_part
from dalin.answer.reader import two_facts
from dalin.answer.reader_question import Sources, reading_for
from dalin.answer.tables import _name_score, match_cells, read_grid, squash
from dalin.answer.values import ValueKind, find_values
from dalin.answer.yes_no import half_day_verdict, none_verdict, superlative_verdict
from dalin.ingest.document import DocumentBuilder
from dalin.text.korean import tokenize
from dalin.types import Hit


def _lead(question: str, passages: list[Hit], sources: Sources | None = None) -> str:
    answer = extractive_answer(question, passages, flat_idf, sources=sources)
    return answer.text.splitlines()[0]


def _two_sheets() -> tuple[Hit, Sources]:
    builder = DocumentBuilder("basic_tables_two_sheets.xlsx")
    builder.heading("Basic Table")
    builder.table(("col_a", "col_b"), [("1.5", "test")], sheet="Basic Table", header_row=1,
                  row_numbers=(2,), first_column=1, last_column=2)  # fmt: skip
    builder.heading("Table Missing Value")
    builder.table(("col_c", "col_d"), [("TRUE", "")], sheet="Table Missing Value",
                  header_row=1, row_numbers=(2,), first_column=1, last_column=2)  # fmt: skip
    passage, sources = built_passage(builder, label="basic_tables_two_sheets.xlsx")
    # one passage holds both sheets; its section is the last sheet's name, as stored
    return Hit(1, 1, passage.document, passage.name, passage.label, 1.0, passage.text, 0,
               len(passage.text), None, "Table Missing Value", "table"), sources  # fmt: skip


def test_the_value_of_a_cell_is_read_on_the_sheet_the_question_quotes() -> None:
    passage, sources = _two_sheets()
    question = "'Basic Table' 시트의 col_a 칸에는 어떤 값이 들어 있어요?"
    assert _lead(question, [passage], sources).startswith("col_a: 1.5")
    # what the cell holds is asked by the cell's name, not by "값 … 들어 있어요"
    words = tokenize(question)
    reading = reading_for(question, words, flat_idf(words), (), "ko")
    assert "col" in reading.focus and "값" not in reading.focus


def test_a_blank_cell_asked_by_its_column_is_not_answered_by_another() -> None:
    passage, sources = _two_sheets()
    question = "'Table Missing Value' 시트에서 col_d 열의 값은 무엇인가요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.abstained, answer.text


def test_a_sub_header_under_a_merged_header_names_the_columns() -> None:
    passage, sources = table_passage(
        ("포맷", "서식 범주", "서식 범주", "서식 범주", "상태"),
        [
            ("포맷", "텍스트 · 서식", "표 · 그리드", "그래픽", "상태"),
            ("DOCX Word", "단락, 목록", "표", "이미지", "Supported"),
            ("PPTX PowerPoint", "텍스트 상자", "테마 기반 표 스타일", "도형, 효과", "Supported"),
        ],
        name="office2pdf_introduction_ko.pptx",
        above="지원 매트릭스",
    )
    question = (
        "소개 발표자료의 지원 매트릭스 표에서 PPTX의 '표 · 그리드' 범주 칸에는 뭐라고 적혀 있어요?"
    )
    assert "서식 범주 표 · 그리드: 테마 기반 표 스타일" in _lead(question, [passage], sources)


def test_the_average_of_a_column_over_as_many_rows_as_the_question_counts() -> None:
    passage, sources = table_passage(
        ("이름", "국어", "영어", "수학"),
        [("개똥이", "89", "65", "78"), ("칠득이", "77", "77", "77"),
         ("팔푼이", "88", "88", "88"), ("육손이", "66", "66", "66")],
        name="Table.hwpx", above="C반 기말고사",
    )  # fmt: skip
    question = "C반 기말고사 성적표에서 네 학생의 수학 점수 평균은 몇 점이에요?"
    assert _lead(question, [passage], sources).endswith("÷ 4 = 77.25점")


def test_a_long_model_name_in_a_label_column_names_its_row() -> None:
    long_name = (
        "NAMZ-ALBERT V2 (single) Mediazen NAMZ AI Reseach Team and KISTI National "
        "Supercomputing Center"
    )
    assert len(long_name) > 80
    passage, sources = table_passage(
        ("Rank", "Model", "EM", "F1"),
        [("41", "ALBERT Large(single model) Anonymous", "85.20", "93.07"),
         ("43", long_name, "85.12", "93.57"),
         ("50", "BERT-CLKT-MIDDLE (single model) Anonymous", "82.56", "90.82")],
        name="korquad_1.0_KOR.html", above="KorQuAD 1.0 리더보드 (Leaderboard)",
    )  # fmt: skip
    question = "리더보드에서 Mediazen NAMZ 팀이 올린 NAMZ-ALBERT V2 모델은 F1 점수가 몇 점이에요?"
    lead = _lead(question, [passage], sources)
    assert lead.startswith("NAMZ-ALBERT V2") and "F1: 93.57" in lead, lead


def test_a_table_in_the_file_format_the_question_names_is_summed() -> None:
    header = ("ColA", "ColB")
    sheet, sheet_sources = table_passage(
        header,
        [("1", "2"), ("5", "6"), ("9", "10")],
        name="markitdown_test.xlsx",
        above="테스트 표",
    )
    slide, slide_sources = table_passage(
        header,
        [("1", "2"), ("7", "8"), ("13", "14")],
        name="markitdown_test.pptx",
        above="테스트 표",
    )
    slide = Hit(2, 2, slide.document, slide.name, slide.label, 1.0, slide.text, 0, len(slide.text))
    both = Sources(
        tables=lambda d: (sheet_sources.tables or (lambda _: []))(d) if d == 1
        else [type(t)(2, t.index, t.table, t.page, t.start, t.end)
              for t in (slide_sources.tables or (lambda _: []))(1)],
        read=lambda d, s, e: (sheet if d == 1 else slide).text[s:e],
        text_at=lambda d, s, e: (sheet if d == 1 else slide).text[s:e],
    )  # fmt: skip
    question = "markitdown 테스트 파워포인트에 있는 표에서 ColA 열 값을 전부 더하면 얼마예요?"
    assert _lead(question, [sheet, slide], both).endswith("= 21")


def test_the_end_of_a_span_is_the_first_written_after_its_start() -> None:
    text = (
        "근로기준법 일부개정법률안(이수진 의원 대표발의)\n(2024. 2. 1. 이수진 의원 발의)\n"
        "2월 7일 회부됨\n근로복지기본법 일부개정법률안(신현영 의원 대표발의)\n"
        "(2024. 2. 8. 신현영 의원 등 11인 발의)\n2월 13일 회부됨\n"
        "산업안전보건법 일부개정법률안(정부 제출)\n3월 4일 회부됨"
    )
    question = (
        "회의록 보고사항을 보면 신현영 의원이 대표발의한 근로복지기본법 개정안은 발의하고 "
        "며칠 만에 위원회에 회부됐어요?"
    )
    lead = _lead(question, [hit(text, "회의록.pdf")])
    assert lead.startswith("2월 13일") and lead.endswith("= 5일"), lead


def test_a_thing_that_does_not_apply_rules_no() -> None:
    row = "항목: 표준데이터셋 제공시스템 | 내용: 해당없음"
    question = (
        "대중교통환승센터 표준데이터는 따로 정해진 표준데이터셋 제공시스템을 통해 제공되나요?"
    )
    assert none_verdict(question, row) == (False, row)
    assert none_verdict(question, "항목: 표준데이터셋 제공시스템 | 내용: 공공데이터포털") is None
    assert none_verdict("제공기관은 어디인가요?", row) is None  # names no row's thing


def test_the_part_of_a_document_a_question_asks_for() -> None:
    assert asked_part("위키백과 문서를 고른 기준을 설명한 부분은 몇 절이에요?") is Part.SECTION
    assert asked_part("입찰 참여 자격 내용은 어느 장에 들어 있어요?") is Part.CHAPTER
    assert asked_part("CI 잡 정보는 어느 시트에 정리돼 있어요?") is Part.SHEET
    assert asked_part("GPU를 몇 장 썼나요?") is None  # sheets of nothing


def test_the_section_a_passage_sits_under_answers_which_section() -> None:
    text = (
        "3. 데이터 구축\nKorQuAD 2.0은 두 가지 방식을 통해 제작되었다.\n3.1 문서 수집\n"
        "우리는 위키백과 문서들을 활용하였다. 사람들이 관심 있어하는 문서를 고르는 기준으로 "
        "3년간의 page view 상위 문서를 선별하였다.\n3.2 질문-답변 생성\n"
        "작업자는 문단을 보고 질문을 만들었다.\n"
    )
    passage = hit(text, "KorQuAD_2.0_paper.pdf")
    sources = Sources(read=read_of(text), text_at=read_of(text))
    question = "KorQuAD 2.0 논문에서 위키백과 문서를 고른 기준은 몇 절에 나와요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0] == "3.1 문서 수집 [1]", answer.text
    assert any("page view" in c.quote for c in answer.citations)  # the passage it is about


def test_the_chapter_a_passage_sits_under_answers_which_chapter() -> None:
    text = (
        "Ⅳ 제안서 작성요령\n제안서는 한글로 작성하며 각 장별로 번호를 부여한다.\n"
        "Ⅴ 제안 안내\n사업 참여자격\n○ 입찰참가 자격(자세한 사항은 입찰공고서에 따름)\n"
    )
    passage = hit(text, "제안요청서_웹기안기.pdf")
    sources = Sources(read=read_of(text), text_at=read_of(text))
    question = "웹기안기 제안요청서에서 입찰 참여 자격 내용은 어느 장에 들어 있어요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0] == "Ⅴ 제안 안내 [1]", answer.text


def test_a_contents_row_naming_a_sheet_answers_which_sheet() -> None:
    builder = DocumentBuilder("repository_workbook.xlsx")
    builder.heading("00_개요")
    builder.table(("시트", "내용"),
                  [("06_릴리스_이력", "릴리스 날짜와 버전."),
                   ("07_검증_품질게이트", "CI 잡, 픽스처 코퍼스, 회귀 증적 정책.")],
                  sheet="00_개요", header_row=1, row_numbers=(2, 3), first_column=1,
                  last_column=2)  # fmt: skip
    builder.heading("07_검증_품질게이트")
    builder.table(("잡 ID", "러너"), [("bulk-test", "ubuntu-latest")], sheet="07_검증_품질게이트",
                  header_row=1, row_numbers=(2,), first_column=1, last_column=2)  # fmt: skip
    passage, sources = built_passage(builder, label="repository_workbook.xlsx")
    passage = Hit(1, 1, passage.document, passage.name, passage.label, 1.0, passage.text,
                  0, len(passage.text), None, "00_개요 > 시트 구성", "table")  # fmt: skip
    question = "저장소 분석 엑셀에서 CI 잡이랑 픽스처 코퍼스 정보는 어느 시트에 정리돼 있어요?"
    answer = extractive_answer(question, [passage], flat_idf, sources=sources)
    assert answer.text.splitlines()[0] == "07_검증_품질게이트 [1]", answer.text


def test_a_year_by_its_last_two_digits_is_a_date() -> None:
    (value,) = find_values("디지털플랫폼정부 실현계획(‘23.4.14.) 중점추진과제")
    assert value.kind is ValueKind.DATE and value.when is not None and value.when.year == 2023
    (month,) = find_values("웹기안기 제품의 서비스 종료(‘22.2월)로 교체 필요")
    assert month.kind is ValueKind.DATE and month.text == "‘22.2월"
    assert [v.kind for v in find_values("길이 12.5 cm")] == [ValueKind.NUMBER]


def test_the_days_listed_after_a_date_are_read_with_it() -> None:
    text = "위키의 문서를 선정하기 위해 크롤링한 날짜는 7월 4일, 7일, 10일로 나누어 진행하였다."
    question = "위키 문서를 크롤링한 날짜는 언제예요?"
    assert _lead(question, [hit(text, "paper.pdf")]).startswith("7월 4일, 7일, 10일")
    assert read_intent("On which days in July were the pages crawled?").asked is Asked.DATE


def test_the_second_clause_shares_only_where_to_look() -> None:
    question = (
        "KorQuAD 1.0 페이지에서 Training set 질의응답 쌍은 몇 개이고, 리더보드 1위 모델 "
        "이름은 뭐예요?"
    )
    assert two_facts(question) == [
        "KorQuAD 1.0 페이지에서 Training set 질의응답 쌍은 몇 개?",
        "KorQuAD 1.0 페이지에서 리더보드 1위 모델 이름은 뭐예요?",
    ]


def test_a_line_about_another_named_person_answers_nothing() -> None:
    text = (
        "이날 샌디에이고는 매니 마차도(3루수)-후안 소토(좌익수)-김하성(2루수)으로 "
        "선발 라인업을 꾸렸다.\n김하성은 이날 4타수 2안타 3타점 2득점으로 경기를 마쳤다."
    )
    asked = "김하성 3점홈런 기사에서 후안 소토는 이날 몇 타수 몇 안타를 기록했어요?"
    answer = extractive_answer(asked, [hit(text, "multipara.hwpx")], flat_idf)
    assert answer.abstained, answer.text
    own = "김하성 3점홈런 기사에서 김하성은 이날 몇 타수 몇 안타를 기록했어요?"
    assert _lead(own, [hit(text, "multipara.hwpx")]).startswith("4타수 2안타")


def test_an_average_a_sentence_states_is_the_answer() -> None:
    text = "문서당 질문 제작에 제한을 두어 문서 47,957개에 문서당 평균 2.15개의 질문이 매칭된다."
    question = "문서당 평균 질문 수는 몇 개예요?"
    assert _lead(question, [hit(text, "KorQuAD_2.0_paper.pdf")]).startswith("평균 2.15개")


def test_a_value_is_read_after_the_two_words_the_question_writes_together() -> None:
    text = "양쪽 정렬로 나눔고딕 R, 8.5pt 문자 간격은 좁게 -5%, 줄 간격은 165%입니다."
    assert _lead("인사말 본문의 줄 간격은 몇 %예요?", [hit(text, "양식.hwp")]).startswith("165%")
    assert _lead("인사말 본문의 줄 간격은 얼마예요?", [hit(text, "양식.hwp")]).startswith("165%")


def test_both_ends_asked_are_read_as_the_whole_range() -> None:
    text = "3년 동안(2016/06/01 ~ 2019/05/31)의 page view 상위 15만 문서를 선별하였다."
    question = "page view를 집계한 기간은 언제부터 언제까지예요?"
    assert read_intent(question).asked is Asked.DATE  # the dates, not the span's length
    assert _lead(question, [hit(text, "paper.pdf")]).startswith("2016/06/01 ~ 2019/05/31")


def test_a_latin_cell_inside_a_longer_word_names_no_row() -> None:
    _, sources = table_passage(
        ("구분", "플래그 / 커맨드", "값 형식", "적용 포맷"),
        [("서브커맨드", "merge", "PDF 파일 목록", "PDF"),
         ("서브커맨드", "server", "--host / --port", "")],
        name="office2pdf_repository_workbook.xlsx",
    )  # fmt: skip
    assert sources.tables is not None
    grid = read_grid(sources.tables(1)[0])
    question = "office2pdf CLI의 server 서브커맨드는 기본으로 몇 번 포트를 쓰나요?"
    words = tokenize(question)
    scores = [0.0, 0.0]
    for match in match_cells(grid, question, words, flat_idf(words), {}):
        scores[match.row] = max(scores[match.row], match.row_score)
    # "PDF" written inside "office2pdf" names the merge row no more than server names its own
    assert scores[1] > scores[0], scores


def test_a_clock_time_rules_on_the_half_of_the_day_asked() -> None:
    line = "마. 심사일정 : 2024. 8. 13.(화) 14:00, 논산아트센터 2층 커뮤니티룸 예정"
    assert half_day_verdict("평가위원 심사는 오전에 진행될 예정인가요?", line) == (False, "14:00")
    assert half_day_verdict("평가위원 심사는 오후에 진행될 예정인가요?", line) == (True, "14:00")
    assert half_day_verdict("심사는 오전에 하나요?", "심사: 오후 2시") is None  # its own words
    assert half_day_verdict("심사는 언제 하나요?", line) is None


def test_an_identifier_the_question_writes_names_a_long_row() -> None:
    long_name = (
        "Mobile-BERT(18M Params & 36.6MB size) (single) Enliple AI and Chonbuk National "
        "University, Cognitive Computing Lab"
    )
    passage, sources = table_passage(
        ("Rank", "Model", "EM", "F1"),
        [("76", "EBB-Net + BERT (single model) Enliple AI", "80.12", "88.09"),
         ("80", "KorBERT (single model) ETRI", "80.70", "89.79"),
         ("94", long_name, "81.07", "90.25"),
         ("95", "BERT-base (single) Anonymous", "79.91", "88.93")],
        name="korquad_1.0_KOR.html", above="KorQuAD 1.0 리더보드 (Leaderboard)",
    )  # fmt: skip
    question = (
        "리더보드에서 Enliple AI와 전북대 연구실이 올린 Mobile-BERT 모델의 EM 점수는 얼마인가요?"
    )
    assert "EM: 81.07" in _lead(question, [passage], sources)
    # the long name is named above the short one sharing fewer of the question's words
    words = tokenize(question)
    score = [
        _name_score(name, squash(question), set(words), flat_idf(words), {})[0]
        for name in (long_name, "EBB-Net + BERT (single model) Enliple AI")
    ]
    assert score[0] > score[1], score


def test_a_bare_second_clause_is_asked_of_the_first_clauses_thing() -> None:
    question = (
        "저장소 분석 엑셀의 의존성 표에서 Typst의 증분 계산 메모이제이션에 쓰는 크레이트는 "
        "무엇이고 몇 버전인가요?"
    )
    assert two_facts(question)[1] == (
        "저장소 분석 엑셀의 의존성 표에서 Typst의 증분 계산 메모이제이션에 쓰는 크레이트 "
        "몇 버전인가요?"
    )


def test_what_an_article_says_a_thing_is_is_its_text_not_its_title() -> None:
    text = (
        "표준 개인정보처리위탁 계약서\n제1조 (목적) 이 계약은 “갑”이 개인정보처리업무를 "
        "“을”에게 위탁하고, “을”은 이를 승낙하여 “을”의 책임아래 성실하게 업무를 완성하도록 "
        "하는데 필요한 사항을 정함을 목적으로 한다.\n제2조 (용어의 정의) 본 계약에서 별도로 "
        "정의되지 아니한 용어는 개인정보 보호법에서 정의된 바에 따른다."
    )
    question = "개인정보처리위탁 계약서 제1조는 이 계약의 목적을 무엇이라고 정하고 있나요?"
    assert "성실하게 업무를 완성" in _lead(question, [hit(text, "제안요청서.pdf")])


def test_who_a_sentence_says_is_most_so_rules_yes_or_no() -> None:
    said = "유형에 따라서는 표가 가장 낮은 성능을 보이고 평문이 제일 높다."
    asked = "답변 유형(평문·표·리스트) 가운데 표 유형에서 성능이 가장 낮았나요?"
    assert superlative_verdict(asked, said) == (True, "표가 가장 낮은")
    assert superlative_verdict(asked.replace("가운데 표", "가운데 평문"), said) == (
        False,
        "표가 가장 낮은",
    )
    assert superlative_verdict("평문 유형의 성능이 가장 높았나요?", said) == (
        True,
        "평문이 제일 높다",
    )
    assert superlative_verdict("표 유형의 성능은 어땠나요?", said) is None
