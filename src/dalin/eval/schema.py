"""The data an evaluation reads and writes: question items, per-question results, summaries.

Everything here is plain, JSON-round-trippable data (``to_json`` / ``from_json``), because
results are appended to a JSONL file as they finish (so an interrupted run resumes) and
reports are rendered from the saved JSON, not from live objects.

A question set is JSONL (one object per line) or YAML (a list, or ``{questions: [...]}``)
with these fields (only ``question`` is required)::

    id                 stable id; default: "q" + line number
    question           the question as a user would ask it
    answerable         false when the documents cannot answer it (default: true)
    reference_answer   a short or long reference answer
    answer_contains    facts the answer must contain, e.g. ["15일"] (all must appear)
    expected_sources   file names (or globs, e.g. "*AAPL*") of documents holding the answer
    expected_pages     pages holding the answer, e.g. [5, 6] (with expected_sources)
    expected_label_contains   text the cited label should contain, e.g. "제12조"
    tags               e.g. ["hr", "easy"]; accuracy is reported per tag
    language           "ko" or "en" (default: detected from the question)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Self, TypeVar

_T = TypeVar("_T")

#: how an answer was judged correct
Verdict = str  # "correct" | "incorrect" | "abstained" | "error"
VERDICTS = ("correct", "incorrect", "abstained", "error")


class _Json:
    """JSON round trip for the dataclasses below: ``asdict`` out, tuples restored in."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = asdict(self)  # type: ignore[call-overload]  # subclasses are dataclasses
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        return _from_json(cls, data)


@dataclass(frozen=True)
class QuestionItem(_Json):
    """One question of a set, with what a correct answer must show."""

    id: str
    question: str
    answerable: bool = True
    reference_answer: str = ""
    answer_contains: tuple[str, ...] = ()
    expected_sources: tuple[str, ...] = ()
    expected_pages: tuple[int, ...] = ()
    expected_label_contains: str = ""
    tags: tuple[str, ...] = ()
    language: str = ""


@dataclass(frozen=True)
class QuestionResult(_Json):
    """What one model did with one question, and how it scored."""

    question_id: str
    #: the name of the configuration that answered (e.g. "local", "deepseek:deepseek-chat")
    config: str
    question: str
    answer: str = ""
    method: str = ""
    abstained: bool = False
    #: sources in rank order as "file name" or "file name#p.N" when the hit has a page
    retrieved: tuple[str, ...] = ()
    #: citations as shown: "[n] label"
    citations: tuple[str, ...] = ()
    removed_citations: int = 0
    #: share of the answer's sentences its sources support (None: no model answer checked)
    grounded_rate: float | None = None
    # --- scores (None: not applicable to this question) ---------------------------------
    hit_at_k: float | None = None
    reciprocal_rank: float | None = None
    exact_match: float | None = None
    contains: float | None = None
    char_f1: float | None = None
    #: correct / incorrect / abstained / error, after the judge when one was used
    verdict: Verdict = "incorrect"
    #: the judge's model, prompt and raw reply, when an LLM judge decided the verdict
    judge: dict[str, str] = field(default_factory=dict)
    # --- cost and latency ---------------------------------------------------------------
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0
    completion_tokens: int = 0
    reasoning_tokens: int = 0
    cost_usd: float | None = None
    first_token_seconds: float | None = None
    total_seconds: float = 0.0
    #: "code: detail" when answering failed; the run goes on
    error: str = ""
    tags: tuple[str, ...] = ()
    answerable: bool = True
    #: the model's sentences the checks flagged: {"reason", "action", "sentence", "detail"}
    flags: tuple[dict[str, str], ...] = ()
    #: the model verifier's run: model, verdicts (number, verdict, reason), tokens, error
    verification: dict[str, Any] = field(default_factory=dict)
    verifier_cost_usd: float | None = None
    #: seconds the offline sentence check took
    check_seconds: float = 0.0


@dataclass(frozen=True)
class ConfigSummary(_Json):
    """Aggregates of one configuration over a question set."""

    config: str
    questions: int
    errors: int
    #: share of answerable questions answered correctly
    accuracy: float
    #: share of unanswerable questions where the answer abstained
    abstention_accuracy: float | None
    hit_at_k: float | None
    mrr: float | None
    #: mean grounded-sentence rate over model answers (None: no model answers)
    grounded_rate: float | None
    #: share of answers with no citation removed as invalid
    citation_validity: float | None
    latency_p50: float
    latency_p95: float
    first_token_p50: float | None
    first_token_p95: float | None
    prompt_tokens: int
    completion_tokens: int
    #: USD per 1,000 questions at the configured prices (None: a price is unknown)
    cost_per_1000_usd: float | None
    #: accuracy per tag
    by_tag: dict[str, float] = field(default_factory=dict)
    #: share of model answers whose every sentence its sources support (None: no model
    #: answers) — a stricter figure than the mean grounded-sentence rate
    grounded_answer_rate: float | None = None
    #: flagged model sentences by reason ("contradiction", "number", …)
    flags_by_reason: dict[str, int] = field(default_factory=dict)
    #: USD per 1,000 questions spent on the model verifier (None: unknown or not used)
    verifier_cost_per_1000_usd: float | None = None
    #: the offline check's time per answer, median, in milliseconds
    check_ms_p50: float | None = None


@dataclass(frozen=True)
class RunReport(_Json):
    """A whole run: what was asked of which configurations, and how each did."""

    run_id: str
    question_set: str
    started_at: str
    finished_at: str
    k: int
    summaries: tuple[ConfigSummary, ...]
    results: tuple[QuestionResult, ...]
    #: the judge model, when long answers were judged by one
    judge: str = ""
    #: how the sentence check sorted the grounding check set (``dalin.eval.checkset``),
    #: when the run was asked to measure it
    checks: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        data = dict(data)
        data["summaries"] = tuple(ConfigSummary.from_json(s) for s in data["summaries"])
        data["results"] = tuple(QuestionResult.from_json(r) for r in data["results"])
        return _from_json(cls, data)


def _from_json(cls: type[_T], data: dict[str, Any]) -> _T:
    """Build a dataclass from JSON, turning lists back into tuples and ignoring unknown keys."""
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]  # cls is a dataclass
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
    return cls(**values)
