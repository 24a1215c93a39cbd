"""The web UI in a real headless Chromium against a real `dalin serve` on loopback.

A uvicorn server runs the API app in a thread on a free 127.0.0.1 port with a temporary
root; the admin key comes from ``Server.ensure_admin_key`` (what `dalin serve` prints once).
The browser signs in, creates a workspace, uploads files through the page, asks in Korean,
follows a citation to its highlighted passage, switches to English, and shows an answer
quoting ``<img src=x onerror=alert(1)>`` as text (SECURITY.md row 6).

Needs Debian's chromium and a CJK font (TESTING.md, browser row; `make browser`)::

    apt-get install -y chromium fonts-noto-cjk

Screenshots go to tests/web/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect
from web_support import (
    CSP,
    HOSTILE,
    NOTICE,
    PHONE,
    QUESTIONS,
    RULES,
    Live,
    ask,
    hangul_has_glyphs,
    shoot,
    sign_in,
)

from dalin.api import routes_eval
from dalin.messages import CATALOGUE
from dalin.testing.replay_server import ReplayServer, recorded
from dalin.testing.scripted_server import running_scripted_server
from dalin.web import STATIC_DIR

#: JavaScript comments: a block, or // to the end of the line
COMMENTS = re.compile(r"/\*.*?\*/|(?:^|\s)//.*?$", re.S | re.M)

pytestmark = pytest.mark.slow


# --- what the server sends -------------------------------------------------------------------


def test_static_files_are_in_the_package_and_free_of_inline_code() -> None:
    names = {p.name for p in STATIC_DIR.iterdir()}
    assert {"index.html", "app.js", "app.css", "i18n.js"} <= names
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None  # no inline script
    assert "<style" not in html and " style=" not in html  # no inline style
    assert re.search(r"\son[a-z]+=", html) is None  # no inline handlers
    for script in STATIC_DIR.glob("*.js"):
        # the code without its comments, which may name what the code avoids
        code = COMMENTS.sub("", script.read_text(encoding="utf-8"))
        for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "new Function"):
            assert banned not in code, f"{script.name} uses {banned}"
        assert re.search(r"[\"'`]https?://", code) is None, f"{script.name} calls out"
    assert "@import" not in (STATIC_DIR / "app.css").read_text(encoding="utf-8")
    assert "url(" not in (STATIC_DIR / "app.css").read_text(encoding="utf-8")


def test_every_label_has_both_languages() -> None:
    code = (STATIC_DIR / "i18n.js").read_text(encoding="utf-8")
    korean, english = code.split("\n  en: {", 1)
    key = re.compile(r'^ {4}"?([\w.-]+)"?: "', re.M)
    assert set(key.findall(korean)) == set(key.findall(english))
    assert len(key.findall(korean)) > 100


def test_pages_carry_the_csp_and_scripts_their_type(live: Live) -> None:
    with httpx.Client(base_url=live.url) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert page.headers["content-security-policy"] == CSP
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "no-referrer"
        script = client.get("/app.js")
        assert script.status_code == 200
        # modules load only with a JavaScript type when nosniff is on
        assert "javascript" in script.headers["content-type"]
        assert script.headers["content-security-policy"] == CSP


# --- in the browser --------------------------------------------------------------------------


def test_sign_in_upload_ask_and_follow_a_citation(
    open_page: object, live: Live, browser: Browser, tmp_path: Path
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    expect(page.get_by_test_id("signin-submit")).to_have_text("로그인")
    page.get_by_test_id("signin-key").fill("dln_not-a-key")
    page.get_by_test_id("signin-submit").click()
    expect(page.locator("#signin-error")).to_contain_text("올바르지 않")
    watch.console_errors.clear()  # the browser logs the 401 it was meant to get
    sign_in(page, live.admin_key)

    # an admin with no workspace lands in the settings, where one is made
    expect(page.locator("#view-settings")).to_be_visible()
    page.locator("#new-ws-slug").fill("team")
    page.locator("#new-ws-name").fill("우리 팀")
    page.locator("#new-ws-submit").click()
    expect(page.locator("#workspace-form-status")).to_contain_text("team")
    expect(page.locator("#workspace-select")).to_have_value("team")

    # upload through the page: two documents that index and one that cannot be read
    (tmp_path / "취업규칙.txt").write_text(RULES, encoding="utf-8")
    (tmp_path / "보안공지.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "깨진파일.pdf").write_bytes(b"%PDF-1.7\nthis is not really a pdf\n")
    page.locator("#tab-documents").click()
    page.get_by_test_id("upload-input").set_input_files(
        [tmp_path / "취업규칙.txt", tmp_path / "보안공지.txt", tmp_path / "깨진파일.pdf"]
    )
    uploads = page.locator(".upload-item")
    expect(uploads).to_have_count(3)
    expect(page.locator('.upload-item[data-state="done"]')).to_have_count(2, timeout=120_000)
    failed = page.locator('.upload-item[data-state="failed"]')
    expect(failed).to_have_count(1, timeout=60_000)
    expect(failed).to_contain_text("깨진파일.pdf")
    expect(failed.locator(".upload-status")).to_contain_text("실패")
    expect(page.locator('[data-testid="doc-row"][data-status="indexed"]')).to_have_count(2)
    expect(page.get_by_test_id("doc-row")).to_have_count(3)
    broken = page.get_by_test_id("doc-row").filter(has_text="깨진파일.pdf")
    expect(broken).to_have_attribute("data-status", "failed")
    expect(broken.locator(".doc-error")).to_contain_text(CATALOGUE["corrupt"].category[0])
    expect(broken.get_by_test_id("doc-remedy")).to_have_text(CATALOGUE["corrupt"].remedy[0])
    expect(failed).to_contain_text(CATALOGUE["corrupt"].remedy[0])  # the upload line too
    shoot(page, "documents-desktop.png")

    # delete asks first, then the row goes
    broken.get_by_test_id("doc-delete").click()
    expect(page.get_by_test_id("doc-row")).to_have_count(2)
    assert len(watch.confirms) == 1 and "깨진파일.pdf" in watch.confirms[0]

    # a Korean question, answered over server-sent events, with a citation chip
    ask(page, "연차휴가는 며칠인가요?")
    answer = page.get_by_test_id("answer").last
    expect(answer).to_contain_text("15일")
    chip = answer.get_by_test_id("citation-chip").first
    expect(chip).to_have_text("[1]")
    assert watch.ask_content_types[-1].startswith("text/event-stream")
    assert watch.ask_bodies[-1]["stream"] is True
    expect(page.get_by_test_id("reasoning").last).to_be_hidden()  # no model, no reasoning

    chip.click()
    panel = page.get_by_test_id("passage-panel")
    expect(panel).to_be_visible()
    highlight = panel.get_by_test_id("passage-highlight")
    expect(highlight).to_contain_text("연차휴가는 매년 15일입니다")
    expect(panel.locator("#passage-title")).to_contain_text("취업규칙.txt")
    expect(panel.locator("#passage-meta")).to_contain_text("제12조")
    expect(panel.locator("#passage-text")).to_contain_text("2년마다 1일을 가산")  # around it
    assert highlight.evaluate("el => el.tagName") == "MARK"
    shoot(page, "chat-desktop.png")
    assert hangul_has_glyphs(browser), "no Korean font: apt-get install fonts-noto-cjk"

    # an answer quoting markup shows the markup as text; nothing runs, nothing is fetched
    ask(page, "게시판 글에 태그를 넣으면 어떻게 되나요?")
    hostile = page.get_by_test_id("answer").last
    expect(hostile).to_contain_text(HOSTILE)
    assert hostile.locator("img").count() == 0
    assert page.locator("img").count() == 0
    hostile.get_by_test_id("citation-chip").first.click()
    expect(page.get_by_test_id("passage-highlight")).to_contain_text(HOSTILE)
    assert page.locator("#passage-text img").count() == 0
    shoot(page, "chat-hostile-desktop.png")

    # the conversation is listed, and reopens with its turns
    expect(page.locator("#conversation-list .conversation")).to_have_count(1)
    page.locator("#new-conversation").click()
    expect(page.get_by_test_id("answer")).to_have_count(0)
    page.locator("#conversation-list .conversation").first.click()
    expect(page.get_by_test_id("answer")).to_have_count(2)
    expect(page.get_by_test_id("answer").first).to_contain_text("15일")
    watch.assert_clean()


def test_english_switch_changes_the_labels(open_page: object, shared: dict[str, str]) -> None:
    page, watch = open_page()  # type: ignore[operator]
    switch = page.get_by_test_id("lang-switch")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(switch).to_have_text("English")
    switch.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("signin-submit")).to_have_text("Sign in")
    expect(switch).to_have_text("한국어")

    sign_in(page, shared["key"])
    expect(page.locator("#tab-documents")).to_have_text("Documents")
    expect(page.get_by_test_id("ask-submit")).to_have_text("Send")
    expect(page.get_by_test_id("question-input")).to_have_attribute(
        "placeholder", re.compile("Type a question")
    )
    expect(page.locator("#workspace-fixed")).to_contain_text("shared")  # one workspace: no picker
    page.locator("#tab-documents").click()
    expect(page.get_by_test_id("doc-row").first).to_contain_text("indexed")
    shoot(page, "documents-english.png")

    page.reload()  # the choice is remembered
    expect(page.locator("#tab-chat")).to_have_text("Ask")
    page.get_by_test_id("lang-switch").click()
    expect(page.locator("#tab-chat")).to_have_text("질문하기")
    expect(page.get_by_test_id("doc-row").first).to_contain_text("색인됨")
    watch.assert_clean()


def test_phone_layout(open_page: object, shared: dict[str, str]) -> None:
    page, watch = open_page(PHONE)  # type: ignore[operator]
    shoot(page, "signin-phone.png")
    sign_in(page, shared["key"])
    ask(page, "연차휴가는 며칠인가요?")
    page.get_by_test_id("citation-chip").first.click()
    panel = page.get_by_test_id("passage-panel")
    expect(panel.get_by_test_id("passage-highlight")).to_contain_text("15일")
    box = panel.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["y"] + box["height"] <= PHONE["height"]
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"], "the page scrolls sideways on a phone"
    shoot(page, "chat-phone.png")
    page.locator("#passage-close").click()
    expect(panel).to_be_hidden()
    page.locator("#tab-documents").click()
    expect(page.get_by_test_id("upload-drop")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "documents-phone.png")
    watch.assert_clean()


def test_drop_a_file_then_delete_it(open_page: object, shared: dict[str, str]) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, shared["key"])
    page.locator("#tab-documents").click()
    expect(page.get_by_test_id("doc-row")).to_have_count(2)
    dropped = page.evaluate_handle(
        """() => {
            const data = new DataTransfer();
            data.items.add(new File(["주차 안내\\n\\n주차장은 지하 2층입니다.\\n"], "주차.txt",
                                    {type: "text/plain"}));
            return data;
        }"""
    )
    zone = page.get_by_test_id("upload-drop")
    zone.dispatch_event("dragenter", {"dataTransfer": dropped})
    expect(zone).to_have_class(re.compile("dragging"))
    zone.dispatch_event("drop", {"dataTransfer": dropped})
    expect(zone).not_to_have_class(re.compile("dragging"))
    expect(page.locator(".upload-item").first).to_contain_text("주차.txt")
    expect(page.locator(".upload-item").first).to_contain_text("추가됨", timeout=60_000)
    row = page.get_by_test_id("doc-row").filter(has_text="주차.txt")
    expect(row).to_have_attribute("data-status", "indexed")
    row.get_by_test_id("doc-delete").click()
    expect(page.get_by_test_id("doc-row")).to_have_count(2)
    assert watch.confirms and "주차.txt" in watch.confirms[-1]
    watch.assert_clean()


def test_a_viewer_key_reads_but_does_not_change(
    open_page: object, live: Live, shared: dict[str, str]
) -> None:
    with live.api() as api:
        created = api.post("/workspaces/shared/keys", json={"name": "열람", "role": "viewer"})
        assert created.status_code == 201, created.text
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, created.json()["key"])
    page.locator("#tab-documents").click()
    expect(page.get_by_test_id("doc-row")).to_have_count(2)
    expect(page.get_by_test_id("upload-drop")).to_be_hidden()
    expect(page.get_by_test_id("doc-delete")).to_have_count(0)
    page.locator("#tab-eval").click()
    expect(page.locator("#eval-form")).to_be_hidden()
    ask(page, "연차휴가는 며칠인가요?")
    expect(page.get_by_test_id("answer").last).to_contain_text("15일")
    watch.assert_clean()


def test_model_setting_is_kept_and_sent(open_page: object, shared: dict[str, str]) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, shared["key"])
    page.locator("#tab-settings").click()
    page.get_by_test_id("model-select").select_option("extractive")
    assert page.evaluate("localStorage.getItem('dalin.llm')") == "extractive"
    expect(page.locator("#workspace-info")).to_contain_text("공용 문서")
    shoot(page, "settings-desktop.png")
    ask(page, "결혼하면 휴가를 며칠 받나요?")
    assert watch.ask_bodies[-1]["llm"] == "extractive"
    expect(page.get_by_test_id("answer").last).to_contain_text("5일")
    page.reload()
    page.locator("#tab-settings").click()
    expect(page.get_by_test_id("model-select")).to_have_value("extractive")
    page.get_by_test_id("model-select").select_option("")
    assert page.evaluate("localStorage.getItem('dalin.llm')") is None
    watch.assert_clean()


# --- a model's reasoning, from a fake OpenAI-compatible server on loopback --------------------

REASONING = "질문은 연차휴가 일수다. 출처 [1]에 15일이라고 적혀 있다."
MODEL_ANSWER = "직원의 연차휴가는 매년 15일입니다. [1]"


class _FakeOpenAI(BaseHTTPRequestHandler):
    """/chat/completions streaming a reasoning trace, then a cited answer."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        deltas = [{"reasoning_content": REASONING}]
        deltas += [{"content": piece} for piece in re.findall(r"\S+\s*", MODEL_ANSWER)]
        chunks = [
            {
                "id": "x",
                "object": "chat.completion.chunk",
                "model": "fake",
                "choices": [{"index": 0, "delta": d, "finish_reason": None}],
            }
            for d in deltas
        ]
        chunks.append(
            {
                "id": "x",
                "object": "chat.completion.chunk",
                "model": "fake",
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            }
        )
        body = "".join(f"data: {json.dumps(c, ensure_ascii=False)}\n\n" for c in chunks)
        body += "data: [DONE]\n\n"
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def fake_model(live: Live, shared: dict[str, str]) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    toml = live.server.workspace_path(shared["slug"]) / "dalin.toml"
    original = toml.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    patched = re.sub(r'(?m)^base_url = ""', f'base_url = "{url}"', original, count=1)
    assert patched != original, "dalin.toml has no empty base_url line to point at the fake"
    toml.write_text(patched, encoding="utf-8")
    live.server.host.forget(shared["slug"])  # a served workspace reads dalin.toml when opened
    with live.api() as api:  # an admin allows the model; viewers pick only among those
        allowed = api.put(
            f"/workspaces/{shared['slug']}/models", json={"models": ["openai:fake-model"]}
        )
        assert allowed.status_code == 200, allowed.text
    try:
        yield "openai:fake-model"
    finally:
        toml.write_text(original, encoding="utf-8")
        live.server.host.forget(shared["slug"])
        with live.api() as api:
            api.put(f"/workspaces/{shared['slug']}/models", json={"models": []})
        httpd.shutdown()
        httpd.server_close()


def test_reasoning_is_collapsible(
    open_page: object, shared: dict[str, str], fake_model: str
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, shared["key"])
    page.locator("#tab-settings").click()
    options = page.get_by_test_id("model-select").locator("option")
    expect(options).to_have_count(3)  # the workspace's default, extractive, the allowed model
    page.get_by_test_id("model-select").select_option(fake_model)
    page.locator("#model-form button[type=submit]").click()
    assert page.evaluate("localStorage.getItem('dalin.llm')") == fake_model
    ask(page, "연차휴가는 며칠인가요?")
    assert watch.ask_bodies[-1]["llm"] == fake_model
    expect(page.get_by_test_id("answer").last).to_contain_text("15일")
    reasoning = page.get_by_test_id("reasoning").last
    expect(reasoning).to_be_visible()
    assert reasoning.evaluate("el => el.tagName") == "DETAILS"
    body = reasoning.locator(".reasoning-text")
    expect(body).to_be_hidden()  # folded until asked for
    reasoning.locator("summary").click()
    expect(body).to_have_text(REASONING)
    expect(page.locator(".answer-meta").last).to_contain_text("fake-model")
    shoot(page, "chat-reasoning.png")
    watch.assert_clean()


# --- the tools a model called, from recorded DeepSeek streams ----------------------------------

TOOL_FIXTURES = Path(__file__).parents[1] / "tools" / "fixtures"
PRICE_LIST = Path(__file__).parents[2] / "examples" / "documents" / "가격표_2025.md"


@pytest.fixture
def priced(live: Live) -> Iterator[dict[str, str]]:
    """A workspace of the price list whose model is a replay of DeepSeek calling tools."""
    conversation = [recorded(TOOL_FIXTURES / f"deepseek_chat_tools_{i}.sse") for i in (1, 2, 3)]
    with live.api() as api:
        created = api.post("/workspaces", json={"slug": "priced", "name": "가격표"})
        assert created.status_code == 201, created.text
        upload = [("files", (PRICE_LIST.name, PRICE_LIST.read_bytes(), "text/markdown"))]
        assert api.post("/workspaces/priced/documents", files=upload).status_code == 200
        key = api.post("/workspaces/priced/keys", json={"name": "직원", "role": "viewer"})
    toml = live.server.workspace_path("priced") / "dalin.toml"
    with ReplayServer(*conversation) as replay:
        original = toml.read_text(encoding="utf-8")
        toml.write_text(
            re.sub(r'(?m)^base_url = ""', f'base_url = "{replay.base_url}"', original, count=1),
            encoding="utf-8",
        )
        live.server.host.forget("priced")  # a served workspace reads dalin.toml when opened
        with live.api() as api:  # an admin allows the model; viewers pick only among those
            allowed = api.put(
                "/workspaces/priced/models", json={"models": ["openai:deepseek-chat"]}
            )
            assert allowed.status_code == 200, allowed.text
        yield {"key": key.json()["key"], "model": "openai:deepseek-chat"}


def test_tools_used_are_collapsible_under_the_answer(
    open_page: object, priced: dict[str, str]
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, priced["key"])
    page.locator("#tab-settings").click()
    page.get_by_test_id("model-select").select_option(priced["model"])
    ask(page, "HB-200 토크 렌치와 전용 케이스를 함께 사면 얼마인가요?")
    expect(page.get_by_test_id("answer").last).to_contain_text("385,000 + 32,000 = 417,000")
    tools = page.get_by_test_id("tools").last
    expect(tools).to_be_visible()
    assert tools.evaluate("el => el.tagName") == "DETAILS"
    expect(tools.locator("summary")).to_have_text("사용한 도구 (2)")
    calls = tools.locator("li")
    expect(calls).to_have_count(2)
    expect(calls.first).to_be_hidden()  # folded until asked for
    tools.locator("summary").click()
    expect(calls.first).to_contain_text("table_query")
    expect(calls.first).to_contain_text("WHERE 품목_코드 IN ('HB-200', 'HB-200-CS')")
    expect(calls.first).to_contain_text("2 rows from t1 (가격표_2025.md)")
    expect(calls.last).to_contain_text("calculator 385,000 + 32,000 → 385,000 + 32,000 = 417,000")
    expect(page.locator(".sources").last).to_contain_text("표 1 · 13행")
    shoot(page, "chat-tools.png")
    watch.assert_clean()


# --- a flagged sentence (issue #19), from a scripted OpenAI-compatible server on loopback -----


@pytest.fixture
def scripted_model(live: Live, shared: dict[str, str]) -> Iterator[str]:
    """The shared workspace's model points at a server that contradicts 제12조."""
    script = {"연차휴가는 며칠": "직원의 연차휴가는 매년 30일입니다 {cite:15일}."}
    toml = live.server.workspace_path(shared["slug"]) / "dalin.toml"
    original = toml.read_text(encoding="utf-8")
    with running_scripted_server(script) as url:
        patched = re.sub(r'(?m)^base_url = ""', f'base_url = "{url}"', original, count=1)
        toml.write_text(patched, encoding="utf-8")
        live.server.host.forget(shared["slug"])  # a served workspace reads dalin.toml when opened
        with live.api() as api:  # an admin allows the model; viewers pick only among those
            allowed = api.put(
                f"/workspaces/{shared['slug']}/models", json={"models": ["openai:scripted"]}
            )
            assert allowed.status_code == 200, allowed.text
        try:
            yield "openai:scripted"
        finally:
            toml.write_text(original, encoding="utf-8")
            live.server.host.forget(shared["slug"])
            with live.api() as api:
                api.put(f"/workspaces/{shared['slug']}/models", json={"models": []})


def test_a_flagged_sentence_shows_the_source_words_and_why(
    open_page: object, shared: dict[str, str], scripted_model: str
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, shared["key"])
    page.locator("#tab-settings").click()
    page.get_by_test_id("model-select").select_option(scripted_model)
    page.locator("#model-form button[type=submit]").click()
    ask(page, "연차휴가는 며칠인가요?")
    answer = page.get_by_test_id("answer").last
    expect(answer).to_contain_text("⚠ 숫자가 근거와 다름: ")
    expect(answer).to_contain_text("15일")
    expect(answer).not_to_contain_text("30일")
    flag = page.get_by_test_id("citation-flag").last
    expect(flag).to_have_text("⚠ 숫자가 근거와 다름")
    assert flag.get_attribute("data-flag") == "number"
    flags = page.get_by_test_id("flags").last
    expect(flags).to_be_visible()
    flags.locator("summary").click()
    expect(flags.get_by_test_id("flag")).to_contain_text("직원의 연차휴가는 매년 30일입니다.")
    shoot(page, "chat-flagged.png")
    watch.assert_clean()


# --- evaluation runs -------------------------------------------------------------------------


def test_evaluation_run_and_report(
    open_page: object, shared: dict[str, str], tmp_path: Path
) -> None:
    questions = tmp_path / "질문.jsonl"
    questions.write_text(
        "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS), encoding="utf-8"
    )
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, shared["key"])
    page.locator("#tab-eval").click()
    page.locator("#eval-questions").set_input_files(questions)
    page.locator("#eval-models").fill("extractive")
    page.locator("#eval-form button[type=submit]").click()
    runs = page.get_by_test_id("eval-runs")
    run = runs.locator(".eval-run").first
    expect(run).to_have_attribute("data-status", "done", timeout=90_000)
    expect(run).to_contain_text("extractive")
    run.get_by_role("button").click()
    expect(page.locator("#report-frame iframe")).to_have_attribute("sandbox", "")
    report = page.frame_locator("#report-frame iframe")
    expect(report.locator("h1")).to_contain_text("평가 보고서")
    expect(report.locator("table").first).to_be_visible()
    # its <style> applied (admitted by hash): the page's CSP reported nothing (assert_clean)
    assert report.locator("body").evaluate("b => getComputedStyle(b).marginTop") == "32px"
    expect(page.locator("#report-download")).to_have_attribute("href", re.compile("^blob:"))
    shoot(page, "eval-report.png")
    watch.assert_clean()


HOSTILE_REPORT = """<!DOCTYPE html><html><head><meta charset="utf-8"/>
<script>parent.postMessage("script ran", "*")</script></head><body>
<h1>평가 보고서 (hostile)</h1>
<img src="x" onerror="parent.postMessage('onerror ran', '*')"/>
<a id="js-link" href="javascript:parent.postMessage('link ran', '*')">결과 보기</a>
<table><tr><td>정확도</td><td>100%</td></tr></table>
<form action="https://evil.example/"><button id="send">보내기</button></form>
</body></html>"""


def test_a_hostile_report_runs_nothing_and_still_displays(
    open_page: object,
    live: Live,
    shared: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    questions = tmp_path / "질문.jsonl"
    questions.write_text(json.dumps(QUESTIONS[0], ensure_ascii=False) + "\n", encoding="utf-8")
    with live.api(shared["key"]) as api:
        started = api.post(
            "/workspaces/shared/eval/runs",
            files={"questions": (questions.name, questions.read_bytes())},
            data={"models": "extractive"},
        )
        run_id = started.json()["run_id"]
        for _ in range(300):
            if api.get(f"/workspaces/shared/eval/runs/{run_id}").json()["status"] == "done":
                break
            time.sleep(0.3)
    assert live.server.served("shared").store.eval_report(run_id)  # the page renders from this
    # what a bug in the report's escaping would serve: the page is rendered per request from
    # the stored report, so the bug is stood in for by a renderer that returns hostile HTML
    monkeypatch.setattr(routes_eval, "render_html", lambda report: HOSTILE_REPORT)
    page, watch = open_page()  # type: ignore[operator]
    page.evaluate("window.heard = []; addEventListener('message', e => heard.push(e.data))")
    sign_in(page, shared["key"])
    page.locator("#tab-eval").click()
    page.locator(f".eval-run[data-run-id='{run_id}'] button").first.click()
    report = page.frame_locator("#report-frame iframe")
    expect(report.locator("h1")).to_contain_text("평가 보고서 (hostile)")
    expect(report.locator("td").first).to_have_text("정확도")
    # an opaque origin: even a script that ran could not read this page, its key or the API
    assert report.locator("body").evaluate("() => self.origin") == "null"
    report.locator("#js-link").click()
    report.locator("#send").click()
    page.wait_for_timeout(500)
    assert page.evaluate("heard") == []  # no script, handler or javascript: link ran
    assert page.url.startswith(live.url) and watch.alerts == [] and watch.page_errors == []
    assert watch.foreign_requests == []  # the form did not go out either
    # what Chromium logged is only its refusals: by the sandbox, or the CSP the frame inherits
    refusals = ("sandboxed", "violates the following Content Security Policy")
    strays = [m for m in watch.console_errors if not any(r in m for r in refusals)]
    assert strays == []
