"""Contract tests every Tool runs: subclass and provide ``tool`` and ``arguments`` fixtures.

class TestMyTool(ToolContract):
    @pytest.fixture
    def tool(self): ...

    @pytest.fixture
    def arguments(self):       # arguments the tool accepts and answers
        return {"expression": "1 + 1"}

What every tool must do, whatever its work: describe itself so an OpenAI-compatible server
takes the description (a valid function name, an object schema that forbids unknown
arguments — the arguments are the tool's whole scope), answer valid arguments with JSON a
model can read and a one-line summary for the log, refuse an unknown argument (such as a
``workspace`` naming another one) with a ToolError, and hand ``cite`` only passages it read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import pytest

from dalin.errors import ToolArgumentError, ToolError
from dalin.tools.base import MAX_CONTENT_CHARS, NumberedPassages, Tool, ToolResult

#: what OpenAI (and DeepSeek, vLLM) accept as a function name
FUNCTION_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


#: the ``cite`` the contract (and the tools' own tests) hand a tool
CitedPassages = NumberedPassages


class ToolContract:
    """Behaviour every Tool must show; the subclass supplies ``tool`` and ``arguments``."""

    def test_is_a_tool_with_an_openai_description(self, tool: Tool) -> None:
        assert isinstance(tool, Tool)
        spec = tool.spec
        assert FUNCTION_NAME.match(spec.name)
        assert spec.description.strip()
        assert spec.parameters["type"] == "object"
        assert spec.parameters.get("additionalProperties") is False
        json.dumps(spec.as_openai())  # serialisable as sent

    def test_answers_with_json_and_a_one_line_summary(
        self, tool: Tool, arguments: Mapping[str, Any]
    ) -> None:
        result = tool.run(arguments, CitedPassages())
        assert isinstance(result, ToolResult)
        assert len(result.content) <= MAX_CONTENT_CHARS
        assert isinstance(json.loads(result.content), dict)
        assert result.summary.strip() and "\n" not in result.summary

    def test_refuses_an_argument_outside_its_schema(
        self, tool: Tool, arguments: Mapping[str, Any]
    ) -> None:
        with pytest.raises(ToolArgumentError, match="workspace"):
            tool.run({**arguments, "workspace": "other"}, CitedPassages())

    def test_refuses_arguments_of_the_wrong_type(self, tool: Tool) -> None:
        required = tool.spec.parameters.get("required", [])
        wrong = {name: {"not": "a string or number"} for name in required}
        with pytest.raises(ToolError):
            tool.run(wrong, CitedPassages())

    def test_cites_only_passages_with_text_and_a_place(
        self, tool: Tool, arguments: Mapping[str, Any]
    ) -> None:
        cited = CitedPassages()
        tool.run(arguments, cited)
        for hit in cited.passages:
            assert hit.text.strip() and hit.label.strip() and hit.end > hit.start >= 0
