"""Clients that never finish cannot wedge `dalin serve` (issue 15 item 1).

The real command in its own process with a low file descriptor limit (which it cannot raise:
soft = hard), then more half-open connections than it has descriptors: it must keep
answering while they hang, recover by itself once they go, and not die. Loopback only,
bounded in count and time."""

from __future__ import annotations

import logging
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from dalin.api.limits import ServeLimits
from dalin.api.server import Server
from dalin.api.wire import AccessFormatter, connection_limit
from dalin.testing.live_server import start_serve

pytestmark = [pytest.mark.slow, pytest.mark.timed]

FD_LIMIT = 256
HALF_OPEN = 400


def _low_fd_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


def _health(url: str, timeout: float = 10.0) -> float:
    started = time.monotonic()
    response = httpx.get(f"{url}/healthz", timeout=timeout)
    assert response.status_code == 200
    return time.monotonic() - started


def test_half_open_connections_beyond_the_descriptors_do_not_wedge_the_server(
    tmp_path: Path,
) -> None:
    root = tmp_path / "serve"
    Server(root).close()
    serving = start_serve(root, "--header-timeout", "2", preexec_fn=_low_fd_limit)
    port = int(serving.url.rsplit(":", 1)[1])
    hanging: list[socket.socket] = []
    try:
        for _ in range(HALF_OPEN):  # a request line and half the headers, then nothing
            conn = socket.create_connection(("127.0.0.1", port), timeout=10)
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            hanging.append(conn)
        assert _health(serving.url) < 10.0  # they wait; a new client still gets through
        time.sleep(3)  # past the header timeout: the server has closed them itself
        closed = sum(1 for c in hanging if _closed_by_server(c))
        assert closed == len(hanging)
        for conn in hanging:
            conn.close()
        assert _health(serving.url) < 2.0
        assert serving.process.poll() is None
    finally:
        for conn in hanging:
            conn.close()
        serving.stop()


def _closed_by_server(conn: socket.socket) -> bool:
    conn.settimeout(5)
    try:
        return conn.recv(1) == b""
    except OSError:
        return True


def test_a_slow_header_is_cut_after_the_header_timeout(tmp_path: Path) -> None:
    """One byte every half second never completes a header within the timeout."""
    root = tmp_path / "serve"
    Server(root).close()
    serving = start_serve(root, "--header-timeout", "2")
    port = int(serving.url.rsplit(":", 1)[1])
    try:
        conn = socket.create_connection(("127.0.0.1", port), timeout=10)
        started = time.monotonic()
        cut = False
        for byte in b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 40:
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                cut = True
                break
            if _readable_eof(conn):
                cut = True
                break
            time.sleep(0.5)
        assert cut and time.monotonic() - started < 6
        conn.close()
    finally:
        serving.stop()


def _readable_eof(conn: socket.socket) -> bool:
    conn.setblocking(False)
    try:
        return conn.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        conn.setblocking(True)


def test_the_connection_limit_stays_below_the_descriptors() -> None:
    assert connection_limit(ServeLimits(), 256) == 128
    assert connection_limit(ServeLimits(max_connections=50), 256) == 50
    assert connection_limit(ServeLimits(max_connections=5000), 256) == 128
    assert connection_limit(ServeLimits(), 1_048_576) == 10_000


def test_building_the_mcp_server_leaves_logging_alone() -> None:
    """The MCP SDK gives the root logger a rich handler (which opens files to draw a
    traceback); dalin takes it off again."""
    script = (
        "import logging\n"
        "from dalin.mcp.server import build_server\n"
        "class Access:\n"
        "    pass\n"
        "build_server(Access())\n"
        "print([type(h).__name__ for h in logging.getLogger().handlers])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "RichHandler" not in done.stdout


def test_the_access_log_keeps_no_query_string() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/api/v1/workspaces/a/search?q=해고+명단", "1.1", 200),
        None,
    )
    line = AccessFormatter("%(message)s").format(record)
    assert line == '127.0.0.1:5 - "GET /api/v1/workspaces/a/search HTTP/1.1" 200'
