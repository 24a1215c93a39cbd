"""Structure that decides whether an answer is right, on the real files in ../shared.

Labels name what a person can find (the article, the printed page, the numbered heading,
the spreadsheet row); tables of contents and page furniture are marked and rank lower.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import dalin
from dalin.ingest.chunking import chunk_document
from dalin.ingest.linebreaks import mend_line_breaks
from dalin.ingest.parsers import parse_bytes
from dalin.types import Chunk, Document
from shared_samples import shared_path


def sample(*parts: str) -> Document:
    path = shared_path(*parts)
    return mend_line_breaks(parse_bytes(path.read_bytes(), name=path.name))


def chunks(*parts: str) -> list[Chunk]:
    return chunk_document(sample(*parts))


def test_bare_article_headings_label_their_passages() -> None:
    # KBO 리그 규정: "제21조 주·야간경기 및 경기개시 시간" has no parentheses
    found = chunks("samples", "autorag_kbo_table_text.pdf")
    labels = [c.label for c in found]
    assert "p.1 (12쪽) · 제21조 주·야간경기 및 경기개시 시간" in labels
    assert "p.1 (12쪽) · 제22조 경기시간 제한" in labels
    # the page number printed at the top is the page's folio, in no passage
    assert all(c.text.strip() != "12" for c in found)


def test_a_cited_article_does_not_name_the_passage() -> None:
    # 온나라 제안요청서: "제76조(부정당업자의 입찰참가자격 제한)에 해당되지 않은 업체"
    found = chunks("samples", "odl_제안요청서_온나라웹기안기_230524.pdf")
    holder = next(c for c in found if "제76조(부정당업자의 입찰참가자격 제한)에" in c.text)
    assert "제76조" not in holder.label
    assert not any(c.label.endswith("제76조(부정당업자의 입찰참가자격 제한)") for c in found)


def test_toc_lines_footers_and_printed_pages_of_a_report() -> None:
    doc = sample("samples", "odl_2125318_환경노동위원회_검토보고서.pdf")
    assert doc.page_labels[:4] == ("", "", "1", "2")  # cover, contents, then "- 1 -"
    roles = {b.role for b in doc.blocks if "- 3 -" in b.text}
    assert roles == {"footer"}
    found = chunk_document(doc)
    toc = [c for c in found if c.kind == "toc"]
    assert toc and all(c.page == 2 for c in toc) and "Ⅲ. 검토의견" in toc[0].text
    assert not any("- 3 -" in c.text for c in found)
    table = next(c for c in found if "총인원: 40" in c.text)
    assert table.label.startswith(
        "p.13 (11쪽) · 2. 광역 탄소중립‧녹색성장위원회 위원 구성 현황 · 표"
    )


def test_a_filings_running_footer_is_furniture_kept_once() -> None:
    doc = sample("data", "sec10q", "docs", "2022 Q3 AAPL.pdf")
    found = chunk_document(doc)
    sales = next(c for c in found if "Total net sales" in c.text)
    assert sales.label.startswith("p.4 (page 1)")
    assert "Form 10-Q | 1" not in sales.text
    (footer,) = [c for c in found if c.kind == "furniture"]  # once, not on every page
    assert footer.text == "Apple Inc. | Q3 2022 Form 10-Q | 1"


def test_hwp_pages_come_from_the_saved_layout() -> None:
    # 논산문화관광재단 공문: the approval table sits on the second page
    doc = sample("samples", "hwp2hwpx_JHOMS242540000308001.hwp")
    assert doc.pages == 2
    found = chunk_document(doc)
    assert found[0].label.startswith("p.1")
    assert next(c for c in found if "문화기획팀-2181" in c.text).label.startswith("p.2")
    assert not any(c.label.startswith("¶") for c in found)


def test_hwp_headers_are_furniture_and_labels_use_numbered_headings() -> None:
    report = chunks("samples", "hwpjs_basicsReport.hwp")
    assert [c.text for c in report if c.kind == "furniture"] == ["리포트 제목 / 전공명"]
    help_text = chunks("samples", "autorag_rhwp_minimal-body-table.hwp")
    assert "p.2 · □ 표 뒤집기(행/열 바꿈)" in [c.label for c in help_text]


def test_a_spreadsheet_row_is_cited_alone() -> None:
    found = chunks("samples", "office2pdf_repository_workbook.xlsx")
    (row,) = [c for c in found if "경로 (src/ 기준): parser/docx_sections.rs" in c.text]
    assert row.label.endswith("05_모듈_인벤토리!A71:H71")
    assert row.text == (
        "크레이트: office2pdf | 경로 (src/ 기준): parser/docx_sections.rs | 계층: parser"
        " | 대상 포맷: DOCX | 파일 성격: 프로덕션 | LOC: 928 | #[test] 수: 0 | LOC 비중: 1.14%"
    )


@pytest.fixture
def report_workspace(tmp_path: Path) -> Iterator[dalin.Workspace]:
    path = shared_path("samples", "odl_제안요청서_온나라웹기안기_230524.pdf")
    with dalin.Workspace.create(tmp_path / "ws") as ws:
        assert ws.add([path]).ok
        yield ws


def test_search_ranks_the_section_above_its_toc_line(report_workspace: dalin.Workspace) -> None:
    hits = report_workspace.search("추진배경 및 필요성", k=5)
    assert hits[0].kind != "toc" and hits[0].page is not None and hits[0].page > 2
    assert any(h.kind == "toc" for h in report_workspace.search("목차 추진배경", k=20))
