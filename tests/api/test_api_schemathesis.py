"""API fuzzing (SECURITY.md row 19): schemathesis generates requests from /openapi.json and
sends them with the admin key; no response may be a server error.

Examples are bounded (``MAX_EXAMPLES`` per operation) so the run takes about a minute.
Model specs are left out of generated bodies: a fuzzed "openai:…" would call out of the
machine, and which model answers is not what this test is about.

schemathesis reads the schema when this module is imported, so the app (over a server in a
temporary folder) exists from then on; the ``fuzzed`` fixture fills it with workspaces,
documents and keys before the first request. Requests go to a fresh app per operation
(``app=``): schemathesis ends an app's lifespan after each test, and the MCP service an app
runs in its lifespan starts only once per app.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_support import Deployment, running_deployment
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from dalin.api.app import create_app
from dalin.api.limits import ServeLimits
from dalin.api.server import Server

#: these tests fail authentication on purpose, many times over
NO_AUTH_THROTTLE = ServeLimits(failed_auth_per_minute=0)

MAX_EXAMPLES = 8
ROOT = Path(tempfile.mkdtemp(prefix="dalin-fuzz-"))
SERVER = Server(ROOT, rate_per_minute=0, limits=NO_AUTH_THROTTLE)
APP = create_app(SERVER)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).include(path_regex="^/api/v1/")


@schema.hook
def map_path_parameters(
    context: schemathesis.HookContext, path_parameters: dict[str, Any] | None
) -> dict[str, Any] | None:
    """Send two thirds of the cases to the populated workspace, so that they get past the 404
    (deleting it would end that early, so that one operation keeps its random names)."""
    if not path_parameters:
        return path_parameters
    operation = context.operation
    deleting = operation is not None and operation.method.upper() == "DELETE"
    is_workspace = operation is not None and operation.path.endswith("{ws}")
    ws = path_parameters.get("ws")
    if ws is not None and not (deleting and is_workspace) and len(str(ws)) % 3:
        path_parameters["ws"] = "alpha"
    return path_parameters


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[Deployment]:
    with running_deployment(ROOT, SERVER) as deployment:
        yield deployment
    shutil.rmtree(ROOT, ignore_errors=True)


@pytest.fixture
def fresh_app() -> FastAPI:
    return create_app(SERVER)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case, fuzzed: Deployment, fresh_app: FastAPI) -> None:
    if isinstance(case.body, dict):
        case.body.pop("llm", None)
        case.body.pop("models", None)
    case.call_and_validate(headers=fuzzed.admin(), checks=[not_a_server_error], app=fresh_app)
