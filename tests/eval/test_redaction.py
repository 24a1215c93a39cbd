"""A deleted document leaves an evaluation result: answer, citations, flags, verifier reasons."""

from __future__ import annotations

import json

from dalin.eval.redaction import redact_report, redact_result
from dalin.eval.schema import QuestionResult, RunReport
from dalin.stores.redaction import DELETED_LABEL, REDACTED


def flagged(retrieved: tuple[str, ...], citations: tuple[str, ...]) -> QuestionResult:
    return QuestionResult(
        question_id="q1",
        config="deepseek:deepseek-chat",
        question="금고의 코드는?",
        answer="코드는 ZEBRA-7입니다 [1]",
        method="generative",
        retrieved=retrieved,
        citations=citations,
        flags=(
            {
                "reason": "number",
                "action": "marked",
                "sentence": "코드는 ZEBRA-7",
                "detail": "ZEBRA-7 ↔ 9",
            },
        ),
        verification={
            "model": "deepseek-chat",
            "verdicts": [{"number": 1, "verdict": "contradicted", "reason": "ZEBRA-9라고 함"}],
        },
    )


def test_a_model_given_the_document_loses_its_flags_and_verifier_reasons() -> None:
    result = flagged(("금고규정.txt", "공개.txt#p.2"), ("[1] 공개.txt · 제1조",))
    redacted = redact_result(result, "금고규정.txt")
    assert redacted is not None and "ZEBRA" not in str(redacted.to_json())
    assert redacted.answer == REDACTED and redacted.retrieved[0] == DELETED_LABEL
    assert redacted.flags[0]["reason"] == "number" and redacted.flags[0]["detail"] == ""
    assert redacted.verification["verdicts"][0]["verdict"] == "contradicted"
    assert redacted.citations == ("[1] 공개.txt · 제1조",)


def test_a_result_that_never_saw_the_document_is_left_alone() -> None:
    result = flagged(("공개.txt",), ("[1] 공개.txt · 제1조",))
    assert redact_result(result, "금고규정.txt") is None


def test_a_stored_report_loses_the_document_and_an_unreadable_one_is_emptied() -> None:
    result = flagged(("금고규정.txt",), ("[1] 금고규정.txt · 제1조",))
    report = RunReport("r", "q.jsonl", "s", "f", 5, (), (result,))
    text = json.dumps(report.to_json(), ensure_ascii=False)
    redacted = redact_report(text, "금고규정.txt")
    assert redacted is not None and "ZEBRA" not in redacted and "금고규정.txt" not in redacted
    assert redact_report(text, "공개.txt") is None
    assert redact_report('{"broken": "금고규정.txt ZEBRA"', "금고규정.txt") == ""
    assert redact_report('{"broken": ""', "금고규정.txt") is None
