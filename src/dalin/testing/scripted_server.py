"""A real OpenAI-compatible chat server on loopback that answers from a script, for tests
and benchmarks of what dalin does with a given model answer.

    script = {"반품": "주문 제작한 가공품도 7일 이내라면 반품할 수 있습니다 {cite:가공품}."}
    with running_scripted_server(script) as base_url:
        answer = ws.ask("맞춤 가공품도 반품되나요?", llm="openai:scripted", base_url=base_url)

It serves ``GET /v1/models`` and ``POST /v1/chat/completions`` over HTTP on 127.0.0.1 with
the standard library's threading server: the reply to a question is the script's text for
the first key found in the last user message (the prompt ends with the question), and
usage counts characters (a deterministic stand-in for tokens). A request from dalin's model
verifier (:mod:`dalin.answer.verifier`) gets one verdict line per sentence: "supported",
unless ``verdicts`` maps a words of that sentence to another verdict. Streaming requests get
one JSON body (``application/json``), which OpenAI clients and dalin's accept alike.

The language models are the point of other tests (``dalin.testing.llm_server`` runs the
bundled one); this server is for the part around them: the same HTTP client, retries,
checks and surfaces as with DeepSeek, with answers chosen in advance.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from dalin.answer.verifier import SYSTEM as VERIFIER_SYSTEM

#: the model name the server lists
SCRIPTED_MODEL = "scripted"
_SENTENCE = re.compile(r"^(\d+)\. (.*?) \(→", re.MULTILINE)
#: "{cite:주문 제작한}" in a scripted reply: the number of the source holding those words
_CITE = re.compile(r"\{cite:([^}]+)\}")
_SOURCE = re.compile(r"^\[(\d+)\] ", re.MULTILINE)


@dataclass
class Script:
    """What the server says: replies by question words, verdicts by sentence words."""

    replies: Mapping[str, str]
    verdicts: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: every request body received, in order
    requests: list[dict[str, Any]] = field(default_factory=list)
    fallback: str = "문서에서 답을 찾지 못했습니다."

    def reply(self, body: dict[str, Any]) -> str:
        messages = body.get("messages", [])
        system = next((m["content"] for m in messages if m.get("role") == "system"), "")
        user = next((m["content"] for m in reversed(messages) if m.get("role") == "user"), "")
        if system in VERIFIER_SYSTEM.values():
            return self._verdicts(user)
        asked = user.rsplit("\n", 1)[-1]  # the prompt ends with "질문: …"
        for key, text in self.replies.items():
            if key in asked:
                return _CITE.sub(lambda m: _citation(user, m.group(1)), text)
        return self.fallback

    def _verdicts(self, prompt: str) -> str:
        lines = []
        for number, sentence in _SENTENCE.findall(prompt):
            verdict, reason = next(
                (v for key, v in self.verdicts.items() if key in sentence), ("supported", "")
            )
            lines.append(json.dumps({"n": int(number), "verdict": verdict, "reason": reason}))
        return "\n".join(lines)


def _citation(prompt: str, phrase: str) -> str:
    """ "[n]" for the first numbered source of the prompt that holds ``phrase`` (as a model
    cites the passage it read a fact in); "[1]" when none does."""
    sources = _SOURCE.split(prompt)
    for number, text in zip(sources[1::2], sources[2::2], strict=True):
        if phrase in text:
            return f"[{number}]"
    return "[1]"


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return  # tests read results, not access logs

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._send(200, {"object": "list", "data": [{"id": SCRIPTED_MODEL}]})
            else:
                self._send(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, {"error": {"message": "not found"}})
                return
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            script.requests.append(body)
            text = script.reply(body)
            prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
            self._send(
                200,
                {
                    "id": f"scripted-{len(script.requests)}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", SCRIPTED_MODEL),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {
                        "prompt_tokens": prompt // 2,
                        "completion_tokens": max(1, len(text) // 2),
                        "total_tokens": prompt // 2 + max(1, len(text) // 2),
                    },
                },
            )

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def running_scripted_server(
    replies: Mapping[str, str] | Script, verdicts: Mapping[str, tuple[str, str]] | None = None
) -> Iterator[str]:
    """Serve ``replies`` on a free 127.0.0.1 port; yield the base URL (``…/v1``)."""
    script = replies if isinstance(replies, Script) else Script(replies, verdicts or {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    thread = threading.Thread(target=server.serve_forever, name="scripted-llm", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
