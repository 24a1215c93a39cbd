"""The HTML report in a real headless Chromium: it renders offline, Korean shows, the charts
are there, and a script in a model's answer neither runs nor fetches anything.

Needs Debian's chromium and a CJK font (TESTING.md, browser row)::

    apt-get install -y chromium fonts-noto-cjk
    .venv/bin/pip install 'playwright>=1.45'
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from test_report import HOSTILE, HOSTILE_ANSWER, hand_made_report

from dalin.eval.report import write_report
from dalin.testing.browser import CHROMIUM, LAUNCH_ARGS

#: the start of the report's font-family list
FONT_STACK = '"Noto Sans CJK KR", "Noto Sans KR", sans-serif'
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk",
    ),
]


def _hangul_has_glyphs(browser: Browser) -> bool:
    """Whether two different syllables draw differently in the report's font stack.

    Without a CJK font Chromium draws every syllable as the same empty box, so the text is
    "there" for every DOM check while a person sees nothing readable.
    """
    page = browser.new_page()
    try:
        cells = "".join(
            f'<span id="{name}" style="font: 48px {FONT_STACK}">{char}</span>'
            for name, char in (("a", "가"), ("b", "힣"))
        )
        page.set_content(f'<meta charset="utf-8"/>{cells}')
        images = [page.locator(f"#{name}").screenshot() for name in ("a", "b")]
    finally:
        page.close()
    return bool(images[0] != images[1])


def test_report_renders_offline_in_chromium(tmp_path: Path) -> None:
    page_url = write_report(hand_made_report(), tmp_path, bar=0.8)["html"].as_uri()
    console_errors: list[str] = []
    page_errors: list[str] = []
    dialogs: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on(
                "console", lambda m: console_errors.append(m.text) if m.type == "error" else None
            )
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_url, wait_until="load")

            charts = page.locator("svg[role='img']")
            ids = {charts.nth(i).get_attribute("id") for i in range(charts.count())}
            assert ids == {"chart-cost-accuracy", "chart-tag-accuracy", "chart-latency"}
            marker = page.locator("#chart-cost-accuracy #cheapest-marker")
            assert marker.count() == 1
            assert marker.get_attribute("data-config") == "deepseek:deepseek-chat"
            assert marker.locator("circle").bounding_box() is not None  # drawn, not hidden
            assert page.locator("#bar-line").count() == 1
            assert page.locator(".tag-bar").count() > 0
            assert page.locator(".latency-box").count() == 3

            answers = page.locator("td.answer")
            assert answers.first.text_content() == HOSTILE_ANSWER
            assert HOSTILE in answers.first.inner_text()  # seen by the reader as text
            assert page.locator("td.answer script, td.answer img").count() == 0
            assert page.locator("h1").inner_text().startswith("평가 보고서")
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert _hangul_has_glyphs(browser), "no Korean font: apt-get install fonts-noto-cjk"
        finally:
            browser.close()

    assert console_errors == []
    assert page_errors == []
    assert dialogs == []
    assert requests == [page_url]
    assert shot.stat().st_size > 10_000
    if ARTIFACTS.is_dir():
        shutil.copy(shot, ARTIFACTS / "report.png")
