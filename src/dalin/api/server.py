"""The state of `dalin serve`: API keys, the audit log and the workspace registry.

Everything lives under one root folder::

    ROOT/server.db              keys (hashed), audit log, workspace registry (SQLite, WAL)
    ROOT/workspaces/<slug>/     a normal dalin Workspace; uploads in its files/ folder

``server.db`` is small and touched briefly per request, so one connection guarded by a
lock serves every thread. Workspaces are different: a SQLite connection belongs to the
thread that opened it, so :meth:`Server.open_workspace` opens a fresh Workspace for the
calling thread; the caller closes it (``with server.open_workspace(slug) as ws:``).
"""

from __future__ import annotations

import hmac
import json
import re
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dalin.api.auth import (
    DEFAULT_RATE_PER_MINUTE,
    ROLES,
    Principal,
    RateLimiter,
    display_prefix,
    key_digest,
    new_key,
)
from dalin.errors import StoreError, WorkspaceError, WorkspaceExists, WorkspaceNotFound
from dalin.profiles import DEFAULT_PACK
from dalin.workspace import Workspace

DB_NAME = "server.db"
WORKSPACES_DIR = "workspaces"
FILES_DIR = "files"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
#: default request body limit of an upload (a workspace refuses larger files on its own)
DEFAULT_MAX_UPLOAD_MB = 200.0
BUSY_TIMEOUT_MS = 30_000
AUDIT_ACTIONS = frozenset(
    {
        "sign_in",
        "upload",
        "delete",
        "reindex",
        "ask",
        "key_create",
        "key_revoke",
        "workspace_create",
        "workspace_delete",
        "eval_run",
    }
)
#: detail keys that would carry document, question or answer text: refused outright
_TEXT_KEYS = frozenset(
    {"question", "answer", "text", "quote", "content", "messages", "prompt", "passage"}
)
_MAX_DETAIL_CHARS = 200

_SCHEMA = """
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
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class KeyInfo:
    """An API key as listed: never its secret."""

    id: int
    name: str
    role: str
    workspace: str | None
    prefix: str
    created_at: str
    revoked_at: str | None = None
    last_used_at: str | None = None


@dataclass(frozen=True)
class CreatedKey:
    """A key just made: ``key`` is its secret, shown this once and never again."""

    info: KeyInfo
    key: str


@dataclass(frozen=True)
class WorkspaceRecord:
    """A workspace in the registry."""

    slug: str
    name: str
    domain: str
    created_at: str


class Server:
    """Keys, audit log and workspaces of one `dalin serve` root folder."""

    def __init__(
        self,
        root: str | Path,
        *,
        rate_per_minute: float = DEFAULT_RATE_PER_MINUTE,
        max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB,
    ) -> None:
        self.root = Path(root).expanduser().resolve()
        (self.root / WORKSPACES_DIR).mkdir(parents=True, exist_ok=True)
        self.rate_limiter = RateLimiter(rate_per_minute)
        self.max_upload_bytes = int(max_upload_mb * 2**20)
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(
                self.root / DB_NAME,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,  # every use holds self._lock
            )
            self._db.row_factory = sqlite3.Row
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.root / DB_NAME}: {exc}") from exc

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
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # --- keys --------------------------------------------------------------------------------

    def ensure_admin_key(self) -> str | None:
        """Create the first admin key if no usable one exists; return its secret (else None).

        The caller shows it once (``dalin serve`` prints it to stderr); it is never stored.
        """
        with self._lock:
            active = self._read(
                "SELECT 1 FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1"
            )
            if active:
                return None
            return self.create_key("admin", "admin", None).key

    def create_key(self, name: str, role: str, workspace: str | None) -> CreatedKey:
        """Make a key; an admin key has no workspace, any other key exactly one."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
        if (role == "admin") != (workspace is None):
            raise ValueError("an admin key has no workspace; editor and viewer keys have one")
        secret = new_key()
        created = _now()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO api_keys (name, role, workspace, prefix, key_sha256, created_at)"
                " VALUES (?,?,?,?,?,?)",
                (name, role, workspace, display_prefix(secret), key_digest(secret), created),
            )
            key_id = int(cursor.lastrowid or 0)
        info = KeyInfo(key_id, name, role, workspace, display_prefix(secret), created)
        return CreatedKey(info, secret)

    def keys(self, workspace: str | None) -> list[KeyInfo]:
        """The keys of one workspace (None: the admin keys), revoked ones included."""
        rows = self._read("SELECT * FROM api_keys WHERE workspace IS ? ORDER BY id", (workspace,))
        return [_key_info(r) for r in rows]

    def key(self, key_id: int, workspace: str | None) -> KeyInfo | None:
        """Key ``key_id`` if it belongs to ``workspace`` (None: an admin key)."""
        rows = self._read(
            "SELECT * FROM api_keys WHERE id = ? AND workspace IS ?", (key_id, workspace)
        )
        return _key_info(rows[0]) if rows else None

    def revoke_key(self, key_id: int, workspace: str | None) -> KeyInfo | None:
        """Revoke key ``key_id`` of ``workspace``; None when that workspace has no such key."""
        with self._write() as db:
            db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND workspace IS ?"
                " AND revoked_at IS NULL",
                (_now(), key_id, workspace),
            )
        return self.key(key_id, workspace)

    def principal_for(self, key: str) -> Principal | None:
        """The principal behind ``key``; None when it is unknown or revoked."""
        if not key.startswith("dln_") or len(key) > 200:
            return None
        digest = key_digest(key)
        rows = self._read(
            "SELECT id, name, role, workspace, key_sha256, last_used_at FROM api_keys"
            " WHERE key_sha256 = ? AND revoked_at IS NULL",
            (digest,),
        )
        if not rows or not hmac.compare_digest(rows[0]["key_sha256"], digest):
            return None
        row = rows[0]
        now = _now()
        if (row["last_used_at"] or "")[:16] != now[:16]:  # at most one write a minute per key
            with self._write() as db:
                db.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", (now, row["id"]))
        return Principal(
            key_id=row["id"], role=row["role"], workspace=row["workspace"], name=row["name"]
        )

    # --- audit -------------------------------------------------------------------------------

    def audit(
        self,
        principal: Principal | None,
        action: str,
        target: str,
        *,
        workspace: str | None = None,
        **detail: object,
    ) -> None:
        """Record who did what to what. Never document, question or answer text.

        ``target`` names the object, e.g. ``"shop"``, ``"shop/documents/12"``,
        ``"shop/keys/3"``; the entry's workspace is ``workspace`` when given, else the first
        part of ``target`` (else the principal's). ``detail`` holds numbers, ids and short
        names (a question is recorded by its length and conversation id only).
        """
        if action not in AUDIT_ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        refused = _TEXT_KEYS.intersection(detail)
        if refused:
            raise ValueError(f"the audit log keeps no text: {', '.join(sorted(refused))}")
        where = workspace or target.split("/", 1)[0] or (principal.workspace if principal else None)
        clean = {k: _short(v) for k, v in detail.items()}
        with self._write() as db:
            db.execute(
                "INSERT INTO audit_log (at, key_id, key_name, role, workspace, action, target,"
                " detail) VALUES (?,?,?,?,?,?,?,?)",
                (
                    _now(),
                    principal.key_id if principal else None,
                    principal.name if principal else "",
                    principal.role if principal else "",
                    where or None,
                    action,
                    target[:_MAX_DETAIL_CHARS],
                    json.dumps(clean, ensure_ascii=False),
                ),
            )

    def audit_log(self, workspace: str | None = None, limit: int = 200) -> list[dict[str, object]]:
        """Audit entries, newest first (only one workspace's when given)."""
        where, args = ("WHERE workspace = ?", (workspace,)) if workspace else ("", ())
        rows = self._read(
            f"SELECT * FROM audit_log {where} ORDER BY id DESC LIMIT ?", (*args, limit)
        )
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]

    # --- workspaces --------------------------------------------------------------------------

    def workspaces(self) -> list[WorkspaceRecord]:
        """Every registered workspace, by slug."""
        return [_workspace(r) for r in self._read("SELECT * FROM workspaces ORDER BY slug")]

    def workspace(self, slug: str) -> WorkspaceRecord | None:
        """The registered workspace ``slug``, if any."""
        rows = self._read("SELECT * FROM workspaces WHERE slug = ?", (slug,))
        return _workspace(rows[0]) if rows else None

    def workspace_path(self, slug: str) -> Path:
        """The folder of workspace ``slug`` (checked: a valid slug, so never outside root)."""
        if not SLUG.fullmatch(slug):
            raise WorkspaceNotFound(f"not a workspace name: {slug!r}")
        return self.root / WORKSPACES_DIR / slug

    def files_dir(self, slug: str) -> Path:
        """Where uploads to workspace ``slug`` are kept."""
        return self.workspace_path(slug) / FILES_DIR

    def create_workspace(
        self, slug: str, name: str = "", domain: str = DEFAULT_PACK
    ) -> WorkspaceRecord:
        """Register and create workspace ``slug`` with the domain pack ``domain``.

        Raises:
            WorkspaceExists: the slug is taken.
            WorkspaceError: a bad slug or an unknown domain pack.
        """
        if not SLUG.fullmatch(slug):
            raise WorkspaceError(
                f"{slug!r} is not a valid workspace name: lower-case letters, digits and '-',"
                " 1-63 characters, starting with a letter or digit"
            )
        with self._lock:
            if self.workspace(slug) is not None:
                raise WorkspaceExists(f"a workspace named {slug} already exists")
            folder = self.workspace_path(slug)
            if folder.exists():  # left over from a crash between rmtree and commit
                shutil.rmtree(folder)
            Workspace.create(folder, domain=domain).close()
            (folder / FILES_DIR).mkdir(exist_ok=True)
            record = WorkspaceRecord(slug, name or slug, domain, _now())
            with self._write() as db:
                db.execute(
                    "INSERT INTO workspaces (slug, name, domain, created_at) VALUES (?,?,?,?)",
                    (record.slug, record.name, record.domain, record.created_at),
                )
        return record

    def delete_workspace(self, slug: str) -> bool:
        """Delete workspace ``slug``, its files, and revoke its keys; False if unknown."""
        with self._lock:
            if self.workspace(slug) is None:
                return False
            with self._write() as db:
                db.execute("DELETE FROM workspaces WHERE slug = ?", (slug,))
                db.execute(
                    "UPDATE api_keys SET revoked_at = ? WHERE workspace = ? AND revoked_at IS NULL",
                    (_now(), slug),
                )
            shutil.rmtree(self.workspace_path(slug), ignore_errors=True)
        return True

    def open_workspace(self, slug: str) -> Workspace:
        """A Workspace for the calling thread; close it when done (it is a context manager).

        Raises:
            WorkspaceNotFound: no registered workspace ``slug``.
        """
        if self.workspace(slug) is None:
            raise WorkspaceNotFound(f"no workspace {slug}")
        return Workspace.open(self.workspace_path(slug))

    def close(self) -> None:
        with self._lock:
            self._db.close()


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


def _workspace(row: sqlite3.Row) -> WorkspaceRecord:
    return WorkspaceRecord(row["slug"], row["name"], row["domain"], row["created_at"])


def _short(value: object) -> object:
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:_MAX_DETAIL_CHARS]
