"""Reading fixed for issue 13 from heldout32's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from test_reader import flat_idf, hit, stored_text
from test_reader_h20 import table_passage

from dalin.answer.asked import names_absent
from dalin.answer.bilingual import bilingual_equivalents
from dalin.answer.clauses import clause_text
from dalin.answer.extractive import _writing_glossed, extractive_answer
from dalin.answer.intent import Asked, read_intent
from dalin.answer.reader_question import Sources, reading_for, role_words
from dalin.answer.values import ValueKind, find_values
from dalin.text.korean import tokenize
from dalin.types import Chunk

INVOICE = (
    ("ITEM DESCRIPTION", "QUANTITY", "PRICE (€)", "AMOUNT (€)"),
    [
        ("1 Super Kite", "2", "20.00", "40.00"),
        ("2 Turbo Flyer", "5", "40.00", "200.00"),
        ("3 Giga Trash", "1", "180.00", "180.00"),
        ("4 Bare Bone Kit", "3", "50.00", "150.00"),
        ("5 Nitty Gritty", "10", "20.00", "200.00"),
        ("6 Pretty Dark Flyer", "1", "75.00", "75.00"),
    ],
)


def test_a_count_asked_before_a_copula_is_a_count() -> None:
    assert read_intent("단가가 50유로를 넘는 건 몇 개예요?").asked is Asked.COUNT
    assert read_intent("참석한 위원은 몇 명입니까?").asked is Asked.COUNT


def test_rows_over_a_bound_in_a_column_named_in_the_other_language_are_counted() -> None:
    passage, sources = table_passage(*INVOICE, name="Invoice.pdf", above="INVOICE Kraxi")
    question = "Kraxi 송장 품목 중에 단가가 50유로를 넘는 건 몇 개예요?"
    answer = extractive_answer(
        question,
        [passage],
        flat_idf,
        equivalents=bilingual_equivalents(question),  # as the second, crossed reading does
        sources=sources,
    )
    # 50.00 is not over 50: Bare Bone Kit is left out
    assert answer.text.startswith(
        "2개 — PRICE (€) '50 초과' 행: 3 Giga Trash 180.00 [1], 6 Pretty Dark Flyer 75.00 [2]"
    ), answer.text


def test_rows_at_or_over_a_bound_in_a_headerless_sheet_show_their_numbers() -> None:
    rows = [("89", "82", "100"), ("76", "89", "33"), ("50", "1", "98"), ("87", "93", "95")]
    passage, sources = table_passage(("Alpha", "Beta", "Gamma"), rows, above="행마다 적은 값")
    answer = extractive_answer(
        "Gamma 값이 95 이상인 행은 몇 개예요?",
        [passage],
        flat_idf,
        sources=sources,
    )
    assert answer.text.startswith("3개 — Gamma '95 이상' 행: 100 [1], 98 [2], 95 [3]"), answer.text


def test_a_numbered_issue_the_document_never_writes_is_absent() -> None:
    listed = "환경부 소관 부령 제1083호 대기환경보전법 시행규칙 / 제1088호 물환경보전법 시행규칙"
    assert names_absent("부령 제1085호는 어떤 시행규칙이에요?", listed) == "제1085호"
    assert names_absent("부령 제1083호는 어떤 시행규칙이에요?", listed) == ""


def test_a_blank_template_prompt_names_nobody() -> None:
    text = "CEO 인사말\nCEO 인사말 내용을 입력하세요.\n나눔명조 R, 18pt"
    answer = extractive_answer(
        "Annual Report 양식의 CEO 인사말에는 CEO 이름이 누구로 나와 있어요?",
        [hit(text, name="annual_report.hwp")],
        flat_idf,
    )
    assert answer.abstained, answer.text


def test_a_version_asked_is_not_answered_by_a_score() -> None:
    text = (
        "비교 항목별 점수 (5점 만점)\n"
        "의존성 최소화: office2pdf 5 | LibreOffice headless 1\n"
        "office2pdf: 5\n"
        "Node.js에서 WASM으로 office2pdf를 실행할 수 있다."
    )
    answer = extractive_answer(
        "office2pdf를 Node.js에서 WASM으로 돌리려면 Node.js 최소 몇 버전이 필요해요?",
        [hit(text, name="office2pdf_introduction_ko.pptx")],
        flat_idf,
    )
    assert answer.abstained, answer.text


def test_a_version_written_beside_its_name_answers() -> None:
    text = "office2pdf의 WASM 빌드는 Node.js 18 이상에서 실행된다."
    answer = extractive_answer(
        "office2pdf를 Node.js에서 WASM으로 돌리려면 Node.js 최소 몇 버전이 필요해요?",
        [hit(text, name="office2pdf_introduction_ko.pptx")],
        flat_idf,
    )
    assert "18" in answer.text, answer.text


def test_a_thing_asked_to_be_needed_that_is_not_needed_is_no() -> None:
    text = (
        "office2pdf 소개\n"
        "LibreOffice도, Chromium도, Docker도 필요 없는 Typst 기반 순수 Rust 변환 엔진\n"
        "본 발표는 오픈소스 프로젝트 office2pdf를 기술 관점에서 소개한다."
    )
    answer = extractive_answer(
        "office2pdf를 쓰려면 Docker가 꼭 깔려 있어야 하나요?",
        [hit(text, name="office2pdf_introduction_ko.pptx")],
        flat_idf,
    )
    assert answer.text.startswith("아니요 — Docker도 필요 없는"), answer.text


PLEDGE = (
    "8. [서식 8호] 청렴 서약서\n"
    "[서식1]\n일반현황\n"
    "① 사업 종료시 지출금액 조정을 통해 위약금 정산한다.\n"
    "[서식8] 청렴 서약서\n"
    "청렴 서약서\n"
    "당사는 청렴계약 취지에 적극 호응하여 입찰에 참여할\n때 당사의 임직원과 대리인은\n"
    "1. 담합을 하여 입찰의 자유경쟁을 부당하게 저해하는 행위를 않겠습니다. 2. 발주기관 "
    "담당자에게 금품을 제공하지 않겠습니다. 3. 회사윤리강령과 사규를 제정토록 "
    "노력하겠습니다. 위 청렴계약 서약은 반드시 지킬 것을 서약합니다.\n"
    "별첨 1 사업자 보안위규 처리 기준\n"
    "위규사항: 1. 누출금지 대상정보 유출다. 2. 정보시스템에 대한 불법적 행위\n"
    "③ 사업 종료시 지출금액 조정을 통해 위약금 정산한다.\n"
)


def test_a_numbered_item_of_a_form_is_read_under_its_title_not_its_contents_line() -> None:
    chunks = [Chunk(PLEDGE, 0, len(PLEDGE), "p.56", 56)]
    sources = stored_text(chunks)
    question = "청렴 서약서 3항은 회사가 무엇을 하겠다고 약속하는 내용이에요?"
    reading = reading_for(question, tokenize(question), flat_idf, (), "ko")
    found = clause_text(reading, [(hit(PLEDGE, "제안요청서.pdf"), 1.0)], sources)
    # the contents line came first and a later section's ③ was read; the items run on one
    # line as a PDF writes them, and the last one ends with its sentence
    assert found is not None, found
    assert found.lead == "3. 회사윤리강령과 사규를 제정토록 노력하겠습니다.", found.lead


def test_an_example_code_is_shown_with_what_the_row_says_it_means() -> None:
    header = ("NO", "항목명", "예시", "표현형식/단위")
    rows = [
        ("1", "환승센터명", "서울역환승센터", "텍스트"),
        (
            "2",
            "환승센터유형코드",
            "02",
            "01:국가기간복합환승센터 02:광역복합환승센터 03:일반복합환승센터",
        ),
        ("3", "소재지도로명주소", "서울특별시 중구 한강대로 405", "텍스트"),
    ]
    passage, sources = table_passage(header, rows, name="공공데이터_제공표준.hwpx")
    answer = extractive_answer(
        "환승센터 항목표에서 환승센터유형코드 예시 값은 뭐로 되어 있고, 그 코드는 어떤 유형이에요?",
        [passage],
        flat_idf,
        sources=sources,
    )
    assert answer.text.startswith("환승센터유형코드 예시: 02 (광역복합환승센터) [1]"), answer.text


def test_the_role_asked_is_the_word_before_a_count_of_people() -> None:
    question = "위원장이 협의해 달라고 부탁한 간사 두 사람은 누구예요?"
    assert role_words(question, tokenize(question)) == ("간사",)
    question = "위원장이 협의해 달라고 부탁한 간사는 누구예요?"
    assert role_words(question, tokenize(question)) == ("간사",)
    # "한 사람" reads alike: the deed says who (a KorQuAD question)
    question = "2008년 숭례문에 시너와 라이터로 방화를 한 사람은 누구인가?"
    assert role_words(question, tokenize(question)) == ("방화",)


def test_a_gloss_saying_what_is_measured_keeps_a_document_writing_neither_word() -> None:
    text = "Rank 2 | 2024.02.02 | MoBERT-Large V2.0 (single model, 355M) | 89.05 | 95.92"
    chunks = [Chunk(text, 0, len(text), "Leaderboard", None)]
    sources = Sources(passages=lambda d: chunks)
    relevant = [(hit(text, "korquad_1.0_KOR.html"), 1.0)]
    question = "리더보드 2위 MoBERT-Large V2.0의 모델 크기(파라미터 수)는 얼마로 적혀 있어요?"
    assert _writing_glossed(question, relevant, sources) == relevant
    # a gloss naming the thing still asks the document to write one of its names
    assert _writing_glossed("포스트시즌(한국시리즈) 일정은?", relevant, sources) == []


DASHBOARD = [
    ("소스 파일 수 (.rs)", "171", "", "커밋 픽스처 문서 수", "345"),
    ("총 LOC", "81,715", "", "CI 잡 수", "9"),
    ("#[test] 어노테이션 총계", "1,662", "", "파일당 평균 LOC", "478"),
]


def test_a_number_in_a_row_of_label_and_number_pairs_is_its_own_labels() -> None:
    blank = ("", "", "", "", "")
    passage, sources = table_passage(
        blank, DASHBOARD, name="workbook.xlsx", above="저장소 대시보드"
    )
    answer = extractive_answer(
        "저장소 대시보드에서 파일당 평균 LOC는 얼마예요?", [passage], flat_idf, sources=sources
    )
    # 1,662 (the 총계 beside it) was read as the average too, and the row was shown under
    # the 총계's label
    assert answer.text.startswith("파일당 평균 LOC: 478 [1]"), answer.text
    assert "파일당 평균 LOC | 478" in answer.text, answer.text


def test_lines_of_code_asked_by_how_much_are_no_money() -> None:
    assert read_intent("대시보드에서 파일당 평균 LOC는 얼마예요?").asked is Asked.NUMBER
    assert read_intent("직원 1인당 평균 급여는 얼마예요?").asked is Asked.MONEY


def test_one_length_in_two_units_is_one_duration() -> None:
    found = find_values("경기 시간은 2시간 41분이었고, 공사 기간은 1년 6개월이다.")
    assert [(v.kind, v.text) for v in found] == [
        (ValueKind.DURATION, "2시간 41분"),
        (ValueKind.DURATION, "1년 6개월"),
    ]
    # a date's 년 and 월 stay a date
    assert [v.kind for v in find_values("2024년 5월 3일")] == [ValueKind.DATE]


def test_a_project_held_against_a_sum_is_ruled_by_its_stated_cost() -> None:
    text = (
        "가. 사업개요\n"
        "m 사업명 : 데이터친화적 문서작성 기반의 온나라 웹기안기 도입\n"
        "m 사업금액 : 1,062,888천원(국비 / VAT포함)\n"
        "m 사업기간 : 계약일로부터 7개월"
    )
    passage = hit(text, name="제안요청서.pdf")
    question = "온나라 웹기안기 도입 사업은 20억 원이 넘나요?"
    answer = extractive_answer(question, [passage], flat_idf)
    assert answer.text.startswith("아니요 — 사업금액 : 1,062,888천원 [1]"), answer.text
    answer = extractive_answer(question.replace("20억", "10억"), [passage], flat_idf)
    assert answer.text.startswith("예 — 사업금액 : 1,062,888천원 [1]"), answer.text


def test_an_email_asked_of_a_named_person_is_not_the_letterheads() -> None:
    text = "Kraxi Systems, Inc.\ninfo@kraxi.com www.kraxi.com\nLocal sales rep: Lucy Irwin"
    passage = hit(text, name="Invoice.pdf")
    question = "What is the email address of Lucy Irwin, the local sales rep on the Kraxi invoice?"
    assert extractive_answer(question, [passage], flat_idf).abstained
    # the company's own address is the letterhead's
    answer = extractive_answer("What is the email address of Kraxi?", [passage], flat_idf)
    assert answer.text.startswith("info@kraxi.com"), answer.text


def test_rows_not_of_a_kind_are_counted_when_the_question_says_not() -> None:
    header = ("ID", "기능", "구현 상태")
    states = (
        "구현 완료",
        "부분 구현",
        "구현 완료",
        "미지원",
        "구현 완료",
        "구현 완료",
        "부분 구현",
    )
    rows = [(f"F-{i:03}", f"기능 {i}", state) for i, state in enumerate(states, start=1)]
    passage, sources = table_passage(header, rows, name="workbook.xlsx", above="기능 매트릭스")
    answer = extractive_answer(
        "기능 매트릭스에서 '구현 완료'가 아닌 기능은 모두 몇 개인가요?",
        [passage],
        flat_idf,
        sources=sources,
    )
    assert answer.text.startswith(
        "3개 — 구현 상태 '구현 완료 아님' 행: F-002 부분 구현 [1], F-004 미지원 [2], "
        "F-007 부분 구현 [3]"
    ), answer.text


def test_the_article_asked_of_a_described_row_is_its_labels() -> None:
    header = ("구분", "주요내용")
    rows = [
        ("접근통제 시스템 설치․운영(제6조)", "o 접근통제 시스템 설치․운영 의무화"),
        ("보안프로그램(제9조)", "o 보안 프로그램(백신 S/W 등) 설치 및 업데이트"),
        ("물리적 접근 방지 (제10조)", "o 별도의 개인정보 물리적 보관 장소에 대한 출입통제"),
    ]
    passage, sources = table_passage(header, rows, name="제안요청서.pdf", above="준수사항")
    answer = extractive_answer(
        "준수사항 표에서 백신 같은 보안 프로그램을 설치하고 업데이트하라는 항목은 몇 조로 "
        "표시되어 있나요?",
        [passage],
        flat_idf,
        sources=sources,
    )
    assert answer.text.startswith("보안프로그램(제9조) [1]"), answer.text


LETTER = (
    "논산문화관광재단\n"
    "수신 수신자 참조\n"
    "제목 논산 피크닉 데이 제안서 평가위원 추천 요청\n"
    "1. 논산문화관광재단에서 추진하는 용역과 관련하여 평가위원을 모집하오니 추천하여 주시기 "
    "바랍니다.\n"
)
FOOTER = (
    "우 | 32983 | 충남 논산시 시민로 270 | / | http://nonsancntf.or.kr/cntf/\n"
    "전화 | 0417302925 | /전송 | 0 | / | ondeul@nonsancntf.or.kr | / | 공개"
)


def test_a_letters_postal_code_and_homepage_are_read_off_its_footer() -> None:
    text = f"{LETTER}{FOOTER}"
    body = Chunk(LETTER, 0, len(LETTER), "p.1", 1)
    footer = Chunk(FOOTER, len(LETTER), len(text), "p.1", 1)
    sources = Sources(passages=lambda d: [body, footer])
    passage = hit(LETTER, name="공문.hwp")  # search found the body, not the footer
    answer = extractive_answer("논산문화관광재단 주소의 우편번호는?", [passage], flat_idf,
                               sources=sources)  # fmt: skip
    assert answer.text.startswith("32983 [1]"), answer.text
    assert "우 | 32983 | 충남 논산시 시민로 270" in answer.text
    answer = extractive_answer(
        "논산문화관광재단 평가위원 추천 공문에 적힌 재단 홈페이지 주소가 뭐예요?",
        [passage],
        flat_idf,
        sources=sources,
    )
    assert answer.text.startswith("http://nonsancntf.or.kr/cntf/ [1]"), answer.text
