"""Ruled tables in PDFs (``dalin.ingest.parsers.pdf_tables``), on PDFs drawn in the tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dalin.errors import ParseError
from dalin.ingest.parsers import parse_bytes
from dalin.testing.parser_contract import assert_well_formed, pdf_file
from dalin.types import BlockKind, Document, Table

# --- a small PDF writer: content streams in, PDF bytes out --------------------------------


def pdf(*pages: str, rotate: int = 0, form: str = "", form_matrix: str = "1 0 0 1 0 0") -> bytes:
    """A PDF with one page per content stream; Helvetica is /F1 and ``form`` the form /Fm1."""
    form_stream = form.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (5 + 2 * i) for i in range(len(pages)))
        + b"] /Count %d >>" % len(pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Matrix [%s] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Length %d >>\nstream\n%s\nendstream"
        % (form_matrix.encode(), len(form_stream), form_stream),
    ]
    for i, content in enumerate(pages):
        stream = content.encode("latin-1")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Rotate %d "
            b"/Resources << /Font << /F1 3 0 R >> /XObject << /Fm1 4 0 R >> >> "
            b"/Contents %d 0 R >>" % (rotate, 6 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return pdf_file(objects)


def text(x: float, y: float, words: str) -> str:
    return f"BT /F1 10 Tf {x} {y} Td ({words}) Tj ET\n"


Draw = Callable[[float, float, float, float], str]


def line(x0: float, y0: float, x1: float, y1: float) -> str:
    """A stroked line."""
    return f"{x0} {y0} m {x1} {y1} l S\n"


def bar(x0: float, y0: float, x1: float, y1: float) -> str:
    """A line drawn as a thin filled rectangle, as many generators do."""
    if y0 == y1:
        return f"{x0} {y0 - 0.4} {x1 - x0} 0.8 re f\n"
    return f"{x0 - 0.4} {y0} 0.8 {y1 - y0} re f\n"


def unstroked(x0: float, y0: float, x1: float, y1: float) -> str:
    """A line added to the current path, to be stroked with all the others at once."""
    return f"{x0} {y0} m {x1} {y1} l\n"


def sliver(x0: float, y0: float, x1: float, y1: float) -> str:
    """A line drawn as a one-pixel image stretched thin."""
    width, height = (x1 - x0, 0.8) if y0 == y1 else (0.8, y1 - y0)
    return f"q {width} 0 0 {height} {x0} {y0} cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI Q\n"


def unruled(x0: float, y0: float, x1: float, y1: float) -> str:
    """No line at all: ``ruled`` then writes only the cells' words."""
    return ""


def ruled(
    xs: Sequence[float],
    ys: Sequence[float],
    cells: dict[tuple[int, int], str],
    *,
    open_below: Sequence[tuple[int, int]] = (),
    open_right: Sequence[tuple[int, int]] = (),
    draw: Draw = line,
) -> str:
    """A ruled grid with ``cells[(row, column)]`` written in; ``ys`` run top to bottom.

    ``open_below`` leaves out the rule under a (row, column), ``open_right`` the rule to its
    right: the way a table draws merged cells.
    """
    out = []
    for r, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if (r - 1, c) not in open_below:
                out.append(draw(xs[c], y, xs[c + 1], y))
    for c, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if (r, c - 1) not in open_right:
                out.append(draw(x, ys[r + 1], x, ys[r]))
    for (r, c), words in cells.items():
        out.append(text(xs[c] + 4, ys[r + 1] + 6, words))
    return "".join(out)


def parse(data: bytes) -> Document:
    doc = parse_bytes(data, name="t.pdf")
    assert_well_formed(doc)
    return doc


def only_table(doc: Document) -> Table:
    (block,) = doc.tables
    assert block.table is not None and block.page == 1
    return block.table


XS = (72, 200, 330, 460)
YS = (700, 680, 660, 640)
PRICES = {
    (0, 0): "Item",
    (0, 1): "Qty",
    (0, 2): "Price",
    (1, 0): "Kite",
    (1, 1): "2",
    (1, 2): "20.00",
    (2, 0): "Flyer",
    (2, 1): "5",
    (2, 2): "40.00",
}


# --- tables found -------------------------------------------------------------------------


def test_ruled_3x3_table_is_one_table_block() -> None:
    doc = parse(pdf(ruled(XS, YS, PRICES)))
    table = only_table(doc)
    assert table.header == ("Item", "Qty", "Price")
    assert table.rows == (("Kite", "2", "20.00"), ("Flyer", "5", "40.00"))
    assert doc.text == "Item | Qty | Price\nItem: Kite | Qty: 2 | Price: 20.00\n" + (
        "Item: Flyer | Qty: 5 | Price: 40.00"
    )


def test_text_above_and_below_keeps_its_place() -> None:
    page = text(72, 740, "Price list") + ruled(XS, YS, PRICES) + text(72, 600, "VAT included.")
    doc = parse(pdf(page))
    assert [b.kind for b in doc.blocks] == [
        BlockKind.PARAGRAPH,
        BlockKind.TABLE,
        BlockKind.PARAGRAPH,
    ]
    assert doc.blocks[0].text == "Price list" and doc.blocks[2].text == "VAT included."
    assert all(b.page == 1 for b in doc.blocks)


def test_grouped_header_names_each_column() -> None:
    # "Name" spans two rows; "Score" spans the two columns "Math" and "Art" below it
    cells = {
        (0, 0): "Name",
        (0, 1): "Score",
        (1, 1): "Math",
        (1, 2): "Art",
        (2, 0): "Kim",
        (2, 1): "90",
        (2, 2): "85",
        (3, 0): "Lee",
        (3, 1): "70",
        (3, 2): "95",
    }
    grid = ruled(XS, (*YS, 620), cells, open_below=[(0, 0)], open_right=[(0, 1)])
    table = only_table(parse(pdf(grid)))
    assert table.header == ("Name", "Score Math", "Score Art")
    assert table.rows == (("Kim", "90", "85"), ("Lee", "70", "95"))


def test_merged_body_cells_repeat_where_they_hold() -> None:
    # "A" spans two rows; "17:00" spans Sat and Sun, two columns with names of their own
    cells = {
        (0, 0): "Group",
        (0, 1): "Sat",
        (0, 2): "Sun",
        (1, 0): "A",
        (1, 1): "17:00",
        (2, 1): "18:00",
        (2, 2): "14:00",
    }
    grid = ruled(XS, YS, cells, open_below=[(1, 0)], open_right=[(1, 1)])
    table = only_table(parse(pdf(grid)))
    assert table.rows == (("A", "17:00", "17:00"), ("A", "18:00", "14:00"))


def test_a_title_across_the_top_is_not_a_header() -> None:
    cells = {(0, 0): "Totals", **{(r + 1, c): w for (r, c), w in PRICES.items()}}
    grid = ruled(XS, (*YS, 620), cells, open_right=[(0, 0), (0, 1)])
    table = only_table(parse(pdf(grid)))
    assert table.header == ("", "", "")
    assert table.rows[0] == ("Totals", "", "") and table.rows[1] == ("Item", "Qty", "Price")


def test_open_sided_table_with_one_inner_rule() -> None:
    # no outer verticals: the horizontal rules bound it, one vertical splits two columns
    page = "".join(line(72, y, 460, y) for y in YS) + line(200, YS[-1], 200, YS[0])
    cells = {(0, 0): "Office", (0, 1): "Role", (1, 0): "Seoul", (1, 1): "Sales"}
    cells |= {(2, 0): "Busan", (2, 1): "Support"}
    table = only_table(parse(pdf(page + ruled(XS, YS, cells, draw=unruled))))
    assert table.rows == (("Seoul", "Sales"), ("Busan", "Support"))


def test_rules_drawn_as_thin_filled_rectangles() -> None:
    assert only_table(parse(pdf(ruled(XS, YS, PRICES, draw=bar)))).rows[0][0] == "Kite"


def test_rules_filled_as_one_path_of_thin_rectangles() -> None:
    def piece(x0: float, y0: float, x1: float, y1: float) -> str:
        return bar(x0, y0, x1, y1).replace(" re f", " re")

    page = ruled(XS, YS, {}, draw=piece) + "f\n" + ruled(XS, YS, PRICES, draw=unruled)
    assert only_table(parse(pdf(page))).rows[1] == ("Flyer", "5", "40.00")


def test_rules_drawn_as_thin_images() -> None:
    assert only_table(parse(pdf(ruled(XS, YS, PRICES, draw=sliver)))).rows[0][0] == "Kite"


def test_double_border_is_one_boundary() -> None:
    page = ruled(XS, YS, PRICES) + line(XS[0], YS[1] - 1.5, XS[-1], YS[1] - 1.5)
    assert len(only_table(parse(pdf(page))).rows) == 2


def test_a_grid_drawn_as_one_scaled_path_is_found() -> None:
    # one path holding every line, at half size under a matrix that doubles it
    half = ruled([x / 2 for x in XS], [y / 2 for y in YS], {}, draw=unstroked)
    words = ruled(XS, YS, PRICES, draw=unruled)
    table = only_table(parse(pdf(f"q 2 0 0 2 0 0 cm\n{half}S\nQ\n{words}")))
    assert table.header == ("Item", "Qty", "Price")


def test_a_table_inside_a_moved_form_is_found() -> None:
    # moved twice: by the matrix in force where the form is drawn, and by its own /Matrix
    page = "q 1 0 0 1 0 -50 cm /Fm1 Do Q\n"
    doc = parse(pdf(page, form=ruled(XS, YS, PRICES), form_matrix="1 0 0 1 0 -50"))
    assert only_table(doc).rows[1] == ("Flyer", "5", "40.00")


def test_two_tables_on_a_page_in_order() -> None:
    lower = ruled(XS, [y - 200 for y in YS], {k: w.upper() for k, w in PRICES.items()})
    doc = parse(pdf(ruled(XS, YS, PRICES) + text(72, 560, "Between.") + lower))
    assert [b.kind for b in doc.blocks] == [
        BlockKind.TABLE,
        BlockKind.PARAGRAPH,
        BlockKind.TABLE,
    ]
    assert doc.tables[1].table is not None and doc.tables[1].table.header[0] == "ITEM"


def test_each_table_follows_its_heading_though_the_text_layer_writes_headings_first() -> None:
    # the text layer holds both headings and the note before either table (as a Korean
    # review report's 참고자료 page does: "□ 1기 …", "□ 2기 …", then both tables)
    lower = ruled(XS, [y - 200 for y in YS], {k: w.upper() for k, w in PRICES.items()})
    headings = text(72, 720, "First term") + text(72, 520, "Second term") + text(72, 300, "Note.")
    doc = parse(pdf(headings + ruled(XS, YS, PRICES) + lower))
    shown = [b.text if b.kind is BlockKind.PARAGRAPH else b.table.header[0] for b in doc.blocks]
    assert shown == ["First term", "Item", "Second term", "ITEM", "Note."]


def test_a_table_on_the_second_page_cites_it() -> None:
    doc = parse(pdf(text(72, 700, "Cover page"), ruled(XS, YS, PRICES)))
    assert [(b.kind, b.page) for b in doc.blocks] == [
        (BlockKind.PARAGRAPH, 1),
        (BlockKind.TABLE, 2),
    ]


def test_a_grid_inside_a_cell_is_that_cells_text() -> None:
    outer = {(0, 0): "Key", (0, 1): "Value", (1, 0): "Grid", (2, 0): "End", (2, 1): "Stop"}
    inner = ruled((260, 350, 440), (670, 650, 630), {(0, 0): "a", (0, 1): "b", (1, 0): "c"})
    doc = parse(pdf(ruled((72, 250, 460), (700, 680, 600, 580), outer) + inner))
    # the cell keeps its lines apart (ingest/linebreaks.py decides what a break is);
    # rendered, they read as one line
    assert only_table(doc).rows == (("Grid", "a\nb\nc"), ("End", "Stop"))
    assert "Key: Grid | Value: a b c" in doc.text


# --- no table: the page reads as before ---------------------------------------------------


def same_as_plain_text(drawing: str, words: str) -> None:
    with_drawing, without = parse(pdf(words + drawing)), parse(pdf(words))
    assert not with_drawing.tables
    assert with_drawing == without


def test_boxed_paragraph_is_not_a_table() -> None:
    words = text(80, 700, "Note: offices close at six.")
    same_as_plain_text("72 690 300 25 re S\n", words)


def test_underlines_are_not_a_table() -> None:
    words = text(72, 700, "First heading") + text(72, 650, "Second heading")
    same_as_plain_text(line(72, 697, 200, 697) + line(72, 647, 200, 647), words)


def test_a_bar_beside_underlined_lines_is_not_a_table() -> None:
    words = text(80, 700, "First heading") + text(80, 660, "Second heading")
    drawing = line(76, 697, 250, 697) + line(76, 657, 250, 657) + line(76, 657, 76, 697)
    same_as_plain_text(drawing, words)


def test_one_column_of_boxes_is_not_a_table() -> None:
    cells = {(0, 0): "Step one", (1, 0): "Step two", (2, 0): "Step three"}
    same_as_plain_text(ruled(XS[:2], YS, {}), ruled(XS[:2], YS, cells, draw=unruled))


def test_mostly_empty_grid_is_not_a_table() -> None:
    cells = {(0, 0): "Signed", (1, 1): "Date"}
    same_as_plain_text(ruled(XS, YS, {}), ruled(XS, YS, cells, draw=unruled))


def test_pale_shading_strips_are_not_rules() -> None:
    words = ruled(XS, YS, PRICES, draw=unruled)
    same_as_plain_text("0.9 0.95 1 RG\n" + ruled(XS, YS, {}) + "0 G\n", words)


def test_rotated_page_keeps_its_text() -> None:
    doc = parse(pdf(ruled(XS, YS, PRICES), rotate=90))
    assert not doc.tables and "Flyer" in doc.text


@pytest.mark.timed
def test_a_drawing_of_many_strokes_is_skipped_quickly() -> None:
    strokes = "".join(
        f"{72 + i % 400} {100 + i % 500} m {73 + i % 400} 600 l\n" for i in range(30_000)
    )
    start = time.perf_counter()
    same_as_plain_text(strokes + "S\n", ruled(XS, YS, PRICES, draw=unruled))
    assert time.perf_counter() - start < 5


def test_graph_paper_is_not_a_table() -> None:
    ticks = [100 + 5 * i for i in range(81)]
    paper = "".join(line(100, t, 500, t) + line(t, 100, t, 500) for t in ticks)
    same_as_plain_text(paper, ruled(XS, YS, PRICES, draw=unruled))


_OPERATORS = ["m", "l", "c", "re", "h", "S", "f", "B", "n", "W", "q", "Q", "cm"]
_NUMBERS = ["0", "1", "-1", "1e38", "-1e38", "3.4e39", "0.0001", "612", "99999999999"]
# path operators, numbers that overflow or vanish, and stray syntax
_TOKENS = st.sampled_from([*_OPERATORS, *_NUMBERS, "(x)", "[", "]"])


@settings(max_examples=60, deadline=None)
@given(tokens=st.lists(_TOKENS, max_size=60))
def test_garbage_path_data_does_not_crash(tokens: list[str]) -> None:
    page = text(72, 720, "Hello") + " ".join(tokens) + "\n" + ruled(XS, YS, PRICES)
    try:
        doc = parse(pdf(page))
    except ParseError:
        return
    assert "Hello" in doc.text
