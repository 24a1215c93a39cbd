"""The HWP 5 parser on the shared samples and on small and hostile files built here."""

from __future__ import annotations

import contextlib
import re
import struct
import tracemalloc
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dalin.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    LimitExceeded,
    ParseError,
    UnsupportedFormat,
)
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.hwp import GridCell, HwpParser, layout_grid, split_title_rows
from dalin.ingest.parsers.hwp_records import (
    MAX_DEPTH,
    TAG_PARA_HEADER,
    TAG_PARA_TEXT,
    Budget,
    Record,
    build_tree,
    decode_para_text,
    iter_records,
)
from dalin.ingest.soffice import soffice_path
from dalin.testing.hwp import (
    OLE_SIGNATURE,
    Control,
    auto_number,
    cell,
    deflate,
    encode_records,
    file_header,
    hwp_file,
    minimal_hwp,
    note,
    ole_file,
    paragraph,
    paragraph_list,
    section,
    table,
    text_box,
)
from dalin.testing.parser_contract import ParserContract, assert_well_formed
from dalin.types import BlockKind, Document

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"

# file -> phrases read from its text; one is a table cell wherever a table holds text
# (pyhwp_table-position.hwp has 13 tables, but every cell is empty: only captions).
HWP_PHRASES: dict[str, tuple[str, ...]] = {
    "autorag_rhwp_minimal-body-table.hwp": (
        "편집 탭 – 표",
        "□ 표 만들기, 표 그리기, 표 지우기",
        "제목: 앞줄 맞추기와 표 안에서 앞줄 맞추기 | 내 용: Ctrl+Shift+Tab",
    ),
    "hwp2hwpx_JHOMS242540000308001.hwp": (
        "라. 모집인원 : 심사위원 후보 21명 (평가위원수의 3배수)",
        "논산문화관광재단 문화기획팀(041-730-2925)",
        "시행 | 문화기획팀-2181",
    ),
    "hwpjs_basicsReport.hwp": ("리포트의 제목", "R E P O R T", "과목명: 학번 | ○○○○: 200012345"),
    "hwprs_annual_report.hwp": (
        "OOOOO ANNUAL REPORT 2012",
        "2012 Financial Highlights",
        "CEO 인사말 내용을 입력하세요.",
    ),
    "hwprs_work_report.hwp": (
        "주간업무보고서",
        "금주 진행업무",
        "업무내용 | 완결여부 | 산출물 | 비고",
    ),
    "pyhwp_table-position.hwp": (
        "표 1 여백 0mm, 글자처럼 취급",
        "표 13 여백 10mm, 종이 가운데로부터 5mm",
    ),
    "hwplib_구버전_5.0.2.2_Picture_컨트롤.hwp": (
        "테스트 누름틀 ABCD 1234567",
        "누름틀은 여러줄 문자열1",
        "테이블안",
    ),
    "hwplib_finding-all-field.hwp": (
        "생태학자이자 진화생물학자인 제레드 다이아몬드다",
        "강아지 복실강아지",
        "나리나리 개나리",
    ),
    "hwplib_표.hwp": ("표 1", "ABC 123: LMN | DEF: OPQ | GHI: STR"),
}
# phrases that must sit inside a table block (rows render as "header: value | …")
HWP_TABLE_CELLS: dict[str, str] = {
    "autorag_rhwp_minimal-body-table.hwp": "제목: 셀 편집 | 담당자: 하 임",
    "hwp2hwpx_JHOMS242540000308001.hwp": "제 목 | 「논산 문화가 있는 피크닉 데이 041 무대설치",
    "hwpjs_basicsReport.hwp": "과목명: 학과명 | ○○○○: ○○○○과",
    "hwprs_work_report.hwp": "업무내용 | 예정일자 | 예상 문제점 | 비고",
    "hwplib_구버전_5.0.2.2_Picture_컨트롤.hwp": "테이블안",
    "hwplib_표.hwp": "ABC 123: UVM | DEF: 123 | GHI: 456",
}
# file -> (error class name, text in error.detail)
HWP_ADVERSARIAL: dict[str, tuple[str, str]] = {
    "ADV_hwplib_distribution.hwp": ("EncryptedDocument", "distribution-protected (배포용) HWP"),
    "ADV_pyhwp_password-12345.hwp": ("EncryptedDocument", "password-protected HWP"),
}

# what must never reach the index: control characters other than the line break, and
# private-use symbols of Hancom fonts
_GARBAGE = re.compile("[\x00-\x09\x0b-\x1f\ue000-\uf8ff\U000f0000-\U0010ffff]")


def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"shared samples not available at {SAMPLES.resolve()}")
    return SAMPLES


def flat(doc: Document) -> str:
    return " ".join(doc.text.split())


def parse(data: bytes, limits: Limits | None = None, name: str = "문서.hwp") -> Document:
    doc = HwpParser().parse(data, name=name, limits=limits or Limits())
    assert_well_formed(doc)
    assert not _GARBAGE.search(doc.text)
    return doc


def kinds(doc: Document) -> list[tuple[str, str]]:
    return [(b.kind.value, b.text) for b in doc.blocks]


def body(*paragraphs: list[tuple[int, int, bytes]], compressed: bool = True) -> bytes:
    """An HWP file with one section of these paragraphs."""
    return hwp_file([section(*paragraphs)], compressed=compressed)


# --- the shared samples --------------------------------------------------------------


def test_every_hwp_sample_has_an_expectation() -> None:
    names = {p.name for p in samples().glob("*.hwp")}
    assert {n for n in names if not n.startswith("ADV_")} == set(HWP_PHRASES)
    assert {n for n in names if n.startswith("ADV_")} == set(HWP_ADVERSARIAL)


@pytest.mark.parametrize("name", sorted(HWP_PHRASES))
def test_sample_parses_and_holds_its_phrases(name: str) -> None:
    doc = parse((samples() / name).read_bytes(), name=name)
    assert doc.format == "hwp" and doc.name == name
    text = flat(doc)
    for phrase in HWP_PHRASES[name]:
        assert phrase in text, f"{phrase!r} not found in {name}"
    if name in HWP_TABLE_CELLS:
        tables = " ".join(" ".join(b.text.split()) for b in doc.tables)
        assert HWP_TABLE_CELLS[name] in tables


@pytest.mark.parametrize("name", sorted(HWP_ADVERSARIAL))
def test_adversarial_sample_is_refused(name: str) -> None:
    error, needle = HWP_ADVERSARIAL[name]
    with pytest.raises(ParseError) as raised:
        HwpParser().parse((samples() / name).read_bytes(), name=name, limits=Limits())
    assert type(raised.value).__name__ == error
    assert needle in raised.value.detail


@pytest.mark.parametrize("cut", [3000, 5000, 13000, 26536 - 1000])
def test_truncated_sample_is_corrupt_and_says_so(cut: int) -> None:
    data = (samples() / "hwprs_work_report.hwp").read_bytes()[:cut]
    with pytest.raises(CorruptDocument, match="truncated"):
        parse(data)


def test_uncompressed_sample_reads_like_a_compressed_one() -> None:
    # hwplib_표.hwp is the one sample stored with the compression flag off
    doc = parse((samples() / "hwplib_표.hwp").read_bytes())
    assert kinds(doc)[0] == ("paragraph", "표 1")
    table_block = doc.tables[0]
    assert table_block.table is not None
    assert table_block.table.header == ("ABC\n123", "DEF", "GHI")


# --- the contract, on a file built here ------------------------------------------------


class TestHwpParser(ParserContract):
    parser = HwpParser()
    good_sample = minimal_hwp()
    good_name = "규정.hwp"


# --- paragraph text and records ----------------------------------------------------------


def units(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}H", *values)


def test_para_text_replaces_char_controls_and_skips_eight_unit_controls() -> None:
    field_end = units(4, 0, 0, 0, 0, 0, 0, 4)  # inline: no control record follows
    payload = (
        "연차".encode("utf-16-le")
        + units(10)  # line break
        + "15".encode("utf-16-le")
        + units(30)  # non-breaking space
        + "일".encode("utf-16-le")
        + units(9, 0, 0, 0, 0, 0, 0, 9)  # tab
        + field_end
        + "끝".encode("utf-16-le")
        + units(13)
        + "after the paragraph end".encode("utf-16-le")
    )
    assert decode_para_text(payload).text == "연차\n15 일\t끝"


def test_para_text_anchors_extended_controls_where_they_stand() -> None:
    table_control = units(11) + b" lbt" + bytes(8) + units(11)
    payload = "전".encode("utf-16-le") + table_control + "후".encode("utf-16-le") + units(13)
    decoded = decode_para_text(payload)
    assert decoded.text == "전후" and decoded.anchors == (1,)


def test_para_text_keeps_surrogate_pairs_and_drops_private_use_symbols() -> None:
    payload = "𠀀 \uf0a7항목 \U000f0001끝".encode("utf-16-le")
    assert decode_para_text(payload).text == "𠀀 항목 끝"


def test_para_text_with_a_control_cut_short_ends_cleanly() -> None:
    assert decode_para_text("가".encode("utf-16-le") + units(11, 0x6274)).text == "가"
    assert decode_para_text(b"\x00\xac\x01").text == "가"  # odd byte count


@settings(max_examples=200, deadline=None)
@given(payload=st.binary(max_size=512))
def test_para_text_never_leaks_control_or_private_use_characters(payload: bytes) -> None:
    text = decode_para_text(payload).text
    assert not re.search("[\x00-\x08\x0b-\x1f\ue000-\uf8ff]", text)


def test_records_read_header_fields_and_extended_sizes() -> None:
    big = bytes(5000)
    data = encode_records([(TAG_PARA_HEADER, 0, b"ab"), (TAG_PARA_TEXT, 1, big)])
    assert list(iter_records(data)) == [
        Record(TAG_PARA_HEADER, 0, b"ab"),
        Record(TAG_PARA_TEXT, 1, big),
    ]


@pytest.mark.parametrize("cut", [1, 3, 5, 9])
def test_truncated_records_are_corrupt(cut: int) -> None:
    data = encode_records([(TAG_PARA_HEADER, 0, b"abcd"), (TAG_PARA_TEXT, 1, b"ef")])
    with pytest.raises(CorruptDocument, match="damaged HWP file"):
        list(iter_records(data[:-cut]))


def test_record_levels_nest_into_a_tree() -> None:
    records = [Record(66, 0, b"p1"), Record(67, 1, b"t1"), Record(71, 1, b"c"), Record(72, 2, b"")]
    records += [Record(66, 0, b"p2")]
    roots = build_tree(records)
    assert [r.payload for r in roots] == [b"p1", b"p2"]
    assert [c.payload for c in roots[0].children] == [b"t1", b"c"]
    assert roots[0].children[1].children[0].tag == 72


def test_records_nested_too_deep_are_refused() -> None:
    records = [Record(66, level, b"") for level in range(MAX_DEPTH + 1)]
    with pytest.raises(LimitExceeded, match="nests records"):
        build_tree(records)


def test_records_beyond_the_budget_are_refused() -> None:
    budget = Budget(1000, max_records=10)
    build_tree([Record(66, 0, b"")] * 6, budget)
    with pytest.raises(LimitExceeded, match="more than 10 records"):
        build_tree([Record(66, 0, b"")] * 6, budget)  # the budget spans all sections


# --- table layout ------------------------------------------------------------------------


def test_row_spans_repeat_down_and_column_spans_do_not() -> None:
    cells = [
        GridCell(0, 0, 1, 1, "분기"),
        GridCell(0, 1, 1, 2, "매출"),
        GridCell(1, 0, 2, 1, "1분기"),
        GridCell(1, 1, 1, 1, "10"),
        GridCell(1, 2, 1, 1, "11"),
        GridCell(2, 1, 1, 1, "12"),
        GridCell(2, 2, 1, 1, "13"),
    ]
    assert layout_grid(cells, max_chars=1000) == [
        ["분기", "매출", ""],
        ["1분기", "10", "11"],
        ["1분기", "12", "13"],
    ]


def test_overlapping_cells_are_corrupt_and_huge_grids_are_refused() -> None:
    overlapping = [GridCell(0, 0, 2, 1, "a")] * 3
    with pytest.raises(CorruptDocument, match="overlap"):
        layout_grid(overlapping, max_chars=1000)
    with pytest.raises(LimitExceeded, match="rows"):
        layout_grid([GridCell(65000, 0, 1, 1, "a"), GridCell(0, 60, 1, 1, "b")], max_chars=1000)


def test_merged_cells_cannot_multiply_text_past_the_limit() -> None:
    cells = [GridCell(0, 0, 60000, 1, "가" * 1000), GridCell(0, 1, 1, 1, "b")]
    with pytest.raises(LimitExceeded, match="repeat into more than"):
        layout_grid(cells, max_chars=1_000_000)


def test_full_width_leading_rows_are_titles() -> None:
    cells = [
        GridCell(0, 0, 1, 2, "금주 진행업무"),
        GridCell(1, 0, 1, 1, "업무"),
        GridCell(1, 1, 1, 1, "비고"),
    ]
    titles, rest = split_title_rows(cells)
    assert [t.text for t in titles] == ["금주 진행업무"]
    assert [(c.row, c.col, c.text) for c in rest] == [(0, 0, "업무"), (0, 1, "비고")]


# --- documents built here -----------------------------------------------------------------


def test_paragraphs_and_a_table_read_in_order() -> None:
    doc = parse(minimal_hwp())
    assert kinds(doc) == [
        ("paragraph", "제1조(목적)"),
        ("paragraph", "이 규정은 휴가를 정한다."),
        ("table", "구분 | 일수\n구분: 연차 | 일수: 15일"),
    ]
    assert doc.blocks[-1].kind is BlockKind.TABLE and doc.tables[0].table is not None
    assert doc.tables[0].table.rows == (("연차", "15일"),)


def test_compressed_and_uncompressed_files_read_alike() -> None:
    paragraphs = [paragraph("가나다 " * 900), paragraph("끝")]  # over 4 KiB: regular sectors
    assert parse(body(*paragraphs, compressed=True)).text == parse(body(*paragraphs)).text
    assert parse(body(*paragraphs, compressed=False)).text.endswith("가나다\n\n끝")


def test_sections_are_read_in_numeric_order() -> None:
    sections = [section(paragraph(f"구역 {n}")) for n in range(12)]
    doc = parse(hwp_file(sections))
    assert [b.text for b in doc.blocks] == [f"구역 {n}" for n in range(12)]


def test_caption_keeps_its_number_and_precedes_the_table() -> None:
    rows = [cell(0, 0, "이름"), cell(0, 1, "부서"), cell(1, 0, "김철수"), cell(1, 1, "영업")]
    caption_table = table(rows, 2, 2)
    captioned = Control(
        caption_table.id,
        caption_table.code,
        caption_table.data,
        (*paragraph_list(paragraph("표 ", auto_number(3), " 인원 현황")), *caption_table.children),
    )
    doc = parse(body(paragraph(captioned)))
    assert kinds(doc)[0] == ("paragraph", "표 3 인원 현황")
    assert doc.tables[0].table is not None and doc.tables[0].table.caption == "표 3 인원 현황"


def test_page_numbers_are_left_out_of_the_text() -> None:
    doc = parse(body(paragraph("- ", auto_number(7, counted=0), " -"), paragraph("본문")))
    assert kinds(doc)[0] == ("paragraph", "- -")


def test_title_rows_and_one_cell_frames_read_as_paragraphs() -> None:
    rows = [
        cell(0, 0, "금주 진행업무", cols=2),
        cell(1, 0, "업무내용"),
        cell(1, 1, "비고"),
        cell(2, 0, "보고서 작성"),
        cell(2, 1, "완료"),
    ]
    frame = table([cell(0, 0, "□ 추진 배경", "○ 인력 부족")], 1, 1)
    doc = parse(body(paragraph(table(rows, 3, 2)), paragraph(frame)))
    assert kinds(doc) == [
        ("paragraph", "금주 진행업무"),
        ("table", "업무내용 | 비고\n업무내용: 보고서 작성 | 비고: 완료"),
        ("paragraph", "□ 추진 배경"),
        ("paragraph", "○ 인력 부족"),
    ]


def test_merged_cells_repeat_their_text_in_every_row() -> None:
    rows = [
        cell(0, 0, "분기"),
        cell(0, 1, "월"),
        cell(1, 0, "1분기", rows=2),
        cell(1, 1, "1월"),
        cell(2, 1, "2월"),
    ]
    doc = parse(body(paragraph(table(rows, 3, 2))))
    assert doc.tables[0].text == "분기 | 월\n분기: 1분기 | 월: 1월\n분기: 1분기 | 월: 2월"


def test_nested_tables_are_flattened_into_their_cell() -> None:
    inner = table([cell(0, 0, "내부 A"), cell(0, 1, "내부 B")], 1, 2)
    rows = [
        cell(0, 0, "항목"),
        cell(0, 1, "내용"),
        cell(1, 0, "세부"),
        cell(1, 1, paragraph(inner)),
    ]
    doc = parse(body(paragraph(table(rows, 2, 2))))
    assert len(doc.tables) == 1
    assert doc.tables[0].text == "항목 | 내용\n항목: 세부 | 내용: 내부 A 내부 B"


def test_notes_follow_the_section_body_and_comments_are_skipped() -> None:
    first = section(
        paragraph("본문에 각주가 있다", note("fn  ", "각주 내용"), "."),
        paragraph("미주도 있다", note("en  ", "미주 내용")),
        paragraph("숨은 설명", note("tcmt", "보이지 않는 메모")),
    )
    second = section(paragraph("둘째 구역"))
    doc = parse(hwp_file([first, second]))
    assert [b.text for b in doc.blocks] == [
        "본문에 각주가 있다.",
        "미주도 있다",
        "숨은 설명",
        "각주 내용",
        "미주 내용",
        "둘째 구역",
    ]


def test_headers_footers_and_text_boxes_are_kept() -> None:
    doc = parse(
        body(
            paragraph(note("head", "주식회사 달린 내부 문서"), note("foot", "대외비"), "제목"),
            paragraph("그림 설명", text_box("상자 속 글")),
        )
    )
    assert [b.text for b in doc.blocks] == [
        "주식회사 달린 내부 문서",
        "대외비",
        "제목",
        "그림 설명",
        "상자 속 글",
    ]


def test_a_table_inside_a_sentence_follows_it_whole() -> None:
    inline = table([cell(0, 0, "가"), cell(0, 1, "나")], 1, 2)
    doc = parse(body(paragraph("표 앞 문장", inline, " 뒤 문장")))
    assert kinds(doc) == [("paragraph", "표 앞 문장 뒤 문장"), ("table", "가 | 나")]


def test_a_body_without_text_is_empty() -> None:
    with pytest.raises(EmptyDocument, match="no text"):
        parse(body(paragraph(""), paragraph(" ")))


def test_text_beyond_the_character_limit_is_refused() -> None:
    with pytest.raises(LimitExceeded, match="characters"):
        parse(body(paragraph("가" * 100)), limits=Limits(max_text_chars=50))


# --- hostile and foreign files -------------------------------------------------------


def test_decompression_bomb_is_stopped_at_the_limit() -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = encode_records([(TAG_PARA_HEADER, 0, bytes(22))]) * 40_000  # ~1 MB of records
    bomb = b"".join(compressor.compress(chunk) for _ in range(50)) + compressor.flush()
    data = hwp_file([], extra={"BodyText/Section0": bomb}, compressed=True)
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded, match="decompression bomb"):
            parse(data, limits=Limits(max_uncompressed_bytes=2_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(bomb) < 200_000 and peak < 20_000_000


def test_uncompressed_streams_count_against_the_limit_too() -> None:
    data = body(paragraph("가" * 3000), compressed=False)
    with pytest.raises(LimitExceeded):
        parse(data, limits=Limits(max_uncompressed_bytes=1000))


def test_truncated_sections_are_corrupt() -> None:
    whole = section(paragraph("잘린 문단"))
    for compressed in (False, True):
        stream = deflate(whole[:-3]) if compressed else whole[:-3]
        data = hwp_file([], extra={"BodyText/Section0": stream}, compressed=compressed)
        with pytest.raises(CorruptDocument, match=r"truncated|ends inside"):
            parse(data)


def test_broken_compressed_data_is_corrupt() -> None:
    stream = deflate(section(paragraph("문단")))
    for broken, message in ((stream[:-4], "ends early"), (b"\xff" * 40, "not valid compressed")):
        data = hwp_file([], extra={"BodyText/Section0": broken})
        with pytest.raises(CorruptDocument, match=message):
            parse(data)


@pytest.mark.parametrize(
    ("flags", "needle"),
    [
        (2, "password-protected HWP"),
        (4, "distribution-protected (배포용) HWP"),
        (16, "DRM-protected HWP"),
    ],
)
def test_protected_files_are_refused_by_their_flags(flags: int, needle: str) -> None:
    data = hwp_file([section(paragraph("비밀"))], flags=flags)
    with pytest.raises(EncryptedDocument) as raised:
        parse(data)
    assert needle in raised.value.detail


@pytest.mark.parametrize(
    ("data", "error", "needle"),
    [
        (b"", EmptyDocument, "0 bytes"),
        (b"PK\x03\x04" + bytes(100), CorruptDocument, "HWPX"),
        # HWP 3.x goes to LibreOffice (test_legacy.py), which cannot read a bare header
        (
            b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05",
            *(
                (CorruptDocument, "LibreOffice could not read")
                if soffice_path()
                else (UnsupportedFormat, "HWP 3.x")
            ),
        ),
        (b"%PDF-1.7\n", CorruptDocument, "PDF"),
        ("제1조 목적".encode(), CorruptDocument, "OLE compound file signature"),
        (OLE_SIGNATURE + bytes(100), CorruptDocument, "OLE container cannot be read"),
    ],
)
def test_files_that_are_not_hwp5_say_what_they_are(
    data: bytes, error: type[ParseError], needle: str
) -> None:
    with pytest.raises(error) as raised:
        parse(data)
    assert needle in raised.value.detail


def test_ole_files_that_are_not_hwp_are_corrupt() -> None:
    with pytest.raises(CorruptDocument, match="no FileHeader"):
        parse(ole_file({"WordDocument": b"word"}))
    bad_signature = b"Not an HWP".ljust(256, b"\x00")
    with pytest.raises(CorruptDocument, match="signature"):
        parse(ole_file({"FileHeader": bad_signature, "BodyText/Section0": b""}))
    with pytest.raises(CorruptDocument, match="no BodyText"):
        parse(ole_file({"FileHeader": file_header()}))
    old = file_header(version=0x03000000)
    with pytest.raises(UnsupportedFormat, match=r"HWP version 3\.0"):
        parse(ole_file({"FileHeader": old, "BodyText/Section0": b""}))


def test_too_many_sections_are_refused() -> None:
    data = hwp_file([section(paragraph("구역")) for _ in range(1025)])
    with pytest.raises(LimitExceeded, match="1,024 sections"):
        parse(data)


def test_a_merged_cell_bomb_is_refused() -> None:
    rows = [
        cell(0, 0, "머리"),
        cell(0, 1, "값"),
        cell(1, 0, "가" * 2000, rows=20000),
        cell(1, 1, "x"),
    ]
    with pytest.raises(LimitExceeded, match="characters"):
        parse(body(paragraph(table(rows, 20001, 2))), limits=Limits(max_text_chars=1_000_000))


def test_an_impossible_table_grid_is_refused() -> None:
    rows = [cell(0, 0, "가"), cell(60000, 200, "나")]
    with pytest.raises(LimitExceeded, match="columns"):
        parse(body(paragraph(table(rows, 2, 2))))


@settings(max_examples=100, deadline=None)
@given(noise=st.binary(max_size=2048))
def test_garbage_sections_raise_only_parse_errors(noise: bytes) -> None:
    for compressed in (False, True):
        stream = deflate(noise) if compressed else noise
        data = hwp_file([], extra={"BodyText/Section0": stream}, compressed=compressed)
        with contextlib.suppress(ParseError):
            parse(data)


@settings(max_examples=100, deadline=None)
@given(noise=st.binary(max_size=2048))
def test_garbage_after_the_ole_signature_is_corrupt(noise: bytes) -> None:
    with pytest.raises(ParseError):
        parse(OLE_SIGNATURE + noise)
