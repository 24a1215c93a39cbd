"""Split ``<think>…</think>`` out of streamed answer text.

Reasoning models served by plain servers (DeepSeek-R1 distills, Qwen3 on llama.cpp or
Ollama without a reasoning parser) write their reasoning into the answer, wrapped in
``<think>`` tags. :class:`ThinkSplitter` turns such text, fed in arbitrary pieces, into
ReasoningDelta and TextDelta events, so the answer layer never shows reasoning as answer.

The rules, which :func:`split_think` states for a whole text at once:

- a think block is recognised only at the start of the output (after whitespace), where
  models put it; ``<think>`` later in an answer (say, one about HTML) is answer text;
- whitespace right after ``<think>`` and right after ``</think>`` is dropped;
- a block that never closes is all reasoning (the model ran out of tokens while thinking);
- ``starts_inside=True`` is for chat templates that open the block in the prompt, so the
  output holds only ``…</think>answer``.
"""

from __future__ import annotations

from enum import Enum

from dalin.llm.base import ReasoningDelta, TextDelta

OPEN = "<think>"
CLOSE = "</think>"


class _State(Enum):
    START = "start"  # nothing but whitespace seen yet: a think block may still open
    THINKING = "thinking"
    ANSWER = "answer"


class ThinkSplitter:
    """Feed answer-text pieces in order; get reasoning and answer deltas back."""

    def __init__(self, *, starts_inside: bool = False) -> None:
        self._state = _State.THINKING if starts_inside else _State.START
        # text held back because it may be the start of a tag, or leading whitespace
        self._pending = ""
        self._skip_space = starts_inside

    def feed(self, text: str) -> list[ReasoningDelta | TextDelta]:
        """Events for ``text``; a possible partial tag at its end is held until the next piece."""
        self._pending += text
        out: list[ReasoningDelta | TextDelta] = []
        while self._pending:
            before = (self._state, len(self._pending))
            out.extend(self._step())
            if (self._state, len(self._pending)) == before:
                break  # waiting for more text
        return out

    def finish(self) -> list[ReasoningDelta | TextDelta]:
        """Events for whatever was held back, at the end of the stream."""
        rest, self._pending = self._pending, ""
        if not rest or (self._skip_space and not rest.strip()):
            return []
        if self._state is _State.THINKING:
            return [ReasoningDelta(rest.lstrip() if self._skip_space else rest)]
        if self._state is _State.ANSWER and self._skip_space:
            rest = rest.lstrip()
        return [TextDelta(rest)] if rest else []

    def _step(self) -> list[ReasoningDelta | TextDelta]:
        if self._state is _State.START:
            return self._step_start()
        if self._skip_space:
            self._pending = self._pending.lstrip()
            if not self._pending:
                return []
            self._skip_space = False
        if self._state is _State.THINKING:
            return self._step_thinking()
        text, self._pending = self._pending, ""
        return [TextDelta(text)]

    def _step_start(self) -> list[ReasoningDelta | TextDelta]:
        head = self._pending.lstrip()
        if head.startswith(OPEN):
            self._pending = head[len(OPEN) :]
            self._state, self._skip_space = _State.THINKING, True
            return []
        if OPEN.startswith(head):
            return []  # only whitespace and a prefix of <think> so far
        self._state = _State.ANSWER
        text, self._pending = self._pending, ""
        return [TextDelta(text)]

    def _step_thinking(self) -> list[ReasoningDelta | TextDelta]:
        at = self._pending.find(CLOSE)
        if at >= 0:
            reasoning = self._pending[:at]
            self._pending = self._pending[at + len(CLOSE) :]
            self._state, self._skip_space = _State.ANSWER, True
            return [ReasoningDelta(reasoning)] if reasoning else []
        keep = _partial_suffix(self._pending, CLOSE)
        ready = self._pending[: len(self._pending) - keep]
        self._pending = self._pending[len(ready) :]
        return [ReasoningDelta(ready)] if ready else []


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest end of ``text`` that is a proper prefix of ``tag``."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0


def split_think(text: str, *, starts_inside: bool = False) -> tuple[str, str]:
    """(reasoning, answer) of a whole output, by the same rules as :class:`ThinkSplitter`."""
    if not starts_inside:
        head = text.lstrip()
        if not head.startswith(OPEN):
            return "", text
        text = head[len(OPEN) :]
    reasoning, closed, answer = text.partition(CLOSE)
    return reasoning.lstrip(), answer.lstrip() if closed else ""
