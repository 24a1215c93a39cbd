"""The HWPX parser on the shared samples and on small and hostile files built here."""

from __future__ import annotations

import io
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
from dalin.ingest.parsers.hwpx import HwpxParser
from dalin.testing.parser_contract import ParserContract, assert_well_formed, minimal_docx
from dalin.types import BlockKind, Document

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"

# file -> phrases read from its text; one is a table cell wherever the file has tables
HWPX_PHRASES: dict[str, tuple[str, ...]] = {
    "hwpxlib_20230818_공공데이터_제공표준.hwpx": (
        "119) 대중교통환승센터",
        "교통수단 간의 연계교통 및 환승활동을 원활하게 할 목적으로",
        "항목명: 환승센터명 | 구분 (필수/선택): 필수",
    ),
    "hwpxlib_20241104_mot_보도자료.hwpx": (
        "2024 파리 올림픽·패럴림픽 준비하는 우리 선수단 격려한다",
        "장미란 제2차관은 1월 2일(화), 2024년 새해를 맞이해",
        "보도시점 | 2024. 1. 2.(화) 08:00",
    ),
    "hwpxlib_20250523_프로젝트_계획서.hwpx": ("프로젝트계획서", "PROJECT PROPOSAL", "고길동"),
    "hwpxlib_textextractor_Table.hwpx": ("C반 기말고사", "이름: 개똥이 | 국어: 89"),
    "hwpxlib_textextractor_multipara.hwpx": (
        "'어썸킴' 김하성(27·샌디에이고 파드리스)이 시원한 3점홈런을 폭발했다.",
        "통산 102타점째를 마크했다",
    ),
}
# phrases that must sit inside a table block (rows render as "header: value | …")
HWPX_TABLE_CELLS: dict[str, str] = {
    "hwpxlib_20230818_공공데이터_제공표준.hwpx": "항목: 관련법령 | 내용: 국가통합교통체계효율화법",
    "hwpxlib_20241104_mot_보도자료.hwpx": "보도시점 | 2024. 1. 2.(화) 08:00 | 배포",
    "hwpxlib_20250523_프로젝트_계획서.hwpx": "참가자 성명 | 0000년 00월 00일: 고길동",
    "hwpxlib_textextractor_Table.hwpx": "이름: 칠득이 | 국어: 77 | 영어: 77 | 수학: 77",
}
# file -> (error class name, or None for a successful parse; text expected in detail or text).
# The "no manifest" sample lacks META-INF/manifest.xml, which only ever declares encryption;
# its package file (Contents/content.hpf) and both sections are intact, so it parses whole.
HWPX_ADVERSARIAL: dict[str, tuple[str | None, str]] = {
    "ADV_hwpxlib_20240626_no_manifest.hwpx": (None, "울산광역시 남구 구세 조례 일부개정조례안"),
}


def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"shared samples not available at {SAMPLES.resolve()}")
    return SAMPLES


def flat(doc: Document) -> str:
    return " ".join(doc.text.split())


def parse(data: bytes, limits: Limits | None = None, name: str = "문서.hwpx") -> Document:
    doc = HwpxParser().parse(data, name=name, limits=limits or Limits())
    assert_well_formed(doc)
    return doc


def kinds(doc: Document) -> list[tuple[str, str]]:
    return [(b.kind.value, b.text) for b in doc.blocks]


@pytest.mark.parametrize("name", sorted(HWPX_PHRASES))
def test_sample_parses_and_holds_its_phrases(name: str) -> None:
    doc = parse((samples() / name).read_bytes(), name=name)
    # pages come from the layout 한글 saved, when the file holds one
    assert doc.format == "hwpx" and (doc.pages is None or doc.pages >= 1)
    text = flat(doc)
    for phrase in HWPX_PHRASES[name]:
        assert phrase in text, f"{phrase!r} not found in {name}"
    if name in HWPX_TABLE_CELLS:
        tables = " ".join(" ".join(b.text.split()) for b in doc.tables)
        assert HWPX_TABLE_CELLS[name] in tables


@pytest.mark.parametrize("name", sorted(HWPX_ADVERSARIAL))
def test_adversarial_sample_is_handled(name: str) -> None:
    error, needle = HWPX_ADVERSARIAL[name]
    data = (samples() / name).read_bytes()
    if error is None:
        assert needle in flat(parse(data, name=name))
    else:
        with pytest.raises(ParseError) as caught:
            parse(data, name=name)
        assert type(caught.value).__name__ == error and needle in caught.value.detail


def test_every_hwpx_sample_is_covered() -> None:
    found = sorted(p.name for p in samples().iterdir() if p.suffix == ".hwpx")
    assert found == sorted([*HWPX_PHRASES, *HWPX_ADVERSARIAL])


# --- building small HWPX files ----------------------------------------------------------

NS_2011 = {
    "hp": "http://www.hancom.co.kr/hwpml/2011/paragraph",
    "hs": "http://www.hancom.co.kr/hwpml/2011/section",
    "hh": "http://www.hancom.co.kr/hwpml/2011/head",
}
NS_2016 = {
    "hp": "http://www.hancom.co.kr/hwpml/2016/paragraph",
    "hs": "http://www.hancom.co.kr/hwpml/2016/section",
    "hh": "http://www.hancom.co.kr/hwpml/2016/head",
}
CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?><ocf:container '
    'xmlns:ocf="urn:oasis:names:tc:opendocument:xmlns:container"><ocf:rootfiles>'
    '<ocf:rootfile full-path="Contents/content.hpf" '
    'media-type="application/hwpml-package+xml"/></ocf:rootfiles></ocf:container>'
)
# paragraph shapes: 0 body text, 1 outline level 2 (개요 2), 2 bulleted
HEADER = (
    "<hh:refList><hh:paraProperties>"
    '<hh:paraPr id="0"><hh:heading type="NONE" idRef="0" level="0"/></hh:paraPr>'
    '<hh:paraPr id="1"><hh:heading type="OUTLINE" idRef="0" level="1"/></hh:paraPr>'
    '<hh:paraPr id="2"><hh:heading type="BULLET" idRef="1" level="0"/></hh:paraPr>'
    "</hh:paraProperties></hh:refList>"
)


def content_hpf(sections: list[str]) -> str:
    items = "".join(
        f'<opf:item id="s{i}" href="{name}" media-type="application/xml"/>'
        for i, name in enumerate(sections)
    )
    refs = "".join(f'<opf:itemref idref="s{i}"/>' for i in range(len(sections)))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><opf:package '
        'xmlns:opf="http://www.idpf.org/2007/opf/"><opf:manifest>'
        '<opf:item id="header" href="Contents/header.xml" media-type="application/xml"/>'
        f'{items}</opf:manifest><opf:spine><opf:itemref idref="header"/>{refs}'
        "</opf:spine></opf:package>"
    )


def section_xml(body: str, ns: dict[str, str] = NS_2011) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><hs:sec xmlns:hs="{ns["hs"]}" '
        f'xmlns:hp="{ns["hp"]}">{body}</hs:sec>'
    )


def minimal_hwpx(
    *sections: str,
    ns: dict[str, str] = NS_2011,
    package: str | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A small .hwpx; each argument is the inside of one ``<hs:sec>``.

    ``package`` replaces Contents/content.hpf ("" leaves it out); ``extra`` adds members.
    """
    names = [f"Contents/section{i}.xml" for i in range(len(sections))]
    parts: dict[str, bytes] = {
        "mimetype": b"application/hwp+zip",
        "META-INF/container.xml": CONTAINER.encode(),
        "Contents/header.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><hh:head xmlns:hh="{ns["hh"]}">'
            f"{HEADER}</hh:head>"
        ).encode(),
    }
    hpf = content_hpf(names) if package is None else package
    if hpf:
        parts["Contents/content.hpf"] = hpf.encode()
    for name, body in zip(names, sections, strict=True):
        parts[name] = section_xml(body, ns).encode()
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def p(*items: str, shape: int = 0) -> str:
    """A paragraph; plain strings become runs of text, markup (starting "<") stays as is."""
    runs = "".join(i if i.startswith("<") else f"<hp:run><hp:t>{i}</hp:t></hp:run>" for i in items)
    return f'<hp:p paraPrIDRef="{shape}">{runs}</hp:p>'


def tc(text: str, column: int, row: int, *, columns: int = 1, rows: int = 1) -> str:
    content = text if text.startswith("<") else p(text)
    return (
        f"<hp:tc><hp:subList>{content}</hp:subList>"
        f'<hp:cellAddr colAddr="{column}" rowAddr="{row}"/>'
        f'<hp:cellSpan colSpan="{columns}" rowSpan="{rows}"/></hp:tc>'
    )


def tbl(*rows: str) -> str:
    """A table anchored in its own run, as Hangul writes it."""
    body = "".join(f"<hp:tr>{r}</hp:tr>" for r in rows)
    return f"<hp:run><hp:tbl>{body}</hp:tbl><hp:t/></hp:run>"


# --- what is read -----------------------------------------------------------------------


def test_runs_with_inline_characters_keep_their_tails() -> None:
    body = p(
        "<hp:run><hp:t>앞<hp:tab/>탭<hp:lineBreak/>다음 줄"
        '<hp:markpenBegin color="#FFFF00"/>형광<hp:markpenEnd/> 끝</hp:t></hp:run>',
        "<hp:run><hp:ctrl><hp:fieldBegin type='CLICK_HERE'><hp:parameters>"
        "<hp:stringParam name='Direction'>여기에 입력</hp:stringParam></hp:parameters>"
        "</hp:fieldBegin></hp:ctrl><hp:t>필드 값</hp:t></hp:run>",
    )
    assert kinds(parse(minimal_hwpx(body))) == [("paragraph", "앞 탭\n다음 줄형광 끝필드 값")]


def test_outline_paragraphs_are_headings_and_bullets_list_items() -> None:
    doc = parse(minimal_hwpx(p("추진 배경", shape=1) + p("첫째 항목", shape=2) + p("본문")))
    assert [(b.kind, b.level) for b in doc.blocks] == [
        (BlockKind.HEADING, 2),
        (BlockKind.LIST_ITEM, 0),
        (BlockKind.PARAGRAPH, 0),
    ]


def test_table_with_merged_cells_repeats_text_down_and_across_the_header() -> None:
    table = tbl(
        tc("구분", 0, 0) + tc("기간", 1, 0, columns=2),
        tc("연차", 0, 1, rows=2) + tc("1년", 1, 1) + tc("15일", 2, 1),
        tc("3년", 1, 2) + tc("16일", 2, 2),
        tc("합계", 0, 3, columns=2) + tc("31일", 2, 3),
    )
    (block,) = parse(minimal_hwpx(p("표 앞", table) + p("표 뒤"))).tables
    assert block.table is not None
    assert block.table.header == ("구분", "기간", "기간")
    assert block.table.rows == (
        ("연차", "1년", "15일"),
        ("연차", "3년", "16일"),
        ("합계", "", "31일"),
    )
    assert "구분: 연차 | 기간: 3년" in block.text


def test_cells_out_of_address_order_are_placed_by_address() -> None:
    table = tbl(tc("B", 1, 0) + tc("A", 0, 0), tc("2", 1, 1) + tc("1", 0, 1))
    (block,) = parse(minimal_hwpx(p(table))).tables
    assert block.table is not None and block.table.rows == (("1", "2"),)
    assert block.table.header == ("A", "B")


def test_hostile_cell_addresses_and_spans_stay_bounded() -> None:
    table = tbl(tc("A", 0, 0, columns=70_000), tc("B", 999_999, 999_999, rows=999_999))
    (block,) = parse(minimal_hwpx(p(table))).tables
    assert block.table is not None and block.table.header == ("A",) * 256
    assert block.table.rows == (("B", *[""] * 255),)


def test_nested_table_is_flattened_into_its_cell() -> None:
    inner = tbl(tc("안쪽1", 0, 0) + tc("안쪽2", 1, 0))
    outer = tbl(tc("항목", 0, 0) + tc("내용", 1, 0), tc("세부", 0, 1) + tc(p("설명", inner), 1, 1))
    doc = parse(minimal_hwpx(p(outer)))
    (block,) = doc.tables
    assert block.table is not None and block.table.rows == (("세부", "설명\n안쪽1\n안쪽2"),)


def test_one_column_table_is_read_as_the_text_it_frames() -> None:
    box = tbl(tc(p("보도 제목", shape=1), 0, 0), tc("- 부제", 0, 1))
    doc = parse(minimal_hwpx(p(box)))
    assert not doc.tables
    assert kinds(doc) == [("heading", "보도 제목"), ("paragraph", "- 부제")]


def test_text_boxes_read_in_place_and_picture_comments_are_skipped() -> None:
    shape = (
        "<hp:run><hp:rect><hp:drawText><hp:subList>"
        + p("상자 안 글")
        + "</hp:subList></hp:drawText><hp:shapeComment>사각형입니다.</hp:shapeComment></hp:rect>"
        "<hp:pic><hp:shapeComment>그림입니다.</hp:shapeComment></hp:pic>"
        "<hp:t>상자 뒤</hp:t></hp:run>"
    )
    doc = parse(minimal_hwpx(p("상자 앞", shape)))
    assert kinds(doc) == [
        ("paragraph", "상자 앞"),
        ("paragraph", "상자 안 글"),
        ("paragraph", "상자 뒤"),
    ]


def control(kind: str, text: str) -> str:
    sub_list = f"<hp:subList>{p(text)}</hp:subList>"
    return f"<hp:run><hp:ctrl><hp:{kind}>{sub_list}</hp:{kind}></hp:ctrl></hp:run>"


def test_headers_footers_and_notes_follow_the_body_once() -> None:
    first = p(
        control("header", "머리말"),
        control("footer", "꼬리말"),
        "본문",
        control("footNote", "각주"),
    )
    second = p(control("header", "머리말"), "둘째 구역", control("endNote", "미주"))
    doc = parse(minimal_hwpx(first, second))
    assert [b.text for b in doc.blocks] == [
        "본문",
        "둘째 구역",
        "머리말",
        "꼬리말",
        "각주",
        "미주",
    ]


def test_2016_namespaces_read_the_same() -> None:
    doc = parse(minimal_hwpx(p("개정 문서"), ns=NS_2016))
    assert doc.text == "개정 문서"


def test_sections_follow_the_spine_order() -> None:
    hpf = content_hpf(["Contents/section1.xml", "Contents/section0.xml"])
    doc = parse(minimal_hwpx(p("첫 파일"), p("둘째 파일"), package=hpf))
    assert doc.text.split("\n\n") == ["둘째 파일", "첫 파일"]


@pytest.mark.parametrize("package", ["", "<opf:package", "<?xml version='1.0'?><nothing/>"])
def test_without_a_usable_manifest_sections_are_read_by_number(package: str) -> None:
    sections = [p(f"구역 {i}") for i in range(12)]
    doc = parse(minimal_hwpx(*sections, package=package))
    assert doc.text.split("\n\n") == [f"구역 {i}" for i in range(12)]


def test_member_names_are_archive_keys_not_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    hpf = content_hpf(["../../evil.xml", "Contents/section0.xml"])
    evil = section_xml(p("EVIL")).encode()
    doc = parse(minimal_hwpx(p("정상 본문"), package=hpf, extra={"../../evil.xml": evil}))
    assert doc.text == "정상 본문"
    assert list(tmp_path.iterdir()) == []


# --- what is refused --------------------------------------------------------------------


def test_a_section_that_inflates_beyond_the_limit_is_refused() -> None:
    padding = "<hp:p/>" * 200_000  # 1.4 MB of XML that deflates to a few KB
    with pytest.raises(LimitExceeded, match="zip bomb"):
        parse(minimal_hwpx(p("본문") + padding), Limits(max_uncompressed_bytes=1_000_000))
    with pytest.raises(LimitExceeded, match="would inflate"):
        parse(minimal_hwpx(p("본문") + padding * 3), Limits(max_compression_ratio=50))


def test_entity_declarations_are_refused() -> None:
    laughs = "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE hs:sec [{laughs}]><hs:sec xmlns:hs="{NS_2011["hs"]}" '
        f'xmlns:hp="{NS_2011["hp"]}">{p("&a9;")}</hs:sec>'
    )
    data = minimal_hwpx(p("x"), extra={"Contents/section0.xml": bomb.encode()})
    with pytest.raises(CorruptDocument, match="XML entity declarations are refused"):
        parse(data)


def test_encrypted_hwpx_is_refused() -> None:
    manifest = (
        '<odf:manifest xmlns:odf="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<odf:file-entry full-path="Contents/section0.xml" media-type="application/xml">'
        '<odf:encryption-data checksum-type="sha256-1k" checksum="AAAA">'
        '<odf:algorithm algorithm-name="aes256-cbc" initialisation-vector="AAAA"/>'
        "</odf:encryption-data></odf:file-entry></odf:manifest>"
    )
    data = minimal_hwpx(p("x"), extra={"META-INF/manifest.xml": manifest.encode()})
    with pytest.raises(EncryptedDocument, match="password-protected HWPX"):
        parse(data)


def test_binary_hwp_named_hwpx_is_explained() -> None:
    with pytest.raises(CorruptDocument, match=r"binary \.hwp"):
        parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "0 bytes"),
        (b"HWP Document File", "not a HWPX \\(zip\\) file"),
        (minimal_hwpx(p("x"))[:300], "not a HWPX \\(zip\\) file"),
        (minimal_docx("<w:p/>"), "Word document"),
        (minimal_hwpx(extra={"Contents/header.xml": b"<x/>"}), "has no sections"),
        (minimal_hwpx(p("x"), extra={"Contents/section0.xml": b"<hs:sec"}), "not well-formed"),
        (minimal_hwpx(p("") + p("   ")), "holds no text"),
    ],
)
def test_damaged_or_empty_files_raise_specific_errors(data: bytes, message: str) -> None:
    with pytest.raises((CorruptDocument, EmptyDocument), match=message):
        parse(data)


def test_text_limit() -> None:
    with pytest.raises(LimitExceeded, match="characters of text"):
        parse(minimal_hwpx(p("가" * 200)), Limits(max_text_chars=100))


# the shared contract adds fuzzing with garbage and damaged files (hypothesis)
class TestHwpxContract(ParserContract):
    parser = HwpxParser()
    good_sample = minimal_hwpx(
        p("휴가 규정", shape=1)
        + p("연차는 15일이다.")
        + p(tbl(tc("구분", 0, 0) + tc("일수", 1, 0), tc("연차", 0, 1) + tc("15", 1, 1)))
    )
    good_name = "규정.hwpx"
