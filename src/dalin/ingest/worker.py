"""Parse files in worker processes, each under a time limit and a memory cap.

A parser is a large body of C and Python facing hostile bytes. Whatever a file does to it
(loop, exhaust memory, crash the interpreter) must cost only that file: the worker is
killed when its deadline passes or it dies, a new one takes its place, and the file gets a
specific error while the rest of the batch goes on.

Workers are plain ``python -m dalin.ingest.worker`` subprocesses speaking length-prefixed
pickles over their stdin/stdout (we start them, so their pickles are trusted). They do not
fork the caller, which may hold threads (Kiwi, SQLite) that fork would copy half-locked.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import selectors
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from typing import IO

from dalin.errors import CorruptDocument, LimitExceeded, ParseError
from dalin.ingest.limits import Limits
from dalin.types import Document

_HEADER = struct.Struct("<Q")
# Seconds a fresh worker may take to import the parsers and say it is ready.
_START_SECONDS = 60.0
_READY = "ready"


def _send(stream: IO[bytes], payload: object) -> None:
    body = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(body)) + body)
    stream.flush()


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    parts: list[bytes] = []
    while size:
        part = stream.read(size)
        if not part:
            raise EOFError
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


class _Worker:
    """One worker process, the job it is working on, and its deadline."""

    def __init__(self, limits: Limits) -> None:
        #: the address-space cap the process was started with; jobs of other caps go elsewhere
        self.memory = limits.max_memory_bytes
        self.limits = limits
        command = [sys.executable, "-m", "dalin.ingest.worker", str(limits.max_memory_bytes)]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout
        os.set_blocking(self.stdout.fileno(), False)
        self.buffer = bytearray()
        self.closed = False
        self.job = -1
        self.deadline = 0.0
        self._await_ready()

    def _await_ready(self) -> None:
        # Start-up (imports) must not eat into the first file's time limit.
        deadline = time.monotonic() + _START_SECONDS
        with selectors.DefaultSelector() as selector:
            selector.register(self.stdout, selectors.EVENT_READ)
            while (left := deadline - time.monotonic()) > 0:
                selector.select(left)
                message = self.pump()
                if message == _READY:
                    return
                if message is not None:
                    break
        self.kill()
        raise OSError("a parse worker did not start")

    def start(self, job: int, data: bytes, name: str, limits: Limits) -> None:
        self.job = job
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        _send(self.stdin, (data, name, limits))

    def pump(self) -> object | None:
        """Read what has arrived; the decoded message once one is complete.

        Raises EOFError when the worker has gone before finishing its message.
        """
        try:
            while chunk := os.read(self.stdout.fileno(), 1 << 20):
                self.buffer += chunk
            self.closed = True
        except BlockingIOError:
            pass
        message = self._message()
        if message is None and self.closed:
            raise EOFError
        return message

    def _message(self) -> object | None:
        if len(self.buffer) < _HEADER.size:
            return None
        (size,) = _HEADER.unpack_from(self.buffer)
        if len(self.buffer) < _HEADER.size + size:
            return None
        message: object = pickle.loads(bytes(self.buffer[_HEADER.size : _HEADER.size + size]))
        del self.buffer[: _HEADER.size + size]
        return message

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.stdin, self.stdout):
            # a pipe to a dead process may refuse its final flush
            with contextlib.suppress(OSError):
                stream.close()


def _death_reason(returncode: int | None, limits: Limits) -> ParseError:
    if returncode is not None and returncode < 0:
        return CorruptDocument(
            f"the parser stopped on this file (signal {-returncode}); the file is probably "
            "damaged or built to crash readers"
        )
    return LimitExceeded(
        f"reading the file stopped the parser (exit code {returncode}); it may need more "
        f"than the {limits.max_memory_bytes / 2**20:.0f} MB memory limit (ingest.max_memory_mb)"
    )


class ParseWorkers:
    """A pool of parse workers; ``parse_many`` yields results as they finish.

    Workers start on first use and are kept between calls until ``close``. One pool may
    serve many threads at once (``dalin serve`` keeps one for all its workspaces): at most
    ``workers`` files are parsed at a time, and the memory caps of the files in flight add
    up to at most ``memory_budget`` bytes. Work beyond either waits its turn, so N
    simultaneous uploads never take N x ``max_memory_mb`` (issue 15 item 8).
    """

    def __init__(
        self, limits: Limits, workers: int = 1, *, memory_budget: int | None = None
    ) -> None:
        self.limits = limits
        self.size = max(1, workers)
        #: bytes the caps of the parses in flight may add up to (default: ``size`` parses)
        self.memory_budget = memory_budget or self.size * limits.max_memory_bytes
        self._idle: list[_Worker] = []
        self._turns = threading.Condition()
        self._busy = 0
        self._reserved = 0
        #: the most parses in flight at once, and the most bytes reserved for them
        self.peak_busy = 0
        self.peak_reserved = 0

    def parse_many(
        self, jobs: Iterable[tuple[bytes, str]], limits: Limits | None = None
    ) -> Iterator[tuple[int, Document | ParseError]]:
        """Parse ``(bytes, file name)`` jobs; yields ``(job index, document or error)``.

        Results come in the order they finish. At most ``workers`` files of this call are in
        flight, so only that many files' bytes are held at once; ``limits`` (default: the
        pool's) apply to each file.
        """
        limits = limits or self.limits
        queue = enumerate(jobs)
        busy: list[_Worker] = []
        waiting: tuple[int, tuple[bytes, str]] | None = None
        try:
            with selectors.DefaultSelector() as selector:
                while True:
                    while len(busy) < self.size:
                        job = waiting or next(queue, None)
                        if job is None:
                            break
                        # a parse waits for its share of the budget only when none of this
                        # call's is in flight; otherwise it waits for one of them to end
                        if not self._reserve(limits, wait=not busy):
                            waiting = job
                            break
                        waiting = None
                        index, (data, name) = job
                        try:
                            dispatched = self._dispatch(index, data, name, limits)
                        except BaseException:
                            self._release(limits)
                            raise
                        if isinstance(dispatched, ParseError):
                            self._release(limits)
                            yield index, dispatched
                            continue
                        selector.register(dispatched.stdout, selectors.EVENT_READ, dispatched)
                        busy.append(dispatched)
                    if not busy:
                        return
                    for worker, result in self._collect(selector, busy):
                        selector.unregister(worker.stdout)
                        busy.remove(worker)
                        self._release(limits)
                        yield worker.job, result
        finally:
            # The caller stopped early (an error while indexing, Ctrl-C): the files still
            # in flight are abandoned, and their workers with them.
            for worker in busy:
                worker.kill()
                self._release(limits)

    def _cost(self, limits: Limits) -> int:
        return min(limits.max_memory_bytes, self.memory_budget)  # one parse always fits alone

    def _reserve(self, limits: Limits, *, wait: bool) -> bool:
        cost = self._cost(limits)
        with self._turns:
            while self._busy >= self.size or self._reserved + cost > self.memory_budget:
                if not wait:
                    return False
                self._turns.wait()
            self._busy += 1
            self._reserved += cost
            self.peak_busy = max(self.peak_busy, self._busy)
            self.peak_reserved = max(self.peak_reserved, self._reserved)
            return True

    def _release(self, limits: Limits) -> None:
        with self._turns:
            self._busy -= 1
            self._reserved -= self._cost(limits)
            self._turns.notify_all()

    def _dispatch(self, index: int, data: bytes, name: str, limits: Limits) -> _Worker | ParseError:
        # The worker holds the bytes, their pickle and the parse at once; refuse early
        # what cannot fit rather than kill a worker to find out.
        if len(data) * 3 > limits.max_memory_bytes:
            return LimitExceeded(
                f"the file ({len(data) / 2**20:.0f} MB) is too large to read within the "
                f"{limits.max_memory_bytes / 2**20:.0f} MB memory limit (ingest.max_memory_mb)"
            )
        worker = self._take(limits)
        try:
            worker.start(index, data, name, limits)
            return worker
        except OSError:  # it died while idle: a fresh worker gets the job
            worker.kill()
        worker = _Worker(limits)
        try:
            worker.start(index, data, name, limits)
            return worker
        except OSError:  # a fresh worker died taking the file in: the file did it
            worker.kill()
            return _death_reason(worker.process.returncode, limits)

    def _collect(
        self, selector: selectors.BaseSelector, busy: list[_Worker]
    ) -> list[tuple[_Worker, Document | ParseError]]:
        """Wait until a worker answers, dies or overruns its deadline."""
        timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        done: list[tuple[_Worker, Document | ParseError]] = []
        for selected, _ in selector.select(timeout):
            worker: _Worker = selected.data
            result = self._result(worker)
            if result is not None:
                done.append((worker, result))
        now = time.monotonic()
        for worker in busy:
            if worker.deadline <= now and all(w is not worker for w, _ in done):
                worker.kill()
                done.append((worker, _timeout(worker.limits)))
        return done

    def _result(self, worker: _Worker) -> Document | ParseError | None:
        try:
            message = worker.pump()
        except EOFError:
            worker.kill()
            return _death_reason(worker.process.returncode, worker.limits)
        if message is None:
            return None
        with self._turns:
            self._idle.append(worker)
            surplus = self._idle[: max(0, len(self._idle) - self.size)]
            del self._idle[: len(surplus)]
        for extra in surplus:  # workers of other memory caps pile up no further than this
            extra.kill()
        if isinstance(message, Document | ParseError):
            return message
        return CorruptDocument(f"the parser returned something unexpected: {message!r}")

    def _take(self, limits: Limits) -> _Worker:
        """An idle worker started with ``limits``' memory cap, else a new one."""
        while True:
            with self._turns:
                found = next(
                    (w for w in reversed(self._idle) if w.memory == limits.max_memory_bytes), None
                )
                if found is None:
                    break
                self._idle.remove(found)
            if found.process.poll() is None:
                return found
            found.kill()
        return _Worker(limits)

    def close(self) -> None:
        """Stop the idle workers (busy ones finish or are killed inside parse_many)."""
        with self._turns:
            idle, self._idle = self._idle, []
        for worker in idle:
            try:
                worker.stdin.close()  # end of input: the worker's loop returns
                worker.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
            worker.kill()

    def __enter__(self) -> ParseWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _timeout(limits: Limits) -> ParseError:
    return LimitExceeded(
        f"reading the file took longer than {limits.max_seconds:g} seconds "
        "(ingest.max_seconds); the file may be built to hang readers"
    )


# --- the worker side ----------------------------------------------------------------------


def _cap_memory(max_bytes: int) -> None:
    """Cap the address space, so a bomb raises MemoryError instead of swapping the host."""
    if max_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


def _serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    from dalin.ingest.parsers import parse_bytes  # imported after the cap, inside it

    _send(stdout, _READY)
    while True:
        try:
            (size,) = _HEADER.unpack(_read_exactly(stdin, _HEADER.size))
            data, name, limits = pickle.loads(_read_exactly(stdin, size))
        except EOFError:
            return
        except MemoryError:  # the job itself is too large: say so, then stop (input is torn)
            _send(stdout, LimitExceeded("the file is too large for ingest.max_memory_mb"))
            return
        try:
            result: Document | ParseError = parse_bytes(data, name=name, limits=limits)
        except ParseError as error:
            result = error
        except MemoryError:
            result = LimitExceeded("reading the file needs more memory than ingest.max_memory_mb")
        del data
        try:
            _send(stdout, result)
        except MemoryError:
            _send(stdout, LimitExceeded("the file's text is too large to hand back"))


def main() -> None:
    _cap_memory(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    _serve(sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main()
