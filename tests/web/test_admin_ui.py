"""The admin screens of the web UI (issue 16 item 10): API keys (create with the secret shown
once and a copy button, list without secrets, revoke after a confirmation) and the audit log
(newest first, filtered by action, shown a page at a time). Real Chromium, real server on
loopback; non-admins do not see the screens."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from web_support import PHONE, Live, shoot, sign_in

from dalin.api.server import AUDIT_ACTIONS
from dalin.web import STATIC_DIR

pytestmark = pytest.mark.slow


def test_the_audit_filter_offers_every_action_the_server_records() -> None:
    code = (STATIC_DIR / "audit.js").read_text(encoding="utf-8")
    listed = re.search(r"export const ACTIONS = \[(.*?)\];", code, re.S)
    assert listed is not None
    assert set(re.findall(r'"(\w+)"', listed.group(1))) == AUDIT_ACTIONS
    labels = (STATIC_DIR / "i18n.js").read_text(encoding="utf-8")
    for action in AUDIT_ACTIONS:
        assert labels.count(f'"audit.action.{action}":') == 2, action  # Korean and English


def test_an_admin_creates_copies_and_revokes_a_key(
    open_page: object, live: Live, shared: dict[str, str]
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.url)
    sign_in(page, live.admin_key)
    tab = page.locator("#tab-admin")
    expect(tab).to_have_text("관리")
    tab.click()
    expect(page.locator("#view-admin")).to_be_visible()
    expect(page.get_by_test_id("key-row")).to_have_count(2)  # the admin's and the editor's

    page.get_by_test_id("key-name").fill("김민지 (인사팀)")
    expect(page.get_by_test_id("key-workspace")).to_have_value("shared")
    page.get_by_test_id("key-role").select_option("viewer")
    page.get_by_test_id("key-create").click()
    box = page.get_by_test_id("key-secret")
    expect(box).to_be_visible()
    expect(box).to_contain_text("한 번만 보입니다")
    secret = page.get_by_test_id("key-secret-value").input_value()
    assert secret.startswith("dln_") and len(secret) > 20
    page.get_by_test_id("key-copy").click()
    expect(page.locator("#key-copy-status")).to_contain_text("복사했습니다")
    assert page.evaluate("navigator.clipboard.readText()") == secret
    row = page.get_by_test_id("key-row").filter(has_text="김민지 (인사팀)")
    expect(row).to_contain_text("열람자")
    expect(row).to_contain_text("shared")
    expect(row).to_contain_text(secret[:8])  # the prefix, never the secret
    assert secret not in page.locator("#key-table").inner_text()
    shoot(page, "admin-key-created.png")
    page.locator("#key-table").scroll_into_view_if_needed()
    shoot(page, "admin-keys.png")

    page.get_by_test_id("key-secret-done").click()
    expect(box).to_be_hidden()
    assert page.get_by_test_id("key-secret-value").input_value() == ""
    with live.api(secret) as api:  # the new key works
        assert api.get("/me").json()["role"] == "viewer"

    row.get_by_test_id("key-revoke").click()
    assert watch.confirms and "김민지 (인사팀)" in watch.confirms[-1]
    expect(page.locator("#keys-status")).to_contain_text("폐기했습니다")
    expect(row).to_have_count(0)  # revoked keys are folded away
    page.locator("#keys-revoked").check()
    expect(row).to_contain_text("폐기됨")
    expect(row.get_by_test_id("key-revoke")).to_have_count(0)
    with live.api(secret) as api:
        assert api.get("/me").status_code == 401

    # the last admin key is refused with the server's reason, in Korean
    mine = page.get_by_test_id("key-row").filter(has_text="지금 로그인한 키")
    mine.get_by_test_id("key-revoke").click()
    assert "지금 로그인한 키" in watch.confirms[-1]
    expect(page.locator("#keys-status")).to_contain_text("마지막 관리자 키입니다")
    expect(mine.get_by_test_id("key-revoke")).to_be_visible()
    watch.console_errors.clear()  # the browser logs the 409 it was meant to get
    watch.assert_clean()


def test_the_audit_log_is_newest_first_filtered_and_paged(
    open_page: object, live: Live, shared: dict[str, str]
) -> None:
    with live.api(shared["key"]) as api:  # 55 sign-ins by the editor, then a refused request
        for _ in range(55):
            assert api.get("/me", params={"sign_in": 1}).status_code == 200
        assert api.get("/audit").status_code == 403
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, live.admin_key)
    page.locator("#tab-admin").click()
    rows = page.get_by_test_id("audit-row")
    expect(rows.first).to_have_attribute("data-action", "sign_in")  # the admin's, just now
    expect(rows.nth(1)).to_have_attribute("data-action", "denied")
    expect(rows.nth(1)).to_contain_text("편집자")
    expect(rows.nth(1)).to_contain_text("권한 없음")
    expect(rows).to_have_count(50)
    more = page.get_by_test_id("audit-more")
    expect(more).to_be_visible()

    page.get_by_test_id("audit-action").select_option("sign_in")
    # the unfiltered page also shows 50 rows: wait for the filtered one to replace it, or
    # the rows read below may still be the old page's (a race the fresh clone's run lost)
    others = page.locator('[data-testid="audit-row"]:not([data-action="sign_in"])')
    expect(others).to_have_count(0)
    expect(rows).to_have_count(50)
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.action)")) == {"sign_in"}
    expect(page.locator("#audit-summary")).to_contain_text("50건 표시")
    expect(more).to_have_text(re.compile(r"\d+건 더 보기"))
    with live.api() as api:
        log = api.get("/audit", params={"limit": 1000}).json()
    sign_ins = sum(1 for e in log if e["action"] == "sign_in")
    assert 56 <= sign_ins <= 100  # the editor's 55 and the admin's, less than two pages more
    more.click()
    expect(rows).to_have_count(sign_ins)
    expect(more).to_be_hidden()
    page.locator("#audit-table").scroll_into_view_if_needed()
    page.locator("#audit-action").evaluate("el => el.scrollIntoView({block: 'start'})")
    shoot(page, "admin-audit.png")

    page.get_by_test_id("audit-action").select_option("denied")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("/api/v1/audit")
    page.get_by_test_id("lang-switch").click()
    expect(page.locator("#tab-admin")).to_have_text("Admin")
    expect(rows.first).to_contain_text("not allowed")
    expect(page.get_by_test_id("audit-action")).to_have_value("denied")
    shoot(page, "admin-audit-english.png")
    page.get_by_test_id("lang-switch").click()
    watch.assert_clean()


def test_non_admins_do_not_see_the_admin_screens(open_page: object, shared: dict[str, str]) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, shared["key"])
    expect(page.locator("#tab-admin")).to_be_hidden()
    page.evaluate("location.hash = '#admin'")
    page.reload()
    expect(page.locator("#view-chat")).to_be_visible()
    expect(page.locator("#view-admin")).to_be_hidden()
    page.locator("#tab-chat").focus()
    page.keyboard.press("ArrowLeft")  # wraps to the last tab the key may use
    expect(page.locator("#view-settings")).to_be_visible()
    watch.assert_clean()


def test_the_admin_screen_fits_a_phone(
    open_page: object, live: Live, shared: dict[str, str]
) -> None:
    page, watch = open_page(PHONE)  # type: ignore[operator]
    sign_in(page, live.admin_key)
    page.locator("#tab-admin").click()
    expect(page.get_by_test_id("key-row").first).to_be_visible()
    expect(page.get_by_test_id("audit-row").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#audit-action").scroll_into_view_if_needed()
    shoot(page, "admin-phone.png")
    watch.assert_clean()
