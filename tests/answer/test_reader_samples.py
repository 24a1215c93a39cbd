"""The offline reader end to end on real documents from ../shared/samples (skipped without)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import dalin

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


def samples_folder() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"shared samples not available at {SAMPLES} (run inside the dalin workplace)")
    return SAMPLES


FILES = (
    "autorag_kbo_table_text.pdf",
    "odl_2125318_환경노동위원회_검토보고서.pdf",
    "odl_국회회의록_21대_414회_환경노동위원회.pdf",
    "hwp2hwpx_JHOMS242540000308001.hwp",
    "hwpxlib_textextractor_Table.hwpx",
    "odl_PDFUA-Ref-2-02_Invoice.pdf",
    "ADV_hwpxlib_20240626_no_manifest.hwpx",
)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    samples = samples_folder()
    workspace = dalin.Workspace.create(tmp_path_factory.mktemp("samples") / "ws")
    report = workspace.add([samples / name for name in FILES])
    assert not report.failed, report.failed
    yield workspace
    workspace.close()


def lead(ws: dalin.Workspace, question: str) -> str:
    answer = ws.ask(question)
    assert not answer.abstained, answer.text
    for citation in answer.citations:  # every quote is the document's text where it says
        passage = ws.passage(citation.doc_id, citation.start, citation.end)
        shown = passage.text[passage.highlight[0] : passage.highlight[1]]
        assert " ".join(shown.split()) == " ".join(citation.quote.split())
    lines = answer.text.splitlines()
    assert len(lines) == len(set(lines)), lines  # no line twice
    return lines[0]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("2024 KBO 규정에서 7월 토요일 경기는 몇 시에 시작하나요?", "7월 토요일: 18:00 [1]"),
        ("C반 기말고사에서 개똥이의 수학 점수는?", "개똥이 수학: 78 [1]"),
        (
            "광역 탄소중립녹색성장위원회 위원 구성에서 울산의 총인원은 몇 명인가요?",
            "울산 총인 원: 27 [1]",
        ),
        (
            "논산 피크닉 데이 제안서 평가위원 후보의 모집기간과 모집인원은?",
            "모집기간: 2024. 7. 24.(수)~8. 2.(금) [1]",
        ),
    ],
)
def test_a_fact_in_a_table_or_a_form_leads_the_answer(
    ws: dalin.Workspace, question: str, expected: str
) -> None:
    assert lead(ws, question).replace("총인원", "총인 원") == expected


def test_arithmetic_over_table_rows_and_between_two_moments(ws: dalin.Workspace) -> None:
    total = lead(ws, "서울과 부산 광역 탄소중립위원회의 총인원을 합하면 몇 명인가요?")
    assert total.endswith("= 90명") and "[1]" in total and "[2]" in total
    assert lead(ws, "제414회 환경노동위원회 제1차 회의는 몇 분 동안 열렸나요?").endswith("= 31분")
    assert lead(ws, "KBO 7월 평일 경기와 토요일 경기의 개시 시간 차이는 몇 분인가요?").endswith(
        "= 30분"
    )


def test_yes_no_is_answered_first(ws: dalin.Workspace) -> None:
    assert lead(ws, "홈구단이 요청하면 금요일 경기 개시 시간을 19:00로 바꿀 수 있나요?").startswith(
        "예"
    )


def test_an_english_invoice_answers_a_korean_question(ws: dalin.Workspace) -> None:
    # the parser stores this invoice's rows as a table whose first column joins ITEM and
    # DESCRIPTION ("2 Turbo Flyer"); the row is still named by the product
    assert lead(ws, "Kraxi 송장에서 Turbo Flyer의 수량은?").endswith("Turbo Flyer QUANTITY: 5 [1]")


def test_a_model_that_cannot_be_reached_leaves_the_reader_its_tables(
    ws: dalin.Workspace,
) -> None:
    from dalin.llm.registry import make_llm

    # nothing listens on port 9 of loopback: the model fails, the reader answers
    down = make_llm("openai:down", base_url="http://127.0.0.1:9/v1", api_key="unused",
                    max_retries=0, connect_timeout=1.0)  # fmt: skip
    answer = ws.ask("C반 기말고사에서 개똥이의 수학 점수는?", llm=down)
    assert answer.method == "extractive-fallback" and "llm_unreachable" in answer.notice
    assert answer.text.splitlines()[0] == "개똥이 수학: 78 [1]"


def test_an_absent_fact_is_not_found(ws: dalin.Workspace) -> None:
    for question in (
        "KBO 올스타전은 언제 열리나요?",
        "논산 피크닉 데이 행사의 입장료는 얼마인가요?",
    ):
        answer = ws.ask(question)
        assert answer.abstained and not answer.citations, answer.text


def test_the_question_set_refers_to_documents_that_exist() -> None:
    import json

    samples = samples_folder()
    set_path = Path(__file__).resolve().parents[2] / "bench" / "answers" / "questions.jsonl"
    items = [json.loads(line) for line in set_path.read_text("utf-8").splitlines() if line]
    assert len(items) >= 80 and sum(not i["answerable"] for i in items) >= 10
    for item in items:
        for name in item["expected_sources"]:
            assert (samples / name).is_file(), name
