"""Documents over HTTP: uploads with per-file results, safe names, passages, delete, reindex."""

from __future__ import annotations

from api_support import DOCUMENTS, Deployment, bearer, upload
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from dalin.api.routes_documents import MAX_NAME_BYTES, safe_name
from dalin.api.server import Server
from dalin.messages import CATALOGUE, bilingual
from shared_samples import shared_path


def _make_shop(client: TestClient, admin_key: str) -> dict[str, str]:
    headers = bearer(admin_key)
    assert client.post("/api/v1/workspaces", json={"slug": "shop"}, headers=headers).is_success
    return headers


def test_a_bad_file_fails_alone_and_the_others_are_indexed(
    server: Server, client: TestClient, admin_key: str
) -> None:
    _make_shop(client, admin_key)
    results = upload(
        client,
        admin_key,
        "shop",
        ("고객센터_FAQ.txt", (DOCUMENTS / "고객센터_FAQ.txt").read_bytes()),
        ("broken.pdf", b"%PDF-1.7 this is not really a PDF"),
        ("가격표_2025.md", (DOCUMENTS / "가격표_2025.md").read_bytes()),
        ("..", b"no name at all"),
    )
    by_name = {r["name"]: r for r in results}
    assert [r["status"] for r in results] == ["added", "failed", "added", "failed"]
    assert by_name["broken.pdf"]["code"] == "corrupt" and by_name["broken.pdf"]["reason"]
    assert results[3]["code"] == "bad_name"
    listed = client.get("/api/v1/workspaces/shop/documents", headers=bearer(admin_key)).json()
    assert {d["name"]: d["status"] for d in listed} == {
        "고객센터_FAQ.txt": "indexed",
        "broken.pdf": "failed",
        "가격표_2025.md": "indexed",
    }
    assert all("path" not in d for d in listed)  # server paths are never sent
    again = upload(
        client,
        admin_key,
        "shop",
        ("고객센터_FAQ.txt", (DOCUMENTS / "고객센터_FAQ.txt").read_bytes()),
    )
    assert again[0]["status"] == "unchanged"
    assert again[0]["doc_id"] == by_name["고객센터_FAQ.txt"]["doc_id"]


def test_upload_names_cannot_leave_the_files_folder(
    server: Server, client: TestClient, admin_key: str
) -> None:
    _make_shop(client, admin_key)
    results = upload(
        client,
        admin_key,
        "shop",
        ("../../../escape.txt", "상위 폴더로 나가려는 파일입니다.".encode()),
        ("..\\..\\windows.txt", "역슬래시 경로입니다.".encode()),
        ("/etc/absolute.txt", "절대 경로입니다.".encode()),
        (".hidden.txt", "숨김 파일 이름입니다.".encode()),
    )
    assert [r["name"] for r in results] == [
        "escape.txt",
        "windows.txt",
        "absolute.txt",
        "hidden.txt",
    ]
    assert all(r["status"] == "added" for r in results)
    stored = sorted(p.name for p in server.files_dir("shop").iterdir())
    assert stored == ["absolute.txt", "escape.txt", "hidden.txt", "windows.txt"]
    outside = [p for p in server.root.rglob("*.txt") if p.parent != server.files_dir("shop")]
    assert outside == []


def test_a_file_over_the_workspace_limit_fails_alone(
    server: Server, client: TestClient, admin_key: str
) -> None:
    _make_shop(client, admin_key)
    config = server.workspace_path("shop") / "dalin.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("max_file_mb = 200", "max_file_mb = 0.001"),
        encoding="utf-8",
    )
    results = upload(
        client, admin_key, "shop", ("big.txt", b"x" * 5000), ("small.txt", "작은 파일".encode())
    )
    assert [(r["status"], r["code"]) for r in results] == [
        ("failed", "limit_exceeded"),
        ("added", ""),
    ]


@given(st.text(max_size=300))
def test_safe_names_stay_inside_their_folder(raw: str) -> None:
    name = safe_name(raw)
    if name is None:
        return
    assert name and "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and name not in ("..", ".")
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert all(ch.isprintable() for ch in name)


def test_safe_name_keeps_korean_and_the_extension() -> None:
    assert safe_name("보고서/2025 취업규칙.hwp") == "2025 취업규칙.hwp"
    decomposed = "\u1112\u1161\u11ab\u1100\u1173\u11af.txt"  # 한글, as macOS sends it
    assert safe_name(decomposed) == "한글.txt"
    assert safe_name("긴이름" * 100 + ".docx").endswith(".docx")  # type: ignore[union-attr]
    assert safe_name("") is None and safe_name("../..") is None and safe_name(" . ") is None


def test_passage_highlights_the_cited_span(deployment: Deployment) -> None:
    headers = bearer(deployment.keys["viewer"])
    answer = deployment.client.post(
        "/api/v1/workspaces/alpha/ask", json={"question": "수습 기간은 얼마인가요"}, headers=headers
    ).json()
    citation = answer["citations"][0]
    passage = deployment.client.get(
        f"/api/v1/workspaces/alpha/documents/{citation['doc_id']}/passage",
        params={"start": citation["start"], "end": citation["end"]},
        headers=headers,
    ).json()
    start, end = passage["highlight"]
    assert passage["text"][start:end] == citation["quote"]
    assert passage["name"] == "취업규칙.docx" and passage["label"]
    assert passage["start"] <= citation["start"] and citation["end"] <= passage["end"]


def test_passage_spanning_two_chunks(deployment: Deployment) -> None:
    with deployment.server.open_workspace("alpha") as ws:
        first, second = ws.store.chunks_in_range(deployment.doc_id, 0, 10**9)[:2]
    passage = deployment.client.get(
        f"/api/v1/workspaces/alpha/documents/{deployment.doc_id}/passage",
        params={"start": first.end - 5, "end": second.start + 5},
        headers=bearer(deployment.keys["viewer"]),
    ).json()
    start, end = passage["highlight"]
    marked = passage["text"][start:end]
    assert marked.startswith(first.text[-5:]) and marked.endswith(second.text[:5])


def test_passage_of_nowhere_is_404_and_a_bad_span_422(deployment: Deployment) -> None:
    headers = bearer(deployment.keys["viewer"])
    base = f"/api/v1/workspaces/alpha/documents/{deployment.doc_id}/passage"
    far = deployment.client.get(base, params={"start": 10**8, "end": 10**8 + 5}, headers=headers)
    assert far.status_code == 404
    backwards = deployment.client.get(base, params={"start": 50, "end": 10}, headers=headers)
    assert backwards.status_code == 422
    assert backwards.json()["error"]["code"] == "invalid_request"


def test_delete_removes_the_document_and_its_file(
    server: Server, client: TestClient, admin_key: str
) -> None:
    headers = _make_shop(client, admin_key)
    [added] = upload(client, admin_key, "shop", ("지울파일.txt", "연차휴가 지울 문서".encode()))
    doc = f"/api/v1/workspaces/shop/documents/{added['doc_id']}"
    assert client.delete(doc, headers=headers).json()["name"] == "지울파일.txt"
    assert client.get(doc, headers=headers).status_code == 404
    assert not (server.files_dir("shop") / "지울파일.txt").exists()
    hits = client.get("/api/v1/workspaces/shop/search?q=연차휴가", headers=headers).json()
    assert hits == []


def test_reindex_retries_a_failed_document(
    server: Server, client: TestClient, admin_key: str
) -> None:
    headers = _make_shop(client, admin_key)
    [failed] = upload(client, admin_key, "shop", ("notes.txt", b"\xff\xfe\x00"))
    assert failed["status"] == "failed"
    (server.files_dir("shop") / "notes.txt").write_text("이제 읽을 수 있는 글", encoding="utf-8")
    again = client.post(
        f"/api/v1/workspaces/shop/documents/{failed['doc_id']}/reindex", headers=headers
    ).json()
    assert again["status"] in ("added", "replaced")
    assert again["doc_id"] == failed["doc_id"]


def test_search_returns_hits_with_document_names(deployment: Deployment) -> None:
    hits = deployment.client.get(
        "/api/v1/workspaces/alpha/search",
        params={"q": "연차휴가", "k": 3},
        headers=bearer(deployment.keys["viewer"]),
    ).json()
    assert 1 <= len(hits) <= 3
    assert hits[0]["document"] == "취업규칙.docx" and "/" not in hits[0]["document"]


def test_workspace_detail_counts(deployment: Deployment) -> None:
    info = deployment.client.get(
        "/api/v1/workspaces/alpha", headers=bearer(deployment.keys["viewer"])
    ).json()
    assert info["slug"] == "alpha" and info["documents"] >= 2 and info["chunks"] > 0
    assert info["model"] == "extractive"


def test_content_is_the_text_in_order_with_labels_and_the_tables(deployment: Deployment) -> None:
    headers = bearer(deployment.keys["viewer"])
    base = f"/api/v1/workspaces/alpha/documents/{deployment.doc_id}"
    content = deployment.client.get(f"{base}/content", headers=headers).json()
    assert content["document"] == deployment.client.get(base, headers=headers).json()
    assert set(content) == {"document", "blocks", "tables"}
    labels = [b["label"] for b in content["blocks"]]
    articles = [label for label in labels if label.startswith("제") and "조" in label]
    assert articles and articles == sorted(articles, key=lambda a: int(a[1 : a.index("조")]))
    assert all(set(b) == {"label", "kind", "text"} and b["text"] for b in content["blocks"])
    assert any("연차" in b["text"] for b in content["blocks"])
    for table in content["tables"]:
        assert set(table) == {"label", "name", "header", "rows"}
    missing = deployment.client.get(
        "/api/v1/workspaces/alpha/documents/999999/content", headers=headers
    )
    assert missing.status_code == 404


def test_a_failed_file_carries_the_catalogues_words(client: TestClient, admin_key: str) -> None:
    sample = shared_path("samples", "ADV_pypdf_encrypted-file.pdf")
    _make_shop(client, admin_key)
    [result] = upload(client, admin_key, "shop", (sample.name, sample.read_bytes()))
    encrypted = CATALOGUE["encrypted"]
    help_ = {
        "category": {"ko": encrypted.category[0], "en": encrypted.category[1]},
        "remedy": {"ko": encrypted.remedy[0], "en": encrypted.remedy[1]},
    }
    assert (result["status"], result["code"], result["help"]) == ("failed", "encrypted", help_)
    [listed] = client.get("/api/v1/workspaces/shop/documents", headers=bearer(admin_key)).json()
    assert listed["help"] == help_
    fine = upload(client, admin_key, "shop", ("메모.txt", "연차는 15일".encode()))
    assert fine[0]["help"] is None


def test_a_library_error_body_carries_the_catalogues_message(
    client: TestClient, admin_key: str
) -> None:
    _make_shop(client, admin_key)
    response = client.post(
        "/api/v1/workspaces/shop/ask",
        json={"question": "연차는 며칠?", "llm": "openai:not-allowed-here"},
        headers=bearer(admin_key),
    )
    error = response.json()["error"]
    assert error["message"].endswith(bilingual(error["code"]))
