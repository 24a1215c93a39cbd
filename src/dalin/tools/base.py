"""The Tool interface: exact work a model may ask for while answering, bound to one workspace.

A tool is built for one workspace (its search, its tables) and its arguments are checked
against a schema that forbids anything else, so no argument can name another workspace,
a file or a URL: the scope is enforced by what the object holds, not by what the model is
told (SECURITY.md check 5).

A tool answers with a :class:`ToolResult`. Passages it read that the model may cite (a
table row, a search hit) are handed to ``cite``, which numbers them after the prompt's own
sources; the tool writes those numbers into its result so the model cites them as
``[n]`` like any other source, and the answer's citations open them in the document.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ValidationError

from dalin.errors import ToolArgumentError
from dalin.llm.base import ToolSpec
from dalin.types import Hit, ToolNumber

#: numbers a passage the model may cite: the ``[n]`` it is given as
Cite = Callable[[Hit], int]
#: longest result text a tool hands back; a model pays for every character of it
MAX_CONTENT_CHARS = 8000

Arguments = TypeVar("Arguments", bound=BaseModel)


@dataclass(frozen=True)
class ToolResult:
    """What a tool returns: the text the model reads, a one-line summary, what it computed."""

    #: JSON text for the model
    content: str
    #: one line for the answer log, ``--stats`` and the web UI
    summary: str
    numbers: tuple[ToolNumber, ...] = ()
    #: labels of the cells, rows or passages the result came from
    sources: tuple[str, ...] = ()
    #: the structured result (what ``content`` encodes), for MCP clients
    data: Mapping[str, Any] | None = None


@runtime_checkable
class Tool(Protocol):
    """A tool a model may call: its description, and ``run``."""

    @property
    def spec(self) -> ToolSpec:
        """Name, description and argument schema, as the model is told."""
        ...

    def run(self, arguments: Mapping[str, Any], cite: Cite) -> ToolResult:
        """Do the work; raises :class:`dalin.errors.ToolError` (the message is for the model)."""
        ...


class NumberedPassages:
    """A ``cite`` for a caller that takes a tool's passages all at once (MCP, tests): numbers
    them from 1, in the order first cited, and keeps them."""

    def __init__(self) -> None:
        self.passages: list[Hit] = []

    def __call__(self, hit: Hit) -> int:
        if hit not in self.passages:
            self.passages.append(hit)
        return self.passages.index(hit) + 1


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of an argument model, without pydantic's titles (tokens for nothing)."""
    schema = model.model_json_schema()
    schema.pop("title", None)
    for field in schema.get("properties", {}).values():
        field.pop("title", None)
    return schema


def parse_arguments(model: type[Arguments], arguments: Mapping[str, Any]) -> Arguments:
    """``arguments`` checked against ``model``; ``ToolArgumentError`` names what is wrong."""
    try:
        return model.model_validate(dict(arguments))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'arguments'}: {error['msg']}"
            for error in exc.errors()
        )
        raise ToolArgumentError(f"invalid arguments ({problems})") from exc


def as_content(data: Mapping[str, Any]) -> str:
    """``data`` as compact JSON for the model, cut to :data:`MAX_CONTENT_CHARS`."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    if len(text) <= MAX_CONTENT_CHARS:
        return text
    return text[: MAX_CONTENT_CHARS - 40] + ' …[cut: the result is too long]"'
