"""Helpers for the browser tests: a watch on what a page did, signing in, asking, pictures."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect

from dalin.api.server import Server
from dalin.eval.report import STYLE_HASH as REPORT_STYLE_HASH

ARTIFACTS = Path(__file__).parent / "artifacts"
CSP = (
    f"default-src 'self'; script-src 'self'; style-src 'self' {REPORT_STYLE_HASH};"
    " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
    " form-action 'self'"
)
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
HOSTILE = "<img src=x onerror=alert(1)>"

RULES = (
    "취업규칙\n\n"
    "제12조(연차휴가) 직원의 연차휴가는 매년 15일입니다. "
    "3년 이상 근속한 직원에게는 2년마다 1일을 가산합니다.\n\n"
    "제13조(경조휴가) 본인이 결혼하면 5일의 경조휴가를 받습니다.\n"
)
NOTICE = (
    "보안 공지\n\n"
    f"게시판 글에 {HOSTILE} 같은 태그를 넣으면 자동으로 차단됩니다.\n\n"
    "비밀번호는 90일마다 바꿔야 합니다.\n"
)
QUESTIONS = [
    {"id": "q1", "question": "연차휴가는 며칠인가요?", "answer_contains": ["15일"]},
    {"id": "q2", "question": "결혼하면 휴가를 며칠 받나요?", "answer_contains": ["5일"]},
]


@dataclass
class Live:
    url: str
    admin_key: str
    server: Server

    def api(self, key: str | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=f"{self.url}/api/v1",
            headers={"Authorization": f"Bearer {key or self.admin_key}"},
            timeout=60,
        )


@dataclass
class Watch:
    """What a page did that it should not: errors, dialogs, requests to other origins."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    confirms: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    ask_bodies: list[dict[str, object]] = field(default_factory=list)
    ask_content_types: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.on("request", self._request)
        page.on("response", self._response)

    def _dialog(self, dialog: object) -> None:
        kind, message = dialog.type, dialog.message  # type: ignore[attr-defined]
        if kind == "confirm":
            self.confirms.append(message)
            dialog.accept()  # type: ignore[attr-defined]
        else:
            self.alerts.append(message)
            dialog.dismiss()  # type: ignore[attr-defined]

    def _request(self, request: object) -> None:
        url: str = request.url  # type: ignore[attr-defined]
        if not url.startswith((self.origin, "data:")):
            self.foreign_requests.append(url)
        if url.endswith("/ask") and request.method == "POST":  # type: ignore[attr-defined]
            self.ask_bodies.append(json.loads(request.post_data or "{}"))  # type: ignore[attr-defined]

    def _response(self, response: object) -> None:
        if response.url.endswith("/ask"):  # type: ignore[attr-defined]
            headers = response.headers  # type: ignore[attr-defined]
            self.ask_content_types.append(headers.get("content-type", ""))

    def assert_clean(self) -> None:
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.alerts == []
        assert self.foreign_requests == []


def sign_in(page: Page, key: str) -> None:
    page.get_by_test_id("signin-key").fill(key)
    page.get_by_test_id("signin-submit").click()
    expect(page.locator("#app")).to_be_visible()


def ask(page: Page, question: str) -> None:
    page.locator("#tab-chat").click()
    answers = page.get_by_test_id("answer").count()
    page.get_by_test_id("question-input").fill(question)
    page.get_by_test_id("ask-submit").click()
    expect(page.locator(".msg-bot[aria-busy]")).to_have_count(0, timeout=60_000)
    expect(page.get_by_test_id("answer")).to_have_count(answers + 1)


def shoot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    assert path.stat().st_size > 5_000
    return path


def hangul_has_glyphs(browser: Browser) -> bool:
    """Whether two syllables draw differently (without a CJK font both are the same box)."""
    page = browser.new_page()
    try:
        cells = "".join(
            f'<span id="{n}" style="font: 48px \'Noto Sans CJK KR\', sans-serif">{c}</span>'
            for n, c in (("a", "가"), ("b", "힣"))
        )
        page.set_content(f'<meta charset="utf-8"/>{cells}')
        return page.locator("#a").screenshot() != page.locator("#b").screenshot()
    finally:
        page.close()
