"""The LLM judge: its prompt, reading its verdicts, and keeping what it was asked and said.

An OpenAI-compatible judge is served chat-completion streams in the shapes DeepSeek and
OpenAI send (tests/eval/fixtures/*.sse) through httpx.MockTransport; the many ways a reply
can be worded are covered with ScriptedLLM.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from dalin.errors import LLMAuthError
from dalin.eval.judge import UNPARSEABLE, Judge, judge_messages, parse_verdict
from dalin.eval.schema import QuestionItem
from dalin.eval.scoring import score_answer
from dalin.llm.base import Event, Message, ReasoningDelta, TextDelta
from dalin.llm.openai import OpenAICompatible
from dalin.testing.fake_llm import ScriptedLLM, says
from dalin.types import Answer

FIXTURES = Path(__file__).parent / "fixtures"

KO_ITEM = QuestionItem(
    id="q01",
    question="연차휴가는 며칠인가요?",
    reference_answer="1년간 80% 이상 출근한 근로자에게 15일의 유급휴가를 주며, "
    "3년 이상 근속하면 최초 1년을 초과하는 2년마다 1일을 가산하고 한도는 25일입니다.",
    language="ko",
)
EN_ITEM = QuestionItem(
    id="sec001",
    question="How has Apple's total net sales changed over time?",
    reference_answer=(
        "Total net sales were $82,959 million (Q3 2022), $117,154 million (Q1 2023), "
        "$94,836 million (Q2 2023) and $81,797 million (Q3 2023): up to Q1 2023, then down."
    ),
    language="en",
)


class RecordedServer:
    """Serves one recorded stream per request and keeps the requests."""

    def __init__(self, *fixtures: str) -> None:
        self.fixtures = list(fixtures)
        self.requests: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body = (FIXTURES / self.fixtures.pop(0)).read_bytes()
        # cut into small pieces, as a real stream arrives
        pieces = [body[i : i + 97] for i in range(0, len(body), 97)]
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=pieces)

    def judge(self, model: str) -> Judge:
        llm = OpenAICompatible(
            model,
            base_url="https://api.example.test/v1",
            api_key="sk-test",
            transport=httpx.MockTransport(self.handle),
        )
        return Judge(llm)

    def payload(self, index: int = 0) -> dict[str, object]:
        data = json.loads(self.requests[index].content)
        assert isinstance(data, dict)
        return data


def test_a_recorded_deepseek_judge_says_correct_in_korean() -> None:
    server = RecordedServer("judge_correct_deepseek_chat.sse")
    candidate = "연차휴가는 15일이며 [1], 근속 2년마다 1일씩 늘어 최대 25일입니다 [2]."
    verdict = server.judge("deepseek-chat").judge(KO_ITEM, candidate)
    assert verdict.correct
    assert verdict.reason == "답변이 참고 정답과 같이 연차휴가를 15일로 제시합니다."
    assert verdict.model == "openai:deepseek-chat"
    assert verdict.reply == f"VERDICT: CORRECT\n이유: {verdict.reason}"
    sent = server.payload()
    assert sent["temperature"] == 0.0 and sent["model"] == "deepseek-chat"
    messages = sent["messages"]
    assert isinstance(messages, list) and [m["role"] for m in messages] == ["system", "user"]
    user = messages[1]["content"]
    assert KO_ITEM.question in user and KO_ITEM.reference_answer in user and candidate in user
    assert "VERDICT: CORRECT" in user and "참고 정답" in user  # asked in Korean
    # what was stored is exactly what was sent
    assert verdict.prompt == f"[system]\n{messages[0]['content']}\n\n[user]\n{user}"


def test_a_recorded_openai_judge_says_incorrect_in_english() -> None:
    server = RecordedServer("judge_incorrect_openai.sse")
    candidate = "Apple's net sales in Q3 2023 were $94,836 million."
    verdict = server.judge("gpt-4o-mini").judge(EN_ITEM, candidate)
    assert not verdict.correct
    assert verdict.reason == (
        "The candidate gives $94,836 million for Q3 2023, but the reference says $81,797 million."
    )
    user = server.payload()["messages"][1]["content"]  # type: ignore[index]
    assert "Reference answer" in user and "참고 정답" not in user


def test_a_reasoning_judge_s_json_verdict_is_read_and_its_thinking_left_out() -> None:
    server = RecordedServer("judge_json_deepseek_reasoner.sse")
    item = QuestionItem("q15", "교정 주기는?", reference_answer="12개월마다 교정을 받아야 합니다.")
    verdict = server.judge("deepseek-reasoner").judge(item, "1년에 한 번 교정받으세요.")
    assert verdict.correct and verdict.reason == "1년에 한 번은 12개월마다와 같습니다"
    assert verdict.reply.startswith("```json\n{") and "참고 정답은" not in verdict.reply


def test_an_unparseable_recorded_reply_is_incorrect_and_kept() -> None:
    server = RecordedServer("judge_unparseable_openai.sse")
    verdict = server.judge("gpt-4o-mini").judge(EN_ITEM, "Sales went up and down.")
    assert not verdict.correct and verdict.reason == UNPARSEABLE
    assert verdict.reply.startswith("The candidate answer covers most of the reference")


def test_score_answer_stores_the_recorded_judge_s_prompt_and_reply() -> None:
    server = RecordedServer("judge_incorrect_openai.sse")
    answer = Answer(
        EN_ITEM.question, "Net sales were $94,836 million in Q3 2023 [1].", (), False, "en"
    )
    result = score_answer(EN_ITEM, answer, config="local", k=8, judge=server.judge("gpt-4o-mini"))
    assert result.verdict == "incorrect"
    assert set(result.judge) == {"model", "prompt", "reply", "reason"}
    assert result.judge["model"] == "openai:gpt-4o-mini"
    assert result.judge["reply"].startswith("VERDICT: INCORRECT\nThe candidate gives")
    assert (
        answer.text in result.judge["prompt"] and EN_ITEM.reference_answer in result.judge["prompt"]
    )
    # and the stored record survives the JSONL round trip the runner does
    assert type(result).from_json(json.loads(json.dumps(result.to_json()))) == result


def test_judge_errors_reach_the_caller() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        body = {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
        return httpx.Response(401, json=body)

    llm = OpenAICompatible("gpt-4o-mini", api_key="sk-bad", transport=httpx.MockTransport(refuse))
    with pytest.raises(LLMAuthError):
        Judge(llm).judge(EN_ITEM, "anything")


def test_the_prompt_follows_the_item_language_and_holds_all_three_texts() -> None:
    ko = judge_messages(KO_ITEM, "15일입니다.")
    en = judge_messages(EN_ITEM, "It went up.")
    assert "평가할 답변" in ko[1].content and "Candidate answer" in en[1].content
    # an item with no language set is asked about in the question's language
    unset = judge_messages(QuestionItem("x", "정년은?", reference_answer="60세"), "60세")
    assert "평가할 답변" in unset[1].content
    other = judge_messages(QuestionItem("x", "What?", reference_answer="That."), "This.")
    assert "## Question\nWhat?" in other[1].content
    assert "## Reference answer\nThat." in other[1].content
    assert "## Candidate answer\nThis." in other[1].content


def test_the_judge_asks_at_temperature_zero_and_ignores_reasoning() -> None:
    temperatures: list[float] = []

    class Recording(ScriptedLLM):
        def stream(
            self, messages: Sequence[Message], *, max_tokens: int = 1024, temperature: float = 0.2
        ) -> Iterator[Event]:
            temperatures.append(temperature)
            return super().stream(messages, max_tokens=max_tokens, temperature=temperature)

    llm = Recording(ReasoningDelta("VERDICT: INCORRECT"), TextDelta("VERDICT: CORRECT\nok"))
    verdict = Judge(llm).judge(KO_ITEM, "15일")
    assert temperatures == [0.0]
    assert verdict.correct and verdict.reply == "VERDICT: CORRECT\nok"


@pytest.mark.parametrize(
    ("reply", "correct", "reason"),
    [
        ("VERDICT: CORRECT\nSame facts.", True, "Same facts."),
        ("VERDICT: INCORRECT\nREASON: wrong year", False, "wrong year"),
        ("verdict: correct", True, ""),
        ("**VERDICT: CORRECT**\n**Reason:** all figures match", True, "all figures match"),
        (
            "VERDICT：INCORRECT\n이유：기간이 다릅니다",
            False,
            "기간이 다릅니다",
        ),  # full-width colons
        ("VERDICT: CORRECT - the figures match", True, "the figures match"),
        (
            "Let me compare.\nVERDICT: INCORRECT\nThe Q2 figure is wrong.",
            False,
            "The Q2 figure is wrong.",
        ),
        ("판정: 정답\n이유: 15일로 같습니다.", True, "15일로 같습니다."),
        ("판정: 오답입니다.\n근거: 기간이 다릅니다.", False, "기간이 다릅니다."),
        ("정답\n15일로 같습니다.", True, "15일로 같습니다."),
        ("오답입니다. 날짜가 다릅니다.", False, "날짜가 다릅니다."),
        ("CORRECT", True, ""),
        ('{"verdict": "INCORRECT", "reason": "missing Q1"}', False, "missing Q1"),
        ('```json\n{"verdict": "정답", "reason": "같은 뜻"}\n```', True, "같은 뜻"),
        ('{"correct": true, "reason": "ok"}', True, "ok"),
    ],
)
def test_parse_verdict_variants(reply: str, correct: bool, reason: str) -> None:
    assert parse_verdict(reply) == (correct, reason)
    verdict = Judge(says(reply)).judge(KO_ITEM, "15일")
    assert (verdict.correct, verdict.reason, verdict.reply) == (correct, reason, reply)


@pytest.mark.parametrize(
    "reply",
    [
        "",
        "The answer looks mostly right.",
        "정답과 비교하면 후보 답변은 기간이 다릅니다.",  # starts with 정답 but is not a verdict
        "Correctly, the candidate states the figures.",
        "VERDICT: MAYBE",
        '{"verdict": "partially"}',
        "{not json",
    ],
)
def test_unparseable_replies_are_incorrect(reply: str) -> None:
    assert parse_verdict(reply) == (False, UNPARSEABLE)
