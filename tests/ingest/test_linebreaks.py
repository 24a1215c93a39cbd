"""Korean words a PDF cut at a line end or spread apart are mended before chunking."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dalin
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.linebreaks import _mend_all, mend_line_breaks
from shared_samples import shared_path


@pytest.mark.parametrize(
    ("text", "mended"),
    [
        ("검 토 보 고", "검토보고"),
        ("환 경 노 동 위 원 회", "환경노동위원회"),
        ("Ⅰ. 개 요", "Ⅰ. 개요"),
        ("m 사 업 명 : 데이터친화적 문서작성", "m 사업명 : 데이터친화적 문서작성"),
        ("시\n민\n단\n체", "시민단체"),
        ("민간현황 시\n민\n단\n체", "민간현황 시민단체"),
        ("총인\n원", "총인원"),
        ("탄소중\n립기본계획 및 주요 정책", "탄소중립기본계획 및 주요 정책"),
        ("아동, 청년, 여\n성, 노동자", "아동, 청년, 여성, 노동자"),
        # a break between two words stays
        ("시민사회단체 등 다양한\n사회계층으로부터", "시민사회단체 등 다양한\n사회계층으로부터"),
        # two one-syllable words are not a spaced-out word
        ("할 수", "할 수"),
        ("것 및 그 밖의 사항", "것 및 그 밖의 사항"),
        ("Hours Rate\nCost", "Hours Rate\nCost"),
        # a title spread over a cell's width, then a name; not two words before one
        ("부 장 오윤탁", "부장 오윤탁"),
        ("책 임 이은혁", "책임 이은혁"),
        ("할 수 있다", "할 수 있다"),
        ("그 외 비용", "그 외 비용"),
    ],
)
def test_cut_and_spaced_words_are_mended(text: str, mended: str) -> None:
    assert _mend_all([text]) == [mended]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="가나다라 시민단체\n,.", max_size=40), min_size=1, max_size=5))
def test_mending_only_ever_removes_whitespace(texts: list[str]) -> None:
    for before, after in zip(texts, _mend_all(texts), strict=True):
        assert "".join(before.split()) == "".join(after.split())
        assert len(after) <= len(before)


def test_only_pdfs_are_mended() -> None:
    b = DocumentBuilder("a.hwp", format="hwp")
    b.paragraph("검 토 보 고\n탄소중\n립")
    doc = b.build()
    assert mend_line_breaks(doc) is doc


def test_cells_keep_one_line_and_the_document_its_shape() -> None:
    b = DocumentBuilder("a.pdf", format="pdf")
    b.pages, b.page_labels = 2, ("", "1")
    b.ocr_pages = {1: 88.5}
    b.paragraph("목 차", page=1)
    b.table(["구 분", "총인\n원"], [["서울", "40"]], page=2)
    b.paragraph("- 1 -", page=2, role="footer")
    doc = mend_line_breaks(b.build())
    assert [blk.text for blk in doc.blocks] == [
        "목차",
        "구분 | 총인원\n구분: 서울 | 총인원: 40",
        "- 1 -",
    ]
    assert doc.blocks[1].table is not None and doc.blocks[1].table.header == ("구분", "총인원")
    assert doc.blocks[2].role == "footer" and doc.page_labels == ("", "1") and doc.pages == 2
    assert doc.ocr_pages == ((1, 88.5),)


def test_a_spaced_out_table_header_is_found_as_written(tmp_path: Path) -> None:
    # 환경노동위원회 검토보고서, p.13: "총인원" wraps in its cell, "시민단체" runs down one
    path = shared_path("samples", "odl_2125318_환경노동위원회_검토보고서.pdf")
    with dalin.Workspace.create(tmp_path / "ws") as ws:
        assert ws.add([path]).ok
        hits = ws.search("광역 위원회 시민단체 총인원", k=3)
        table = next(h for h in hits if "서울" in h.text)
        assert "총인원: 40" in table.text and "시민단체: 2" in table.text
        assert "총인 원" not in table.text and "시 민 단 체" not in table.text
        first = ws.search("검토보고", k=5)
        assert any(h.page == 1 for h in first)
