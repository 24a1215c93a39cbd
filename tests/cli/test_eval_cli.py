"""`dalin eval run`: once as a real process on the bundled examples, then through Typer's
runner for the gate, JSON output, defaults, refusals and Ctrl-C."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dalin.cli.main import app
from dalin.eval.schema import QuestionItem, RunReport

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


def dalin(*args: str) -> tuple[int, str]:
    """Exit code and output, with the line breaks of Rich's wrapping made spaces again."""
    result = runner.invoke(app, list(args))
    return result.exit_code, " ".join(result.output.split())


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding the work rules, and a question set of two asked of it: one the
    rules answer, one whose expected fact they do not hold (so accuracy is 50%)."""
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "ws"
    assert dalin("-w", str(path), "init")[0] == 0
    assert dalin("-w", str(path), "add", str(EXAMPLES / "documents" / "취업규칙.docx"))[0] == 0
    items = [
        QuestionItem("a", "연차휴가는 며칠인가요", answer_contains=("15일",), tags=("hr",)),
        QuestionItem("b", "수습 기간이 얼마나 돼요?", answer_contains=("99개월",)),
    ]
    lines = [json.dumps(i.to_json(), ensure_ascii=False) for i in items]
    (folder / "set.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def question_set(ws: Path) -> str:
    return str(ws.parent / "set.jsonl")


@pytest.mark.parametrize(
    "command", [["eval"], ["eval", "run"], ["eval", "runs"], ["eval", "report"]]
)
def test_eval_commands_have_help(command: list[str]) -> None:
    code, output = dalin(*command, "--help")
    assert code == 0 and "Usage" in output


def test_examples_in_a_real_process(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert dalin("-w", str(home), "init")[0] == 0
    out = tmp_path / "run"
    done = subprocess.run(
        [sys.executable, "-m", "dalin", "-w", str(home), "--lang", "en", "eval", "run",
         "examples", "--model", "extractive", "--out", str(out)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for name in ("run.json", "results.jsonl", "run_report.json", "report.json", "report.html"):
        assert (out / name).is_file(), name
    assert f"Report: {out / 'report.html'}" in done.stdout
    assert f"Report JSON: {out / 'report.json'}" in done.stdout
    questions = (EXAMPLES / "questions.jsonl").read_text("utf-8").strip().splitlines()
    assert len((out / "results.jsonl").read_text("utf-8").splitlines()) == len(questions)
    # the set's own workspace, made from examples/documents beside the user's
    assert (home / "eval" / "examples" / "ws" / "dalin.db").is_file()
    assert "Evaluation workspace" in done.stderr and "indexed 6" in done.stderr
    report = RunReport.from_json(json.loads((out / "report.json").read_text("utf-8")))
    assert report.question_set == "examples" and report.summaries[0].accuracy > 0.5


def test_the_gate_fails_with_exit_4_on_a_worse_run(ws: Path, tmp_path: Path) -> None:
    first = tmp_path / "first"
    code, output = dalin("-w", str(ws), "--lang", "en", "eval", "run", question_set(ws),
                         "--out", str(first))  # fmt: skip
    assert code == 0, output
    assert "Regression gate" not in output  # no baseline, no floor: no gate
    # a baseline that did better than this run can
    data = json.loads((first / "report.json").read_text("utf-8"))
    data["summaries"][0]["accuracy"] = 0.9
    better = tmp_path / "better.json"
    better.write_text(json.dumps(data), encoding="utf-8")
    args = ("-w", str(ws), "--lang", "en", "eval", "run", question_set(ws), "--baseline")
    code, output = dalin(*args, str(better), "--out", str(tmp_path / "second"))
    assert code == 4, output
    assert "Regression gate failed" in output and "accuracy fell 0.900 → 0.500" in output
    code, output = dalin(*args, str(first), "--out", str(tmp_path / "third"))  # a run folder
    assert code == 0 and "Regression gate passed" in output
    code, output = dalin(*args, str(first), "--fail-under", "0.6", "--out", str(tmp_path / "4"))
    assert code == 4 and "below the floor 0.600" in output


def test_json_output_default_model_and_default_folder(ws: Path) -> None:
    result = runner.invoke(
        app, ["-w", str(ws), "eval", "run", question_set(ws), "--json", "--bar", "0.5"]
    )
    assert result.exit_code == 0
    report = RunReport.from_json(json.loads(result.stdout))  # progress and notes go to stderr
    assert [s.config for s in report.summaries] == ["extractive"]  # answer.llm of dalin.toml
    assert report.summaries[0].accuracy == 0.5 and report.summaries[0].by_tag == {"hr": 1.0}
    folders = list((ws / "eval" / "runs").iterdir())
    assert any((f / "run.json").is_file() for f in folders)


def test_a_folder_of_another_run_is_refused_until_fresh(ws: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "run")
    args = ("-w", str(ws), "--lang", "en", "eval", "run", question_set(ws), "--out", out)
    assert dalin(*args)[0] == 0
    code, output = dalin(*args, "-k", "3")
    assert code == 1 and "holds another run" in output and "--fresh" in output
    assert dalin(*args, "-k", "3", "--fresh")[0] == 0


def test_errors_are_explained(ws: Path, tmp_path: Path) -> None:
    base = ("-w", str(ws), "--lang", "en", "eval", "run")
    code, output = dalin(*base, str(tmp_path / "none.jsonl"))
    assert code == 1 and "no such question set" in output
    code, output = dalin(*base, question_set(ws), "--model", "gpt-4o", "--out", str(tmp_path))
    assert code == 1 and "unknown model spec" in output
    code, output = dalin(*base, question_set(ws), "--baseline", str(tmp_path / "nothing.json"))
    assert code == 1 and "Cannot read the baseline report" in output
    code, output = dalin("-w", str(tmp_path / "nowhere"), "eval", "run", "examples")
    assert code == 1 and "dalin init" in output


def test_ctrl_c_exits_130_with_the_command_to_resume(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> RunReport:
        raise KeyboardInterrupt

    monkeypatch.setattr("dalin.cli.eval.run_evaluation", interrupted)
    out = tmp_path / "run"
    code, output = dalin("-w", str(ws), "--lang", "en", "eval", "run", question_set(ws),
                         "-m", "extractive", "--out", str(out))  # fmt: skip
    assert code == 130
    assert f"--model extractive --out {out}" in output and "to resume" in output


def test_runs_kept_in_the_store_are_listed_and_their_reports_written(
    ws: Path, tmp_path: Path
) -> None:
    from dalin import Workspace
    from dalin.stores.base import EvalRun

    made = tmp_path / "made"
    args = ("-w", str(ws), "--lang", "en", "eval", "run", question_set(ws), "--out", str(made))
    assert dalin(*args)[0] == 0
    kept = (made / "report.json").read_text("utf-8")
    done = EvalRun("20261204T101500Z-0a1b2c3d", "done", "set.jsonl", ("extractive",), 2,
                   "2026-12-04T10:15:00+00:00", owner="web-1:42:beef")  # fmt: skip
    failed = EvalRun("20261204T111500Z-0f0f0f0f", "failed", "set.jsonl", ("openai:m",), 2,
                     "2026-12-04T11:15:00+00:00", error="no answer")  # fmt: skip
    with Workspace.open(ws) as opened:  # as dalin serve keeps them
        for run in (done, failed):
            opened.store.add_eval_run(run)
        opened.store.update_eval_run(done.run_id, done=2, total=2, report=kept)

    code, output = dalin("-w", str(ws), "--lang", "en", "eval", "runs")
    assert code == 0 and done.run_id in output and failed.run_id in output, output
    listed = json.loads(runner.invoke(app, ["-w", str(ws), "eval", "runs", "--json"]).stdout)
    assert [(r["run_id"], r["status"], r["done"]) for r in listed][:2] == [
        (failed.run_id, "failed", 0),
        (done.run_id, "done", 2),
    ]
    assert "owner" not in listed[0]  # which process ran it is the server's business

    out = tmp_path / "report"
    code, output = dalin("-w", str(ws), "--lang", "en", "eval", "report", done.run_id,
                         "--out", str(out))  # fmt: skip
    assert code == 0 and "report.html" in output, output
    assert json.loads((out / "report.json").read_text("utf-8")) == json.loads(kept)
    assert "<html" in (out / "report.html").read_text("utf-8")
    code, output = dalin("-w", str(ws), "--lang", "en", "eval", "report", failed.run_id)
    assert code == 1 and "has no report (status: failed)" in output, output
    code, output = dalin("-w", str(ws), "--lang", "en", "eval", "report", "no-such-run")
    assert code == 1 and "No evaluation run no-such-run" in output, output
