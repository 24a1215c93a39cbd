"""OpenAIEmbedder against a scripted HTTP server on loopback: refusals, retries, bad replies."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import numpy as np
import pytest

from dalin.embedders.openai import OpenAIEmbedder
from dalin.errors import (
    EmbedderAuthError,
    EmbedderError,
    EmbedderResponseError,
    EmbedderUnreachable,
)
from dalin.testing.llm_server import free_port


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # bytes are sent as they are, anything else as JSON
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    payload: Any


class ScriptedServer:
    """Answers each POST with the next scripted reply and records what it received."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.received: list[Received] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.received.append(Received(self.path, headers, json.loads(raw)))
                reply = server.replies.pop(0) if server.replies else Reply(500, b"no script")
                time.sleep(reply.delay)
                body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body)
                data = body.encode() if isinstance(body, str) else body
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output quiet

        return Handler


def vectors(*rows: list[float] | str, indexes: list[int] | None = None) -> Reply:
    """A 200 reply with these embeddings, numbered 0.. unless ``indexes`` says otherwise."""
    order = indexes if indexes is not None else list(range(len(rows)))
    data = [
        {"object": "embedding", "index": i, "embedding": r}
        for i, r in zip(order, rows, strict=True)
    ]
    return Reply(body={"object": "list", "data": data, "model": "m"})


def error(status: int, message: str, **headers: str) -> Reply:
    return Reply(status, {"error": {"message": message, "type": "x", "code": None}}, headers)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    yield scripted
    scripted.close()


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def embedder(url: str, sleeps: Sleeps, **options: Any) -> OpenAIEmbedder:
    return OpenAIEmbedder("e5", url, sleep=sleeps, **options)


def test_request_shape_batches_and_normalisation(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(vectors([3, 4], [0, 2]), vectors([1, 0]))
    result = embedder(server.base_url, sleeps, batch_size=2).embed(["가", "나", "다"], kind="query")
    np.testing.assert_allclose(result, [[0.6, 0.8], [0, 1], [1, 0]], atol=1e-6)
    assert result.dtype == np.float32
    payloads = [r.payload for r in server.received]
    assert payloads == [
        {"model": "e5", "input": ["가", "나"], "input_type": "query"},
        {"model": "e5", "input": ["다"], "input_type": "query"},
    ]
    assert server.received[0].path == "/v1/embeddings"
    assert "authorization" not in server.received[0].headers
    assert not sleeps


def test_rows_follow_index_and_base64_is_read(server: ScriptedServer, sleeps: Sleeps) -> None:
    packed = base64.b64encode(np.array([0, 5], dtype="<f4").tobytes()).decode()
    server.script(vectors(packed, [2, 0], indexes=[1, 0]))
    result = embedder(server.base_url, sleeps).embed(["a", "b"], kind="passage")
    np.testing.assert_allclose(result, [[1, 0], [0, 1]], atol=1e-6)


def test_401_without_a_key_says_which_variable(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(error(401, "missing key"))
    with pytest.raises(EmbedderAuthError, match="DALIN_EMBED_API_KEY") as caught:
        embedder(server.base_url, sleeps).embed(["a"], kind="query")
    assert caught.value.code == "embedder_auth" and "missing key" in caught.value.detail
    assert len(server.received) == 1  # a refused key is not retried


def test_401_with_a_key_says_it_was_refused(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(error(401, "bad key"))
    with pytest.raises(EmbedderAuthError, match="refused"):
        embedder(server.base_url, sleeps, api_key="sk-1").embed(["a"], kind="query")
    assert server.received[0].headers["authorization"] == "Bearer sk-1"


def test_quota_429_is_an_auth_error_not_retried(server: ScriptedServer, sleeps: Sleeps) -> None:
    body = {"error": {"message": "You exceeded your quota", "code": "insufficient_quota"}}
    server.script(Reply(429, body))
    with pytest.raises(EmbedderAuthError, match="cannot pay"):
        embedder(server.base_url, sleeps, api_key="k").embed(["a"], kind="query")
    assert len(server.received) == 1


def test_429_waits_as_retry_after_says(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(error(429, "slow down", **{"Retry-After": "2"}), vectors([1, 0]))
    result = embedder(server.base_url, sleeps).embed(["a"], kind="query")
    assert result.shape == (1, 2) and sleeps == [2.0]


def test_429_with_a_long_retry_after_fails_at_once(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(error(429, "slow down", **{"Retry-After": "120"}))
    with pytest.raises(EmbedderUnreachable, match="asked to wait 120 s"):
        embedder(server.base_url, sleeps).embed(["a"], kind="query")
    assert len(server.received) == 1 and not sleeps


def test_429_until_the_retries_run_out(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(*[error(429, "slow down")] * 3)
    with pytest.raises(EmbedderUnreachable, match="after 3 tries") as caught:
        embedder(server.base_url, sleeps, retries=2).embed(["a"], kind="query")
    assert caught.value.code == "embedder_unreachable"
    assert len(server.received) == 3 and len(sleeps) == 2
    assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0  # doubling, with jitter


def test_500_is_retried_then_succeeds(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(error(500, "boom"), error(503, "busy"), vectors([0, 1]))
    result = embedder(server.base_url, sleeps).embed(["a"], kind="passage")
    np.testing.assert_allclose(result, [[0, 1]])
    assert len(server.received) == 3 and len(sleeps) == 2


def test_500_until_the_retries_run_out(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(*[error(500, "boom")] * 2)
    with pytest.raises(EmbedderUnreachable, match=r"failed after 2 tries \(HTTP 500: boom\)"):
        embedder(server.base_url, sleeps, retries=1).embed(["a"], kind="passage")


def test_404_names_the_model(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(error(404, "model 'e5' not found"))
    with pytest.raises(EmbedderError, match="does not serve the model 'e5'") as caught:
        embedder(server.base_url, sleeps).embed(["a"], kind="passage")
    assert type(caught.value) is EmbedderError and len(server.received) == 1


def test_other_refusals_quote_the_server(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(Reply(400, {"detail": "input too long"}))
    with pytest.raises(EmbedderError, match=r"refused the request \(HTTP 400: input too long"):
        embedder(server.base_url, sleeps).embed(["a"], kind="passage")


def test_a_reply_that_is_not_json(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(Reply(body=b"<html>hello</html>"))
    with pytest.raises(EmbedderResponseError, match="not with JSON") as caught:
        embedder(server.base_url, sleeps).embed(["a"], kind="passage")
    assert caught.value.code == "embedder_bad_response"


def test_the_wrong_number_of_vectors(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(vectors([1, 0]))
    with pytest.raises(EmbedderResponseError, match="sent 1 embeddings for 2 texts"):
        embedder(server.base_url, sleeps).embed(["a", "b"], kind="passage")


def test_a_change_of_dimension_between_replies(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(vectors([1, 0, 0]), vectors([1, 0, 0, 0]))
    model = embedder(server.base_url, sleeps)
    model.embed(["a"], kind="passage")
    assert model.dim == 3
    with pytest.raises(EmbedderResponseError, match=r"4 dimensions where .* has 3"):
        model.embed(["b"], kind="passage")


def test_a_dimension_other_than_configured(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(vectors([1, 0, 0]))
    with pytest.raises(EmbedderResponseError, match=r"3 dimensions where .* has 384"):
        embedder(server.base_url, sleeps, dim=384).embed(["a"], kind="passage")


@pytest.mark.parametrize(
    ("reply", "wording"),
    [
        (vectors([1, 0], [1, 0, 0]), "unequal"),
        (vectors([0, 0]), "all-zero"),
        (Reply(body='{"data": [{"index": 0, "embedding": [NaN, 1]}]}'), "NaN"),
        (vectors(["not", "numbers"]), "not a list of numbers"),
        (vectors("@@@"), "not base64"),
        (vectors([1, 0], [0, 1], indexes=[0, 0]), "indexes"),
        (Reply(body={"object": "list"}), "no list of embeddings"),
    ],
)
def test_malformed_vectors(
    server: ScriptedServer, sleeps: Sleeps, reply: Reply, wording: str
) -> None:
    server.script(reply)
    count = len(reply.body["data"]) if isinstance(reply.body, dict) and "data" in reply.body else 1
    with pytest.raises(EmbedderResponseError, match=wording):
        embedder(server.base_url, sleeps).embed(["t"] * count, kind="passage")


def test_a_closed_port_is_retried_then_unreachable(sleeps: Sleeps) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(EmbedderUnreachable, match=r"could not reach .* \(tried 3 times\)"):
        embedder(url, sleeps, retries=2).embed(["a"], kind="query")
    assert len(sleeps) == 2


def test_a_server_too_slow_to_answer(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(Reply(body={"data": []}, delay=1.0))
    with pytest.raises(EmbedderUnreachable, match=r"no reply within 0\.2 s"):
        embedder(server.base_url, sleeps, timeout=0.2).embed(["a"], kind="query")
    assert len(server.received) == 1  # the server is still working: no second copy


def test_openai_itself_gets_no_input_type_and_has_a_known_dim() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        data = [{"index": 0, "embedding": [1.0] + [0.0] * 1535}]
        return httpx.Response(200, json={"data": data})

    model = OpenAIEmbedder(
        "text-embedding-3-small", api_key="sk-o", transport=httpx.MockTransport(answer)
    )
    assert model.dim == 1536
    assert model.name == "openai:text-embedding-3-small@https://api.openai.com/v1"
    assert model.embed(["a"], kind="query").shape == (1, 1536)
    assert json.loads(seen[0].content) == {"model": "text-embedding-3-small", "input": ["a"]}
    assert seen[0].headers["authorization"] == "Bearer sk-o"
