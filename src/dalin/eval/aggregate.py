"""Per-configuration summaries of question results, and the cheapest configuration that is
good enough.

Every figure is a plain mean or share over the questions it applies to, so a reader can
recompute it from ``results.jsonl``:

* accuracy counts answerable questions only; an error counts as a wrong answer, because a
  model that fails to answer has not answered;
* abstention accuracy counts unanswerable questions only: abstaining is the right answer;
* hit@k, MRR and grounded rate average over the questions where they are defined
  (a result holds None where a score does not apply);
* latency leaves out errors, whose time measures a failure, not an answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from dalin.eval.metrics import percentile
from dalin.eval.schema import ConfigSummary, QuestionResult


def summarise(results: Sequence[QuestionResult], config: str) -> ConfigSummary:
    """Aggregate the results of ``config`` (results of other configurations are ignored)."""
    rows = [r for r in results if r.config == config]
    answered = [r for r in rows if not _failed(r)]
    latencies = [r.total_seconds for r in answered]
    first_tokens = [r.first_token_seconds for r in answered if r.first_token_seconds is not None]
    return ConfigSummary(
        config=config,
        questions=len(rows),
        errors=len(rows) - len(answered),
        accuracy=_accuracy(rows),
        abstention_accuracy=_abstention_accuracy(rows),
        hit_at_k=_mean(r.hit_at_k for r in rows),
        mrr=_mean(r.reciprocal_rank for r in rows),
        grounded_rate=_mean(r.grounded_rate for r in rows),
        citation_validity=_citation_validity(rows),
        latency_p50=percentile(latencies, 50) if latencies else 0.0,
        latency_p95=percentile(latencies, 95) if latencies else 0.0,
        first_token_p50=percentile(first_tokens, 50) if first_tokens else None,
        first_token_p95=percentile(first_tokens, 95) if first_tokens else None,
        prompt_tokens=sum(r.prompt_tokens for r in rows),
        completion_tokens=sum(r.completion_tokens for r in rows),
        cost_per_1000_usd=_cost_per_1000(answered),
        by_tag=_accuracy_by_tag(rows),
        grounded_answer_rate=_share(r.grounded_rate == 1.0 for r in rows if _model_answer(r)),
        flags_by_reason=dict(Counter(f.get("reason", "") for r in rows for f in r.flags)),
        verifier_cost_per_1000_usd=_verifier_cost_per_1000(answered),
        check_ms_p50=percentile(checks, 50) if (checks := [
            r.check_seconds * 1000 for r in answered if _model_answer(r)
        ]) else None,
    )  # fmt: skip


def summarise_all(
    results: Sequence[QuestionResult], configs: Sequence[str]
) -> tuple[ConfigSummary, ...]:
    """One summary per configuration, in the order given."""
    return tuple(summarise(results, config) for config in configs)


def cheapest_meeting(summaries: Sequence[ConfigSummary], bar: float) -> ConfigSummary | None:
    """The lowest-cost configuration with accuracy ≥ ``bar`` (None: none meets it).

    A configuration whose cost is unknown never wins: "cheapest" cannot be claimed for a
    price nobody knows. Ties go to the more accurate, then to the name, so the choice is
    stable across runs.
    """
    good = [s for s in summaries if s.accuracy >= bar and s.cost_per_1000_usd is not None]
    if not good:
        return None
    return min(good, key=lambda s: (s.cost_per_1000_usd, -s.accuracy, s.config))


def _model_answer(result: QuestionResult) -> bool:
    """A model's answer that was checked (not an abstention, fallback or error)."""
    return result.grounded_rate is not None and not result.abstained and not _failed(result)


def _verifier_cost_per_1000(answered: Sequence[QuestionResult]) -> float | None:
    """Mean verifier cost of an answered question × 1,000; None when none was verified or a
    price is unknown."""
    verified = [r for r in answered if r.verification]
    if not verified or any(r.verifier_cost_usd is None for r in verified):
        return None
    return 1000 * sum(r.verifier_cost_usd or 0.0 for r in verified) / len(answered)


def _failed(result: QuestionResult) -> bool:
    return bool(result.error) or result.verdict == "error"


def _accuracy(rows: Sequence[QuestionResult]) -> float:
    """Share of answerable questions judged correct (0.0 when the set has none)."""
    share = _share(r.verdict == "correct" for r in rows if r.answerable)
    return 0.0 if share is None else share


def _abstention_accuracy(rows: Sequence[QuestionResult]) -> float | None:
    unanswerable = [r for r in rows if not r.answerable]
    return _share(r.abstained and not _failed(r) for r in unanswerable)


def _citation_validity(rows: Sequence[QuestionResult]) -> float | None:
    """Share of citing answers with no citation removed as naming no given source."""
    citing = [r for r in rows if r.citations or r.removed_citations]
    return _share(r.removed_citations == 0 for r in citing)


def _cost_per_1000(answered: Sequence[QuestionResult]) -> float | None:
    """Mean cost of an answered question × 1,000; None when any price is unknown."""
    costs = [r.cost_usd for r in answered]
    if not costs or any(c is None for c in costs):
        return None
    return 1000 * sum(c for c in costs if c is not None) / len(costs)


def _accuracy_by_tag(rows: Sequence[QuestionResult]) -> dict[str, float]:
    """Accuracy over the answerable questions of each tag, tags in first-seen order."""
    tags = dict.fromkeys(t for r in rows if r.answerable for t in r.tags)
    return {tag: _accuracy([r for r in rows if tag in r.tags]) for tag in tags}


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _share(flags: Iterable[bool]) -> float | None:
    seen = list(flags)
    return sum(seen) / len(seen) if seen else None
