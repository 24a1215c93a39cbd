"""The grounding check end to end (issue #19): a real OpenAI-compatible server on loopback
answers questions about examples/documents with scripted answers, some faithful, some
subtly wrong, and dalin decides what the user sees, through the library, the CLI, REST,
the OpenAI-compatible API, MCP and the answer log.

The table is the one the issue was filed with: faithful paraphrases and correct arithmetic
must be shown as written; changed numbers, wrong sums, flipped negations, widened scope and
invented meanings must never be shown as supported.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from fastapi.testclient import TestClient
from mcp import Client, StdioServerParameters

import dalin
from dalin.api.app import create_app
from dalin.api.server import Server
from dalin.testing.scripted_server import Script, running_scripted_server

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "examples" / "documents"
LLM = "openai:scripted"

#: (question, the model's scripted answer, the reason the check must give; "" = shown as is)
TABLE = [
    ("반품은 언제까지 가능한가요?",
     "제품을 받은 날부터 일주일 안에 신청하면 반품이나 교환을 할 수 있습니다 {cite:7일 이내}.", ""),
    ("출근 시각은 몇 시인가요?", "출근 시각은 오전 9시입니다 {cite:시업시각}.", ""),
    ("토크 렌치 교정 비용은 얼마인가요?",
     "교정 비용은 한 대에 55,000원이며 부가세는 별도입니다 {cite:1대당}.", ""),
    ("고객센터 운영 시간은?",
     "고객센터는 평일 오전 9시부터 오후 6시까지 운영합니다 {cite:평일 09:00~18:00}.", ""),
    ("출장비 정산은 언제까지 하나요?",
     "출장에서 돌아온 날부터 5영업일 안에 정산서를 경영지원팀에 내야 합니다 {cite:5영업일}.", ""),
    ("경조휴가 증빙서류는 언제까지 내나요?",
     "경조휴가가 끝난 날부터 일주일 안에 청첩장 같은 증빙서류를 경영지원팀에 내야 합니다 "
     "{cite:증빙서류}.", ""),
    ("부장 일비는 얼마인가요?", "부장과 차장의 일비는 하루 3만 원입니다 {cite:부장·차장}.", ""),
    ("E02는 무슨 뜻인가요?",
     "E02는 과부하 오류로, 220 N·m를 넘었다는 뜻입니다 {cite:과부하 (220}. "
     "즉시 힘을 빼야 합니다 {cite:과부하 (220}.", ""),
    ("임원이 2박 3일 출장을 가면 일비와 숙박비는 모두 얼마인가요?",
     "40,000원 × 3일 + 150,000원 × 2박 = 420,000원입니다 {cite:임원}.", ""),
    ("반품 기한은 며칠인가요?",
     "제품을 받은 날부터 30일 이내에 신청하면 반품이 가능합니다 {cite:7일 이내}.", "number"),
    ("교정은 얼마나 자주 받아야 하나요?",
     "교정 주기는 6개월을 권장합니다 {cite:교정 주기}.", "number"),
    ("부장이 2박 3일 출장을 가면 일비와 숙박비는 모두 얼마인가요?",
     "30,000원 × 3 + 100,000원 × 2 = 310,000원입니다 {cite:부장·차장}.", "arithmetic"),
    ("맞춤 가공품도 반품되나요?",
     "주문 제작한 가공품도 7일 이내라면 반품할 수 있습니다 {cite:주문 제작한 가공품}.",
     "contradiction"),
    ("떨어뜨려서 고장 나면 무상 수리되나요?",
     "떨어뜨려서 생긴 고장도 보증 기간 안이면 무상으로 수리됩니다 {cite:떨어뜨리거나}.",
     "contradiction"),
    ("배송비는 얼마인가요?",
     "주문 금액과 관계없이 배송비는 항상 무료입니다 {cite:5만원 이상}.", "scope"),
    ("E02는 무슨 오류인가요?", "E02는 배터리가 부족하다는 뜻입니다 {cite:배터리}.", "entity"),
]  # fmt: skip
SCRIPT = {question: reply for question, reply, _ in TABLE}


@pytest.fixture(scope="module")
def model_url() -> Iterator[str]:
    with running_scripted_server(
        Script(SCRIPT, {"현금으로": ("not_supported", "계좌로 지급")})
    ) as url:
        yield url


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dalin.Workspace]:
    ws = dalin.Workspace.create(tmp_path_factory.mktemp("grounding") / "ws")
    assert ws.add([DOCUMENTS]).ok
    yield ws
    ws.close()


def configure(folder: Path, url: str, *, verify: str = "auto") -> None:
    """Point a workspace's dalin.toml at the scripted model."""
    toml = folder / "dalin.toml"
    text = toml.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^llm = "extractive"', f'llm = "{LLM}"', text, count=1)
    text = re.sub(r'(?m)^base_url = ""', f'base_url = "{url}"', text, count=1)
    text = re.sub(r'(?m)^verify = "auto"', f'verify = "{verify}"', text, count=1)
    toml.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("question", "reply", "reason"), TABLE, ids=[q for q, _, _ in TABLE])
def test_the_issue_table_comes_out_right(
    examples: dalin.Workspace, model_url: str, question: str, reply: str, reason: str
) -> None:
    answer = examples.ask(question, llm=LLM, base_url=model_url)
    assert answer.method == "generative" and not answer.abstained
    written = re.sub(r"\s*\{cite:[^}]+\}", "", reply)
    if not reason:
        assert answer.flags == () and answer.grounded_rate == 1.0, answer.flags
        for sentence in re.split(r"(?<=[.])\s+", written):
            assert sentence in answer.text  # a faithful paraphrase is shown as written
        return
    (flag,) = answer.flags
    assert flag.reason == reason and flag.action == "replaced"
    assert flag.sentence == written and written not in answer.text
    assert answer.text.startswith(f"{flag.message}:")  # never shown as supported
    flagged = [c for c in answer.citations if c.flag]
    assert flagged and flagged[0].reason == flag.message and flagged[0].quote.strip()
    assert answer.grounded_rate == 0.0


def test_the_cli_prints_the_flag_and_the_models_sentence(
    examples: dalin.Workspace, model_url: str
) -> None:
    command = [sys.executable, "-m", "dalin", "-w", str(examples.path), "--lang", "ko", "ask",
               "맞춤 가공품도 반품되나요?", "--llm", LLM, "--base-url", model_url]  # fmt: skip
    shown = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    assert (
        "⚠ 근거와 반대되는 표현: 도면에 따라 주문 제작한 가공품은 반품되지 않습니다."
        in shown.stdout
    )
    assert "«주문 제작한 가공품도 7일 이내라면 반품할 수 있습니다.»" in shown.stdout
    as_json = subprocess.run(
        [*command, "--json"], capture_output=True, text=True, timeout=300, check=True
    )
    data = json.loads(as_json.stdout)
    assert data["flags"][0]["reason"] == "contradiction"
    assert data["citations"][0]["flag"] == "contradiction"


def test_rest_and_openai_api_carry_the_flag_in_citations(tmp_path: Path, model_url: str) -> None:
    server = Server(tmp_path / "serve", rate_per_minute=0)
    key = server.ensure_admin_key()
    server.create_workspace("shop")
    configure(server.workspace_path("shop"), model_url)
    with server.open_workspace("shop") as ws:
        assert ws.add([DOCUMENTS / "고객센터_FAQ.txt"]).ok
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(server)) as client:
        rest = client.post(
            "/api/v1/workspaces/shop/ask",
            json={"question": "배송비는 얼마인가요?"},
            headers=headers,
        ).json()
        assert rest["flags"][0]["reason"] == "scope"
        assert rest["flags"][0]["sentence"] == "주문 금액과 관계없이 배송비는 항상 무료입니다."
        assert rest["citations"][0]["flag"] == "scope"
        assert rest["citations"][0]["reason"] == "⚠ 근거보다 넓거나 좁게 말함"
        chat = client.post(
            "/v1/chat/completions",
            json={
                "model": "shop",
                "messages": [{"role": "user", "content": "배송비는 얼마인가요?"}],
            },
            headers=headers,
        ).json()
    message = chat["choices"][0]["message"]
    assert message["citations"][0]["flag"] == "scope"
    assert "(⚠ 근거보다 넓거나 좁게 말함)" in message["content"]  # in the sources list too
    assert "항상 무료" not in message["content"].split("출처")[0]
    assert message["flags"][0]["action"] == "replaced"
    server.close()


def test_mcp_ask_returns_the_flags(tmp_path: Path, model_url: str) -> None:
    folder = tmp_path / "ws"
    with dalin.Workspace.create(folder) as ws:
        assert ws.add([DOCUMENTS / "고객센터_FAQ.txt"]).ok
    configure(folder, model_url)
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "dalin", "mcp", "--workspace", str(folder)]
    )

    async def ask() -> dict[str, object]:
        async with Client(params, read_timeout_seconds=120) as client:
            result = await client.call_tool("ask", {"question": "맞춤 가공품도 반품되나요?"})
            assert result.structured_content is not None
            return result.structured_content

    answer = anyio.run(ask)
    flags = answer["flags"]
    assert isinstance(flags, list) and flags[0]["reason"] == "contradiction"
    citations = answer["citations"]
    assert isinstance(citations, list) and citations[0]["flag"] == "contradiction"


def test_the_verifier_flag_and_verdicts_reach_the_log(tmp_path: Path) -> None:
    script = Script(
        {"지급되나요": "임금은 매월 1일부터 말일까지 계산해 다음 달 10일에 지급합니다 "
                 "{cite:다음 달 10일}. 임금은 현금으로 지급합니다 {cite:다음 달 10일}."},
        {"현금으로": ("not_supported", "자료는 예금계좌로 지급한다고 함")},
    )  # fmt: skip
    with running_scripted_server(script) as url, dalin.Workspace.create(tmp_path / "ws") as ws:
        configure(ws.path, url, verify="on")
        assert ws.add([DOCUMENTS / "취업규칙.docx"]).ok
        with dalin.Workspace.open(ws.path) as reopened:
            answer = reopened.ask("임금은 언제 어떻게 지급되나요?")
            (entry, *_) = reopened.answer_log(limit=1)
    (flag,) = answer.flags
    assert (flag.reason, flag.action) == ("verifier", "marked")
    assert flag.verifier == "not_supported: 자료는 예금계좌로 지급한다고 함"
    assert answer.text.endswith("⚠ (검증 모델이 근거와 다르다고 판단)")
    assert len(script.requests) == 2  # the answer, then one verification
    verification = entry["verification"]
    assert isinstance(verification, dict) and verification["model"] == LLM
    assert [v["verdict"] for v in verification["verdicts"]] == ["supported", "not_supported"]
    assert verification["prompt_tokens"] > 0
    assert entry["flags"][0]["reason"] == "verifier"  # type: ignore[index]
