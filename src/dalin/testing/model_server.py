"""A small OpenAI-compatible chat server on loopback that answers as slowly as told.

    with running_model_server(delay=8.0, reply="연차휴가는 15일입니다 [1]") as model:
        settings: answer.llm = "openai:slow", base_url = model.base_url

It streams ``reply`` after ``delay`` seconds, answers ``/embeddings`` after
``embed_delay`` seconds with made-up unit vectors (8 dimensions, the same for the same text),
and records what reached it: the TCP
connections (one per HTTP client, since it keeps connections alive), the Authorization
headers and the number of requests. The tests of `dalin serve` use it as a deliberately
slow model (issue 15 item 2) and to see where an API key goes and whether a server reuses
its HTTP client (issue 14 item 1). It binds 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class ModelServer:
    """What a running model server saw; ``delay`` may be changed while it runs."""

    base_url: str = ""
    delay: float = 0.0
    reply: str = ""
    embed_delay: float = 0.0
    connections: set[tuple[str, int]] = field(default_factory=set)
    authorizations: list[str] = field(default_factory=list)
    requests: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _stream(reply: str) -> bytes:
    chunks = [reply[i : i + 8] for i in range(0, len(reply), 8)] or [""]
    events: list[dict[str, object]] = [
        {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
        for piece in chunks
    ]
    events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    events.append({"choices": [], "usage": {"prompt_tokens": 10, "completion_tokens": len(chunks)}})
    lines = [f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events]
    return ("".join(lines) + "data: [DONE]\n\n").encode()


def _embeddings(texts: list[str]) -> bytes:
    data = []
    for i, text in enumerate(texts):
        digest = hashlib.sha256(text.encode()).digest()
        vector = [b - 127.5 for b in digest[:8]]
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        data.append({"object": "embedding", "index": i, "embedding": [v / norm for v in vector]})
    return json.dumps({"object": "list", "data": data, "model": "fake"}).encode()


def _handler(state: ModelServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a reused client is one connection

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            body = json.dumps({"object": "list", "data": [{"id": "slow", "object": "model"}]})
            self._send(200, body.encode(), "application/json")

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path.endswith("/embeddings"):
                if not state.stop.wait(state.embed_delay):
                    self._send(200, _embeddings(json.loads(body)["input"]), "application/json")
                return
            with state.lock:
                state.requests += 1
                state.connections.add(self.client_address[:2])
                state.authorizations.append(self.headers.get("Authorization", ""))
            if state.stop.wait(state.delay):
                return
            self._send(200, _stream(state.reply), "text/event-stream")

    return Handler


@contextmanager
def running_model_server(
    delay: float = 0.0, reply: str = "", embed_delay: float = 0.0
) -> Iterator[ModelServer]:
    """Serve on a free 127.0.0.1 port; yield its state (``base_url`` ends in /v1)."""
    state = ModelServer(delay=delay, reply=reply, embed_delay=embed_delay)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, name="model-server", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)
