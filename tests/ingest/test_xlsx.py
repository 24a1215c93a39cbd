"""The XLSX parser on the shared samples and on workbooks written here by hand."""

from __future__ import annotations

import html
import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from dalin.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    LimitExceeded,
    ParseError,
)
from dalin.ingest.limits import Limits
from dalin.ingest.parsers import xlsx
from dalin.ingest.parsers.xlsx import XlsxParser
from dalin.testing.parser_contract import ParserContract, assert_well_formed
from dalin.types import BlockKind, Document, Table

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"

# file -> phrases from its text; one is a table cell rendered as "header: value"
XLSX_PHRASES: dict[str, tuple[str, ...]] = {
    "office2pdf_repository_workbook.xlsx": (
        "office2pdf — 리포지터리 정보 구조화 워크북",
        "항목: 라이선스 | 값: Apache License 2.0",
        "태그: v0.2.0 | 릴리스일: 2026-02-27",
    ),
    "markitdown_test.xlsx": (
        "09060124-b5e7-4717-9d07-3c046eb",
        "Alpha: 89 | Beta: 82 | Gamma: 100 | Delta: 12",
    ),
    "haystack_basic_tables_two_sheets.xlsx": (
        "Table Missing Value",
        "col_a: 1.5 | col_b: test",
        "col_c: TRUE",
    ),
}
# phrases that must sit inside a table block
XLSX_TABLE_CELLS: dict[str, str] = {
    "office2pdf_repository_workbook.xlsx": "값: Apache License 2.0",
    "markitdown_test.xlsx": "ColD: affc7dad-52dc-4b98-9b5d-51e65d8a8ad0",
    "haystack_basic_tables_two_sheets.xlsx": "col_b: test",
}
# file -> (error class name, or None for success; text expected in the detail or the text)
XLSX_ADVERSARIAL: dict[str, tuple[str | None, str]] = {
    "ADV_poi_poc-xmlbomb.xlsx": ("CorruptDocument", "XML entity declarations"),
}

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def workbook(
    *sheets: str | tuple[str, str],
    strings: tuple[str, ...] = (),
    styles: str = "",
    workbook_pr: str = "",
    merges: tuple[str, ...] = (),
    states: dict[str, str] | None = None,
    extra: dict[str, bytes] | None = None,
    ns: str = NS,
) -> bytes:
    """A small .xlsx; each sheet is the inside of <sheetData> (or (name, sheetData)).

    ``strings`` become sharedStrings items (raw XML allowed), ``styles`` the inside of
    <styleSheet>, ``merges`` merged ranges of the first sheet ("B1:C1"), ``states`` sheet
    states by name ("hidden"); ``extra`` adds or replaces members. Sheet names are
    "Sheet1", … unless given.
    """
    named = [s if isinstance(s, tuple) else (f"Sheet{i}", s) for i, s in enumerate(sheets, 1)]
    states = states or {}
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}" state="{states.get(name, "visible")}"/>'
        for i, (name, _) in enumerate(named, 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(named) + 1)
    )
    rels += f'<Relationship Id="rS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    rels += f'<Relationship Id="rT" Type="{REL}/styles" Target="/xl/styles.xml"/>'
    parts: dict[str, bytes] = {
        "[Content_Types].xml": b"<Types/>",
        "_rels/.rels": (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook xmlns="{ns}" xmlns:r="{REL}">{workbook_pr}<sheets>{entries}</sheets>'
            "</workbook>"
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PKG}">{rels}</Relationships>'.encode()
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{ns}">' + "".join(f"<si>{s}</si>" for s in strings) + "</sst>"
        ).encode(),
        "xl/styles.xml": f'<styleSheet xmlns="{ns}">{styles}</styleSheet>'.encode(),
    }
    merged = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    for i, (_, data) in enumerate(named, 1):
        tail = f"<mergeCells>{merged}</mergeCells>" if merged and i == 1 else ""
        sheet = f'<worksheet xmlns="{ns}"><sheetData>{data}</sheetData>{tail}</worksheet>'
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet.encode()
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in parts.items():
            archive.writestr(member, content)
    return buffer.getvalue()


def t(text: str) -> str:
    """A shared string item holding plain text."""
    return f"<t>{text}</t>"


def row(number: int, *cells: str, extra: str = "") -> str:
    return f'<row r="{number}"{extra}>' + "".join(cells) + "</row>"


def c(ref: str, value: str = "", *, kind: str = "", style: int | None = None) -> str:
    """A cell; ``kind`` is its t attribute ("s", "inlineStr", "b", …), ``value`` its <v>."""
    attributes = f' r="{ref}"' + (f' t="{kind}"' if kind else "")
    attributes += f' s="{style}"' if style is not None else ""
    if kind == "inlineStr":
        return f"<c{attributes}><is><t>{value}</t></is></c>"
    return f"<c{attributes}><v>{value}</v></c>" if value else f"<c{attributes}/>"


def text_row(number: int, *values: str, style: int | None = None) -> str:
    """A row of inline strings starting in column A."""
    return row(
        number,
        *(
            c(f"{chr(65 + i)}{number}", v, kind="inlineStr", style=style)
            for i, v in enumerate(values)
        ),
    )


def number_row(number: int, *values: str) -> str:
    return row(number, *(c(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values)))


def parse(data: bytes, limits: Limits | None = None) -> Document:
    doc = XlsxParser().parse(data, name="book.xlsx", limits=limits or Limits())
    assert_well_formed(doc)
    return doc


def only_table(doc: Document) -> Table:
    (block,) = doc.tables
    assert block.table is not None
    return block.table


def number_formats(*codes: tuple[int, str], ids: tuple[int, ...] = ()) -> str:
    """styles.xml content: custom formats ``codes`` and one cellXfs entry per format id.

    Style index i uses ``ids[i]`` (built-in or custom); index 0 is General.
    """
    formats = "".join(
        f'<numFmt numFmtId="{n}" formatCode="{html.escape(code)}"/>' for n, code in codes
    )
    xfs = '<xf numFmtId="0"/>' + "".join(f'<xf numFmtId="{n}"/>' for n in ids)
    return f"<numFmts>{formats}</numFmts><cellXfs>{xfs}</cellXfs>"


# --- the shared samples -----------------------------------------------------------------


def samples() -> Path:
    if not SAMPLES.is_dir():
        print(f"skipped: shared samples not available at {SAMPLES.resolve()}")
        pytest.skip(f"shared samples not available at {SAMPLES.resolve()}")
    return SAMPLES


def parse_sample(name: str) -> Document:
    path = samples() / name
    return XlsxParser().parse(path.read_bytes(), name=name, limits=Limits())


@pytest.mark.parametrize("name", sorted(XLSX_PHRASES))
def test_sample_holds_its_phrases(name: str) -> None:
    doc = parse_sample(name)
    assert_well_formed(doc)
    text = " ".join(doc.text.split())
    for phrase in XLSX_PHRASES[name]:
        assert phrase in text, f"{phrase!r} not found in {name}"
    tables = " ".join(" ".join(b.text.split()) for b in doc.tables)
    assert XLSX_TABLE_CELLS[name] in tables


@pytest.mark.parametrize("name", sorted(XLSX_ADVERSARIAL))
def test_adversarial_sample_is_handled(name: str) -> None:
    error, needle = XLSX_ADVERSARIAL[name]
    try:
        doc = parse_sample(name)
    except ParseError as failure:
        assert type(failure).__name__ == error
        assert needle in failure.detail
    else:
        assert error is None
        assert needle in doc.text


def test_sample_rows_keep_their_sheet_row_and_columns() -> None:
    doc = parse_sample("office2pdf_repository_workbook.xlsx")
    found = [
        (b.table, i)
        for b in doc.tables
        if b.table is not None
        for i, r in enumerate(b.table.rows)
        if "Apache License 2.0" in r
    ]
    ((table, index),) = found
    assert table.sheet == "00_개요" and table.caption == "00_개요"
    assert table.header == ("항목", "값", "근거 / 비고")
    assert table.header_row == 5
    assert table.row_numbers[index] == 9  # B9:D9 in Excel
    assert (table.first_column, table.last_column) == (2, 4)
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING and b.level == 1]
    assert headings[:2] == ["00_개요", "01_대시보드"] and len(headings) == 10


def test_sample_sheets_become_headings_and_tables() -> None:
    doc = parse_sample("markitdown_test.xlsx")
    first = doc.tables[0].table
    assert first is not None
    assert first.sheet == "Sheet1" and first.header == ("Alpha", "Beta", "Gamma", "Delta")
    assert first.header_row == 1 and first.row_numbers[:2] == (2, 3)
    assert len(first.row_numbers) == len(first.rows) == 23


# --- cells and their values -------------------------------------------------------------


def test_shared_inline_rich_and_escaped_strings() -> None:
    strings = (
        t("품목"),
        t("단가"),
        "<r><t>볼트 </t></r><r><rPr><b/></rPr><t>M8</t></r><rPh><t>ボルト</t></rPh>",
        t("줄_x000D_바꿈"),
    )
    sheet = row(1, c("A1", "0", kind="s"), c("B1", "1", kind="s")) + row(
        2, c("A2", "2", kind="s"), c("B2", "120"), c("C2", "인라인", kind="inlineStr")
    )
    sheet += row(3, c("A3", "3", kind="s"), c("B3", "7"))
    table = only_table(parse(workbook(sheet, strings=strings)))
    assert table.header == ("품목", "단가", "")
    assert table.rows[0] == ("볼트 M8", "120", "인라인")
    assert table.rows[1][0] == "줄\r바꿈"


def test_booleans_errors_formulas_and_iso_dates() -> None:
    sheet = text_row(1, "참", "오류", "합계", "이름", "날짜", style=1) + row(
        2,
        c("A2", "1", kind="b"),
        c("B2", "#N/A", kind="e"),
        '<c r="C2"><f>SUM(B3:B9)</f><v>30</v></c>',
        '<c r="D2" t="str"><f>A1&amp;"x"</f><v>홍길동</v></c>',
        c("E2", "2025-01-31T00:00:00", kind="d"),
    )
    doc = parse(workbook(sheet))
    assert "참: TRUE | 오류: #N/A | 합계: 30 | 이름: 홍길동 | 날짜: 2025-01-31" in doc.text


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("3000", "3000"),
        ("3000.0", "3000"),
        ("1.5", "1.5"),
        ("0.30000000000000004", "0.3"),
        ("12.000000000000002", "12"),
        ("1.5E-3", "0.0015"),
        ("-42", "-42"),
        ("1E+20", "1e+20"),
    ],
)
def test_general_numbers_in_shortest_form(stored: str, shown: str) -> None:
    sheet = text_row(1, "값", "비고") + row(2, c("A2", stored), c("B2", "x", kind="inlineStr"))
    assert only_table(parse(workbook(sheet))).rows == ((shown, "x"),)


@pytest.mark.parametrize(
    ("format_id", "code", "stored", "shown"),
    [
        (14, "", "45658", "2025-01-01"),
        (14, "", "45658.75", "2025-01-01"),
        (22, "", "45658.5", "2025-01-01 12:00"),
        (21, "", "0.75", "18:00:00"),
        (46, "", "1.5", "36:00:00"),
        (31, "", "45658", "2025-01-01"),  # a Korean built-in: yyyy"년" mm"월" dd"일"
        (3, "", "3000", "3,000"),
        (4, "", "1234.5", "1,234.50"),
        (2, "", "3.14159", "3.14"),
        (9, "", "0.25", "25%"),
        (10, "", "0.12345", "12.35%"),
        (39, "", "-1234.5", "(1,234.50)"),
        (164, 'yyyy"년" m"월" d"일"', "45688", "2025-01-31"),
        (165, "yyyy\\-mm\\-dd hh:mm:ss", "45658.25", "2025-01-01 06:00:00"),
        (166, '#,##0"원"', "12000", "12,000원"),
        (167, "[$₩-412]#,##0", "5000", "₩5,000"),
        (168, "0.0%", "0.9105", "91.1%"),
        (169, "#,##0.##", "1234.5", "1,234.5"),
        (170, '_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-', "0", "-"),
        (171, "[Red]#,##0;[Blue]-#,##0", "-2500", "-2,500"),
        (172, "0.00E+00", "12345", "12345"),  # scientific: shown plainly
        (173, "# ?/?", "1.5", "1.5"),  # fractions: shown plainly
        (174, "@", "7", "7"),
    ],
)
def test_number_formats(format_id: int, code: str, stored: str, shown: str) -> None:
    styles = number_formats(*([(format_id, code)] if code else []), ids=(format_id,))
    sheet = text_row(1, "값", "비고") + row(
        2, c("A2", stored, style=1), c("B2", "x", kind="inlineStr")
    )
    assert only_table(parse(workbook(sheet, styles=styles))).rows == ((shown, "x"),)


def test_date1904_workbooks() -> None:
    styles = number_formats(ids=(14,))
    sheet = text_row(1, "날짜", "비고") + row(
        2, c("A2", "44196", style=1), c("B2", "x", kind="inlineStr")
    )
    data = workbook(sheet, styles=styles, workbook_pr='<workbookPr date1904="1"/>')
    assert only_table(parse(data)).rows == (("2025-01-01", "x"),)


def test_cells_and_rows_without_references_follow_on() -> None:
    sheet = (
        "<row>"
        + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in ("a", "b"))
        + "</row>"
        "<row><c><v>1</v></c><c><v>2</v></c></row>"
    )
    table = only_table(parse(workbook(sheet)))
    assert (table.header, table.rows, table.header_row, table.row_numbers) == (
        ("a", "b"),
        (("1", "2"),),
        1,
        (2,),
    )


# --- layout: headers, merges, regions, sheets --------------------------------------------


def test_rows_render_with_their_header_and_keep_their_excel_rows() -> None:
    sheet = (
        text_row(3, "품목", "단가", "재고", style=1)
        + row(4, c("A4", "볼트 M8", kind="inlineStr"), c("B4", "120"), c("C4", "3000", style=2))
        + row(5, c("A5", "너트", kind="inlineStr"), c("B5", "80"), c("C5", "150", style=2))
    )
    doc = parse(workbook(("재고", sheet), styles=number_formats(ids=(0, 3))))
    assert doc.blocks[0].kind is BlockKind.HEADING and doc.blocks[0].text == "재고"
    table = only_table(doc)
    assert "품목: 볼트 M8 | 단가: 120 | 재고: 3,000" in doc.text
    assert (table.sheet, table.caption, table.header_row, table.row_numbers) == (
        "재고",
        "재고",
        3,
        (4, 5),
    )
    assert (table.first_column, table.last_column) == (1, 3)


def test_merged_header_names_every_column_but_body_merges_stay_single() -> None:
    sheet = (
        row(1, c("A1", "구분", kind="inlineStr"), c("B1", "기간", kind="inlineStr"), c("C1"))
        + row(2, c("A2", "연차", kind="inlineStr"), c("B2", "1"), c("C2", "15"))
        + row(3, c("B3", "3"), c("C3", "16"))
        + row(4, c("A4", "병가", kind="inlineStr"), c("B4", "1"), c("C4", "10"))
    )
    table = only_table(parse(workbook(sheet, merges=("B1:C1", "A2:A3"))))
    assert table.header == ("구분", "기간", "기간")
    assert table.rows == (("연차", "1", "15"), ("", "3", "16"), ("병가", "1", "10"))


def test_blank_rows_split_tables_and_titles_become_headings() -> None:
    sheet = (
        text_row(1, "1. 재고 현황")
        + text_row(2, "품목", "재고", style=1)
        + row(3, c("A3", "볼트", kind="inlineStr"), c("B3", "3000"))
        + text_row(5, "2. 거래처")  # row 4 is blank
        + row(
            6,
            c("B6", "상호", kind="inlineStr", style=1),
            c("C6", "담당", kind="inlineStr", style=1),
        )
        + row(
            7,
            c("B7", "대한상사", kind="inlineStr", style=2),
            c("C7", "김철수", kind="inlineStr", style=2),
        )
    )
    doc = parse(workbook(sheet))
    assert [(b.kind.value, b.text) for b in doc.blocks] == [
        ("heading", "Sheet1"),
        ("heading", "1. 재고 현황"),
        ("table", "품목 | 재고\n품목: 볼트 | 재고: 3000"),
        ("heading", "2. 거래처"),
        ("table", "상호 | 담당\n상호: 대한상사 | 담당: 김철수"),
    ]
    assert [b.level for b in doc.blocks if b.kind is BlockKind.HEADING] == [1, 2, 2]
    second = doc.tables[1].table
    assert second is not None
    assert (second.header_row, second.row_numbers, second.first_column, second.last_column) == (
        6,
        (7,),
        2,
        3,
    )


def test_a_blank_row_inside_a_table_does_not_end_it() -> None:
    sheet = (
        text_row(1, "월", "매출", style=1)
        + number_row(2, "1", "100")
        + number_row(3, "2", "120")
        + number_row(5, "3", "90")  # row 4 left blank
    )
    table = only_table(parse(workbook(sheet)))
    assert table.header == ("월", "매출") and table.row_numbers == (2, 3, 5)


def test_text_rows_in_one_style_have_no_header() -> None:
    sheet = text_row(1, "crates.io", "https://crates.io") + text_row(
        2, "docs.rs", "https://docs.rs"
    )
    table = only_table(parse(workbook(sheet)))
    assert table.header == () and table.header_row == 0 and table.row_numbers == (1, 2)


def test_a_total_above_the_header_and_a_note_below_the_table() -> None:
    note = (
        "비고: 모든 금액은 2025년 1월 31일 기준이며 부가가치세를 포함하지 않았습니다. "
        "단가는 거래처와의 연간 계약에 따라 분기마다 바뀔 수 있습니다."
    )
    sheet = (
        row(1, c("A1", "합계", kind="inlineStr"), c("B1", "420"))
        + text_row(2, "품목", "금액", style=1)
        + row(3, c("A3", "볼트", kind="inlineStr"), c("B3", "420"))
        + text_row(4, note)
    )
    doc = parse(workbook(sheet))
    assert [(b.kind.value, b.text) for b in doc.blocks[1:]] == [
        ("table", "합계 | 420"),
        ("table", "품목 | 금액\n품목: 볼트 | 금액: 420"),
        ("paragraph", note),
    ]


def test_hidden_sheets_are_kept_and_say_so_and_empty_sheets_are_skipped() -> None:
    visible = text_row(1, "보이는", "시트") + number_row(2, "1", "2")
    doc = parse(workbook(visible, "", text_row(1, "숨김"), states={"Sheet3": "veryHidden"}))
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == ["Sheet1", "Sheet3"]
    captions = [b.table.caption for b in doc.tables if b.table is not None]
    assert captions == ["Sheet1", "Sheet3 (숨김 시트)"]


def test_strict_ooxml_namespace() -> None:
    sheet = text_row(1, "구분", "일수") + number_row(2, "15", "10")
    doc = parse(workbook(sheet, ns=STRICT_NS))
    assert "구분: 15 | 일수: 10" in doc.text


@pytest.mark.timed
def test_a_100k_cell_sheet_parses_in_seconds() -> None:
    header = text_row(1, *(f"열{i}" for i in range(10)), style=1)
    body = "".join(number_row(r, *(str(r * 10 + i) for i in range(10))) for r in range(2, 10_002))
    data = workbook(header + body)
    started = time.perf_counter()
    table = only_table(parse(data))
    elapsed = time.perf_counter() - started
    assert len(table.rows) == 10_000 and table.row_numbers[-1] == 10_001
    assert table.rows[-1][-1] == "100019"
    assert elapsed < 10, f"{elapsed:.1f} s for 100,000 cells"


# --- hostile and broken workbooks -------------------------------------------------------


@pytest.mark.timed
def test_zip_bomb_sheet_is_refused_before_inflating() -> None:
    buffer = io.BytesIO(workbook(number_row(1, "1")))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet2.xml", b" " * (50 << 20))
    data = buffer.getvalue()
    assert len(data) < 200_000
    started = time.perf_counter()
    with pytest.raises(LimitExceeded, match="zip bomb"):
        parse(data, Limits(max_uncompressed_bytes=10 << 20))
    assert time.perf_counter() - started < 2


def test_billion_laughs_in_shared_strings_is_refused() -> None:
    laughs = "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    sst = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{laughs}]>'
        f'<sst xmlns="{NS}"><si><t>&a9;</t></si></sst>'
    )
    data = workbook(row(1, c("A1", "0", kind="s")), extra={"xl/sharedStrings.xml": sst.encode()})
    with pytest.raises(CorruptDocument, match="XML entity declarations are refused"):
        parse(data)


def test_entities_in_a_sheet_are_refused() -> None:
    sheet = (
        f'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet xmlns="{NS}">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    data = workbook("", extra={"xl/worksheets/sheet1.xml": sheet.encode()})
    with pytest.raises(CorruptDocument, match="XML entity declarations"):
        parse(data)


def test_member_named_outside_the_package_is_never_used() -> None:
    data = workbook(
        text_row(1, "정상", "시트"), extra={"../evil.xml": b"<x>evil</x>", "/abs.xml": b"<x/>"}
    )
    assert "evil" not in parse(data).text
    rels = (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
        'Target="../../evil.xml"/></Relationships>'
    )
    escaping = workbook(
        text_row(1, "a"),
        extra={"xl/_rels/workbook.xml.rels": rels.encode(), "../evil.xml": b"<x/>"},
    )
    with pytest.raises(CorruptDocument, match="outside the package"):
        parse(escaping)


@pytest.mark.timed
def test_huge_dimension_with_two_cells_is_fast_and_small() -> None:
    sheet = (
        f'<worksheet xmlns="{NS}"><dimension ref="A1:XFD1048576"/><sheetData>'
        + row(1, c("A1", "첫 칸", kind="inlineStr"))
        + row(1_048_576, c("XFD1048576", "끝 칸", kind="inlineStr"))
        + "</sheetData></worksheet>"
    )
    data = workbook("", extra={"xl/worksheets/sheet1.xml": sheet.encode()})
    tracemalloc.start()
    started = time.perf_counter()
    try:
        doc = parse(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 1
    assert peak < 5_000_000
    rows = [(b.table.row_numbers, b.table.first_column) for b in doc.tables if b.table]
    assert rows == [((1,), 1), ((1_048_576,), 16_384)]


def test_stray_far_cells_cannot_make_a_huge_grid() -> None:
    sheet = "".join(row(r, c(f"A{r}", "1"), c(f"XFD{r}", "2")) for r in range(1, 701))
    with pytest.raises(LimitExceeded, match="16,384 columns over 700 rows"):
        parse(workbook(sheet))


def test_cell_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_CELLS", 5)
    with pytest.raises(LimitExceeded, match="more than 5 cells"):
        parse(workbook(number_row(1, "1", "2", "3") + number_row(2, "4", "5", "6")))


def test_text_limit() -> None:
    with pytest.raises(LimitExceeded, match="characters"):
        parse(workbook(text_row(1, "가" * 50, "나" * 50)), Limits(max_text_chars=60))


def test_password_protected_workbook_is_encrypted() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptionInfo".encode("utf-16-le")
    with pytest.raises(EncryptedDocument, match="password-protected XLSX"):
        parse(ole + bytes(500))


def test_legacy_xls_is_explained() -> None:
    with pytest.raises(CorruptDocument, match=r"old Excel \.xls"):
        parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip at all", r"not a XLSX \(zip\) file"),
        (workbook("")[:100], r"not a XLSX \(zip\) file"),
        (workbook("", extra={"xl/worksheets/sheet1.xml": b"<worksheet"}), "not well-formed"),
        (workbook(row(1, c("A1", "9", kind="s"))), "missing string"),
        (workbook(row(1, c("1A", "1"))), "has a cell at '1A'"),
        (workbook(row(1, c("XFE1", "1"))), "has a cell at 'XFE1'"),
        (workbook(row(2_000_000, c("A1", "1"))), "row numbered 2000000"),
    ],
    # named, not by their bytes: a zip's bytes hold the time it was written, so two xdist
    # workers collecting a second apart would name the same case differently
    ids=["no-zip", "cut-zip", "bad-xml", "no-string", "bad-cell", "past-xfd", "past-rows"],
)
def test_damaged_workbooks_are_corrupt(data: bytes, message: str) -> None:
    with pytest.raises(CorruptDocument, match=message):
        parse(data)


def test_a_word_document_named_xlsx_is_explained() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(CorruptDocument, match="it is a Word document"):
        parse(buffer.getvalue())


def test_empty_workbook() -> None:
    with pytest.raises(EmptyDocument, match="no cell values"):
        parse(workbook("", row(1, c("A1", " ", kind="inlineStr"))))


class TestXlsxParserContract(ParserContract):
    parser = XlsxParser()
    good_sample = workbook(
        (
            "재고",
            text_row(1, "품목", "단가", style=1) + row(2, c("A2", "0", kind="s"), c("B2", "120")),
        ),
        strings=(t("볼트 M8"),),
    )
    good_name = "재고.xlsx"
