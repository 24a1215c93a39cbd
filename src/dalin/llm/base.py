"""The LLM interface: messages in, a stream of events out.

Every backend (local GGUF, any OpenAI-compatible server) yields the same events, so the
answer layer never knows which model it talks to. Reasoning is its own event type and is
never mixed into the answer text.

Function calling: a model that says it can call tools (an attribute ``supports_tools =
True``, see :func:`offers_tools`) is given :class:`ToolSpec` descriptions and may answer with
:class:`ToolCall` events instead of text; the caller runs the tools and sends the results
back as ``tool`` messages (see :mod:`dalin.tools.agent`). A model that does not say so (the
bundled local model, any older implementation) is never offered any.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    #: the arguments as the model wrote them (JSON text, not validated)
    arguments: str


@dataclass(frozen=True)
class Message:
    role: Role
    content: str
    #: an assistant turn's calls of tools (its ``content`` may then be empty)
    tool_calls: tuple[ToolCall, ...] = ()
    #: for a ``tool`` message: the id of the call it answers
    tool_call_id: str = ""
    #: an assistant turn's reasoning, sent back only where the server requires it (DeepSeek's
    #: thinking mode wants the reasoning of a tool-calling turn in every later request)
    reasoning: str = ""


@dataclass(frozen=True)
class ToolSpec:
    """A tool as a model is told about it: name, what it does, its arguments' JSON schema."""

    name: str
    description: str
    #: a JSON schema (type "object") of the arguments
    parameters: dict[str, Any]

    def as_openai(self) -> dict[str, Any]:
        """The ``tools`` entry of an OpenAI-compatible chat request."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


@dataclass(frozen=True)
class ReasoningDelta:
    """A piece of the model's reasoning (``reasoning_content`` or text inside <think>)."""

    text: str


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer text."""

    text: str


@dataclass(frozen=True)
class Usage:
    """Tokens of one generation, as the backend reported or counted them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    #: prompt tokens served from the provider's cache (DeepSeek: prompt_cache_hit_tokens)
    cached_prompt_tokens: int = 0
    #: completion tokens spent on reasoning, where the provider says so
    reasoning_tokens: int = 0
    #: True when the numbers were estimated rather than reported by the backend
    estimated: bool = False


Event = ReasoningDelta | TextDelta | ToolCall | Usage


@runtime_checkable
class LLM(Protocol):
    """A chat model. ``stream`` yields events; it raises ``dalin.errors.LLMError`` subclasses."""

    #: "backend:model", e.g. "openai:deepseek-reasoner" or "local:gemma-3-270m"
    name: str
    #: the model's context window in tokens
    context_window: int

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 1024,
        temperature: float = 0.2,
        tools: Sequence[ToolSpec] = (),
    ) -> Iterator[Event]:
        """Stream the reply; ``tools`` may be non-empty only when :func:`offers_tools` holds."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` by the model's tokenizer, or an estimate when it has none here."""
        ...


def offers_tools(llm: LLM | None) -> bool:
    """Whether ``llm`` may be offered tools: it says so with ``supports_tools = True``.

    An attribute rather than a Protocol member, so that every LLM written before function
    calling (and every test fake) still is an LLM, and is simply never offered tools.
    """
    return llm is not None and getattr(llm, "supports_tools", False) is True


@dataclass
class Generation:
    """A finished generation: what the events said, with timings."""

    text: str = ""
    reasoning: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    #: seconds from the request to the first answer or reasoning token (None: none came)
    first_token_seconds: float | None = None
    total_seconds: float = 0.0


def collect(events: Iterable[Event], *, started: float | None = None) -> Generation:
    """Drain a stream of events into a Generation, timing the first token and the total."""
    start = time.perf_counter() if started is None else started
    out = Generation()
    text: list[str] = []
    reasoning: list[str] = []
    for event in events:
        if isinstance(event, TextDelta | ReasoningDelta) and event.text:
            if out.first_token_seconds is None:
                out.first_token_seconds = time.perf_counter() - start
            (text if isinstance(event, TextDelta) else reasoning).append(event.text)
        elif isinstance(event, ToolCall):
            out.tool_calls.append(event)
        elif isinstance(event, Usage):
            out.usage = event
    out.text = "".join(text)
    out.reasoning = "".join(reasoning)
    out.total_seconds = time.perf_counter() - start
    return out
