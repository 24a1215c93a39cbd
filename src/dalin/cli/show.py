"""`dalin show NAME`: what dalin read from a document, under the labels its citations use.

The text comes in document order, one block per label (article, page, slide, sheet range);
``--tables`` draws the document's stored tables as tables instead.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from dalin.cli.common import JsonOption, json_output, open_workspace, out, print_json, state
from dalin.cli.messages import message
from dalin.types import ContentTable, DocumentContent

#: kinds of text dalin keeps apart from the document's own (see ``Chunk.kind``)
_DIMMED = ("toc", "furniture")


def show_command(
    name: Annotated[str, typer.Argument(help="The document: file name, path or id.")],
    tables: Annotated[
        bool, typer.Option("--tables", help="Draw the document's tables as tables.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Show what dalin read from a document, with its labels. / 문서에서 읽은 내용을 보여 줍니다."""
    json_output(as_json)
    with open_workspace() as ws:
        content = ws.content(name)
    if as_json:
        print_json(content_json(content))
        return
    doc = content.document
    out.print(f"[bold]{escape(doc.name)}[/bold]  [dim]{escape(doc.path)}[/dim]")
    if doc.status != "indexed":
        out.print(f"[yellow]{escape(message('show.failed', state().lang, error=doc.error))}[/]")
        return
    if tables:
        _print_tables(content.tables)
        return
    for block in content.blocks:
        style = "dim" if block.kind in _DIMMED else ""
        out.print()
        out.print(f"[cyan]── {escape(block.label)}[/cyan]")
        out.print(f"[{style}]{escape(block.text)}[/{style}]" if style else escape(block.text))
    if content.tables:
        out.print()
        hint = message("show.tables_hint", state().lang, n=len(content.tables), name=doc.name)
        out.print(f"[dim]{escape(hint)}[/dim]")


def _print_tables(tables: tuple[ContentTable, ...]) -> None:
    if not tables:
        out.print(message("show.no_tables", state().lang))
        return
    for stored in tables:
        out.print()
        title = stored.label if stored.name == stored.label else f"{stored.name} · {stored.label}"
        drawn = Table(title=escape(title), title_justify="left")
        width = max([len(stored.header), *(len(r) for r in stored.rows)], default=0)
        header = (*stored.header, *("",) * (width - len(stored.header)))
        for column in header:
            drawn.add_column(escape(column), overflow="fold")
        for row in stored.rows:
            drawn.add_row(*(escape(cell) for cell in row))
        out.print(drawn)


def content_json(content: DocumentContent) -> dict[str, object]:
    """The content as ``--json`` prints it: the REST API's shape, with the document in full."""
    return {
        "document": dataclasses.asdict(content.document),
        "blocks": [dataclasses.asdict(b) for b in content.blocks],
        "tables": [
            {
                "label": t.label,
                "name": t.name,
                "header": list(t.header),
                "rows": [*map(list, t.rows)],
            }
            for t in content.tables
        ],
    }
