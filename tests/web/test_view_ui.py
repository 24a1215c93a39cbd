"""The web parts of issue 16 items 3 and 4: a document as dalin read it (its text under its
citation labels, its tables as tables), questions kept to some documents with the scope in
sight, and answers and conversations exported as Markdown. Real Chromium, real server on
loopback, a real spreadsheet from ../shared/samples."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from web_support import HOSTILE, NOTICE, PHONE, RULES, Live, ask, shoot, sign_in

from shared_samples import SHARED, shared_path

pytestmark = pytest.mark.slow

SHEETS = "haystack_basic_tables_two_sheets.xlsx"


@pytest.fixture(scope="module")
def library(live: Live) -> Iterator[dict[str, object]]:
    """Workspace "views": the rules, the notice quoting markup and (where ../shared is) a
    two-sheet workbook."""
    files = [
        ("files", ("취업규칙.txt", RULES.encode(), "text/plain")),
        ("files", ("보안공지.txt", NOTICE.encode(), "text/plain")),
    ]
    sheets = SHARED / "samples" / SHEETS
    if sheets.exists():
        files.append(("files", (SHEETS, sheets.read_bytes(), "application/octet-stream")))
    with live.api() as api:
        made = api.post("/workspaces", json={"slug": "views", "name": "문서 보기"})
        assert made.status_code == 201, made.text
        added = api.post("/workspaces/views/documents", files=files)
        assert added.status_code == 200, added.text
        assert {r["status"] for r in added.json()} == {"added"}, added.json()
        ids = {d["name"]: d["id"] for d in api.get("/workspaces/views/documents").json()}
        key = api.post("/workspaces/views/keys", json={"name": "직원", "role": "viewer"})
        assert key.status_code == 201, key.text
    yield {"key": key.json()["key"], "ids": ids}


def _open(page: Page, name: str) -> None:
    page.locator("#tab-documents").click()
    page.get_by_test_id("doc-open").filter(has_text=name).click()
    expect(page.get_by_test_id("doc-view")).to_be_visible()
    expect(page.locator("#doc-view-title")).to_have_text(name)


def test_a_document_shows_its_text_under_its_labels(
    open_page: object, library: dict[str, object]
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, str(library["key"]))
    _open(page, "취업규칙.txt")
    expect(page.locator("#doc-view-title")).to_be_focused()
    blocks = page.get_by_test_id("doc-block")
    article = blocks.filter(has_text="제12조(연차휴가)")
    expect(article.locator(".doc-label")).to_contain_text("제12조")
    expect(article.locator(".doc-block-text")).to_contain_text("연차휴가는 매년 15일입니다")
    expect(blocks.filter(has_text="제13조")).to_contain_text("5일의 경조휴가")
    expect(page.get_by_test_id("doc-table")).to_have_count(0)
    shoot(page, "document-view-rules.png")
    page.keyboard.press("Escape")  # back to the list, the focus on the name it came from
    expect(page.get_by_test_id("doc-view")).to_be_hidden()
    expect(page.get_by_test_id("doc-open").filter(has_text="취업규칙.txt")).to_be_focused()

    _open(page, "보안공지.txt")  # markup in a document is text, never markup
    expect(page.get_by_test_id("doc-block").first).to_contain_text(HOSTILE)
    assert page.locator("#doc-view img").count() == 0
    watch.assert_clean()


def test_a_workbook_shows_its_sheets_as_tables(
    open_page: object, library: dict[str, object]
) -> None:
    shared_path("samples", SHEETS)
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, str(library["key"]))
    _open(page, SHEETS)
    tables = page.get_by_test_id("doc-table")
    expect(tables).to_have_count(2)  # one per sheet
    first = tables.first
    expect(first.locator("figcaption")).to_contain_text("!")  # a sheet range: Sheet!A1:C3
    assert first.locator("thead th").count() >= 2
    assert first.locator("tbody tr").count() >= 1
    assert first.locator("tbody td").first.inner_text().strip() != ""
    page.get_by_role("link", name="표 2개").click()
    expect(page.locator("#doc-view-tables")).to_be_focused()
    shoot(page, "document-view-tables.png")
    page.get_by_test_id("doc-view-close").click()
    expect(page.get_by_test_id("doc-row")).to_have_count(3)
    watch.assert_clean()


def test_questions_kept_to_chosen_documents(open_page: object, library: dict[str, object]) -> None:
    ids: dict[str, int] = library["ids"]  # type: ignore[assignment]
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, str(library["key"]))
    page.locator("#tab-chat").click()
    summary = page.get_by_test_id("scope-summary")
    expect(summary).to_have_text("범위: 모든 문서")
    summary.click()
    options = page.get_by_test_id("scope-option")
    expect(options).to_have_count(3)
    page.locator("#scope-filter").fill("보안")
    expect(options).to_have_count(1)
    options.first.check()
    expect(summary).to_have_text("범위: 문서 1개")
    expect(page.get_by_test_id("scope-chip")).to_have_text("보안공지.txt×")
    page.keyboard.press("Escape")  # the picker folds; the scope stays in sight
    expect(options).to_be_hidden()
    expect(page.get_by_test_id("scope-chip")).to_be_visible()

    ask(page, "연차휴가는 며칠인가요?")
    assert watch.ask_bodies[-1]["documents"] == [str(ids["보안공지.txt"])]
    answer = page.get_by_test_id("answer").last
    expect(answer).not_to_contain_text("15일")  # the rules are out of scope
    expect(page.get_by_test_id("answer-scope").last).to_have_text("범위: 보안공지.txt")
    for source in page.locator(".sources").last.locator("li").all():
        expect(source).to_contain_text("보안공지.txt")
    shoot(page, "chat-scope.png")

    page.get_by_test_id("scope-chip").get_by_role("button").click()  # back to all documents
    expect(summary).to_have_text("범위: 모든 문서")
    ask(page, "연차휴가는 며칠인가요?")
    assert "documents" not in watch.ask_bodies[-1]
    expect(page.get_by_test_id("answer").last).to_contain_text("15일")

    # from a document's view straight to a question about it
    _open(page, "취업규칙.txt")
    page.get_by_test_id("doc-view-ask").click()
    expect(page.locator("#view-chat")).to_be_visible()
    expect(summary).to_have_text("범위: 문서 1개")
    expect(page.get_by_test_id("scope-chip")).to_have_text("취업규칙.txt×")
    ask(page, "결혼하면 휴가를 며칠 받나요?")
    assert watch.ask_bodies[-1]["documents"] == [str(ids["취업규칙.txt"])]
    expect(page.get_by_test_id("answer").last).to_contain_text("5일")
    watch.assert_clean()


def test_an_answer_and_a_conversation_export_as_markdown(
    open_page: object, library: dict[str, object], tmp_path: Path
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, str(library["key"]))
    ask(page, "연차휴가는 며칠인가요?")
    ask(page, "결혼하면 휴가를 며칠 받나요?")
    exports = page.get_by_test_id("export-answer")
    expect(exports).to_have_count(2)
    with page.expect_download() as one:
        exports.last.click()
    answer = Path(one.value.path()).read_text(encoding="utf-8")
    assert one.value.suggested_filename.endswith("-2.md")
    assert "결혼하면 휴가를 며칠 받나요?" in answer
    assert "연차휴가는 며칠인가요?" not in answer  # that answer only
    assert "**취업규칙.txt**" in answer and "5일" in answer

    conversation = page.get_by_test_id("export-conversation")
    expect(conversation).to_be_visible()
    with page.expect_download() as whole:
        conversation.click()
    text = Path(whole.value.path()).read_text(encoding="utf-8")
    assert text.index("연차휴가는 며칠인가요?") < text.index("결혼하면 휴가를 며칠 받나요?")
    assert "15일" in text and "5일" in text
    shoot(page, "chat-export.png")

    # a conversation reopened from the history exports its answers under the same numbers
    page.locator("#new-conversation").click()
    expect(conversation).to_be_hidden()
    page.locator("#conversation-list .conversation").first.click()
    expect(page.get_by_test_id("export-answer")).to_have_count(2)
    with page.expect_download() as first:
        page.get_by_test_id("export-answer").first.click()
    again = Path(first.value.path()).read_text(encoding="utf-8")
    assert first.value.suggested_filename.endswith("-1.md")
    assert "연차휴가는 며칠인가요?" in again and "결혼하면" not in again
    watch.assert_clean()


def test_a_scope_document_deleted_meanwhile_is_named_in_the_error(
    open_page: object, live: Live, library: dict[str, object]
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, str(library["key"]))
    with live.api() as api:
        added = api.post(
            "/workspaces/views/documents",
            files=[
                (
                    "files",
                    ("임시공지.txt", "임시 공지\n\n회의는 3층입니다.\n".encode(), "text/plain"),
                )
            ],
        )
        assert added.status_code == 200, added.text
        doc_id = added.json()[0]["doc_id"]
    page.get_by_test_id("scope-summary").click()
    page.get_by_test_id("scope-option").filter(has_text="임시공지.txt").check()
    with live.api() as api:
        assert api.delete(f"/workspaces/views/documents/{doc_id}").status_code == 200
    page.get_by_test_id("question-input").fill("회의는 어디서 하나요?")
    page.get_by_test_id("ask-submit").click()
    failed = page.locator(".msg-bot.failed")
    expect(failed).to_have_count(1)
    expect(failed.locator(".notice")).to_contain_text(str(doc_id))
    expect(failed.get_by_test_id("export-answer")).to_be_hidden()
    watch.console_errors.clear()  # the browser logs the 404 it was meant to get
    watch.assert_clean()


def test_the_new_screens_fit_a_phone_and_speak_english(
    open_page: object, library: dict[str, object]
) -> None:
    page, watch = open_page(PHONE)  # type: ignore[operator]
    page.get_by_test_id("lang-switch").click()
    sign_in(page, str(library["key"]))
    page.get_by_test_id("scope-summary").click()
    expect(page.get_by_test_id("scope-summary")).to_have_text("Scope: all documents")
    page.get_by_test_id("scope-option").first.check()
    expect(page.get_by_test_id("scope-summary")).to_have_text("Scope: 1 document(s)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "chat-scope-phone.png")
    page.get_by_test_id("scope-clear").click()

    _open(page, "취업규칙.txt")
    expect(page.get_by_test_id("doc-view-close")).to_have_text("← Documents")
    expect(page.get_by_test_id("doc-view-ask")).to_have_text("Ask about this document")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "document-view-phone.png")
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("doc-view-close")).to_have_text("← 문서 목록")
    watch.assert_clean()


def test_scope_and_document_view_by_keyboard_alone(
    open_page: object, library: dict[str, object]
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, str(library["key"]))
    summary = page.get_by_test_id("scope-summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens the picker
    page.keyboard.press("Tab")  # the name filter
    expect(page.locator("#scope-filter")).to_be_focused()
    page.keyboard.type("취업")
    expect(page.get_by_test_id("scope-option")).to_have_count(1)
    page.keyboard.press("Tab")  # the one document left
    page.keyboard.press("Space")
    expect(summary).to_have_text("범위: 문서 1개")
    page.keyboard.press("Escape")  # folds the picker, back on its summary
    expect(summary).to_be_focused()
    expect(page.locator("#scope-options")).to_be_hidden()
    chip_remove = page.get_by_test_id("scope-chip").get_by_role("button")
    expect(chip_remove).to_have_attribute("aria-label", "범위에서 취업규칙.txt 빼기")
    chip_remove.focus()
    page.keyboard.press("Enter")
    expect(summary).to_have_text("범위: 모든 문서")

    page.locator("#tab-documents").click()
    opener = page.get_by_test_id("doc-open").filter(has_text="취업규칙.txt")
    opener.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#doc-view-title")).to_be_focused()
    page.keyboard.press("Tab")  # "이 문서에 질문하기" follows the title
    expect(page.get_by_test_id("doc-view-ask")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#view-chat")).to_be_visible()
    expect(page.get_by_test_id("scope-chip")).to_have_text("취업규칙.txt×")
    watch.assert_clean()


def test_a_citation_opens_its_whole_document_at_the_cited_article(
    open_page: object, library: dict[str, object]
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, str(library["key"]))
    ask(page, "결혼하면 휴가를 며칠 받나요?")
    page.get_by_test_id("answer").last.get_by_test_id("citation-chip").first.click()
    panel = page.get_by_test_id("passage-panel")
    expect(panel.get_by_test_id("passage-highlight")).to_contain_text("5일")
    panel.get_by_test_id("passage-whole").click()
    expect(page.locator("#view-documents")).to_be_visible()
    expect(page.locator("#doc-view-title")).to_have_text("취업규칙.txt")
    cited = page.locator(".doc-block-cited")
    expect(cited).to_have_count(1)
    expect(cited).to_have_attribute("data-label", "제13조(경조휴가)")
    expect(cited).to_be_focused()
    shoot(page, "document-view-cited.png")
    page.get_by_test_id("lang-switch").click()  # drawn again in English, still marked
    expect(page.locator(".doc-block-cited")).to_have_attribute("data-label", "제13조(경조휴가)")
    page.get_by_test_id("lang-switch").click()
    watch.assert_clean()
