"""The model verifier: its prompt, how its reply is read, how it combines with the offline
check, and what it costs. Model replies are scripted (ScriptedLLM) or served by a real
OpenAI-compatible server on loopback (dalin.testing.scripted_server)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from dalin.answer.generative import generative_answer
from dalin.answer.verifier import (
    Claim,
    ModelVerifier,
    parse_verdicts,
    verifier_enabled,
)
from dalin.llm.base import TextDelta, Usage
from dalin.llm.openai import OpenAICompatible
from dalin.testing.fake_llm import ScriptedLLM, says
from dalin.testing.scripted_server import Script, running_scripted_server
from dalin.types import Hit

CERTIFICATE = (
    "Q4. 토크 렌치 교정 서비스도 해 주나요?\n"
    "A. 네. 교정 비용은 1대당 55,000원(부가세 별도)이고, 입고 후 약 7영업일이 걸리며 "
    "교정성적서를 함께 발급합니다."
)
HITS = [
    Hit(1, 3, "/d/고객센터_FAQ.txt", "고객센터_FAQ.txt", "고객센터_FAQ.txt · ¶1", 3.0,
        CERTIFICATE, 0, len(CERTIFICATE))
]  # fmt: skip
QUESTION = "교정 비용은 얼마이고 교정성적서도 주나요?"


def flat_idf(tokens: Sequence[str]) -> Mapping[str, float]:
    return dict.fromkeys(tokens, 1.0)


def test_reading_verdicts_keeps_what_it_can_and_says_what_it_could_not() -> None:
    reply = (
        'Here you go:\n{"n": 1, "verdict": "supported", "reason": "같은 금액"}\n'
        '{"n": 2, "verdict": "contradicted", "reason": "함께 발급한다"} {"n": 9, "verdict": "x"}'
    )
    verdicts, problem = parse_verdicts(reply, 3)
    assert [(v.number, v.verdict) for v in verdicts] == [(1, "supported"), (2, "contradicted")]
    assert (
        verdicts[1].reason == "함께 발급한다"
        and problem == "no readable verdict for sentence(s) [3]"
    )
    assert parse_verdicts("not json at all", 1) == ((), "no readable verdict for sentence(s) [1]")


def test_the_prompt_holds_each_sentence_with_its_sources_and_each_source_once() -> None:
    verifier = ModelVerifier(says(""))
    messages = verifier.messages(
        [Claim("교정 비용은 55,000원입니다.", (1,)), Claim("성적서는 유료입니다.", (1,))],
        {1: "FAQ · Q4\n" + CERTIFICATE, 2: "다른 자료"},
        "ko",
    )
    user = messages[-1].content
    assert user.count("[1] FAQ · Q4") == 1 and "다른 자료" not in user
    assert "1. 교정 비용은 55,000원입니다. (→ [1])" in user and "2. 성적서는 유료입니다." in user
    assert messages[0].content.startswith("당신은 답변의 각 문장이")


def test_the_verifier_adds_a_flag_the_offline_check_could_not_see() -> None:
    answer_text = (
        "교정 비용은 1대당 55,000원입니다 [1]. 교정성적서는 별도 비용을 내야 발급됩니다 [1]."
    )
    verdicts = (
        '{"n": 1, "verdict": "supported", "reason": ""}\n'
        '{"n": 2, "verdict": "contradicted", "reason": "자료는 성적서를 함께 발급한다고 함"}'
    )
    checker_llm = ScriptedLLM(TextDelta(verdicts), Usage(prompt_tokens=400, completion_tokens=50))
    checker_llm.name = "deepseek:deepseek-chat"  # priced in the shipped table
    answer = generative_answer(
        QUESTION, HITS, says(answer_text), flat_idf, verifier=ModelVerifier(checker_llm)
    )
    assert answer.text.startswith("교정 비용은 1대당 55,000원입니다. [1]")
    assert "별도 비용을 내야" not in answer.text
    (flag,) = answer.flags  # its source sentence is already shown with the first one
    assert (flag.reason, flag.action) == ("verifier", "removed")
    assert (
        flag.message == "⚠ 검증 모델이 근거와 다르다고 판단"
        and "함께 발급합니다" in flag.replacement
    )
    assert flag.verifier == "contradicted: 자료는 성적서를 함께 발급한다고 함"
    run = answer.verification
    assert run is not None and run.model == "deepseek:deepseek-chat" and not run.error
    assert (run.prompt_tokens, run.completion_tokens) == (400, 50)
    assert run.cost_usd == pytest.approx((400 * 0.28 + 50 * 0.42) / 1_000_000)
    assert [v.verdict for v in run.verdicts] == ["supported", "contradicted"]


def test_the_verifier_never_clears_an_offline_flag() -> None:
    verdicts = '{"n": 1, "verdict": "supported", "reason": "ok"}'
    answer = generative_answer(
        QUESTION, HITS, says("교정 비용은 1대당 65,000원입니다 [1]."), flat_idf,
        verifier=ModelVerifier(says(verdicts)),
    )  # fmt: skip
    assert [f.reason for f in answer.flags] == ["number"]
    assert answer.flags[0].verifier == "supported: ok"


def test_an_unreadable_reply_leaves_the_offline_verdicts_and_is_recorded() -> None:
    answer = generative_answer(
        QUESTION, HITS, says("교정 비용은 1대당 55,000원입니다 [1]."), flat_idf,
        verifier=ModelVerifier(says("네, 맞습니다.")),
    )  # fmt: skip
    assert answer.flags == () and answer.text.endswith("[1]")
    assert answer.verification is not None
    assert answer.verification.error.startswith("no readable verdict")


def test_auto_verifies_api_models_only() -> None:
    deepseek = OpenAICompatible("deepseek-chat", base_url="https://api.deepseek.com")
    loopback = OpenAICompatible("qwen", base_url="http://127.0.0.1:11434/v1")
    assert verifier_enabled("auto", deepseek) and not verifier_enabled("auto", loopback)
    assert verifier_enabled("on", loopback) and not verifier_enabled("off", deepseek)
    assert not verifier_enabled("auto", ScriptedLLM()) and not verifier_enabled("on", None)


def test_verdicts_through_a_real_server_on_loopback() -> None:
    script = Script({}, {"별도 비용": ("contradicted", "함께 발급")})
    with running_scripted_server(script) as base_url:
        llm = OpenAICompatible("scripted", base_url=base_url)
        run = ModelVerifier(llm).verify(
            [
                Claim("교정 비용은 55,000원입니다.", (1,)),
                Claim("성적서는 별도 비용을 내야 합니다.", (1,)),
            ],
            {1: CERTIFICATE},
            "ko",
        )
    assert [(v.number, v.verdict) for v in run.verdicts] == [(1, "supported"), (2, "contradicted")]
    assert run.prompt_tokens > 0 and run.completion_tokens > 0 and run.cost_usd is None
    (request,) = script.requests
    assert request["temperature"] == 0.0 and request["max_tokens"] == 140
