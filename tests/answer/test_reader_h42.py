"""Reading fixed for issue 13 from heldout42's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from test_reader import flat_idf, hit
from test_reader_h20 import table_passage

from dalin.answer.extractive import extractive_answer
from dalin.answer.intent import Asked, Operation, read_intent


def _first(question: str, text: str, name: str = "문서.docx") -> str:
    answer = extractive_answer(question, [hit(text, name)], flat_idf, min_coverage=0.2)
    return answer.text.splitlines()[0]


def test_how_many_more_than_another_is_a_difference_whatever_the_verb() -> None:
    text = (
        "본 협약에 따라 가나 상사와 다라 물산은 각각 12인 및 45인의 기술자를 현장에 보낸다. "
        "협약 당사자는 기한까지 대금을 납입하여야 한다."
    )
    asked = "협약 문서에서 다라 물산은 가나 상사보다 기술자를 몇 명 더 보내나요?"
    assert read_intent(asked).operation is Operation.DIFFERENCE
    line = _first(asked, text)
    assert "45인" in line and "12인" in line and line.endswith("= 33인"), line


def test_two_counts_labelled_by_the_question_are_added() -> None:
    text = (
        "3) 대상 단체를 보면 사회적협동조합 중 조합원이 100명 이상인 조합이 2,418개(통계청, "
        "2022년 기준), 공익법인이 4,702 개(국세청, 2023년 기준)인 점을 고려할 때 대상이 "
        "지나치게 넓음."
    )
    asked = "검토보고서가 근거로 든 사회적협동조합 수와 공익법인 수를 합치면 모두 몇 개인가요?"
    line = _first(asked, text, "검토보고서.pdf")
    assert "2,418개" in line and "4,702" in line and line.endswith("= 7,120개"), line


def test_a_seasons_winning_percentage_is_read_off_its_record() -> None:
    text = (
        "한편 팀은 5-2로 이기면서 2연승을 달렸고, 시즌 전적 21승 13패를 기록했다. "
        "선발 투수는 6이닝 동안 2실점했다."
    )
    asked = "기사에 나온 팀의 시즌 전적으로 승률을 계산하면 얼마예요?"
    line = _first(asked, text, "기사.hwpx")
    assert line.endswith("= .618"), line  # 21 ÷ 34, to three places as box scores write it
    two = "기사에 나온 팀의 시즌 전적으로 승률을 계산하면 얼마예요? (소수점 둘째 자리까지)"
    assert _first(two, text, "기사.hwpx").endswith("= .62")


def test_a_fixed_term_worker_asks_no_span() -> None:
    asked = "위원이 설명한 기간제법 개정안은 기간제노동자에게 어떤 권리를 법에 명시하려는 건가요?"
    assert read_intent(asked).asked is Asked.DEFINITION
    text = (
        "다음은 기간제법 개정안입니다. 이에 저는 초단기계약 방지법을 통해 기간제노동자의 "
        "근로계약 갱신청구권을 명시하고자 합니다. 위원 여러분의 협조를 부탁드립니다."
    )
    assert "갱신청구권" in _first(asked, text, "회의록.pdf")


def test_whether_someone_urged_a_thing_is_ruled_by_what_they_said() -> None:
    text = (
        "김 차관은 “선수들이 그동안 흘린 땀이 결실을 보는 해이다. 국민들이 대표팀에 박수를 "
        "보낼 수 있도록 남은 기간 동안 최선을 다해주길 바란다.”라고 밝혔다."
    )
    asked = (
        "보도자료에서 김 차관은 국민들이 대표팀에 박수를 보낼 수 있게 남은 기간 최선을 다해 "
        "달라고 당부했나요?"
    )
    assert _first(asked, text, "보도자료.hwpx").startswith("예")


DEPENDENCIES = (
    ("크레이트", "버전", "소속", "역할"),
    [
        ("serde", "1", "office2pdf", "설정 직렬화"),
        ("thiserror", "2", "office2pdf", "라이브러리 오류 타입 정의"),
        ("anyhow", "1", "office2pdf-cli", "CLI 오류 처리"),
    ],
)


def test_the_label_column_answers_when_another_cell_names_the_row() -> None:
    passage, sources = table_passage(*DEPENDENCIES, name="workbook.xlsx", above="08_의존성")
    asked = "의존성 표를 보면 CLI 오류 처리에는 어떤 크레이트를 써요?"
    answer = extractive_answer(asked, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert "anyhow" in answer.text.splitlines()[0], answer.text


SCORES = (
    ("이름", "국어", "영어", "수학"),
    [("가람", "90", "70", "80"), ("나래", "60", "75", "85"), ("다솜", "95", "65", "70")],
)


def test_every_row_of_each_column_named_is_added_when_the_rows_are_counted() -> None:
    passage, sources = table_passage(*SCORES, name="성적표.hwpx", above="B반 중간고사")
    asked = "B반 중간고사 성적표에 있는 세 학생의 국어·영어·수학 점수를 전부 더하면 총 몇 점이에요?"
    answer = extractive_answer(asked, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.text.splitlines()[0].endswith("= 690점"), answer.text
    # one student's three subjects stay that student's row
    one = "B반 중간고사 성적표에서 나래의 국어·영어·수학 점수를 더하면 몇 점이에요?"
    answer = extractive_answer(one, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.text.splitlines()[0].endswith("= 220점"), answer.text


RATINGS = (
    ("항목", "office2pdf", "LibreOffice headless"),
    [("배포 단순성", "5", "2"), ("이식성", "5", "3"), ("서식 커버리지", "3", "5")],
)


def test_a_column_named_apart_from_the_list_is_not_added() -> None:
    passage, sources = table_passage(*RATINGS, name="office2pdf_소개.pptx", above="정성 평가")
    asked = (
        "office2pdf 소개 자료의 정성 평가에서 LibreOffice headless가 세 항목에서 받은 점수를 "
        "모두 더하면?"
    )
    answer = extractive_answer(asked, [passage], flat_idf, sources=sources, min_coverage=0.2)
    assert answer.text.splitlines()[0].endswith("= 10"), answer.text


def test_a_role_named_without_its_holder_does_not_answer_whose_name() -> None:
    text = (
        "회의에 참여하지 않은 정부 부처 관계자에 대해서는, 노동부장관과 그리고 환경부장관에 "
        "대해서는 해임촉구 결의안을 우리가 채택해야 된다고 봅니다."
    )
    asked = "위원이 해임촉구결의안을 채택하자고 한 고용노동부 장관은 이름이 뭐예요?"
    answer = extractive_answer(asked, [hit(text, "회의록.pdf")], flat_idf, min_coverage=0.2)
    assert answer.abstained, answer.text
    named = text.replace("노동부장관과", "이정식 노동부장관과")
    answer = extractive_answer(asked, [hit(named, "회의록.pdf")], flat_idf, min_coverage=0.2)
    assert "이정식" in answer.text, answer.text


INVOICE = (
    "Kraxi Systems, Inc.\nPaper Planes\nKraxi Systems, Inc. • 17, Aviation Road • Paperfield\n"
    "Phone 7079 4301\nLocal sales rep:\nLucy Irwin John Q. Doe\n255 Customer Lane\nSuite B\n"
    "12345 User Town\nEverland\nINVOICE 2020-10 January 8, 2020"
)


def _invoice(question: str) -> str:
    answer = extractive_answer(question, [hit(INVOICE, "Invoice.pdf")], flat_idf, min_coverage=0.2)
    return answer.text


def test_the_postal_code_of_the_address_under_the_name_asked() -> None:
    assert _invoice("Kraxi 송장에 적힌 고객 John Q. Doe 주소의 우편번호는 뭐예요?").startswith(
        "12345"
    )
    assert _invoice("Kraxi 송장에 적힌 John Q. Doe 주소의 도시 이름은?").startswith("User Town")
    assert _invoice("Kraxi 송장에 적힌 Kraxi Systems 회사의 거리 주소는 무엇인가요?").startswith(
        "17, Aviation Road"
    )
    assert _invoice("Kraxi 송장에 적힌 Kraxi Systems 주소의 도시 이름은?").startswith("Paperfield")
    # the seller's own address writes no code: the customer's is not its
    seller = "Kraxi 송장에 적힌 Kraxi Systems 본사 주소의 우편번호는 무엇인가요?"
    answer = extractive_answer(seller, [hit(INVOICE, "Invoice.pdf")], flat_idf, min_coverage=0.2)
    assert answer.abstained, answer.text
