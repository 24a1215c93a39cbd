"""The web UI of a server that keeps its workspaces (issue 14 item 1, issue 15): vectors
follow an upload in the background and the library shows them per document; an admin sets
the models a workspace may use and users pick among them; an evaluation run is cancelled from
its row. Real Chromium, real server on loopback, a slow loopback embedding server so the
progress can be seen."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Route, expect
from web_support import Live, ask, shoot, sign_in

from dalin.testing.live_server import configure
from dalin.testing.model_server import ModelServer, running_model_server

pytestmark = pytest.mark.slow

#: a handbook long enough that its vectors take a few batches
HANDBOOK = "\n\n".join(
    f"제{n}조(규정 {n}) 이 조항은 {n}번째 사내 규정입니다. 출장비와 숙박비는 영수증으로 정산합니다."
    " 정산은 한 달 안에 마칩니다."
    for n in range(1, 121)
)


@pytest.fixture(scope="module")
def embeddings() -> Iterator[ModelServer]:
    """An embedding server that takes a second per batch."""
    with running_model_server(embed_delay=1.0) as server:
        yield server


@pytest.fixture(scope="module")
def handbook(live: Live, embeddings: ModelServer) -> dict[str, str]:
    """Workspace "handbook" whose vectors come from the slow embedding server; an editor."""
    with live.api() as api:
        made = api.post("/workspaces", json={"slug": "handbook", "name": "사내 규정"})
        assert made.status_code == 201, made.text
        configure(
            live.server,
            "handbook",
            retrieval={"embedder": "openai:fake-e5", "embed_base_url": embeddings.base_url},
        )
        key = api.post("/workspaces/handbook/keys", json={"name": "편집", "role": "editor"})
        assert key.status_code == 201, key.text
    return {"slug": "handbook", "key": key.json()["key"]}


def test_the_library_shows_vectors_following_an_upload(
    open_page: object, handbook: dict[str, str], tmp_path: Path
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, handbook["key"])
    page.locator("#tab-documents").click()
    (tmp_path / "사내규정.txt").write_text(HANDBOOK, encoding="utf-8")
    page.get_by_test_id("upload-input").set_input_files(tmp_path / "사내규정.txt")
    expect(page.locator('.upload-item[data-state="done"]')).to_have_count(1, timeout=120_000)

    # keyword search works at once; meaning search catches up in the background
    jobs = page.get_by_test_id("doc-jobs")
    expect(jobs).to_be_visible()
    expect(jobs).to_contain_text("의미 검색")
    expect(jobs).to_contain_text("키워드 검색은 지금 바로 됩니다")
    vectors = page.get_by_test_id("doc-vectors")
    expect(vectors).to_have_class("num vectors vectors-pending")
    shoot(page, "documents-vectors-progress.png")

    expect(vectors).to_have_text("완료", timeout=180_000)  # followed without a reload
    expect(jobs).to_be_hidden()
    assert vectors.get_attribute("data-vectors") == vectors.get_attribute("data-chunks")
    assert int(vectors.get_attribute("data-chunks") or 0) > 10
    shoot(page, "documents-vectors-done.png")
    watch.assert_clean()


def test_an_admin_sets_the_models_and_users_pick_among_them(
    open_page: object, live: Live, shared: dict[str, str]
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, live.admin_key)
    page.locator("#workspace-select").select_option(shared["slug"])
    page.locator("#tab-settings").click()
    form = page.get_by_test_id("models-form")
    expect(form).to_be_visible()
    page.get_by_test_id("models-allowed").fill("local, openai:gpt-4o-mini")
    form.locator("button[type=submit]").click()
    expect(page.locator("#models-status")).to_have_text("저장했습니다.")
    options = page.get_by_test_id("model-select").locator("option")
    extractive = "추출형 (모델 없이 문서 문장으로 답변)"
    expect(options).to_have_text(
        [f"워크스페이스 기본값: {extractive}", extractive, "로컬 모델 (내장 Gemma 3 270M)",
         "openai:gpt-4o-mini"]
    )  # fmt: skip
    shoot(page, "settings-allowed-models.png")

    editor, editor_watch = open_page()  # type: ignore[operator]
    sign_in(editor, shared["key"])
    editor.locator("#tab-settings").click()
    expect(editor.get_by_test_id("models-form")).to_be_hidden()  # not an admin
    expect(editor.get_by_test_id("model-select").locator("option")).to_have_count(4)

    form.locator("#models-allowed").fill("")
    form.locator("button[type=submit]").click()
    expect(options).to_have_count(2)  # back to the default and extractive
    watch.assert_clean()
    editor_watch.assert_clean()


def test_a_late_list_of_models_does_not_undo_what_an_admin_typed(
    open_page: object, live: Live, shared: dict[str, str]
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, live.admin_key)
    held: list[Route] = []

    def hold_the_list(route: Route) -> None:
        if route.request.method == "GET" and not held:
            held.append(route)  # answered below, after the admin has typed
        else:
            route.continue_()

    page.route("**/api/v1/workspaces/*/models", hold_the_list)
    page.locator("#workspace-select").select_option(shared["slug"])
    page.locator("#tab-settings").click()
    page.get_by_test_id("models-allowed").fill("openai:gpt-4o-mini")
    assert len(held) == 1
    held[0].continue_()  # the list loaded before the typing arrives now
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("models-allowed")).to_have_value("openai:gpt-4o-mini")
    page.get_by_test_id("models-form").locator("button[type=submit]").click()
    expect(page.locator("#models-status")).to_have_text("저장했습니다.")
    options = page.get_by_test_id("model-select").locator("option")
    expect(options.last).to_have_text("openai:gpt-4o-mini")
    page.unroute("**/api/v1/workspaces/*/models")
    with live.api() as api:
        assert api.get(f"/workspaces/{shared['slug']}/models").json()["models"] == [
            "extractive",
            "openai:gpt-4o-mini",
        ]
        assert api.put(f"/workspaces/{shared['slug']}/models", json={"models": []}).is_success
    watch.assert_clean()


def test_a_model_no_longer_allowed_is_not_sent(
    open_page: object, live: Live, shared: dict[str, str]
) -> None:
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, shared["key"])
    page.evaluate("localStorage.setItem('dalin.llm', 'deepseek:deepseek-reasoner')")
    page.reload()
    page.locator("#tab-settings").click()
    # the list of allowed models arrives after the page: then the stale choice is dropped
    # a function, not an expression: Playwright polls an expression with eval(), which the
    # page's CSP refuses whenever the first check is false
    page.wait_for_function("() => localStorage.getItem('dalin.llm') === null", timeout=20_000)
    expect(page.get_by_test_id("model-select")).to_have_value("")
    ask(page, "연차휴가는 며칠인가요?")
    assert "llm" not in watch.ask_bodies[-1]
    expect(page.get_by_test_id("answer").last).to_contain_text("15일")
    watch.assert_clean()


def test_an_evaluation_run_is_cancelled_from_its_row(
    open_page: object, shared: dict[str, str], tmp_path: Path
) -> None:
    questions = tmp_path / "많은질문.jsonl"
    lines = [
        json.dumps(
            {"id": f"q{i}", "question": "연차휴가는 며칠인가요?", "answer_contains": ["15일"]},
            ensure_ascii=False,
        )
        for i in range(3000)
    ]
    questions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page, watch = open_page()  # type: ignore[operator]
    sign_in(page, shared["key"])
    page.locator("#tab-eval").click()
    page.locator("#eval-questions").set_input_files(questions)
    page.locator("#eval-models").fill("extractive")
    page.locator("#eval-form button[type=submit]").click()
    run = page.get_by_test_id("eval-runs").locator(".eval-run").first
    expect(run).to_have_attribute("data-status", "running", timeout=60_000)
    expect(run.get_by_test_id("eval-progress")).to_be_visible(timeout=30_000)
    shoot(page, "eval-running.png")
    run.get_by_test_id("eval-cancel").click()
    expect(run).to_have_attribute("data-status", "cancelled", timeout=60_000)
    expect(run).to_contain_text("취소됨")
    expect(run.get_by_test_id("eval-cancel")).to_have_count(0)
    shoot(page, "eval-cancelled.png")
    watch.assert_clean()
