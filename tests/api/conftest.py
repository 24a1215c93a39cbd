"""Fixtures for the HTTP API: a Server in a temporary folder, its app, and key helpers.

``deployment`` (module-scoped) is a server with two workspaces holding real documents and
one key per caller kind; ``server``/``client`` are a fresh empty server per test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import Deployment, running_deployment
from fastapi.testclient import TestClient

from dalin.api.app import create_app
from dalin.api.limits import ServeLimits
from dalin.api.server import Server

#: these tests fail authentication on purpose, many times over
NO_AUTH_THROTTLE = ServeLimits(failed_auth_per_minute=0)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    with running_deployment(tmp_path_factory.mktemp("server")) as running:
        yield running


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path / "server", rate_per_minute=0, limits=NO_AUTH_THROTTLE)
    yield server
    server.close()


@pytest.fixture
def admin_key(server: Server) -> str:
    key = server.ensure_admin_key()
    assert key is not None
    return key


@pytest.fixture
def client(server: Server) -> Iterator[TestClient]:
    with TestClient(create_app(server)) as client:
        yield client
