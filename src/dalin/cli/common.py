"""What every `dalin` command shares: the consoles, the run's state, exits and the workspace.

Every ``dalin.cli`` module imports its helpers from here (never from ``dalin.cli.main``, which
imports the command modules to register them), so each one can be imported first on its own.
The state of one run (``--workspace``, ``--lang``, whether the command prints JSON) lives in
Typer's context object (``ctx.obj``), set by the root callback in ``dalin.cli.main`` through
:func:`begin`; :func:`state` finds it from anywhere inside the command. (Typer vendors its
own click and exports no ``get_current_context``, so :func:`begin` also points a context
variable at the object until the context closes.)
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from dalin.cli.messages import coded, message
from dalin.config import CONFIG_NAME, env_language, env_workspace
from dalin.errors import DalinError
from dalin.workspace import DB_NAME, Workspace

DEFAULT_DIR = ".dalin"
EXIT_ERROR = 1
EXIT_PARTIAL = 3
EXIT_INTERRUPTED = 130

out = Console(soft_wrap=True)
err = Console(stderr=True)


@dataclass
class State:
    """One run's choices: the root options, and whether the command answers in JSON."""

    workspace: Path | None = None
    lang: str = field(default_factory=env_language)
    json: bool = False


_running: ContextVar[State | None] = ContextVar("dalin_cli_state", default=None)


def begin(ctx: typer.Context, run: State) -> None:
    """Make ``run`` the state of the command ``ctx`` runs, until that context closes."""
    ctx.obj = run
    token = _running.set(run)
    ctx.call_on_close(lambda: _running.reset(token))


def state() -> State:
    """The running command's state; outside one (a sub-app run on its own), a default one."""
    run = _running.get()
    if run is None:
        run = State()
        _running.set(run)
    return run


def json_output(as_json: bool) -> None:
    """Remember that this command prints JSON, so that a failure prints a JSON error too."""
    state().json = as_json


def progress_bar(*extra: ProgressColumn) -> Progress:
    """The progress bar every long command shows on stderr: what, bar, n/total, time."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    return Progress(*columns, TimeElapsedColumn(), *extra, console=err, transient=True)


def fail(text: str, code: int = EXIT_ERROR, *, error: str = "error") -> NoReturn:
    """Say what went wrong and exit; under ``--json`` also print ``{"error": {code, message}}``
    on stdout, so that a script reading stdout sees the failure and not an empty output."""
    if state().json:
        print_json({"error": {"code": error, "message": text}})
    err.print(f"[red]{escape(message('error', state().lang, message=text))}[/red]")
    raise typer.Exit(code)


def fail_on(exc: DalinError, code: int = EXIT_ERROR) -> NoReturn:
    """:func:`fail` with a library error's stable code, worded in the user's language when
    the catalogue has the code."""
    error = error_code(exc)
    fail(coded(error, state().lang) or str(exc), code, error=error)


def error_code(exc: DalinError) -> str:
    """A library error's stable code: its own ``code``, else its class name in snake case."""
    own = getattr(exc, "code", None)
    if isinstance(own, str) and own:
        return own
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__).lower()


def find_workspace() -> Path:
    """``--workspace``, else ``DALIN_WORKSPACE``, else the nearest ``.dalin/`` upwards."""
    run = state()
    if run.workspace is not None:
        return run.workspace
    if named := env_workspace():
        return Path(named)
    if found := nearest_workspace(Path.cwd()):
        return found
    fail(message("no_workspace", run.lang), error="no_workspace")


def nearest_workspace(start: Path) -> Path | None:
    """The ``.dalin/`` workspace in ``start`` or the closest folder above it, if any."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / DEFAULT_DIR
        if (candidate / DB_NAME).is_file() or (candidate / CONFIG_NAME).is_file():
            return candidate
    return None


@contextmanager
def open_workspace() -> Iterator[Workspace]:
    """The run's workspace; a library error ends the command with its message."""
    try:
        ws = Workspace.open(find_workspace())
    except DalinError as exc:
        fail_on(exc)
    try:
        yield ws
    except DalinError as exc:
        fail_on(exc)
    finally:
        ws.close()


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (errors too).")]
LlmOption = Annotated[
    str | None,
    typer.Option(
        "--llm",
        help='Model for this run: "extractive", "local", "local:PATH.gguf", "openai:MODEL",'
        ' "deepseek:deepseek-reasoner" (default: answer.llm in dalin.toml).',
    ),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option("--base-url", help="OpenAI-compatible server URL for this run."),
]
