"""`dalin serve --workspace PATH` serves a workspace built on the command line, where it is
(issue 16 item 5): init + add, then serve, and REST lists the documents without an upload."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import typer
from api_support import DOCUMENTS, bearer, free_port, stop, wait_until_up
from typer.testing import CliRunner

from dalin.api.server import Server
from dalin.cli import serve as serve_cli
from dalin.cli.main import app as cli
from dalin.config import DEFAULT_EMBEDDER
from dalin.errors import WorkspaceError, WorkspaceExists, WorkspaceNotFound
from dalin.testing.postgres import PostgresURLs, another_database

runner = CliRunner()


def _office(tmp_path: Path) -> Path:
    """``<tmp>/acme/.dalin`` made and filled by the command line (keywords only: fast)."""
    folder = tmp_path / "acme" / ".dalin"
    assert runner.invoke(cli, ["-w", str(folder), "init"]).exit_code == 0
    config = folder / "dalin.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(f'embedder = "{DEFAULT_EMBEDDER}"', 'embedder = "none"'))
    added = runner.invoke(cli, ["-w", str(folder), "add", str(DOCUMENTS)])
    assert added.exit_code == 0, added.output
    return folder


def _start(args: list[str], cwd: Path, home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dalin", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DALIN_HOME": str(home)},
    )


@pytest.mark.slow
def test_serve_lists_the_documents_the_command_line_added(tmp_path: Path) -> None:
    folder = _office(tmp_path)
    port = free_port()
    home = tmp_path / "home"
    args = ["serve", "--workspace", str(folder), "--port", str(port), "--no-watch"]
    process = _start(args, tmp_path, home)
    try:
        wait_until_up(port)
    finally:
        err = stop(process)  # stderr is read once the process has ended
    [key] = re.findall(r"dln_[A-Za-z0-9_-]{43}", err)  # the admin key, printed once
    assert "'acme'" in err and (folder / "server" / "server.db").is_file()
    assert not (home / "server.db").exists()  # DALIN_HOME left alone
    base = f"http://127.0.0.1:{port}/api/v1"
    process = _start(args, tmp_path, home)
    try:
        wait_until_up(port)
        names = [ws["slug"] for ws in httpx.get(f"{base}/workspaces", headers=bearer(key)).json()]
        assert names == ["acme"]
        listed = httpx.get(f"{base}/workspaces/acme/documents", headers=bearer(key)).json()
        on_disk = sorted(p.name for p in DOCUMENTS.iterdir() if not p.name.startswith("."))
        assert sorted(d["name"] for d in listed) == on_disk
        answer = httpx.post(
            f"{base}/workspaces/acme/ask",
            headers=bearer(key),
            json={"question": "연차휴가는 며칠인가요?"},
            timeout=60,
        ).json()
        assert "15" in answer["text"]
    finally:
        err_again = stop(process)
    assert "dln_" not in err_again  # printed once only


def test_an_attached_workspace_is_never_deleted_with_it(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    assert runner.invoke(cli, ["-w", str(folder), "init"]).exit_code == 0
    server = Server(tmp_path / "root")
    try:
        assert server.attach_workspace("ws", folder).slug == "ws"
        assert server.served("ws").path == folder.resolve()
        assert server.delete_workspace("ws")
        assert (folder / "dalin.toml").is_file()
        server.create_workspace("own")
        with pytest.raises(WorkspaceExists):
            server.attach_workspace("own", folder)
        with pytest.raises(WorkspaceNotFound):
            server.attach_workspace("none", tmp_path / "none")
    finally:
        server.close()


def test_slugs_from_folders() -> None:
    assert serve_cli.slug_for(Path("/srv/Acme Corp/.dalin")) == "acme-corp"
    assert serve_cli.slug_for(Path("/srv/회사/.dalin")) == "workspace"
    assert serve_cli.slug_for(Path("/srv/data_2024")) == "data-2024"


def _offer() -> typer.Typer:
    """The offer on its own, answered through a real prompt."""
    app = typer.Typer()

    @app.command()
    def main() -> None:
        found = serve_cli._offer_nearby()
        typer.echo(f"chosen: {found}")

    return app


@pytest.mark.parametrize(("interactive", "answer"), [(True, "y"), (True, "n"), (False, "")])
def test_serve_in_a_folder_with_a_workspace_offers_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interactive: bool, answer: str
) -> None:
    folder = tmp_path / ".dalin"
    assert runner.invoke(cli, ["-w", str(folder), "init"]).exit_code == 0
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    monkeypatch.setattr(serve_cli, "_interactive", lambda: interactive)
    result = CliRunner().invoke(_offer(), [], input=f"{answer}\n")
    assert result.exit_code == 0, result.output
    if interactive:
        assert str(folder) in result.output and "[Y/n]" in result.output
    else:
        assert f"dalin serve --workspace {folder}" in result.output
    expected = folder if answer == "y" else None
    assert f"chosen: {expected}" in result.output


def test_a_folder_is_not_attached_to_servers_sharing_a_database(
    tmp_path: Path, postgres: PostgresURLs, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ws"
    assert runner.invoke(cli, ["-w", str(folder), "init"]).exit_code == 0
    urls = another_database(postgres, "dalin_attach_refused")
    monkeypatch.setenv("DALIN_DATABASE_URL", urls.app)
    server = Server(tmp_path / "root", database_url=urls.app)
    try:
        with pytest.raises(WorkspaceError, match="DALIN_DATABASE_URL"):
            server.attach_workspace("ws", folder)
        assert server.workspace("ws") is None
    finally:
        server.close()
