"""`dalin serve` state and its app on a real loopback port, for tests and benchmarks.

    server = Server(tmp_path / "serve", rate_per_minute=0)
    seed_workspace(server, "shop", [doc1, doc2])
    with running_app(create_app(server)) as base_url:
        ...  # http://127.0.0.1:PORT

The app runs in uvicorn in a background thread (lifespan included, so /mcp works) and is
stopped and joined when the block ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from dalin.api.server import Server
from dalin.testing.llm_server import free_port


def seed_workspace(server: Server, slug: str, files: Sequence[Path]) -> None:
    """Create workspace ``slug`` and index ``files`` into it (copied to its files/ folder)."""
    server.create_workspace(slug)
    target = server.files_dir(slug)
    copies = []
    for f in files:
        copy = target / f.name
        copy.write_bytes(f.read_bytes())
        copies.append(copy)
    with server.open_workspace(slug) as ws:
        report = ws.add(copies)
    if report.failed:
        raise RuntimeError(f"could not index test documents: {report.failed}")


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
