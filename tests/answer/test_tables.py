"""Stored tables read as grids, cells matched to questions and placed in the document."""

from __future__ import annotations

from collections.abc import Sequence

from dalin.answer.extractive import Question
from dalin.answer.tables import CellMatch, is_numeric, match_cells, place_of, read_grid
from dalin.ingest.document import DocumentBuilder
from dalin.types import StoredTable


def stored(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    sheet: str = "",
    row_numbers: Sequence[int] = (),
    first_column: int = 0,
    before: str = "표 앞의 문단입니다.",
) -> tuple[StoredTable, str]:
    """A table as the store keeps it, and the document text it was rendered into."""
    builder = DocumentBuilder("t.docx")
    builder.paragraph(before)
    builder.table(header, rows, sheet=sheet, header_row=1 if sheet else 0,
                  row_numbers=row_numbers, first_column=first_column,
                  last_column=first_column + len(header) - 1 if first_column else 0)  # fmt: skip
    doc = builder.build()
    block = doc.tables[0]
    assert block.table is not None
    return StoredTable(1, 1, block.table, None, block.start, block.end), doc.text


def best(
    table: StoredTable, question: str, same: dict[str, frozenset[str]] | None = None
) -> CellMatch:
    words = Question.parse(question).words
    matches = match_cells(read_grid(table), question, words, {}, same or {})
    named = [m for m in matches if m.column_score > 0]
    return named[0]


def test_a_row_label_and_a_column_name_give_the_cell_and_its_row_line() -> None:
    table, text = stored(
        ("이름", "국어", "영어", "수학"),
        [("개똥이", "89", "65", "78"), ("팔푼이", "88", "88", "88")],
    )
    cell = best(table, "개똥이의 수학 점수는?")
    assert (cell.row_label, cell.column_name, cell.value) == ("개똥이", "수학", "78")
    place = place_of(cell)
    assert place is not None
    assert (
        text[place.start : place.end]
        == place.quote
        == "이름: 개똥이 | 국어: 89 | 영어: 65 | 수학: 78"
    )
    assert place.label == "표 1 · '개똥이' 행"


def test_a_spreadsheet_cell_is_cited_by_its_address() -> None:
    table, _ = stored(("Country", "Units Sold"), [("Canada", "1,618"), ("France", "1,321")],
                      sheet="Sheet1", row_numbers=(2, 3), first_column=4)  # fmt: skip
    same = {
        "unit": frozenset({"수량"}),
        "sold": frozenset({"수량"}),
        "canada": frozenset({"캐나다"}),
    }
    cell = best(table, "캐나다 판매 수량은?", same)
    assert cell.value == "1,618"
    place = place_of(cell)
    assert place is not None and place.label == "Sheet1!E2"


def test_two_header_rows_join_and_a_merged_header_spans_its_columns() -> None:
    rows = [("", "EM", "F1", "EM", "F1"), ("Human", "-", "-", "68.8", "83.9")]
    table, _ = stored(("", "검증 데이터", "", "평가 데이터", ""), rows)
    grid = read_grid(table)
    assert grid.columns[1:] == (
        "검증 데이터 EM",
        "검증 데이터 F1",
        "평가 데이터 EM",
        "평가 데이터 F1",
    )
    assert best(table, "평가 데이터에서 Human의 F1은?").value == "83.9"


def test_a_form_of_label_value_pairs() -> None:
    table, _ = stored(("항목", "내용"), [("소관기관", "국토교통부"), ("갱신주기", "연간")])
    grid = read_grid(table)
    assert grid.pairs
    words = Question.parse("표준데이터의 갱신주기는?").words
    cell = match_cells(grid, "표준데이터의 갱신주기는?", words, {}, {})[0]
    assert (cell.row_label, cell.value) == ("갱신주기", "연간")


def test_a_range_label_names_the_row_holding_the_amount_asked() -> None:
    rows = [("1년 이상 3년 미만", "15일"), ("9년 이상 11년 미만", "19일"), ("21년 이상", "25일")]
    table, _ = stored(("근속연수", "연차휴가 일수"), rows)
    assert best(table, "10년 근무하면 연차휴가 일수는?").value == "19일"


def test_a_totals_row_is_found_like_any_row_and_known_as_one() -> None:
    table, _ = stored(("구분", "개수"), [("보안", "5"), ("합 계", "33")])
    cell = best(table, "요구사항 합계 개수는?")
    assert cell.value == "33" and cell.is_total


def test_numbers_and_moments_are_values_not_labels() -> None:
    assert is_numeric("1,062,888천원") and is_numeric("10.20%") and is_numeric("5일")
    assert not is_numeric("3월 매출") and not is_numeric("9년 이상 11년 미만")
