"""Tool calls in the HTTP answers: REST `tools`, OpenAI-compatible `tools_used`, turns.

The workspace's model is a replay of recorded DeepSeek tool-call streams on loopback
(tests/tools/fixtures); the tools run for real over the example price list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import openai
import pytest

from dalin.api.app import create_app
from dalin.api.server import Server
from dalin.testing.live_server import running_app, seed_workspace
from dalin.testing.replay_server import ReplayServer, recorded

ROOT = Path(__file__).resolve().parents[2]
PRICE_LIST = ROOT / "examples" / "documents" / "가격표_2025.md"
FIXTURES = ROOT / "tests" / "tools" / "fixtures"
QUESTION = "HB-200 토크 렌치와 전용 케이스를 함께 사면 얼마인가요?"
ANSWERS = 3  # conversations the replay holds: one per test that asks


@dataclass(frozen=True)
class Live:
    url: str
    key: str


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = Server(tmp_path_factory.mktemp("serve"), rate_per_minute=0)
    steps = [FIXTURES / f"deepseek_chat_tools_{i}.sse" for i in (1, 2, 3)]
    with ReplayServer(*(recorded(s) for _ in range(ANSWERS) for s in steps)) as replay:
        # set before the server opens the workspace: it reads dalin.toml once
        model = {"llm": "openai:deepseek-chat", "base_url": replay.base_url}
        seed_workspace(server, "prices", [PRICE_LIST], answer=model)
        key = server.create_key("staff", "viewer", "prices").key
        with running_app(create_app(server)) as url:
            yield Live(url, key)
    server.close()


def test_rest_answers_and_turns_carry_the_tool_calls(live: Live) -> None:
    headers = {"Authorization": f"Bearer {live.key}"}
    with httpx.Client(base_url=f"{live.url}/api/v1", headers=headers, timeout=60) as api:
        answer = api.post("/workspaces/prices/ask", json={"question": QUESTION}).json()
        assert [t["name"] for t in answer["tools"]] == ["table_query", "calculator"]
        calculator = answer["tools"][1]
        assert calculator["summary"] == "385,000 + 32,000 = 417,000" and calculator["error"] == ""
        assert answer["tools"][0]["sources"] == [
            "가격표_2025.md · 표 1 · 13행",
            "가격표_2025.md · 표 1 · 14행",
        ]
        assert "417,000" in answer["text"] and answer["unsupported"] == []
        turns = api.get(f"/workspaces/prices/conversations/{answer['conversation_id']}").json()
        assert turns["turns"][0]["tools"] == answer["tools"]


def test_openai_compatible_answers_name_the_tools_used_never_tool_calls(live: Live) -> None:
    client = openai.OpenAI(base_url=f"{live.url}/v1", api_key=live.key, max_retries=0)
    reply = client.chat.completions.create(
        model="prices", messages=[{"role": "user", "content": QUESTION}]
    )
    message = reply.choices[0].message
    assert message.tool_calls is None  # dalin ran them; the client must not
    used = (message.model_extra or {})["tools_used"]
    assert [t["name"] for t in used] == ["table_query", "calculator"]
    assert "417,000" in (message.content or "")


def test_streamed_openai_answers_end_with_the_tools_used(live: Live) -> None:
    body = {"model": "prices", "stream": True, "messages": [{"role": "user", "content": QUESTION}]}
    headers = {"Authorization": f"Bearer {live.key}"}
    with httpx.stream(
        "POST", f"{live.url}/v1/chat/completions", json=body, headers=headers, timeout=60
    ) as response:
        events = [line[6:] for line in response.iter_lines() if line.startswith("data: ")]
    final = json.loads(events[-2])
    assert final["choices"][0]["finish_reason"] == "stop"
    assert [t["name"] for t in final["tools_used"]] == ["table_query", "calculator"]
