"""The search tool: the workspace's own search, each passage citable."""

from __future__ import annotations

import json

import pytest

import dalin
from dalin.testing.tool_contract import CitedPassages, ToolContract
from dalin.tools import workspace_tools
from dalin.tools.search import SearchTool


class TestSearchContract(ToolContract):
    @pytest.fixture
    def tool(self, prices: dalin.Workspace) -> SearchTool:
        return SearchTool(prices.search)

    @pytest.fixture
    def arguments(self) -> dict[str, object]:
        return {"query": "배송비", "k": 2}


def test_passages_come_from_the_workspace_search_with_their_numbers(
    prices: dalin.Workspace,
) -> None:
    cited = CitedPassages()
    result = SearchTool(prices.search).run({"query": "배송비 무료", "k": 3}, cited)
    data = json.loads(result.content)
    expected = prices.search("배송비 무료", 3)
    assert [p["label"] for p in data["passages"]] == [h.label for h in expected]
    assert [p["cite"] for p in data["passages"]] == [f"[{i}]" for i in range(1, len(expected) + 1)]
    assert cited.passages == expected
    assert any("4,000원" in p["text"] for p in data["passages"])
    assert result.sources == tuple(h.label for h in expected)


def test_k_is_bounded(prices: dalin.Workspace) -> None:
    with pytest.raises(dalin.DalinError, match="k"):
        SearchTool(prices.search).run({"query": "볼트", "k": 500}, CitedPassages())


def test_a_workspace_without_tables_gets_no_table_query(workspace: dalin.Workspace) -> None:
    assert [t.spec.name for t in workspace_tools(workspace.search, workspace)] == [
        "calculator",
        "search",
    ]


def test_a_workspace_with_tables_gets_all_three(prices: dalin.Workspace) -> None:
    assert [t.spec.name for t in prices.tools()] == ["calculator", "table_query", "search"]
