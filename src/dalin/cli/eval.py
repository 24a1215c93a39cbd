"""`dalin eval`: measure answers on a question set, per model (and draft sets: ``generate``).

``dalin eval run SET --model A --model B`` asks every question with every model and reports
accuracy, grounding, latency and cost side by side. SET is a question-set file (JSONL or
YAML, asked of the current workspace) or a built-in set, asked of a workspace of its own
under ``<workspace>/eval/<name>/ws`` that is created and refreshed with the set's documents
(it takes the current workspace's ``dalin.toml``, so models, prices and limits are the same):

    examples[:N]   examples/questions.jsonl over examples/documents (a source checkout)
    korquad[:N]    KorQuAD 1.0 dev, from DATA/korquad1 (``--data``, default ../shared/data)
    sec10q[:N]     Docugami's SEC 10-Q set, from DATA/sec10q

Exit codes: 0 done; 1 an error (nothing or only part measured); 4 the regression gate
failed (``--baseline`` / ``--fail-under``); 130 interrupted: rerun with the same ``--out``
to resume.

"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.markup import escape

from dalin.answer.verifier import ModelVerifier
from dalin.cli.common import (
    BaseUrlOption,
    err,
    fail,
    fail_on,
    json_output,
    open_workspace,
    out,
    print_json,
    progress_bar,
)
from dalin.cli.common import state as cli_state
from dalin.cli.indexing import add_with_progress
from dalin.cli.messages import message
from dalin.config import CONFIG_NAME
from dalin.errors import DalinError, EvalError
from dalin.eval.aggregate import cheapest_meeting
from dalin.eval.checkset import (
    CheckReport,
    format_checks,
    load_check_set,
    run_checks,
    score_checks,
)
from dalin.eval.datasets import korquad_set, load_question_set, sec10q_set
from dalin.eval.gate import GateResult, compare
from dalin.eval.report import terminal_table, write_report
from dalin.eval.run_folder import REPORT_NAME
from dalin.eval.runner import run_evaluation
from dalin.eval.schema import QuestionItem, RunReport
from dalin.llm.base import LLM
from dalin.workspace import DB_NAME, Workspace

EXIT_GATE = 4
EXIT_INTERRUPTED = 130
#: the source checkout, where examples/ and (beside it) ../shared/data live
CHECKOUT = Path(__file__).resolve().parents[3]
EXAMPLES = CHECKOUT / "examples"
GROUNDING = EXAMPLES / "grounding"
DEFAULT_DATA = CHECKOUT.parent / "shared" / "data"
_BUILTIN = re.compile(r"^(examples|korquad|sec10q)(?:\[:(\d+)\])?$")

eval_app: typer.Typer = typer.Typer(
    name="eval",
    help="Measure answers on a question set, per model. / 질문 세트로 모델별 답을 평가합니다.",
    no_args_is_help=True,
)


@dataclass(frozen=True)
class QuestionSet:
    """A question set ready to run: its items and the workspace that holds its documents."""

    label: str
    items: list[QuestionItem]
    workspace: Path


ModelOption = Annotated[
    list[str] | None,
    typer.Option(
        "--model",
        "-m",
        help='A model to evaluate, repeatable: "extractive", "local", "openai:MODEL",'
        ' "deepseek:deepseek-chat" (default: answer.llm in dalin.toml).',
    ),
]


@eval_app.command("run")
def run(
    question_set: Annotated[
        str,
        typer.Argument(
            metavar="SET",
            help="Question set: a JSONL/YAML file, or examples, korquad, sec10q (with [:N]).",
        ),
    ],
    models: ModelOption = None,
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=200, help="Passages per question.")] = 8,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Run folder (default: <workspace>/eval/runs/<UTC time>)."),
    ] = None,
    concurrency: Annotated[
        int, typer.Option(min=1, help="Questions in flight; keep 1 for extractive/local models.")
    ] = 1,
    rpm: Annotated[
        float | None, typer.Option("--rpm", help="Requests per minute per API model.")
    ] = None,
    judge: Annotated[
        str | None, typer.Option("--judge", help="Model that judges long answers.")
    ] = None,
    base_url: BaseUrlOption = None,
    data: Annotated[
        Path | None, typer.Option(help="Folder of the benchmark data (korquad1/, sec10q/).")
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="An earlier report.json (or run folder) to compare with; exit 4 if worse."
        ),
    ] = None,
    tolerance: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Allowed drop of a share, e.g. 0.02.")
    ] = 0.02,
    fail_under: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Exit 4 if an accuracy is below this.")
    ] = None,
    bar: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Good-enough accuracy: names the cheapest model."),
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Discard results already in --out and start over.")
    ] = False,
    checks: Annotated[
        str | None,
        typer.Option(
            "--checks",
            help="Also measure the sentence check on the grounding check set: dev, heldout,"
            " heldout2, heldout3, heldout4, heldout5 (the one never tuned on) or all (per-type"
            " precision and recall in the report).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Ask a question set with each model; report accuracy, grounding, latency, cost.
    / 질문 세트를 모델마다 묻고 정확도·근거·지연·비용을 보고합니다.

    Exit codes: 0 done, 1 error, 4 regression gate failed, 130 interrupted (resumable).
    """
    json_output(as_json)
    home, configured = _home_workspace()
    earlier = _load_baseline(baseline) if baseline is not None else None
    chosen = _resolve_set(question_set, home, data or DEFAULT_DATA)
    configs = models or [configured]
    folder = out_dir or home / "eval" / "runs" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    note = message("eval.out_dir", cli_state().lang, path=folder)
    err.print(f"[dim]{escape(note)}[/dim]", soft_wrap=True)
    try:
        report = _run_with_progress(
            chosen, configs, folder, k=k, concurrency=concurrency, rpm=rpm, judge=judge,
            base_url=base_url, resume=not fresh,
        )  # fmt: skip
    except KeyboardInterrupt:
        _interrupted(question_set, configs, folder)
    except DalinError as exc:
        fail_on(exc)
    if checks is not None:
        report = replace(report, checks=_measure_checks(checks, None).to_json())
    paths = write_report(report, folder, bar=bar)
    gate = _gate(report, earlier, tolerance, fail_under)
    if as_json:
        print_json(report.to_json())
    else:
        _print_summary(report, paths, bar)
    if gate is not None:
        _print_gate(gate, to_stderr=as_json)
        if not gate.passed:
            raise typer.Exit(EXIT_GATE)


@eval_app.command("checks")
def checks_command(
    split: Annotated[
        str,
        typer.Option(
            "--split",
            help="dev, heldout … heldout4, heldout5 (the one never tuned on) or all.",
        ),
    ] = "heldout5",
    check_set: Annotated[
        Path | None,
        typer.Option("--set", help="A check-set folder (checks.jsonl, passages.jsonl)."),
    ] = None,
    verifier: Annotated[
        str | None,
        typer.Option(
            "--verifier",
            help='A model that verifies each sentence too, e.g. "deepseek:deepseek-chat".',
        ),
    ] = None,
    base_url: BaseUrlOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Measure the sentence check on the labelled grounding check set, per type.
    / 근거 검사 세트로 문장 검사를 유형별로 측정합니다."""
    json_output(as_json)
    model = None
    if verifier is not None:
        with open_workspace() as ws:
            model = ws.model(verifier, base_url=base_url)
    try:
        report = _measure_checks(split, model, folder=check_set)
    except DalinError as exc:
        fail_on(exc)
    if as_json:
        print_json(report.to_json())
    else:
        out.print(format_checks(report), markup=False)


def _measure_checks(split: str, verifier: LLM | None, *, folder: Path | None = None) -> CheckReport:
    items = load_check_set(folder or GROUNDING, split)
    if not items:
        raise EvalError(message("eval.no_examples", cli_state().lang, path=folder or GROUNDING))
    checking = ModelVerifier(verifier) if verifier is not None else None
    with progress_bar() as progress:
        task = progress.add_task(message("eval.progress", cli_state().lang), total=len(items))
        outcomes, runs = run_checks(
            items, verifier=checking, progress=lambda done, _: progress.update(task, completed=done)
        )
    name = "MeaningChecker" + (f" + {verifier.name}" if verifier is not None else "")
    return score_checks(outcomes, split=split, checker=name, runs=runs)


def _home_workspace() -> tuple[Path, str]:
    """The current workspace's folder and its configured model."""
    with open_workspace() as ws:
        return ws.path, ws.settings.llm


def _load_baseline(path: Path) -> RunReport:
    file = path / REPORT_NAME if path.is_dir() else path
    try:
        return RunReport.from_json(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        fail(message("eval.bad_baseline", cli_state().lang, path=file, reason=exc))


# --- question sets -------------------------------------------------------------------------


def _resolve_set(spec: str, home: Path, data: Path) -> QuestionSet:
    """A file is asked of the current workspace; a built-in set of a workspace of its own."""
    builtin = _BUILTIN.match(spec.strip())
    try:
        if builtin is None:
            return QuestionSet(spec, load_question_set(spec), home)
        name, limit = builtin.group(1), int(builtin.group(2)) if builtin.group(2) else None
        docs, items = _builtin_set(name, limit, home, data)
        return QuestionSet(spec.strip(), items, _refresh_workspace(home, name, docs))
    except DalinError as exc:
        fail_on(exc)


def _builtin_set(
    name: str, limit: int | None, home: Path, data: Path
) -> tuple[Path, list[QuestionItem]]:
    if name == "examples":
        questions = EXAMPLES / "questions.jsonl"
        if not questions.is_file():
            raise EvalError(message("eval.no_examples", cli_state().lang, path=EXAMPLES))
        return EXAMPLES / "documents", load_question_set(questions)[:limit]
    if name == "korquad":
        return korquad_set(
            data / "korquad1" / "KorQuAD_v1.0_dev.json", _set_dir(home, name), limit=limit
        )
    return sec10q_set(data / "sec10q", limit=limit)


def _set_dir(home: Path, name: str) -> Path:
    return home / "eval" / name


def _refresh_workspace(home: Path, name: str, docs: Path) -> Path:
    """Create or update the set's own workspace so that it holds exactly ``docs``."""
    folder = _set_dir(home, name) / "ws"
    if not (folder / DB_NAME).is_file():
        Workspace.create(folder).close()
    if (home / CONFIG_NAME).is_file():  # the same models, prices and limits as the user's
        shutil.copyfile(home / CONFIG_NAME, folder / CONFIG_NAME)
    with Workspace.open(folder) as ws:
        report = add_with_progress(ws, [docs])
        root = docs.resolve()
        stale = [d for d in ws.documents() if root not in Path(d.path).parents]
        for document in stale:  # e.g. paragraphs of a larger korquad[:N] run before
            ws.remove(document.id)
    if report.added or report.replaced or report.failed or stale:
        counts = {"added": len(report.added) + len(report.replaced), "failed": len(report.failed)}
        note = message("eval.indexed", cli_state().lang, path=folder, removed=len(stale), **counts)
        err.print(f"[dim]{escape(note)}[/dim]", soft_wrap=True)
    return folder


# --- running and reporting -----------------------------------------------------------------


def _run_with_progress(
    chosen: QuestionSet,
    configs: list[str],
    folder: Path,
    *,
    k: int,
    concurrency: int,
    rpm: float | None,
    judge: str | None,
    base_url: str | None,
    resume: bool,
) -> RunReport:
    with progress_bar() as progress:
        task = progress.add_task(message("eval.progress", cli_state().lang), total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return run_evaluation(
            chosen.workspace, chosen.items, configs, out_dir=folder, k=k,
            concurrency=concurrency, requests_per_minute=rpm, judge_spec=judge,
            base_url=base_url, question_set=chosen.label, resume=resume, progress=update,
        )  # fmt: skip


def _gate(
    report: RunReport, baseline: RunReport | None, tolerance: float, fail_under: float | None
) -> GateResult | None:
    if baseline is None and fail_under is None:
        return None
    return compare(report, baseline, tolerance=tolerance, fail_under=fail_under)


def _print_summary(report: RunReport, paths: dict[str, Path], bar: float | None) -> None:
    lang = cli_state().lang
    out.print(terminal_table(report, bar=bar))
    if bar is not None:
        best = cheapest_meeting(report.summaries, bar)
        key = "eval.cheapest" if best is not None else "eval.none_meets"
        config = best.config if best is not None else ""
        out.print(message(key, lang, config=escape(config), bar=f"{bar:.0%}"))
    errors = sum(s.errors for s in report.summaries)
    if errors:
        out.print(f"[yellow]{escape(message('eval.errors', lang, n=errors))}[/yellow]")
    out.print(message("eval.report", lang, path=escape(str(paths["html"]))))
    out.print(message("eval.report_json", lang, path=escape(str(paths["json"]))))


def _print_gate(gate: GateResult, *, to_stderr: bool) -> None:
    console = err if to_stderr else out
    key = "eval.gate_passed" if gate.passed else "eval.gate_failed"
    style = "green" if gate.passed else "red"
    console.print(f"[bold {style}]{escape(message(key, cli_state().lang))}[/bold {style}]")
    for line in gate.lines:
        console.print(escape(line))


def _interrupted(question_set: str, configs: list[str], folder: Path) -> NoReturn:
    models = [part for config in configs for part in ("--model", config)]
    again = shlex.join(["dalin", "eval", "run", question_set, *models, "--out", str(folder)])
    text = message("eval.interrupted", cli_state().lang, command=again)
    err.print(f"[yellow]{escape(text)}[/yellow]", soft_wrap=True)  # a command stays one line
    raise typer.Exit(EXIT_INTERRUPTED)


import dalin.cli.eval_generate  # noqa: E402  (registers `dalin eval generate` on eval_app)
import dalin.cli.eval_runs  # noqa: E402, F401  (registers `dalin eval runs` and `dalin eval report`)
