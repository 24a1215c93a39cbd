"""make_llm: specs to backends, API keys from the right variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from dalin.errors import LLMSpecError
from dalin.llm.base import LLM
from dalin.llm.openai import OpenAICompatible
from dalin.llm.registry import make_llm


def test_deepseek_shorthand() -> None:
    llm = make_llm("deepseek:deepseek-reasoner", env={"DEEPSEEK_API_KEY": "sk-ds"})
    assert isinstance(llm, OpenAICompatible)
    assert isinstance(llm, LLM)
    assert (llm.base_url, llm.model, llm.name) == (
        "https://api.deepseek.com",
        "deepseek-reasoner",
        "openai:deepseek-reasoner",
    )
    assert llm._endpoint.client.headers["authorization"] == "Bearer sk-ds"


def test_openai_with_a_local_base_url_sends_no_provider_key() -> None:
    env = {"OPENAI_API_KEY": "sk-openai"}
    llm = make_llm("openai:qwen3", base_url="http://127.0.0.1:8000/v1", env=env)
    assert isinstance(llm, OpenAICompatible)
    assert "authorization" not in llm._endpoint.client.headers
    assert llm.context_window == 8192


def test_api_key_order() -> None:
    env = {"OPENAI_API_KEY": "o", "DEEPSEEK_API_KEY": "s"}
    llm = make_llm("openai:gpt-4o-mini", api_key="explicit", env=env)
    assert isinstance(llm, OpenAICompatible)
    assert llm._endpoint.client.headers["authorization"] == "Bearer explicit"
    assert llm.base_url == "https://api.openai.com/v1"


def test_local_spec_with_a_missing_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "none.gguf"
    llm = make_llm(f"local:{missing}")
    assert llm.name == "local:none"
    with pytest.raises(Exception, match=str(missing)):
        llm.count_tokens("x")


@pytest.mark.parametrize("spec", ["", "gpt-4o", "openai:", "anthropic:claude", "deepseek: "])
def test_unknown_specs_list_the_forms(spec: str) -> None:
    with pytest.raises(LLMSpecError, match=r"local:/path/to/model\.gguf") as caught:
        make_llm(spec)
    assert "deepseek:deepseek-chat" in str(caught.value)
    assert caught.value.code == "llm_bad_spec"
