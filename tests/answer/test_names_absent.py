"""A name the question writes that the answer's document never does (issue 13)."""

from __future__ import annotations

import pytest
from test_reader import flat_idf, hit

from dalin.answer.asked import names_absent
from dalin.answer.extractive import extractive_answer


@pytest.mark.parametrize(
    ("question", "document", "absent"),
    [
        ("What sales tax rate is charged on Kraxi invoice 2020-10?", "Zava Auto Repair", "Kraxi"),
        ("What sales tax rate is charged on Kraxi invoice 2020-10?", "KRAXI Kites", ""),
        # lower-case English words and the question's first word are no names
        ("What is the deadline of the 남구 tax notice?", "입법예고 마감", ""),
        ("office2pdf에서 A3 용지는 몇 포인트인가요?", "office2pdf PaperSize: A4, Letter", "A3"),
        ("office2pdf에서 A4 용지는 몇 포인트인가요?", "office2pdf PaperSize: A4, Letter", ""),
        ("KorQuAD 2.0 논문의 parser 설명은?", "KorQuAD 2.0 웹문서", ""),
        # a version written after a name is part of it; spaces are not compared
        ("KorQuAD 2.0 리더보드의 1위는?", "KorQuAD 1.0 리더보드", "KorQuAD 2.0"),
        ("KorQuAD 2.0 리더보드의 1위는?", "KorQuAD2.0 리더보드", ""),
    ],
)
def test_a_name_is_absent_when_the_document_never_writes_it(
    question: str, document: str, absent: str
) -> None:
    assert names_absent(question, document) == absent


ESTIMATE = "Zava Auto Repair estimate\nSales Tax Rate: 10.20%\nSubtotal 2,730.00\n"


def test_a_question_on_another_companys_invoice_is_not_answered() -> None:
    passage = hit(ESTIMATE, "estimate.pdf", 1)
    asked = extractive_answer(
        "What sales tax rate is charged on Kraxi invoices?", [passage], flat_idf
    )
    assert asked.abstained, asked.text
    own = extractive_answer(
        "What sales tax rate is charged on Zava estimates?", [passage], flat_idf
    )
    assert "10.20%" in own.text, own.text


def test_a_name_the_glossary_gives_other_words_for_is_no_missing_name() -> None:
    # "BGS = 부가가치세" in the workspace glossary: the document writes the other word
    assert names_absent("BGS 신고 주기는?", "부가가치세는 분기마다 신고한다", {"bgs"}) == ""
    assert names_absent("BGS 신고 주기는?", "부가가치세는 분기마다 신고한다") == "BGS"
