"""A real OpenAI-compatible server on loopback, for tests: llama-cpp-python's own server.

    with running_llama_server(bundled_model_path()) as base_url:
        llm = OpenAICompatible(SERVED_MODEL, base_url=base_url)

Needs ``pip install 'llama-cpp-python[server]'``. The server binds 127.0.0.1 only.

The bundled Gemma 3 270M is a bare pretrained model without a chat template. Started as
``python -m llama_cpp.server``, the server falls back to Llama-2 ``[INST]`` prompts, on
which the model emits end-of-text at once (empty answers), and ``--chat_format gemma``
makes it echo the question. So this module runs the same server through its own
``__main__``, which first registers the question/answer transcript that LocalGGUF uses for
such models as the chat format ``question-answer``; everything else is the stock server.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

from dalin.llm.local import TRANSCRIPT_FORMAT, transcript_formatter

#: the name the server lists its model under (``--model_alias``)
SERVED_MODEL = "gemma-3-270m"


def server_command(model_path: Path | str, port: int, *, n_ctx: int = 2048) -> list[str]:
    """The command line that starts the server (llama_cpp.server's options, via main())."""
    return [
        sys.executable,
        "-m",
        "dalin.testing.llm_server",
        "--model",
        str(model_path),
        "--model_alias",
        SERVED_MODEL,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(n_ctx),
        "--chat_format",
        TRANSCRIPT_FORMAT,
    ]


@contextmanager
def running_llama_server(
    model_path: Path | str,
    port: int | None = None,
    *,
    n_ctx: int = 2048,
    startup_timeout: float = 120.0,
) -> Iterator[str]:
    """Start the server, wait until ``/v1/models`` answers, yield its base URL, stop it."""
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            server_command(model_path, port, n_ctx=n_ctx),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            _wait_until_ready(base_url, process, log, startup_timeout)
            yield base_url
        finally:
            _stop(process)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_ready(
    base_url: str, process: subprocess.Popen[bytes], log: IO[bytes], timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"llama_cpp.server exited with code {process.returncode}:\n{_tail(log)}"
            )
        try:
            if httpx.get(f"{base_url}/models", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.2)
    _stop(process)
    raise RuntimeError(f"llama_cpp.server did not answer within {timeout:g} s:\n{_tail(log)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate, and kill if it does not exit within ten seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(log: IO[bytes], size: int = 4000) -> str:
    log.seek(0)
    return log.read().decode("utf-8", errors="replace")[-size:]


def main() -> None:
    """``python -m llama_cpp.server``, with the question/answer chat format registered."""
    from llama_cpp.llama_chat_format import register_chat_format
    from llama_cpp.server.__main__ import main as serve

    register_chat_format(TRANSCRIPT_FORMAT)(transcript_formatter)
    serve()  # type: ignore[no-untyped-call]  # llama_cpp leaves main() unannotated


if __name__ == "__main__":
    main()
