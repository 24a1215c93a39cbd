"""A connection pool to the dalin database, and transactions scoped to one workspace.

psycopg 3 and psycopg-pool are an optional dependency (``pip install 'dalin[postgres]'``):
they are imported here, on first use, with a message saying what to install.

Every transaction that touches workspace data starts with
``set_config('dalin.workspace', slug, true)``, the function form of ``SET LOCAL``: the
setting ends with the transaction, so a pooled connection handed to another workspace's
request next never carries the last one's (SECURITY.md 3).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dalin.errors import StoreError
from dalin.stores.postgres_schema import (
    SCHEMA,
    WORKSPACE_SETTING,
    check_app_role,
    check_durability,
    check_schema,
)

#: connections per process; a serve process answers from a thread pool of about this size
DEFAULT_POOL_SIZE = 10
_CONNECT_SECONDS = 30.0


def _psycopg() -> tuple[Any, Any]:
    try:
        import psycopg
        import psycopg_pool
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise StoreError(
            "the PostgreSQL backend needs psycopg: pip install 'dalin[postgres]' /"
            " PostgreSQL 저장소에는 psycopg가 필요합니다: pip install 'dalin[postgres]'"
        ) from exc
    return psycopg, psycopg_pool


def redact_url(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    head, sep, tail = url.partition("@")
    if not sep or "://" not in head:
        return url
    scheme, _, credentials = head.partition("://")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{tail}" if ":" in credentials else url


def connect(url: str, **kwargs: Any) -> Any:
    """One plain psycopg connection (migrations, tools); autocommit, dalin's search path."""
    psycopg, _ = _psycopg()
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=_CONNECT_SECONDS, **kwargs)
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to PostgreSQL at {redact_url(url)}: {exc}") from exc
    conn.execute(f"SET search_path = {SCHEMA}, public")
    return conn


class Database:
    """The pool of one database URL, checked once: schema version, app role, durability."""

    def __init__(self, url: str, *, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        psycopg, psycopg_pool = _psycopg()
        self.url = url
        self._errors = psycopg.Error
        with connect(url) as conn:
            check_schema(conn)
            check_app_role(conn)
            check_durability(conn)
        self._pool = psycopg_pool.ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, pool_size),
            kwargs={"autocommit": True},
            configure=_configure,
            # no check on every checkout (a round trip each time): a broken connection fails
            # its query, and the pool replaces it when it comes back
            timeout=_CONNECT_SECONDS,
            name="dalin",
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=_CONNECT_SECONDS)
        except psycopg_pool.PoolTimeout as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {redact_url(url)}") from exc

    @contextmanager
    def transaction(self, workspace: str | None = None) -> Iterator[Any]:
        """A connection inside one transaction, scoped to ``workspace`` when given."""
        with self._pool.connection() as conn, conn.transaction():
            if workspace is not None:
                conn.execute("SELECT set_config(%s, %s, true)", (WORKSPACE_SETTING, workspace))
            yield conn

    def close(self) -> None:
        self._pool.close()


def _configure(conn: Any) -> None:
    conn.execute(f"SET search_path = {SCHEMA}, public")


_OPEN: dict[str, Database] = {}
_OPEN_LOCK = threading.Lock()


def database(url: str) -> Database:
    """The process-wide pool of ``url``: every workspace store of the process shares it."""
    with _OPEN_LOCK:
        found = _OPEN.get(url)
        if found is None:
            found = _OPEN[url] = Database(url)
        return found


def close_all() -> None:
    """Close every pool this process opened (tests, and a process shutting down)."""
    with _OPEN_LOCK:
        pools = list(_OPEN.values())
        _OPEN.clear()
    for pool in pools:
        pool.close()
