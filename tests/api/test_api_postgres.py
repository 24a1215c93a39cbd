"""A served workspace kept in PostgreSQL: upload, search, answer and delete over REST."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import DOCUMENTS, bearer, upload
from fastapi.testclient import TestClient

from dalin.api.app import create_app
from dalin.api.server import Server
from dalin.stores.postgres import PostgresStore
from dalin.testing.postgres import PostgresURLs
from dalin.transfer import to_postgres


def test_a_workspace_moved_to_postgres_is_served_through_the_same_routes(
    tmp_path: Path, postgres: PostgresURLs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DALIN_DATABASE_URL", postgres.app)
    server = Server(tmp_path / "server", rate_per_minute=0)
    admin = server.ensure_admin_key()
    assert admin is not None
    try:
        with TestClient(create_app(server)) as client:
            made = client.post(
                "/api/v1/workspaces", json={"slug": "pgserved", "name": "PG"}, headers=bearer(admin)
            )
            assert made.status_code == 201, made.text
            folder = server.workspace_path("pgserved")
            config = folder / "dalin.toml"
            config.write_text(
                config.read_text(encoding="utf-8").replace(
                    'embedder = "local"', 'embedder = "none"'
                ),
                encoding="utf-8",
            )
            to_postgres(folder, postgres.app, "api-pgserved")
            with server.open_workspace("pgserved") as ws:
                assert isinstance(ws.store, PostgresStore)

            docs = upload(
                client,
                admin,
                "pgserved",
                ("취업규칙.docx", (DOCUMENTS / "취업규칙.docx").read_bytes()),
            )
            assert docs[0]["status"] == "added", docs
            listed = client.get("/api/v1/workspaces/pgserved/documents", headers=bearer(admin))
            assert [d["name"] for d in listed.json()] == ["취업규칙.docx"], listed.text
            asked = client.post(
                "/api/v1/workspaces/pgserved/ask",
                json={"question": "연차휴가는 며칠인가요"},
                headers=bearer(admin),
            )
            assert asked.status_code == 200, asked.text
            assert "15일" in asked.json()["text"], asked.json()
            with server.open_workspace("pgserved") as ws:
                assert len(ws.store.documents()) == 1  # in the database, seen by a new opening
            gone = client.delete(
                f"/api/v1/workspaces/pgserved/documents/{docs[0]['doc_id']}", headers=bearer(admin)
            )
            assert gone.status_code == 200, gone.text
            with server.open_workspace("pgserved") as ws:
                assert ws.store.documents() == [] and ws.store.chunk_count() == 0
    finally:
        server.close()
