"""Request limits: the per-key rate limit (429 + Retry-After) and body sizes (413)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from api_support import bearer
from fastapi.testclient import TestClient

from dalin.api.app import create_app
from dalin.api.auth import RateLimiter
from dalin.api.server import Server


def test_rate_limit_answers_429_with_retry_after(tmp_path: Path) -> None:
    server = Server(tmp_path / "server", rate_per_minute=3)
    key = server.ensure_admin_key()
    assert key is not None
    with TestClient(create_app(server)) as client:
        statuses = [client.get("/api/v1/me", headers=bearer(key)).status_code for _ in range(3)]
        limited = client.get("/api/v1/me", headers=bearer(key))
        other = server.create_key("second", "admin", None).key
        unaffected = client.get("/api/v1/me", headers=bearer(other))
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"
    assert unaffected.status_code == 200  # the limit is per key
    server.close()


def test_token_bucket_refills_with_time() -> None:
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])  # one a second, bursts of 60
    assert all(limiter.take(1) == 0 for _ in range(60))
    wait = limiter.take(1)
    assert 0 < wait <= 1.0
    now[0] += wait
    assert limiter.take(1) == 0
    assert RateLimiter(0).take(1) == 0  # 0 turns the limit off


def _small_server(tmp_path: Path) -> tuple[Server, str]:
    server = Server(tmp_path / "server", rate_per_minute=0, max_upload_mb=1)
    key = server.ensure_admin_key()
    assert key is not None
    server.create_workspace("shop")
    return server, key


def test_upload_over_the_limit_is_413(tmp_path: Path) -> None:
    server, key = _small_server(tmp_path)
    with TestClient(create_app(server)) as client:
        response = client.post(
            "/api/v1/workspaces/shop/documents",
            files=[("files", ("big.txt", b"a" * (2 * 2**20)))],
            headers=bearer(key),
        )
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "too_large"
        assert not list(server.files_dir("shop").iterdir())  # nothing stored


def test_streamed_body_over_the_limit_is_413_without_content_length(tmp_path: Path) -> None:
    server, key = _small_server(tmp_path)
    boundary = "dalinboundary"

    def body() -> Iterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            'filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()
        for _ in range(40):
            yield b"b" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    with TestClient(create_app(server)) as client:
        response = client.post(
            "/api/v1/workspaces/shop/documents",
            content=body(),
            headers={**bearer(key), "Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_json_body_over_one_megabyte_is_413(tmp_path: Path) -> None:
    server, key = _small_server(tmp_path)
    with TestClient(create_app(server)) as client:
        response = client.post(
            "/api/v1/workspaces/shop/ask",
            json={"question": "가" * (2**20)},
            headers=bearer(key),
        )
    assert response.status_code == 413


def test_anonymous_upload_is_refused_before_the_body_is_read(tmp_path: Path) -> None:
    server, _ = _small_server(tmp_path)
    with TestClient(create_app(server)) as client:
        response = client.post(
            "/api/v1/workspaces/shop/documents",
            files=[("files", ("big.txt", b"a" * (3 * 2**20)))],
        )
    assert response.status_code == 401
