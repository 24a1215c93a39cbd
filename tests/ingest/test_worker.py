"""Parse workers: results as in-process, and no file can hang or exhaust ingestion."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import dalin
from dalin.errors import CorruptDocument, LimitExceeded, ParseError
from dalin.ingest.limits import Limits
from dalin.ingest.parsers import parse_bytes
from dalin.ingest.worker import ParseWorkers
from dalin.testing.parser_contract import minimal_pdf
from dalin.types import Document

# 20,000 pages take PDFium seconds to read: far past a 0.2 s limit on any machine.
SLOW_PDF_PAGES = 20_000


def parse_all(pool: ParseWorkers, jobs: list[tuple[bytes, str]]) -> list[Document | ParseError]:
    results: dict[int, Document | ParseError] = dict(pool.parse_many(jobs))
    assert sorted(results) == list(range(len(jobs)))
    return [results[i] for i in range(len(jobs))]


def test_worker_result_equals_in_process_parse() -> None:
    data = minimal_pdf(["Annual leave is 15 days.", "Second page"])
    with ParseWorkers(Limits(), workers=2) as pool:
        (result,) = parse_all(pool, [(data, "a.pdf")])
    assert result == parse_bytes(data, name="a.pdf")


def test_errors_come_back_as_the_parser_raised_them() -> None:
    with ParseWorkers(Limits(), workers=1) as pool:
        bad, good = parse_all(pool, [(b"\xff\xd8\xff\xe0 jpeg", "x.pdf"), (b"hello", "a.txt")])
    assert isinstance(bad, CorruptDocument) and "JPEG" in bad.detail
    assert isinstance(good, Document) and good.text == "hello"


def test_a_file_over_the_time_limit_is_stopped_and_the_batch_goes_on() -> None:
    slow = minimal_pdf([f"page {i}" for i in range(SLOW_PDF_PAGES)])
    with ParseWorkers(Limits(max_seconds=0.2), workers=1) as pool:
        late, after = parse_all(pool, [(slow, "slow.pdf"), (b"next file", "b.txt")])
    assert isinstance(late, LimitExceeded)
    assert "longer than 0.2 seconds" in late.detail and "ingest.max_seconds" in late.detail
    assert isinstance(after, Document) and after.text == "next file"


def test_a_file_over_the_memory_cap_fails_and_the_worker_recovers() -> None:
    # ~50 MB of Korean text decodes to a str several times that size.
    big = ("가나다라 " * 4_000_000).encode()
    with ParseWorkers(Limits(max_memory_bytes=400 * 2**20), workers=1) as pool:
        heavy, after = parse_all(pool, [(big, "big.txt"), (b"small", "s.txt")])
    assert isinstance(heavy, LimitExceeded) and "memory" in heavy.detail
    assert isinstance(after, Document)


def test_a_file_too_large_for_the_cap_is_refused_before_sending() -> None:
    with ParseWorkers(Limits(max_memory_bytes=30 * 2**20), workers=1) as pool:
        (result,) = parse_all(pool, [(b"x" * (20 * 2**20), "big.txt")])
    assert isinstance(result, LimitExceeded) and "ingest.max_memory_mb" in result.detail


def test_a_dead_idle_worker_is_replaced() -> None:
    with ParseWorkers(Limits(), workers=1) as pool:
        parse_all(pool, [(b"one", "a.txt")])
        for worker in pool._idle:
            os.kill(worker.process.pid, signal.SIGKILL)
            worker.process.wait()
        (result,) = parse_all(pool, [(b"two", "b.txt")])
    assert isinstance(result, Document) and result.text == "two"


def test_many_files_on_two_workers_all_come_back() -> None:
    jobs = [(f"file {i}".encode(), f"{i}.txt") for i in range(30)]
    with ParseWorkers(Limits(), workers=2) as pool:
        results = parse_all(pool, jobs)
    assert [r.text for r in results if isinstance(r, Document)] == [f"file {i}" for i in range(30)]


def test_stopping_early_kills_the_workers_still_busy() -> None:
    slow = minimal_pdf([f"page {i}" for i in range(SLOW_PDF_PAGES)])
    with ParseWorkers(Limits(), workers=2) as pool:
        results = pool.parse_many([(b"quick", "a.txt"), (slow, "slow.pdf")])
        next(results)
        idle = {w.process.pid for w in pool._idle}
        busy = [pid for pid in _children() if pid not in idle]
        results.close()  # as when indexing the first result raises
        assert busy and all(_gone(pid) for pid in busy)
        assert all(not _gone(pid) for pid in idle)  # idle workers stay for the next batch


def test_threads_sharing_a_pool_stay_within_its_memory_budget() -> None:
    limits = Limits(max_memory_bytes=512 * 2**20)
    pages = minimal_pdf([f"page {i}" for i in range(400)])
    results: list[list[Document | ParseError]] = []
    with ParseWorkers(limits, workers=3, memory_budget=limits.max_memory_bytes) as pool:
        threads = [
            threading.Thread(
                target=lambda: results.append(parse_all(pool, [(pages, "a.pdf"), (b"x", "b.txt")]))
            )
            for _ in range(3)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert pool.peak_busy == 1 and pool.peak_reserved == limits.max_memory_bytes
        assert len(pool._idle) == 1  # one cap, one parse at a time: one process was enough
    assert len(results) == 3
    assert all(isinstance(r, Document) for batch in results for r in batch)


def test_a_pool_parses_side_by_side_up_to_its_budget() -> None:
    limits = Limits(max_memory_bytes=256 * 2**20)
    slow = minimal_pdf([f"page {i}" for i in range(2000)])
    with ParseWorkers(limits, workers=4, memory_budget=2 * limits.max_memory_bytes) as pool:
        parse_all(pool, [(slow, f"{i}.pdf") for i in range(4)])
        assert pool.peak_busy == 2 and pool.peak_reserved == 2 * limits.max_memory_bytes


def _children() -> list[int]:
    """Process ids of this process's children that are parse workers."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"PPid:\t{os.getpid()}\n" in text:
            cmdline = (status.parent / "cmdline").read_bytes()
            if b"dalin.ingest.worker" in cmdline:
                found.append(int(status.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "State:\tZ" in state


def test_close_stops_the_workers() -> None:
    pool = ParseWorkers(Limits(), workers=1)
    parse_all(pool, [(b"one", "a.txt")])
    processes = [w.process for w in pool._idle]
    pool.close()
    assert processes and all(p.poll() is not None for p in processes)


def test_workspace_batch_with_a_hanging_file_keeps_the_rest(tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    dalin.Workspace.create(ws_dir).close()
    config = ws_dir / "dalin.toml"
    config.write_text(config.read_text().replace("max_seconds = 120", "max_seconds = 0.2"))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "규정.txt").write_text("제1조(목적) 이 규정은 출장비를 정한다.", encoding="utf-8")
    with dalin.Workspace.open(ws_dir) as ws:
        assert ws.add([docs]).added
        (docs / "slow.pdf").write_bytes(minimal_pdf([f"p{i}" for i in range(SLOW_PDF_PAGES)]))
        (docs / "안내.txt").write_text("주차는 지하 2층을 이용한다.", encoding="utf-8")
        report = ws.add([docs])
        assert [f.code for f in report.failed] == ["limit_exceeded"]
        assert report.failed[0].path.endswith("slow.pdf")
        assert [Path(p).name for p in report.added] == ["안내.txt"]
        assert ws.search("출장비")[0].name == "규정.txt"
        assert ws.search("주차")[0].name == "안내.txt"
        statuses = {d.name: d.error_code for d in ws.documents()}
        assert statuses == {"규정.txt": "", "slow.pdf": "limit_exceeded", "안내.txt": ""}


@pytest.mark.parametrize("setting", ["max_seconds = 0.5", "max_memory_mb = 512", "workers = 1"])
def test_worker_settings_are_read_from_the_workspace(tmp_path: Path, setting: str) -> None:
    ws_dir = tmp_path / "ws"
    dalin.Workspace.create(ws_dir).close()
    config = ws_dir / "dalin.toml"
    key = setting.split(" = ")[0]
    lines = [
        setting if line.startswith(key + " ") else line for line in config.read_text().split("\n")
    ]
    config.write_text("\n".join(lines))
    with dalin.Workspace.open(ws_dir) as ws:
        limits, workers = ws.settings.limits, ws.settings.worker_count
    assert {
        "max_seconds = 0.5": limits.max_seconds == 0.5,
        "max_memory_mb = 512": limits.max_memory_bytes == 512 * 2**20,
        "workers = 1": workers == 1,
    }[setting]


def test_the_parsers_import_no_native_model_library() -> None:
    """A parse worker imports the parsers under its memory cap: Kiwi's native library (about
    a gigabyte of address space) loaded on import kept every worker from starting."""
    probe = (
        "import sys, dalin.ingest.parsers;"
        " print(sorted(m for m in sys.modules if m.startswith('kiwipiepy')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
