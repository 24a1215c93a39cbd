"""Exact work that models do badly — arithmetic, table lookups — as tools with cited results.

:func:`workspace_tools` builds the tools for one workspace; see :mod:`dalin.tools.base` for
the interface and :mod:`dalin.tools.agent` for the loop that offers them to a model.
"""

from __future__ import annotations

from collections.abc import Callable

from dalin.tools.base import Tool
from dalin.tools.calculator_tool import CalculatorTool
from dalin.tools.search import SearchTool
from dalin.tools.table_query import TableQueryTool
from dalin.tools.tables import TableReader
from dalin.types import Hit

__all__ = ["CalculatorTool", "SearchTool", "TableQueryTool", "Tool", "workspace_tools"]


def workspace_tools(search: Callable[[str, int], list[Hit]], tables: TableReader) -> list[Tool]:
    """The tools of one workspace, bound to its own search and tables; ``table_query`` only
    when the workspace holds a table."""
    tools: list[Tool] = [CalculatorTool(), SearchTool(search)]
    if any(d.tables for d in tables.documents()):
        tools.insert(1, TableQueryTool(tables))
    return tools
