"""The folder of an evaluation run: what is being run, and the results so far.

::

    run.json           what is being run: run id, question set (and its fingerprint),
                       configurations, k, judge, start time
    results.jsonl      one QuestionResult per line, appended (flush + fsync) as each finishes
    run_report.json    the RunReport, written when every pair is answered

Each result is on disk before the next is counted, so a run stopped by Ctrl-C, a crash or
``kill -9`` loses at most the answers in flight, and a rerun with the same folder asks only
the (question, configuration) pairs that ``results.jsonl`` lacks. A folder holding another
question set or other configurations is refused rather than mixed.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from dalin.errors import EvalError
from dalin.eval.schema import QuestionItem, QuestionResult

RUN_NAME = "run.json"
RESULTS_NAME = "results.jsonl"
REPORT_NAME = "run_report.json"


@dataclass(frozen=True)
class RunManifest:
    """What ``run.json`` records: enough to tell whether a folder holds the same run."""

    run_id: str
    question_set: str
    #: SHA-256 of the items as JSON: a changed reference answer is a different set
    items_sha256: str
    questions: int
    configs: tuple[str, ...]
    k: int
    judge: str
    started_at: str

    @classmethod
    def create(
        cls,
        question_set: str,
        items: Sequence[QuestionItem],
        configs: Sequence[str],
        k: int,
        judge: str,
    ) -> RunManifest:
        now = datetime.now(UTC)
        return cls(
            run_id=now.strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6],
            question_set=question_set,
            items_sha256=items_fingerprint(items),
            questions=len(items),
            configs=tuple(configs),
            k=k,
            judge=judge,
            started_at=now.isoformat(timespec="seconds"),
        )

    def differences(self, other: RunManifest) -> list[str]:
        """How the run ``other`` (found in a folder) differs from this one (empty: resumable)."""
        found = []
        if self.items_sha256 != other.items_sha256:
            found.append(
                f"question set {other.question_set!r} of other questions or answers"
                f" (asked: {self.question_set!r})"
            )
        if sorted(self.configs) != sorted(other.configs):
            found.append(f"configurations {list(other.configs)} (asked: {list(self.configs)})")
        if self.k != other.k:
            found.append(f"k={other.k} (asked: k={self.k})")
        if self.judge != other.judge:
            found.append(f"judge {other.judge!r} (asked: {self.judge!r})")
        return found

    @classmethod
    def read(cls, path: Path) -> RunManifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            known = {f.name for f in fields(cls)}
            values = {key: v for key, v in data.items() if key in known}
            return cls(**{**values, "configs": tuple(values["configs"])})
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise EvalError(f"{path}: not a readable run description ({exc})") from exc


def items_fingerprint(items: Sequence[QuestionItem]) -> str:
    text = json.dumps([i.to_json() for i in items], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare_run_folder(out_dir: Path, manifest: RunManifest, *, resume: bool) -> RunManifest:
    """Make ``out_dir`` hold ``manifest``'s run; return the manifest in force (an earlier
    one when resuming, so the run keeps its id and start time)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    run_file, results = out_dir / RUN_NAME, out_dir / RESULTS_NAME
    if not resume:
        for stale in (results, out_dir / REPORT_NAME):
            stale.unlink(missing_ok=True)
    elif run_file.exists():
        earlier = RunManifest.read(run_file)
        differences = manifest.differences(earlier)
        if differences:
            raise EvalError(
                f"{out_dir} holds another run: {'; '.join(differences)}. Choose another"
                " output folder, or start over there with --fresh (resume=False)"
            )
        return earlier
    elif results.exists():
        raise EvalError(
            f"{results} exists but {RUN_NAME} does not, so its results cannot be matched to this"
            " run; choose another output folder, or start over there with --fresh (resume=False)"
        )
    write_durably(run_file, json.dumps(asdict(manifest), ensure_ascii=False, indent=2) + "\n")
    return manifest


def read_results(path: Path) -> list[QuestionResult]:
    """The results in a ``results.jsonl``; a torn last line (a crash mid-write) is cut off.

    Cutting it keeps the next appended line whole. A damaged line elsewhere is skipped, so
    its pair is asked again.
    """
    if not path.exists():
        return []
    data = path.read_bytes()
    whole = data.rfind(b"\n") + 1
    if whole < len(data):
        os.truncate(path, whole)
    results = []
    for line in data[:whole].splitlines():
        try:
            results.append(QuestionResult.from_json(json.loads(line)))
        except (ValueError, TypeError, AttributeError):
            continue
    return results


class ResultLog:
    """``results.jsonl`` opened for appending; each result is on disk when append returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.appended = 0
        self._file = path.open("a", encoding="utf-8")

    def append(self, result: QuestionResult) -> None:
        self._file.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self.appended += 1

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ResultLog:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def write_durably(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old file or the new one."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    partial.replace(path)
