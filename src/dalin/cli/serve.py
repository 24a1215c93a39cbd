"""`dalin serve`: the REST API, the OpenAI-compatible API and the web UI on one port; and
`dalin keys` to list and revoke its API keys.

State lives in ``--root`` (default ``DALIN_HOME``, else ~/.local/share/dalin): ``server.db``
with the hashed API keys, the audit log and the workspace registry, and one dalin workspace
per ``workspaces/<slug>/``, all readable by the owner only. With ``DALIN_DATABASE_URL`` set,
the keys, audit log, rate limits and workspaces are kept in that PostgreSQL database
instead, so any number of `dalin serve` processes (and `dalin keys`) share them
(docs/deploy.md). On the first start an admin key
is made and printed once to stderr; only its hash is kept, so note it then. A lost admin key
is replaced by starting once with ``--new-admin-key`` (whoever can run the server owns it
anyway).
"""

from __future__ import annotations

import ipaddress
import re
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dalin.cli.common import (
    DEFAULT_DIR,
    JsonOption,
    fail,
    fail_on,
    json_output,
    nearest_workspace,
    out,
    state,
)
from dalin.cli.messages import message
from dalin.config import env_database_url, server_home
from dalin.errors import DalinError
from dalin.watch import BackgroundWatchers

if TYPE_CHECKING:
    from dalin.api.server import Server

#: the server folder of a workspace served with --workspace (keys, audit log)
SERVER_DIR = "server"

RootOption = Annotated[
    Path | None,
    typer.Option(help="Server folder (default: DALIN_HOME or ~/.local/share/dalin)."),
]


def serve_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on; keep 127.0.0.1 unless behind TLS.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8321,
    root: RootOption = None,
    rate_limit: Annotated[
        float, typer.Option(min=0, help="Requests per minute per API key (0: no limit).")
    ] = 120.0,
    max_upload_mb: Annotated[
        float, typer.Option(min=1, help="Largest upload request, in MB.")
    ] = 200.0,
    new_admin_key: Annotated[
        bool, typer.Option("--new-admin-key", help="Make another admin key and print it once.")
    ] = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch/--no-watch",
            help="Keep each workspace in step with the folders it follows (dalin watch).",
        ),
    ] = True,
    asks_per_key: Annotated[
        int, typer.Option(min=1, help="Questions one key may have in progress at once.")
    ] = 4,
    asks_per_workspace: Annotated[
        int, typer.Option(min=1, help="Questions one workspace may have in progress at once.")
    ] = 4,
    answer_timeout: Annotated[
        float, typer.Option(min=1, help="Seconds a model may take over one answer.")
    ] = 120.0,
    parse_memory_mb: Annotated[
        float,
        typer.Option(min=0, help="Memory all parses at once may use, in MB (0: half the RAM)."),
    ] = 0,
    quota_mb: Annotated[
        float, typer.Option(min=0, help="Stored uploads per workspace, in MB (0: no quota).")
    ] = 10 * 1024,
    header_timeout: Annotated[
        float, typer.Option(min=1, help="Seconds a client has to send its request headers.")
    ] = 10.0,
    max_connections: Annotated[
        int, typer.Option(min=0, help="Open connections at most (0: from the file limit).")
    ] = 0,
    queue_uploads: Annotated[
        bool,
        typer.Option(
            "--queue-uploads",
            help="Leave uploads to dalin worker processes (DALIN_DATABASE_URL): an upload"
            " answers 'queued' at once and a worker indexes it.",
        ),
    ] = False,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            help="Serve this workspace (made by dalin init / dalin add) where it is; the"
            " server's keys and log go to its server/ folder unless --root is given.",
        ),
    ] = None,
) -> None:
    """Serve the web UI and the APIs. / 웹 화면과 API를 제공합니다.

    REST under /api/v1 (docs at /docs), OpenAI-compatible under /v1, MCP at /mcp.
    """
    from dalin.api import wire  # the server stack loads only for this command
    from dalin.api.app import create_app
    from dalin.api.limits import ServeLimits
    from dalin.api.server import Server

    limits = ServeLimits(
        header_seconds=header_timeout,
        max_connections=max_connections,
        asks_per_key=asks_per_key,
        asks_per_workspace=asks_per_workspace,
        answer_seconds=answer_timeout,
        parse_memory_bytes=int(parse_memory_mb * 2**20) or None,
        workspace_quota_bytes=int(quota_mb * 2**20),
    )
    attach = workspace or state().workspace
    if attach is None and root is None:
        attach = _offer_nearby()
    folder = root or (attach / SERVER_DIR if attach is not None else server_home())
    try:
        server = Server(
            folder,
            rate_per_minute=rate_limit,
            max_upload_mb=max_upload_mb,
            limits=limits,
            database_url=env_database_url(),
            queue_uploads=queue_uploads,
        )
        slug = server.attach_workspace(slug_for(attach), attach).slug if attach else None
        admin_key = server.ensure_admin_key()
        if new_admin_key and admin_key is None:
            admin_key = server.create_key("admin", "admin", None).key
        server.start()
    except DalinError as exc:
        fail_on(exc)
    if server.fixed_permissions:
        typer.echo(
            f"보안: {server.fixed_permissions}개 파일·폴더를 소유자만 읽도록 바꿨습니다."
            f" / Security: made {server.fixed_permissions} files and folders readable by"
            f" their owner only ({server.root}).",
            err=True,
        )
    if admin_key is not None:
        typer.echo(
            "관리자 API 키 (한 번만 표시됩니다. 지금 안전한 곳에 보관하세요)\n"
            "Admin API key (shown this once only; store it now):\n"
            f"  {admin_key}",
            err=True,
        )
    if not _is_loopback(host):
        typer.echo(
            f"주의: {host}에서 암호화 없이 열립니다. TLS 리버스 프록시 뒤에 두세요."
            f" / Note: listening on {host} without TLS; put a TLS reverse proxy in front.",
            err=True,
        )
    typer.echo(f"dalin: http://{host}:{port}/ (root {server.root})", err=True)
    if attach is not None and slug is not None:
        typer.echo(message("serve.attached", state().lang, folder=attach, slug=slug), err=True)
    # the watchers go through the server's own workspaces: one parse pool, vectors as jobs
    slugs = {server.workspace_path(w.slug): w.slug for w in server.workspaces()} if watch else {}
    watchers = BackgroundWatchers(slugs, target=lambda folder: server.host.hosted(slugs[folder]))
    if watchers.count:
        typer.echo(f"dalin: keeping {watchers.count} workspace(s) in step with folders", err=True)
    try:
        wire.run(create_app(server), host, port, limits, listening=server.warm_up)
    finally:
        watchers.close()
        server.close()


def slug_for(folder: Path) -> str:
    """The name a served workspace gets from its folder: ``~/회사/.dalin`` is named after
    ``회사``'s ASCII part, else ``workspace``."""
    folder = folder.expanduser().resolve()
    base = folder.parent.name if folder.name == DEFAULT_DIR else folder.name
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:63].strip("-")
    return slug or "workspace"


def _offer_nearby() -> Path | None:
    """The workspace of this folder (or one above) if the user wants it served: asked at a
    terminal; otherwise only named, so a service's behaviour never depends on its cwd."""
    found = nearest_workspace(Path.cwd())
    if found is None:
        return None
    lang = state().lang
    if _interactive():
        if typer.confirm(message("serve.offer", lang, folder=found), default=True, err=True):
            return found
        return None
    typer.echo(message("serve.hint", lang, folder=found), err=True)
    return None


def _interactive() -> bool:
    return sys.stdin.isatty()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


keys_app = typer.Typer(
    help="List and revoke the API keys of `dalin serve`. / API 키를 보고 취소합니다.",
    no_args_is_help=True,
)


@keys_app.command("list")
def keys_list(
    root: RootOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every key, admin keys included, without secrets. / 모든 키 (비밀값 제외)."""
    json_output(as_json)
    server = _open_server(root)
    try:
        keys = server.all_keys()
    finally:
        server.close()
    if as_json:
        import json

        out.print_json(json.dumps([asdict(k) for k in keys], ensure_ascii=False))
        return
    for k in keys:
        state = f"revoked {k.revoked_at}" if k.revoked_at else "active"
        used = k.last_used_at or "never"
        where = k.workspace or "(all workspaces)"
        out.print(f"{k.id:>4}  {k.prefix}…  {k.role:<6} {where:<24} {k.name:<20} {state}, {used}")


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[int, typer.Argument(help="The key's id (see `dalin keys list`).")],
    root: RootOption = None,
    force: Annotated[bool, typer.Option("--force", help="Revoke even the last admin key.")] = False,
) -> None:
    """Revoke a key, admin keys included. / 키를 취소합니다."""
    server = _open_server(root)
    try:
        revoked = server.revoke_any(key_id, allow_last_admin=force)
        if revoked is None:
            fail(f"no key {key_id} / 키 {key_id}이(가) 없습니다")
        server.audit(None, "key_revoke", f"{revoked.workspace or ''}/keys/{key_id}", via="cli")
    except DalinError as exc:
        fail_on(exc)
    finally:
        server.close()
    out.print(f"revoked key {key_id} ({revoked.name}) / 키 {key_id}을(를) 취소했습니다")


@keys_app.command("import")
def keys_import(
    server_db: Annotated[
        Path, typer.Argument(help="ROOT/server.db of a server that kept its keys in its folder.")
    ],
    root: RootOption = None,
) -> None:
    """Copy the keys (their hashes, names, roles, workspaces, dates, revocations) and model
    grants of a server.db into the database of DALIN_DATABASE_URL; run again, it copies
    nothing new. / server.db의 키와 모델 허용 목록을 데이터베이스로 옮깁니다."""
    from dalin.stores.server_base import copy_keys
    from dalin.stores.server_sqlite import SQLiteRegistry

    if not env_database_url():
        fail(
            "set DALIN_DATABASE_URL to the database the keys go to (docs/deploy.md)"
            " / 키를 옮길 데이터베이스의 DALIN_DATABASE_URL을 설정하세요",
            error="no_database",
        )
    if not server_db.is_file():
        fail(f"no server.db at {server_db} / {server_db}에 server.db가 없습니다", error="not_found")
    server = _open_server(root)
    try:
        source = SQLiteRegistry(server_db)
        try:
            copied = copy_keys(source, server.registry)
        finally:
            source.close()
        server.audit(None, "keys_import", "keys", via="cli", keys=copied.keys, models=copied.models)
    except DalinError as exc:
        fail_on(exc)
    finally:
        server.close()
    out.print(
        f"copied {copied.keys} keys and {copied.models} model grants"
        f" / 키 {copied.keys}개와 모델 허용 {copied.models}개를 옮겼습니다"
    )
    for slug in copied.missing_workspaces:
        out.print(
            f"workspace {slug} is not in the database: its model grants were not copied"
            f" (move it with `dalin migrate`, then run this again) / 작업공간 {slug}이(가)"
            " 데이터베이스에 없어 모델 허용 목록을 옮기지 않았습니다"
        )


def _open_server(root: Path | None) -> Server:
    from dalin.api.server import Server

    folder = root or server_home()
    try:
        return Server(folder, database_url=env_database_url())
    except DalinError as exc:
        fail_on(exc)
    except OSError as exc:  # e.g. --root names a file: say so instead of a traceback
        fail(
            f"cannot use {folder} as the server folder ({exc.strerror or exc}); name a folder"
            f" / {folder}을(를) 서버 폴더로 쓸 수 없습니다: 폴더를 지정하세요",
            error="bad_root",
        )
