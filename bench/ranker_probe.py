"""Would a learned ranker pick the answering line more often than the reader's rules do?

For each staff question of kind table, article or across languages whose gold facts some
candidate line holds (``bench/answers/questions.jsonl`` over ``../shared/samples``), the
candidates the reader scored for its main pick are kept with their measures — the reader's
score and its gap to the top, whether the line holds the kind of value asked, its focus and
relevance, the shape of its lead — and, with ``--e5``, the bundled multilingual-e5-small's
similarity between the question and the line. A logistic ranker (``answer.confidence.fit``)
is fitted leave-one-split-out: each split is ranked by a model fitted on the others, and
the line it ranks first is right when it holds every gold fact. The rules' own pick is
counted the same way (they were tuned on every split but the newest).

    python bench/ranker_probe.py --e5
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import answers  # noqa: E402  (bench/answers.py: the staff set and its documents)

KINDS = ("table", "article", "cross_language")

Row = tuple[str, list[list[float]], list[int], int]


def collect(ws_path: Path, e5: bool) -> list[Row]:
    """(split, measures per candidate, holds-gold per candidate, rules right) per question."""
    import dalin
    import dalin.answer.reader as reader
    from dalin.embedders.local import LocalE5
    from dalin.eval.scoring import contains_all

    seen: dict[str, object] = {}
    pick = reader._pick

    def first_pick(reading: object, candidates: Sequence[object]) -> object:
        best = pick(reading, candidates)  # type: ignore[arg-type]
        seen.setdefault("picked", (list(candidates), best))
        return best

    reader._pick = first_pick  # type: ignore[assignment]
    embedder = LocalE5() if e5 else None
    items = [json.loads(x) for x in answers.QUESTIONS.read_text(encoding="utf-8").splitlines() if x]
    rows: list[Row] = []
    try:
        with dalin.Workspace.open(ws_path) as ws:
            for item in items:
                if not item["answerable"] or item["tags"][0] not in KINDS:
                    continue
                seen.clear()
                ws.ask(item["question"], llm="extractive")
                if "picked" not in seen:
                    continue
                candidates, best = seen["picked"]  # type: ignore[misc]
                said = [f"{c.lead} {c.evidence.display}" for c in candidates]
                holds = [int(contains_all(text, item["answer_contains"])) for text in said]
                if not any(holds):
                    continue
                sims = [0.0] * len(candidates)
                if embedder is not None:
                    lines = [(c.lead or c.evidence.display)[:300] for c in candidates]
                    query = embedder.embed([item["question"]], kind="query")[0]
                    sims = (embedder.embed(lines, kind="passage") @ query).tolist()
                top = max(c.score for c in candidates)
                measures = [
                    [c.score, c.score - top, float(c.typed), c.focus, c.relevance,
                     float(bool(c.lead)), min(len(c.lead or c.evidence.display), 300) / 300, sim]
                    for c, sim in zip(candidates, sims, strict=True)
                ]  # fmt: skip
                right = int(contains_all(f"{best.lead} {best.evidence.display}",
                                         item["answer_contains"]))  # fmt: skip
                rows.append((item["tags"][1], measures, holds, right))
    finally:
        reader._pick = pick  # type: ignore[assignment]
    return rows


def ranked_right(rows: Sequence[Row], split: str) -> int:
    """How many of ``split``'s questions a ranker fitted on the other splits gets right."""
    from dalin.answer.confidence import Gate, fit

    train = [r for r in rows if r[0] != split]
    mean, scale, weights, bias = fit([m for r in train for m in r[1]],
                                     [h for r in train for h in r[2]])  # fmt: skip
    gate = Gate(mean, scale, weights, bias, 0.5)
    right = 0
    for _, measures, holds, _ in (r for r in rows if r[0] == split):
        scores = [gate.probability(m) for m in measures]
        right += holds[scores.index(max(scores))]
    return right


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--e5", action="store_true", help="add e5 question-line similarity")
    args = parser.parse_args()
    if not answers.SAMPLES.exists():
        print(f"skipped: {answers.SAMPLES} is not here (run inside the dalin workplace)")
        return
    import dalin

    with tempfile.TemporaryDirectory() as tmp:
        ws_path = Path(tmp) / "ws"
        with dalin.Workspace.create(ws_path) as ws:
            ws.add(answers.documents())
        rows = collect(ws_path, args.e5)
    splits = sorted({r[0] for r in rows})
    print("| split | questions | rules | learned ranker |\n|---|--:|--:|--:|")
    totals = [0, 0, 0]
    for split in splits:
        mine = [r for r in rows if r[0] == split]
        counts = (len(mine), sum(r[3] for r in mine), ranked_right(rows, split))
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        print(f"| {split} | {counts[0]} | {counts[1]} | {counts[2]} |")
    print(f"| all | {totals[0]} | {totals[1]} | {totals[2]} |")


if __name__ == "__main__":
    main()
