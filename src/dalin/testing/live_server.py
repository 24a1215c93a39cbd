"""`dalin serve` state and its app on a real loopback port, for tests and benchmarks.

    server = Server(tmp_path / "serve", rate_per_minute=0)
    seed_workspace(server, "shop", [doc1, doc2])
    with running_app(create_app(server)) as base_url:
        ...  # http://127.0.0.1:PORT

The app runs in uvicorn in a background thread (lifespan included, so /mcp works) and is
stopped and joined when the block ends.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import uvicorn

from dalin.api.server import Server
from dalin.config import CONFIG_NAME
from dalin.testing.llm_server import free_port


def seed_workspace(
    server: Server, slug: str, files: Sequence[Path], **settings: dict[str, object]
) -> None:
    """Create workspace ``slug`` with ``settings`` (see :func:`configure`) and index
    ``files`` into it (copied to its files/ folder; vectors follow as a job)."""
    server.create_workspace(slug)
    if settings:
        configure(server, slug, **settings)
    target = server.files_dir(slug)
    copies = []
    for f in files:
        copy = target / f.name
        copy.write_bytes(f.read_bytes())
        copies.append(copy)
    report = server.host.add(slug, copies)
    if report.failed:
        raise RuntimeError(f"could not index test documents: {report.failed}")


def configure(server: Server, slug: str, **sections: dict[str, object]) -> None:
    """Set ``dalin.toml`` values of a workspace not yet opened, e.g.
    ``configure(server, "shop", answer={"llm": "openai:m", "base_url": url})``."""
    path = server.workspace_path(slug) / CONFIG_NAME
    text = path.read_text(encoding="utf-8")
    for section, values in sections.items():
        head = f"[{section}]\n"
        start = text.index(head) + len(head)
        end = text.find("\n[", start)
        body = text[start : len(text) if end < 0 else end + 1]
        for key, value in values.items():
            line = f"{key} = {json.dumps(value)}"
            body, found = re.subn(rf"(?m)^{re.escape(key)} = .*$", line, body)
            if not found:
                body = f"{line}\n{body}"
        text = text[:start] + body + ("" if end < 0 else text[end + 1 :])
    path.write_text(text, encoding="utf-8")


@contextmanager
def running_app(app: Any, *, startup_timeout: float = 30.0) -> Iterator[str]:
    """Serve ``app`` on a free 127.0.0.1 port; yield its base URL; stop it afterwards."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the app did not start on 127.0.0.1:{port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@dataclass
class Serving:
    """A `dalin serve` process started by :func:`running_serve`."""

    url: str
    process: subprocess.Popen[bytes]
    #: seconds from the start of the process to its first answer on /healthz
    started_in: float
    #: seconds from the start of the process until /healthz said it was ready
    ready_in: float
    #: CPU seconds the process had used by its first answer: what starting costs, whatever
    #: else the machine is busy with
    cpu_to_answer: float

    def stop(self) -> None:
        """Terminate, and kill if it does not exit within 30 seconds."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve_command(root: Path, port: int, *options: str) -> list[str]:
    """The command line of `dalin serve` on 127.0.0.1:``port`` over ``root``."""
    return [
        sys.executable, "-m", "dalin", "serve", "--root", str(root), "--port", str(port), *options
    ]  # fmt: skip


def start_serve(
    root: Path,
    *options: str,
    port: int | None = None,
    log: IO[bytes] | None = None,
    startup_timeout: float = 120.0,
    preexec_fn: Callable[[], None] | None = None,
    ready: bool = True,
    env: dict[str, str] | None = None,
) -> Serving:
    """Start `dalin serve`; wait until /healthz answers, then (``ready``) until it says it is
    ready (``ready_in`` is 0 when not waited for). ``env``: its environment (default: ours)."""
    port = port or free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        serve_command(root, port, *options),
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        preexec_fn=preexec_fn,  # the caller sets resource limits only (fork-safe)
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    answering: tuple[float, float] | None = None
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"dalin serve exited with code {process.returncode}")
        try:
            health = httpx.get(f"{url}/healthz", timeout=5.0)
            answering = answering or (time.monotonic() - started, cpu_seconds(process.pid))
            if health.json()["ready"] or not ready:
                ready_in = time.monotonic() - started if ready else 0.0
                return Serving(url, process, answering[0], ready_in, answering[1])
        except httpx.TransportError:
            pass
        if time.monotonic() - started > startup_timeout:
            process.kill()
            process.wait()
            raise RuntimeError(f"dalin serve did not answer within {startup_timeout:g} s")
        time.sleep(0.05)


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds process ``pid`` has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def running_serve(root: Path, *options: str, log: IO[bytes] | None = None) -> Iterator[str]:
    """A `dalin serve` process over ``root`` on a free port; yields its URL; stops it."""
    serving = start_serve(root, *options, log=log)
    try:
        yield serving.url
    finally:
        serving.stop()
