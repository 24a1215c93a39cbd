"""Folders that stay in sync (dalin.watch, `dalin watch`), with real files and real events.

Files are written, changed, moved and deleted on disk while a watcher runs (a thread, or
the real `dalin watch` command as a process), and the tests wait until the workspace shows
the change, failing after a deadline.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import dalin
from dalin.watch import FolderWatcher, SyncReport, follow, sync, unfollow, watched_folders

LEGACY = Path(__file__).resolve().parent / "ingest" / "legacy"
DEADLINE = 60.0  # generous: these machines are shared and often loaded


def wait_for(check: Callable[[], bool], what: str, seconds: float = DEADLINE) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds:g} s: {what}")


def make_workspace(root: Path) -> Path:
    with dalin.Workspace.create(root / "ws") as ws:
        config = ws.path / "dalin.toml"
        config.write_text(
            config.read_text(encoding="utf-8").replace('embedder = "local"', 'embedder = "none"'),
            encoding="utf-8",
        )
        return ws.path


def paths(ws_path: Path) -> set[str]:
    with dalin.Workspace.open(ws_path) as ws:
        return {Path(d.path).name for d in ws.documents() if d.status == "indexed"}


def finds(ws_path: Path, query: str) -> set[str]:
    with dalin.Workspace.open(ws_path) as ws:
        return {h.name for h in ws.search(query, k=5)}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "공유폴더"
    docs.mkdir()
    return docs


@pytest.fixture(params=[False, True], ids=["events", "polling"])
def watching(request: pytest.FixtureRequest, tmp_path: Path, folder: Path) -> Iterator[Path]:
    """A watcher thread on ``folder`` (system events, or polling); yields the workspace."""
    ws_path = make_workspace(tmp_path)
    reports: list[SyncReport] = []
    watcher = FolderWatcher(
        ws_path, [folder], quiet_ms=200, poll=request.param, on_report=reports.append
    )
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,))
    thread.start()
    assert watcher.ready.wait(DEADLINE)
    try:
        yield ws_path
    finally:
        stop.set()
        thread.join(DEADLINE)
        assert not thread.is_alive()


def test_new_changed_moved_and_deleted_files_are_followed(watching: Path, folder: Path) -> None:
    rules = folder / "휴가규정.txt"
    rules.write_text("제5조(여름휴가) 여름휴가는 5일이다.", encoding="utf-8")
    wait_for(lambda: "휴가규정.txt" in finds(watching, "여름휴가"), "a new file is searchable")

    rules.write_text("제5조(여름휴가) 여름휴가는 7일로 늘린다.", encoding="utf-8")
    wait_for(lambda: "휴가규정.txt" in finds(watching, "늘린다"), "a changed file is re-read")

    sub = folder / "2025"
    sub.mkdir()
    rules.rename(sub / "휴가규정_최종.txt")
    wait_for(lambda: paths(watching) == {"휴가규정_최종.txt"}, "a moved file follows its name")

    shutil.copy(LEGACY / "단가표.xls", sub / "단가표.xls")
    wait_for(lambda: "단가표.xls" in finds(watching, "육각너트"), "a spreadsheet is searchable")

    (sub / "휴가규정_최종.txt").unlink()
    wait_for(lambda: paths(watching) == {"단가표.xls"}, "a deleted file is removed")
    assert finds(watching, "여름휴가") == set()

    shutil.rmtree(sub)
    wait_for(lambda: paths(watching) == set(), "a deleted folder removes its documents")


def test_temporary_and_hidden_files_are_not_indexed(watching: Path, folder: Path) -> None:
    (folder / "~$계약서.docx").write_bytes(b"lock file of an open Word document")
    (folder / ".임시.txt").write_text("숨김 파일", encoding="utf-8")
    (folder / "다운로드중.crdownload").write_bytes(b"half a file")
    (folder / "공지.txt").write_text("다음 주 월요일은 휴무입니다.", encoding="utf-8")
    wait_for(lambda: paths(watching) == {"공지.txt"}, "only the readable file is indexed")
    with dalin.Workspace.open(watching) as ws:
        assert [d.name for d in ws.documents()] == ["공지.txt"]  # no failures recorded either


def test_catching_up_after_a_restart(tmp_path: Path, folder: Path) -> None:
    ws_path = make_workspace(tmp_path)
    (folder / "a.txt").write_text("첫 번째 공지: 사무실 이전", encoding="utf-8")
    (folder / "b.txt").write_text("두 번째 공지: 회식 일정", encoding="utf-8")
    with dalin.Workspace.open(ws_path) as ws:
        first = sync(ws, [folder])
    assert {Path(p).name for p in first.added} == {"a.txt", "b.txt"}
    # while nothing watches: one file changes, one goes, one comes
    time.sleep(0.05)
    (folder / "a.txt").write_text("첫 번째 공지: 사무실 이전은 3월 10일", encoding="utf-8")
    (folder / "b.txt").unlink()
    (folder / "c.txt").write_text("세 번째 공지: 건강검진", encoding="utf-8")
    with dalin.Workspace.open(ws_path) as ws:
        again = sync(ws, [folder])
        assert [Path(p).name for p in again.added] == ["c.txt"]
        assert [Path(p).name for p in again.replaced] == ["a.txt"]
        assert [Path(p).name for p in again.removed] == ["b.txt"]
        assert sync(ws, [folder]) == SyncReport()  # nothing left to do


def test_a_missing_folder_removes_nothing(tmp_path: Path, folder: Path) -> None:
    ws_path = make_workspace(tmp_path)
    (folder / "a.txt").write_text("외장 디스크의 문서", encoding="utf-8")
    with dalin.Workspace.open(ws_path) as ws:
        sync(ws, [folder])
        unplugged = folder.rename(tmp_path / "elsewhere")
        assert sync(ws, [folder]).removed == ()
        assert len(ws.documents()) == 1
        unplugged.rename(folder)


def test_followed_folders_are_kept_with_the_workspace(tmp_path: Path, folder: Path) -> None:
    ws_path = make_workspace(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    assert follow(ws_path, [folder, other, folder]) == [folder.resolve(), other.resolve()]
    assert watched_folders(ws_path) == [folder.resolve(), other.resolve()]
    assert unfollow(ws_path, other) and not unfollow(ws_path, other)
    assert watched_folders(ws_path) == [folder.resolve()]
    with pytest.raises(NotADirectoryError):
        follow(ws_path, [tmp_path / "nowhere"])


def test_dalin_watch_command_follows_a_folder_across_restarts(tmp_path: Path, folder: Path) -> None:
    # the "done when": a file saved into a watched folder is searchable within
    # seconds and gone after deletion — through the real command, stopped and restarted
    ws_path = make_workspace(tmp_path)
    # faulthandler: a watcher that does not stop is made to print its threads' stacks
    env = {**os.environ, "DALIN_LANG": "en", "PYTHONFAULTHANDLER": "1"}
    command = [sys.executable, "-m", "dalin", "-w", str(ws_path), "watch", "--quiet-ms", "200"]
    log = tmp_path / "watch.log"

    def start(*extra: str) -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            return subprocess.Popen([*command, *extra], stdout=out, stderr=out, env=env)

    def stop(process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(DEADLINE)
        except subprocess.TimeoutExpired:
            # never leave it running (a later test would inherit the warning): dump its
            # stacks into the log, kill it, and fail with what it was doing
            process.send_signal(signal.SIGABRT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            pytest.fail(f"dalin watch did not stop within {DEADLINE:g} s:\n{log.read_text()}")
        assert code == 0, log.read_text()

    watcher = start(str(folder))
    try:
        wait_for(lambda: "Watching for changes" in log.read_text(), "the watcher is ready")
        (folder / "공지.txt").write_text(
            "다음 달부터 주차 요금은 월 3만 원입니다.", encoding="utf-8"
        )
        wait_for(lambda: "공지.txt" in finds(ws_path, "주차 요금"), "saved file is searchable")
        (folder / "공지.txt").unlink()
        wait_for(lambda: finds(ws_path, "주차 요금") == set(), "deleted file is gone")
    finally:
        stop(watcher)
    # while it is off, a file arrives; restarted without naming the folder, it catches up
    shutil.copy(LEGACY / "단가표.xls", folder / "단가표.xls")
    watcher = start()
    try:
        wait_for(lambda: "단가표.xls" in finds(ws_path, "육각너트 단가"), "caught up on restart")
    finally:
        stop(watcher)
    assert "Stopped watching." in log.read_text()


#: starts dalin with SIGINT ignored, as a parent that ignores it would (exec keeps SIG_IGN)
IGNORING_CTRL_C = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN);"
    " os.execv(sys.executable, [sys.executable, '-m', 'dalin', *sys.argv[1:]])"
)


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM])
def test_dalin_watch_stops_on_ctrl_c_and_sigterm_even_when_started_ignoring_ctrl_c(
    tmp_path: Path, folder: Path, stop_with: signal.Signals
) -> None:
    # a parent that ignores SIGINT (a pytest-xdist worker, `nohup … &`) passes that on: Python
    # then raises no KeyboardInterrupt, and a full-suite run saw the watcher never stop
    ws_path = make_workspace(tmp_path)
    log = tmp_path / "watch.log"
    command = [sys.executable, "-c", IGNORING_CTRL_C, "-w", str(ws_path), "watch", str(folder)]
    with log.open("ab") as out:
        env = {**os.environ, "DALIN_LANG": "en"}
        process = subprocess.Popen(command, stdout=out, stderr=out, env=env)
    try:
        wait_for(lambda: "Watching for changes" in log.read_text(), "the watcher is ready")
        process.send_signal(stop_with)
        assert process.wait(DEADLINE) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "Stopped watching." in log.read_text()
