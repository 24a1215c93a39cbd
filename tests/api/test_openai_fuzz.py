"""API fuzzing of the OpenAI-compatible routes (SECURITY.md row 19): schemathesis generates
requests for /v1/ from /openapi.json and sends them with a viewer key; none may be answered
with a server error, and every error keeps the OpenAI shape.

schemathesis reads the schema when this module is imported, so the app (over a server in a
temporary folder) exists from then on; the ``seeded`` fixture gives it a workspace with
documents and a key before the first request.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from dalin.api.app import create_app
from dalin.api.limits import ServeLimits
from dalin.api.server import Server
from dalin.testing.live_server import seed_workspace

#: these tests fail authentication on purpose, many times over
NO_AUTH_THROTTLE = ServeLimits(failed_auth_per_minute=0)

MAX_EXAMPLES = 25
ROOT = Path(tempfile.mkdtemp(prefix="dalin-openai-fuzz-"))
SERVER = Server(ROOT, rate_per_minute=0, limits=NO_AUTH_THROTTLE)
APP = create_app(SERVER)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).include(path_regex="^/v1/")


@pytest.fixture(scope="module")
def viewer_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    doc = tmp_path_factory.mktemp("docs") / "leave.md"
    doc.write_text("# 휴가\n\n## 제1조 (연차)\n직원은 1년에 15일의 연차휴가를 받는다.\n", "utf-8")
    seed_workspace(SERVER, "shop", [doc])
    yield SERVER.create_key("fuzz", "viewer", "shop").key
    SERVER.close()
    shutil.rmtree(ROOT, ignore_errors=True)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case, viewer_key: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {viewer_key}"})
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code in (200, 400, 404, 405), response.text
    if response.status_code != 200:
        assert set(response.json()["error"]) >= {"message", "type", "code"}
