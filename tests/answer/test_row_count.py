"""Counting the rows a question filters ("우선순위가 P0인 기능은 몇 개인가요?"), every counted
row cited; and a count asked with its counter ("몇 명이 참여했나요?") over a topic word
(점수) that no line counting in that counter answers. Each test but the guards failed before
its change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import dalin
from dalin.answer.intent import Asked, read_intent
from shared_samples import sample_workspace

#: (ID, 기능, 포맷, 구현 상태, 우선순위, 배점)
FEATURES = [
    ("F-1", "표 렌더링", "DOCX", "완료", "P0", 3),
    ("F-2", "차트", "PPTX", "부분 구현", "P1", 2),
    ("F-3", "머리글", "DOCX", "완료", "P0", 1),
    ("F-4", "각주", "DOCX", "미구현", "P2", 2),
    ("F-5", "수식", "PPTX", "완료", "P1", 3),
    ("F-6", "주석", "PPTX", "부분 구현", "P0", 1),
    ("F-7", "도형", "PPTX", "미구현", "P2", 2),
]


def _table(caption: str, header: list[str], rows: list[tuple[object, ...]]) -> str:
    cells = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<h2>{caption}</h2><table><tr>{cells}</tr>{body}</table>"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    folder = tmp_path_factory.mktemp("rows")
    page = folder / "기능_매트릭스.html"
    features = _table(
        "기능 목록", ["ID", "기능", "포맷", "구현 상태", "우선순위", "배점"], FEATURES
    )
    summary = _table("포맷별 요소 수", ["포맷", "요소 수"], [("DOCX", 12), ("PPTX", 9)])
    items = _table(
        "표준데이터 항목",
        ["NO", "항목명", "구분 (필수/선택)"],
        [(1, "센터명", "필수"), (2, "유형코드", "필수"), (3, "면적", "선택"), (4, "주소", "필수"),
         (5, "전화번호", "선택")],
    )  # fmt: skip
    page.write_text(f"<html><body>{features}{summary}{items}</body></html>", encoding="utf-8")
    ws = dalin.Workspace.create(folder / "ws")
    try:
        assert not ws.add([page]).failed
        yield ws
    finally:
        ws.close()


def _ask(ws: dalin.Workspace, question: str) -> str:
    return ws.ask(question, llm="extractive").text


@pytest.mark.parametrize(
    ("question", "count", "rows"),
    [
        ("기능 목록에서 우선순위가 P0인 기능은 몇 개인가요?", "3개", ["F-1", "F-3", "F-6"]),
        (
            "기능 목록에서 구현 상태가 '완료'인 기능은 모두 몇 개인가요?",
            "3개",
            ["F-1", "F-3", "F-5"],
        ),
        ("기능 목록에서 구현 상태가 부분 구현인 기능은 몇 개인가요?", "2개", ["F-2", "F-6"]),
    ],
)
def test_rows_a_question_filters_are_counted_and_each_cited(
    workspace: dalin.Workspace, question: str, count: str, rows: list[str]
) -> None:
    answer = workspace.ask(question, llm="extractive")
    lead = answer.text.splitlines()[0]
    assert lead.startswith(f"{count} — ")
    for number, row in enumerate(rows, 1):
        assert f"{row} [{number}]" in lead
    assert len(answer.citations) == len(rows)
    for citation, row in zip(answer.citations, rows, strict=True):
        assert row in citation.quote  # the counted row itself, not the table


@pytest.mark.parametrize(
    "question",
    [
        # the PPTX row of another table states it: "PPTX의" names a row, it filters nothing
        "포맷별 요소 수에서 PPTX의 요소는 몇 개인가요?",
        # a value written with no column named is no filter
        "P0 기능은 몇 개인가요?",
        # an amount column named: the 배점 are what is asked, not how many rows
        "우선순위가 P0인 기능의 배점은 모두 몇 개인가요?",
    ],
)
def test_a_value_named_for_another_reason_counts_no_rows(
    workspace: dalin.Workspace, question: str
) -> None:
    assert " — " not in _ask(workspace, question).splitlines()[0]


def test_the_other_table_still_answers_its_own_row(workspace: dalin.Workspace) -> None:
    assert _ask(workspace, "포맷별 요소 수에서 PPTX의 요소 수는 몇 개인가요?").startswith(
        "PPTX 요소 수: 9 [1]"
    )


def test_a_count_asked_with_its_counter_is_what_is_asked() -> None:
    question = "KorQuAD 2.0 논문에서 사람의 성능 점수를 잴 때 몇 명이 참여했나요?"
    assert read_intent(question).asked is Asked.COUNT  # not NUMBER, from 점수
    assert read_intent("배점은 몇 점인가요?").asked is Asked.NUMBER
    assert read_intent("몇 개월 걸리나요?").asked is Asked.DURATION


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    with sample_workspace(
        tmp_path_factory.mktemp("paper"), "korquad_KorQuAD_2.0_paper.pdf"
    ) as workspace:
        yield workspace


def test_a_count_no_line_counts_is_not_answered_by_scores(paper: dalin.Workspace) -> None:
    answer = paper.ask(
        "KorQuAD 2.0 논문에서 사람의 성능 점수를 잴 때 몇 명이 참여했나요?", llm="extractive"
    )
    assert answer.abstained, answer.text  # was "92.0%", a score, not a number of people


def test_the_paper_still_answers_a_count_it_states(paper: dalin.Workspace) -> None:
    answer = paper.ask("KorQuAD 2.0 평가 데이터의 질문은 몇 개인가요?", llm="extractive")
    assert "9,309" in answer.text


def test_the_workbook_counts_p0_features(tmp_path: Path) -> None:
    with sample_workspace(tmp_path, "office2pdf_repository_workbook.xlsx") as ws:
        question = "office2pdf 기능 매트릭스에서 PRD 우선순위가 P0인 기능 항목은 모두 몇 개인가요?"
        lead = _ask(ws, question).splitlines()[0]
    assert lead.startswith("12개 — PRD 우선순위 'P0' 행: F-001 [1], F-002 [2]")


def test_a_header_listing_its_kinds_is_named_by_the_kind_written(
    workspace: dalin.Workspace,
) -> None:
    # "구분 (필수/선택)": "필수 항목" names the column and keeps its rows, with no "인"
    lead = _ask(workspace, "표준데이터 항목 가운데 필수 항목은 모두 몇 개인가요?").splitlines()[0]
    assert lead.startswith("3개 — 구분 (필수/선택) '필수' 행: 센터명 [1], 유형코드 [2], 주소 [3]")
