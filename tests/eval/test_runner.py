"""The evaluation runner on a workspace of the bundled examples: every pair answered once,
saved as it finishes, resumed after a crash, errors recorded, threads and rate limits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

import dalin
from dalin.errors import EvalError, LLMAuthError, LLMUnreachable
from dalin.eval.datasets import load_question_set
from dalin.eval.run_folder import RESULTS_NAME, RUN_NAME, read_results
from dalin.eval.runner import TokenBucket, is_rate_limited, run_evaluation
from dalin.eval.schema import QuestionItem, QuestionResult, RunReport
from dalin.llm.base import Event, Message, TextDelta
from dalin.llm.openai import OpenAICompatible
from dalin.testing.fake_llm import ScriptedLLM

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
QUESTIONS = EXAMPLES / "questions.jsonl"
ALL_ITEMS = load_question_set(QUESTIONS)
# Five HR questions whose passages the scripted model is shown (so it is asked each), and one
# the documents cannot answer (so no model is asked).
PICKED = ("q01", "q02", "q03", "q05", "q06", "q29")
ITEMS = [i for i in ALL_ITEMS if i.id in PICKED]
ASKED = {i.id for i in ITEMS if i.answerable}


class Recording(ScriptedLLM):
    """A scripted model that records which question each prompt asked, and when."""

    def __init__(self, name: str, *events: Event, clock: FakeClock | None = None) -> None:
        super().__init__(*events or (TextDelta("15일의 유급휴가를 준다. [1]"),))
        self.name = name
        self.clock = clock
        self.asked: list[str] = []
        self.times: list[float] = []

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int = 1024, temperature: float = 0.2
    ) -> Iterator[Event]:
        prompt = messages[-1].content
        asked = [i.id for i in ALL_ITEMS if i.question in prompt]
        self.asked += asked
        if self.clock is not None:
            self.times.append(self.clock())
        if asked:
            self.fail(asked[-1])
        return super().stream(messages, max_tokens=max_tokens, temperature=temperature)

    def fail(self, question_id: str) -> None:
        """Raise for some questions (none here)."""


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture(scope="module")
def ws_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with dalin.Workspace.create(tmp_path_factory.mktemp("eval") / "ws") as ws:
        assert ws.add([EXAMPLES / "documents"]).ok
        return ws.path


def lines(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / RESULTS_NAME).read_text("utf-8").splitlines()]


def pairs(out: Path) -> list[tuple[object, object]]:
    return [(r["question_id"], r["config"]) for r in lines(out)]


def without_timings(results: Sequence[QuestionResult]) -> list[QuestionResult]:
    return [
        replace(r, total_seconds=0.0, first_token_seconds=None, check_seconds=0.0) for r in results
    ]


def test_every_pair_is_answered_once_saved_and_summarised(ws_path: Path, tmp_path: Path) -> None:
    model = Recording("fake:a")
    seen: list[tuple[int, int]] = []
    out = tmp_path / "run"
    report = run_evaluation(
        ws_path, ITEMS, ["extractive", model], out_dir=out, question_set="examples[:6]",
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    expected = [(i.id, c) for i in ITEMS for c in ("extractive", "fake:a")]
    assert [(r.question_id, r.config) for r in report.results] == expected
    assert sorted(pairs(out)) == sorted(expected)
    assert sorted(model.asked) == sorted(ASKED)
    assert seen == [(n, 12) for n in range(13)]
    extractive = report.summaries[0]
    assert (extractive.config, extractive.questions, extractive.errors) == ("extractive", 6, 0)
    correct = [r.verdict == "correct" for r in report.results[:10:2]]
    assert extractive.accuracy == sum(correct) / 5 and extractive.abstention_accuracy == 1.0
    assert extractive.cost_per_1000_usd == 0.0  # no model, no cost
    assert report.summaries[1].cost_per_1000_usd is None  # "fake:a" has no price
    assert report.results[1].method == "generative" and report.results[1].verdict == "correct"
    saved = json.loads((out / "run_report.json").read_text("utf-8"))
    assert RunReport.from_json(saved) == report
    run = json.loads((out / RUN_NAME).read_text("utf-8"))
    assert run["run_id"] == report.run_id and run["configs"] == ["extractive", "fake:a"]
    assert (run["question_set"], run["k"], run["started_at"]) == (
        "examples[:6]",
        8,
        report.started_at,
    )


def test_a_rerun_asks_nothing_and_keeps_the_run(ws_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    first = run_evaluation(ws_path, ITEMS, [Recording("fake:a")], out_dir=out)
    again = Recording("fake:a")
    second = run_evaluation(ws_path, ITEMS, [again], out_dir=out)
    assert again.asked == []
    assert (second.run_id, second.started_at) == (first.run_id, first.started_at)
    assert second.results == first.results and len(lines(out)) == len(ITEMS)


def test_a_torn_last_line_is_cut_and_only_missing_pairs_are_asked(
    ws_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    run_evaluation(ws_path, ITEMS, [Recording("fake:a")], out_dir=out)
    text = (out / RESULTS_NAME).read_text("utf-8").splitlines(keepends=True)
    # three whole lines and half of the fourth, as a crash in mid-write leaves them
    (out / RESULTS_NAME).write_text("".join(text[:3]) + text[3][: len(text[3]) // 2], "utf-8")
    kept = {str(r["question_id"]) for r in lines_lenient(out)}
    resumed = Recording("fake:a")
    report = run_evaluation(ws_path, ITEMS, [resumed], out_dir=out)
    assert sorted(resumed.asked) == sorted(ASKED - kept)
    assert sorted(pairs(out)) == sorted((i.id, "fake:a") for i in ITEMS)  # each exactly once
    assert len(report.results) == len(ITEMS)


def lines_lenient(out: Path) -> list[dict[str, object]]:
    return [r.to_json() for r in read_results(out / RESULTS_NAME)]


SLOW_RUN = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from dalin.eval.datasets import load_question_set
    from dalin.eval.runner import run_evaluation
    from dalin.testing.fake_llm import ScriptedLLM
    from dalin.llm.base import TextDelta

    class Slow(ScriptedLLM):
        name = "fake:slow"
        def stream(self, messages, **options):
            time.sleep(0.4)
            return super().stream(messages, **options)

    items = [i for i in load_question_set(sys.argv[3]) if i.id in sys.argv[4].split(",")]
    model = Slow(TextDelta("15일입니다. [1]"))
    run_evaluation(sys.argv[1], items, [model], out_dir=Path(sys.argv[2]))
    """
)


def test_resume_after_kill_9_asks_only_what_was_not_saved(ws_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_RUN, str(ws_path), str(out), str(QUESTIONS), ",".join(PICKED)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not _has_lines(out, 2) and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        _, stderr = child.communicate(timeout=30)
    saved = lines_lenient(out)
    assert 2 <= len(saved) < len(ITEMS), stderr.decode()
    resumed = Recording("fake:slow")
    report = run_evaluation(ws_path, ITEMS, [resumed], out_dir=out)
    assert sorted(resumed.asked) == sorted(ASKED - {str(r["question_id"]) for r in saved})
    assert sorted(pairs(out)) == sorted((i.id, "fake:slow") for i in ITEMS)
    assert [r.question_id for r in report.results] == [i.id for i in ITEMS]


def _has_lines(out: Path, n: int) -> bool:
    path = out / RESULTS_NAME
    return path.exists() and path.read_bytes().count(b"\n") >= n


def test_ctrl_c_stops_cleanly_and_the_run_resumes(ws_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"

    def interrupt_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    first = Recording("fake:a")
    with pytest.raises(KeyboardInterrupt):
        run_evaluation(ws_path, ITEMS, [first], out_dir=out, progress=interrupt_after_two)
    # the answer in flight when Ctrl-C came is kept too
    assert 2 <= len(lines(out)) <= 3 and not (out / "run_report.json").exists()
    resumed = Recording("fake:a")
    run_evaluation(ws_path, ITEMS, [resumed], out_dir=out)
    assert not set(first.asked) & set(resumed.asked)
    assert sorted(pairs(out)) == sorted((i.id, "fake:a") for i in ITEMS)


def test_another_question_set_or_configuration_is_refused_unless_fresh(
    ws_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    first = run_evaluation(ws_path, ITEMS[:2], ["extractive"], out_dir=out)
    with pytest.raises(EvalError, match=r"holds another run.*question set.*--fresh"):
        run_evaluation(ws_path, ITEMS[:3], ["extractive"], out_dir=out)
    edited = [replace(ITEMS[0], answer_contains=("14일",)), ITEMS[1]]
    with pytest.raises(EvalError, match="question set"):
        run_evaluation(ws_path, edited, ["extractive"], out_dir=out)
    with pytest.raises(EvalError, match="configurations"):
        run_evaluation(ws_path, ITEMS[:2], ["extractive", Recording("fake:a")], out_dir=out)
    with pytest.raises(EvalError, match=r"k=8 \(asked: k=4\)"):
        run_evaluation(ws_path, ITEMS[:2], ["extractive"], out_dir=out, k=4)
    fresh = run_evaluation(ws_path, ITEMS[:3], ["extractive"], out_dir=out, resume=False)
    assert fresh.run_id != first.run_id and len(lines(out)) == 3


def test_results_without_a_run_description_are_refused(ws_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / RESULTS_NAME).write_text("{}\n", "utf-8")
    with pytest.raises(EvalError, match=r"run\.json does not"):
        run_evaluation(ws_path, ITEMS[:1], ["extractive"], out_dir=out)


def test_bad_arguments_are_refused_before_anything_is_asked(ws_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    with pytest.raises(EvalError, match="no configuration"):
        run_evaluation(ws_path, ITEMS, [], out_dir=out)
    with pytest.raises(EvalError, match="more than once: extractive"):
        run_evaluation(ws_path, ITEMS, ["extractive", " extractive"], out_dir=out)
    with pytest.raises(EvalError, match="more than once: q01"):
        run_evaluation(ws_path, [ITEMS[0], ITEMS[0]], ["extractive"], out_dir=out)
    with pytest.raises(EvalError, match="empty"):
        run_evaluation(ws_path, [], ["extractive"], out_dir=out)
    with pytest.raises(EvalError, match="judge must be a model"):
        run_evaluation(ws_path, ITEMS, ["extractive"], out_dir=out, judge_spec="extractive")
    with pytest.raises(dalin.DalinError, match="unknown model spec"):
        run_evaluation(ws_path, ITEMS, ["gpt-4o"], out_dir=out)
    with pytest.raises(dalin.DalinError, match="no dalin workspace"):
        run_evaluation(tmp_path / "nowhere", ITEMS, ["extractive"], out_dir=out)
    assert not out.exists()


class FailsOnSome(Recording):
    def fail(self, question_id: str) -> None:
        if question_id == "q02":
            raise LLMUnreachable("127.0.0.1:9 refused the connection")
        if question_id == "q03":
            raise LLMAuthError("the server refused the API key")


def test_errors_are_recorded_per_question_and_the_run_goes_on(
    ws_path: Path, tmp_path: Path
) -> None:
    report = run_evaluation(ws_path, ITEMS, [FailsOnSome("fake:flaky")], out_dir=tmp_path / "r")
    by_id = {r.question_id: r for r in report.results}
    # unreachable: ask() would fall back to quoting the documents; that is not the model's
    # answer, so it is an error of this configuration
    assert by_id["q02"].verdict == "error" and by_id["q02"].error.startswith("llm_unreachable:")
    assert by_id["q03"].verdict == "error" and by_id["q03"].error.startswith("llm_auth:")
    assert by_id["q01"].verdict == "correct"
    assert all(not by_id[q].error for q in ("q01", "q05", "q06", "q29"))
    summary = report.summaries[0]
    assert summary.errors == 2 and summary.accuracy <= 3 / 5


class Buggy(Recording):
    def fail(self, question_id: str) -> None:
        if question_id == "q03":
            raise RuntimeError("a bug, not a dalin error")


def test_a_bug_stops_the_run_and_keeps_what_was_saved(ws_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    with pytest.raises(RuntimeError, match="a bug"):
        run_evaluation(ws_path, ITEMS, [Buggy("fake:a")], out_dir=out)
    assert pairs(out) == [("q01", "fake:a"), ("q02", "fake:a")]
    resumed = Recording("fake:a")
    run_evaluation(ws_path, ITEMS, [resumed], out_dir=out)
    assert sorted(resumed.asked) == sorted(ASKED - {"q01", "q02"})


def test_two_threads_give_the_same_results_as_one(ws_path: Path, tmp_path: Path) -> None:
    configs = lambda: ["extractive", Recording("fake:a")]  # noqa: E731
    one = run_evaluation(ws_path, ITEMS, configs(), out_dir=tmp_path / "one")
    two = run_evaluation(ws_path, ITEMS, configs(), out_dir=tmp_path / "two", concurrency=2)
    assert without_timings(two.results) == without_timings(one.results)
    assert len(two.results) == 2 * len(ITEMS)


def test_the_token_bucket_spaces_requests_after_a_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(60, burst=2, clock=clock, sleep=clock.sleep)
    sent = []
    for _ in range(5):
        bucket.acquire()
        sent.append(clock.now - 1000)
    assert sent == [0, 0, 1, 2, 3]
    clock.now += 10  # idle: the bucket refills, but only up to the burst
    assert [bucket.acquire() for _ in range(3)] == [0, 0, 1]
    with pytest.raises(EvalError):
        TokenBucket(0)


def test_api_configurations_are_rate_limited_and_others_are_not(
    ws_path: Path, tmp_path: Path
) -> None:
    clock = FakeClock()
    model = Recording("fake:a", clock=clock)
    run_evaluation(
        ws_path, ITEMS, ["extractive", model], out_dir=tmp_path / "r", requests_per_minute=30,
        clock=clock, sleep=clock.sleep,
    )  # fmt: skip
    # 30 a minute: one every 2 s; the extractive answers in between wait for nothing
    assert [t - 1000 for t in model.times] == [0, 2, 4, 6, 8]
    assert clock.slept == [2, 2, 2, 2, 2]  # the unanswerable question waits its turn too
    assert is_rate_limited("deepseek:deepseek-chat") and is_rate_limited("openai:gpt-4o-mini")
    assert not any(map(is_rate_limited, ["extractive", "local", "local:/m.gguf", "none"]))


def test_a_judge_decides_long_answers_and_is_recorded(ws_path: Path, tmp_path: Path) -> None:
    long = QuestionItem(
        id="long",
        question="연차휴가는 며칠인가요",
        reference_answer="1년간 80% 이상 출근한 근로자에게 15일의 유급휴가를 주며,"
        " 근속 기간에 따라 늘어난다.",
        language="ko",
    )
    judge = Recording("fake:judge", TextDelta("VERDICT: CORRECT\n기간이 같음"))
    report = run_evaluation(
        ws_path, [long], ["extractive"], out_dir=tmp_path / "r", judge_spec=judge
    )
    assert report.judge == "fake:judge" and len(judge.calls) == 1
    result = report.results[0]
    assert result.verdict == "correct" and result.judge["model"] == "fake:judge"
    assert result.judge["reason"] == "기간이 같음"


@pytest.fixture
def small_ws(tmp_path: Path) -> Path:
    """The work rules alone, with short answers: a CPU-bound local model stays quick."""
    with dalin.Workspace.create(tmp_path / "small") as ws:
        assert ws.add([EXAMPLES / "documents" / "취업규칙.docx"]).ok
        config = ws.path / "dalin.toml"
        text = config.read_text("utf-8").replace(
            "max_answer_tokens = 1024", "max_answer_tokens = 48"
        )
        config.write_text(text, "utf-8")
        return ws.path


def test_the_whole_loop_with_the_local_model(
    small_ws: Path, tmp_path: Path, gguf_path: Path
) -> None:
    items = [i for i in ALL_ITEMS if i.id in ("q01", "q02", "q29")]
    report = run_evaluation(small_ws, items, ["extractive", "local"], out_dir=tmp_path / "r", k=3)
    assert [(r.question_id, r.config) for r in report.results] == [
        (i.id, c) for i in items for c in ("extractive", "local")
    ]
    assert [s.config for s in report.summaries] == ["extractive", "local"]
    local = [r for r in report.results if r.config == "local"]
    assert all(r.verdict in ("correct", "incorrect", "abstained") for r in local), local
    assert all(not r.error for r in local)
    answered = [r for r in local if r.prompt_tokens]  # the model was asked (not abstained first)
    assert answered and all(r.completion_tokens > 0 and r.total_seconds > 0 for r in answered)
    assert all(r.completion_tokens <= 48 for r in local)
    summary = report.summaries[1]
    assert summary.questions == 3 and summary.latency_p50 > 0 and summary.prompt_tokens > 0
    assert len(lines(tmp_path / "r")) == 6


def test_the_whole_loop_with_a_recorded_openai_compatible_judge(
    ws_path: Path, tmp_path: Path
) -> None:
    """Long answers judged by a real OpenAI-compatible client over recorded DeepSeek and
    OpenAI streams (no network): verdicts, prompts and replies end up in the report."""
    fixtures = Path(__file__).parent / "fixtures"
    replies = ["judge_correct_deepseek_chat.sse", "judge_incorrect_openai.sse"]
    requests: list[httpx.Request] = []

    def serve(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        body = (fixtures / replies[len(requests) - 1]).read_bytes()
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    judge = OpenAICompatible(
        "deepseek-chat",
        base_url="https://api.deepseek.com",
        api_key="sk-test",
        transport=httpx.MockTransport(serve),
    )
    items = [
        QuestionItem(
            id=f"long{i}",
            question=question,
            reference_answer=reference,
            language="ko",
        )
        for i, (question, reference) in enumerate(
            [
                (
                    "연차휴가는 며칠인가요",
                    "1년간 80% 이상 출근하면 15일의 유급휴가를 받고, 근속에 따라 늘어난다.",
                ),
                (
                    "결혼하면 휴가를 며칠 받나요",
                    "본인이 결혼하면 5일의 경조휴가를 받고,"
                    " 자녀가 결혼하면 1일의 경조휴가를 받는다.",
                ),
            ]
        )
    ]
    report = run_evaluation(
        ws_path, items, ["extractive"], out_dir=tmp_path / "r", judge_spec=judge
    )
    verdicts = {r.question_id: r.verdict for r in report.results}
    assert verdicts == {"long0": "correct", "long1": "incorrect"}
    assert report.judge == "openai:deepseek-chat" and len(requests) == 2
    for result in report.results:
        assert result.judge["prompt"] and result.judge["reply"] and result.judge["reason"]
        assert result.judge["model"] == "openai:deepseek-chat"
    sent = json.loads(requests[0].content)
    assert sent["temperature"] == 0 and "연차휴가는 며칠인가요" in json.dumps(
        sent, ensure_ascii=False
    )
