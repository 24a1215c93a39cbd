"""Folders that stay in sync: a workspace follows what happens to the files in its folders.

A workspace keeps the folders it follows in ``folders.txt`` (one absolute path a line).
``sync`` brings the workspace in step with them: files new or changed since they were
indexed are added (unchanged ones are skipped by size and time, as ``dalin add`` does), and
documents whose file is gone are removed. ``FolderWatcher`` runs ``sync`` once (catching up
on whatever happened while nothing watched) and then applies file events as they come:
new, changed, moved and deleted files, each batch after the folder has been quiet for a
moment. Events come from the operating system (inotify and its kin, through watchfiles);
where there are none (network shares, some containers) the folders are polled. A full
``sync`` also runs every ``RESYNC_SECONDS``, so an event lost by the system costs at most
that long.

Only files dalin can read are followed: a temporary or unsupported file in a watched folder
is not recorded as a failure, as it would be by ``dalin add``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import watchfiles

from dalin.ingest.parsers import SUPPORTED_SUFFIXES
from dalin.ingest.pipeline import discover
from dalin.types import DocumentInfo, FailedFile, IngestReport
from dalin.workspace import Workspace

logger = logging.getLogger(__name__)

FOLDERS_NAME = "folders.txt"
#: a full sync every so often, in case the system dropped an event
RESYNC_SECONDS = 600.0
#: how long the folders must be quiet before a batch of changes is applied (milliseconds)
DEFAULT_QUIET_MS = 500
# The longest a batch waits while changes keep coming (milliseconds).
_MAX_BATCH_MS = 5000
_POLL_MS = 1000


# --- the folders a workspace follows ---------------------------------------------------------


def watched_folders(workspace: Path) -> list[Path]:
    """The folders the workspace at ``workspace`` follows (``folders.txt``)."""
    try:
        lines = (workspace / FOLDERS_NAME).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [Path(line.strip()) for line in lines if line.strip() and not line.startswith("#")]


def _write_folders(workspace: Path, folders: Sequence[Path]) -> None:
    text = "# folders this workspace follows (dalin watch); one a line\n"
    text += "".join(f"{folder}\n" for folder in folders)
    temporary = workspace / (FOLDERS_NAME + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(workspace / FOLDERS_NAME)


def follow(workspace: Path, folders: Iterable[str | Path]) -> list[Path]:
    """Add folders to those the workspace follows; return them all.

    Raises NotADirectoryError for a path that is not an existing folder.
    """
    known = watched_folders(workspace)
    for raw in folders:
        folder = Path(raw).expanduser().resolve()
        if not folder.is_dir():
            raise NotADirectoryError(f"not a folder: {folder}")
        if folder not in known:
            known.append(folder)
    _write_folders(workspace, known)
    return known


def unfollow(workspace: Path, folder: str | Path) -> bool:
    """Stop following a folder (its documents stay); False when it was not followed."""
    target = Path(folder).expanduser().resolve()
    known = watched_folders(workspace)
    if target not in known:
        return False
    _write_folders(workspace, [f for f in known if f != target])
    return True


# --- bringing a workspace in step --------------------------------------------------------------


class Synced(Protocol):
    """What a watcher keeps in step: a :class:`~dalin.workspace.Workspace`, or under
    `dalin serve` the server's own copy of it (``dalin.host.Hosted``), so that files from
    watched folders are parsed in the server's one parse pool and get their vectors."""

    @property
    def path(self) -> Path: ...

    def documents(self) -> list[DocumentInfo]: ...

    def add(self, paths: Sequence[Path]) -> IngestReport: ...

    def remove(self, ref: int) -> DocumentInfo: ...


@dataclass(frozen=True)
class SyncReport:
    """What one sync or one batch of events did."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    failed: tuple[FailedFile, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed or self.failed)


def _readable(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _under(path: Path, folders: Sequence[Path]) -> bool:
    return any(path == f or path.is_relative_to(f) for f in folders)


def _add(ws: Synced, paths: Sequence[Path]) -> SyncReport:
    """Index the readable files among ``paths`` (folders: every readable file in them)."""
    files, _ = discover(paths, skip=(ws.path,))
    readable = [f for f in files if _readable(f)]
    if not readable:
        return SyncReport()
    report = ws.add(readable)
    return SyncReport(report.added, report.replaced, (), report.failed)


def _remove_gone(ws: Synced, places: Sequence[Path]) -> tuple[str, ...]:
    """Remove the documents at or under ``places`` whose file no longer exists."""
    removed: list[str] = []
    for document in ws.documents():
        path = Path(document.path)
        if _under(path, places) and not path.is_file():
            ws.remove(document.id)
            removed.append(document.path)
    return tuple(removed)


def sync(ws: Synced, folders: Sequence[Path]) -> SyncReport:
    """Bring ``ws`` in step with ``folders``: add what is new or changed, drop what is gone."""
    present = [f for f in folders if f.is_dir()]
    added = _add(ws, present)
    # A folder that is missing altogether (an unplugged drive, an unmounted share) removes
    # nothing: its files are more likely out of reach than deleted.
    removed = _remove_gone(ws, present)
    return SyncReport(added.added, added.replaced, removed, added.failed)


def apply_changes(ws: Synced, folders: Sequence[Path], paths: Iterable[Path]) -> SyncReport:
    """Apply a batch of changed paths: index what exists, remove documents of what is gone."""
    existing: list[Path] = []
    gone: list[Path] = []
    for path in sorted(set(paths)):
        if not _under(path, folders):
            continue
        (existing if path.exists() else gone).append(path)
    removed = _remove_gone(ws, gone) if gone else ()
    added = _add(ws, existing) if existing else SyncReport()
    return SyncReport(added.added, added.replaced, removed, added.failed)


# --- watching ----------------------------------------------------------------------------------


def _hidden(path: Path, folders: Sequence[Path]) -> bool:
    """Hidden, or an Office lock file (``~$…``), below the watched folder: never indexed."""
    for folder in folders:
        if path.is_relative_to(folder):
            parts = path.relative_to(folder).parts
            return any(p.startswith(".") for p in parts) or path.name.startswith("~$")
    return True


class FolderWatcher:
    """Keeps one workspace in step with its folders until ``stop`` is set.

    It opens the workspace itself when ``run`` starts and closes it at the end, unless it is
    given ``target``, an open one to keep in step (a server's, shared with its requests).
    """

    def __init__(
        self,
        workspace: Path,
        folders: Sequence[Path],
        *,
        quiet_ms: int = DEFAULT_QUIET_MS,
        poll: bool = False,
        on_report: Callable[[SyncReport], None] | None = None,
        target: Synced | None = None,
    ) -> None:
        self.workspace = workspace
        self.target = target
        self.folders = [Path(f).resolve() for f in folders]
        self.quiet_ms = quiet_ms
        self.poll = poll
        self.on_report = on_report
        #: set once the catch-up sync is done and events are being watched
        self.ready = threading.Event()

    def _report(self, report: SyncReport) -> None:
        if self.on_report is not None and report.changed:
            self.on_report(report)

    def run(self, stop: threading.Event) -> None:
        """Catch up, then apply file events until ``stop`` is set."""
        if self.target is not None:
            self._follow(self.target, stop)
            return
        with Workspace.open(self.workspace) as ws:
            self._follow(ws, stop)

    def _follow(self, ws: Synced, stop: threading.Event) -> None:
        skip = ws.path

        def wanted(_: watchfiles.Change, raw: str) -> bool:
            path = Path(raw)
            return not _hidden(path, self.folders) and not _under(path, [skip])

        last_sync = 0.0
        for changes in self._events(wanted, stop):
            if stop.is_set():
                return
            if not self.ready.is_set():
                # The catch-up runs once the system watches, so that a file saved while
                # it runs is either seen by it or reported as an event, never neither.
                self._report(sync(ws, self.folders))
                last_sync = time.monotonic()
                self.ready.set()
            elif changes:
                paths = [Path(raw) for _, raw in changes]
                self._report(apply_changes(ws, self.folders, paths))
            if time.monotonic() - last_sync > RESYNC_SECONDS:
                self._report(sync(ws, self.folders))
                last_sync = time.monotonic()

    def _events(
        self, wanted: Callable[[watchfiles.Change, str], bool], stop: threading.Event
    ) -> Iterable[set[tuple[watchfiles.Change, str]]]:
        folders = [f for f in self.folders if f.is_dir()]
        if not folders:  # nothing to watch yet (an unplugged drive): resync now and then
            while not stop.wait(1.0):
                yield set()
            return
        try:
            yield from self._watch(folders, wanted, stop, poll=self.poll)
        except OSError:  # no event source (e.g. inotify watches exhausted): poll instead
            if self.poll:
                raise
            yield from self._watch(folders, wanted, stop, poll=True)

    def _watch(
        self,
        folders: list[Path],
        wanted: Callable[[watchfiles.Change, str], bool],
        stop: threading.Event,
        *,
        poll: bool,
    ) -> Iterable[set[tuple[watchfiles.Change, str]]]:
        return watchfiles.watch(
            *folders,
            watch_filter=wanted,
            step=self.quiet_ms,
            debounce=max(_MAX_BATCH_MS, self.quiet_ms),
            stop_event=stop,
            rust_timeout=1000,  # wake every second to see ``stop`` and the resync clock
            yield_on_timeout=True,
            raise_interrupt=False,
            force_polling=poll,
            poll_delay_ms=_POLL_MS,
        )


class BackgroundWatchers:
    """A ``FolderWatcher`` thread for each workspace that follows folders (`dalin serve`).

    Folders are read from each workspace's ``folders.txt`` when this starts; a folder
    followed later is picked up at the next start. ``target`` gives, for a workspace's
    folder, the open workspace to keep in step (default: each watcher opens its own).
    """

    def __init__(
        self, workspaces: Iterable[Path], target: Callable[[Path], Synced] | None = None
    ) -> None:
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        for workspace in workspaces:
            folders = watched_folders(workspace)
            if not folders:
                continue
            watcher = FolderWatcher(
                workspace, folders, target=target(workspace) if target else None
            )
            thread = threading.Thread(
                target=self._run, args=(watcher,), name=f"dalin-watch-{workspace.name}"
            )
            thread.daemon = True
            thread.start()
            self._threads.append(thread)

    def _run(self, watcher: FolderWatcher) -> None:
        try:
            watcher.run(self._stop)
        except Exception:  # a thread has no caller: say why this workspace stopped following
            logger.exception("dalin: stopped following the folders of %s", watcher.workspace)

    @property
    def count(self) -> int:
        """How many workspaces are being kept in step."""
        return len(self._threads)

    def close(self, timeout: float = 30.0) -> None:
        """Stop every watcher, waiting for a batch in progress up to ``timeout`` seconds."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
