"""The PPTX parser on the shared samples and on small and hostile files built here."""

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
from dalin.ingest.parsers.pptx import SPEAKER_NOTES_LABEL, PptxParser
from dalin.testing.parser_contract import ParserContract, assert_well_formed, minimal_docx
from dalin.types import BlockKind, Document

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"

# file -> phrases read from its text; one is a table cell wherever the file has tables
PPTX_PHRASES: dict[str, tuple[str, ...]] = {
    "office2pdf_introduction_ko.pptx": (
        "Office 문서를 PDF로 변환하는 일은 왜 어려운가",
        "외부 런타임 의존성 없이 단일 바이너리로 OOXML 문서를 PDF로 변환한다",
        "플래그: --pdf-a | 설명: PDF/A-2b 준수 출력 생성",
    ),
    "markitdown_test.pptx": (
        "AutoGen: Enabling Next-Gen LLM Applications via Multi-Agent Conversation",
        "a3f6004b-6f4f-4ea8-bee3-3741f4dc385f",
        "ColD: 1b92870d-e3b5-4e65-8153-919f4ff45592",
    ),
    "haystack_sample_pptx.pptx": ("Sample Title Slide", "This is another bullet point"),
}
# phrases that must sit inside a table block (rows render as "header: value | …")
PPTX_TABLE_CELLS: dict[str, str] = {
    "office2pdf_introduction_ko.pptx": (
        "플래그: --sheets <NAMES> | 설명: 변환 대상 시트 필터 (쉼표 구분) | 적용 범위: XLSX"
    ),
    "markitdown_test.pptx": "ColC: 9 | ColD: 1b92870d-e3b5-4e65-8153-919f4ff45592 | ColE: 11",
}
# file -> (error class name, or None for a successful parse; text expected in detail or text)
PPTX_ADVERSARIAL: dict[str, tuple[str | None, str]] = {
    "ADV_poi_clusterfuzz-XSLF-4838644450394112.pptx": ("CorruptDocument", "truncated"),
}


def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"shared samples not available at {SAMPLES.resolve()}")
    return SAMPLES


def flat(doc: Document) -> str:
    return " ".join(doc.text.split())


def parse(data: bytes, limits: Limits | None = None, name: str = "소개.pptx") -> Document:
    doc = PptxParser().parse(data, name=name, limits=limits or Limits())
    assert_well_formed(doc)
    return doc


def kinds(doc: Document) -> list[tuple[str, str, int | None]]:
    return [(b.kind.value, b.text, b.page) for b in doc.blocks]


@pytest.mark.parametrize("name", sorted(PPTX_PHRASES))
def test_sample_parses_and_holds_its_phrases(name: str) -> None:
    doc = parse((samples() / name).read_bytes(), name=name)
    assert doc.format == "pptx" and doc.page_unit == "slide" and doc.pages
    assert all(b.page is not None and 1 <= b.page <= doc.pages for b in doc.blocks)
    text = flat(doc)
    for phrase in PPTX_PHRASES[name]:
        assert phrase in text, f"{phrase!r} not found in {name}"
    if name in PPTX_TABLE_CELLS:
        tables = " ".join(" ".join(b.text.split()) for b in doc.tables)
        assert PPTX_TABLE_CELLS[name] in tables


def test_sample_slides_titles_and_speaker_notes() -> None:
    doc = parse((samples() / "office2pdf_introduction_ko.pptx").read_bytes())
    assert doc.pages == 30
    notes = [b for b in doc.blocks if b.text.startswith(SPEAKER_NOTES_LABEL)]
    assert [b.page for b in notes] == list(range(1, 31))
    assert "표의 핵심은 마지막 행이다" in notes[3].text
    headings = {b.page: b.text for b in doc.blocks if b.kind is BlockKind.HEADING}
    assert headings[22] == "CLI 옵션"  # a deck of text boxes: the largest font is the title
    (options,) = [b for b in doc.tables if "--outdir" in b.text]
    assert options.page == 22


def test_sample_with_empty_notes_has_no_notes_block() -> None:
    doc = parse((samples() / "haystack_sample_pptx.pptx").read_bytes())
    assert SPEAKER_NOTES_LABEL not in doc.text
    assert kinds(doc)[2:] == [
        ("heading", "Title of First Slide", 2),
        ("list_item", "This is a bullet point", 2),
        ("list_item", "This is another bullet point", 2),
    ]


@pytest.mark.parametrize("name", sorted(PPTX_ADVERSARIAL))
def test_adversarial_sample_is_handled(name: str) -> None:
    error, needle = PPTX_ADVERSARIAL[name]
    data = (samples() / name).read_bytes()
    if error is None:
        assert needle in flat(parse(data, name=name))
    else:
        with pytest.raises(ParseError) as caught:
            parse(data, name=name)
        assert type(caught.value).__name__ == error and needle in caught.value.detail


def test_every_pptx_sample_is_covered() -> None:
    found = sorted(p.name for p in samples().iterdir() if p.suffix == ".pptx")
    assert found == sorted([*PPTX_PHRASES, *PPTX_ADVERSARIAL])


# --- building small PPTX files ----------------------------------------------------------

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NAMESPACES = f'xmlns:p="{P}" xmlns:a="{A}" xmlns:r="{R}"'


def relationships(*rels: tuple[str, str, str]) -> bytes:
    """A .rels part from (id, type suffix, target) triples."""
    body = "".join(
        f'<Relationship Id="{rid}" Type="{R}/{kind}" Target="{target}"/>'
        for rid, kind, target in rels
    )
    return f'<Relationships xmlns="{PACKAGE_RELS}">{body}</Relationships>'.encode()


def minimal_pptx(
    *slides: str,
    order: list[int] | None = None,
    notes: dict[int, str] | None = None,
    slide_rels: dict[int, list[tuple[str, str, str]]] | None = None,
    hidden: frozenset[int] = frozenset(),
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A small .pptx; each argument is the inside of one slide's ``<p:spTree>``.

    ``order`` lists slide indexes in presentation order; ``notes`` maps a slide index to
    the inside of its notes page's spTree; ``extra`` adds or replaces members.
    """
    order = list(range(len(slides))) if order is None else order
    ids = "".join(f'<p:sldId id="{256 + i}" r:id="rId{i + 1}"/>' for i in order)
    parts: dict[str, bytes] = {
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": relationships(("rId1", "officeDocument", "ppt/presentation.xml")),
        "ppt/presentation.xml": (
            f"<p:presentation {NAMESPACES}><p:sldIdLst>{ids}</p:sldIdLst></p:presentation>"
        ).encode(),
        "ppt/_rels/presentation.xml.rels": relationships(
            *((f"rId{i + 1}", "slide", f"slides/slide{i + 1}.xml") for i in range(len(slides)))
        ),
    }
    for i, tree in enumerate(slides):
        show = ' show="0"' if i in hidden else ""
        parts[f"ppt/slides/slide{i + 1}.xml"] = (
            f"<p:sld {NAMESPACES}{show}><p:cSld><p:spTree>{tree}</p:spTree></p:cSld></p:sld>"
        ).encode()
        rels = list((slide_rels or {}).get(i, []))
        if notes and i in notes:
            rels.append(("rIdN", "notesSlide", f"../notesSlides/notesSlide{i + 1}.xml"))
            parts[f"ppt/notesSlides/notesSlide{i + 1}.xml"] = (
                f"<p:notes {NAMESPACES}><p:cSld><p:spTree>{notes[i]}</p:spTree></p:cSld></p:notes>"
            ).encode()
        if rels:
            parts[f"ppt/slides/_rels/slide{i + 1}.xml.rels"] = relationships(*rels)
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def para(text: str, *, lvl: int | None = None, bullet: str = "") -> str:
    """A DrawingML paragraph; "|" in ``text`` becomes a line break (a:br)."""
    props = f' lvl="{lvl}"' if lvl is not None else ""
    marks = {"char": '<a:buChar char="•"/>', "none": "<a:buNone/>", "": ""}[bullet]
    runs = "<a:br/>".join(f"<a:r><a:t>{part}</a:t></a:r>" for part in text.split("|"))
    return f"<a:p><a:pPr{props}>{marks}</a:pPr>{runs}</a:p>"


def sp(*paragraphs: str, ph: str | None = None, size: int = 0) -> str:
    """A shape; plain strings become paragraphs.

    ``ph`` is a placeholder type ("" for an untyped content placeholder, which PowerPoint
    bullets by default); ``size`` sets the font of every run, in hundredths of a point.
    """
    placeholder = "" if ph is None else f'<p:ph type="{ph}"/>' if ph else '<p:ph idx="1"/>'
    body = "".join(p if p.startswith("<") else para(p) for p in paragraphs)
    if size:
        body = body.replace("<a:r>", f'<a:r><a:rPr sz="{size}"/>')
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="2" name="s"/><p:cNvSpPr/><p:nvPr>{placeholder}</p:nvPr>'
        f"</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>{body}</p:txBody></p:sp>"
    )


def frame(graphic_data: str) -> str:
    return (
        '<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="3" name="f"/><p:cNvGraphicFramePr/>'
        f"<p:nvPr/></p:nvGraphicFramePr><a:graphic><a:graphicData>{graphic_data}"
        "</a:graphicData></a:graphic></p:graphicFrame>"
    )


def tc(text: str, **attributes: int) -> str:
    attrs = "".join(f' {k}="{v}"' for k, v in attributes.items())
    body = f"<a:txBody><a:bodyPr/>{para(text)}</a:txBody>" if text else ""
    return f"<a:tc{attrs}>{body}<a:tcPr/></a:tc>"


def table(*rows: str) -> str:
    return frame("<a:tbl>" + "".join(f"<a:tr>{r}</a:tr>" for r in rows) + "</a:tbl>")


# --- what is read -----------------------------------------------------------------------


def test_title_first_then_shapes_in_tree_order_with_slide_numbers() -> None:
    first = sp("본문 상자") + sp("분기 실적", ph="title")
    second = sp("둘째 제목", ph="ctrTitle") + sp("부제", ph="subTitle")
    doc = parse(minimal_pptx(first, second, order=[1, 0]))
    assert doc.pages == 2 and doc.page_unit == "slide"
    assert kinds(doc) == [
        ("heading", "둘째 제목", 1),
        ("paragraph", "부제", 1),
        ("heading", "분기 실적", 2),
        ("paragraph", "본문 상자", 2),
    ]
    assert doc.blocks[0].level == 1


def test_bullets_levels_and_line_breaks() -> None:
    box = sp(
        "첫 줄|둘째 줄", "이어지는 문단", para("들여쓴 항목", lvl=1), para("글머리", bullet="char")
    )
    body = sp("기본 글머리", para("글머리 없음", bullet="none"), ph="")
    doc = parse(minimal_pptx(box + body))
    assert kinds(doc) == [
        ("paragraph", "첫 줄\n둘째 줄\n이어지는 문단", 1),
        ("list_item", "들여쓴 항목", 1),
        ("list_item", "글머리", 1),
        ("list_item", "기본 글머리", 1),
        ("paragraph", "글머리 없음", 1),
    ]


def test_groups_are_read_through_and_fallbacks_dropped() -> None:
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    tree = (
        f"<p:grpSp><p:grpSpPr/>{sp('묶음 안')}<p:grpSp>{sp('더 안쪽')}</p:grpSp></p:grpSp>"
        f'<mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="p14">{sp("새 형식")}'
        f"</mc:Choice><mc:Fallback>{sp('옛 형식')}</mc:Fallback></mc:AlternateContent>"
    )
    assert [b.text for b in parse(minimal_pptx(tree)).blocks] == ["묶음 안", "더 안쪽", "새 형식"]


def test_slide_numbers_dates_and_footers_are_skipped() -> None:
    tree = sp("7", ph="sldNum") + sp("2024-05-01", ph="dt") + sp("회사명", ph="ftr") + sp("내용")
    assert parse(minimal_pptx(tree)).text == "내용"


def test_table_with_merged_cells() -> None:
    tree = table(
        tc("구분") + tc("기간", gridSpan=2) + tc("", hMerge=1),
        tc("연차", rowSpan=2) + tc("1년") + tc("15일"),
        tc("", vMerge=1) + tc("3년") + tc("16일"),
        tc("합계", gridSpan=2) + tc("", hMerge=1) + tc("31일"),
    )
    (block,) = parse(minimal_pptx(tree)).tables
    assert block.table is not None and block.page == 1
    assert block.table.header == ("구분", "기간", "기간")
    assert block.table.rows == (
        ("연차", "1년", "15일"),
        ("연차", "3년", "16일"),
        ("합계", "", "31일"),
    )


def test_table_span_without_placeholder_cells_keeps_its_columns() -> None:
    tree = table(tc("이름") + tc("연락처", gridSpan=2), tc("김") + tc("010") + tc("내선 1"))
    (block,) = parse(minimal_pptx(tree)).tables
    assert block.table is not None and block.table.header == ("이름", "연락처", "연락처")


def test_chart_title_and_cached_values_become_a_table() -> None:
    c = "http://schemas.openxmlformats.org/drawingml/2006/chart"

    def points(*values: str) -> str:
        return "".join(f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(values))

    chart = (
        f'<c:chartSpace xmlns:c="{c}" xmlns:a="{A}"><c:chart><c:title><c:tx><c:rich>'
        f"{para('분기 매출')}</c:rich></c:tx></c:title><c:plotArea><c:barChart><c:ser>"
        f"<c:tx><c:strRef><c:strCache>{points('2024년')}</c:strCache></c:strRef></c:tx>"
        f"<c:cat><c:strRef><c:strCache>{points('1분기', '2분기')}</c:strCache></c:strRef></c:cat>"
        f"<c:val><c:numRef><c:numCache>{points('120', '135')}</c:numCache></c:numRef></c:val>"
        "</c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>"
    )
    tree = frame(f'<c:chart xmlns:c="{c}" r:id="rId7"/>')
    data = minimal_pptx(
        tree,
        slide_rels={0: [("rId7", "chart", "../charts/chart1.xml")]},
        extra={"ppt/charts/chart1.xml": chart.encode()},
    )
    doc = parse(data)
    assert kinds(doc)[0] == ("paragraph", "분기 매출", 1)
    assert "1분기 | 2024년: 120\n2분기 | 2024년: 135" in doc.tables[0].text


def test_smartart_nodes_become_list_items() -> None:
    dgm = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
    data_part = (
        f'<dgm:dataModel xmlns:dgm="{dgm}" xmlns:a="{A}"><dgm:ptLst>'
        f'<dgm:pt modelId="0" type="doc"/><dgm:pt modelId="1"><dgm:t><a:bodyPr/>{para("기획")}'
        f'</dgm:t></dgm:pt><dgm:pt modelId="2"><dgm:t>{para("개발")}</dgm:t></dgm:pt>'
        "</dgm:ptLst></dgm:dataModel>"
    )
    tree = frame(f'<dgm:relIds xmlns:dgm="{dgm}" r:dm="rId3" r:lo="rId4"/>')
    data = minimal_pptx(
        tree,
        slide_rels={0: [("rId3", "diagramData", "../diagrams/data1.xml")]},
        extra={"ppt/diagrams/data1.xml": data_part.encode()},
    )
    assert kinds(parse(data)) == [("list_item", "기획", 1), ("list_item", "개발", 1)]


def test_speaker_notes_follow_their_slide_with_a_label() -> None:
    notes = sp(ph="sldImg") + sp("발표 때 강조할 점", "둘째 줄", ph="body") + sp("1", ph="sldNum")
    data = minimal_pptx(sp("첫 장"), sp("둘째 장"), notes={0: notes, 1: sp(ph="body")})
    assert kinds(parse(data)) == [
        ("paragraph", "첫 장", 1),
        ("paragraph", f"{SPEAKER_NOTES_LABEL}\n발표 때 강조할 점\n둘째 줄", 1),
        ("paragraph", "둘째 장", 2),
    ]


def test_hidden_slides_are_kept() -> None:
    doc = parse(minimal_pptx(sp("보이는 장"), sp("숨긴 장"), hidden=frozenset({1})))
    assert kinds(doc)[-1] == ("paragraph", "숨긴 장", 2)


def test_largest_font_is_the_title_of_a_slide_without_a_title_placeholder() -> None:
    tree = sp("AGENDA", size=1200) + sp("발표 구성", size=2900) + sp("본문", size=1400)
    tie = sp("0 개", size=5400) + sp("3 종", size=5400)
    doc = parse(minimal_pptx(tree, tie))
    assert kinds(doc)[:2] == [("heading", "발표 구성", 1), ("paragraph", "AGENDA", 1)]
    assert all(b.kind is BlockKind.PARAGRAPH for b in doc.blocks if b.page == 2)


def test_picture_alt_text_unless_it_is_a_file_name() -> None:
    def pic(descr: str) -> str:
        return (
            f'<p:pic><p:nvPicPr><p:cNvPr id="4" name="p" descr="{descr}"/><p:cNvPicPr/>'
            "<p:nvPr/></p:nvPicPr></p:pic>"
        )

    tree = pic("조직도: 대표 아래 세 팀") + pic("assets/logo.png")
    assert parse(minimal_pptx(tree)).text == "조직도: 대표 아래 세 팀"


def test_member_names_are_archive_keys_not_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    evil = f"<p:sld {NAMESPACES}><p:cSld><p:spTree>{sp('EVIL')}</p:spTree></p:cSld></p:sld>"
    rels = relationships(
        ("rId1", "slide", "slides/slide1.xml"), ("rId9", "slide", "../../evil.xml")
    )
    presentation = (
        f'<p:presentation {NAMESPACES}><p:sldIdLst><p:sldId id="256" r:id="rId9"/>'
        '<p:sldId id="257" r:id="rId1"/></p:sldIdLst></p:presentation>'
    )
    data = minimal_pptx(
        sp("정상 슬라이드"),
        extra={
            "../../evil.xml": evil.encode(),
            "ppt/_rels/presentation.xml.rels": rels,
            "ppt/presentation.xml": presentation.encode(),
        },
    )
    doc = parse(data)
    assert doc.text == "정상 슬라이드" and doc.pages == 1
    assert list(tmp_path.iterdir()) == []


# --- what is refused --------------------------------------------------------------------


def test_a_slide_that_inflates_beyond_the_limit_is_refused() -> None:
    padding = "<p:sp/>" * 200_000  # 1.4 MB of XML that deflates to a few KB
    with pytest.raises(LimitExceeded, match="zip bomb"):
        parse(minimal_pptx(sp("본문") + padding), Limits(max_uncompressed_bytes=1_000_000))


def test_entity_declarations_are_refused() -> None:
    laughs = "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    slide = (
        f'<?xml version="1.0"?><!DOCTYPE p:sld [{laughs}]><p:sld {NAMESPACES}><p:cSld>'
        f"<p:spTree>{sp('&a9;')}</p:spTree></p:cSld></p:sld>"
    )
    data = minimal_pptx(sp("x"), extra={"ppt/slides/slide1.xml": slide.encode()})
    with pytest.raises(CorruptDocument, match="XML entity declarations are refused"):
        parse(data)


def test_password_protected_pptx_is_encrypted() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptionInfo".encode("utf-16-le")
    with pytest.raises(EncryptedDocument, match="password-protected PPTX"):
        parse(ole + bytes(500))
    with pytest.raises(CorruptDocument, match=r"old PowerPoint \.ppt"):
        parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))


def without(data: bytes, member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info))
    return buffer.getvalue()


GOOD = minimal_pptx(sp("하나"), sp("둘"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "0 bytes"),
        (b"not a presentation", r"not a PPTX \(zip\) file"),
        (GOOD[:300], r"not a PPTX \(zip\) file"),
        (without(GOOD, "ppt/presentation.xml"), r"the zip has no ppt/presentation\.xml"),
        (minimal_docx("<w:p/>"), "it is a Word document"),
        (without(GOOD, "ppt/slides/slide2.xml"), r"has no ppt/slides/slide2\.xml"),
        (minimal_pptx(sp("x"), extra={"ppt/presentation.xml": b"<x/>"}), "not PresentationML"),
        (minimal_pptx(sp("x"), extra={"ppt/slides/slide1.xml": b"<p:sld"}), "not well-formed"),
        (minimal_pptx(), "has no slides"),
        (minimal_pptx(sp(), sp(ph="title")), "holds no text"),
    ],
)
def test_damaged_or_empty_files_raise_specific_errors(data: bytes, message: str) -> None:
    with pytest.raises((CorruptDocument, EmptyDocument), match=message):
        parse(data)


def test_slide_and_text_limits() -> None:
    with pytest.raises(LimitExceeded, match="2 slides"):
        parse(GOOD, Limits(max_pages=1))
    with pytest.raises(LimitExceeded, match="characters of text"):
        parse(minimal_pptx(sp("가" * 200)), Limits(max_text_chars=100))


# the shared contract adds fuzzing with garbage and damaged files (hypothesis)
class TestPptxContract(ParserContract):
    parser = PptxParser()
    good_sample = minimal_pptx(
        sp("Leave", ph="title") + sp("Annual leave is 15 days.", ph=""),
        table(tc("Kind") + tc("Days"), tc("Annual") + tc("15")),
        notes={0: sp("Mention the carry-over rule.", ph="body")},
    )
    good_name = "rules.pptx"
