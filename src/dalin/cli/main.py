"""`dalin` command line (Typer + Rich). Every command calls the library API only."""

from __future__ import annotations

import dataclasses
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from dalin.cli.common import (
    DEFAULT_DIR,
    EXIT_PARTIAL,
    BaseUrlOption,
    JsonOption,
    LlmOption,
    State,
    begin,
    err,
    fail_on,
    json_output,
    open_workspace,
    out,
    print_json,
    state,
)
from dalin.cli.conversation import export_answer, export_conversation, resume, scope
from dalin.cli.database import db_app, migrate_command
from dalin.cli.documents import docs_command
from dalin.cli.eval import eval_app
from dalin.cli.glossary import glossary_app
from dalin.cli.indexing import add_with_progress, embed_later, embed_with_progress, print_report
from dalin.cli.mcp import mcp_command
from dalin.cli.messages import message
from dalin.cli.serve import keys_app, serve_command
from dalin.cli.show import show_command
from dalin.cli.watch import watch_command
from dalin.cli.worker import queue_files, worker_command
from dalin.config import env_language
from dalin.errors import DalinError
from dalin.profiles import DEFAULT_PACK, packs
from dalin.types import Answer, Hit, ToolUse
from dalin.workspace import Workspace

app = typer.Typer(
    name="dalin",
    help="dalin (달인): ask your own documents, get cited answers."
    " / 문서에 묻고, 출처와 함께 답을 받으세요.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Lang(StrEnum):
    ko = "ko"
    en = "en"


@app.callback()
def main(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", "-w", help="Workspace folder (default: nearest .dalin/)."),
    ] = None,
    lang: Annotated[
        Lang | None, typer.Option("--lang", help="Message language: ko or en (default: locale).")
    ] = None,
) -> None:
    """dalin (달인): index a folder of documents and ask questions with cited answers."""
    begin(ctx, State(workspace=workspace, lang=lang.value if lang else env_language()))


@app.command()
def init(
    path: Annotated[
        Path | None, typer.Argument(help="Folder for the new workspace (default: ./.dalin).")
    ] = None,
    domain: Annotated[
        str,
        typer.Option(help=f"Domain pack for profile.toml: {', '.join(packs())}."),
    ] = DEFAULT_PACK,
    store: Annotated[
        str,
        typer.Option(
            help="sqlite (a file in the folder) or postgres (the database of"
            " DALIN_DATABASE_URL; see docs/deploy.md)."
        ),
    ] = "sqlite",
    name: Annotated[
        str, typer.Option(help="postgres: the workspace's name there (default: the folder's).")
    ] = "",
) -> None:
    """Create a workspace. / 작업공간을 만듭니다."""
    target = path or state().workspace or Path(DEFAULT_DIR)
    try:
        ws = Workspace.create(target, domain=domain, backend=store, name=name)
    except DalinError as exc:
        fail_on(exc)
    ws.close()
    out.print(message("init.done", state().lang, path=ws.path))
    out.print(message("init.next", state().lang))


@app.command()
def add(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (folders recursively).")],
    no_embed: Annotated[
        bool,
        typer.Option(
            "--no-embed",
            help="Keyword search only, ready at once; prepare meaning search later with"
            " `dalin embed`. / 키워드 검색만 바로; 의미 검색 준비는 나중에 dalin embed 로.",
        ),
    ] = False,
    queue: Annotated[
        bool,
        typer.Option(
            "--queue",
            help="PostgreSQL: queue the files for `dalin worker` processes instead of"
            " indexing them here.",
        ),
    ] = False,
) -> None:
    """Index files and folders; unchanged files are skipped. / 파일과 폴더를 색인합니다."""
    if queue:
        queue_files(paths)
        return
    with open_workspace() as ws:
        report = add_with_progress(ws, paths)
        print_report(report)
        if no_embed:
            embed_later(ws)
        else:
            embed_with_progress(ws, after_add=True)
    if report.failed:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def embed() -> None:
    """Prepare meaning search for the passages that lack it (carries on where it stopped).
    / 의미 검색을 준비합니다 (멈춘 곳부터 이어서)."""
    with open_workspace() as ws:
        embed_with_progress(ws, after_add=False)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", min=1, max=200, help="How many passages.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Find the passages that best match a query. / 질의와 가장 잘 맞는 구절을 찾습니다."""
    json_output(as_json)
    one_shot()
    with open_workspace() as ws:
        hits = ws.search(query, k)
    if as_json:
        print_json([dataclasses.asdict(h) for h in hits])
        return
    if not hits:
        out.print(message("search.none", state().lang))
        return
    _print_hits(hits)


def one_shot() -> None:
    """This process answers once and exits: it builds no in-memory keyword index of a large
    PostgreSQL workspace (dalin.stores.postgres_memory), which only a later search could use."""
    from dalin.stores import postgres_memory

    postgres_memory.INDEXES.building = False


def _print_hits(hits: list[Hit]) -> None:
    table = Table(show_lines=True)
    table.add_column("#", justify="right")
    table.add_column(message("col.score", state().lang), justify="right")
    table.add_column(message("col.source", state().lang), max_width=40)
    table.add_column(message("col.text", state().lang))
    for i, h in enumerate(hits, start=1):
        text = h.text if len(h.text) <= 300 else h.text[:300] + "…"
        table.add_row(str(i), f"{h.score:.2f}", escape(h.label), escape(text))
    out.print(table)


ReasoningOption = Annotated[
    bool, typer.Option("--show-reasoning", help="Print the model's reasoning, dimmed.")
]
StatsOption = Annotated[
    bool,
    typer.Option("--stats", help="Print model, tokens, cost, timings and the tools it called."),
]
DocOption = Annotated[
    list[str] | None,
    typer.Option(
        "--doc", help="Ask only this document (file name, path or id); repeat for several."
    ),
]
ExportOption = Annotated[
    Path | None,
    typer.Option("--export", help="Also save as Markdown with the sources to this file."),
]


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question, in Korean or English.")],
    llm: LlmOption = None,
    base_url: BaseUrlOption = None,
    show_reasoning: ReasoningOption = False,
    stats: StatsOption = False,
    as_json: JsonOption = False,
    doc: DocOption = None,
    export: ExportOption = None,
) -> None:
    """Answer a question from the documents, with citations. / 문서로 답하고 출처를 밝힙니다."""
    json_output(as_json)
    one_shot()
    with open_workspace() as ws, _thinking(not as_json):
        answer = ws.ask(question, llm=llm, base_url=base_url, documents=scope(ws, doc or []))
    if export is not None:
        export_answer(export, answer)
    if as_json:
        print_json(_answer_json(answer))
        return
    _print_answer(answer, show_reasoning=show_reasoning, stats=stats)


@app.command()
def chat(
    llm: LlmOption = None,
    base_url: BaseUrlOption = None,
    show_reasoning: ReasoningOption = False,
    stats: StatsOption = False,
    doc: DocOption = None,
    resume_id: Annotated[
        str | None,
        typer.Option("--resume", help="Continue a logged conversation, by the id chat printed."),
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Save the conversation as Markdown, after every answer."),
    ] = None,
) -> None:
    """Talk with your documents; follow-up questions keep the context. / 이어서 묻고 답합니다."""
    conversation = resume_id or uuid.uuid4().hex[:12]
    with open_workspace() as ws:
        history = resume(ws, conversation) if resume_id else []
        documents = scope(ws, doc or [])
        out.print(f"[dim]{message('chat.hello', state().lang)}[/dim]")
        out.print(f"[dim]{message('chat.id', state().lang, id=conversation)}[/dim]")
        if history:
            out.print(f"[dim]{message('chat.resumed', state().lang, n=len(history))}[/dim]")
        while (question := _read_question()) is not None:
            with _thinking(True):
                answer = ws.ask(
                    question,
                    llm=llm,
                    base_url=base_url,
                    history=history,
                    conversation=conversation,
                    documents=documents,
                )
            if answer.query:
                out.print(f"[dim]{message('chat.query', state().lang, query=answer.query)}[/dim]")
            _print_answer(answer, show_reasoning=show_reasoning, stats=stats)
            history.append((question, answer.text))
            if export is not None:
                export_conversation(export, ws, conversation)


def _read_question() -> str | None:
    while True:
        try:
            line = input("\n? ")
        except EOFError:
            return None
        text = line.strip()
        if text.lower() in ("/q", "/quit", "/exit", "quit", "exit", "종료"):
            return None
        if text:
            return text


@contextmanager
def _thinking(show: bool) -> Iterator[None]:
    if not show or not out.is_terminal:
        yield
        return
    with out.status(message("ask.thinking", state().lang)):
        yield


def _answer_json(answer: Answer) -> dict[str, Any]:
    data = dataclasses.asdict(answer)
    data["hits"] = [
        {"label": h.label, "score": h.score, "document": h.document} for h in answer.hits
    ]
    return data


def _print_answer(answer: Answer, *, show_reasoning: bool = False, stats: bool = False) -> None:
    if show_reasoning and answer.reasoning:
        out.print(f"[dim italic]{escape(answer.reasoning.strip())}[/dim italic]")
        out.print()
    if answer.notice:
        out.print(f"[yellow]{escape(answer.notice)}[/yellow]")
    style = "yellow" if answer.abstained else "bold"
    out.print(f"[{style}]{escape(answer.text)}[/{style}]")
    if answer.citations:
        out.print()
        out.print(f"[dim]{message('ask.sources', state().lang)}[/dim]")
        for c in answer.citations:
            out.print(
                f"  [cyan][{c.number}][/cyan] {escape(c.label)}  [dim]{escape(c.document)}[/dim]"
            )
    if answer.removed_citations:
        numbers = ", ".join(f"[{n}]" for n in answer.removed_citations)
        out.print(f"[dim]{message('ask.removed', state().lang, numbers=numbers)}[/dim]")
    _print_flags(answer)
    if stats:
        out.print(f"[dim]{escape(_stats_line(answer))}[/dim]")
        if answer.verification is not None:
            out.print(f"[dim]{escape(_verification_line(answer))}[/dim]")
        if answer.tools:
            out.print(f"[dim]{message('ask.tools', state().lang, n=len(answer.tools))}[/dim]")
            for use in answer.tools:
                out.print(f"[dim]  {escape(tool_line(use))}[/dim]")


def tool_line(use: ToolUse) -> str:
    """One tool call for people: ``table_query {"sql": …} → 2 rows from t1 · 0.01s``."""
    outcome = f"✗ {use.error}" if use.error else use.summary
    arguments = use.arguments if len(use.arguments) <= 160 else use.arguments[:159] + "…"
    return f"{use.name} {arguments} → {outcome} · {use.seconds:.2f}s"


def _print_flags(answer: Answer) -> None:
    """Each flagged sentence as the model wrote it, why, and what was shown instead."""
    if not answer.flags:
        return
    out.print()
    out.print(f"[dim]{message('ask.flags', state().lang)}[/dim]")
    for flag in answer.flags:
        action = message(f"ask.flag_{flag.action}", state().lang, n=flag.citation)
        detail = f" ({flag.detail})" if flag.detail else ""
        out.print(f"  [yellow]{escape(flag.message)}[/yellow]{escape(detail)}")
        out.print(f"    [dim]«{escape(flag.sentence)}» {escape(action)}[/dim]")


def _verification_line(answer: Answer) -> str:
    run = answer.verification
    assert run is not None
    if run.error and not run.verdicts:
        return message("ask.verify_failed", state().lang, error=run.error)
    price = (
        message("ask.cost_unknown", state().lang)
        if run.cost_usd is None
        else f"${run.cost_usd:.6f}"
    )
    return message(
        "ask.verified", state().lang, model=run.model, prompt=run.prompt_tokens,
        completion=run.completion_tokens, cost=price, seconds=run.seconds,
    )  # fmt: skip


def _stats_line(answer: Answer) -> str:
    parts = [f"{answer.model or 'extractive'} · {answer.method}"]
    if answer.model:
        tokens = (
            f"tokens: prompt {answer.prompt_tokens} (cached {answer.cached_prompt_tokens}),"
            f" completion {answer.completion_tokens} (reasoning {answer.reasoning_tokens}),"
            f" context {answer.context_tokens}"
        )
        parts.append(tokens)
    if answer.cost_usd is None:
        parts.append(message("ask.cost_unknown", state().lang))
    else:
        parts.append(f"${answer.cost_usd:.6f} / ₩{answer.cost_krw or 0:.2f}")
    if answer.first_token_seconds is not None:
        parts.append(f"first token {answer.first_token_seconds:.2f}s")
    parts.append(f"total {answer.total_seconds:.2f}s")
    if answer.model:
        parts.append(f"check {answer.check_seconds * 1000:.0f} ms")
    return " · ".join(parts)


@app.command("rm")
def remove(
    documents: Annotated[list[str], typer.Argument(help="Document paths, names or ids.")],
) -> None:
    """Remove documents and everything indexed from them. / 문서를 색인에서 지웁니다."""
    with open_workspace() as ws:
        for ref in documents:
            removed = ws.remove(ref)
            out.print(message("rm.done", state().lang, path=removed.path, chunks=removed.chunks))


def run() -> None:
    """Entry point of the `dalin` script. Under ``--json`` a usage error (an unknown option,
    a missing argument) is also a JSON error object on stdout, like every other failure."""
    if "--json" not in sys.argv[1:]:
        app()
        return
    try:
        code = app(standalone_mode=False)
    except Exception as exc:
        # click's usage errors, known by their shape: typer carries its own copy of click
        text, show = getattr(exc, "format_message", None), getattr(exc, "show", None)
        exit_code = getattr(exc, "exit_code", None)
        if type(exc).__name__ == "Abort":  # Ctrl-C, as click says it in standalone mode
            err.print("Aborted!")
            sys.exit(1)
        if not (callable(text) and callable(show) and isinstance(exit_code, int)):
            raise
        print_json({"error": {"code": "usage", "message": str(text())}})
        show()
        sys.exit(exit_code)
    sys.exit(code if isinstance(code, int) else 0)


app.command("docs")(docs_command)
app.add_typer(eval_app, name="eval")
app.add_typer(glossary_app, name="glossary")
app.command("mcp")(mcp_command)
app.command("serve")(serve_command)
app.command("watch")(watch_command)
app.add_typer(keys_app, name="keys")
app.add_typer(db_app, name="db")
app.command("migrate")(migrate_command)
app.command("worker")(worker_command)
app.command("show")(show_command)
