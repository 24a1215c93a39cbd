"""Summaries against hand-computed figures, and the choice of the cheapest good configuration."""

from __future__ import annotations

import dataclasses

import pytest

from dalin.eval.aggregate import cheapest_meeting, summarise, summarise_all
from dalin.eval.schema import ConfigSummary, QuestionResult


def result(qid: str, config: str = "m", **fields: object) -> QuestionResult:
    return QuestionResult(question_id=qid, config=config, question=f"{qid}?", **fields)  # type: ignore[arg-type]


# Five answerable questions and two unanswerable ones, answered by "m":
RESULTS = [
    result(
        "a1",
        verdict="correct",
        tags=("hr", "easy"),
        hit_at_k=1.0,
        reciprocal_rank=1.0,
        grounded_rate=1.0,
        citations=("[1] x",),
        cost_usd=0.002,
        total_seconds=1.0,
        first_token_seconds=0.2,
        prompt_tokens=100,
        completion_tokens=10,
    ),
    result(
        "a2",
        verdict="correct",
        tags=("hr",),
        hit_at_k=1.0,
        reciprocal_rank=0.5,
        grounded_rate=0.5,
        citations=("[1] x", "[2] y"),
        removed_citations=1,
        cost_usd=0.004,
        total_seconds=2.0,
        first_token_seconds=0.4,
        prompt_tokens=200,
        completion_tokens=20,
    ),
    result(
        "a3",
        verdict="incorrect",
        tags=("sales",),
        hit_at_k=0.0,
        reciprocal_rank=0.0,
        grounded_rate=0.0,
        citations=("[1] x",),
        cost_usd=0.000,
        total_seconds=3.0,
        prompt_tokens=300,
        completion_tokens=30,
    ),
    result(
        "a4",
        verdict="abstained",
        tags=("sales", "easy"),
        abstained=True,
        hit_at_k=1.0,
        reciprocal_rank=1 / 3,
        cost_usd=0.002,
        total_seconds=4.0,
    ),
    # an error: counts as wrong, has no latency, no cost
    result("a5", verdict="error", error="llm_unreachable: down", tags=("hr",), total_seconds=99.0),
    result(
        "u1", answerable=False, abstained=True, verdict="correct", cost_usd=0.0, total_seconds=5.0
    ),
    result(
        "u2",
        answerable=False,
        verdict="incorrect",
        citations=("[1] z",),
        cost_usd=0.0,
        total_seconds=6.0,
    ),
    # another configuration's result is not counted
    result("a1", config="other", verdict="incorrect", total_seconds=50.0),
]


def test_summary_figures_match_a_hand_computation() -> None:
    s = summarise(RESULTS, "m")
    assert (s.config, s.questions, s.errors) == ("m", 7, 1)
    assert s.accuracy == pytest.approx(2 / 5)  # a1, a2 of a1..a5 (the error counts as wrong)
    assert s.abstention_accuracy == pytest.approx(1 / 2)  # u1 of u1, u2
    assert s.hit_at_k == pytest.approx(3 / 4)  # a1..a4 have one
    assert s.mrr == pytest.approx((1 + 0.5 + 0 + 1 / 3) / 4)
    assert s.grounded_rate == pytest.approx((1 + 0.5 + 0) / 3)
    assert s.citation_validity == pytest.approx(3 / 4)  # a1, a3, u2 clean; a2 lost one
    # latencies 1..6 s without the error's 99 s: p50 = 3.5, p95 = 5 + 0.75 = 5.75
    assert s.latency_p50 == pytest.approx(3.5)
    assert s.latency_p95 == pytest.approx(5.75)
    assert s.first_token_p50 == pytest.approx(0.3)
    assert s.first_token_p95 == pytest.approx(0.39)
    assert (s.prompt_tokens, s.completion_tokens) == (600, 60)
    assert s.cost_per_1000_usd == pytest.approx(1000 * 0.008 / 6)  # six answered questions
    assert s.by_tag == pytest.approx({"hr": 2 / 3, "easy": 1 / 2, "sales": 0.0})


def test_an_unknown_price_makes_the_cost_unknown() -> None:
    rows = [*RESULTS, result("a6", verdict="correct", cost_usd=None)]
    assert summarise(rows, "m").cost_per_1000_usd is None


def test_an_error_without_a_price_does_not_hide_the_cost() -> None:
    rows = [result("a1", verdict="correct", cost_usd=0.001), result("a2", error="x: y")]
    assert summarise(rows, "m").cost_per_1000_usd == pytest.approx(1.0)


def test_measures_that_never_apply_are_none() -> None:
    s = summarise([result("a1", verdict="correct", total_seconds=1.0)], "m")
    assert s.abstention_accuracy is None and s.hit_at_k is None and s.mrr is None
    assert s.grounded_rate is None and s.citation_validity is None
    assert s.first_token_p50 is None and s.first_token_p95 is None
    assert s.accuracy == 1.0 and s.latency_p50 == s.latency_p95 == 1.0


def test_an_empty_or_all_failed_configuration_has_zero_figures() -> None:
    s = summarise([result("a1", error="llm_auth: refused", verdict="error")], "m")
    assert (s.questions, s.errors, s.accuracy, s.latency_p50) == (1, 1, 0.0, 0.0)
    assert s.cost_per_1000_usd is None
    assert summarise([], "m").questions == 0


def test_summarise_all_keeps_the_order_of_the_configurations() -> None:
    assert [s.config for s in summarise_all(RESULTS, ["other", "m"])] == ["other", "m"]


def summary(config: str, accuracy: float, cost: float | None) -> ConfigSummary:
    base = summarise([], config)
    return dataclasses.replace(base, accuracy=accuracy, cost_per_1000_usd=cost)


def test_cheapest_meeting_picks_the_lowest_cost_above_the_bar() -> None:
    summaries = [
        summary("big", 0.95, 5.0),
        summary("mid", 0.85, 1.0),
        summary("tiny", 0.60, 0.1),  # cheapest, but not good enough
        summary("mystery", 0.99, None),  # unknown cost never wins
    ]
    assert cheapest_meeting(summaries, 0.8) == summaries[1]
    assert cheapest_meeting(summaries, 0.9) == summaries[0]
    assert cheapest_meeting(summaries, 0.99) is None
    assert cheapest_meeting(summaries, 0.85) == summaries[1]  # the bar is inclusive


def test_cheapest_meeting_breaks_ties_by_accuracy_then_name() -> None:
    a, b, c = summary("b", 0.9, 0.0), summary("a", 0.9, 0.0), summary("c", 0.95, 0.0)
    assert cheapest_meeting([a, b, c], 0.8) == c
    assert cheapest_meeting([a, b], 0.8) == b


def test_grounded_answers_flags_and_verifier_cost() -> None:
    rows = [
        result("g1", verdict="correct", grounded_rate=1.0, check_seconds=0.010, cost_usd=0.001,
               verification={"model": "v"}, verifier_cost_usd=0.0002),
        result("g2", verdict="correct", grounded_rate=0.5, check_seconds=0.030, cost_usd=0.001,
               flags=({"reason": "number", "action": "replaced"},),
               verification={"model": "v"}, verifier_cost_usd=0.0004),
        result("g3", verdict="abstained", abstained=True, cost_usd=0.001),
        result("g4", verdict="correct", grounded_rate=0.0, check_seconds=0.020, cost_usd=0.001,
               flags=({"reason": "number"}, {"reason": "contradiction"})),
    ]  # fmt: skip
    summary = summarise(rows, "m")
    assert summary.grounded_answer_rate == pytest.approx(1 / 3)  # of the 3 model answers
    assert summary.flags_by_reason == {"number": 2, "contradiction": 1}
    # 0.0006 over the 4 answered questions, per 1,000
    assert summary.verifier_cost_per_1000_usd == pytest.approx(0.15)
    assert summary.check_ms_p50 == pytest.approx(20.0)
    unpriced = [*rows, result("g5", verdict="correct", verification={"model": "v"})]
    assert summarise(unpriced, "m").verifier_cost_per_1000_usd is None
    assert summarise(RESULTS, "m").verifier_cost_per_1000_usd is None  # never verified
