"""Reading fixed for issue 13 from heldout13's failures, after it was measured: a formal
word Kiwi misreads alone (위임 as 위 + 이다) is read as a passage writes it, a PDF line ending
on a particle runs on into the next, and a span a yes/no question proposes in words
(일주일 안에) is held against a bound in another counter (1일 내에). Each test failed before
its change, but the guards noted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_reader import flat_idf, hit

import dalin
from dalin.answer.asked import english_attribute
from dalin.answer.bilingual import bilingual_equivalents
from dalin.answer.candidates import _law_asked, _of_law
from dalin.answer.evidence import _mid_clause, _runs_on
from dalin.answer.extractive import Question, extractive_answer
from dalin.answer.intent import Asked, read_intent
from dalin.answer.plain_words import plain_equivalents
from dalin.answer.reader import _fraction_counted, _measure_unwritten, two_facts
from dalin.answer.yes_no import out_of_bounds
from shared_samples import sample_workspace

#: the RFP's 별첨 4 lines (odl_제안요청서_온나라웹기안기_230524.pdf p.61), as extracted
REPORTING = (
    "- 시스템 접근 권한을 승인받은 인력 또는 해당 인력의 업무 변동이",
    "있는 경우, 해당 사유가 발생한 후 1일 내에 신고해야 한다. ② 자료․정보 등의 보안관리",
)


def test_a_formal_noun_is_read_as_a_passage_writes_it() -> None:
    pairs = plain_equivalents("자구 수정은 위원장에게 맡겼나요?")
    assert (frozenset({"맡기"}), frozenset({"위임"})) in pairs  # was {"위"}: never held


def test_a_line_ending_on_a_particle_runs_on() -> None:
    assert _mid_clause(REPORTING[0])  # ends on the subject particle 이
    assert _runs_on(REPORTING[0], 47)  # 37 of 47 characters: not full, but mid-clause
    # guards: a heading and a finished sentence end nothing mid-clause
    assert not _runs_on("② 자료․정보 등의 보안관리 방안", 47)
    assert not _runs_on("사업자는 보안 교육에 참석해야 한다.", 30)


@pytest.mark.parametrize(
    ("question", "sentence", "broken"),
    [
        ("직원이 바뀌면 일주일 안에만 신고하면 되나요?", " ".join(REPORTING), True),
        ("이틀 뒤에 신고해도 되나요?", "사유 발생 후 1일 내에 신고", True),
        ("2시간 안에 처리하면 되나요?", "접수 후 30분 이내에 처리", True),
        ("3일 안에 신고하면 되나요?", "사유 발생 후 7일 이내에 신고", False),  # within it
        ("위도 값을 소수점 넷째 자리까지만 적어도 되나요?", "6자리 이상 10자리 이하 허용", True),
        ("3명이 참석하면 되나요?", "회의는 1일 내에 연다", False),  # another measure
    ],
)
def test_a_proposed_span_is_held_against_a_bound_in_any_counter(
    question: str, sentence: str, broken: bool
) -> None:
    assert (out_of_bounds(question, sentence) is not None) is broken


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    names = (
        "odl_제안요청서_온나라웹기안기_230524.pdf",
        "odl_국회회의록_21대_414회_환경노동위원회.pdf",
    )
    with sample_workspace(tmp_path_factory.mktemp("h13"), *names) as workspace:
        yield workspace


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        (
            "웹기안기 사업에서 시스템 접근 권한을 받은 사업자 직원이 바뀌면 일주일 안에만"
            " 신고하면 되나요?",
            "아니요 — 시스템 접근 권한을 승인받은 인력 또는 해당 인력의 업무 변동이 있는 경우,"
            " 해당 사유가 발생한 후 1일 내에 신고해야 한다. [1]",
        ),
        (
            "제414회 환노위에서 채택한 2023년도 국정감사 결과보고서의 자구 수정은 위원장에게"
            " 맡겼나요?",
            "예 [1]",
        ),
    ],
)
def test_yes_no_on_the_samples(samples: dalin.Workspace, question: str, lead: str) -> None:
    answer = samples.ask(question, llm="extractive")
    assert answer.text.splitlines()[0] == lead, answer.text
    assert "1일 내에" in answer.text or "위원장에게 위임" in answer.text


def test_an_english_question_names_the_attribute_it_asks_of_its_subject() -> None:
    assert english_attribute("What are Zava Auto Repair's business hours?") == ("busi", "hour")
    assert english_attribute("What is the phone number of Kraxi?") == ("phone", "number")
    # the owner inside a phrase is not the subject: the policy number is asked
    question = "What is the insurance policy number on Gabriel Diaz's repair estimate?"
    assert english_attribute(question) == ()


@pytest.fixture(scope="module")
def estimate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    names = (  # with other files, as a workspace holds them: alone, the estimate's words
        # are in every passage and nothing clears the gate
        "markitdown_REPAIR-2022-INV-001_multipage.pdf",
        "odl_PDFUA-Ref-2-02_Invoice.pdf",
        "korquad_KorQuAD_2.0_paper.pdf",
    )
    with sample_workspace(tmp_path_factory.mktemp("estimate"), *names) as workspace:
        yield workspace


def test_the_subject_alone_answers_no_attribute(estimate: dalin.Workspace) -> None:
    answer = estimate.ask("What are Zava Auto Repair's business hours?", llm="extractive")
    assert answer.abstained, answer.text  # was the letterhead, "ZAVA AUTO REPAIR"
    # guard: the attribute held answers as before
    question = "What is the insurance policy number on Gabriel Diaz's repair estimate?"
    assert "POL-2022-555" in estimate.ask(question, llm="extractive").text


#: the RFP's 별첨 2 row (p.59), as the table renders it
PENALTIES = (
    "구분: 위약금 비중 | 위규 수준 A급: 부정당업자 등록 | 위규 수준 B급: 총 사업비의 0.5% 이하"
    " (최대 3천만원 최소 2,500천원) | 위규 수준 C급: 총 사업비의 0.3% 이하 (최대 1800만원"
    " 최소 1,500천원)"
)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        (
            "보안 위약금에서 B급 위규 위약금의 최대 금액은 최소 금액의 몇 배인가요?",
            "최대 3천만원 [1] ÷ 최소 2,500천원 [1] = 12배",
        ),
        (  # the cell the question names, not the row's first pair
            "보안 위약금에서 C급 위규 위약금의 최대 금액은 최소 금액의 몇 배인가요?",
            "최대 1800만원 [1] ÷ 최소 1,500천원 [1] = 12배",
        ),
        (
            "보안 위약금에서 C급 위규 위약금의 최대 금액과 최소 금액의 차이는 얼마인가요?",
            "최대 1800만원 [1] − 최소 1,500천원 [1] = 16,500,000원",
        ),
    ],
)
def test_two_values_a_line_labels_with_the_question_s_words_are_operands(
    question: str, lead: str
) -> None:
    answer = extractive_answer(question, [hit(PENALTIES, "제안요청서.pdf")], flat_idf)
    assert answer.text.splitlines()[0] == lead, answer.text


#: the report's 참고자료 sentence, as a list of counts in running text
BY_FIELD = "각계 대표(35명)는 산업계 12명, 시민사회 10명, 청년 4명, 종교계 4명, 지자체 3명이다."


def test_a_count_after_the_name_of_what_is_counted_answers() -> None:
    question = "각계 대표 가운데 종교계 대표는 몇 명인가요?"
    answer = extractive_answer(question, [hit(BY_FIELD, "보고서.pdf")], flat_idf)
    assert answer.text.splitlines()[0] == "종교계 4명 [1]", answer.text  # not 대표(35명)
    question = "각계 대표 가운데 시민사회 대표는 몇 명인가요?"
    answer = extractive_answer(question, [hit(BY_FIELD, "보고서.pdf")], flat_idf)
    assert answer.text.splitlines()[0] == "시민사회 10명 [1]", answer.text


def test_an_item_inside_a_table_cell_is_the_count_asked(tmp_path: Path) -> None:
    with sample_workspace(tmp_path, "odl_2125318_환경노동위원회_검토보고서.pdf") as ws:
        question = "2050 탄소중립위원회 제1기 민간위촉위원 가운데 종교계 대표는 몇 명이었나요?"
        answer = ws.ask(question, llm="extractive")
    assert answer.text.splitlines()[0] == "종교계 4명 [1]", answer.text
    assert "구분: 직능별" in answer.text


def test_an_act_s_decree_is_not_the_act_asked() -> None:
    assert not _of_law("보유하고 있는 개인정보를 「개인정보 보호법 시행령」 ", "보호법")
    assert _of_law("안전성 확보조치 철저(개인정보 보호법 ", "보호법")
    # an act's name is not compared: questions shorten it
    assert _of_law("공무원의 노동조합 설립 및 운영 등에 관한 법률 ", "공무원노조법")
    assert _of_law("「근로기준법 시행령」 ", "근로기준법 시행령")  # the decree asked


#: the RFP's 별첨 5 (p.63): a caption citing the act, and the rule under it
SAFEGUARDS = (
    "② “을”은 계약이 해지되거나 또는 계약기간이 만료된 경우 보유하고 있는 개인정보를"
    " 「개인정보 보호법 시행령」 제16조에 따라 즉시 파기하여야 한다.\n"
    "□ 개인정보의 안전성 확보조치 철저(개인정보 보호법 제29조)\n"
    "ㅇ 개인정보처리자는 개인정보가 분실·도난·유출·변조 또는 훼손되지 않도록 다음 각 호의"
    " 안전성 확보조치를 하여야 한다."
)


def test_the_article_a_rule_s_caption_cites_is_quoted_with_the_rule() -> None:
    question = (
        "개인정보처리자가 개인정보 분실·도난·유출을 막도록 안전성 확보조치를 해야 한다는"
        " 근거로 든 개인정보 보호법 조항은 몇 조인가요?"
    )
    answer = extractive_answer(question, [hit(SAFEGUARDS, "제안요청서.pdf")], flat_idf)
    assert answer.text.splitlines()[0] == "제29조 [1]", answer.text  # not the decree's 16조
    assert "(개인정보 보호법 제29조)" in answer.citations[0].quote
    assert "분실·도난·유출" in answer.citations[0].quote


def test_a_demonstrative_in_the_second_clause_carries_the_first_clause_s_words() -> None:
    question = (
        "웹편집기가 지켜야 하는 한국형 웹 콘텐츠 접근성 지침은 몇 버전이고, 그 지침의 날짜는"
        " 언제로 적혀 있나요?"
    )
    assert two_facts(question)[1] == (
        "웹편집기가 지켜야 하는 한국형 웹 콘텐츠 접근성 지침의 날짜는 언제로 적혀 있나요?"
    )
    # guard: a second clause pointing back at nothing the first names is left as it is
    assert two_facts("위원은 몇 명이고, 그 회의는 언제 열리나요?")[1] == "그 회의는 언제 열리나요?"


def test_a_value_in_a_prose_cell_of_a_stored_table(samples: dalin.Workspace) -> None:
    # the two questions two_facts makes of heldout13's h13tf01, asked one by one: together,
    # in this small workspace, the confidence gate withholds them
    asked = "웹기안기 웹편집기가 지켜야 하는 한국형 웹 콘텐츠 접근성 지침"
    answer = samples.ask(f"{asked}의 날짜는 언제로 적혀 있나요?", llm="extractive")
    assert answer.text.splitlines()[0] == "2015. 3. 31 [1]", answer.text  # was not found
    assert "지침 2.1(2015. 3. 31) 준수" in answer.text
    answer = samples.ask(f"{asked}은 몇 버전?", llm="extractive")
    assert answer.text.splitlines()[0] == "2.1 [1]", answer.text  # a version by its name


def test_an_english_question_over_a_korean_rule_is_held_by_its_words() -> None:
    question = (
        "If the agency asks the contractor to replace a staff member, within how many days"
        " must the contractor make the replacement?"
    )
    pairs = bilingual_equivalents(question)
    for english, korean in (("contractor", "사업자"), ("ask", "요구"), ("within", "이내")):
        assert (frozenset({english}), frozenset({korean})) in pairs
    # the days asked are named by the days a passage states
    rule = "이 경우 사업자는 10일 이내에 그 해당자를 교체하여야 함"
    assert "day" in Question.parse(question).named_by_values(rule)
    assert "day" not in Question.parse(question).named_by_values("사업자는 해당자를 교체")


def test_who_was_appointed_is_read_from_the_committee_table(samples: dalin.Workspace) -> None:
    question = (
        "환노위 회의록 보고사항의 소위원회 위원 개선 표를 보면, 고용노동법안심사소위원회에서"
        " 사직한 이은주 위원 자리에 누가 보임됐나요?"
    )
    lead = samples.ask(question, llm="extractive").text.splitlines()[0]
    assert lead == "고용노동 법안심사 보임위원: 양경규 [1]"  # was a speech on 보이다


def test_a_time_stamp_alone_on_its_line_dates_what_follows(samples: dalin.Workspace) -> None:
    question = (
        "제414회 환노위 회의에서 안건들을 일괄 상정한 시각부터 산회할 때까지 몇 분이 걸렸나요?"
    )
    assert read_intent(question).asked is Asked.DURATION  # the minutes, not the 시각
    lead = samples.ask(question, llm="extractive").text.splitlines()[0]
    # "(10시25분)" stands above "… 93건의 법률안을 일괄하여 상정합니다"; the sitting closes
    # pages later at "(10시45분 산회)"
    assert lead == "10시45분 [2] − 10시25분 [1] = 20분"


def test_each_says_two_things_are_asked_however_long_the_second() -> None:
    question = (
        "office2pdf에서 TypeScript 타입 정의를 만드는 typescript 피처와 HTTP 변환 서버용"
        " server 피처는 각각 어떤 크레이트를 쓰나요?"
    )
    first, second = two_facts(question)
    assert first.endswith("typescript 피처는 어떤 크레이트를 쓰나요?")
    assert second.endswith("HTTP 변환 서버용 server 피처는 어떤 크레이트를 쓰나요?")
    # without 각각 a long second part is a clause of one question
    assert two_facts(question.replace("각각 ", "")) == []


def test_a_count_of_things_is_whole_and_asked_over_a_topic_word() -> None:
    question = "버그 수정마다 화면을 남긴 시각 증적 디렉터리가 몇 개 있나요?"
    assert read_intent(question).asked is Asked.COUNT  # 시각 is 視覺 here, not a time
    intent = read_intent("BERT 모델을 학습할 때 GPU를 몇 장 썼나요?")
    assert _fraction_counted(intent, "Baseline 검증 데이터 EM: 30.8")
    assert not _fraction_counted(intent, "GPU 8장")
    assert not _fraction_counted(read_intent("관광객은 몇 명인가요?"), "1.5만 명")


def test_a_sum_over_as_many_rows_as_the_question_names(tmp_path: Path) -> None:
    with sample_workspace(tmp_path, "odl_2125318_환경노동위원회_검토보고서.pdf") as ws:
        question = (
            "광역 탄소중립녹색성장위원회 위원 구성 현황에 나온 17개 시도 위원회의 총인원을"
            " 모두 더하면 몇 명인가요?"
        )
        lead = ws.ask(question, llm="extractive").text.splitlines()[0]
    assert lead.startswith("서울 총인원 40 [1] + 부산 총인원 50 [2] + ")
    assert lead.endswith("제주 총인원 66 [17] = 591명")


def test_an_act_shortened_in_the_question_keeps_its_syllables_in_order() -> None:
    full = "교원의 노동조합 설립 및 운영 등에 관한 법률 "
    assert _of_law(full, "교원노조법")
    assert not _of_law("위헌확인 최저임금법 ", "교원노조법")  # another act
    assert _of_law("「노동조합 및 노동관계조정법」 ", "노동조합법")
    question = "결정 통지가 온 교원노조법 위헌확인 사건은 그 법 몇 조에 관한 것인가요?"
    assert _law_asked(question) == "교원노조법"  # the act "그 법" points back to
    assert _law_asked("위탁 계약서 몇 조에 있나요?") == ""


def test_a_number_asked_in_a_unit_needs_the_unit_written() -> None:
    intent = read_intent("외부 대량 코퍼스는 전체 용량이 몇 GB인가요?")
    assert _measure_unwritten(intent, "외부 대량 코퍼스 수량: 2,695")  # a count of files
    assert not _measure_unwritten(intent, "코퍼스 용량: 3.2 GB")
    assert not _measure_unwritten(read_intent("몇 명인가요?"), "수량: 2,695")  # no unit asked
