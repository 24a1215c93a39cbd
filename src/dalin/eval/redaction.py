"""Take a deleted document out of the evaluation runs kept beside a workspace.

A run folder (``dalin.eval.run_folder``) keeps each answer in ``results.jsonl`` and, once
done, in ``run_report.json``, ``report.json`` and ``report.html``. After a document is
deleted its words must not stay readable there (issue 15 item 4). A result names its
sources by file name (``retrieved``: "name" or "name#p.N"; ``citations``: "[n] name · label"),
so the document is recognised by its name; an answer is replaced by
:data:`dalin.stores.redaction.REDACTED` when it cites the document, or when a model was given
it (its sentences may come from it), and so is the judge's prompt and reply, the grounding
check's flagged sentences and the model verifier's reasons.

The rules follow :mod:`dalin.stores.redaction`, which does the same to the answer log.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from dalin.eval.report import write_report
from dalin.eval.run_folder import REPORT_NAME, RESULTS_NAME, read_results, write_durably
from dalin.eval.schema import QuestionResult, RunReport
from dalin.stores.redaction import DELETED_LABEL, REDACTED, scrub_verification

#: the HTML and JSON report ``write_report`` makes from ``run_report.json``
_PUBLISHED = ("report.json", "report.html")


def redact_runs(root: Path, path: str, name: str, busy: Collection[Path] = ()) -> bool:
    """Redact the document ``name`` (stored at ``path``) from every run folder under
    ``root``; folders in ``busy`` (a run still writing) are left for later. True when no
    folder was left."""
    del path  # results name documents by file name only
    done = True
    for results in sorted(root.rglob(RESULTS_NAME)) if root.is_dir() else []:
        folder = results.parent
        if folder.resolve() in {b.resolve() for b in busy}:
            done = False
            continue
        _redact_folder(folder, name)
    return done


def redact_report(text: str, name: str) -> str | None:
    """A stored report (``RunReport`` JSON, ``dalin.stores.eval_runs``) without the
    document ``name``; None when it never mentions it. A report that cannot be read and
    names the document is emptied: it cannot be redacted line by line."""
    try:
        report = RunReport.from_json(json.loads(text))
    except (ValueError, KeyError, TypeError):
        return "" if name in text else None
    results = _redact_all(report.results, name)
    if results is None:
        return None
    return json.dumps(replace(report, results=tuple(results)).to_json(), ensure_ascii=False)


def redact_result(result: QuestionResult, name: str) -> QuestionResult | None:
    """``result`` without the document ``name``; None when it never mentions it."""
    cited = [_is_citation_of(c, name) for c in result.citations]
    retrieved = [_is_source_of(r, name) for r in result.retrieved]
    if not any(cited) and not any(retrieved):
        return None
    by_model = result.method != "extractive"
    hidden = any(cited) or by_model
    return replace(
        result,
        answer=REDACTED if hidden else result.answer,
        citations=tuple(
            f"{c.split(']', 1)[0]}] {DELETED_LABEL}" if mine else c
            for c, mine in zip(result.citations, cited, strict=True)
        ),
        retrieved=tuple(
            DELETED_LABEL if mine else r
            for r, mine in zip(result.retrieved, retrieved, strict=True)
        ),
        judge=dict.fromkeys(result.judge, REDACTED) if hidden else result.judge,
        flags=tuple(_scrub_flag(f) for f in result.flags) if hidden else result.flags,
        verification=scrub_verification(result.verification) if hidden else result.verification,
    )


def _scrub_flag(flag: dict[str, str]) -> dict[str, str]:
    return {**flag, "sentence": REDACTED, "detail": ""}


def _is_citation_of(citation: str, name: str) -> bool:
    label = citation.split("] ", 1)[-1]
    return label == name or label.startswith(f"{name} · ")


def _is_source_of(source: str, name: str) -> bool:
    return source == name or source.startswith(f"{name}#")


def _redact_all(results: Collection[QuestionResult], name: str) -> list[QuestionResult] | None:
    """The results with ``name`` taken out; None when none mentioned it."""
    redacted = [(redact_result(r, name), r) for r in results]
    if all(new is None for new, _ in redacted):
        return None
    return [new or old for new, old in redacted]


def _redact_folder(folder: Path, name: str) -> None:
    # results.jsonl first: a crash between the two files leaves the report for the next pass
    fixed = _redact_all(read_results(folder / RESULTS_NAME), name)
    if fixed is not None:
        lines = "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in fixed)
        write_durably(folder / RESULTS_NAME, lines)
    stored = folder / REPORT_NAME
    if not stored.is_file():
        return
    report = RunReport.from_json(json.loads(stored.read_text(encoding="utf-8")))
    results = _redact_all(report.results, name)
    if results is None:
        return
    report = replace(report, results=tuple(results))
    if any((folder / p).exists() for p in _PUBLISHED):  # before the file this pass reads
        write_report(report, folder)
    write_durably(stored, json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
