"""deploy/compose.yaml cannot run here (no Docker): check what can be checked without it,
that every dalin command in it is one the real CLI accepts, with the variables dalin reads,
and that the proxy, the serve processes and the database agree with each other."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from dalin.cli.main import app
from dalin.stores.postgres_schema import DEFAULT_APP_ROLE

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    found: dict[str, dict[str, Any]] = compose["services"]
    return found


def dalin_services(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in services.items() if s.get("image") == "dalin:local"}


def parse(args: list[str]) -> tuple[str, dict[str, Any]]:
    """The command path and parameters the real CLI makes of ``args`` (not run)."""
    command: Any = typer.main.get_command(app)
    ctx = command.make_context("dalin", [], resilient_parsing=True)
    path, rest = [], list(args)
    while hasattr(command, "list_commands"):  # a group: the next word names its command
        name, rest = rest[0], rest[1:]
        command = command.get_command(ctx, name)
        assert command is not None, f"no command {name!r} in {path}"
        path.append(name)
        # unknown options or bad values raise here, as they would when run
        ctx = command.make_context(name, list(rest), parent=ctx, resilient_parsing=False)
    return " ".join(path), dict(ctx.params)


def test_every_dalin_command_is_one_the_cli_accepts(services: dict[str, dict[str, Any]]) -> None:
    commands = {name: parse(s["command"]) for name, s in dalin_services(services).items()}
    assert commands["migrate"] == ("db migrate", {"owner_url": None, "app_role": DEFAULT_APP_ROLE})
    serves = {n: p for n, (path, p) in commands.items() if path == "serve"}
    assert len(serves) >= 2, "N serve processes"
    for params in serves.values():
        assert params["host"] == "0.0.0.0" and params["port"] == 8321
        assert params["root"] == Path("/data") and params["watch"] is False
        assert params["queue_uploads"] is True, "uploads are indexed by the workers"
    assert commands["worker"][0] == "worker"
    assert services["worker"]["deploy"]["replicas"] >= 2, "M workers"


def test_serve_and_worker_log_in_as_the_app_role_and_migrate_as_the_owner(
    services: dict[str, dict[str, Any]],
) -> None:
    read_by_dalin = set(re.findall(r"DALIN_[A-Z_]+", (ROOT / "src/dalin/config.py").read_text()))
    for name, service in dalin_services(services).items():
        env = service["environment"]
        assert {k for k in env if k.startswith("DALIN_")} <= read_by_dalin, name
        if name == "migrate":
            assert "@postgres:5432/dalin" in env["DALIN_DATABASE_OWNER_URL"]
            assert "DALIN_DATABASE_URL" not in env
        else:
            url = env["DALIN_DATABASE_URL"]
            assert url.startswith(f"postgresql://{DEFAULT_APP_ROLE}:") and url.endswith(
                "@postgres:5432/dalin"
            ), url
        assert service["depends_on"]["migrate" if name != "migrate" else "postgres"]["condition"]
    init = (DEPLOY / "initdb" / "10-dalin.sh").read_text(encoding="utf-8")
    assert f"CREATE ROLE {DEFAULT_APP_ROLE} LOGIN" in init
    assert "CREATE EXTENSION IF NOT EXISTS vector" in init
    assert "pgvector" in services["postgres"]["image"]


def test_the_proxy_ends_tls_and_spreads_over_every_serve_process(
    services: dict[str, dict[str, Any]],
) -> None:
    caddy = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    upstreams = set(re.search(r"reverse_proxy ([^{]+)\{", caddy).group(1).split())  # type: ignore[union-attr]
    serves = {n for n, s in dalin_services(services).items() if s["command"][0] == "serve"}
    assert upstreams == {f"{n}:8321" for n in serves}
    volumes = [services[n]["volumes"][0].split(":")[0] for n in sorted(serves)]
    assert len(set(volumes)) == len(volumes), "each serve process its own folder"
    proxy = services["proxy"]
    assert "443:443" in proxy["ports"] and "{$DALIN_DOMAIN}" in caddy
    address = proxy["networks"]["backend"]["ipv4_address"]
    for name in serves:  # client addresses come from the proxy's X-Forwarded-For only
        assert services[name]["environment"]["FORWARDED_ALLOW_IPS"] == address
        assert "ports" not in services[name], "serve is reached through the proxy only"


def test_the_model_server_is_openai_compatible_and_the_docs_point_here(
    services: dict[str, dict[str, Any]],
) -> None:
    model = services["model"]
    assert "llama.cpp:server" in model["image"]
    assert shlex.join(model["command"]).count("--port 8080") == 1
    deploy_docs = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert "deploy/compose.yaml" in deploy_docs and "not run" in deploy_docs.lower()
