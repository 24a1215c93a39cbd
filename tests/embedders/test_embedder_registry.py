"""make_embedder: specs to embedders, API keys only where they belong."""

from __future__ import annotations

import pytest

from dalin.embedders.base import Embedder
from dalin.embedders.local import LocalE5
from dalin.embedders.openai import OpenAIEmbedder
from dalin.embedders.registry import make_embedder
from dalin.errors import EmbedderError

LOCAL_URL = "http://127.0.0.1:8000/v1"


@pytest.mark.parametrize("spec", ["none", "off", "", "  ", "None", "OFF"])
def test_off(spec: str) -> None:
    assert make_embedder(spec) is None


@pytest.mark.parametrize("spec", ["local", " local ", "local:multilingual-e5-small-q4"])
def test_local(spec: str) -> None:
    embedder = make_embedder(spec)
    assert isinstance(embedder, LocalE5) and isinstance(embedder, Embedder)


def test_openai_model_defaults_to_openai_with_its_key() -> None:
    embedder = make_embedder("openai:text-embedding-3-small", env={"OPENAI_API_KEY": "sk-o"})
    assert isinstance(embedder, OpenAIEmbedder)
    assert (embedder.base_url, embedder.dim) == ("https://api.openai.com/v1", 1536)
    assert embedder._endpoint.client.headers["authorization"] == "Bearer sk-o"


def test_other_models_need_a_base_url() -> None:
    with pytest.raises(EmbedderError, match="needs base_url"):
        make_embedder("openai:multilingual-e5-small-q4")


def test_a_local_server_never_gets_the_openai_key() -> None:
    embedder = make_embedder("openai:e5", base_url=LOCAL_URL, env={"OPENAI_API_KEY": "sk-o"})
    assert isinstance(embedder, OpenAIEmbedder)
    assert "authorization" not in embedder._endpoint.client.headers
    assert embedder.name == f"openai:e5@{LOCAL_URL}" and embedder.dim == 0


def test_dalin_embed_api_key_goes_anywhere() -> None:
    embedder = make_embedder(
        "openai:e5", base_url=LOCAL_URL + "/", env={"DALIN_EMBED_API_KEY": "sk-d"}
    )
    assert isinstance(embedder, OpenAIEmbedder)
    assert embedder._endpoint.client.headers["authorization"] == "Bearer sk-d"
    assert embedder.name == f"openai:e5@{LOCAL_URL}"  # a trailing slash is not another cache


def test_an_explicit_key_wins() -> None:
    embedder = make_embedder(
        "openai:e5", base_url=LOCAL_URL, api_key="sk-x", env={"DALIN_EMBED_API_KEY": "sk-d"}
    )
    assert isinstance(embedder, OpenAIEmbedder)
    assert embedder._endpoint.client.headers["authorization"] == "Bearer sk-x"


def test_the_name_keeps_no_password() -> None:
    embedder = make_embedder("openai:e5", base_url="http://me:secret@10.0.0.5:8000/v1")
    assert isinstance(embedder, OpenAIEmbedder)
    assert embedder.name == "openai:e5@http://10.0.0.5:8000/v1"
    assert embedder.base_url == "http://me:secret@10.0.0.5:8000/v1"  # still used to connect


@pytest.mark.parametrize("spec", ["openai:", "openai", "local:/x.bin", "e5", "none:x"])
def test_unknown_specs_list_the_forms(spec: str) -> None:
    with pytest.raises(EmbedderError, match="unknown embedder spec") as caught:
        make_embedder(spec)
    assert "openai:MODEL" in caught.value.detail and caught.value.code == "embedder_error"
