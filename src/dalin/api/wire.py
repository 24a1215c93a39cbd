"""The connection layer of `dalin serve`: it must not be wedged by clients that never finish.

An outside test found the server dead for good after ~1,100 connections that never sent
their headers: they used up the file descriptors, and the error logged about it failed in
turn (a log handler that opens source files for a pretty traceback) and stopped the event
loop (issue 15 item 1). So:

* a connection has ``header_seconds`` to send its request line and headers, from its first
  byte (a header sent a byte at a time gains nothing), and may stay silent at most
  ``idle_seconds`` while it sends a body; a response being written is never cut;
* there are at most ``max_connections`` connections, below the file descriptor limit: a new
  one beyond it closes the oldest connection still waiting for its headers (the likely
  attacker), or itself when there is none;
* the soft file descriptor limit is raised to the hard one at start;
* logging is plain standard-library logging, whose handlers swallow their own failures (a
  missing source line is left out), and a failing handler is ignored, so logging cannot
  stop the loop; the access log records paths without query strings (a search's text is
  nobody's business).
"""

from __future__ import annotations

import asyncio
import logging
import resource
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import h11
import uvicorn
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from dalin.api.limits import ServeLimits

log = logging.getLogger("dalin.api")

#: descriptors kept for everything but connections: databases, parse workers, logs
FD_RESERVE_SHARE = 0.5
MAX_CONNECTIONS = 10_000


def raise_fd_limit() -> int:
    """Raise the soft limit on open files to the hard one; return the soft limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = 1_048_576 if hard == resource.RLIM_INFINITY else hard
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return int(soft)


def connection_limit(limits: ServeLimits, fd_limit: int) -> int:
    """``max_connections``, or half the file descriptors (the rest for databases and
    workers), never more than the descriptors allow."""
    ceiling = max(8, int(fd_limit * (1 - FD_RESERVE_SHARE)))
    wanted = limits.max_connections or MAX_CONNECTIONS
    return min(wanted, ceiling)


def guarded_protocol(limits: ServeLimits, max_connections: int) -> type[H11Protocol]:
    """uvicorn's HTTP/1.1 protocol with the header and idle timeouts and the connection
    limit of the module docstring."""

    class Guarded(H11Protocol):
        def __init__(
            self,
            config: Config,
            server_state: ServerState,
            app_state: dict[str, Any],
            _loop: asyncio.AbstractEventLoop | None = None,
        ) -> None:
            super().__init__(config, server_state, app_state, _loop)
            self._timer: asyncio.TimerHandle | None = None
            self._timer_kind = ""
            self._born = 0.0

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._born = self.loop.time()
            self._arm("headers", limits.header_seconds)
            if len(self.connections) > max_connections:
                self._make_room()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._watch()

        def on_response_complete(self) -> None:
            super().on_response_complete()  # a keep-alive timer now runs until the next byte
            self._disarm()

        def _watch(self) -> None:
            if self.transport.is_closing():
                return
            state = self.conn.their_state
            between = self.cycle is None or self.cycle.response_complete
            if state is h11.IDLE and between:
                if self._timer_kind != "headers":  # from the first byte of a request
                    self._arm("headers", limits.header_seconds)
            elif state is h11.SEND_BODY:
                self._arm("body", limits.idle_seconds)  # again at every piece
            else:
                self._disarm()

        def waiting_for_headers(self) -> bool:
            return self._timer_kind == "headers"

        def _make_room(self) -> None:
            waiting = [
                c
                for c in self.connections
                if c is not self and isinstance(c, Guarded) and c.waiting_for_headers()
            ]
            oldest = min(waiting, key=lambda c: c._born, default=None)
            (oldest or self).transport.close()

        def _arm(self, kind: str, seconds: float) -> None:
            self._disarm()
            self._timer_kind = kind
            self._timer = self.loop.call_later(seconds, self._expire)

        def _disarm(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
            self._timer, self._timer_kind = None, ""

        def _expire(self) -> None:
            self._timer, self._timer_kind = None, ""
            if not self.transport.is_closing():
                self.transport.close()

    return Guarded


def configure_logging(level: int = logging.INFO) -> dict[str, Any]:
    """Plain logging to stderr for the whole process; returns uvicorn's ``log_config``."""
    logging.raiseExceptions = False  # a handler that fails is skipped, never raised
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(message)s"},
            "access": {"()": AccessFormatter, "fmt": "%(asctime)s %(message)s"},
        },
        "handlers": {
            "default": {"class": "logging.StreamHandler", "formatter": "plain"},
            "access": {"class": "logging.StreamHandler", "formatter": "access"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }


class AccessFormatter(logging.Formatter):
    """uvicorn's access line without the query string: ``client - "GET /path" status``."""

    def format(self, record: logging.LogRecord) -> str:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            client, method, path, version, status = args
            record.args = (client, method, str(path).split("?", 1)[0], version, status)
        return super().format(record)


def run(
    app: Callable[..., Any],
    host: str,
    port: int,
    limits: ServeLimits,
    listening: Callable[[], None] | None = None,
) -> None:
    """Serve ``app`` until interrupted, with the guards of this module; ``listening`` is
    called (on another thread) once the port is open."""
    log_config = configure_logging()
    fd_limit = raise_fd_limit()
    connections = connection_limit(limits, fd_limit)
    log.info("file descriptors: %d; connections at most: %d", fd_limit, connections)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=guarded_protocol(limits, connections),
        ws="none",
        timeout_keep_alive=max(1, round(limits.keep_alive_seconds)),
        log_config=log_config,
    )
    server = uvicorn.Server(config)
    if listening is not None:

        def wait_until_listening() -> None:
            while not server.started and not server.should_exit:
                time.sleep(0.05)
            if server.started:
                listening()

        threading.Thread(target=wait_until_listening, name="dalin-listening", daemon=True).start()
    server.run()
