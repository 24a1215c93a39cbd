"""Format-specific behaviour of the parsers, on inputs built in the tests."""

from __future__ import annotations

import codecs
import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from dalin.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    LimitExceeded,
    NoTextLayer,
    ParseError,
    UndecodableText,
    UnsupportedFormat,
)
from dalin.ingest.limits import Limits
from dalin.ingest.parsers import SUPPORTED_SUFFIXES, parse_bytes, parser_for, pdf_ocr
from dalin.ingest.parsers.text import decode_text
from dalin.ingest.safexml import parse_xml
from dalin.testing.parser_contract import assert_well_formed, minimal_docx, minimal_pdf
from dalin.types import BlockKind, Document


def parse(data: bytes, name: str, limits: Limits | None = None) -> Document:
    doc = parse_bytes(data, name=name, limits=limits)
    assert_well_formed(doc)
    return doc


def kinds(doc: Document) -> list[tuple[str, str]]:
    return [(b.kind.value, b.text) for b in doc.blocks]


# --- plain text -------------------------------------------------------------------------


def test_cp949_text_is_decoded_and_split_on_blank_lines() -> None:
    data = "제1조(목적)\r\n이 규정은 휴가를 정한다.\r\n\r\n제2조(연차) 15일.".encode("cp949")
    doc = parse(data, "규정.txt")
    assert kinds(doc) == [
        ("paragraph", "제1조(목적)\n이 규정은 휴가를 정한다."),
        ("paragraph", "제2조(연차) 15일."),
    ]
    assert doc.format == "text"


def test_cp949_only_syllables_are_decoded() -> None:
    # 똠 and 햏 exist in CP949 (UHC) but not in EUC-KR
    text = "똠방각하의 연차휴가는 열다섯 날이며 병가는 열흘이다"
    assert decode_text(text.encode("cp949"), "a.txt") == text


@pytest.mark.parametrize(
    "data",
    [codecs.BOM_UTF8 + "안녕하세요".encode(), "안녕하세요".encode("utf-16"), "안녕하세요".encode()],
)
def test_unicode_with_and_without_bom(data: bytes) -> None:
    assert decode_text(data, "a.txt") == "안녕하세요"


def test_utf8_cut_inside_its_last_character_keeps_the_rest() -> None:
    assert decode_text("연차휴가 15일".encode()[:-1], "a.txt") == "연차휴가 15"


def test_a_rare_stray_byte_in_utf8_is_dropped() -> None:
    data = "연차휴가는 15일이다. ".encode() * 200 + b"\xff" + "끝".encode()
    assert decode_text(data, "a.txt").endswith("이다. 끝")


def test_detector_reads_a_longer_shift_jis_text() -> None:
    text = "名前,年齢,住所\r\n佐藤太郎,30,東京\r\n三木英子,25,大阪\r\n髙橋淳,35,名古屋\r\n"
    assert decode_text(text.encode("cp932"), "a.txt") == text


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,  # binary
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        "café".encode("latin-1"),  # a coin toss between code pages: refused, not guessed
        codecs.BOM_UTF16_LE + b"\x00\xd8",  # BOM then a lone surrogate
    ],
)
def test_undecodable_bytes_are_refused(data: bytes) -> None:
    with pytest.raises(UndecodableText, match="UTF-8"):
        parse(data, "a.txt")


def test_whitespace_only_text_is_empty() -> None:
    with pytest.raises(EmptyDocument):
        parse(" \n\t\r\n　".encode(), "a.txt")


# --- markdown ---------------------------------------------------------------------------

MARKDOWN = """---
title: 취업규칙
layout: page
---
# 제3장 휴가

연차휴가는 **15일**이다.<script>inline()</script>
이어지는 줄.

## 제12조 병가

- 병가 10일
- 경조사 휴가
  - 결혼 5일

| 구분 | 일수 |
|------|-----:|
| 연차 | 15 |
| 병가 | 10 |

```
code block line
```

<div>HTML 블록<script>alert(1)</script></div>
"""


def test_markdown_blocks() -> None:
    doc = parse(MARKDOWN.encode(), "rules.md")
    assert "title:" not in doc.text and "layout" not in doc.text
    headings = [(b.text, b.level) for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == [("제3장 휴가", 1), ("제12조 병가", 2)]
    assert ("paragraph", "연차휴가는 15일이다. 이어지는 줄.") in kinds(doc)  # soft break = space
    items = [b.text for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == ["병가 10일", "경조사 휴가", "결혼 5일"]
    (table,) = doc.tables
    assert table.table is not None and table.table.header == ("구분", "일수")
    assert table.table.rows == (("연차", "15"), ("병가", "10"))
    assert "구분: 연차 | 일수: 15" in table.text
    assert ("paragraph", "code block line") in kinds(doc)
    assert "HTML 블록" in doc.text and "alert" not in doc.text and "inline()" not in doc.text


# --- html -------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><title>Site</title>
<style>p { color: red }</style><script>var secret = "script text";</script></head>
<body><nav><a href="/">메뉴 홈</a></nav>
<h1>휴가 안내</h1><p>연차는<br>15일&amp;병가</p>
<ul><li>첫째 <b>항목</b></li><li>둘째<ul><li>중첩</li></ul></li></ul>
<table><caption>휴가 일수</caption>
<thead><tr><th>구분</th><th colspan="2">기간</th></tr></thead>
<tbody><tr><td rowspan="2">연차</td><td>1년</td><td>15일</td></tr>
<tr><td>3년</td><td>16일</td></tr></tbody></table>
<pre>  코드   블록</pre><noscript>자바스크립트 필요</noscript><template><p>숨김</p></template>
</body></html>"""


def test_html_blocks_and_stripped_chrome() -> None:
    doc = parse(HTML.encode(), "a.html")
    for hidden in ("script text", "color", "메뉴", "자바스크립트", "숨김", "Site"):
        assert hidden not in doc.text
    assert ("heading", "휴가 안내") in kinds(doc)
    assert ("paragraph", "연차는\n15일&병가") in kinds(doc)
    assert [b.text for b in doc.blocks if b.kind is BlockKind.LIST_ITEM] == [
        "첫째 항목",
        "둘째",
        "중첩",
    ]
    assert ("paragraph", "코드 블록") in kinds(doc)


def test_html_table_spans_keep_every_row_readable() -> None:
    (table,) = parse(HTML.encode(), "a.html").tables
    assert table.table is not None
    assert table.table.caption == "휴가 일수"
    assert table.table.header == ("구분", "기간", "기간")
    assert table.table.rows == (("연차", "1년", "15일"), ("연차", "3년", "16일"))


def test_html_meta_charset_euc_kr() -> None:
    page = '<html><head><meta charset="euc-kr"></head><body><p>똠방각하 휴가</p></body></html>'
    assert parse(page.encode("cp949"), "a.htm").text == "똠방각하 휴가"


def test_html_front_matter_is_stripped() -> None:
    page = "---\nlayout: default\ntitle: 1.0\n---\n<p>본문</p>"
    assert parse(page.encode(), "a.html").text == "본문"


def test_html_entities_are_not_resolved() -> None:
    page = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><p>a &e; b</p>'
    assert "root:" not in parse(page, "a.html").text


def test_html_colspan_bomb_is_bounded() -> None:
    row = "<tr>" + '<td colspan="999999999">x</td>' * 200 + "</tr>"
    doc = parse(f"<table>{row * 50}</table>".encode(), "a.html")
    table = doc.tables[0].table
    assert table is not None and all(len(row) <= 200 * 64 for row in table.rows)


# --- pdf --------------------------------------------------------------------------------


def test_pdf_pages_become_blocks_with_page_numbers() -> None:
    doc = parse(minimal_pdf(["First page text.", "Second page text."]), "a.pdf")
    assert doc.pages == 2 and doc.format == "pdf"
    assert [(b.text, b.page) for b in doc.blocks] == [
        ("First page text.", 1),
        ("Second page text.", 2),
    ]


def test_pdf_with_leading_junk_still_parses() -> None:
    assert parse(b"junk before header\n" + minimal_pdf(["Hello"]), "a.pdf").text == "Hello"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "JPEG"),
        (b"PK\x03\x04" + bytes(100), "ZIP"),
        (b"hello, this is text", "plain text"),
    ],
)
def test_not_a_pdf_names_what_it_looks_like(data: bytes, what: str) -> None:
    with pytest.raises(CorruptDocument, match=f"not a PDF: .*{what}"):
        parse(data, "a.pdf")


def test_pdf_without_text_needs_ocr() -> None:
    with pytest.raises(
        NoTextLayer, match=r"image-only PDF with no text layer \(2 pages\); run OCR"
    ):
        parse(minimal_pdf(["", ""]), "scan.pdf")


def test_pdf_of_raw_glyph_codes_is_not_indexed(monkeypatch: pytest.MonkeyPatch) -> None:
    # what a CID font without ToUnicode yields: "The quick brown fox" shifted by 29; such
    # pages go to OCR (tests/ingest/test_ocr.py), so here OCR is missing
    monkeypatch.setattr(pdf_ocr, "tesseract_missing", lambda: "no Tesseract (apt-get …)")
    with pytest.raises(NoTextLayer, match=r"no Unicode map.*run OCR first; no Tesseract"):
        parse(minimal_pdf(["7KH\x03TXLFN\x03EURZQ\x03IR[\x03MXPSV"]), "a.pdf")


def test_pdf_page_limit() -> None:
    with pytest.raises(LimitExceeded, match="3 pages"):
        parse(minimal_pdf(["a", "b", "c"]), "a.pdf", Limits(max_pages=2))


def test_truncated_pdf_is_refused() -> None:
    data = minimal_pdf(["Hello"])
    with pytest.raises(ParseError):
        parse(data[:40], "a.pdf")


# --- docx -------------------------------------------------------------------------------


def p(text: str, *, style: str = "", outline: int | None = None, numbered: bool = False) -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    props += f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
    props += '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' if numbered else ""
    return f"<w:p><w:pPr>{props}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def tc(text: str, *, span: int = 1, vmerge: str | None = None) -> str:
    props = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    if vmerge is not None:
        props += f'<w:vMerge w:val="{vmerge}"/>' if vmerge else "<w:vMerge/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text) if text else '<w:p/>'}</w:tc>"


def tbl(*rows: str) -> str:
    return "<w:tbl>" + "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>"


STYLES = (
    '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="제목 2"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Custom"><w:name w:val="My Heading"/>'
    '<w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Derived"><w:name w:val="Derived"/>'
    '<w:basedOn w:val="Custom"/></w:style>'
)


def test_docx_headings_from_styles_and_outline_levels() -> None:
    body = (
        p("문서 제목", style="a3")
        + p("제1장 총칙", style="1")
        + p("제1조 목적", style="a5")
        + p("사용자 정의", style="Custom")
        + p("파생 스타일", style="Derived")
        + p("직접 개요 수준", outline=3)
        + p("Heading by id", style="Heading2")
        + p("본문 문단")
    )
    doc = parse(minimal_docx(body, styles=STYLES), "a.docx")
    headings = [(b.text, b.level) for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == [
        ("문서 제목", 1),
        ("제1장 총칙", 1),
        ("제1조 목적", 2),
        ("사용자 정의", 3),
        ("파생 스타일", 3),
        ("직접 개요 수준", 4),
        ("Heading by id", 2),
    ]
    assert doc.blocks[-1].kind is BlockKind.PARAGRAPH


def test_docx_lists_runs_tabs_breaks_and_revisions() -> None:
    body = (
        p("첫째 항목", numbered=True)
        + "<w:p><w:r><w:t>앞</w:t><w:tab/><w:t>탭</w:t><w:br/><w:t>다음 줄</w:t></w:r>"
        '<w:del w:id="1"><w:r><w:delText>지운 글</w:delText></w:r></w:del>'
        '<w:ins w:id="2"><w:r><w:t> 넣은 글</w:t></w:r></w:ins>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
        "</w:p>"
        "<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>"
        + p("콘텐츠 컨트롤")
        + "</w:sdtContent></w:sdt>"
    )
    doc = parse(minimal_docx(body), "a.docx")
    assert kinds(doc) == [
        ("list_item", "첫째 항목"),
        ("paragraph", "앞 탭\n다음 줄 넣은 글"),
        ("paragraph", "콘텐츠 컨트롤"),
    ]


def test_docx_text_box_is_read_once() -> None:
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = "<w:txbxContent>" + p("상자 안 글") + "</w:txbxContent>"
    body = (
        f'<w:p><w:r><w:t>본문</w:t></w:r><w:r><mc:AlternateContent xmlns:mc="{mc}">'
        f"<mc:Choice Requires='wps'><w:drawing>{box}</w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    doc = parse(minimal_docx(body), "a.docx")
    assert kinds(doc) == [("paragraph", "본문"), ("paragraph", "상자 안 글")]


def test_docx_table_with_merged_cells() -> None:
    body = tbl(
        tc("구분") + tc("기간", span=2),
        tc("연차", vmerge="restart") + tc("1년") + tc("15일"),
        tc("", vmerge="") + tc("3년") + tc("16일"),
        tc("합계", span=2) + tc("31일"),
    )
    (table,) = parse(minimal_docx(body), "a.docx").tables
    assert table.table is not None
    assert table.table.header == ("구분", "기간", "기간")
    assert table.table.rows == (
        ("연차", "1년", "15일"),
        ("연차", "3년", "16일"),
        ("합계", "", "31일"),
    )
    assert "구분: 연차 | 기간: 3년" in table.text


def test_docx_footnotes_follow_the_body() -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = (
        f'<w:footnotes xmlns:w="{w}"><w:footnote w:type="separator" w:id="-1">'
        f'<w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1">{p("각주 내용")}'
        "</w:footnote></w:footnotes>"
    )
    doc = parse(minimal_docx(p("본문"), extra={"word/footnotes.xml": notes.encode()}), "a.docx")
    assert kinds(doc) == [("paragraph", "본문"), ("paragraph", "각주 내용")]


def test_docx_entity_declarations_are_refused() -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    laughs = "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    document = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{laughs}]><w:document xmlns:w="{w}">'
        "<w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>"
    )
    data = minimal_docx("", extra={"word/document.xml": document.encode()})
    with pytest.raises(CorruptDocument, match="XML entity declarations are refused"):
        parse(data, "a.docx")


def _zip_bomb(megabytes: int) -> bytes:
    buffer = io.BytesIO(minimal_docx(p("작은 본문")))
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("word/media/zeros.bin", "w", force_zip64=True) as member,
    ):
        chunk = bytes(1 << 20)
        for _ in range(megabytes):
            member.write(chunk)
    return buffer.getvalue()


@pytest.mark.timed
def test_docx_zip_bomb_is_refused_quickly_in_little_memory() -> None:
    bomb = _zip_bomb(256)  # 256 MiB of zeros in about 250 KB
    assert len(bomb) < 2_000_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(LimitExceeded, match="zip bomb"):
            parse(bomb, "bomb.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2
    assert peak < 20_000_000


def test_docx_total_size_and_entry_limits() -> None:
    data = minimal_docx(p("본문"), extra={f"word/media/{i}.bin": b"x" for i in range(20)})
    with pytest.raises(LimitExceeded, match="zip entries"):
        parse(data, "a.docx", Limits(max_zip_entries=10))
    with pytest.raises(LimitExceeded, match="expands to more than 100 bytes"):
        parse(data, "a.docx", Limits(max_uncompressed_bytes=100))


def _directory_entry(data: bytes | bytearray, name: str) -> int:
    """Offset of the central directory header of ``name`` (its file name ends the archive)."""
    header = data.rindex(name.encode()) - 46
    assert data[header : header + 4] == b"PK\x01\x02"
    return header


def test_docx_member_larger_than_its_header_says_is_refused() -> None:
    data = bytearray(minimal_docx(p("본문 " * 2000)))
    header = _directory_entry(data, "word/document.xml")
    data[header + 24 : header + 28] = (10).to_bytes(4, "little")  # uncompressed size: 10 bytes
    with pytest.raises((CorruptDocument, LimitExceeded)):
        parse(bytes(data), "a.docx")


def test_docx_bad_crc_is_corrupt() -> None:
    data = bytearray(minimal_docx(p("본문")))
    header = _directory_entry(data, "word/document.xml")
    data[header + 16 : header + 20] = b"\x00\x00\x00\x00"  # its CRC-32
    with pytest.raises(CorruptDocument, match="CRC"):
        parse(bytes(data), "a.docx")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"hello, plain text", "not a DOCX \\(zip\\) file"),
        (minimal_docx(p("x"))[:200], "not a DOCX \\(zip\\) file"),
        (
            minimal_docx("", extra={"word/document.xml": b"<w:document"}),
            "not well-formed XML",
        ),
    ],
)
def test_damaged_docx_is_corrupt(data: bytes, message: str) -> None:
    with pytest.raises(CorruptDocument, match=message):
        parse(data, "a.docx")


def test_workbook_named_docx_is_explained() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(CorruptDocument, match="Excel workbook"):
        parse(buffer.getvalue(), "a.docx")


def test_password_protected_docx_is_encrypted() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptionInfo".encode("utf-16-le")
    with pytest.raises(EncryptedDocument, match="password"):
        parse(ole + bytes(500), "a.docx")


# --- safe XML ---------------------------------------------------------------------------


def test_parse_xml_accepts_a_doctype_without_entities() -> None:
    root = parse_xml(
        b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://x/r.dtd"><r>ok</r>', what="r"
    )
    assert root.text == "ok"


def test_parse_xml_never_loads_an_external_dtd(tmp_path: Path) -> None:
    dtd = tmp_path / "secret.dtd"
    dtd.write_text('<!ENTITY secret "TOPSECRET">')
    xml = f'<!DOCTYPE r SYSTEM "{dtd.as_uri()}"><r>a &secret; b</r>'
    assert b"TOPSECRET" not in etree.tostring(parse_xml(xml.encode(), what="r"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_parse_xml_refuses_entities_in_any_encoding(encoding: str) -> None:
    xml = f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>'
    with pytest.raises(CorruptDocument, match="entity declarations are refused"):
        parse_xml(xml.encode(encoding), what="part.xml")


def test_parse_xml_depth_limit() -> None:
    with pytest.raises(LimitExceeded, match=r"part\.xml exceeds"):
        parse_xml(b"<a>" * 300 + b"</a>" * 300, what="part.xml")


# --- registry ---------------------------------------------------------------------------


def test_parser_for_is_case_insensitive_and_lists_suffixes_when_unsupported() -> None:
    assert parser_for("보고서.PDF").format == "pdf"
    assert set(SUPPORTED_SUFFIXES) >= {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}
    with pytest.raises(UnsupportedFormat, match=r"\.xyz.*\.docx"):
        parser_for("a.xyz")
    with pytest.raises(UnsupportedFormat, match="without a suffix"):
        parser_for("README")


def test_parse_bytes_limits() -> None:
    with pytest.raises(LimitExceeded, match="more than the limit of 10"):
        parse_bytes(b"x" * 11, name="a.txt", limits=Limits(max_file_bytes=10))
    with pytest.raises(LimitExceeded, match="characters"):
        parse_bytes(b"x" * 11, name="a.txt", limits=Limits(max_text_chars=10))


def test_parse_bytes_turns_library_failures_into_corrupt_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(data: bytes, *, name: str, limits: Limits) -> Document:
        raise ValueError("library bug")

    monkeypatch.setattr(parser_for("a.txt"), "parse", explode)
    with pytest.raises(CorruptDocument, match="ValueError: library bug"):
        parse_bytes(b"hello", name="a.txt")


def test_html_icon_font_ligatures_are_no_text() -> None:
    page = (
        '<p><a href="/train.json"><i class="material-icons left">file_download</i>'
        "Training Set (37MB)</a></p>"
        '<p><span class="material-symbols-outlined">home</span>Home page</p>'
    )
    assert parse(page.encode(), "a.html").text == "Training Set (37MB)\n\nHome page"
