"""Workspace.ask with models: the bundled local model, a real OpenAI-compatible server on
loopback, and scripted outputs for what must happen to a given answer (cost, log, fallback).

Assertions are about behaviour — every sentence shown is cited or marked, reasoning kept
apart, tokens and cost counted, the answer logged — never about the model's eloquence.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

import dalin
from dalin.answer.support import REASONS
from dalin.errors import LLMAuthError, LLMUnreachable
from dalin.llm.base import Event, Message, ReasoningDelta, TextDelta, Usage
from dalin.llm.local import LocalGGUF
from dalin.testing.fake_llm import ScriptedLLM

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

QUESTION = "연차휴가는 며칠인가요?"
#: a citation, or the marker of a flagged sentence with its reason in either language
_FLAGGED = "|".join(re.escape(text) for texts in REASONS.values() for text in texts.values())
MARK = re.compile(rf"(\[\d+\]|⚠ \((?:{_FLAGGED})\))\s*$")


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    ws = dalin.Workspace.create(tmp_path_factory.mktemp("ask") / "ws")
    ws.add([EXAMPLES / "documents"])
    yield ws
    ws.close()


def assert_nothing_unmarked(answer: dalin.Answer) -> None:
    """Each line of a model answer ends in a citation or the not-supported marker."""
    if answer.method != "generative" or answer.abstained:
        return
    for line in answer.text.splitlines():
        if line.strip():
            assert MARK.search(line), f"unmarked, uncited line: {line!r}"


def deepseek_like(*events: Event) -> ScriptedLLM:
    llm = ScriptedLLM(*events)
    llm.name = "deepseek:deepseek-chat"  # priced in the shipped table
    return llm


def test_cost_tokens_and_reasoning_of_a_priced_model(examples: dalin.Workspace) -> None:
    llm = deepseek_like(
        ReasoningDelta("제12조를 보면 15일이다."),
        TextDelta("1년간 80퍼센트 이상 출근하면 15일의 유급휴가를 받습니다. [1]"),
        Usage(prompt_tokens=1000, completion_tokens=100, cached_prompt_tokens=200,
              reasoning_tokens=40),
    )  # fmt: skip
    answer = examples.ask(QUESTION, llm=llm)
    assert answer.method == "generative" and "15일" in answer.text
    assert answer.reasoning == "제12조를 보면 15일이다." and "제12조를 보면" not in answer.text
    expected = (800 * 0.28 + 200 * 0.028 + 100 * 0.42) / 1_000_000
    assert answer.cost_usd == pytest.approx(expected)
    assert answer.cost_krw == pytest.approx(expected * 1400)
    (entry, *_) = examples.answer_log(limit=1)
    assert entry["question"] == QUESTION and entry["model"] == "deepseek:deepseek-chat"
    assert entry["prompt_tokens"] == 1000 and entry["cached_prompt_tokens"] == 200
    assert entry["cost_usd"] == pytest.approx(expected)
    assert entry["citations"] and entry["sources"] and entry["total_seconds"] > 0


def test_workspace_prices_override_the_shipped_list(tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    dalin.Workspace.create(ws_dir).close()
    config = ws_dir / "dalin.toml"
    config.write_text(
        config.read_text() + '\n[prices."deepseek-chat"]\ninput = 1.0\noutput = 2.0\n'
    )
    with dalin.Workspace.open(ws_dir) as ws:
        ws.add([EXAMPLES / "documents" / "취업규칙.docx"])
        llm = deepseek_like(
            TextDelta("15일의 유급휴가를 준다. [1]"),
            Usage(prompt_tokens=1_000_000, completion_tokens=1_000_000),
        )
        answer = ws.ask(QUESTION, llm=llm)
    assert answer.cost_usd == pytest.approx(3.0)


def test_an_unpriced_model_has_unknown_cost(examples: dalin.Workspace) -> None:
    answer = examples.ask(QUESTION, llm=ScriptedLLM(TextDelta("15일의 유급휴가를 준다. [1]")))
    assert answer.cost_usd is None and answer.cost_krw is None


class Failing:
    context_window = 8192

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.name = "openai:down"

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int = 1024, temperature: float = 0.2
    ) -> Iterator[Event]:
        raise self.error

    def count_tokens(self, text: str) -> int:
        return len(text) // 2


def test_an_unreachable_model_falls_back_with_the_reason(
    examples: dalin.Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    down = Failing(LLMUnreachable("cannot reach http://127.0.0.1:9/v1"))
    answer = examples.ask(QUESTION, llm=down)
    assert answer.method == "extractive-fallback" and not answer.abstained
    assert "llm_unreachable" in answer.notice
    # the server's address is for the operator's log, not for every reader (issue 15 item 12)
    assert "127.0.0.1" not in answer.notice
    assert "127.0.0.1:9" in caplog.text
    assert answer.citations and "15일" in answer.text


def test_a_setup_error_is_raised_not_hidden(examples: dalin.Workspace) -> None:
    with pytest.raises(LLMAuthError):
        examples.ask(QUESTION, llm=Failing(LLMAuthError("the API key was refused")))


def test_unanswerable_questions_abstain_without_calling_the_model(
    examples: dalin.Workspace,
) -> None:
    llm = ScriptedLLM(TextDelta("화성 이주 수당은 100만 원입니다. [1]"))
    answer = examples.ask("화성 이주 수당은 얼마인가요?", llm=llm)
    assert answer.abstained and llm.calls == []


def test_a_follow_up_is_searched_with_the_earlier_topic(examples: dalin.Workspace) -> None:
    first = examples.ask(QUESTION)
    follow = examples.ask(
        "그럼 3년 근무하면요?", history=[(QUESTION, first.text)], conversation="c1"
    )
    assert not follow.abstained and follow.query.startswith("연차")
    assert any("16일" in c.quote or "3년" in c.quote for c in follow.citations)
    assert examples.answer_log(conversation="c1")[0]["query"] == follow.query


def test_model_spec_extractive_means_no_model(examples: dalin.Workspace) -> None:
    assert examples.model("extractive") is None
    answer = examples.ask(QUESTION, llm="extractive")
    assert answer.method == "extractive" and answer.cost_usd == 0.0


# --- real models ---------------------------------------------------------------------------


def test_the_bundled_local_model_answers_and_nothing_reaches_the_user_unmarked(
    examples: dalin.Workspace, local_llm: LocalGGUF
) -> None:
    for question in (QUESTION, "HB-200 배터리는 몇 시간 쓸 수 있나요?"):
        answer = examples.ask(question, llm=local_llm)
        assert answer.model.startswith("local:gemma-3-270m")
        assert answer.method in ("generative", "extractive-fallback")
        assert answer.prompt_tokens > 0 and answer.completion_tokens > 0
        assert answer.cost_usd == 0.0 and answer.context_tokens > 0
        assert_nothing_unmarked(answer)
        assert all(c.quote and c.document for c in answer.citations)


def test_a_real_openai_compatible_server(examples: dalin.Workspace, llama_server: str) -> None:
    answer = examples.ask(QUESTION, llm="openai:gemma-3-270m", base_url=llama_server)
    assert answer.model == "openai:gemma-3-270m"
    assert answer.method in ("generative", "extractive-fallback")
    assert answer.prompt_tokens > 0 and answer.first_token_seconds is not None
    assert answer.cost_usd is None  # no price for this model: unknown, not free
    assert_nothing_unmarked(answer)


def test_cli_ask_json_with_a_real_server(
    examples: dalin.Workspace, llama_server: str, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "dalin", "-w", str(examples.path), "ask", QUESTION]
    options = ["--llm", "openai:gemma-3-270m", "--base-url", llama_server, "--json"]
    done = subprocess.run(
        command + options, capture_output=True, text=True, timeout=300, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["model"] == "openai:gemma-3-270m" and "reasoning" in data
    assert {"prompt_tokens", "cost_usd", "removed_citations", "citations"} <= set(data)


def test_cli_ask_with_an_unreachable_server_still_answers(examples: dalin.Workspace) -> None:
    command = [sys.executable, "-m", "dalin", "-w", str(examples.path), "--lang", "en", "ask"]
    options = ["--llm", "openai:any", "--base-url", "http://127.0.0.1:9/v1", "--stats"]
    done = subprocess.run(
        [*command, QUESTION, *options], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "llm_unreachable" in done.stdout and "[1]" in done.stdout
    assert "extractive-fallback" in done.stdout
