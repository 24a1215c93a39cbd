import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dalin.ingest.chunking import chunk_document, column_letters
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.structure import match_marker
from dalin.types import Document

ARTICLE = re.compile(r"^제\d+조\(", re.MULTILINE)


def rules() -> Document:
    b = DocumentBuilder("취업규칙.docx")
    b.heading("제1장 총칙", 1)
    b.paragraph("제1조(목적) 이 규칙은 근로조건을 정한다.")
    b.paragraph("제2조(적용범위) ① 모든 직원에게 적용한다. ② 다만 임원은 제외한다.")
    b.heading("제3장 휴가", 1)
    long_rule = "① 1년간 80퍼센트 이상 출근한 직원에게 15일의 유급휴가를 준다. " * 10
    b.paragraph("제12조(연차휴가) " + long_rule + "\n② 3년 이상 근속하면 1일을 가산한다. " * 4)
    b.paragraph("제13조(경조휴가) 경조휴가는 다음 표와 같다.")
    b.table(["구분", "대상", "휴가일수"], [["결혼", "본인", "5일"], ["결혼", "자녀", "1일"]])
    b.paragraph("부칙\n제1조(시행일) 이 규칙은 2025년 3월 1일부터 시행한다.")
    b.paragraph("[별표 1] 직급별 일비")
    b.table(["직급", "일비"], [[f"{i}급", f"{i}0000원"] for i in range(60)])
    return b.build()


def test_every_chunk_is_a_slice_with_a_label() -> None:
    doc = rules()
    for c in chunk_document(doc, 400):
        assert doc.text[c.start : c.end] == c.text
        assert c.label


def test_no_chunk_spans_two_articles() -> None:
    for c in chunk_document(rules(), 400):
        assert len(ARTICLE.findall(c.text)) <= 1, c.text


def test_article_labels_and_paragraph_ranges() -> None:
    labels = [c.label for c in chunk_document(rules(), 400)]
    assert labels[0] == "제1조(목적)"
    assert "제2조(적용범위)" in labels
    split = [label for label in labels if label.startswith("제12조(연차휴가)")]
    assert len(split) > 1 and all(re.search(r" [①②](–[①②])?$", label) for label in split)
    assert "부칙 제1조(시행일)" in labels


def test_heading_joins_the_chunk_it_introduces() -> None:
    first = chunk_document(rules(), 400)[0]
    assert first.text.startswith("제1장 총칙") and first.section == "제1장 총칙 > 제1조(목적)"


def test_small_table_stays_with_its_article_and_rows_keep_headers() -> None:
    chunks = chunk_document(rules(), 400)
    leave = next(c for c in chunks if c.label == "제13조(경조휴가)")
    assert "구분: 결혼 | 대상: 본인 | 휴가일수: 5일" in leave.text


def test_large_table_is_cut_between_rows_with_row_ranges() -> None:
    tables = [c for c in chunk_document(rules(), 400) if c.kind == "table"]
    assert len(tables) > 1
    assert tables[0].label.startswith("[별표 1] 직급별 일비 · 표 (1–")  # no internal counter
    for c in tables:
        assert all(
            line.startswith("직급") or line.startswith("[별표") or not line
            for line in c.text.splitlines()
        )


def test_pages_are_never_merged_and_labelled() -> None:
    b = DocumentBuilder("report.pdf")
    for page in range(1, 4):
        b.paragraph(f"Page {page} says something short.", page=page)
    chunks = chunk_document(b.build())
    assert [c.label for c in chunks] == ["p.1", "p.2", "p.3"]


def test_plain_paragraphs_get_paragraph_labels() -> None:
    b = DocumentBuilder("faq.txt")
    b.paragraph("첫 문단입니다. " * 80)
    b.paragraph("둘째 문단입니다.")
    labels = [c.label for c in chunk_document(b.build(), 300)]
    assert labels[0] == "¶1" and labels[-1] in ("¶1", "¶2")


def test_references_to_articles_do_not_open_one() -> None:
    assert match_marker("제12조에 따라 휴가를 준다") is None
    assert match_marker("제12조의 규정에 불구하고") is None
    marker = match_marker("제12조의2(특례) 내용")
    assert marker is not None and marker.label == "제12조의2(특례)"


paragraphs = st.lists(
    st.one_of(
        st.text(alphabet=st.sampled_from("가나다라 휴가.①②\n"), min_size=1, max_size=300),
        st.builds(
            lambda n, t: f"제{n}조(조항{n}) {t}",
            st.integers(1, 99),
            st.text(alphabet=st.sampled_from("가나다 .①②"), max_size=900),
        ),
        st.just("부칙"),
        st.just("제2장 근로시간"),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(paragraphs, st.integers(80, 1200))
def test_chunking_properties(texts: list[str], max_chars: int) -> None:
    b = DocumentBuilder("x.txt")
    for i, t in enumerate(texts):
        if i % 5 == 4:
            b.heading(t[:30] or "제목", 2)
        else:
            b.paragraph(t)
    doc = b.build()
    chunks = chunk_document(doc, max_chars)
    previous_end = 0
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert c.label.strip()
        assert c.start >= previous_end  # in order, never overlapping
        previous_end = c.end
        assert len(ARTICLE.findall(c.text)) <= 1


def sheet(rows: int, *, sheet_name: str = "재고") -> Document:
    b = DocumentBuilder("가격표.xlsx", format="xlsx")
    b.heading(sheet_name)
    body = [(f"품목 {i}", f"{100 + i}", f"{i * 10}") for i in range(rows)]
    b.table(
        ("품목", "단가", "재고"),
        body,
        caption=sheet_name,
        sheet=sheet_name,
        header_row=11,
        row_numbers=[12 + i for i in range(rows)],
        first_column=2,
        last_column=4,
    )
    return b.build()


def test_a_small_sheet_is_cited_by_its_cell_range() -> None:
    (chunk,) = chunk_document(sheet(3), 1000)
    assert chunk.label == "재고 · 재고!B11:D14" and chunk.kind == "table"


def test_a_large_sheet_is_cut_into_one_chunk_per_source_row() -> None:
    chunks = chunk_document(sheet(200), 400)
    assert len(chunks) == 200
    for i, chunk in enumerate(chunks):
        row = 12 + i
        assert chunk.label.endswith(f"재고!B{row}:D{row}")  # one row, one range
        assert chunk.text.splitlines()[-1] == f"품목: 품목 {i} | 단가: {100 + i} | 재고: {i * 10}"
    assert chunks[0].text.startswith("재고\n")  # the sheet's heading joins its first row


def test_a_wide_row_is_cut_but_keeps_its_range() -> None:
    b = DocumentBuilder("a.xlsx", format="xlsx")
    rows = [(f"r{i}", "설명 " * 120) for i in range(3)]
    b.table(
        ("키", "값"),
        rows,
        sheet="S",
        header_row=1,
        row_numbers=(2, 3, 4),
        first_column=1,
        last_column=2,
    )
    chunks = chunk_document(b.build(), 300)
    assert len(chunks) > 3 and {c.label for c in chunks} == {"S!A2:B2", "S!A3:B3", "S!A4:B4"}


def test_a_totals_row_without_numbers_makes_no_line() -> None:
    b = DocumentBuilder("a.xlsx", format="xlsx")
    rows = [("볼트", "120"), ("너트", "80"), ("합 계", ""), ("Total", ""), ("합계", "200")]
    b.table(
        ("품목", "금액"),
        rows,
        sheet="S",
        header_row=1,
        row_numbers=range(2, 7),
        first_column=1,
        last_column=2,
    )
    doc = b.build()
    assert doc.text.splitlines() == [
        "품목 | 금액",
        "품목: 볼트 | 금액: 120",
        "품목: 너트 | 금액: 80",
        "품목: 합계 | 금액: 200",
    ]


def test_sheet_names_with_spaces_are_quoted_like_excel() -> None:
    (chunk,) = chunk_document(sheet(2, sheet_name="Q1 매출"), 1000)
    assert chunk.label.endswith("'Q1 매출'!B11:D13")


def test_blank_rows_do_not_shift_source_row_numbers() -> None:
    b = DocumentBuilder("a.xlsx", format="xlsx")
    rows = [("a", "1"), ("", ""), *[(f"x{i}", str(i)) for i in range(80)]]
    b.table(
        ("k", "v"),
        rows,
        sheet="S",
        header_row=1,
        row_numbers=range(2, 84),
        first_column=1,
        last_column=2,
    )
    chunks = chunk_document(b.build(), 200)
    for c in chunks[1:]:
        top = int(c.label.split("!A")[1].split(":")[0])
        assert c.text.splitlines()[0] == f"k: x{top - 4} | v: {top - 4}"


def test_slides_are_cited_as_slides() -> None:
    b = DocumentBuilder("소개.pptx", format="pptx")
    b.page_unit = "slide"
    b.pages = 2
    b.heading("회사 소개", page=1)
    b.paragraph("우리는 볼트를 만든다.", page=1)
    b.paragraph("연락처 02-123-4567", page=2)
    labels = [c.label for c in chunk_document(b.build(), 1000)]
    assert labels == ["slide 1 · 회사 소개", "slide 2 · 회사 소개"]


def test_column_letters() -> None:
    assert [column_letters(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_a_chunk_holding_two_small_tables_names_both_ranges() -> None:
    b = DocumentBuilder("a.xlsx", format="xlsx")
    b.heading("개요")
    for top in (3, 10):
        b.table(
            ("항목", "값"),
            [("a", "1"), ("b", "2")],
            sheet="개요",
            header_row=top,
            row_numbers=[top + 1, top + 2],
            first_column=1,
            last_column=2,
        )
    (chunk,) = chunk_document(b.build(), 1000)
    assert chunk.label == "개요 · 개요!A3:B5, 개요!A10:B12"
