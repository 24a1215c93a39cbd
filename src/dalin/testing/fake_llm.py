"""A scripted stand-in for an LLM, for tests of what surrounds a model (not of models).

Tests that need a real model use the local backend or a real OpenAI-compatible server
(``dalin.testing.llm_server``); this fake is for asserting what dalin does with a given
model output: which prompts it sent, how it checked and presented the answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dalin.llm.base import Event, Message, TextDelta


class ScriptedLLM:
    """A model that answers every prompt with the same events, and remembers the prompts."""

    name = "fake:scripted"

    def __init__(self, *events: Event, context_window: int = 8192) -> None:
        self.events = events
        self.context_window = context_window
        self.calls: list[list[Message]] = []

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int = 1024, temperature: float = 0.2
    ) -> Iterator[Event]:
        self.calls.append(list(messages))
        return iter(self.events)

    def count_tokens(self, text: str) -> int:
        return len(text) // 2


def says(*pieces: str) -> ScriptedLLM:
    """A scripted model whose answer is ``pieces`` streamed as text."""
    return ScriptedLLM(*(TextDelta(p) for p in pieces))
