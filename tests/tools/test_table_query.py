"""table_query on real workspaces: typed columns, cell provenance, citable rows, scope."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from tool_support import PRICE_LIST

import dalin
from dalin.errors import QueryRefused, ToolArgumentError
from dalin.testing.tool_contract import CitedPassages, ToolContract
from dalin.tools import table_query
from dalin.tools.table_query import TableQueryTool
from dalin.tools.tables import LoadedTables, load_tables
from dalin.types import ToolNumber


def price_rows() -> list[list[str]]:
    """The price list's table read straight from the Markdown, as an independent reference."""
    lines = PRICE_LIST.read_text(encoding="utf-8").splitlines()
    rows = [
        [c.strip() for c in line.strip("|").split("|")] for line in lines if line.startswith("| HB")
    ]
    assert len(rows) == 15
    return rows


def query(tool: TableQueryTool, sql: str) -> tuple[dict[str, object], CitedPassages, object]:
    cited = CitedPassages()
    result = tool.run({"sql": sql}, cited)
    return json.loads(result.content), cited, result


class TestTableQueryContract(ToolContract):
    @pytest.fixture
    def tool(self, prices: dalin.Workspace) -> TableQueryTool:
        return TableQueryTool(prices)

    @pytest.fixture
    def arguments(self) -> dict[str, str]:
        return {"sql": "SELECT 품목, 단가_원 FROM t1 WHERE 품목_코드 = 'HB-200'"}


def test_columns_are_named_from_the_header_and_typed(prices: dalin.Workspace) -> None:
    (table,) = load_tables(prices).tables
    described = {c.name: (c.header, c.numeric, c.unit) for c in table.columns}
    assert described == {
        "품목_코드": ("품목 코드", False, ""),
        "품목": ("품목", False, ""),
        "규격": ("규격", False, ""),
        "단가_원": ("단가(원)", True, ""),
        "최소주문수량": ("최소주문수량", True, "개"),
    }


def test_won_amounts_are_numbers_and_sums_are_exact(prices: dalin.Workspace) -> None:
    expected = sum(int(row[3].replace(",", "")) for row in price_rows())
    data, _, _ = query(TableQueryTool(prices), "SELECT sum(단가_원), max(최소주문수량) FROM t1")
    assert data["rows"] == [[expected, 2000]]


def test_a_looked_up_row_is_cited_at_its_exact_place(prices: dalin.Workspace) -> None:
    data, cited, result = query(
        TableQueryTool(prices), "SELECT 품목, 단가_원 FROM t1 WHERE 품목_코드 = 'HB-200'"
    )
    assert data["rows"] == [["디지털 토크 렌치 HB-200", 385000]]
    assert data["cite"] == ["[1]"]
    (row,) = cited.passages
    assert row.label == "가격표_2025.md · 표 1 · 13행"
    assert "HB-200" in row.text and "385,000" in row.text
    # the offsets are the document's own: the stored passage there reads the same line
    passage = prices.passage(row.doc_id, row.start, row.end)
    assert passage.text[passage.highlight[0] : passage.highlight[1]] == row.text
    assert result.sources == ("가격표_2025.md · 표 1 · 13행",)  # type: ignore[attr-defined]
    assert result.numbers == ()  # type: ignore[attr-defined]  # read off a cell, not computed


def test_an_aggregate_with_its_row_ids_cites_the_rows_and_keeps_its_operands(
    prices: dalin.Workspace,
) -> None:
    bolts = [row for row in price_rows() if "볼트" in row[1]]
    data, cited, result = query(
        TableQueryTool(prices),
        "SELECT sum(단가_원), group_concat(_rid) FROM t1 WHERE 품목 LIKE '%볼트%'",
    )
    total = sum(int(row[3]) for row in bolts)
    assert data["rows"][0][0] == total  # type: ignore[index]
    assert data["cite"] == ["[1][2][3][4]"]
    assert [p.label.rsplit(" · ", 1)[1] for p in cited.passages] == ["1행", "2행", "3행", "4행"]
    (number,) = result.numbers  # type: ignore[attr-defined]
    assert number == ToolNumber(str(total), tuple(sorted(row[3] for row in bolts)))


def test_an_aggregate_without_row_ids_names_the_table(prices: dalin.Workspace) -> None:
    data, cited, result = query(TableQueryTool(prices), "SELECT count(*) FROM t1")
    assert data["rows"] == [[15]] and data["cite"] == ["가격표_2025.md · 표 1"]
    assert not cited.passages and result.numbers == ()  # type: ignore[attr-defined]


def test_a_computed_column_keeps_the_cells_it_was_computed_from(prices: dalin.Workspace) -> None:
    _, _, result = query(
        TableQueryTool(prices), "SELECT 품목, 단가_원 * 3 FROM t1 WHERE 품목_코드 = 'HB-200'"
    )
    assert result.numbers == (ToolNumber("1155000", ("385000",)),)  # type: ignore[attr-defined]


def test_a_count_that_equals_a_cell_is_not_taken_for_that_cell(prices: dalin.Workspace) -> None:
    # 10개 is a minimum order quantity in a column the query reads; a count of 10 is not it
    data, cited, _ = query(
        TableQueryTool(prices),
        "SELECT count(*) AS n FROM t1 WHERE 단가_원 < 5000 AND 최소주문수량 > 0",
    )
    assert data["rows"] == [[10]] and not cited.passages


def test_the_catalogue_lists_every_table(sheets: dalin.Workspace) -> None:
    tool = TableQueryTool(sheets)
    data, _, _ = query(tool, "SELECT name, document, sheet, rows FROM tables")
    rows = data["rows"]
    assert len(rows) == len(tool.tables.tables) > 10  # type: ignore[arg-type]
    assert ["t1", "markitdown_test.xlsx", "Sheet1", 23] in rows  # type: ignore[operator]
    assert any(r[1] == "가격표_2025.md" and r[3] == 15 for r in rows)  # type: ignore[union-attr]
    assert "t1: markitdown_test.xlsx · Sheet1" in tool.spec.description
    assert "SELECT * FROM tables" in tool.spec.description


def test_spreadsheet_rows_are_cited_by_sheet_and_row(sheets: dalin.Workspace) -> None:
    tool = TableQueryTool(sheets)
    stored = next(t for t in tool.tables.tables if t.name == "t1").stored.table
    first = [int(c) for c in stored.rows[0]]
    data, cited, _ = query(tool, f"SELECT Alpha, Beta FROM t1 WHERE Alpha = {first[0]}")
    assert data["rows"][0] == first[:2]  # type: ignore[index]
    assert cited.passages[0].label == "markitdown_test.xlsx · Sheet1!A2:D2"
    table = tool.tables.tables[0]
    assert table.cell_label(0, 1) == "Sheet1!B2"


def test_a_legacy_xls_row_is_cited_as_one_row(tmp_path: Path) -> None:
    # 단가표.xls (tests/ingest/legacy): header on row 3, HB-200 on row 5 of sheet 단가표
    price_list = tmp_path / "단가표.xls"
    price_list.write_bytes(
        (Path(__file__).parents[1] / "ingest" / "legacy" / "단가표.xls").read_bytes()
    )
    with dalin.Workspace.create(tmp_path / "ws") as ws:
        ws.embedder = None
        assert ws.add([price_list]).ok
        tool = TableQueryTool(ws)
        [name] = [t.name for t in tool.tables.tables if "단가" in t.stored.table.header]
        data, cited, _ = query(tool, f"SELECT 단가 FROM {name} WHERE 품번 = 'HB-200'")
    assert data["rows"] == [[85]]
    assert [p.label for p in cited.passages] == ["단가표.xls · 단가표!A5:F5"]


def test_names_do_not_depend_on_the_order_files_were_added(tmp_path: Path) -> None:
    names = []
    for order in ([PRICE_LIST, "b"], ["b", PRICE_LIST]):
        folder = tmp_path / f"ws{len(names)}"
        folder.mkdir()
        other = folder / "b_재고.csv"
        other.write_text("품목,재고\n볼트,3000\n너트,1200\n", encoding="utf-8")
        ws = dalin.Workspace.create(folder / ".dalin")
        for item in order:
            ws.add([PRICE_LIST if item == PRICE_LIST else other])
        names.append([(t.name, t.document.name) for t in load_tables(ws).tables])
        ws.close()
    assert names[0] == names[1] == [("t1", "b_재고.csv"), ("t2", "가격표_2025.md")]


def test_a_workspace_over_the_cell_budget_leaves_tables_out(prices: dalin.Workspace) -> None:
    loaded = load_tables(prices, max_cells=10)
    assert not loaded.tables and loaded.left_out == ("가격표_2025.md · 표 1",)
    assert "Too large to load here" in TableQueryTool(prices, max_cells=10).spec.description


def test_reaches_only_its_own_workspace(prices: dalin.Workspace, tmp_path: Path) -> None:
    """Another workspace's tables, database file and canary stay out of reach (SECURITY.md 5)."""
    canary = "CANARY-7f3a9c"
    other_folder = tmp_path / "other"
    other_folder.mkdir()
    (other_folder / "secret.csv").write_text(f"code,amount\n{canary},999\n", encoding="utf-8")
    other = dalin.Workspace.create(other_folder / ".dalin")
    other.add([other_folder / "secret.csv"])
    other.close()
    tool = TableQueryTool(prices)
    assert set(tool.spec.parameters["properties"]) == {"sql"}
    with pytest.raises(ToolArgumentError, match="workspace"):
        tool.run({"sql": "SELECT 1", "workspace": str(other_folder)}, CitedPassages())
    database = other_folder / ".dalin" / "dalin.db"
    for sql in (
        f"ATTACH DATABASE '{database}' AS other",
        f"SELECT * FROM '{database}'.doc_tables",
        "SELECT * FROM other.t1",
        "SELECT * FROM t2",
    ):
        with pytest.raises(QueryRefused):
            tool.run({"sql": sql}, CitedPassages())
    everything, _, _ = query(tool, "SELECT * FROM tables")
    assert canary not in json.dumps(everything, ensure_ascii=False)
    assert Decimal(999) not in {Decimal(str(r[5])) for r in everything["rows"]}  # type: ignore[union-attr]


def test_typed_tables_are_kept_for_the_next_answer_until_a_document_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    stock = folder / "재고.csv"
    stock.write_text("품목,재고\n볼트,3000\n", encoding="utf-8")
    ws = dalin.Workspace.create(folder / ".dalin")
    ws.add([folder])
    loads: list[int] = []
    real = table_query.load_tables

    def counted(*args: object, **kwargs: object) -> LoadedTables:
        loads.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(table_query, "load_tables", counted)
    for _ in range(3):  # one answer after another, each with its own tool
        data, _, _ = query(TableQueryTool(ws), "SELECT 재고 FROM t1")
        assert data["rows"] == [[3000]]
    assert len(loads) == 1
    stock.write_text("품목,재고\n볼트,2500\n", encoding="utf-8")
    ws.add([folder])
    data, _, _ = query(TableQueryTool(ws), "SELECT 재고 FROM t1")
    assert data["rows"] == [[2500]] and len(loads) == 2
    ws.close()
