"""The staff question set over the shared sample documents: the offline reader against a baseline.

``bench/answers/questions.jsonl`` holds questions written by reading the documents in
``../shared/samples`` (they are referred to by file name, never copied here): numbers in
tables, arithmetic, articles, yes/no, two facts at once, questions across languages, and
questions the documents cannot answer. Each is tagged with its kind and its split: ``dev``
(looked at while the reader was written), ``heldout``, ``heldout2`` and ``heldout3`` (written
later, tuned on since) or ``heldout4`` (33 questions written 2026-12-04 16:30 UTC, before any
reader change after it, mostly over passages no earlier question used; tuned on since) or
``heldout5`` (28 questions, 12 of them absent, written 2026-12-04 17:30 UTC before the
abstention change of issue 13; never tuned on, measured once before and once after) or
``heldout6`` (34 questions: 7 table, 6 arithmetic, 5 yes/no, 3 article, 3 two facts, 2 across
languages, 8 absent, most over passages and documents no earlier question used; written
2026-12-04 by reading the documents, before the arithmetic/yes-no change of this session; never
tuned on) or ``heldout7`` (34 questions: 7 table, 6 arithmetic, 5 yes/no, 3 article, 3 two
facts, 2 across languages, 8 absent, mostly over passages no earlier question used; written
2026-12-04 by reading the documents, before the next reader change; measured once before and
once after; tuned on since) or ``heldout8`` (34 questions: 7 table, 6 arithmetic, 5 yes/no, 3
article, 3 two facts, 2 across languages, 8 absent, mostly over passages no earlier question
used; written 2026-12-04 by reading the documents, before the next reader change; measured once
before and once after the plain-words change; tuned on since) or ``heldout9`` (34 questions: 7
table, 6 arithmetic, 5 yes/no, 3 article, 3 two facts, 2 across languages, 8 absent, mostly over
passages no earlier question used; written 2026-12-05 by reading the documents, before the next
reader change; measured once before and once after; tuned on since) or ``heldout10`` (34
questions: 7 table, 6 arithmetic, 5 yes/no, 3 article, 3 two facts, 2 across languages, 8
absent, mostly over passages no earlier question used; written 2026-12-05 by reading the
documents, before the next reader change; measured once before and once after; tuned on since)
or ``heldout11`` (34 questions: 7 table, 6 arithmetic, 5 yes/no, 3 article, 3 two facts, 2
across languages, 8 absent, mostly over passages no earlier question used; written 2026-12-05 by
reading the documents, before the next reader change; measured once before and once after;
tuned on since) or ``heldout12`` (34 questions: 7 table, 6 arithmetic, 5 yes/no, 3 article, 3
two facts, 2 across languages, 8 absent, mostly over passages no earlier question used; written
2026-12-05 by reading the documents, before the next reader change; measured once before and
once after; tuned on since) or ``heldout13`` (34 questions: 7 table, 6 arithmetic, 5 yes/no, 3
article, 3 two facts, 2 across languages, 8 absent, mostly over passages no earlier question
used; written 2026-12-05 by reading the documents, before the next reader change; measured
once before and once after the confidence gate and rulings of session 31, 15/34 both; tuned
on in session 32) or ``heldout14`` (34 questions: 7 table, 6 arithmetic, 5 yes/no, 3 article,
3 two facts, 2 across languages, 8 absent, mostly over passages no earlier question used;
written 2026-12-05 by reading the documents, before the next reader change; measured once
before and once after the first round of session 32, 11/34 → 12/34; tuned on in its second
round) or ``heldout15`` (the same kinds and counts, written 2026-12-05 at 08:10 UTC from
8177685 by a writer who read only the documents and the earlier questions; appended unread;
measured once at the end of session 32, 15/34 → 16/34; never tuned on) or ``heldout16``
(the same kinds and counts, written 2026-12-05 at 09:00 UTC from 4fd93d5 by a writer who read
only the documents and the earlier questions; appended unread; never measured), and
``heldout17`` … ``heldout19`` likewise (heldout19 appended unread at the start of session 34,
from 83be937, and measured once at its end). Every split found in the tags is reported as its
own column.

Each configuration — the ``src`` of this checkout and of a baseline checkout, each in its
own process and workspace over the same files, in the same run — is asked the whole set
with ``dalin eval run … -m extractive``; the report's verdicts (every gold fact in the
answer, numbers compared by value; abstention for the unanswerable) give accuracy per kind
and split. From the workspace's answer log it also checks that every citation shown holds
its fact: a fact the answer states in its first line (a value before ``[n]``) must be in
the quote of citation n, and a gold fact in the quote of some citation.

    git archive main src | tar -x -C /tmp/base
    python bench/answers.py --baseline /tmp/base/src --json bench/results/answers.json

``--exclude heldoutN`` leaves a split out altogether (it is not asked), so that a split
appended unread can stay unread until the session that measures it first.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"
QUESTIONS = ROOT / "bench" / "answers" / "questions.jsonl"
#: the samples that are not hostile on purpose, plus one that only lacks a manifest
EXTRA = ("ADV_hwpxlib_20240626_no_manifest.hwpx",)
_CITED = re.compile(r"(\S+)\s+\[(\d+)\]")
#: the verdict a yes/no answer opens with, as question writers spell it ("아니" matches 아니요
#: and 아니오): it is the reader's word, never in a quote
_VERDICT_WORDS = frozenset(("예", "네", "아니요", "아니오", "아니", "yes", "no"))


def documents() -> list[Path]:
    """Every sample a staff folder could hold: not the hostile ``ADV_*`` files."""
    return sorted(
        p
        for p in SAMPLES.iterdir()
        if p.is_file()
        and p.name != "MANIFEST.tsv"
        and (not p.name.startswith("ADV_") or p.name in EXTRA)
    )


def work(folder: Path, questions: Path = QUESTIONS) -> None:
    """In a child process: build a workspace, run ``dalin eval run``, keep the answer log."""
    import dalin

    ws_path = folder / "ws"
    with dalin.Workspace.create(ws_path) as ws:
        ws.add(documents())
    command = [sys.executable, "-m", "dalin", "-w", str(ws_path), "eval", "run", str(questions),
               "-m", "extractive", "--out", str(folder / "run"), "--fresh"]  # fmt: skip
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    with dalin.Workspace.open(ws_path) as ws:
        log = ws.answer_log(limit=10_000)
    (folder / "log.json").write_text(json.dumps(log, ensure_ascii=False), encoding="utf-8")


def run_with(
    src: Path, folder: Path, questions: Path = QUESTIONS
) -> tuple[dict[str, object], list[dict[str, object]]]:
    folder.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--worker", str(folder), "--questions", str(questions)]
    subprocess.run(command, env=env, check=True)
    report = json.loads((folder / "run" / "report.json").read_text(encoding="utf-8"))
    log = json.loads((folder / "log.json").read_text(encoding="utf-8"))
    return report, log


def citations_hold(item: dict[str, object], entry: dict[str, object]) -> bool:
    """Whether the citations of a shown answer hold what it states (see module doc)."""
    from dalin.eval.scoring import fact_in

    quotes = {int(c["number"]): str(c["quote"]) for c in entry["citations"]}  # type: ignore[union-attr]
    lead = str(entry["answer"]).splitlines()[0]
    for value, number in _CITED.findall(lead):
        stated = any(ch.isdigit() for ch in value) and int(number) in quotes
        if stated and not fact_in(quotes[int(number)], value.strip("(),")):
            return False
    facts = [f for f in item["answer_contains"] if f.lower() not in _VERDICT_WORDS]  # type: ignore[union-attr]
    if "arithmetic" in item["tags"]:  # type: ignore[operator]
        return True  # a computed result is in no quote; its operands were checked above
    return all(any(fact_in(q, fact) for q in quotes.values()) for fact in facts)


def summarize(
    items: Sequence[dict[str, object]], report: dict[str, object], log: Sequence[dict[str, object]]
) -> dict[str, object]:
    results = {r["question_id"]: r for r in report["results"]}  # type: ignore[union-attr]
    by_question = {str(e["question"]): e for e in log}
    table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    held, shown = 0, 0
    seconds = []
    for item in items:
        result = results[item["id"]]
        kind, split = item["tags"]  # type: ignore[misc]
        ok = result["verdict"] == "correct"
        for part in (split, "all"):
            for key in (kind, "overall"):
                table[part][key][0] += ok
                table[part][key][1] += 1
        seconds.append(float(result["total_seconds"]))
        entry = by_question.get(str(item["question"]))
        if item["answerable"] and ok and entry is not None:
            shown += 1
            held += citations_hold(item, entry)
    from dalin.eval.metrics import percentile

    return {
        "accuracy": {p: {k: v[0] / v[1] for k, v in kinds.items()} for p, kinds in table.items()},
        "counts": {
            p: {k: f"{v[0]}/{v[1]}" for k, v in kinds.items()} for p, kinds in table.items()
        },
        "citations_holding_their_fact": f"{held}/{shown}",
        "p50_s": percentile(seconds, 50),
        "p95_s": percentile(seconds, 95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", type=Path, help="src/ of the baseline checkout")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument(
        "--exclude", action="append", default=[],
        help="a split kept unseen: its questions are not asked (repeatable)",
    )  # fmt: skip
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work(args.worker, args.questions)
        return
    if not SAMPLES.exists():
        print(f"skipped: {SAMPLES} is not here (run inside the dalin workplace)")
        return
    lines = [line for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]
    # a split kept unseen is not even asked: its answers must not be read before it is measured
    kept = [line for line in lines if json.loads(line)["tags"][-1] not in args.exclude]
    items = [json.loads(line) for line in kept]
    configs = {"reader (this checkout)": ROOT / "src"}
    if args.baseline:
        configs = {"baseline": args.baseline, **configs}
    summaries: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        questions = Path(tmp) / "questions.jsonl"
        questions.write_text("\n".join(kept) + "\n", encoding="utf-8")
        for i, (name, src) in enumerate(configs.items()):
            report, log = run_with(src, Path(tmp) / str(i), questions)
            summaries[name] = summarize(items, report, log)
    for name, summary in summaries.items():
        print(f"## {name}: citations holding their fact {summary['citations_holding_their_fact']},"
              f" p50 {summary['p50_s']:.2f} s, p95 {summary['p95_s']:.2f} s")  # fmt: skip
        counts = summary["counts"]
        assert isinstance(counts, dict)
        kinds = sorted({k for part in counts.values() for k in part})
        print("| kind | " + " | ".join(counts) + " |")
        for kind in kinds:
            print(f"| {kind} | " + " | ".join(counts[p].get(kind, "–") for p in counts) + " |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report_json = {"date": date.today().isoformat(), "machine": platform.platform(),
                       "cpus": os.cpu_count(), "results": summaries}  # fmt: skip
        args.json.write_text(
            json.dumps(report_json, ensure_ascii=False, indent=2), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
