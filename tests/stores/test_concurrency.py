"""Two processes adding to one workspace at once, and a writer killed mid-ingest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import dalin
from dalin.stores.base import DocumentRecord, IndexedChunk
from dalin.stores.sqlite import SQLiteStore
from dalin.types import Chunk, Filter

ADD = """
import sys, dalin
ws = dalin.Workspace.open(sys.argv[1])
report = ws.add([sys.argv[2]])
assert not report.failed, report.failed
print(len(report.added))
"""


def make_files(folder: Path, prefix: str, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        line = f"제{i + 1}조({prefix}{i}) {prefix} 문서 {i}번의 내용입니다. 연차휴가를 다룹니다.\n"
        text = line * 20
        (folder / f"{prefix}{i}.txt").write_text(text, encoding="utf-8")


def test_two_processes_add_concurrently_without_lock_errors(tmp_path: Path) -> None:
    dalin.Workspace.create(tmp_path / "ws").close()
    make_files(tmp_path / "a", "alpha", 25)
    make_files(tmp_path / "b", "beta", 25)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ADD, str(tmp_path / "ws"), str(tmp_path / d)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in ("a", "b")
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "database is locked" not in err
        assert out.strip() == "25"
    with dalin.Workspace.open(tmp_path / "ws") as ws:
        docs = ws.documents()
        assert len(docs) == 50 and all(d.status == "indexed" and d.chunks > 0 for d in docs)


def test_kill_during_ingest_leaves_a_consistent_store(tmp_path: Path) -> None:
    dalin.Workspace.create(tmp_path / "ws").close()
    make_files(tmp_path / "docs", "doc", 60)
    proc = subprocess.Popen(
        [sys.executable, "-c", ADD, str(tmp_path / "ws"), str(tmp_path / "docs")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    store_path = tmp_path / "ws" / "dalin.db"
    while time.monotonic() < deadline:  # wait until some documents are in, then kill -9
        time.sleep(0.2)
        probe = SQLiteStore(store_path)
        count = len(probe.documents())
        probe.close()
        if count >= 5 or proc.poll() is not None:
            break
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    store = SQLiteStore(store_path)
    assert store.integrity_check() == "ok"
    for doc in store.documents():  # every document is complete: it has all its chunks
        assert doc.status == "indexed" and doc.chunks > 0
    store.close()
    with dalin.Workspace.open(tmp_path / "ws") as ws:
        ws.add([tmp_path / "docs"])
        docs = ws.documents()
        assert len(docs) == 60
        assert ws.store.chunk_count() == sum(d.chunks for d in docs)
        assert len({d.path for d in docs}) == 60  # no duplicates after re-ingest


def test_threads_opening_connections_at_once_never_close_each_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each thread opens its own connection and closes those of ended threads. The list of
    live threads was taken before the lock: a thread registering in between had its
    connection closed under it (a segfault in sqlite3 with 16 clients at once). The list
    is made slow for the first thread here, so that the window is wide if it is ever
    outside the lock again."""
    store = SQLiteStore(tmp_path / "t.db")
    store.upsert_document(
        DocumentRecord(path="/t/a.md", name="a.md", size=1, mtime_ns=0, content_hash="a"),
        [IndexedChunk(Chunk("연차 휴가 15일", 0, 1, "p.1", None, ""), ["연차", "휴가"], [])],
    )
    real = threading.enumerate
    first = threading.Event()

    def slow() -> list[threading.Thread]:
        found = real()
        if not first.is_set():  # the first opener waits while the others open theirs
            first.set()
            time.sleep(0.1)
        return found

    monkeypatch.setattr(threading, "enumerate", slow)

    def search(_: int) -> int:
        return sum(len(store.keyword_search(["휴가"], 5, Filter())) for _ in range(50))

    with ThreadPoolExecutor(16) as pool:
        assert list(pool.map(search, range(16))) == [50] * 16
    store.close()
