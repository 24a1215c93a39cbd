"""OpenAICompatible against a real OpenAI-compatible server (llama_cpp.server) on loopback."""

from __future__ import annotations

import pytest

from dalin.errors import LLMServerError, LLMUnreachable
from dalin.llm.base import Message, TextDelta, Usage, collect
from dalin.llm.openai import OpenAICompatible
from dalin.testing.llm_server import SERVED_MODEL, free_port

CAPITAL = [Message("user", "What is the capital of France?")]
RAG = [
    Message(
        "system",
        "다음 문서를 참고해 질문에 답하세요.\n\n"
        "[1] HB-200 사용설명서: 오류 코드 E02는 급수 탱크가 비었음을 뜻한다.",
    ),
    Message("user", "HB-200 오류 코드 E02는 무슨 뜻이에요?"),
]


def test_the_server_answers_rather_than_echoing(llama_server: str) -> None:
    with OpenAICompatible(SERVED_MODEL, base_url=llama_server) as llm:
        answer = collect(llm.stream(CAPITAL, max_tokens=24, temperature=0))
    assert "Paris" in answer.text
    assert "capital of France?" not in answer.text


def test_streams_korean_in_pieces_with_estimated_usage(llama_server: str) -> None:
    with OpenAICompatible(SERVED_MODEL, base_url=llama_server) as llm:
        events = list(llm.stream(RAG, max_tokens=32, temperature=0))
    texts = [e.text for e in events if isinstance(e, TextDelta)]
    assert len(texts) > 3
    assert "급수 탱크" in "".join(texts)
    usage = events[-1]
    assert isinstance(usage, Usage)
    # llama_cpp.server ignores stream_options.include_usage, so the client estimates
    assert usage.estimated
    assert usage.prompt_tokens >= sum(llm.count_tokens(m.content) for m in RAG)
    assert usage.completion_tokens == llm.count_tokens("".join(texts))


def test_lists_the_served_model(llama_server: str) -> None:
    with OpenAICompatible(SERVED_MODEL, base_url=llama_server) as llm:
        assert llm.list_models() == (SERVED_MODEL,)


def test_single_model_server_ignores_an_unknown_model_name(llama_server: str) -> None:
    # llama_cpp.server with one model serves it whatever name is asked for; servers that
    # check names (OpenAI, DeepSeek, Ollama, vLLM) answer 404, covered in test_openai_mock
    with OpenAICompatible("no-such-model", base_url=llama_server) as llm:
        assert collect(llm.stream(CAPITAL, max_tokens=8, temperature=0)).text.strip()


def test_prompt_beyond_the_servers_context_is_an_llm_error(llama_server: str) -> None:
    # the server checks the length only once the stream has begun, then closes it empty
    llm = OpenAICompatible(SERVED_MODEL, base_url=llama_server)
    with llm, pytest.raises(LLMServerError, match=r"without sending anything.*context window"):
        list(llm.stream([Message("user", "연차 " * 3000)], max_tokens=8))


def test_nothing_listening_is_unreachable() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    llm = OpenAICompatible(SERVED_MODEL, base_url=url, max_retries=1, sleep=lambda _: None)
    expected = r"127\.0\.0\.1.*tried 2 times.*server is running"
    with llm, pytest.raises(LLMUnreachable, match=expected):
        list(llm.stream(CAPITAL))
