"""Helpers for the HTTP API tests: a deployment with two workspaces, keys, uploads."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from dalin.api.app import create_app
from dalin.api.limits import ServeLimits
from dalin.api.server import Server

#: these tests fail authentication on purpose, many times over
NO_AUTH_THROTTLE = ServeLimits(failed_auth_per_minute=0)

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ROOT / "examples" / "documents"
#: text only workspace "beta" holds: it must never reach a caller of "alpha"
CANARY = "canary-7f3a9c 비밀유지 베타전용"
QUESTIONS = (
    json.dumps(
        {"id": "q1", "question": "연차휴가는 며칠인가요", "answer_contains": ["15일"]},
        ensure_ascii=False,
    )
    + "\n"
).encode()


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@dataclass
class Deployment:
    """A running server with workspaces "alpha" and "beta" and a key of each kind."""

    server: Server
    client: TestClient
    #: admin, editor, viewer (of alpha), other (editor of beta), revoked (ex-editor of alpha)
    keys: dict[str, str]
    doc_id: int = 0
    span: tuple[int, int] = (0, 0)
    conversation: str = "conv-fixture"
    run_id: str = ""
    counter: list[int] = field(default_factory=lambda: [0])

    def unique(self, stem: str) -> str:
        self.counter[0] += 1
        return f"{stem}-{self.counter[0]}"

    def admin(self) -> dict[str, str]:
        return bearer(self.keys["admin"])


def upload(
    client: TestClient, key: str, slug: str, *files: tuple[str, bytes]
) -> list[dict[str, object]]:
    response = client.post(
        f"/api/v1/workspaces/{slug}/documents",
        files=[("files", (name, data)) for name, data in files],
        headers=bearer(key),
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, object]] = response.json()
    return results


def wait_for_run(
    client: TestClient, key: str, slug: str, run_id: str, seconds: float = 120
) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while True:
        run: dict[str, object] = client.get(
            f"/api/v1/workspaces/{slug}/eval/runs/{run_id}", headers=bearer(key)
        ).json()
        if run["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return run
        time.sleep(0.2)


@contextmanager
def running_deployment(root: Path, server: Server | None = None) -> Iterator[Deployment]:
    """A server in ``root`` with workspaces alpha and beta, documents, a conversation and
    a finished evaluation run; one key per caller kind."""
    server = server or Server(root, rate_per_minute=0, limits=NO_AUTH_THROTTLE)
    admin = server.ensure_admin_key()
    assert admin is not None
    with TestClient(create_app(server)) as client:
        for slug in ("alpha", "beta"):
            made = client.post(
                "/api/v1/workspaces",
                json={"slug": slug, "name": slug.title()},
                headers=bearer(admin),
            )
            assert made.status_code == 201, made.text
        keys = {"admin": admin}
        for name, role, slug in (
            ("editor", "editor", "alpha"),
            ("viewer", "viewer", "alpha"),
            ("other", "editor", "beta"),
            ("revoked", "editor", "alpha"),
        ):
            made = client.post(
                f"/api/v1/workspaces/{slug}/keys",
                json={"name": name, "role": role},
                headers=bearer(admin),
            )
            assert made.status_code == 201, made.text
            keys[name] = made.json()["key"]
            if name == "revoked":
                gone = client.delete(
                    f"/api/v1/workspaces/{slug}/keys/{made.json()['id']}", headers=bearer(admin)
                )
                assert gone.status_code == 200
        docs = upload(
            client,
            admin,
            "alpha",
            ("취업규칙.docx", (DOCUMENTS / "취업규칙.docx").read_bytes()),
            ("고객센터_FAQ.txt", (DOCUMENTS / "고객센터_FAQ.txt").read_bytes()),
        )
        upload(client, admin, "beta", ("canary.txt", f"연차휴가 규정 {CANARY} 입니다.\n".encode()))
        deployment = Deployment(server, client, keys)
        deployment.doc_id = int(str(docs[0]["doc_id"]))
        with server.open_workspace("alpha") as ws:
            chunk = ws.store.chunks_in_range(deployment.doc_id, 0, 10**9)[1]
        deployment.span = (chunk.start + 2, chunk.end - 2)
        asked = client.post(
            "/api/v1/workspaces/alpha/ask",
            json={"question": "연차휴가는 며칠인가요", "conversation_id": deployment.conversation},
            headers=bearer(admin),
        )
        assert asked.status_code == 200, asked.text
        started = client.post(
            "/api/v1/workspaces/alpha/eval/runs",
            files={"questions": ("set.jsonl", QUESTIONS)},
            data={"models": "extractive"},
            headers=bearer(admin),
        )
        assert started.status_code == 202, started.text
        deployment.run_id = started.json()["run_id"]
        assert wait_for_run(client, admin, "alpha", deployment.run_id)["status"] == "done"
        yield deployment
    server.close()


# --- `dalin serve` as a real process ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(port: int, seconds: float = 120) -> None:
    """Until /healthz says ready (the Korean analyser loaded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()["ready"]:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("dalin serve did not come up")


def stop(process: subprocess.Popen[str]) -> str:
    """Stop a `dalin serve` as Ctrl-C does; return its stderr (read once it has ended)."""
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err
