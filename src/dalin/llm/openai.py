"""Any OpenAI-compatible chat server: DeepSeek, OpenAI, vLLM, Ollama, llama.cpp's server.

One streamed ``POST {base_url}/chat/completions`` per answer, through the shared
:class:`dalin.openai_http.Endpoint`: refusals that may pass (429, 5xx, a connection that
could not be made) are retried with exponential backoff and jitter, but only until the
answer starts streaming: once a token reached the caller, a retry would repeat it. Every
failure becomes a specific :class:`dalin.errors.LLMError`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import httpx
from httpx_sse import SSEError

from dalin.errors import LLMError, LLMModelNotFound, LLMServerError, LLMUnreachable
from dalin.llm.base import Event, Message, ReasoningDelta, ToolCall, ToolSpec, Usage
from dalin.llm.http_errors import error_for_refusal, error_in_stream
from dalin.llm.think import ThinkSplitter
from dalin.llm.tokens import estimate_tokens
from dalin.openai_http import Endpoint, Retries, TransportFailure, is_event_stream, sse_data

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_CONTEXT_WINDOW = 8192

# Context windows by model-name prefix, longest prefix first. DeepSeek served 64K before
# V3.1 (August 2025) and 128K since; OpenAI's figures are from its model pages (2025).
# A server that serves a smaller window answers with LLMContextOverflow, which says so.
_CONTEXT_WINDOWS: tuple[tuple[str, int], ...] = (
    ("deepseek-", 131_072),
    ("gpt-4o-mini", 128_000),
    ("gpt-4o", 128_000),
    ("gpt-4.1", 1_047_576),
    ("o4-mini", 200_000),
    ("o3", 200_000),
)

# Per-message overhead of the chat format (role markers), for estimating prompt tokens;
# OpenAI documents 3 per message plus 3 to prime the reply.
_MESSAGE_OVERHEAD = 3


def context_window_for(model: str) -> int:
    """The context window of a known model name, else :data:`DEFAULT_CONTEXT_WINDOW`."""
    name = model.lower().rsplit("/", 1)[-1]
    for prefix, window in _CONTEXT_WINDOWS:
        if name.startswith(prefix):
            return window
    return DEFAULT_CONTEXT_WINDOW


class OpenAICompatible:
    """A chat model behind an OpenAI-compatible ``/chat/completions`` endpoint."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        api_key: str | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 120.0,
        max_retries: int = 3,
        context_window: int | None = None,
        think_starts_inside: bool = False,
        extra_body: Mapping[str, Any] | None = None,
        transport: httpx.BaseTransport | None = None,
        backoff_seconds: float = 0.5,
        max_wait_seconds: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        supports_tools: bool = True,
    ) -> None:
        """Args:
        connect_timeout, read_timeout: seconds to connect, and to wait for each piece.
        max_retries: further attempts after the first on 429, 5xx and connection errors.
        think_starts_inside: the chat template opens ``<think>`` in the prompt (Qwen3-style).
        extra_body: server-specific fields merged into each request.
        transport: an httpx transport to use instead of the network (tests).
        backoff_seconds: the first backoff; it doubles per retry, with jitter.
        max_wait_seconds: longest wait for one retry; a longer Retry-After fails at once.
        supports_tools: offer tools (function calling); a server that refuses them answers
            with :class:`dalin.errors.LLMToolsUnsupported`.
        """
        self.model = model
        self.name = f"openai:{model}"
        self.context_window = context_window or context_window_for(model)
        self.supports_tools = supports_tools
        # DeepSeek's thinking mode refuses (400) a tool-calling turn sent back without its
        # reasoning_content; a server that never sends that field is never sent it either
        self._echo_reasoning = False
        self._think_starts_inside = think_starts_inside
        self._extra_body = dict(extra_body or {})
        self._read_timeout = read_timeout
        self._endpoint = Endpoint(
            base_url,
            api_key=api_key,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            retries=Retries(max_retries, backoff_seconds, max_wait_seconds, sleep),
            transport=transport,
        )
        #: the server's URL as given (credentials included: it is used to connect)
        self.base_url = self._endpoint.base_url
        #: the server's URL without credentials, for messages
        self.public_url = self._endpoint.public_url

    @property
    def max_retries(self) -> int:
        """Further attempts after the first on 429, 5xx and connection errors."""
        return self._endpoint.retries.retries

    def close(self) -> None:
        """Close the connection pool."""
        self._endpoint.close()

    def __enter__(self) -> OpenAICompatible:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def count_tokens(self, text: str) -> int:
        """An estimate (see :mod:`dalin.llm.tokens`): the server's tokenizer is not here."""
        return estimate_tokens(text)

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 1024,
        temperature: float = 0.2,
        tools: Sequence[ToolSpec] = (),
    ) -> Iterator[Event]:
        """Stream the reply to ``messages``, offering ``tools`` for function calling."""
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": [self._wire(m) for m in messages],
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": max_tokens,
            "temperature": temperature,
            **self._extra_body,
        }
        if tools:
            payload["tools"] = [t.as_openai() for t in tools]
        response = self._send_with_retries(payload)
        try:
            reader = _StreamReader(ThinkSplitter(starts_inside=self._think_starts_inside))
            yield from self._read(response, reader)
            self._echo_reasoning = self._echo_reasoning or reader.reasoning_content
            yield reader.usage or self._estimated_usage(messages, reader.generated)
        finally:
            response.close()

    def _wire(self, message: Message) -> dict[str, Any]:
        """One message as the chat API takes it, tool calls and tool results included."""
        wire: dict[str, Any] = {"role": message.role, "content": message.content}
        if message.role == "tool":
            wire["tool_call_id"] = message.tool_call_id
        if message.tool_calls:
            wire["content"] = message.content or None
            wire["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": call.arguments},
                }
                for call in message.tool_calls
            ]
            if message.reasoning and self._echo_reasoning:
                wire["reasoning_content"] = message.reasoning
        return wire

    def list_models(self) -> tuple[str, ...]:
        """The model ids the server lists at ``GET /models`` (empty if it will not say)."""
        try:
            response = self._endpoint.client.get("/models", timeout=5.0)
            data = response.json().get("data", []) if response.status_code == 200 else []
            return tuple(sorted(str(m["id"]) for m in data if isinstance(m, dict) and "id" in m))
        except (httpx.HTTPError, ValueError, AttributeError):
            return ()

    def _send_with_retries(self, payload: dict[str, Any]) -> httpx.Response:
        """An open 200 response, after retrying what may pass; raises an LLMError otherwise."""
        endpoint = self._endpoint
        try:
            reply = endpoint.post("/chat/completions", payload, stream=True)
        except TransportFailure as failure:
            if failure.no_reply:
                raise LLMUnreachable(
                    f"{endpoint.url('chat/completions')} accepted the request but sent no reply"
                    f" within {self._read_timeout:g} s; the server may be busy or still loading"
                    " the model (raise the read timeout for slow local servers)"
                ) from failure.error
            raise _unreachable(endpoint.url("chat/completions"), failure) from failure.error
        if reply.response.status_code == 200:
            return reply.response
        error = error_for_refusal(
            reply.refusal(), url=self.public_url, model=self.model, has_key=endpoint.has_key
        )
        raise self._with_models(error)

    def _with_models(self, error: LLMError) -> LLMError:
        """Fill in the served models on a model-not-found error; one cheap GET."""
        if not isinstance(error, LLMModelNotFound):
            return error
        available = self.list_models()
        if available:
            detail = f"{error.detail}; the server offers: {', '.join(available[:20])}"
        else:
            detail = f"{error.detail}; check the model name and that the base URL ends in /v1"
        return LLMModelNotFound(detail, available=available)

    def _read(self, response: httpx.Response, reader: _StreamReader) -> Iterator[Event]:
        """Events of a 200 response, streamed (SSE) or, if the server ignored ``stream``, whole."""
        if response.headers.get("content-type", "").startswith("application/json"):
            yield from reader.handle(_as_chunk(_json(response.read(), self.public_url)))
            yield from reader.finish(done=True)
            return
        if not is_event_stream(response):
            kind = response.headers.get("content-type", "no content type")
            raise LLMServerError(
                f"{self.public_url} answered with {kind} instead of an event stream; is the "
                "base URL the server's API (usually ending in /v1)?"
            )
        try:
            for data in sse_data(response):
                if data.strip() == "[DONE]":
                    yield from reader.finish(done=True)
                    return
                yield from reader.handle(_json(data.encode(), self.public_url))
        except httpx.ReadTimeout as exc:
            raise LLMUnreachable(
                f"{self.public_url} sent nothing for {self._read_timeout:g} s in the middle of "
                "an answer; the server may be overloaded (raise the read timeout for slow "
                "local models)"
            ) from exc
        except (httpx.TransportError, SSEError) as exc:
            raise LLMServerError(
                f"the connection to {self.public_url} broke off in the middle of an answer "
                f"({type(exc).__name__}: {exc})"
            ) from exc
        yield from reader.finish(done=False, base_url=self.public_url)

    def _estimated_usage(self, messages: Sequence[Message], generated: str) -> Usage:
        prompt = sum(self.count_tokens(m.content) + _MESSAGE_OVERHEAD for m in messages)
        return Usage(
            prompt_tokens=prompt + _MESSAGE_OVERHEAD,
            completion_tokens=self.count_tokens(generated),
            estimated=True,
        )


class _StreamReader:
    """Turns chat-completion chunks into events; assembles tool calls and the usage."""

    def __init__(self, splitter: ThinkSplitter) -> None:
        self._splitter = splitter
        self._tools: dict[int, dict[str, str]] = {}
        self._generated: list[str] = []
        self._finished = False
        self._chunks = 0
        self.usage: Usage | None = None
        #: whether the server named its reasoning ``reasoning_content`` (DeepSeek, vLLM)
        self.reasoning_content = False

    @property
    def generated(self) -> str:
        """All text the model produced: answer, reasoning and tool arguments."""
        tool_text = "".join(t["name"] + t["arguments"] for t in self._tools.values())
        return "".join(self._generated) + tool_text

    def handle(self, chunk: Any) -> list[Event]:
        if not isinstance(chunk, dict):
            raise LLMServerError(f"a stream event is not a JSON object: {str(chunk)[:200]}")
        self._chunks += 1
        if chunk.get("error"):
            raise error_in_stream(chunk["error"])
        if isinstance(chunk.get("usage"), dict):
            self.usage = usage_from(chunk["usage"])
        events: list[Event] = []
        for choice in chunk.get("choices") or []:
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue  # n > 1 is never requested; ignore any other choices
            if choice.get("finish_reason"):
                self._finished = True
            events.extend(self._delta(choice.get("delta") or {}))
        return events

    def _delta(self, delta: dict[str, Any]) -> list[Event]:
        events: list[Event] = []
        # DeepSeek names it reasoning_content; vLLM and Ollama call it reasoning
        reasoning = delta.get("reasoning_content") or delta.get("reasoning")
        if isinstance(delta.get("reasoning_content"), str) and delta["reasoning_content"]:
            self.reasoning_content = True
        if isinstance(reasoning, str) and reasoning:
            self._generated.append(reasoning)
            events.append(ReasoningDelta(reasoning))
        content = delta.get("content")
        if isinstance(content, str) and content:
            self._generated.append(content)
            events.extend(self._splitter.feed(content))
        for position, part in enumerate(delta.get("tool_calls") or []):
            if isinstance(part, dict):
                self._tool_fragment(part, position)
        return events

    def _tool_fragment(self, part: dict[str, Any], position: int) -> None:
        """Add one streamed fragment: the first carries id and name, later ones arguments."""
        index = part.get("index", position)
        call = self._tools.setdefault(index, {"id": "", "name": "", "arguments": ""})
        function = part.get("function") or {}
        call["id"] = part.get("id") or call["id"]
        call["name"] += function.get("name") or ""
        call["arguments"] += function.get("arguments") or ""

    def finish(self, *, done: bool, base_url: str = "") -> list[Event]:
        """The held-back text, then the tool calls; a stream cut short is an error."""
        if not done and not self._chunks:
            raise LLMServerError(
                f"{base_url} closed the stream without sending anything; llama.cpp's server "
                "does this when the prompt exceeds its context window (try fewer passages)"
            )
        if not done and not self._finished:
            raise LLMServerError(
                f"the stream from {base_url} ended before the answer was complete "
                "(no finish_reason and no [DONE]); a proxy may have cut it"
            )
        events: list[Event] = list(self._splitter.finish())
        for index in sorted(self._tools):
            call = self._tools[index]
            events.append(ToolCall(call["id"] or f"call_{index}", call["name"], call["arguments"]))
        return events


def usage_from(data: Mapping[str, Any]) -> Usage:
    """Usage of an OpenAI- or DeepSeek-shaped ``usage`` object."""
    prompt_details = data.get("prompt_tokens_details") or {}
    completion_details = data.get("completion_tokens_details") or {}
    # DeepSeek reports its disk cache as prompt_cache_hit_tokens; OpenAI (and DeepSeek
    # too, lately) as prompt_tokens_details.cached_tokens
    cached = data.get("prompt_cache_hit_tokens")
    if cached is None:
        cached = prompt_details.get("cached_tokens")
    return Usage(
        prompt_tokens=_count(data.get("prompt_tokens")),
        completion_tokens=_count(data.get("completion_tokens")),
        cached_prompt_tokens=_count(cached),
        reasoning_tokens=_count(completion_details.get("reasoning_tokens")),
    )


def _count(value: object) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def _json(raw: bytes, base_url: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError as exc:
        text = raw.decode("utf-8", errors="replace")[:200]
        raise LLMServerError(f"{base_url} sent a stream event that is not JSON: {text!r}") from exc


def _as_chunk(completion: Any) -> Any:
    """A whole (non-streamed) completion in the shape of one streamed chunk."""
    if not isinstance(completion, dict):
        return completion
    choices = []
    for choice in completion.get("choices") or []:
        if isinstance(choice, dict):
            message = dict(choice.get("message") or {})
            calls = message.get("tool_calls") or []
            message["tool_calls"] = [{**c, "index": i} for i, c in enumerate(calls)]
            choices.append({**choice, "delta": message})
    return {**completion, "choices": choices}


def _unreachable(url: str, failure: TransportFailure) -> LLMUnreachable:
    exc = failure.error
    return LLMUnreachable(
        f"could not reach {url}{failure.tried}: {type(exc).__name__}: {exc}. Check that the "
        "server is running and the base URL (host, port, http/https, usually ending in /v1) "
        "is right, and that this machine may connect to it"
    )
