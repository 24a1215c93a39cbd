"""KorQuAD 1.0 dev as an answer benchmark for the model-free reader, against a baseline.

Every question of the dev set (5,774) is asked of a workspace holding the 961 unique
paragraphs (one Markdown file each, ``# title`` + text), through ``Workspace.ask`` with no
model, as a user would. Scored per question, with the normalisation of
:mod:`dalin.eval.scoring` (KorQuAD's, numbers kept apart):

* **answer line holds the gold span**: the first line of the answer, where the reader
  states the fact, contains the gold answer;
* **answer holds the gold span**: anywhere in the answer text (the lead and its evidence);
* **short-answer EM / F1**: KorQuAD's exact match and character F1 between the gold span
  and the short answer, i.e. the first line without its citation markers and without a
  ``label:`` prefix (``모집인원: 21명 [1]`` → ``21명``);
* **abstained**: answered "not found".

The baseline is another checkout's ``src`` (e.g. ``git archive main src | tar -x -C
/tmp/base``), run in its own process on its own workspace over the same files, in the same
run. Both answer the same questions in the same order::

    python bench/korquad_answers.py --baseline /tmp/base/src \
        --json bench/results/korquad_answers.json
    python bench/korquad_answers.py --limit 500            # a quicker look (first 500)
    python bench/korquad_answers.py --baseline /tmp/base/src --keep /tmp/kq  # to compare

``--keep DIR`` leaves each side's answers in ``DIR/0.jsonl`` (baseline) and ``DIR/1.jsonl``,
one line per question in the order of the dev set, to see which questions changed.

The first 1,000 questions were the ones looked at while the reader was written; the
report gives them and the remaining 4,774 apart.
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
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "korquad1" / "KorQuAD_v1.0_dev.json"
#: questions 0..TUNED-1 were read while the reader was written; the rest never were
TUNED = 1000
_MARKER = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_LABEL = re.compile(r"^[^:：]{1,40}[:：]\s+(?=\S)")


def load(limit: int | None) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(title, context) per unique paragraph; (id, question, gold answer) per question."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    corpus: list[tuple[str, str]] = []
    questions: list[tuple[str, str, str]] = []
    for article in raw["data"]:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            if context not in seen:
                seen[context] = len(corpus)
                corpus.append((article["title"], context))
            for qa in paragraph["qas"]:
                questions.append((qa["id"], qa["question"], qa["answers"][0]["text"]))
    return corpus, questions[:limit] if limit else questions


def short_answer(text: str) -> str:
    """The fact the answer leads with: its first line without citations or a label."""
    line = _MARKER.sub("", text.splitlines()[0] if text else "").strip()
    return _LABEL.sub("", line, count=1)


def work(answers_path: Path, limit: int | None) -> None:
    """In a child process: answer every question with the ``dalin`` on ``sys.path``."""
    import dalin

    corpus, questions = load(limit)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        for i, (title, context) in enumerate(corpus):
            (folder / f"{i}.md").write_text(f"# {title}\n\n{context}\n", encoding="utf-8")
        ws = dalin.Workspace.create(Path(tmp) / "ws")
        ws.add([folder])
        with answers_path.open("w", encoding="utf-8") as out:
            for qid, question, _ in questions:
                started = time.perf_counter()
                answer = ws.ask(question)
                seconds = time.perf_counter() - started
                record = {"id": qid, "text": answer.text, "abstained": answer.abstained,
                          "seconds": seconds}  # fmt: skip
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        ws.close()


def answer_with(src: Path, limit: int | None, out: Path) -> list[dict[str, object]]:
    """Run :func:`work` in a child process importing ``dalin`` from ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--worker", str(out)]
    if limit:
        command += ["--limit", str(limit)]
    subprocess.run(command, env=env, check=True)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def score(
    questions: Sequence[tuple[str, str, str]], answers: Sequence[dict[str, object]]
) -> dict[str, float]:
    from dalin.eval.metrics import percentile
    from dalin.eval.scoring import char_f1, exact_match, fact_in

    rows = []
    for (_, _, gold), answer in zip(questions, answers, strict=True):
        text = str(answer["text"])
        short = "" if answer["abstained"] else short_answer(text)
        lead = text.splitlines()[0] if text and not answer["abstained"] else ""
        rows.append(
            (
                fact_in(lead, gold),
                fact_in(text, gold) and not answer["abstained"],
                exact_match(short, gold),
                char_f1(short, gold),
                bool(answer["abstained"]),
                float(answer["seconds"]),  # type: ignore[arg-type]
            )
        )
    n = len(rows) or 1
    seconds = [r[5] for r in rows]
    return {
        "questions": len(rows),
        "answer_line_holds_gold": sum(r[0] for r in rows) / n,
        "answer_holds_gold": sum(r[1] for r in rows) / n,
        "short_em": sum(r[2] for r in rows) / n,
        "short_f1": sum(r[3] for r in rows) / n,
        "abstained": sum(r[4] for r in rows) / n,
        "p50_s": percentile(seconds, 50),
        "p95_s": percentile(seconds, 95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--baseline", type=Path, help="src/ of the baseline checkout")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--keep", type=Path, help="keep each side's answers (JSON lines) here")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work(args.worker, args.limit)
        return
    if not DATA.exists():
        print(f"skipped: {DATA} is not here (run inside the dalin workplace)")
        return
    _, questions = load(args.limit)
    configs = {"reader (this checkout)": ROOT / "src"}
    if args.baseline:
        configs = {"baseline": args.baseline, **configs}
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        keep = args.keep or Path(tmp)
        keep.mkdir(parents=True, exist_ok=True)
        for name, src in configs.items():
            answers = answer_with(src, args.limit, keep / f"{len(results)}.jsonl")
            split = min(TUNED, len(questions))
            results[name] = {
                "all": score(questions, answers),
                f"first {split} (looked at)": score(questions[:split], answers[:split]),
                "rest (never looked at)": score(questions[split:], answers[split:]),
            }
    for name, parts in results.items():
        for part, figures in parts.items():
            if not figures["questions"]:
                continue
            print(f"{name:24s} {part:26s} " + "  ".join(
                f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items()
            ))  # fmt: skip
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {"date": date.today().isoformat(), "machine": platform.platform(),
                  "cpus": os.cpu_count(), "limit": args.limit, "results": results}  # fmt: skip
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
