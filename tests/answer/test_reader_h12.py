"""Reading fixed for issue 13 from heldout12's failures, before heldout13 was measured: a
number after a phone label is a phone number however it is grouped, an English question can
ask two things ("What phone number and fax number …"), three things listed then 모두 몇 ask
a sum, and a claim set against what is so in fact (`명시하나 실제로는 …`) answers 아니요 to
the claim; an act listed among offences (`위규사항: … 단순숫자 부여`) is not allowed, the
header level a question writes (`구성 민간`) names the cell, and a code after its label
(`품명번호 : 4323151301`) is the identifier asked; an attribute may be a suffixed noun
(`학습률`) with a gloss (`(LOC)`) the document may write instead, and a measure asked (`몇
초`) takes operands in it. Every test here failed before its change, but the two on the
paper and workbook, which guard the new checks from withholding too much or too little."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import dalin
from dalin.answer.cells import _names_leaf
from dalin.answer.intent import Operation, read_intent
from dalin.answer.reader import _IDENTIFIER, two_facts
from dalin.answer.values import ValueKind, find_values
from dalin.answer.yes_no import in_fact, listed_offence
from shared_samples import sample_workspace

#: the office2pdf workbook's 06_갭_분석 row (office2pdf_repository_workbook.xlsx), verbatim
GAP = (
    "PRD 기술 스택 불일치 | PRD는 PPTX 파서로 ppt-rs 를 명시하나 실제로는 quick-xml 기반 자체"
    " 구현 | Cargo.toml 대조 | PRD 갱신 후보"
)


def test_a_number_after_a_phone_label_is_a_phone_number() -> None:
    text = "Phone 7079 4301\nFax 7079 4302\n12345 User Town"
    phones = [(v.text, v.start) for v in find_values(text) if v.kind is ValueKind.PHONE]
    assert phones == [("7079 4301", 6), ("7079 4302", 20)]  # not the postcode below
    assert [v.text for v in find_values("Tel: +49 30 1234 5678")] == ["+49 30 1234 5678"]
    assert [v.kind for v in find_values("연락처 1")] != [ValueKind.PHONE]  # no grouped number


def test_an_english_question_asks_two_things_of_one_rest() -> None:
    assert two_facts("What phone number and fax number does Kraxi give on invoice 2020-10?") == [
        "What phone number does Kraxi give on invoice 2020-10?",
        "What fax number does Kraxi give on invoice 2020-10?",
    ]
    assert two_facts("Which city and country is the office in?") == [
        "Which city is the office in?",
        "Which country is the office in?",
    ]
    assert two_facts("What is the warranty period?") == []


def test_three_things_listed_then_all_ask_a_sum() -> None:
    question = "대상 포맷별 소스 파일 수를 보면 DOCX, PPTX, XLSX 전용 파일은 모두 몇 개인가요?"
    assert read_intent(question).operation is Operation.SUM
    assert read_intent("회의록을 보면, 의원은 모두 몇 명인가요?").operation is None  # a clause


def test_a_claim_against_the_fact_answers_no_to_the_claim_and_yes_to_the_fact() -> None:
    claim = "office2pdf는 PRD에 적힌 대로 ppt-rs 크레이트로 파워포인트 파일을 읽나요?"
    assert in_fact(claim, GAP) == (False, "실제로는 quick-xml 기반 자체 구현")
    assert in_fact("office2pdf는 quick-xml로 파워포인트 파일을 읽나요?", GAP) == (
        True,
        "실제로는 quick-xml 기반 자체 구현",
    )
    assert in_fact(claim, "PRD는 ppt-rs 를 명시한다") is None  # nothing set against it


#: the 온나라 웹기안기 RFP's 보안 위규 처리기준 row (p.58), verbatim but shortened
OFFENCES = (
    "구분: 보통 | 위규사항: 1. 기관 제공 중요정책ㆍ민감 자료 관리 소홀 가. 주요 현안ㆍ보고자료를"
    " 책상위 등에 방치나. 정책ㆍ현안자료를 휴지통ㆍ폐지함 등에 유기 4. 전산정보 보호대책 부실 라."
    ' 부팅ㆍ화면보호 패스워드 미부여 또는 "1111" 등 단순숫자 부여마. PC 비밀번호를 모니터옆 등'
    " 외부에 노출"
)


def test_an_act_listed_as_an_offence_is_not_allowed() -> None:
    question = "사업자 직원이 PC 화면보호 비밀번호를 '1111' 같은 단순한 숫자로 정해 둬도 괜찮나요?"
    assert (
        listed_offence(question, OFFENCES)
        == '부팅ㆍ화면보호 패스워드 미부여 또는 "1111" 등 단순숫자 부여'
    )
    assert listed_offence("화면보호 비밀번호는 몇 자리인가요?", OFFENCES) is None  # asks no leave
    assert listed_offence(question, OFFENCES.replace("위규사항", "권장사항")) is None


def test_the_header_level_that_names_what_a_cell_holds() -> None:
    assert _names_leaf("경북의 민간 위원은 몇 명인가요?", "구성 민간")
    assert not _names_leaf("경북의 민간 위원은 몇 명인가요?", "민간현황 학계")
    assert not _names_leaf("경북의 민간 위원은 몇 명인가요?", "민간")  # one level: no leaf


def test_a_code_after_its_label_is_an_identifier() -> None:
    assert _IDENTIFIER.search("③ 사무용소프트웨어(품명번호 : 4323151301)")
    assert _IDENTIFIER.search("업종코드: 1468")
    assert not _IDENTIFIER.search("신청인 | 업체명(상호) 영업소재지: 사업자번호")


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    names = (
        "odl_PDFUA-Ref-2-02_Invoice.pdf",
        "office2pdf_repository_workbook.xlsx",
        "odl_제안요청서_온나라웹기안기_230524.pdf",
        "odl_2125318_환경노동위원회_검토보고서.pdf",
    )
    with sample_workspace(tmp_path_factory.mktemp("h12"), *names) as workspace:
        yield workspace


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "What phone number and fax number does Kraxi Systems give on invoice 2020-10?",
            ["7079 4301 [1]", "7079 4302 [2]"],
        ),
        (
            "office2pdf 대시보드에서 대상 포맷별 소스 파일 수를 보면 DOCX, PPTX, XLSX 전용 파일은"
            " 모두 몇 개인가요?",
            ["= 76개"],
        ),
        (
            "광역 탄소중립녹색성장위원회 위원 구성 현황에서 경북의 민간 위원은 몇 명인가요?",
            ["경북 구성 민간: 17 [1]"],
        ),
        (
            "웹기안기 입찰에 참가하려면 소프트웨어사업자 업종코드와 사무용소프트웨어 품명번호를"
            " 각각 무엇으로 등록해야 하나요?",
            [
                "① 소프트웨어사업자(컴퓨터관련서비스사업, 업종코드: 1468) [1]",
                "③ 사무용소프트웨어(품명번호: 4323151301) [2]",
            ],
        ),
        (
            "웹기안기 사업자 직원이 PC 화면보호 비밀번호를 '1111' 같은 단순한 숫자로 정해 둬도"
            " 괜찮나요?",
            ['아니요 — 부팅ㆍ화면보호 패스워드 미부여 또는 "1111" 등 단순숫자 부여 [1]'],
        ),
        (
            "office2pdf는 PRD에 명시된 대로 ppt-rs로 PPTX를 파싱하나요?",
            ["아니요 — 실제로는 quick-xml 기반 자체 구현 [1]"],
        ),
    ],
)
def test_on_the_samples(samples: dalin.Workspace, question: str, expected: list[str]) -> None:
    answer = samples.ask(question, llm="extractive")
    lines = answer.text.splitlines()
    assert not answer.abstained, answer.text
    for i, want in enumerate(expected):
        assert lines[i].endswith(want) if want.startswith("=") else lines[i] == want, lines


def test_the_attribute_asked_is_a_suffixed_noun_and_may_be_glossed() -> None:
    from dalin.answer.asked import asked_attribute, asked_gloss

    question = "BERT 모델을 학습할 때 학습률(learning rate)은 얼마로 했나요?"
    assert asked_attribute(question) == "학습률"  # 학습 + the suffix 률, past the gloss
    assert asked_gloss(question) == "learning rate"
    assert asked_gloss("parser/pptx_slides.rs 파일의 코드 줄 수(LOC)는 얼마인가요?") == "LOC"
    assert asked_gloss("입찰 보증금은 얼마인가요?") == ""


def test_a_document_may_name_the_attribute_by_its_stem_or_gloss() -> None:
    from dalin.answer.asked import attribute_forms

    assert attribute_forms("BERT 모델의 학습률(learning rate)은 얼마로 했나요?") == (
        "학습률",
        "학습",
        "learning rate",
    )
    assert attribute_forms("출범 4년 동안의 알뜰폰 점유율은 얼마인가?") == ("점유율", "점유")
    assert attribute_forms("단체 회원들은 몇 명이 모였는가?") == ("회원",)  # 들: plural only
    assert attribute_forms("Cat.13의 업로드 속도의 최대치는 몇 Mbps인가?") == ()  # a limit


def test_a_measure_asked_takes_operands_in_that_measure() -> None:
    from decimal import Decimal

    from dalin.answer.operands import _measured_as_asked
    from dalin.answer.shown_work import Operand

    scores = [Operand("텍스트 · 서식", "4", Decimal(4)), Operand("그래픽", "2", Decimal(2))]
    timed = [Operand("변환 시간(초)", "4", Decimal(4)), Operand("DOCX", "2초", Decimal(2), "초")]
    question = "DOCX 문서 한 건을 변환하는 데 평균 몇 초가 걸리나요?"
    assert not _measured_as_asked(question, scores)
    assert _measured_as_asked(question, timed)
    assert _measured_as_asked("점수의 평균은 몇 점인가요?", scores)  # no measure asked
    assert not _measured_as_asked("평균 몇 분이 걸리나요?", [Operand("구분", "3", Decimal(3))])


@pytest.mark.parametrize(
    "question",
    [
        "KorQuAD 2.0 베이스라인 BERT 모델을 학습할 때 학습률(learning rate)은 얼마로 했나요?",
        "office2pdf로 DOCX 문서 한 건을 변환하는 데 평균 몇 초가 걸리나요?",
    ],
)
def test_what_the_samples_do_not_state_is_not_found(
    paper_and_workbook: dalin.Workspace, question: str
) -> None:
    answer = paper_and_workbook.ask(question, llm="extractive")
    assert answer.abstained, answer.text


def test_a_gloss_the_document_writes_still_answers(paper_and_workbook: dalin.Workspace) -> None:
    question = (
        "office2pdf 소스 모듈 인벤토리에서 parser/pptx_slides.rs 파일의 코드 줄 수(LOC)는"
        " 얼마인가요?"
    )
    assert paper_and_workbook.ask(question, llm="extractive").text.startswith(
        "parser/pptx_slides.rs LOC: 2,452 [1]"
    )


@pytest.fixture(scope="module")
def paper_and_workbook(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    names = ("korquad_KorQuAD_2.0_paper.pdf", "office2pdf_repository_workbook.xlsx")
    with sample_workspace(tmp_path_factory.mktemp("h12b"), *names) as workspace:
        yield workspace


#: the KorQuAD 2.0 paper, p.2, as its PDF lines break the sentence
PARAGRAPHS = (
    "추가적으로 HTML 태그를 제외한 순수 텍스트가 90단어 이하로 매우 짧은 문단과 참고문헌과 같이"
    " 지문 자체와 관련이 없는 부분들은 제거하였다."
)


def test_a_clause_taking_out_what_is_asked_answers_no() -> None:
    from dalin.answer.yes_no import removed_clause

    question = "순수 텍스트가 90단어 이하인 아주 짧은 문단도 작업자에게 지문으로 보여줬나요?"
    clause = removed_clause(question, PARAGRAPHS)
    assert clause is not None and clause.endswith("부분들은 제거하였다")
    assert removed_clause("짧은 문단은 제거했나요?", PARAGRAPHS) is None  # asks after removal
    assert removed_clause("참고문헌 양식은 무엇인가요?", PARAGRAPHS) is None  # too few words


def test_a_sentence_broken_over_pdf_lines_is_read_to_its_end(
    paper_and_workbook: dalin.Workspace,
) -> None:
    question = (
        "KorQuAD 2.0을 만들 때 순수 텍스트가 90단어 이하인 아주 짧은 문단도 작업자에게 지문으로"
        " 보여줬나요?"
    )
    lines = paper_and_workbook.ask(question, llm="extractive").text.splitlines()
    assert lines[0].startswith("아니요 — ") and lines[0].endswith("부분들은 제거하였다 [1]")
    assert lines[1] == f"{PARAGRAPHS} [1]"  # three PDF lines, one sentence


def test_an_event_then_how_many_days_after_asks_the_time_between() -> None:
    question = "김도읍 의원의 미세먼지 특별법 개정안은 발의된 뒤 며칠 만에 위원회에 회부됐나요?"
    assert read_intent(question).operation is Operation.ELAPSED
    assert read_intent("선고되고 며칠 뒤에 통지가 왔나요?").operation is Operation.ELAPSED


@pytest.fixture(scope="module")
def minutes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    name = "odl_국회회의록_21대_414회_환경노동위원회.pdf"
    with sample_workspace(tmp_path_factory.mktemp("h12c"), name) as workspace:
        yield workspace


def test_days_from_a_bill_to_its_referral_in_a_list_of_bills(minutes: dalin.Workspace) -> None:
    question = (
        "환노위 회의록 보고사항에 따르면 김도읍 의원의 미세먼지 특별법 개정안은 발의된 뒤 며칠"
        " 만에 위원회에 회부됐나요?"
    )
    lines = minutes.ask(question, llm="extractive").text.splitlines()
    assert lines[0] == "3월 4일 [2] − 2024. 2. 29. [1] = 4일", lines  # 2024 is a leap year


def test_a_numbered_sitting_is_a_name_the_document_must_write() -> None:
    from dalin.answer.asked import names_absent

    minutes = "제414회-환경노동제1차(2024년5월7일) … 장미란 제2차관은 …"
    assert names_absent("제414회 환경노동위원회 제2차 회의는 언제 열리나요?", minutes) == "제2차"
    assert names_absent("제414회 환경노동위원회 제1차 회의는 언제 열렸나요?", minutes) == ""
    assert names_absent("제1기 위원은 몇 명인가요?", "1기 탄중위 각계 대표(35명)") == ""


def test_a_sitting_the_minutes_do_not_record_is_not_found(minutes: dalin.Workspace) -> None:
    answer = minutes.ask("제414회 환경노동위원회 제2차 회의는 언제 열리나요?", llm="extractive")
    assert answer.abstained, answer.text


def test_a_counter_of_its_own_is_not_answered_by_another() -> None:
    from dalin.answer.asked import counts_other_thing

    question = "샌디에이고 선발 블레이크 스넬은 몇 이닝을 던졌나요?"
    assert counts_other_thing(question, "김하성은 2일(이하 한국시간) 미국 …에서 선발 출전했다.")
    assert not counts_other_thing(question, "스넬은 6이닝 2실점으로 호투했다.")
    assert not counts_other_thing("몇 표를 얻었나요?", "찬성 150명 중 120표")  # both written
    assert not counts_other_thing("몇 위인가요?", "3위")
    assert not counts_other_thing("몇 시부터 물대포를 뿌렸는가?", "오후 6시 30분")  # a time
    assert not counts_other_thing("15개 나라 중 몇 나라의 지지를 받았나요?", "14개")  # 개 may count


#: the 대중교통환승센터 standard, item 16 (hwpxlib_20230818_공공데이터_제공표준.hwpx), shortened
STATION = (
    "설명: 환승센터 내에서 이용 가능한 도시철도 및 광역전철의 역사번호 * 복수 표기 시 ‘+’구분자를"
    " 삽입 * 해당 대중교통환승센터에서 이용 가능한 도시/광역철도역이 없는 경우 0 입력"
    " 도시철도운영기관의 노선이 운행하는 정거장의 역사를 구별하기 위해 부여하는 역번호"
)


def test_the_case_asked_about_is_given_another_act() -> None:
    from dalin.answer.yes_no import prescribed_otherwise

    question = (
        "근처에 이용할 수 있는 도시철도역이 없는 환승센터는 도시철도역사번호 칸을 비워 두면 되나요?"
    )
    assert (
        prescribed_otherwise(question, STATION)
        == "해당 대중교통환승센터에서 이용 가능한 도시/광역철도역이 없는 경우 0 입력"
    )
    assert prescribed_otherwise("도시철도역이 없으면 0을 입력하면 되나요?", STATION) is None
    assert prescribed_otherwise("도시철도역사번호는 몇 자리인가요?", STATION) is None


def test_leaving_blank_what_the_standard_says_to_fill_with_0(tmp_path: Path) -> None:
    question = (
        "근처에 이용할 수 있는 도시철도역이 없는 환승센터는 도시철도역사번호 칸을 비워 두면 되나요?"
    )
    with sample_workspace(tmp_path, "hwpxlib_20230818_공공데이터_제공표준.hwpx") as ws:
        lead = ws.ask(question, llm="extractive").text.splitlines()[0]
    assert (
        lead
        == "아니요 — 해당 대중교통환승센터에서 이용 가능한 도시/광역철도역이 없는 경우 0 입력 [1]"
    )


def test_a_name_opening_the_question_is_still_a_name() -> None:
    from dalin.answer.asked import names_absent

    question = "office2pdf로 비밀번호가 걸린 워드 파일도 PDF로 바꿀 수 있나요?"
    assert names_absent(question, "제안요청서 … PDF 파일 … 위규사항") == "office2pdf"
    assert names_absent("What is the total?", "Total 200.00") == ""  # its first word
    release = "태그: v0.6.0 | 릴리스일: 2026-06-01 … office2pdf 저장소"
    assert names_absent("office2pdf v0.6.0의 릴리스일은 언제인가요?", release) == ""
    assert names_absent("KorQuAD 2.0의 문단 수는?", "KorQuAD 1.0 … 2.0") == "KorQuAD 2.0"


def test_a_yes_no_ruling_comes_from_a_document_writing_the_names(tmp_path: Path) -> None:
    question = "office2pdf로 비밀번호가 걸린 워드 파일도 PDF로 바꿀 수 있나요?"
    names = ("odl_제안요청서_온나라웹기안기_230524.pdf", "korquad_KorQuAD_2.0_paper.pdf")
    with sample_workspace(tmp_path, *names) as ws:
        answer = ws.ask(question, llm="extractive")
    assert answer.abstained, answer.text  # the RFP's 위규사항 rules on no office2pdf


def test_a_number_proposed_outside_a_stated_bound_answers_no() -> None:
    from dalin.answer.yes_no import out_of_bounds

    row = "항목명: 위도 | 표현형식/단위: NNN.NNNNNN (소수점이하 6자리 이상 10자리 이하 허용)"
    question = "환승센터 데이터에 위도 값을 소수점 넷째 자리까지만 적어도 되나요?"
    assert out_of_bounds(question, row) == "NNN.NNNNNN (소수점이하 6자리 이상 10자리 이하 허용)"
    assert out_of_bounds("위도를 소수점 8자리로 적어도 되나요?", row) is None  # within
    assert out_of_bounds("위도를 11자리로 적어도 되나요?", row) is not None  # above 10
    assert out_of_bounds("위도를 4명이 적어도 되나요?", row) is None  # another counter


def test_two_things_side_by_side_are_no_header_levels() -> None:
    assert not _names_leaf("저장소 개요에서 Fork 수는?", "Star / Fork")
