"""The regression gate against hand-made baselines."""

from __future__ import annotations

import dataclasses

from dalin.eval.aggregate import summarise
from dalin.eval.gate import compare
from dalin.eval.schema import ConfigSummary, RunReport


def summary(
    config: str, accuracy: float, grounded: float | None = None, hit: float | None = None
) -> ConfigSummary:
    return dataclasses.replace(
        summarise([], config), accuracy=accuracy, grounded_rate=grounded, hit_at_k=hit
    )


def report(*summaries: ConfigSummary) -> RunReport:
    return RunReport(
        run_id="r", question_set="s", started_at="", finished_at="", k=8,
        summaries=summaries, results=(),
    )  # fmt: skip


def test_an_unchanged_run_passes() -> None:
    run = report(summary("m", 0.8, 0.9, 1.0))
    result = compare(run, run, tolerance=0.02, fail_under=None)
    assert result.passed
    assert result.lines == ["ok   m: accuracy 0.800 → 0.800 (+0.000) · grounded 0.900 → 0.900"
                            " (+0.000) · hit@k 1.000 → 1.000 (+0.000)"]  # fmt: skip


def test_a_drop_within_the_tolerance_passes_and_just_beyond_fails() -> None:
    baseline = report(summary("m", 0.85))
    assert compare(report(summary("m", 0.83)), baseline, tolerance=0.02, fail_under=None).passed
    result = compare(report(summary("m", 0.82)), baseline, tolerance=0.02, fail_under=None)
    assert not result.passed
    assert "✗ accuracy fell 0.850 → 0.820 (-0.030; tolerance 0.020)" in "\n".join(result.lines)


def test_each_guarded_metric_can_fail_the_gate() -> None:
    baseline = report(summary("m", 0.8, grounded=0.9, hit=0.9))
    grounded = compare(
        report(summary("m", 0.8, 0.5, 0.9)), baseline, tolerance=0.0, fail_under=None
    )
    hit = compare(report(summary("m", 0.8, 0.9, 0.5)), baseline, tolerance=0.0, fail_under=None)
    assert not grounded.passed and any("grounded fell" in line for line in grounded.lines)
    assert not hit.passed and any("hit@k fell" in line for line in hit.lines)
    better = compare(report(summary("m", 1.0, 1.0, 1.0)), baseline, tolerance=0.0, fail_under=None)
    assert better.passed


def test_a_metric_missing_on_one_side_is_not_compared() -> None:
    baseline = report(summary("m", 0.8, grounded=0.9))
    assert compare(report(summary("m", 0.8)), baseline, tolerance=0.0, fail_under=None).passed


def test_the_floor_fails_a_configuration_even_without_a_baseline() -> None:
    low = report(summary("m", 0.7), summary("n", 0.9))
    result = compare(low, None, tolerance=0.02, fail_under=0.8)
    assert not result.passed
    assert result.lines == [
        "FAIL m: accuracy 0.700",
        "     ✗ accuracy 0.700 is below the floor 0.800",
        "ok   n: accuracy 0.900",
    ]
    assert compare(low, None, tolerance=0.02, fail_under=0.7).passed  # the floor is inclusive


def test_configurations_on_one_side_only_are_reported_not_failed() -> None:
    baseline = report(summary("old", 0.9), summary("both", 0.8))
    current = report(summary("both", 0.8), summary("new", 0.1))
    result = compare(current, baseline, tolerance=0.02, fail_under=None)
    assert result.passed
    assert "new  new: not in the baseline, not compared" in result.lines
    assert "gone old: in the baseline only, not compared" in result.lines
