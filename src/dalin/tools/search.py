"""The ``search`` tool: more passages from the asking workspace, each citable as ``[n]``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dalin.llm.base import ToolSpec
from dalin.tools.base import Cite, ToolResult, as_content, parse_arguments, schema_of
from dalin.types import Hit

MAX_QUERY_CHARS = 500
MAX_K = 10
#: characters of each passage shown to the model
PASSAGE_CHARS = 1200

DESCRIPTION = (
    "Search this workspace's documents (Korean morpheme keywords and meaning) when the given "
    "sources do not hold what you need. Returns the best passages, each with the source "
    "number [n] to cite, its document and its label (article, page, sheet range)."
)


class SearchArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(
        min_length=1, max_length=MAX_QUERY_CHARS, description="What to look for, e.g. '출장 일비'"
    )
    k: int = Field(default=5, ge=1, le=MAX_K, description="How many passages (1-10)")


class SearchTool:
    """Search bound to one workspace: ``search`` is that workspace's own search."""

    spec = ToolSpec("search", DESCRIPTION, schema_of(SearchArguments))

    def __init__(self, search: Callable[[str, int], list[Hit]]) -> None:
        self._search = search

    def run(self, arguments: Mapping[str, Any], cite: Cite) -> ToolResult:
        args = parse_arguments(SearchArguments, arguments)
        hits = self._search(args.query, args.k)
        passages = [
            {
                "cite": f"[{cite(hit)}]",
                "label": hit.label,
                "text": hit.text[:PASSAGE_CHARS] + ("…" if len(hit.text) > PASSAGE_CHARS else ""),
            }
            for hit in hits
        ]
        data = {"query": args.query, "passages": passages}
        shown = ", ".join(str(p["label"]) for p in passages[:3])
        return ToolResult(
            content=as_content(data),
            summary=f"{len(hits)} passages for {args.query!r}" + (f": {shown}" if shown else ""),
            sources=tuple(h.label for h in hits),
            data=data,
        )
