"""Tables a PDF lays out with whitespace alone (``dalin.ingest.parsers.pdf_columns``)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_pdf_tables import parse, pdf, text

from dalin.ingest.parsers import parse_bytes
from dalin.types import Table
from shared_samples import shared_path

COLUMNS = (72, 300, 380, 470)  # left edges; numbers are right-aligned to the next edge - 10


def aligned(rows: list[tuple[str, ...]], top: float = 700, step: float = 14) -> str:
    """Rows written at fixed x positions (numbers right-aligned), no rule drawn."""
    out = []
    for r, row in enumerate(rows):
        y = top - r * step
        for c, word in enumerate(row):
            if not word:
                continue
            x = COLUMNS[c] if c == 0 else COLUMNS[c] + 60 - 5 * len(word)
            out.append(text(x, y, word))
    return "".join(out)


INVOICE = [
    ("Item", "Quantity", "Price", "Amount"),
    ("Super Kite", "2", "20.00", "40.00"),
    ("Turbo Flyer", "5", "40.00", "200.00"),
    ("Giga Trash", "1", "180.00", "180.00"),
    ("Bare Bone Kit", "3", "50.00", "150.00"),
]


def only(data: bytes) -> Table:
    (block,) = parse(pdf(data)).tables  # type: ignore[arg-type]
    assert block.table is not None
    return block.table


def test_an_invoice_laid_out_with_spaces_is_a_table_with_its_header() -> None:
    table = only(aligned([*INVOICE, ("", "", "", "570.00")]))  # type: ignore[arg-type]
    assert table.header == ("Item", "Quantity", "Price", "Amount")
    assert table.rows[1] == ("Turbo Flyer", "5", "40.00", "200.00")
    assert table.rows[-1] == ("", "", "", "570.00")


def test_the_rendered_rows_name_their_columns() -> None:
    doc = parse(pdf(text(72, 760, "INVOICE 2020-10") + aligned(INVOICE)))
    assert "Item: Turbo Flyer | Quantity: 5 | Price: 40.00 | Amount: 200.00" in doc.text
    assert doc.text.startswith("INVOICE 2020-10")


def test_a_group_header_names_every_column_under_it() -> None:
    rows = [
        ("", "2023", "2022", ""),
        ("Net sales", "$ 100", "$ 90", ""),
        ("Cost of sales", "60", "50", ""),
        ("Gross margin", "40", "40", ""),
    ]
    table = only(text(350, 714, "Three Months Ended") + aligned(rows))  # over both years
    assert table.header == ("", "Three Months Ended 2023", "Three Months Ended 2022")
    assert table.rows[0] == ("Net sales", "$ 100", "$ 90")


def test_a_lone_currency_sign_joins_its_number() -> None:
    rows = [("Item", "Amount", "", ""), ("Rent", "1,000", "", ""), ("Power", "200", "", "")]
    rows += [("Water", "50", "", ""), ("Total", "1,250", "", "")]
    page = aligned(rows) + text(COLUMNS[1], 700 - 14, "$") + text(COLUMNS[1], 700 - 56, "$")
    table = only(page)
    assert table.header == ("Item", "Amount")
    assert table.rows[0] == ("Rent", "$ 1,000") and table.rows[1] == ("Power", "200")


def test_prose_with_numbers_stays_text() -> None:
    lines = [
        "In 2023 the company sold 5 kites and 12 flyers in 3 markets, up from 2 markets.",
        "Revenue grew 20 percent to 4,000 dollars while costs fell 3 percent to 1,200.",
        "We expect 2024 sales of 6,000 kites across 4 regions and 10 new dealers soon.",
        "Staff rose from 12 to 15 people and the office moved 2 times in 18 months.",
    ]
    doc = parse(pdf("".join(text(72, 700 - 14 * i, line) for i, line in enumerate(lines))))
    assert not doc.tables and "Staff rose from 12 to 15 people" in " ".join(doc.text.split())


def test_two_rows_of_numbers_are_not_enough() -> None:
    doc = parse(pdf(aligned(INVOICE[:3])))
    assert not doc.tables and "Turbo Flyer" in doc.text


def test_a_form_of_names_and_values_stays_text() -> None:
    rows = [
        ("Name", "Gabriel Diaz", "Year", "2022"),
        ("Claim", "SF-1008", "Make", "Jeep"),
        ("Phone", "111-1111", "Trim", "Limited"),
        ("Odometer", "9,800", "Color", "White"),
    ]
    doc = parse(pdf(aligned(rows)))
    assert not doc.tables and "Gabriel Diaz" in doc.text


WORDS = st.text(alphabet="abc 123.,$", min_size=1, max_size=12).filter(str.strip)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(WORDS, WORDS, WORDS, WORDS), min_size=1, max_size=8))
def test_every_word_survives_whatever_the_layout(rows: list[tuple[str, ...]]) -> None:
    doc = parse_bytes(pdf(aligned(rows)), name="t.pdf")
    cells = [c for b in doc.tables if b.table for row in b.table.rows for c in (*row,)]
    cells += [c for b in doc.tables if b.table for c in b.table.header]
    everything = " ".join([doc.text, *cells])
    for row in rows:
        for word in row:
            for piece in word.split():
                assert piece in everything


def test_the_invoice_samples_are_tables(tmp_path: Path) -> None:
    kraxi = shared_path("samples", "odl_PDFUA-Ref-2-02_Invoice.pdf")
    (block,) = parse_bytes(kraxi.read_bytes(), name=kraxi.name).tables
    assert block.table is not None
    assert block.table.header == ("ITEM DESCRIPTION", "QUANTITY", "PRICE (€)", "AMOUNT (€)")
    assert ("2 Turbo Flyer", "5", "40.00", "200.00") in block.table.rows
    repair = shared_path("samples", "markitdown_REPAIR-2022-INV-001_multipage.pdf")
    first, second = parse_bytes(repair.read_bytes(), name=repair.name).tables
    assert first.table is not None and second.table is not None
    assert first.table.header[-3:] == ("Hours", "Rate", "Cost")
    assert ("GRAND TOTAL", "", "", "", "5,738") in first.table.rows
    assert ("GRAND TOTAL", "", "", "", "211,522") in second.table.rows
