"""`dalin glossary`: view and edit the workspace's synonyms and abbreviations.

The sub-app uses the helpers of ``dalin.cli.main``, which registers it at its end.
"""

from __future__ import annotations

from typing import Annotated

import click
import typer
from rich.markup import escape
from rich.table import Table

from dalin.cli.common import fail, fail_on, open_workspace, out, state
from dalin.cli.messages import message
from dalin.errors import DalinError
from dalin.retrieval.glossary import GLOSSARY_NAME, format_entries, parse, parse_line

glossary_app: typer.Typer = typer.Typer(
    help="Synonyms and abbreviations that widen searches. / 검색을 넓히는 동의어·약어 사전.",
    invoke_without_command=True,
    no_args_is_help=False,
)


@glossary_app.callback()
def show(ctx: typer.Context) -> None:
    """Show the glossary (workspace file and domain pack). / 용어 사전을 보여 줍니다."""
    if ctx.invoked_subcommand is not None:
        return
    with open_workspace() as ws:
        glossary = ws.glossary()
        if not glossary.entries:
            out.print(message("glossary.empty", state().lang, file=ws.files.where(GLOSSARY_NAME)))
            return
        table = Table(show_lines=False)
        for key in ("glossary.term", "glossary.words", "glossary.source"):
            table.add_column(message(key, state().lang))
        for term, words in glossary.entries.items():
            table.add_row(escape(term), escape(", ".join(words)), glossary.sources[term])
        out.print(table)


@glossary_app.command("add")
def add(
    entry: Annotated[str, typer.Argument(help='An entry such as "부가세 = 부가가치세".')],
) -> None:
    """Add synonyms to a term (kept with the ones it has). / 용어에 동의어를 더합니다."""
    with open_workspace() as ws:
        try:
            parsed = parse_line(entry, "dalin glossary add")
        except DalinError as exc:
            fail_on(exc)
        if parsed is None:
            fail(message("glossary.bad_entry", state().lang))
        term, words = parsed
        entries = ws.glossary_entries()
        entries[term] = tuple(dict.fromkeys((*entries.get(term, ()), *words)))
        ws.save_glossary(entries)
        listed = ", ".join(entries[term])
        out.print(message("glossary.added", state().lang, term=term, words=listed))


@glossary_app.command("rm")
def remove(term: Annotated[str, typer.Argument(help="The term to remove.")]) -> None:
    """Remove a term from the workspace glossary. / 용어를 지웁니다."""
    with open_workspace() as ws:
        entries = ws.glossary_entries()
        if term not in entries:
            fail(message("glossary.no_term", state().lang, term=term))
        del entries[term]
        ws.save_glossary(entries)
        out.print(message("glossary.removed", state().lang, term=term))


@glossary_app.command("edit")
def edit() -> None:
    """Open the glossary file in your editor ($EDITOR). / 편집기로 엽니다."""
    with open_workspace() as ws:
        text = format_entries(ws.glossary_entries())
        changed = click.edit(text, extension=".txt")
        if changed is None:
            out.print(message("glossary.unchanged", state().lang))
            return
        try:
            entries = parse(changed, "edited glossary")
        except DalinError as exc:  # the file on disk stays as it was
            fail_on(exc)
        where = ws.save_glossary(entries)
        out.print(message("glossary.saved", state().lang, count=len(entries), file=where))


@glossary_app.command("expand")
def expand(query: Annotated[str, typer.Argument(help="A question to try.")]) -> None:
    """Show what a question is expanded with. / 질문이 어떻게 넓어지는지 보여 줍니다."""
    with open_workspace() as ws:
        expansion = ws.glossary().expand(query)
        if not expansion.added:
            out.print(message("glossary.no_match", state().lang))
        for term, words in expansion.added.items():
            out.print(f"{escape(term)} → {escape(', '.join(words))}")
