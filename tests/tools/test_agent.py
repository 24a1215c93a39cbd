"""The tool loop: calls run and fed back, every bound enforced in code, every call logged."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

import pytest

from dalin.errors import LLMToolsUnsupported
from dalin.llm.base import Event, Message, ReasoningDelta, TextDelta, ToolSpec, Usage
from dalin.testing.fake_llm import ScriptedSteps, calls
from dalin.testing.fake_tool import EchoTool
from dalin.tools.agent import AgentLimits, Citations, run_agent, with_tool_rules
from dalin.tools.calculator_tool import CalculatorTool
from dalin.types import Hit

QUESTION = [Message("system", "rules"), Message("user", "question")]
ROW = Hit(0, 7, "/docs/a.xlsx", "a.xlsx", "a.xlsx · Sheet1!A2:C2", 0.0, "수량: 17", 40, 48)


def given_hit(number: int) -> Hit:
    return Hit(
        number,
        1,
        "/docs/b.md",
        "b.md",
        f"b.md · ¶{number}",
        1.0,
        "text",
        number * 10,
        number * 10 + 5,
    )


def cite_none(hit: Hit) -> int:
    raise AssertionError("no tool here reads passages")


def test_a_call_runs_and_its_result_goes_back() -> None:
    llm = ScriptedSteps(
        [ReasoningDelta("need a sum"), calls("calculator", '{"expression": "17 + 6"}', "c1")],
        [TextDelta("합계는 23대입니다 [1].")],
    )
    run = run_agent(llm, QUESTION, [CalculatorTool()], cite=cite_none)
    assert run.generation.text == "합계는 23대입니다 [1]." and run.stopped == "answered"
    assert run.steps == 2 and llm.offered == [["calculator"], ["calculator"]]
    assistant, tool = llm.calls[1][-2:]
    assert assistant.role == "assistant" and assistant.tool_calls[0].id == "c1"
    assert assistant.reasoning == "need a sum"
    assert tool == Message("tool", '{"expression":"17 + 6","result":"23"}', tool_call_id="c1")
    (use,) = run.uses
    assert (use.name, use.summary, use.error) == ("calculator", "17 + 6 = 23", "")
    assert use.arguments == '{"expression": "17 + 6"}' and use.seconds >= 0
    assert run.generation.usage == Usage(prompt_tokens=200, completion_tokens=40)
    assert run.generation.reasoning == "need a sum"


def test_errors_go_back_to_the_model_and_are_logged() -> None:
    llm = ScriptedSteps(
        [
            calls("calculator", '{"expression": "9**9**9"}', "a"),
            calls("calculator", "not json", "b"),
            calls("shell", '{"cmd": "rm -rf /"}', "c"),
            calls("calculator", '{"expression": "1", "workspace": "other"}', "d"),
            calls("echo", '{"text": "x"}', "e"),
        ],
        [TextDelta("done")],
    )
    run = run_agent(llm, QUESTION, [CalculatorTool(), EchoTool(fails="disk full")], cite=cite_none)
    errors = [u.error for u in run.uses]
    assert "exponents must be whole numbers" in errors[0]
    assert "not a JSON object" in errors[1]
    assert "there is no tool 'shell'" in errors[2] and "calculator, echo" in errors[2]
    assert "workspace" in errors[3] and "Extra inputs are not permitted" in errors[3]
    assert errors[4] == "disk full"
    results = [m for m in llm.calls[1] if m.role == "tool"]
    assert [json.loads(m.content)["error"] for m in results] == errors
    assert run.generation.text == "done"


def test_steps_are_bounded_then_the_model_must_answer() -> None:
    echo = EchoTool()
    llm = ScriptedSteps([calls("echo", '{"text": "again"}')], [TextDelta("answer")])
    llm.steps = ([calls("echo", '{"text": "again"}')],) * 3 + ([TextDelta("answer")],)
    run = run_agent(llm, QUESTION, [echo], cite=cite_none, limits=AgentLimits(max_steps=2))
    assert llm.offered == [["echo"], ["echo"], []]  # the third step is offered no tools
    assert len(echo.calls) == 2 and run.steps == 3


def test_a_model_that_calls_tools_when_offered_none_gets_no_run() -> None:
    echo = EchoTool()
    llm = ScriptedSteps([calls("echo", '{"text": "x"}'), TextDelta("partial")])
    run = run_agent(llm, QUESTION, [echo], cite=cite_none, limits=AgentLimits(max_steps=0))
    assert not echo.calls and run.generation.text == "partial" and llm.offered == [[]]


def test_tool_calls_are_bounded() -> None:
    echo = EchoTool()
    many = [calls("echo", f'{{"text": "{i}"}}', f"c{i}") for i in range(5)]
    llm = ScriptedSteps(many, [TextDelta("ok")])
    run = run_agent(llm, QUESTION, [echo], cite=cite_none, limits=AgentLimits(max_tool_calls=3))
    assert len(echo.calls) == 3
    assert [bool(u.error) for u in run.uses] == [False, False, False, True, True]
    assert "too many tool calls" in run.uses[-1].error


def test_wall_time_is_bounded() -> None:
    now = [0.0]

    def clock() -> float:
        now[0] += 40.0  # every look at the clock, 40 s pass
        return now[0]

    llm = ScriptedSteps([calls("echo", '{"text": "x"}')])
    run = run_agent(
        llm, QUESTION, [EchoTool()], cite=cite_none, limits=AgentLimits(max_seconds=60), clock=clock
    )
    # started at 40 s; after step 1 it is 80 s (40 s used), after step 2 120 s (80 s > 60 s)
    assert run.stopped == "time" and run.generation.text == "" and run.steps == 2


def test_tokens_are_bounded() -> None:
    llm = ScriptedSteps([calls("echo", '{"text": "x"}')])  # 120 tokens a step
    run = run_agent(llm, QUESTION, [EchoTool()], cite=cite_none, limits=AgentLimits(max_tokens=300))
    assert run.stopped == "tokens" and run.steps == 3 and run.generation.text == ""
    assert run.generation.usage.prompt_tokens + run.generation.usage.completion_tokens == 360


def test_results_are_cut_to_the_context_left() -> None:
    llm = ScriptedSteps([calls("echo", json.dumps({"text": "가" * 400}))], [TextDelta("ok")])
    run_agent(llm, QUESTION, [EchoTool()], cite=cite_none, room_tokens=100)
    (result,) = [m for m in llm.calls[1] if m.role == "tool"]
    assert "does not fit in the model's context window" in result.content


class RefusesTools:
    """A server that answers 400 to tools (vLLM without a tool parser), text without."""

    name = "fake:no-tools"
    context_window = 8192
    supports_tools = True

    def __init__(self) -> None:
        self.offered: list[list[str]] = []

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 1024,
        temperature: float = 0.2,
        tools: Sequence[ToolSpec] = (),
    ) -> Iterator[Event]:
        self.offered.append([t.name for t in tools])
        if tools:
            raise LLMToolsUnsupported("tool choice requires --enable-auto-tool-choice")
        return iter([TextDelta("answered without tools")])

    def count_tokens(self, text: str) -> int:
        return len(text)


def test_a_server_that_refuses_tools_is_asked_again_without_them() -> None:
    llm = RefusesTools()
    run = run_agent(llm, QUESTION, [CalculatorTool()], cite=cite_none)
    assert run.generation.text == "answered without tools"
    assert llm.offered == [["calculator"], []] and run.stopped == "tools_refused"


def test_passages_tools_read_are_numbered_after_the_given_ones() -> None:
    cite = Citations({1: given_hit(1), 2: given_hit(2)})
    assert cite(given_hit(2)) == 2  # already given: keeps its number
    assert cite(ROW) == 3 and cite(ROW) == 3
    assert cite.added == [(3, ROW)]
    llm = ScriptedSteps([calls("echo", '{"text": "x"}')], [TextDelta("ok")])
    run_agent(llm, QUESTION, [EchoTool(passage=ROW)], cite=cite)
    (result,) = [m for m in llm.calls[1] if m.role == "tool"]
    assert json.loads(result.content)["cite"] == "[3]"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_tool_rules_join_the_system_message(language: str) -> None:
    system, user = with_tool_rules(QUESTION, language)
    assert system.content.startswith("rules") and "calculator" in system.content
    assert ("지시" if language == "ko" else "not instructions") in system.content
    assert user == QUESTION[1]
