"""Legacy formats: .xls/.ods through calamine, .doc/.ppt/HWP 3.x through LibreOffice.

The files in tests/ingest/legacy/ were made by LibreOffice from the flat ODF sources beside
them (see make_legacy.py there): a fictional price list, work rules and a product deck.
Tests that need LibreOffice skip with the reason when it is missing (`make test` installs
it as root); the refusal without it is tested in a child whose PATH holds no LibreOffice.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_ocr import parse_without_programs

import dalin
from dalin.errors import CorruptDocument, EmptyDocument, LimitExceeded
from dalin.ingest.chunking import chunk_document
from dalin.ingest.limits import Limits
from dalin.ingest.parsers import parse_bytes
from dalin.ingest.parsers.calamine import CalamineParser, cell_text
from dalin.ingest.soffice import soffice_path
from dalin.testing.parser_contract import ParserContract, assert_well_formed, minimal_docx

LEGACY = Path(__file__).resolve().parent / "legacy"
PRICE_HEADER = ("품번", "품목", "규격", "단가", "재고", "입고일")
PRICE_ROW = "품번: HB-200 | 품목: 육각너트 | 규격: M8 | 단가: 85 | 재고: 5200 | 입고일: 2025-03-11"
needs_soffice = pytest.mark.skipif(
    soffice_path() is None, reason="legacy .doc/.ppt tests need LibreOffice (soffice)"
)


def read(name: str) -> bytes:
    return (LEGACY / name).read_bytes()


# --- .xls and .ods -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["단가표.xls", "단가표.ods"])
def test_spreadsheet_tables_keep_sheet_and_rows(name: str) -> None:
    doc = parse_bytes(read(name), name=name)
    assert_well_formed(doc)
    assert PRICE_ROW in doc.text
    assert "거래처명: 한빛정밀 | 결제조건: 60일 어음 | 할인율: 0.03" in doc.text
    prices = next(
        b.table for b in doc.tables if b.table and b.table.sheet == "단가표" and b.table.header
    )
    assert prices.sheet == "단가표"
    assert prices.header_row == 3 and prices.row_numbers == (4, 5, 6, 7)
    assert (prices.first_column, prices.last_column) == (1, 6)
    labels = [c.label for c in chunk_document(doc)]
    assert any("단가표!A3:F7" in label for label in labels)
    assert any("거래처!A1:C3" in label for label in labels)


def test_price_list_answers_a_cell_question_with_its_cells(tmp_path: Path) -> None:
    # the "done when": an .xls price list answers a cell question with its cells
    price_list = tmp_path / "단가표.xls"
    price_list.write_bytes(read("단가표.xls"))
    with dalin.Workspace.create(tmp_path / "ws") as ws:
        ws.embedder = None
        assert ws.add([price_list]).ok
        answer = ws.ask("HB-200 육각너트 단가는 얼마인가요?")
        assert not answer.abstained
        assert answer.text.startswith("HB-200 단가: 85")
        cited = [c.label for c in answer.citations if c.document == str(price_list)]
        assert cited[0] == "단가표.xls · 단가표!D5", cited  # the cell itself: column D, row 5
        [stored] = [t for t in ws.tables("단가표.xls") if t.table.header == PRICE_HEADER]
        assert stored.table.sheet == "단가표" and stored.table.rows[1][3] == "85"


def test_cell_values_are_shown_plainly() -> None:
    import datetime as dt

    assert cell_text(3000.0) == ("3000", False)
    assert cell_text(32.5) == ("32.5", False)
    assert cell_text(True) == ("TRUE", False)
    assert cell_text(dt.datetime(2025, 3, 4)) == ("2025-03-04", False)
    assert cell_text(dt.datetime(2025, 3, 4, 9, 30)) == ("2025-03-04 09:30:00", False)
    assert cell_text(" 육각너트 ") == ("육각너트", True)


def test_a_word_file_named_xls_is_refused() -> None:
    with pytest.raises(CorruptDocument):
        parse_bytes(minimal_docx("<w:p><w:r><w:t>x</w:t></w:r></w:p>"), name="가격.xls")


def test_ole_garbage_named_xls_is_refused() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 20
    with pytest.raises(CorruptDocument):
        parse_bytes(data, name="가격.xls")


class TestCalamineParser(ParserContract):
    parser = CalamineParser()
    good_sample = read("단가표.xls")
    good_name = "단가표.xls"


# --- .doc, .ppt and HWP 3.x through LibreOffice -------------------------------------------------


@needs_soffice
def test_word_97_document_keeps_articles_and_tables() -> None:
    doc = parse_bytes(read("취업규칙.doc"), name="취업규칙.doc")
    assert_well_formed(doc)
    assert doc.format == "doc"
    assert "15일의 유급휴가를 준다" in doc.text
    assert "구분: 부모 사망 | 휴가일수: 5일" in " ".join(b.text for b in doc.tables)
    labels = [c.label for c in chunk_document(doc)]
    assert "제12조(연차휴가)" in labels and "제13조(경조휴가)" in labels


@needs_soffice
def test_powerpoint_97_slides_are_cited_by_slide() -> None:
    doc = parse_bytes(read("소개.ppt"), name="소개.ppt")
    assert doc.format == "ppt" and doc.pages == 3
    assert "오류 코드 E02는 유압 부족을 뜻합니다" in doc.text
    assert "항목: 중량 | 값: 420kg" in doc.text
    assert [c.label for c in chunk_document(doc)] == ["slide 1", "slide 2", "slide 3"]


@needs_soffice
@pytest.mark.parametrize(
    ("data", "name", "needle"),
    [
        (b"PK\x03\x04" + bytes(200), "a.doc", "not a Word 97-2003 document"),
        (b"plain words, not a document", "a.doc", "not a Word 97-2003 document"),
        (b"PK\x03\x04" + bytes(200), "a.ppt", "not a PowerPoint 97-2003 file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000), "a.doc", "LibreOffice could not"),
        (b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05" + bytes(900), "a.hwp", "LibreOffice"),
    ],
)
def test_hostile_legacy_files_are_refused(data: bytes, name: str, needle: str) -> None:
    with pytest.raises(CorruptDocument, match=needle):
        parse_bytes(data, name=name)


@needs_soffice
def test_truncated_word_97_document_is_refused_or_read() -> None:
    data = read("취업규칙.doc")
    for cut in (len(data) // 3, len(data) - 700):
        try:
            doc = parse_bytes(data[:cut], name="cut.doc")
        except (CorruptDocument, EmptyDocument):
            continue
        assert_well_formed(doc)


@pytest.mark.timed
@needs_soffice
def test_conversion_stops_at_the_time_limit_and_leaves_no_program_running() -> None:
    # A limit no conversion meets (LibreOffice alone takes ~3 s to start), and bounds loose
    # enough for a loaded CI machine: what is tested is that it stops, not how fast.
    start = time.monotonic()
    with pytest.raises(LimitExceeded, match="LibreOffice"):
        parse_bytes(read("소개.ppt"), name="소개.ppt", limits=Limits(max_seconds=1.0))
    assert time.monotonic() - start < 20
    deadline = time.monotonic() + 10  # the killed process group may take a moment to go
    while _soffice_processes() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _soffice_processes()


def _soffice_processes() -> list[Path]:
    return [p for p in Path("/proc").glob("[0-9]*/cmdline") if "dalin-soffice-" in _cmd(p)]


def _cmd(path: Path) -> str:
    try:
        return path.read_bytes().decode(errors="replace")
    except OSError:
        return ""


# --- without LibreOffice -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("취업규칙.doc", read("취업규칙.doc"), "Word 97-2003 (.doc) files are read through"),
        ("소개.ppt", read("소개.ppt"), "PowerPoint 97-2003 (.ppt) files are read through"),
        ("옛문서.hwp", b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05" + bytes(64), "HWP 3.x"),
    ],
)
def test_without_libreoffice_the_refusal_says_how_to_install_it(
    name: str, data: bytes, needle: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = parse_without_programs(path, tmp_path)
    assert result["error"] == "ReaderMissing"
    assert needle in result["detail"] and "libreoffice-writer-nogui" in result["detail"]
