"""What a support check says about one sentence, and the interface every checker implements.

A :class:`SupportChecker` judges whether some passages state what a sentence says and, when
they do not, why (:data:`REASONS`): the reason is shown to the user with the sentence, in
their language (``⚠ 근거와 반대되는 표현``), so that a flagged sentence is never mistaken for
a cited one.

:class:`CheckContext` carries what else may support a sentence without being in its
passages: the question (a number the user gave, "2박 3일", is not invented by the model),
the answer's previous sentence, and values computed by a tool from cited cells
(:class:`ComputedValue`), which count as support for the same number in the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

#: why a sentence is not supported; "" when it is
Reason = Literal[
    "",
    "contradiction",
    "number",
    "arithmetic",
    "entity",
    "scope",
    "condition",
    "unsupported",
    "verifier",
]

#: what the user reads beside a flagged sentence, by reason and language
REASONS: dict[str, dict[str, str]] = {
    "contradiction": {"ko": "근거와 반대되는 표현", "en": "contradicts its source"},
    "number": {"ko": "숫자가 근거와 다름", "en": "a number differs from its source"},
    "arithmetic": {"ko": "계산이 맞지 않음", "en": "the calculation is wrong"},
    "entity": {"ko": "다른 대상의 내용과 섞임", "en": "mixes up who or what its source is about"},
    "scope": {"ko": "근거보다 넓거나 좁게 말함", "en": "says more or less than its source"},
    "condition": {"ko": "근거의 조건이 빠짐", "en": "leaves out a condition of its source"},
    "unsupported": {"ko": "근거 없음", "en": "not supported by the sources"},
    "verifier": {
        "ko": "검증 모델이 근거와 다르다고 판단",
        "en": "the verifier model found it unsupported",
    },
}
#: reasons that mean "the source says otherwise" (a passage was found and disagrees), as
#: opposed to "no passage says it": such a sentence is replaced by its source's words
CONFLICTS = frozenset({"contradiction", "number", "arithmetic", "entity", "scope", "condition"})


def reason_text(reason: str, language: str) -> str:
    """ "⚠ 근거와 반대되는 표현" for ("contradiction", "ko"); "" for no reason."""
    if not reason:
        return ""
    words = REASONS.get(reason, REASONS["unsupported"])
    return f"⚠ {words.get(language, words['en'])}"


@dataclass(frozen=True)
class ComputedValue:
    """A number computed outside the answer text (a tool call over cited table cells)."""

    value: Decimal
    #: the unit written after it, e.g. "원" ("" when none)
    unit: str = ""
    #: how it was computed, for display ("sum(B2:B9)")
    expression: str = ""
    #: the numbers it was computed from: it supports a sentence only when every one of them
    #: stands in the passages the sentence cites (:func:`dalin.tools.evidence.usable`);
    #: a value with none (an aggregate whose rows are unknown) supports nothing
    operands: tuple[Decimal, ...] = ()


@dataclass(frozen=True)
class CheckContext:
    """What may support a sentence besides its passages."""

    question: str = ""
    #: the answer's sentence before this one (its numbers may be this one's operands)
    before: str = ""
    computed: tuple[ComputedValue, ...] = ()


@dataclass(frozen=True)
class Support:
    """How well some passages back one sentence: a score in [0, 1], the verdict and why."""

    score: float
    supported: bool
    reason: Reason = ""
    #: what was found, for people: "30일 ↔ 7일", "30,000 × 3 + 100,000 × 2 = 290,000"
    detail: str = ""
    #: the source sentence that the check compared the sentence with ("" when none)
    evidence: str = ""
    #: index into the passages of the one holding ``evidence`` (-1 when none), and where in
    #: that passage string the statement is
    passage: int = -1
    span: tuple[int, int] = (0, 0)


class SupportChecker(Protocol):
    """Judges whether ``passages`` state what ``sentence`` says."""

    def check(
        self, sentence: str, passages: Sequence[str], context: CheckContext = ...
    ) -> Support: ...
