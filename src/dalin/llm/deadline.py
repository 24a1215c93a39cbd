"""A time limit on a whole answer, not just on each read.

An HTTP client's read timeout bounds the silence between two pieces of a reply; a server
that sends a token every few seconds can still hold an answer, and the thread waiting for
it, for as long as it likes. ``dalin serve`` wraps its models in :class:`WithDeadline`, so
no answer holds a thread longer than the server allows (issue 15 item 2).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

from dalin.errors import LLMUnreachable
from dalin.llm.base import LLM, Event, Message, offers_tools


class WithDeadline:
    """``llm``, but a reply that is not complete within ``seconds`` fails as unreachable
    (a passing failure: the answer falls back to quoting the documents)."""

    def __init__(self, llm: LLM, seconds: float) -> None:
        self.llm = llm
        self.seconds = seconds
        self.name = llm.name
        self.context_window = llm.context_window
        # what the model can do shows through: a model that calls tools is offered them
        self.supports_tools = offers_tools(llm)
        # and so does where it runs: the model verifier is on by default only for a model
        # away from this machine (``dalin.answer.verifier.verifier_enabled``)
        self.base_url = str(getattr(llm, "base_url", ""))

    def count_tokens(self, text: str) -> int:
        return self.llm.count_tokens(text)

    def stream(self, messages: Sequence[Message], **options: Any) -> Iterator[Event]:
        end = time.monotonic() + self.seconds
        events = self.llm.stream(messages, **options)
        try:
            for event in events:
                if time.monotonic() > end:
                    raise LLMUnreachable(
                        f"{self.name} did not finish its answer within {self.seconds:g} s"
                    )
                yield event
        finally:
            close = getattr(events, "close", None)
            if callable(close):
                close()  # ends the HTTP stream at once

    def close(self) -> None:
        close = getattr(self.llm, "close", None)
        if callable(close):
            close()
