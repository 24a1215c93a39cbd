"""OpenAICompatible against recorded DeepSeek/OpenAI-shaped responses (httpx.MockTransport)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from dalin.errors import (
    LLMAuthError,
    LLMContextOverflow,
    LLMError,
    LLMModelNotFound,
    LLMRateLimited,
    LLMServerError,
    LLMToolsUnsupported,
    LLMUnreachable,
)
from dalin.llm.base import (
    Message,
    ReasoningDelta,
    TextDelta,
    ToolCall,
    ToolSpec,
    Usage,
    collect,
)
from dalin.llm.openai import OpenAICompatible, context_window_for

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://api.deepseek.com"
QUESTION = [Message("system", "문서에 근거해 답하세요."), Message("user", "연차휴가는 며칠인가요?")]

Handler = Callable[[httpx.Request], httpx.Response]


def sse(name: str, *, chunk_size: int | None = None, crlf: bool = False) -> httpx.Response:
    """A 200 streaming response with a fixture body, cut into ``chunk_size``-byte pieces."""
    body = (FIXTURES / name).read_bytes()
    if crlf:
        body = body.replace(b"\n", b"\r\n")
    size = chunk_size or len(body)
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=iter(pieces))


def error(status: int, name: str, headers: dict[str, str] | None = None) -> httpx.Response:
    body = (FIXTURES / name).read_bytes()
    return httpx.Response(
        status, headers={"content-type": "application/json", **(headers or {})}, content=body
    )


class Server:
    """Answers each request with the next response; records requests and sleeps."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path.endswith("/models"):
            return httpx.Response(404)
        response = self.responses.pop(0)
        if isinstance(response, Exception):
            raise response
        return response

    def llm(self, model: str = "deepseek-chat", **kwargs: object) -> OpenAICompatible:
        return OpenAICompatible(
            model,
            base_url=BASE,
            api_key="sk-test",
            transport=httpx.MockTransport(self.handle),
            sleep=self.sleeps.append,
            **kwargs,  # type: ignore[arg-type]
        )

    @property
    def completions(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith("/chat/completions")]


@pytest.mark.parametrize("chunk_size", [None, 1, 7, 64])
@pytest.mark.parametrize("crlf", [False, True])
def test_reasoner_stream_separates_reasoning_answer_and_usage(
    chunk_size: int | None, crlf: bool
) -> None:
    server = Server(sse("deepseek_reasoner.sse", chunk_size=chunk_size, crlf=crlf))
    events = list(server.llm("deepseek-reasoner").stream(QUESTION))
    answer = collect(events)
    assert (
        answer.reasoning
        == "사용자가 연차휴가 일수를 묻고 있다. 문서 [1]의 제26조에 따르면 15일이다."
    )
    assert answer.text == "1년간 80% 이상 출근한 직원에게는 15일의 유급휴가를 줍니다 [1]."
    assert answer.usage == Usage(
        prompt_tokens=1187, completion_tokens=64, cached_prompt_tokens=1024, reasoning_tokens=41
    )
    assert isinstance(events[-1], Usage)
    assert sum(isinstance(e, Usage) for e in events) == 1
    first_text = next(i for i, e in enumerate(events) if isinstance(e, TextDelta))
    assert all(not isinstance(e, ReasoningDelta) for e in events[first_text:])


def test_request_is_a_streamed_chat_completion_with_usage() -> None:
    server = Server(sse("deepseek_chat.sse"))
    list(server.llm(extra_body={"top_p": 0.9}).stream(QUESTION, max_tokens=300, temperature=0))
    (request,) = server.completions
    assert str(request.url) == f"{BASE}/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    body = json.loads(request.content)
    assert body == {
        "model": "deepseek-chat",
        "messages": [{"role": m.role, "content": m.content} for m in QUESTION],
        "stream": True,
        "stream_options": {"include_usage": True},
        "max_tokens": 300,
        "temperature": 0,
        "top_p": 0.9,
    }


def test_chat_stream_usage_on_the_finish_chunk() -> None:
    answer = collect(Server(sse("deepseek_chat.sse", chunk_size=5)).llm().stream(QUESTION))
    assert answer.text == "HB-200의 오류 코드 E02는 급수 탱크가 비었다는 뜻입니다 [2]."
    assert answer.reasoning == ""
    assert answer.usage == Usage(prompt_tokens=812, completion_tokens=19, cached_prompt_tokens=768)


def test_tool_call_fragments_are_assembled_by_index() -> None:
    answer = collect(Server(sse("tool_calls.sse", chunk_size=3)).llm().stream(QUESTION))
    assert answer.tool_calls == [
        ToolCall("call_0_5f0a6c2e", "search_documents", '{"query": "연차휴가 일수", "limit": 5}'),
        ToolCall("call_1_9b3e7d41", "get_document", '{"doc_id": 12}'),
    ]
    assert json.loads(answer.tool_calls[0].arguments) == {"query": "연차휴가 일수", "limit": 5}
    assert answer.text == ""
    assert answer.usage.prompt_tokens == 402


def test_tools_are_sent_when_given() -> None:
    server = Server(sse("tool_calls.sse"))
    spec = ToolSpec("search_documents", "Find passages.", {"type": "object", "properties": {}})
    list(server.llm().stream(QUESTION, tools=[spec]))
    assert json.loads(server.completions[0].content)["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "search_documents",
                "description": "Find passages.",
                "parameters": {"type": "object", "properties": {}},
            },
        }
    ]


def test_tool_calls_and_results_go_back_in_the_chat_format() -> None:
    server = Server(sse("deepseek_chat.sse"))
    call = ToolCall("call_1", "calculator", '{"expression": "17 + 6"}')
    history = [
        *QUESTION,
        Message("assistant", "", tool_calls=(call,), reasoning="합을 구한다"),
        Message("tool", '{"result": "23"}', tool_call_id="call_1"),
    ]
    list(server.llm().stream(history))
    sent = json.loads(server.completions[0].content)["messages"][-2:]
    assert sent == [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "calculator", "arguments": '{"expression": "17 + 6"}'},
                }
            ],
        },
        {"role": "tool", "content": '{"result": "23"}', "tool_call_id": "call_1"},
    ]


def test_reasoning_goes_back_only_to_a_server_that_sent_reasoning_content() -> None:
    """DeepSeek's thinking mode wants a tool-calling turn's reasoning_content back; other
    servers never see the field."""
    server = Server(sse("deepseek_reasoner.sse"), sse("deepseek_chat.sse"))
    llm = server.llm("deepseek-reasoner")
    turn = Message(
        "assistant",
        "",
        tool_calls=(ToolCall("c", "search", "{}"),),
        reasoning="먼저 찾아본다",
    )
    history = [*QUESTION, turn, Message("tool", "[]", tool_call_id="c")]
    list(llm.stream(history))
    first = json.loads(server.completions[0].content)["messages"][2]
    assert "reasoning_content" not in first  # nothing seen from this server yet
    list(llm.stream(history))
    second = json.loads(server.completions[1].content)["messages"][2]
    assert second["reasoning_content"] == "먼저 찾아본다"


def test_no_tools_key_without_tools() -> None:
    server = Server(sse("deepseek_chat.sse"))
    list(server.llm().stream(QUESTION))
    assert "tools" not in json.loads(server.completions[0].content)


def test_think_tags_in_content_become_reasoning_and_usage_is_estimated() -> None:
    llm = Server(sse("think_in_content.sse", chunk_size=2)).llm("qwen3:0.6b")
    answer = collect(llm.stream(QUESTION))
    assert answer.reasoning == "질문은 보증 기간이다.\n"
    assert answer.text == "보증 기간은 구입일로부터 1년입니다 [3]."
    assert answer.usage.estimated
    prompt_estimate = sum(llm.count_tokens(m.content) for m in QUESTION)
    assert answer.usage.prompt_tokens > prompt_estimate
    assert answer.usage.completion_tokens >= llm.count_tokens(answer.text + answer.reasoning)


def test_non_streamed_json_reply_is_accepted() -> None:
    completion = {
        "id": "x",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "네.", "reasoning_content": "짧게."},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 4},
    }
    server = Server(httpx.Response(200, json=completion))
    answer = collect(server.llm().stream(QUESTION))
    assert (answer.reasoning, answer.text) == ("짧게.", "네.")
    assert answer.usage == Usage(prompt_tokens=10, completion_tokens=4)


def test_401_is_an_auth_error_naming_the_server_without_retry() -> None:
    server = Server(error(401, "error_401.json"))
    with pytest.raises(LLMAuthError, match=r"API key was refused by https://api\.deepseek\.com"):
        list(server.llm().stream(QUESTION))
    assert len(server.completions) == 1
    assert server.sleeps == []


def test_401_without_a_key_says_to_set_one() -> None:
    server = Server(error(401, "error_401.json"))
    llm = OpenAICompatible("m", base_url=BASE, transport=httpx.MockTransport(server.handle))
    with pytest.raises(LLMAuthError, match="DALIN_API_KEY") as caught:
        list(llm.stream(QUESTION))
    assert caught.value.code == "llm_auth"
    assert "authorization" not in server.requests[0].headers


def test_404_model_lists_the_served_models() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/models":
            models = {"data": [{"id": "gpt-4o-mini"}, {"id": "gpt-4o"}], "object": "list"}
            return httpx.Response(200, json=models)
        return error(404, "error_404_model.json")

    llm = OpenAICompatible(
        "gpt-9-turbo", base_url="https://api.openai.com/v1/", transport=httpx.MockTransport(handle)
    )
    with pytest.raises(LLMModelNotFound, match="gpt-9-turbo") as caught:
        list(llm.stream(QUESTION))
    assert caught.value.available == ("gpt-4o", "gpt-4o-mini")
    assert "gpt-4o, gpt-4o-mini" in str(caught.value)


def test_404_without_a_model_list_points_at_the_base_url() -> None:
    server = Server(error(404, "error_404_model.json"))
    with pytest.raises(LLMModelNotFound, match="/v1") as caught:
        list(server.llm("gpt-9-turbo").stream(QUESTION))
    assert caught.value.available == ()


@pytest.mark.parametrize(
    "fixture", ["error_400_context_openai.json", "error_400_context_deepseek.json"]
)
def test_context_overflow_is_recognised(fixture: str) -> None:
    server = Server(error(400, fixture))
    with pytest.raises(LLMContextOverflow, match="maximum context length") as caught:
        list(server.llm().stream(QUESTION))
    assert caught.value.code == "llm_context_overflow"
    assert len(server.completions) == 1


def test_429_honours_retry_after_then_succeeds() -> None:
    server = Server(error(429, "error_429.json", {"retry-after": "2"}), sse("deepseek_chat.sse"))
    answer = collect(server.llm().stream(QUESTION))
    assert answer.text.startswith("HB-200")
    assert len(server.completions) == 2
    assert server.sleeps == [2.0]


def test_429_with_a_long_retry_after_fails_at_once() -> None:
    server = Server(error(429, "error_429.json", {"retry-after": "3600"}))
    with pytest.raises(LLMRateLimited, match="limiting requests"):
        list(server.llm().stream(QUESTION))
    assert server.sleeps == []


def test_503_twice_then_success_backs_off_exponentially() -> None:
    server = Server(
        error(503, "error_503.json"), error(503, "error_503.json"), sse("deepseek_chat.sse")
    )
    answer = collect(server.llm(backoff_seconds=1.0).stream(QUESTION))
    assert answer.usage.prompt_tokens == 812
    assert len(server.completions) == 3
    first, second = server.sleeps
    assert 0.5 <= first <= 1.0
    assert 1.0 <= second <= 2.0


def test_5xx_after_all_retries_is_a_server_error() -> None:
    server = Server(*[error(503, "error_503.json") for _ in range(3)])
    with pytest.raises(LLMServerError, match=r"after 3 tries.*too busy"):
        list(server.llm(max_retries=2).stream(QUESTION))
    assert len(server.completions) == 3
    assert len(server.sleeps) == 2


def test_429_after_all_retries_is_rate_limited() -> None:
    server = Server(*[error(429, "error_429.json") for _ in range(2)])
    with pytest.raises(LLMRateLimited, match="after 2 tries"):
        list(server.llm(max_retries=1).stream(QUESTION))


def test_connection_errors_are_retried_then_unreachable() -> None:
    refused = httpx.ConnectError("[Errno 111] Connection refused")
    server = Server(refused, refused, sse("deepseek_chat.sse"))
    assert collect(server.llm().stream(QUESTION)).text.endswith("[2].")
    server = Server(refused, refused)
    with pytest.raises(LLMUnreachable, match=r"api\.deepseek\.com/chat/completions.*2 times"):
        list(server.llm(max_retries=1).stream(QUESTION))


def test_read_timeout_before_the_reply_is_not_retried() -> None:
    server = Server(httpx.ReadTimeout("timed out"), sse("deepseek_chat.sse"))
    with pytest.raises(LLMUnreachable, match="accepted the request but sent no reply within 120 s"):
        list(server.llm().stream(QUESTION))
    assert len(server.completions) == 1


def broken_after(name: str, keep: int, exc: Exception) -> httpx.Response:
    """A stream that delivers ``keep`` bytes of a fixture, then fails."""
    body = (FIXTURES / name).read_bytes()

    def pieces() -> Iterator[bytes]:
        yield body[:keep]
        raise exc

    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=pieces())


def test_no_retry_once_streaming_started() -> None:
    broken = broken_after("deepseek_chat.sse", 900, httpx.ReadError("connection reset"))
    server = Server(broken, sse("deepseek_chat.sse"))
    events: list[object] = []
    with pytest.raises(LLMServerError, match="broke off"):
        events.extend(server.llm().stream(QUESTION))
    assert any(isinstance(e, TextDelta) for e in events)
    assert len(server.completions) == 1


def test_read_timeout_mid_stream_names_the_wait() -> None:
    server = Server(broken_after("deepseek_chat.sse", 900, httpx.ReadTimeout("timed out")))
    with pytest.raises(LLMUnreachable, match="sent nothing for 120 s"):
        list(server.llm().stream(QUESTION))


def test_truncated_stream_is_an_error() -> None:
    body = (FIXTURES / "deepseek_chat.sse").read_bytes()
    cut = body[: body.index(b'"finish_reason":"stop"')]
    cut = cut[: cut.rindex(b"\n\n") + 2]
    server = Server(httpx.Response(200, headers={"content-type": "text/event-stream"}, content=cut))
    with pytest.raises(LLMServerError, match="ended before the answer was complete"):
        list(server.llm().stream(QUESTION))


def test_finish_without_done_is_accepted() -> None:
    body = (FIXTURES / "deepseek_chat.sse").read_bytes().replace(b"data: [DONE]\n\n", b"")
    server = Server(
        httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)
    )
    assert collect(server.llm().stream(QUESTION)).usage.prompt_tokens == 812


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (b"data: {not json\n\n", LLMServerError),
        (b'data: {"error": {"message": "model crashed"}}\n\n', LLMServerError),
        (
            b'data: {"error": {"message": "prompt is too long", "code": 400}}\n\n',
            LLMContextOverflow,
        ),
        (b"data: [1, 2]\n\n", LLMServerError),
    ],
)
def test_bad_or_error_events_mid_stream(event: bytes, expected: type[LLMError]) -> None:
    body = (FIXTURES / "deepseek_chat.sse").read_bytes()
    server = Server(
        httpx.Response(200, headers={"content-type": "text/event-stream"}, content=event + body)
    )
    with pytest.raises(expected):
        list(server.llm().stream(QUESTION))


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (403, {"error": "forbidden"}, LLMAuthError),
        (402, {"error": {"message": "Insufficient Balance"}}, LLMAuthError),
        (404, {"error": "model 'qwen3:8b' not found, try pulling it first"}, LLMModelNotFound),
        (
            400,
            {"detail": "Requested tokens (3000) exceed context window of 2048"},
            LLMContextOverflow,
        ),
        (400, {"message": "The model `x` does not exist."}, LLMModelNotFound),
        (422, {"detail": [{"msg": "field required", "loc": ["body", "messages"]}]}, LLMError),
        (
            400,
            {"error": "registry.ollama.ai/library/gemma3:270m does not support tools"},
            LLMToolsUnsupported,
        ),
        (
            400,
            {
                "object": "error",
                "message": '"auto" tool choice requires --enable-auto-tool-choice and '
                "--tool-call-parser to be set",
                "type": "BadRequestError",
                "code": 400,
            },
            LLMToolsUnsupported,
        ),
    ],
)
def test_other_servers_error_shapes(status: int, body: object, expected: type[LLMError]) -> None:
    server = Server(httpx.Response(status, json=body))
    with pytest.raises(expected) as caught:
        list(server.llm(max_retries=0).stream(QUESTION))
    assert type(caught.value) is expected


def test_retry_after_as_http_date() -> None:
    date = "Wed, 21 Oct 2015 07:28:00 GMT"  # in the past: retry at once
    server = Server(error(429, "error_429.json", {"retry-after": date}), sse("deepseek_chat.sse"))
    collect(server.llm().stream(QUESTION))
    assert server.sleeps == [0.0]


def test_context_window_defaults_by_model() -> None:
    assert context_window_for("deepseek-reasoner") == 131_072
    assert context_window_for("gpt-4o-mini") == 128_000
    assert context_window_for("gpt-4.1-mini") == 1_047_576
    assert context_window_for("Qwen/Qwen3-8B") == 8192
    assert OpenAICompatible("m", context_window=4096).context_window == 4096
    assert OpenAICompatible("deepseek-chat").name == "openai:deepseek-chat"


def test_empty_stream_hints_at_the_context_window() -> None:
    server = Server(httpx.Response(200, headers={"content-type": "text/event-stream"}, content=b""))
    with pytest.raises(LLMServerError, match="without sending anything"):
        list(server.llm().stream(QUESTION))


def test_exhausted_quota_is_not_retried() -> None:
    quota = {
        "error": {
            "message": "You exceeded your current quota, please check your plan and billing.",
            "type": "insufficient_quota",
            "code": "insufficient_quota",
        }
    }
    server = Server(httpx.Response(429, json=quota))
    with pytest.raises(LLMAuthError, match="cannot pay"):
        list(server.llm().stream(QUESTION))
    assert len(server.completions) == 1
