"""The grounding check set: labelled answer sentences and the passages they cite, and how
well a sentence check sorts them.

The set (``examples/grounding``, described in its README) holds faithful sentences
(``paraphrase``, ``units``, ``computed``) and unfaithful ones by type (``number``,
``negation``, ``scope``, ``entity``, ``condition``, ``invented``, ``arithmetic``), split
into ``dev`` and ``heldout`` before the checker was written (and ``heldout2`` …
``heldout5``, each written later before any further tuning; see the set's README).
:func:`run_checks` checks every sentence against its passages as an answer would be
(``check_answer`` with the question) and :func:`score_checks` reports, per type, how many
were accepted or caught and how precise each flag reason is.

Per type: for an unfaithful type, *recall* is the share of its sentences flagged (for any
reason) and *precision* the share of sentences flagged with that type's reason that are
unfaithful; for a faithful type, the share accepted. A reason maps to a type as
contradiction → negation, number → number, arithmetic → arithmetic, entity → entity,
scope → scope, condition → condition, unsupported → invented (the verifier's flags count
towards recall only).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from dalin.answer.grounding import check_answer
from dalin.answer.support import SupportChecker
from dalin.answer.verifier import Claim, ModelVerifier
from dalin.errors import EvalError
from dalin.eval.metrics import percentile

FAITHFUL_TYPES = ("paraphrase", "units", "computed")
UNFAITHFUL_TYPES = ("number", "negation", "scope", "entity", "condition", "invented", "arithmetic")
SPLITS = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "all")
#: the flag reason each unfaithful type is expected to get
REASON_TYPE = {
    "contradiction": "negation",
    "number": "number",
    "arithmetic": "arithmetic",
    "entity": "entity",
    "scope": "scope",
    "condition": "condition",
    "unsupported": "invented",
}


@dataclass(frozen=True)
class CheckItem:
    """One labelled sentence with the passages it cites (as dalin gives them: label, text)."""

    id: str
    split: str
    label: str
    type: str
    sentence: str
    passages: tuple[str, ...]
    question: str = ""


@dataclass(frozen=True)
class CheckOutcome:
    id: str
    type: str
    label: str
    flagged: bool
    reason: str = ""
    detail: str = ""
    seconds: float = 0.0
    verifier: str = ""


@dataclass(frozen=True)
class TypeScore:
    type: str
    label: str
    items: int
    #: accepted (faithful types) or caught (unfaithful types)
    right: int
    rate: float
    #: unfaithful types: precision of the flags whose reason maps to this type
    precision: float | None = None
    flagged_as: int = 0


@dataclass(frozen=True)
class CheckReport:
    """How a checker sorted one split of the check set."""

    split: str
    checker: str
    items: int
    faithful_accepted: float
    unfaithful_caught: float
    flag_precision: float | None
    per_type: tuple[TypeScore, ...]
    check_ms_p50: float
    check_ms_p95: float
    outcomes: tuple[CheckOutcome, ...] = ()
    verifier: str = ""
    verifier_prompt_tokens: int = 0
    verifier_completion_tokens: int = 0
    verifier_cost_usd: float | None = None
    verifier_ms_p50: float | None = None
    errors: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def load_check_set(folder: str | Path, split: str = "all") -> list[CheckItem]:
    """The items of ``split`` (``dev``, ``heldout`` … ``heldout5`` or ``all``) from
    ``checks.jsonl`` and ``passages.jsonl`` in ``folder``; EvalError names the file
    and line of a problem."""
    if split not in SPLITS:
        raise EvalError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    root = Path(folder)
    passages = {
        row["id"]: f"{row['label']}\n{row['text']}" for row in _rows(root / "passages.jsonl")
    }
    items = []
    for number, row in enumerate(_rows(root / "checks.jsonl"), start=1):
        missing = [p for p in row.get("passages", []) if p not in passages]
        if missing or row.get("type") not in (*FAITHFUL_TYPES, *UNFAITHFUL_TYPES):
            raise EvalError(
                f"{root / 'checks.jsonl'}, line {number}: unknown passage(s) {missing}"
                f" or type {row.get('type')!r}"
            )
        if split == "all" or row["split"] == split:
            items.append(
                CheckItem(
                    row["id"],
                    row["split"],
                    row["label"],
                    row["type"],
                    row["sentence"],
                    tuple(passages[p] for p in row["passages"]),
                    row.get("question", ""),
                )
            )
    return items


def _rows(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalError(f"{path}: cannot read the check set ({exc})") from exc
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise EvalError(f"{path}, line {number}: not valid JSON ({exc.msg})") from exc
    return rows


def run_checks(
    items: Sequence[CheckItem],
    checker: SupportChecker | None = None,
    *,
    verifier: ModelVerifier | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[CheckOutcome], list[Any]]:
    """Check each item as the answer path does; returns outcomes and the verifier's runs."""
    outcomes: list[CheckOutcome] = []
    runs: list[Any] = []
    for n, item in enumerate(items, start=1):
        sources = dict(enumerate(item.passages, start=1))
        cited = "".join(f"[{k}]" for k in sources)
        started = time.perf_counter()
        checked = check_answer(f"{item.sentence} {cited}", sources, checker, question=item.question)
        seconds = time.perf_counter() - started
        flagged = [s for s in checked.sentences if not s.supported]
        reason = flagged[0].reason if flagged else ""
        detail = flagged[0].detail if flagged else ""
        note = ""
        if verifier is not None:
            claims = [Claim(s.text, s.citations) for s in checked.sentences]
            run = verifier.verify(claims, sources, "ko")
            runs.append(run)
            bad = [v for v in run.verdicts if v.verdict != "supported"]
            note = f"{bad[0].verdict}: {bad[0].reason}" if bad else ""
            if bad and not flagged:
                reason, detail = "verifier", bad[0].reason
        outcomes.append(
            CheckOutcome(
                item.id, item.type, item.label, bool(reason), reason, detail, seconds, note
            )
        )
        if progress:
            progress(n, len(items))
    return outcomes, runs


def score_checks(
    outcomes: Sequence[CheckOutcome], *, split: str, checker: str, runs: Sequence[Any] = ()
) -> CheckReport:
    """Acceptance, catch rate and precision per type, and the check's time."""
    per_type = []
    for kind in (*FAITHFUL_TYPES, *UNFAITHFUL_TYPES):
        rows = [o for o in outcomes if o.type == kind]
        if not rows:
            continue
        accepting = kind in FAITHFUL_TYPES
        right = sum((not o.flagged) if accepting else o.flagged for o in rows)
        as_kind = [o for o in outcomes if REASON_TYPE.get(o.reason) == kind]
        precision = None
        if not accepting and as_kind:
            precision = sum(o.label == "unfaithful" for o in as_kind) / len(as_kind)
        per_type.append(
            TypeScore(
                kind, rows[0].label, len(rows), right, right / len(rows), precision, len(as_kind)
            )
        )
    faithful = [o for o in outcomes if o.label == "faithful"]
    unfaithful = [o for o in outcomes if o.label == "unfaithful"]
    flagged = [o for o in outcomes if o.flagged]
    millis = [o.seconds * 1000 for o in outcomes]
    costs = [r.cost_usd for r in runs]
    return CheckReport(
        split=split,
        checker=checker,
        items=len(outcomes),
        faithful_accepted=_share(not o.flagged for o in faithful),
        unfaithful_caught=_share(o.flagged for o in unfaithful),
        flag_precision=sum(o.label == "unfaithful" for o in flagged) / len(flagged)
        if flagged
        else None,
        per_type=tuple(per_type),
        check_ms_p50=percentile(millis, 50) if millis else 0.0,
        check_ms_p95=percentile(millis, 95) if millis else 0.0,
        outcomes=tuple(outcomes),
        verifier=runs[0].model if runs else "",
        verifier_prompt_tokens=sum(r.prompt_tokens for r in runs),
        verifier_completion_tokens=sum(r.completion_tokens for r in runs),
        verifier_cost_usd=None if not runs or None in costs else sum(c or 0.0 for c in costs),
        verifier_ms_p50=percentile([r.seconds * 1000 for r in runs], 50) if runs else None,
        errors=tuple(dict.fromkeys(r.error for r in runs if r.error)),
    )


def _share(flags: Any) -> float:
    seen = list(flags)
    return sum(seen) / len(seen) if seen else 0.0


def format_checks(report: CheckReport) -> str:
    """The report as Markdown: overall figures, then one row per type."""
    lines = [
        f"**{report.checker}** on the `{report.split}` split ({report.items} sentences): "
        f"faithful accepted **{report.faithful_accepted:.1%}**, unfaithful caught "
        f"**{report.unfaithful_caught:.1%}**"
        + (f", flag precision {report.flag_precision:.1%}" if report.flag_precision else "")
        + f"; check time p50 {report.check_ms_p50:.1f} ms, p95 {report.check_ms_p95:.1f} ms.",
        "",
        "| type | label | sentences | accepted / caught | rate | precision of its flags |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for t in report.per_type:
        precision = "—" if t.precision is None else f"{t.precision:.1%} ({t.flagged_as})"
        lines.append(
            f"| {t.type} | {t.label} | {t.items} | {t.right} | {t.rate:.1%} | {precision} |"
        )
    if report.verifier:
        cost = "unknown" if report.verifier_cost_usd is None else f"${report.verifier_cost_usd:.4f}"
        lines += [
            "",
            f"Verifier {report.verifier}: {report.verifier_prompt_tokens:,} prompt + "
            f"{report.verifier_completion_tokens:,} completion tokens, {cost}, "
            f"p50 {report.verifier_ms_p50 or 0:.0f} ms per sentence.",
        ]
    return "\n".join(lines) + "\n"
