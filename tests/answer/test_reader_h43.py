"""Reading fixed for issue 13 from heldout43's failures, once it had been measured. Each test
failed before its change."""

from __future__ import annotations

from test_reader import flat_idf, hit
from test_reader_h20 import table_passage

from dalin.answer.extractive import extractive_answer
from dalin.answer.values import ValueKind, find_values


def _first(question: str, text: str, name: str = "문서.docx") -> str:
    answer = extractive_answer(question, [hit(text, name)], flat_idf, min_coverage=0.2)
    return answer.text.splitlines()[0]


def _abstains(question: str, text: str, name: str = "문서.docx") -> bool:
    return extractive_answer(question, [hit(text, name)], flat_idf, min_coverage=0.2).abstained


def test_the_day_of_one_act_is_not_the_day_of_another() -> None:
    text = (
        "2023년 5월 2일 김아무 의원이 대표 발의한 공익활동 지원법 일부개정법률안은 "
        "2023년 5월 3일 우리 위원회에 회부되었음. 위원회는 개정안의 취지에 공감하였음."
    )
    asked = "검토보고서에서 지원위원회가 개정안에 대한 의견을 제출한 날짜는 언제로 적혀 있나요?"
    assert _abstains(asked, text, "검토보고서.pdf")
    told = "검토보고서에서 개정안이 위원회에 회부된 날짜는 언제인가요?"
    assert "5월 3일" in _first(told, text, "검토보고서.pdf")


def test_an_email_given_for_a_customer_is_not_the_letterheads() -> None:
    text = (
        "Kestrel Tools, Inc.\n12, Harbour Road\nPhone 5550 1200\nsales@kestrel.example\n"
        "Mary R. Roe\n40 Client Street\n77777 Hometown\nINVOICE 2021-07 March 3, 2021"
    )
    asked = "What email address is given for the customer Mary R. Roe on Kestrel invoice 2021-07?"
    assert _abstains(asked, text, "invoice.pdf")
    company = "What email address is given on Kestrel invoice 2021-07?"
    assert "sales@kestrel.example" in _first(company, text, "invoice.pdf")


def test_a_bound_a_rule_sets_is_no_share_or_measure() -> None:
    text = (
        "검수 과정에서 질문-답변 쌍의 통과와 탈락 판정은 두 명이 내렸다. 검수자는 과제 "
        "성공률 90% 이상인 작업자 가운데 선정되었다."
    )
    asked = "논문에 따르면 검수에서 탈락 판정을 받은 질문-답변 쌍은 전체의 몇 %였나요?"
    assert _abstains(asked, text, "논문.pdf")
    bound = "논문에 따르면 검수자로 뽑히려면 과제 성공률이 몇 % 이상이어야 하나요?"
    assert "90%" in _first(bound, text, "논문.pdf")
    passage, sources = table_passage(
        ("범주", "요구사항"), [("바이너리 크기", "CLI 30MB 미만(폰트 포함)")], name="요구.xlsx"
    )
    measured = "CLI 바이너리는 실제로 몇 MB로 측정됐나요?"
    answer = extractive_answer(measured, [passage], flat_idf, min_coverage=0.2, sources=sources)
    assert answer.abstained, answer.text
    passage, sources = table_passage(
        ("범주", "요구사항"), [("메모리", "100페이지 문서 기준 400MB 미만")], name="요구.xlsx"
    )
    used = "100페이지짜리 문서를 변환하면 메모리를 실제로 몇 MB 쓰나요?"
    answer = extractive_answer(used, [passage], flat_idf, min_coverage=0.2, sources=sources)
    assert answer.abstained, answer.text
    passage, sources = table_passage(
        ("범주", "요구사항"), [("메모리", "100페이지 문서 기준 400MB 미만")], name="요구.xlsx"
    )
    used = "100페이지짜리 문서를 변환하면 메모리를 실제로 몇 MB 쓰나요?"
    answer = extractive_answer(used, [passage], flat_idf, min_coverage=0.2, sources=sources)
    assert answer.abstained, answer.text


def test_measures_in_latin_units_are_values() -> None:
    found = [(v.kind, v.text, v.unit) for v in find_values("Dev Set (3.9MB), 여백 35mm, 5G 통신")]
    assert found == [(ValueKind.NUMBER, "3.9MB", "MB"), (ValueKind.NUMBER, "35mm", "mm")]
