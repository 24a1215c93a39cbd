"""The HTTP layer shared by the chat and embedding clients: keys, URLs, refusals, retries, SSE."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dalin.openai_http import (
    Endpoint,
    Retries,
    TransportFailure,
    api_key,
    classify,
    public_url,
    sse_data,
)


@pytest.mark.parametrize(
    ("url", "purpose", "env", "key"),
    [
        ("https://api.openai.com/v1", "chat", {"DALIN_API_KEY": "d", "OPENAI_API_KEY": "o"}, "d"),
        ("https://api.openai.com/v1", "chat", {"OPENAI_API_KEY": "o"}, "o"),
        ("https://api.deepseek.com", "chat", {"DEEPSEEK_API_KEY": "s", "OPENAI_API_KEY": "o"}, "s"),
        (
            "http://localhost:11434/v1",
            "chat",
            {"OPENAI_API_KEY": "o", "DEEPSEEK_API_KEY": "s"},
            None,
        ),
        ("https://openai.example.com/v1", "chat", {"OPENAI_API_KEY": "o"}, None),
        ("https://api.openai.com/v1", "embeddings", {"OPENAI_API_KEY": "o"}, "o"),
        (
            "https://api.openai.com/v1",
            "embeddings",
            {"OPENAI_API_KEY": "o", "DALIN_EMBED_API_KEY": "d"},
            "d",
        ),
        ("http://127.0.0.1:8000/v1", "embeddings", {"DALIN_EMBED_API_KEY": "d"}, "d"),
        ("http://127.0.0.1:8000/v1", "embeddings", {"DALIN_API_KEY": "llm-key"}, None),
        ("http://127.0.0.1:8000/v1", "chat", {"DALIN_EMBED_API_KEY": "e"}, None),
        ("http://127.0.0.1:8000/v1", "chat", {}, None),
    ],
)
def test_each_key_goes_only_where_it_belongs(
    url: str, purpose: str, env: dict[str, str], key: str | None
) -> None:
    assert api_key(url, purpose, env) == key  # type: ignore[arg-type]


def test_dalin_key_hosts_keep_the_generic_key_home() -> None:
    env = {"DALIN_API_KEY": "d", "DEEPSEEK_API_KEY": "s"}
    hosts = {"api.deepseek.com"}
    assert api_key("https://api.deepseek.com", "chat", env, dalin_key_hosts=hosts) == "d"
    assert api_key("http://evil.example/v1", "chat", env, dalin_key_hosts=hosts) is None


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://me:secret@10.0.0.5:8000/v1", "http://10.0.0.5:8000/v1"),
        ("https://token@host.example/v1", "https://host.example/v1"),
        ("http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/v1"),
    ],
)
def test_public_url_hides_credentials(url: str, shown: str) -> None:
    assert public_url(url) == shown


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (401, {"error": {"message": "bad key"}}, "auth"),
        (402, {"error": {"message": "Insufficient Balance"}}, "payment"),
        (429, {"error": {"message": "quota", "code": "insufficient_quota"}}, "payment"),
        (404, {"error": "model 'qwen3:8b' not found"}, "not_found"),
        (400, {"message": "The model `x` does not exist."}, "not_found"),
        (400, {"detail": "Requested tokens (3000) exceed context window of 2048"}, "context"),
        (400, {"error": "gemma3:270m does not support tools"}, "tools"),
        (429, {"error": {"message": "slow down"}}, "rate_limited"),
        (503, b"<html>busy</html>", "server"),
        (408, b"", "server"),
        (413, {"detail": "too big"}, "too_large"),
        (422, {"detail": [{"msg": "field required"}]}, "other"),
    ],
)
def test_refusals_are_classified_whatever_their_shape(status: int, body: object, kind: str) -> None:
    response = (
        httpx.Response(status, content=body)
        if isinstance(body, bytes)
        else httpx.Response(status, json=body)
    )
    refusal = classify(response)
    assert refusal.kind == kind
    assert refusal.passing == (kind in ("rate_limited", "server"))


class Script:
    """A transport answering each request with the next scripted response or error."""

    def __init__(self, *steps: httpx.Response | Exception) -> None:
        self.steps = list(steps)
        self.requests = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def endpoint(script: Script, sleeps: list[float], retries: int = 3) -> Endpoint:
    return Endpoint(
        "http://user:pw@127.0.0.1:9/v1",
        api_key="k",
        timeout=httpx.Timeout(5.0),
        retries=Retries(retries, 1.0, 30.0, sleeps.append),
        transport=httpx.MockTransport(script),
    )


def test_passing_refusals_are_retried_with_backoff_then_returned() -> None:
    sleeps: list[float] = []
    script = Script(httpx.Response(503), httpx.Response(429, headers={"retry-after": "2"}),
                    httpx.Response(200, json={"ok": 1}))  # fmt: skip
    reply = endpoint(script, sleeps).post("/embeddings", {"input": ["a"]})
    assert reply.response.status_code == 200 and reply.attempts == 3
    assert 0.5 <= sleeps[0] <= 1.0 and sleeps[1] == 2.0


def test_a_refusal_that_will_not_pass_is_returned_at_once() -> None:
    sleeps: list[float] = []
    script = Script(httpx.Response(401, json={"error": "no"}))
    reply = endpoint(script, sleeps).post("/embeddings", {})
    assert reply.refusal().kind == "auth" and reply.attempts == 1 and sleeps == []


def test_a_long_retry_after_is_not_waited_for() -> None:
    sleeps: list[float] = []
    script = Script(httpx.Response(429, headers={"retry-after": "3600"}))
    reply = endpoint(script, sleeps).post("/embeddings", {})
    assert reply.refusal().retry_after == 3600 and sleeps == []


def test_the_last_refusal_comes_back_after_the_retries() -> None:
    sleeps: list[float] = []
    script = Script(*[httpx.Response(502) for _ in range(3)])
    reply = endpoint(script, sleeps, retries=2).post("/embeddings", {})
    assert reply.refusal().kind == "server" and reply.refusal().tries == " after 3 tries"
    assert len(sleeps) == 2


def test_connection_errors_are_retried_a_read_timeout_is_not() -> None:
    sleeps: list[float] = []
    refused = httpx.ConnectError("refused")
    with pytest.raises(TransportFailure) as caught:
        endpoint(Script(refused, refused), sleeps, retries=1).post("/x", {})
    assert caught.value.attempts == 2 and not caught.value.no_reply
    assert caught.value.tried == " (tried 2 times)"
    script = Script(httpx.ReadTimeout("slow"), httpx.Response(200))
    with pytest.raises(TransportFailure) as caught:
        endpoint(script, sleeps).post("/x", {})
    assert caught.value.no_reply and script.requests == 1


def test_the_public_url_of_an_endpoint_has_no_password() -> None:
    ep = endpoint(Script(), [])
    assert ep.url("chat/completions") == "http://127.0.0.1:9/v1/chat/completions"
    assert ep.base_url == "http://user:pw@127.0.0.1:9/v1"  # still used to connect


_BODY = (
    b": ping\r\n\r\n"
    + 'data: {"content": "보증"}\r\n\r\n'.encode()
    + b"data: one\ndata: two\n\n"
    + b"event: x\nid: 3\n\n"
    + b"data: [DONE]\r\r"
)


def stream(pieces: list[bytes]) -> httpx.Response:
    def body() -> Iterator[bytes]:
        yield from pieces

    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())


@given(cuts=st.lists(st.integers(min_value=0, max_value=len(_BODY)), max_size=10))
def test_sse_events_come_out_whole_however_the_bytes_are_cut(cuts: list[int]) -> None:
    bounds = sorted({0, len(_BODY), *cuts})
    pieces = [_BODY[a:b] for a, b in itertools.pairwise(bounds)]
    assert list(sse_data(stream(pieces))) == ['{"content": "보증"}', "one\ntwo", "[DONE]"]


def test_an_event_never_finished_is_dropped_as_the_standard_says() -> None:
    assert list(sse_data(stream([b"data: a\n\ndata: cut"]))) == ["a"]
