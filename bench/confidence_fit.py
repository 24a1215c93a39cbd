"""Fit the reader's confidence gate (``src/dalin/answer/confidence.py``) on checked answers.

Every question of the staff set whose split is *tuned on* (``--exclude`` names the splits
kept out: the newest, never-tuned one) and the first 1,000 KorQuAD 1.0 dev questions (the
part read while the reader was written; ``bench/korquad_answers.py`` reports the rest apart)
is asked through ``Workspace.ask`` with no model and the gate off. Each answer shown gives a
row of the gate's measures and a label: right (every gold fact in the answer; for KorQuAD
the gold span in the first line) or wrong (a fact missing, or an answer to a question the
documents cannot answer).

The threshold is chosen by leave-one-group-out: each staff split, and KorQuAD, is predicted
by a model fitted on the others, and the threshold kept is the one whose held-out decisions
do best on ``gain = wrong answers withheld - COST * right answers withheld`` (an answer
withheld that was right costs a user more than a wrong line shown). The final model is
fitted on every row and written with the threshold to ``--out``::

    python bench/confidence_fit.py --exclude heldout13 \\
        --out src/dalin/answer/data/confidence.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import answers  # noqa: E402  (bench/answers.py: the staff set and its documents)
import korquad_answers  # noqa: E402

#: a right answer withheld weighs this many wrong answers withheld
COST = 2.0
#: the thresholds tried
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 14))


def collect(
    ws_path: Path, asked: Sequence[tuple[str, str, object]]
) -> list[tuple[list[float], int, str]]:
    """(measures, label, group) of each answer shown, the gate off: ``asked`` holds
    (question, group, judge) with judge(answer text) → right or wrong."""
    import dalin
    import dalin.workspace as workspace
    from dalin.answer.confidence import Gate

    seen: list[list[float]] = []

    class Recorder(Gate):
        """A gate that shows every answer and keeps the measures it was shown."""

        def shows(self, measures: Sequence[float]) -> bool:
            seen.append(list(measures))
            return True

    bundled = workspace.bundled_gate
    workspace.bundled_gate = lambda: Recorder((), (), (), 0.0, 0.0)
    rows = []
    try:
        with dalin.Workspace.open(ws_path) as ws:
            for question, group, judge in asked:
                seen.clear()
                answer = ws.ask(question, llm="extractive")
                if not answer.abstained and seen:
                    rows.append((seen[-1], int(judge(answer.text)), group))  # type: ignore[operator]
    finally:
        workspace.bundled_gate = bundled
    return rows


def staff_rows(exclude: set[str], tmp: Path) -> list[tuple[list[float], int, str]]:
    import dalin
    from dalin.eval.scoring import contains_all

    ws_path = tmp / "staff"
    with dalin.Workspace.create(ws_path) as ws:
        ws.add(answers.documents())
    items = [json.loads(x) for x in answers.QUESTIONS.read_text(encoding="utf-8").splitlines() if x]
    asked = []
    for item in items:
        split = item["tags"][1]
        if split in exclude:
            continue
        facts = item["answer_contains"]
        judge = (
            (lambda text, f=facts: contains_all(text, f))
            if item["answerable"]
            else (lambda text: False)
        )
        asked.append((item["question"], split, judge))
    return collect(ws_path, asked)


def korquad_rows(tmp: Path) -> list[tuple[list[float], int, str]]:
    import dalin
    from dalin.eval.scoring import fact_in

    corpus, questions = korquad_answers.load(korquad_answers.TUNED)
    folder = tmp / "korquad"
    folder.mkdir()
    for i, (title, context) in enumerate(corpus):
        (folder / f"{i}.md").write_text(f"# {title}\n\n{context}\n", encoding="utf-8")
    with dalin.Workspace.create(tmp / "kq") as ws:
        ws.add([folder])
    asked = [(q, "korquad", lambda text, g=gold: fact_in(text.splitlines()[0], g))
             for _, q, gold in questions]  # fmt: skip
    return collect(tmp / "kq", asked)


def choose(rows: Sequence[tuple[list[float], int, str]]) -> tuple[float, dict[float, float]]:
    """The threshold with the best held-out gain, and the gain of each tried."""
    from dalin.answer.confidence import Gate, fit

    gains: dict[float, float] = defaultdict(float)
    for group in sorted({g for _, _, g in rows}):
        train = [r for r in rows if r[2] != group]
        mean, scale, weights, bias = fit([r[0] for r in train], [r[1] for r in train])
        for t in THRESHOLDS:
            gate = Gate(mean, scale, weights, bias, t)
            for x, label, g in rows:
                if g == group and not gate.shows(x):
                    gains[t] += COST * -1 if label else 1
    best = max(THRESHOLDS, key=lambda t: (gains[t], -t))
    return best, dict(gains)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exclude", action="append", default=[], help="a split never fitted on")
    parser.add_argument("--out", type=Path, help="where the fitted gate is written")
    parser.add_argument("--rows", type=Path, help="keep (or reuse) the collected rows here")
    args = parser.parse_args()
    if not answers.SAMPLES.exists() or not korquad_answers.DATA.exists():
        print("skipped: ../shared/samples or ../shared/data is not here")
        return
    from dalin.answer.confidence import FEATURES, Gate, fit

    if args.rows and args.rows.exists():
        rows = [tuple(r) for r in json.loads(args.rows.read_text(encoding="utf-8"))]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rows = staff_rows(set(args.exclude), Path(tmp)) + korquad_rows(Path(tmp))
        if args.rows:
            args.rows.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    threshold, gains = choose(rows)  # type: ignore[arg-type]
    mean, scale, weights, bias = fit([r[0] for r in rows], [r[1] for r in rows])  # type: ignore[misc]
    gate = Gate(mean, scale, weights, bias, threshold)
    by_group: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, label, group in rows:  # type: ignore[misc]
        by_group[group][label] += 1
    print(f"rows: {len(rows)} (wrong, right per group: {dict(by_group)})")
    print(
        "held-out gain by threshold: "
        + ", ".join(f"{t}: {g:+.0f}" for t, g in sorted(gains.items()))
    )
    print(
        f"threshold {threshold}; weights: "
        + ", ".join(f"{n} {w:+.2f}" for n, w in zip(FEATURES, weights, strict=True))
    )
    if args.out:
        excluded = " ".join(f"--exclude {e}" for e in args.exclude)
        command = f"python bench/confidence_fit.py {excluded} --out {args.out}"
        data = {"command": command, "rows": len(rows), **gate.to_json()}
        args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
