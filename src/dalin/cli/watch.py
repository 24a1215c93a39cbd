"""`dalin watch`: keep the workspace in step with folders, as files come, change and go."""

from __future__ import annotations

import signal
import threading
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.markup import escape

from dalin.cli.common import EXIT_PARTIAL, fail, fail_on, find_workspace, out, state
from dalin.cli.messages import message, reason
from dalin.errors import DalinError
from dalin.watch import (
    DEFAULT_QUIET_MS,
    FolderWatcher,
    SyncReport,
    follow,
    sync,
    unfollow,
)
from dalin.workspace import Workspace


def _print(report: SyncReport, lang: str) -> None:
    """One line per file; flushed, since a watch runs for hours, often into a log file."""
    for path in report.added:
        out.print(f"[green]+[/green] {escape(path)}")
    for path in report.replaced:
        out.print(f"[cyan]~[/cyan] {escape(path)}")
    for path in report.removed:
        out.print(f"[yellow]-[/yellow] {escape(path)}")
    for failed in report.failed:
        detail = reason(failed.code, failed.reason, lang)
        out.print(f"[red]✗[/red] {escape(failed.path)}\n    {escape(detail)}")
    out.file.flush()


def watch_command(
    folders: Annotated[
        list[Path] | None,
        typer.Argument(help="Folders to follow from now on (default: those followed already)."),
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="Catch up once and exit (for cron or a script).")
    ] = False,
    forget: Annotated[
        Path | None,
        typer.Option("--forget", help="Stop following this folder (its documents stay)."),
    ] = None,
    poll: Annotated[
        bool,
        typer.Option("--poll", help="Look for changes every second (network shares, NAS)."),
    ] = False,
    quiet_ms: Annotated[
        int,
        typer.Option(min=50, max=60_000, help="Apply changes once folders are quiet this long."),
    ] = DEFAULT_QUIET_MS,
) -> None:
    """Keep the workspace in step with folders: new, changed, moved and deleted files.
    / 폴더의 변화(추가·수정·이동·삭제)를 작업공간에 계속 반영합니다."""
    try:
        with Workspace.open(find_workspace()) as ws:
            path = ws.path
    except DalinError as exc:
        fail_on(exc)
    if forget is not None:
        key = "watch.forgot" if unfollow(path, forget) else "watch.not_followed"
        out.print(message(key, state().lang, folder=forget.expanduser().resolve()))
        return
    try:
        followed = follow(path, folders or [])
    except NotADirectoryError as exc:
        fail(str(exc), error="not_a_directory")
    if not followed:
        fail(message("watch.none", state().lang))
    if once:
        with Workspace.open(path) as ws:
            report = sync(ws, followed)
        _print(report, state().lang)
        out.print(message("watch.synced", state().lang, n=len(followed)))
        if report.failed:
            raise typer.Exit(EXIT_PARTIAL)
        return
    for folder in followed:
        out.print(message("watch.following", state().lang, folder=folder))
    lang = state().lang  # the run's state is not visible from the watcher's threads
    printer = partial(_print, lang=lang)
    watcher = FolderWatcher(path, followed, quiet_ms=quiet_ms, poll=poll, on_report=printer)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()  # the batch in flight finishes; the watcher sees it within a second

    # Ctrl-C and a service manager's SIGTERM stop it, whatever the process inherited: a
    # parent may start it with SIGINT ignored (then Python raises no KeyboardInterrupt)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    threading.Thread(target=_announce, args=(watcher, stop, lang), daemon=True).start()
    try:
        watcher.run(stop)
    except KeyboardInterrupt:
        pass
    except DalinError as exc:
        fail_on(exc)
    finally:
        stop.set()
    out.print(message("watch.stopped", state().lang))


def _announce(watcher: FolderWatcher, stop: threading.Event, lang: str) -> None:
    """Say when the catch-up is over and changes are being followed."""
    while not watcher.ready.wait(0.5):
        if stop.is_set():
            return
    out.print(f"[dim]{escape(message('watch.ready', lang))}[/dim]")
