"""Indexing on the command line: `dalin add`'s progress and report, and the embedding step
that `dalin add` and `dalin embed` (and `dalin eval`'s own workspaces) share."""

from __future__ import annotations

import math
import shlex
from pathlib import Path
from typing import NoReturn

import typer
from rich.markup import escape
from rich.progress import ProgressColumn, Task, TextColumn
from rich.text import Text

from dalin.cli.common import EXIT_INTERRUPTED, EXIT_PARTIAL, err, out, progress_bar, state
from dalin.cli.messages import message, reason
from dalin.errors import DalinError
from dalin.types import IngestReport
from dalin.workspace import Workspace


def add_with_progress(ws: Workspace, paths: list[Path]) -> IngestReport:
    """``ws.add(paths)`` with a progress bar naming the file being read."""
    with progress_bar(TextColumn("[dim]{task.fields[file]}")) as progress:
        task = progress.add_task(message("add.progress", state().lang), total=None, file="")

        def update(done: int, total: int, path: str) -> None:
            progress.update(task, completed=done, total=total, file=Path(path).name)

        return ws.add(paths, progress=update)


def print_report(report: IngestReport) -> None:
    """The files that failed, each with its reason, then one summary line."""
    lang = state().lang
    if report.failed:
        # Plain lines, not a table: a path must stay whole to be copied.
        out.print(f"[bold]{message('add.failed_title', lang)}[/bold]")
        for f in report.failed:
            why = reason(f.code, f.reason, lang)
            out.print(f"[red]✗[/red] {escape(f.path)}\n    {escape(why)}")
    if report.skipped:
        out.print(f"[dim]{escape(skipped_line(report.skipped, lang))}[/dim]")
    counts = {
        "added": len(report.added),
        "replaced": len(report.replaced),
        "unchanged": len(report.unchanged),
        "failed": len(report.failed),
        "chunks": report.chunks,
    }
    out.print(message("add.summary", lang, **counts))


def skipped_line(paths: tuple[str, ...], lang: str, shown: int = 5) -> str:
    """The skipped files, once, on one line: their names (a folder of photos or archives
    would otherwise bury the summary)."""
    names = [Path(p).name for p in paths[:shown]]
    if len(paths) > shown:
        names.append(message("add.skipped_more", lang, n=len(paths) - shown))
    return message("add.skipped", lang, n=len(paths), files=", ".join(names))


def embed_later(ws: Workspace) -> None:
    """After ``dalin add --no-embed``: one line saying meaning search waits for `dalin embed`."""
    if ws.embedder is None:
        return
    done, total = ws.embedding_status()
    if done < total:
        text = message("embed.later", state().lang, n=f"{total - done:,}")
        out.print(f"[dim]{escape(text)}[/dim]")


class TimeLeftColumn(ProgressColumn):
    """The time the rest will take at the rate measured so far, in words ("남은 시간 약 4분").

    Rich's own estimate is used (the speed over the last half minute of updates); until two
    batches have finished there is no rate, and the column says it is still estimating.
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def render(self, task: Task) -> Text:
        return Text(time_left(task.time_remaining, self.lang), style="cyan")


def time_left(seconds: float | None, lang: str) -> str:
    """Seconds as staff read them: under a minute by tens of seconds, then minutes, then
    hours and minutes (an estimate: finer would promise a precision it does not have)."""
    if seconds is None:
        return message("embed.left_unknown", lang)
    if seconds < 60:
        span = message("embed.seconds", lang, n=max(10, math.ceil(seconds / 10) * 10))
    elif seconds < 3600:
        span = message("embed.minutes", lang, n=math.ceil(seconds / 60))
    else:
        minutes = math.ceil(seconds / 60)
        span = message("embed.hours", lang, h=minutes // 60, m=minutes % 60)
    return message("embed.left", lang, time=span)


def embed_with_progress(ws: Workspace, *, after_add: bool) -> None:
    """Embed what is missing with a progress bar; Ctrl-C keeps every finished batch."""
    lang = state().lang
    if ws.embedder is None:
        if not after_add:
            out.print(message("embed.off", lang))
        return
    done, total = ws.embedding_status()
    if done < total:
        if after_add:
            out.print(f"[dim]{escape(message('embed.searchable_now', lang))}[/dim]")
        try:
            with progress_bar(TimeLeftColumn(lang)) as progress:
                what = message("embed.progress", lang)
                task = progress.add_task(what, total=total, completed=done)

                def update(done: int, total: int) -> None:
                    progress.update(task, completed=done, total=total)

                ws.embed_pending(progress=update)
        except KeyboardInterrupt:
            print_vectors(*ws.embedding_status())
            _embedding_stopped("embed.interrupted", EXIT_INTERRUPTED)
        except DalinError as exc:  # the keyword index is complete; only vectors are missing
            err.print(f"[red]{escape(message('error', lang, message=str(exc)))}[/red]")
            print_vectors(*ws.embedding_status())
            _embedding_stopped("embed.failed", EXIT_PARTIAL)
    if not after_add or done < total:
        print_vectors(*ws.embedding_status())


def print_vectors(done: int, total: int) -> None:
    out.print(message("embed.status", state().lang, done=f"{done:,}", total=f"{total:,}"))


def _embedding_stopped(key: str, code: int) -> NoReturn:
    run = state()
    where = ["-w", str(run.workspace)] if run.workspace is not None else []
    command = shlex.join(["dalin", *where, "embed"])
    text = message(key, run.lang, command=command)
    err.print(f"[yellow]{escape(text)}[/yellow]", soft_wrap=True)  # a command stays one line
    raise typer.Exit(code)
