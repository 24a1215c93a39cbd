"""What the sentence check decides for one sentence over one passage, for the checker tests."""

from __future__ import annotations

from dalin.answer.checker import MeaningChecker
from dalin.answer.support import CheckContext


def verdict(sentence: str, passage: str, question: str = "") -> tuple[bool, str]:
    """Whether ``sentence`` is supported by ``passage`` (asked ``question``), and why not."""
    support = MeaningChecker().check(sentence, [passage], CheckContext(question=question))
    return support.supported, support.reason
