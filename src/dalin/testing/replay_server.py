"""A real HTTP server on loopback that replays recorded chat-completion streams, for tests.

    with ReplayServer(recorded("step1.sse"), recorded("step2.sse")) as server:
        llm = OpenAICompatible("deepseek-chat", base_url=server.base_url, api_key="sk-test")
        ...
    server.requests  # the JSON bodies it was sent, in order

DeepSeek's API cannot be called from here (no network, no key), so its streams are
recorded in fixtures and served back over a real socket, in small pieces with the server's
own framing, so the client's HTTP, SSE and JSON handling all run as they would against
DeepSeek. Each ``POST …/chat/completions`` gets the next response; ``GET …/models`` answers
404, as DeepSeek's does for a model listing it will not give. It binds 127.0.0.1 only.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class Recorded:
    """One recorded response: status, content type and body, sent in ``piece``-byte writes."""

    body: bytes
    status: int = 200
    content_type: str = "text/event-stream"
    piece: int = 97


def recorded(path: str | Path, *, status: int = 200, piece: int = 97) -> Recorded:
    """A recorded response from a fixture file: ``.sse`` is an event stream, else JSON."""
    file = Path(path)
    kind = "text/event-stream" if file.suffix == ".sse" else "application/json"
    return Recorded(file.read_bytes(), status, kind, piece)


class ReplayServer:
    """Serves ``responses`` in order on ``base_url``; records every request body."""

    def __init__(self, *responses: Recorded) -> None:
        self._responses = list(responses)
        self._lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def left(self) -> int:
        """Responses not served yet."""
        with self._lock:
            return len(self._responses)

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def _next(self, body: bytes) -> Recorded | None:
        with self._lock:
            self.requests.append(json.loads(body or b"{}"))
            return self._responses.pop(0) if self._responses else None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._send(_error(404, "not found"))

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not self.path.endswith("/chat/completions"):
                    self._send(_error(404, "no route"))
                    return
                response = replay._next(body)
                if response is None:
                    response = _error(500, "the replay has no more responses")
                self._send(response)

            def _send(self, response: Recorded) -> None:
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Connection", "close")  # one response per connection
                self.close_connection = True
                self.end_headers()
                for start in range(0, len(response.body), response.piece):
                    piece = response.body[start : start + response.piece]
                    self.wfile.write(f"{len(piece):X}\r\n".encode() + piece + b"\r\n")
                    self.wfile.flush()
                    time.sleep(0)  # let the client read piece by piece, as from a real server
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: tests read ``requests`` instead of a log."""

        return Handler


def _error(status: int, message: str) -> Recorded:
    body = json.dumps({"error": {"message": message}}).encode()
    return Recorded(body, status, "application/json")
