"""The regression gate: does a run hold up against an earlier one (and an absolute floor)?

Used in CI: ``dalin eval run SET --baseline previous.json`` exits non-zero when a
configuration got worse. Drops are absolute differences of shares (0.02 = two percentage
points), because the question sets are small and a relative change of a small share says
little.
"""

from __future__ import annotations

from dataclasses import dataclass

from dalin.eval.schema import ConfigSummary, RunReport

#: the metrics a configuration must not lose, as (summary field, label)
GUARDED = (("accuracy", "accuracy"), ("grounded_rate", "grounded"), ("hit_at_k", "hit@k"))
# Shares are means of a few dozen floats; without slack 0.85 - 0.83 would exceed 0.02.
_SLACK = 1e-9


@dataclass(frozen=True)
class GateResult:
    """Whether the gate passed, and one line per finding (FAIL lines say why)."""

    passed: bool
    lines: list[str]


def compare(
    current: RunReport,
    baseline: RunReport | None,
    *,
    tolerance: float,
    fail_under: float | None,
) -> GateResult:
    """Check ``current`` against ``baseline`` (None: the floor alone).

    A configuration in both fails when a guarded metric drops by more than ``tolerance``.
    Every configuration of ``current`` fails when its accuracy is below ``fail_under``: a
    floor needs no baseline. A configuration on one side only is reported, not failed.
    """
    before = {s.config: s for s in baseline.summaries} if baseline else {}
    lines: list[str] = []
    passed = True
    for summary in current.summaries:
        old = before.get(summary.config)
        if baseline is not None and old is None:
            lines.append(f"new  {summary.config}: not in the baseline, not compared")
        failures = _drops(summary, old, tolerance) if old else []
        failures += _below_floor(summary, fail_under)
        passed = passed and not failures
        if old or fail_under is not None:
            lines.append(f"{'FAIL' if failures else 'ok':<4} {_status(summary, old)}")
        lines.extend(f"     ✗ {failure}" for failure in failures)
    now = {s.config for s in current.summaries}
    lines.extend(
        f"gone {config}: in the baseline only, not compared"
        for config in before
        if config not in now
    )
    return GateResult(passed=passed, lines=lines)


def _drops(current: ConfigSummary, baseline: ConfigSummary, tolerance: float) -> list[str]:
    failures = []
    for name, label in GUARDED:
        new, old = getattr(current, name), getattr(baseline, name)
        if new is None or old is None:  # not measured on one side: nothing to compare
            continue
        if old - new > tolerance + _SLACK:
            failures.append(
                f"{label} fell {old:.3f} → {new:.3f} ({new - old:+.3f}; tolerance {tolerance:.3f})"
            )
    return failures


def _below_floor(summary: ConfigSummary, fail_under: float | None) -> list[str]:
    if fail_under is None or summary.accuracy >= fail_under - _SLACK:
        return []
    return [f"accuracy {summary.accuracy:.3f} is below the floor {fail_under:.3f}"]


def _status(summary: ConfigSummary, baseline: ConfigSummary | None) -> str:
    """``config: accuracy 0.800 → 0.850 (+0.050) · …`` for each metric either side has."""
    parts = []
    for name, label in GUARDED:
        new = getattr(summary, name)
        old = getattr(baseline, name) if baseline else None
        if new is None:
            continue
        if old is None:
            parts.append(f"{label} {new:.3f}")
        else:
            parts.append(f"{label} {old:.3f} → {new:.3f} ({new - old:+.3f})")
    return f"{summary.config}: " + " · ".join(parts)
