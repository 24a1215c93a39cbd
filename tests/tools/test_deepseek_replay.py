"""Function calling against recorded DeepSeek streams, served by a real loopback HTTP server,
with the tools running for real over a real workspace (the example price list).

See fixtures/README.md for what the streams are and how they were written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tool_support import PRICE_LIST
from typer.testing import CliRunner

import dalin
from dalin.answer.grounding import check_answer
from dalin.cli.main import app
from dalin.llm.openai import OpenAICompatible
from dalin.testing.replay_server import Recorded, ReplayServer, recorded
from dalin.tools.evidence import computed_values

FIXTURES = Path(__file__).parent / "fixtures"
QUESTION = "HB-200 토크 렌치와 전용 케이스를 함께 사면 얼마인가요?"
ROWS = ["가격표_2025.md · 표 1 · 13행", "가격표_2025.md · 표 1 · 14행"]


def conversation(model: str) -> list[Recorded]:
    return [recorded(FIXTURES / f"deepseek_{model}_tools_{step}.sse") for step in (1, 2, 3)]


@pytest.fixture
def prices(tmp_path: Path) -> Iterator[dalin.Workspace]:
    """A fresh workspace per test: every test reads its own answer log."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / PRICE_LIST.name).write_bytes(PRICE_LIST.read_bytes())
    ws = dalin.Workspace.create(folder / ".dalin")
    assert ws.add([folder]).ok
    yield ws
    ws.close()


def deepseek(model: str, server: ReplayServer) -> OpenAICompatible:
    return OpenAICompatible(model, base_url=server.base_url, api_key="sk-test", max_retries=0)


def test_deepseek_chat_calls_tools_and_its_computed_total_is_grounded(
    prices: dalin.Workspace,
) -> None:
    with ReplayServer(*conversation("chat")) as server:
        answer = prices.ask(QUESTION, llm=deepseek("deepseek-chat", server))
    assert server.left == 0 and len(server.requests) == 3
    # every request offers the three tools, described for function calling
    for request in server.requests:
        offered = {t["function"]["name"]: t["function"] for t in request["tools"]}
        assert set(offered) == {"calculator", "table_query", "search"}
        assert "t1: 가격표_2025.md" in offered["table_query"]["description"]
        assert offered["table_query"]["parameters"]["additionalProperties"] is False
    # the second request carries the call and the real result of running it
    call, result = server.requests[1]["messages"][-2:]
    assert call["role"] == "assistant" and call["content"] is None
    assert call["tool_calls"][0]["function"]["name"] == "table_query"
    assert "reasoning_content" not in call  # deepseek-chat sent none, so none goes back
    assert result["role"] == "tool" and result["tool_call_id"] == call["tool_calls"][0]["id"]
    rows = json.loads(result["content"])
    assert rows["rows"] == [
        ["HB-200", "디지털 토크 렌치 HB-200", 385000],
        ["HB-200-CS", "HB-200 전용 케이스", 32000],
    ]
    assert rows["cite"] == ["[2]", "[3]"]
    # the answer: both sentences supported, the total because the calculator made it from the
    # cited rows; citations renumbered and pointing at the rows themselves
    assert answer.method == "generative" and answer.unsupported == ()
    assert "385,000 + 32,000 = 417,000" in answer.text
    assert [c.label for c in answer.citations] == ROWS
    assert [t.name for t in answer.tools] == ["table_query", "calculator"]
    assert answer.tools[1].summary == "385,000 + 32,000 = 417,000"
    # usage is the sum of the three steps (fixtures: 2184+2391+2463, 61+27+58)
    assert (answer.prompt_tokens, answer.completion_tokens) == (7038, 146)
    assert answer.cached_prompt_tokens == 2048 + 2176 + 2368
    assert answer.cost_usd is not None and answer.cost_usd > 0
    (logged,) = prices.answer_log(1)
    assert [t["name"] for t in logged["tools"]] == ["table_query", "calculator"]  # type: ignore[index]
    assert logged["tools"][1]["numbers"] == [{"value": "417000", "operands": ["385000", "32000"]}]  # type: ignore[index]


def test_a_bare_total_needs_the_tool_and_a_written_sum_must_add_up(
    prices: dalin.Workspace,
) -> None:
    with ReplayServer(*conversation("chat")) as server:
        answer = prices.ask(QUESTION, llm=deepseek("deepseek-chat", server))
    rows = {c.number: f"{c.label}\n{c.quote}" for c in answer.citations}
    (shown,) = check_answer(answer.text.split(". ")[1], rows).sentences
    assert shown.supported  # 385,000 + 32,000 = 417,000: both operands cited, the sum adds up
    (wrong,) = check_answer(
        "두 품목을 함께 사면 385,000 + 32,000 = 427,000원입니다 [1][2].", rows
    ).sentences
    assert not wrong.supported
    bare = "두 품목을 함께 사면 417,000원입니다 [1][2]."
    (alone,) = check_answer(bare, rows).sentences
    assert not alone.supported  # 417,000 stands in no row
    (with_tool,) = check_answer(bare, rows, computed=computed_values(answer.tools)).sentences
    assert with_tool.supported


def test_deepseek_thinking_mode_gets_its_reasoning_back_and_keeps_it_apart(
    prices: dalin.Workspace,
) -> None:
    with ReplayServer(*conversation("reasoner")) as server:
        answer = prices.ask(QUESTION, llm=deepseek("deepseek-reasoner", server))
    assert server.left == 0
    # DeepSeek refuses (400) a tool-calling turn sent back without its reasoning_content
    second, third = server.requests[1]["messages"], server.requests[2]["messages"]
    turns = [m for m in third if m["role"] == "assistant"]
    assert len(turns) == 2 and all(m["reasoning_content"] for m in turns)
    assert turns[0] == next(m for m in second if m["role"] == "assistant")
    # two calls in one step ran in order, each answered by its id
    calls = turns[0]["tool_calls"]
    assert [c["function"]["name"] for c in calls] == ["search", "table_query"]
    results = [m for m in third if m["role"] == "tool"]
    assert [r["tool_call_id"] for r in results[:2]] == [c["id"] for c in calls]
    # the answer text holds no reasoning; the reasoning of all three steps is kept apart
    assert answer.unsupported == () and "417,000" in answer.text
    assert "계산기로 구한다" in answer.reasoning and "계산기" not in answer.text
    assert answer.reasoning_tokens == 74 + 38 + 35
    assert [c.label for c in answer.citations] == ROWS
    assert [t.name for t in answer.tools] == ["search", "table_query", "calculator"]


def test_a_server_that_will_not_call_tools_is_asked_again_without_them(
    prices: dalin.Workspace,
) -> None:
    refusal = json.dumps({"error": "registry.ollama.ai/library/gemma3:270m does not support tools"})
    reply = "".join(
        f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
        for chunk in (
            {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]},
            {
                "choices": [
                    {"index": 0, "delta": {"content": "전용 케이스의 단가는 32,000입니다 [1]."}}
                ]
            },
            {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        )
    )
    with ReplayServer(
        Recorded(refusal.encode(), 400, "application/json"),
        Recorded((reply + "data: [DONE]\n\n").encode()),
    ) as server:
        answer = prices.ask(QUESTION, llm=deepseek("gemma3:270m", server))
    assert "tools" in server.requests[0] and "tools" not in server.requests[1]
    assert answer.method == "generative" and "32,000" in answer.text and answer.tools == ()


def test_the_command_line_shows_the_tools_with_stats(prices: dalin.Workspace) -> None:
    with ReplayServer(*conversation("chat")) as server:
        result = CliRunner().invoke(
            app,
            [
                "-w", str(prices.path), "--lang", "en", "ask", QUESTION,
                "--llm", "openai:deepseek-chat", "--base-url", server.base_url, "--stats",
            ],
            env={"DALIN_API_KEY": "sk-test"},
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "417,000" in output and "Tools used: 2 calls" in output
    assert "table_query" in output and "2 rows from t1 (가격표_2025.md)" in output
    assert "calculator" in output and "385,000 + 32,000 = 417,000" in output
