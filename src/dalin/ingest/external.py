"""Run a helper program (Tesseract, LibreOffice) from a parse, inside the parse's limits.

A parse runs in a worker under a memory cap and a deadline (``worker.py``). A program it
starts inherits the cap (rlimits pass through ``exec``); the deadline is passed down as the
program's timeout, and the program dies with its worker: it is started in its own process
group, killed as a group on timeout, and asked to receive SIGKILL when its parent dies
(Linux ``PR_SET_PDEATHSIG``), so a worker killed at its deadline leaves nothing running.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dalin.errors import LimitExceeded

_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Deadline:
    """A point in time (``time.monotonic``) a parse must finish by."""

    at: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds)

    def left(self) -> float:
        return self.at - time.monotonic()


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec function asking Linux to kill the child when its parent dies."""
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    libc = ctypes.CDLL(name, use_errno=True)

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    return preexec


def run_program(
    command: Sequence[str | Path],
    *,
    deadline: Deadline,
    what: str,
    stdin: bytes = b"",
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``command`` to completion before ``deadline``; its output is captured.

    Raises LimitExceeded (naming ``what``) when the deadline passes first; the program and
    everything it started are killed.
    """
    timeout = deadline.left()
    if timeout <= 0:
        raise LimitExceeded(f"no time was left to {what} (ingest.max_seconds)")
    # the with-block closes all three pipes: communicate() after a timeout leaves stdin open
    # when the deadline passed while it was still writing
    with subprocess.Popen(
        [str(part) for part in command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=None if env is None else {**os.environ, **env},
        cwd=cwd,
        start_new_session=True,  # its own process group: killed whole on timeout
        preexec_fn=_die_with_parent(),  # safe: a parse worker runs no threads
    ) as process:
        try:
            out, err = process.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise LimitExceeded(
                f"{what} took longer than the time left for this file (ingest.max_seconds)"
            ) from None
        except BaseException:
            _kill_group(process)
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.kill()
    process.communicate()
