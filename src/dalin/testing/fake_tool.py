"""A scripted stand-in for a Tool, for tests of what surrounds tools (the loop, the log)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from dalin.errors import ToolError
from dalin.llm.base import ToolSpec
from dalin.tools.base import Cite, ToolResult, as_content, parse_arguments, schema_of
from dalin.types import Hit, ToolNumber


class _Arguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str


class EchoTool:
    """Answers ``{"text": …}`` with the text it got; remembers every call.

    ``fails`` makes every call raise a ToolError with that message; ``passage`` is handed
    to ``cite`` on every call, as a tool that read it would.
    """

    def __init__(
        self,
        name: str = "echo",
        *,
        fails: str = "",
        passage: Hit | None = None,
        numbers: tuple[ToolNumber, ...] = (),
    ) -> None:
        self.spec = ToolSpec(name, "Repeats the text it is given.", schema_of(_Arguments))
        self.calls: list[dict[str, Any]] = []
        self._fails = fails
        self._passage = passage
        self._numbers = numbers

    def run(self, arguments: Mapping[str, Any], cite: Cite) -> ToolResult:
        self.calls.append(dict(arguments))
        text = parse_arguments(_Arguments, arguments).text
        if self._fails:
            raise ToolError(self._fails)
        data: dict[str, Any] = {"text": text}
        if self._passage is not None:
            data["cite"] = f"[{cite(self._passage)}]"
        return ToolResult(
            as_content(data), f"echoed {json.dumps(text, ensure_ascii=False)}", self._numbers
        )
