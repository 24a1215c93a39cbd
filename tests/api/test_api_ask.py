"""Questions over HTTP: the answer JSON, the SSE stream, conversations, evaluation runs."""

from __future__ import annotations

import json

import pytest
from api_support import QUESTIONS, Deployment, bearer, wait_for_run

from dalin.errors import LLMAuthError
from dalin.types import Answer
from dalin.workspace import Workspace

ANSWER_FIELDS = {
    "tools",
    "conversation_id",
    "text",
    "citations",
    "reasoning",
    "abstained",
    "method",
    "model",
    "unsupported",
    "removed_citations",
    "notice",
    "tokens",
    "cost_usd",
    "total_seconds",
    "flags",
    "verification",
}
CITATION_FIELDS = {
    "number", "doc_id", "document", "label", "quote", "start", "end", "page", "flag", "reason"
}  # fmt: skip


def _events(body: str) -> list[tuple[str, dict[str, object]]]:
    """(event, data) pairs of a text/event-stream body; comments skipped."""
    found = []
    for block in body.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith(":")]
        if not lines:
            continue
        fields = dict(line.split(": ", 1) for line in lines)
        found.append((fields["event"], json.loads(fields["data"])))
    return found


def test_answer_json_has_the_documented_fields(deployment: Deployment) -> None:
    answer = deployment.client.post(
        "/api/v1/workspaces/alpha/ask",
        json={"question": "연차휴가는 며칠인가요"},
        headers=bearer(deployment.keys["viewer"]),
    ).json()
    assert set(answer) == ANSWER_FIELDS
    assert not answer["abstained"] and "[1]" in answer["text"]
    assert set(answer["citations"][0]) == CITATION_FIELDS
    assert answer["citations"][0]["document"] == "취업규칙.docx"
    assert answer["method"] == "extractive" and answer["model"] == "extractive"
    assert len(answer["conversation_id"]) == 32


def test_stream_sends_the_documented_events_in_order(deployment: Deployment) -> None:
    with deployment.client.stream(
        "POST",
        "/api/v1/workspaces/alpha/ask",
        json={"question": "수습 기간은 얼마인가요", "stream": True},
        headers=bearer(deployment.keys["viewer"]),
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = _events(response.read().decode())
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["citations", "done"]
    assert set(names[1:-2]) == {"answer"}  # extractive: no reasoning
    done = events[-1][1]
    assert set(done) == ANSWER_FIELDS
    assert "".join(str(d["text"]) for n, d in events if n == "answer") == done["text"]
    assert events[-2][1]["citations"] == done["citations"]
    assert events[0][1]["conversation_id"] == done["conversation_id"]


def test_stream_reports_a_failure_as_an_error_event(
    deployment: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(self: Workspace, question: str, **kwargs: object) -> Answer:
        raise LLMAuthError("http://10.0.0.5:8000/v1 refused the API key (401)")

    monkeypatch.setattr(Workspace, "ask", refused)
    with deployment.client.stream(
        "POST",
        "/api/v1/workspaces/alpha/ask",
        json={"question": "연차휴가", "stream": True},
        headers=bearer(deployment.keys["viewer"]),
    ) as response:
        assert response.status_code == 200  # the stream had started
        events = _events(response.read().decode())
    assert [name for name, _ in events] == ["meta", "error"]
    # the model server's address and the network error stay in the server log (issue 15 #12)
    assert events[1][1]["code"] == "llm_auth"
    assert "server log" in str(events[1][1]["message"])
    assert "10.0.0.5" not in response_text(events)
    plain = deployment.client.post(
        "/api/v1/workspaces/alpha/ask",
        json={"question": "연차휴가"},
        headers=bearer(deployment.keys["viewer"]),
    )
    assert plain.status_code == 502 and plain.json()["error"]["code"] == "llm_auth"
    assert "10.0.0.5" not in plain.text


def response_text(events: list[tuple[str, dict[str, object]]]) -> str:
    return json.dumps(events, ensure_ascii=False)


def test_a_model_file_path_is_refused(deployment: Deployment) -> None:
    response = deployment.client.post(
        "/api/v1/workspaces/alpha/ask",
        json={"question": "연차휴가", "llm": "local:/etc/passwd"},
        headers=bearer(deployment.keys["viewer"]),
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_conversations_keep_their_turns(deployment: Deployment) -> None:
    headers = bearer(deployment.keys["viewer"])
    ask = "/api/v1/workspaces/alpha/ask"
    first = deployment.client.post(
        ask,
        json={"question": "연차휴가는 며칠인가요", "conversation_id": "chat-1"},
        headers=headers,
    ).json()
    deployment.client.post(
        ask, json={"question": "수습 기간은요?", "conversation_id": "chat-1"}, headers=headers
    )
    listed = deployment.client.get("/api/v1/workspaces/alpha/conversations", headers=headers)
    chat = next(c for c in listed.json() if c["id"] == "chat-1")
    assert chat["title"] == "연차휴가는 며칠인가요" and chat["turns"] == 2
    assert not [c for c in listed.json() if c["id"].startswith("eval:")]
    turns = deployment.client.get(
        "/api/v1/workspaces/alpha/conversations/chat-1", headers=headers
    ).json()["turns"]
    assert [t["question"] for t in turns] == ["연차휴가는 며칠인가요", "수습 기간은요?"]
    assert turns[0]["text"] == first["text"]
    assert turns[0]["citations"][0]["document"] == "취업규칙.docx"
    missing = deployment.client.get(
        "/api/v1/workspaces/alpha/conversations/no-such-chat", headers=headers
    )
    assert missing.status_code == 404


def test_eval_run_reports_a_summary_and_a_page_with_its_own_csp(deployment: Deployment) -> None:
    headers = bearer(deployment.keys["viewer"])
    base = f"/api/v1/workspaces/alpha/eval/runs/{deployment.run_id}"
    run = deployment.client.get(base, headers=headers).json()
    assert run["status"] == "done" and run["questions"] == 1 and run["models"] == ["extractive"]
    assert run["summary"][0]["config"] == "extractive"
    page = deployment.client.get(base + "/report.html", headers=headers)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    listed = deployment.client.get("/api/v1/workspaces/alpha/eval/runs", headers=headers).json()
    assert deployment.run_id in [r["run_id"] for r in listed]


def test_eval_run_refuses_a_bad_question_set(deployment: Deployment) -> None:
    headers = bearer(deployment.keys["editor"])
    runs = "/api/v1/workspaces/alpha/eval/runs"
    bad = deployment.client.post(
        runs, files={"questions": ("set.jsonl", b"{not json\n")}, headers=headers
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_question_set"
    models = deployment.client.post(
        runs,
        files={"questions": ("set.jsonl", QUESTIONS)},
        data={"models": "local:/etc/passwd"},
        headers=headers,
    )
    assert models.status_code == 422


def test_eval_run_with_the_configured_model(deployment: Deployment) -> None:
    key = deployment.keys["editor"]
    started = deployment.client.post(
        "/api/v1/workspaces/alpha/eval/runs",
        files={"questions": ("set.jsonl", QUESTIONS)},
        headers=bearer(key),
    )
    assert started.status_code == 202
    run = wait_for_run(deployment.client, key, "alpha", started.json()["run_id"])
    assert run["status"] == "done" and run["models"] == ["extractive"]


def test_a_question_scoped_to_one_document_never_cites_another(deployment: Deployment) -> None:
    headers = bearer(deployment.keys["viewer"])
    ask = "/api/v1/workspaces/alpha/ask"
    question = "연차휴가는 며칠인가요"
    everywhere = deployment.client.post(ask, json={"question": question}, headers=headers).json()
    assert everywhere["citations"][0]["document"] == "취업규칙.docx"
    for body in (
        {"question": question, "documents": ["고객센터_FAQ.txt"]},
        {"question": question, "documents": ["고객센터_FAQ.txt"], "stream": True},
    ):
        response = deployment.client.post(ask, json=body, headers=headers)
        assert response.status_code == 200, response.text
        assert "취업규칙" not in response.text
    by_id = deployment.client.post(
        ask, json={"question": question, "documents": [str(deployment.doc_id)]}, headers=headers
    ).json()
    assert {c["document"] for c in by_id["citations"]} == {"취업규칙.docx"}


def test_an_unknown_document_in_scope_is_404_naming_it(deployment: Deployment) -> None:
    response = deployment.client.post(
        "/api/v1/workspaces/alpha/ask",
        json={"question": "연차휴가는 며칠인가요", "documents": ["취업규칙.docx", "없는문서.pdf"]},
        headers=bearer(deployment.keys["viewer"]),
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "없는문서.pdf" in response.json()["error"]["message"]
    # another workspace's document is no more known than one that never existed
    beta = deployment.client.post(
        "/api/v1/workspaces/alpha/ask",
        json={"question": "연차휴가", "documents": ["canary.txt"]},
        headers=bearer(deployment.keys["admin"]),
    )
    assert beta.status_code == 404


def test_export_is_markdown_with_question_answer_and_numbered_quoted_sources(
    deployment: Deployment,
) -> None:
    headers = bearer(deployment.keys["viewer"])
    ask = "/api/v1/workspaces/alpha/ask"
    first = deployment.client.post(
        ask,
        json={"question": "연차휴가는 며칠인가요", "conversation_id": "export-1"},
        headers=headers,
    ).json()
    deployment.client.post(
        ask,
        json={"question": "수습 기간은 얼마인가요", "conversation_id": "export-1"},
        headers=headers,
    )
    base = "/api/v1/workspaces/alpha/conversations/export-1/export"
    whole = deployment.client.get(base, headers=headers)
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "text/markdown; charset=utf-8"
    text = whole.text
    assert text.index("연차휴가는 며칠인가요") < text.index("수습 기간은 얼마인가요")
    assert first["text"].strip() in text
    quote = first["citations"][0]["quote"].strip().splitlines()[0]
    label = first["citations"][0]["label"].removeprefix("취업규칙.docx · ")
    assert f"1. **취업규칙.docx** · {label}" in text
    assert f"> {quote}" in text and "모델 / Model: extractive" in text
    one = deployment.client.get(base + "?turn=1", headers=headers).text
    assert "연차휴가는 며칠인가요" in one and "수습 기간은" not in one
    assert deployment.client.get(base + "?turn=3", headers=headers).status_code == 404
    assert deployment.client.get(base + "?turn=0", headers=headers).status_code == 422
    # owner-scoped: the editor cannot export the viewer's conversation; an admin reviews it
    editor = deployment.client.get(base, headers=bearer(deployment.keys["editor"]))
    assert editor.status_code == 404
    review = deployment.client.get(
        "/api/v1/workspaces/alpha/all-conversations/export-1/export", headers=deployment.admin()
    )
    assert review.status_code == 200 and review.text == text
