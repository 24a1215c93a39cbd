"""The server registry in ``server.db`` (SQLite, WAL): one `dalin serve` process per folder.

Reads use one connection per thread and never wait for a writer (WAL); writes take turns on
one connection. Migrations are numbered scripts recorded in ``PRAGMA user_version``; the
first one uses ``IF NOT EXISTS``, so a ``server.db`` from before they were numbered is
adopted as it is. Rate limits and the failed-authentication throttle stay in this process's
memory: a second process on the same folder is not supported (see docs/deploy.md).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from dalin.errors import SchemaTooNew, StoreError, WorkspaceExists
from dalin.stores.memory_limits import AuthThrottle, RateLimiter
from dalin.stores.server_base import (
    AuditRecord,
    KeyInfo,
    StoredKey,
    WorkspaceRecord,
    audit_filter,
)
from dalin.stores.sqlite import create_private

BUSY_TIMEOUT_MS = 30_000

_M001 = """
CREATE TABLE IF NOT EXISTS workspaces (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    domain TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    workspace TEXT,
    prefix TEXT NOT NULL,
    key_sha256 TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    key_id INTEGER,
    key_name TEXT NOT NULL,
    role TEXT NOT NULL,
    workspace TEXT,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_workspace ON audit_log (workspace, id);
CREATE TABLE IF NOT EXISTS workspace_models (
    workspace TEXT NOT NULL,
    spec TEXT NOT NULL,
    PRIMARY KEY (workspace, spec)
) WITHOUT ROWID;
"""

MIGRATIONS = [_M001]


def migrate(db: sqlite3.Connection) -> int:
    """Bring ``server.db`` up to date (one transaction per step); return its version."""
    current = int(db.execute("PRAGMA user_version").fetchone()[0])
    if current > len(MIGRATIONS):
        raise SchemaTooNew(
            f"server.db is at version {current}, but this dalin knows only {len(MIGRATIONS)};"
            " upgrade dalin / 더 새 버전의 dalin이 만든 server.db입니다. dalin을 업데이트하세요"
        )
    for version, script in enumerate(MIGRATIONS, start=1):
        if version > current:
            # executescript commits first; the script and its version are one transaction
            db.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
            )
    return len(MIGRATIONS)


class SQLiteRegistry:
    """Keys, audit log and workspace registry in the SQLite file ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._readers = threading.local()
        self._reader_connections: list[sqlite3.Connection] = []
        create_private(path)
        self._db = self._connect()
        try:
            migrate(self._db)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {path}: {exc}") from exc

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,  # the writer is used under self._lock only
            )
            db.row_factory = sqlite3.Row
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from exc
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, sql: str, args: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        """A read on this thread's own connection: it never waits for a writer."""
        db: sqlite3.Connection | None = getattr(self._readers, "db", None)
        if db is None:
            db = self._connect()
            self._readers.db = db
            with self._lock:
                self._reader_connections.append(db)
        return db.execute(sql, args).fetchall()

    # --- workspaces ----------------------------------------------------------------------------

    def workspaces(self) -> list[WorkspaceRecord]:
        return [_workspace(r) for r in self._read("SELECT * FROM workspaces ORDER BY slug")]

    def workspace(self, slug: str) -> WorkspaceRecord | None:
        rows = self._read("SELECT * FROM workspaces WHERE slug = ?", (slug,))
        return _workspace(rows[0]) if rows else None

    def add_workspace(self, record: WorkspaceRecord) -> None:
        try:
            with self._write() as db:
                db.execute(
                    "INSERT INTO workspaces (slug, name, domain, created_at) VALUES (?,?,?,?)",
                    (record.slug, record.name, record.domain, record.created_at),
                )
        except sqlite3.IntegrityError as exc:
            raise WorkspaceExists(f"a workspace named {record.slug} already exists") from exc

    def remove_workspace(self, slug: str, revoked_at: str) -> bool:
        with self._write() as db:
            gone = db.execute("DELETE FROM workspaces WHERE slug = ?", (slug,)).rowcount
            db.execute("DELETE FROM workspace_models WHERE workspace = ?", (slug,))
            db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE workspace = ? AND revoked_at IS NULL",
                (revoked_at, slug),
            )
        return gone > 0

    # --- keys ----------------------------------------------------------------------------------

    def add_key(
        self, name: str, role: str, workspace: str | None, prefix: str, digest: str,
        created_at: str,
    ) -> KeyInfo:  # fmt: skip
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO api_keys (name, role, workspace, prefix, key_sha256, created_at)"
                " VALUES (?,?,?,?,?,?)",
                (name, role, workspace, prefix, digest, created_at),
            )
            key_id = int(cursor.lastrowid or 0)
        return KeyInfo(key_id, name, role, workspace, prefix, created_at)

    def keys(self, workspace: str | None, *, every: bool = False) -> list[KeyInfo]:
        if every:
            return [_key_info(r) for r in self._read("SELECT * FROM api_keys ORDER BY id")]
        rows = self._read("SELECT * FROM api_keys WHERE workspace IS ? ORDER BY id", (workspace,))
        return [_key_info(r) for r in rows]

    def key(self, key_id: int) -> KeyInfo | None:
        rows = self._read("SELECT * FROM api_keys WHERE id = ?", (key_id,))
        return _key_info(rows[0]) if rows else None

    def key_by_digest(self, digest: str) -> KeyInfo | None:
        rows = self._read(
            "SELECT * FROM api_keys WHERE key_sha256 = ? AND revoked_at IS NULL", (digest,)
        )
        return _key_info(rows[0]) if rows else None

    def revoke_key(self, key_id: int, workspace: str | None, at: str) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND workspace IS ?"
                " AND revoked_at IS NULL",
                (at, key_id, workspace),
            )

    def add_first_admin(
        self, name: str, prefix: str, digest: str, created_at: str
    ) -> KeyInfo | None:
        with self._write() as db:  # BEGIN IMMEDIATE: other processes' writers wait
            cursor = db.execute(
                "INSERT INTO api_keys (name, role, workspace, prefix, key_sha256, created_at)"
                " SELECT ?, 'admin', NULL, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM api_keys"
                " WHERE role = 'admin' AND revoked_at IS NULL)",
                (name, prefix, digest, created_at),
            )
            if not cursor.rowcount:
                return None
            key_id = int(cursor.lastrowid or 0)
        return KeyInfo(key_id, name, "admin", None, prefix, created_at)

    def revoke_unless_last_admin(self, key_id: int, workspace: str | None, at: str) -> bool:
        with self._write() as db:
            last = db.execute(
                "SELECT 1 FROM api_keys WHERE id = ? AND role = 'admin' AND revoked_at IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM api_keys WHERE role = 'admin'"
                " AND revoked_at IS NULL AND id <> ?)",
                (key_id, key_id),
            ).fetchone()
            if last is not None:
                return False
            db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND workspace IS ?"
                " AND revoked_at IS NULL",
                (at, key_id, workspace),
            )
        return True

    def stored_keys(self) -> list[StoredKey]:
        rows = self._read("SELECT * FROM api_keys ORDER BY id")
        return [StoredKey(_key_info(r), str(r["key_sha256"])) for r in rows]

    def import_keys(self, keys: Sequence[StoredKey]) -> int:
        with self._write() as db:
            before = db.total_changes
            db.executemany(
                "INSERT INTO api_keys (name, role, workspace, prefix, key_sha256, created_at,"
                " revoked_at, last_used_at) VALUES (?,?,?,?,?,?,?,?)"
                " ON CONFLICT (key_sha256) DO NOTHING",
                [_key_row(k) for k in keys],
            )
            return db.total_changes - before

    def active_admins(self) -> list[int]:
        rows = self._read("SELECT id FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL")
        return [int(r["id"]) for r in rows]

    def record_last_used(self, used: dict[int, str]) -> None:
        try:
            with self._write() as db:
                db.executemany(
                    "UPDATE api_keys SET last_used_at = ? WHERE id = ?",
                    [(at, key_id) for key_id, at in used.items()],
                )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write {self.path}: {exc}") from exc

    # --- models --------------------------------------------------------------------------------

    def allowed_models(self, slug: str) -> list[str]:
        rows = self._read(
            "SELECT spec FROM workspace_models WHERE workspace = ? ORDER BY spec", (slug,)
        )
        return [str(r["spec"]) for r in rows]

    def set_allowed_models(self, slug: str, specs: list[str]) -> None:
        with self._write() as db:
            db.execute("DELETE FROM workspace_models WHERE workspace = ?", (slug,))
            db.executemany(
                "INSERT OR IGNORE INTO workspace_models (workspace, spec) VALUES (?,?)",
                [(slug, spec) for spec in specs],
            )

    # --- audit ---------------------------------------------------------------------------------

    def append_audit(self, entry: AuditRecord) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO audit_log (at, key_id, key_name, role, workspace, action, target,"
                " detail) VALUES (?,?,?,?,?,?,?,?)",
                (entry.at, entry.key_id, entry.key_name, entry.role, entry.workspace,
                 entry.action, entry.target, entry.detail),
            )  # fmt: skip

    def audit_log(
        self,
        workspace: str | None,
        limit: int,
        *,
        action: str | None = None,
        before: int | None = None,
    ) -> list[dict[str, object]]:
        where, args = audit_filter(workspace, action, before, "?")
        rows = self._read(
            f"SELECT * FROM audit_log {where} ORDER BY id DESC LIMIT ?", (*args, limit)
        )
        return [dict(r) for r in rows]

    # --- limits: this process only -------------------------------------------------------------

    def rate_limit(self, per_minute: float) -> RateLimiter:
        return RateLimiter(per_minute)

    def auth_throttle(self, per_minute: int) -> AuthThrottle:
        return AuthThrottle(per_minute)

    def close(self) -> None:
        with self._lock:
            for db in [self._db, *self._reader_connections]:
                db.close()


def _key_info(row: sqlite3.Row) -> KeyInfo:
    return KeyInfo(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        workspace=row["workspace"],
        prefix=row["prefix"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
        last_used_at=row["last_used_at"],
    )


def _key_row(key: StoredKey) -> tuple[object, ...]:
    k = key.info
    return (k.name, k.role, k.workspace, k.prefix, key.digest, k.created_at, k.revoked_at,
            k.last_used_at)  # fmt: skip


def _workspace(row: sqlite3.Row) -> WorkspaceRecord:
    return WorkspaceRecord(row["slug"], row["name"], row["domain"], row["created_at"])
