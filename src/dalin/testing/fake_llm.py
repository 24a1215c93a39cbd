"""Scripted stand-ins for an LLM, for tests of what surrounds a model (not of models).

Tests that need a real model use the local backend or a real OpenAI-compatible server
(``dalin.testing.llm_server``, or ``dalin.testing.replay_server`` for recorded DeepSeek
streams); these fakes are for asserting what dalin does with a given model output: which
prompts it sent, which tools it offered, how it checked and presented the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from dalin.llm.base import Event, Message, TextDelta, ToolCall, ToolSpec, Usage

#: one step of a scripted model: its events, or a function of the messages it was sent
Step = Sequence[Event] | Callable[[list[Message]], Sequence[Event]]


class ScriptedLLM:
    """A model that answers every prompt with the same events, and remembers the prompts."""

    name = "fake:scripted"

    def __init__(self, *events: Event, context_window: int = 8192) -> None:
        self.events = events
        self.context_window = context_window
        self.supports_tools = False
        self.calls: list[list[Message]] = []

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 1024,
        temperature: float = 0.2,
        tools: Sequence[ToolSpec] = (),
    ) -> Iterator[Event]:
        if tools:
            raise AssertionError("tools were offered to a model that cannot call them")
        self.calls.append(list(messages))
        return iter(self.events)

    def count_tokens(self, text: str) -> int:
        return len(text) // 2


class ScriptedSteps:
    """A model that can call tools: each call answers with its next step (the last repeats).

    A step is a list of events, or a function of the messages sent, so a test can script a
    model that reads what the tools returned (or what a document told it to do).
    """

    name = "fake:steps"

    def __init__(self, *steps: Step, context_window: int = 8192) -> None:
        self.steps = steps
        self.context_window = context_window
        self.supports_tools = True
        self.calls: list[list[Message]] = []
        #: the tool names offered on each call
        self.offered: list[list[str]] = []

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 1024,
        temperature: float = 0.2,
        tools: Sequence[ToolSpec] = (),
    ) -> Iterator[Event]:
        self.calls.append(list(messages))
        self.offered.append([t.name for t in tools])
        step = self.steps[min(len(self.calls), len(self.steps)) - 1]
        events = step(list(messages)) if callable(step) else step
        return iter([*events, Usage(prompt_tokens=100, completion_tokens=20)])

    def count_tokens(self, text: str) -> int:
        return len(text) // 2


def says(*pieces: str) -> ScriptedLLM:
    """A scripted model whose answer is ``pieces`` streamed as text."""
    return ScriptedLLM(*(TextDelta(p) for p in pieces))


def calls(name: str, arguments: str, call_id: str = "") -> ToolCall:
    """A tool call event, e.g. ``calls("calculator", '{"expression": "17 + 6"}')``."""
    return ToolCall(call_id or f"call_{name}", name, arguments)
