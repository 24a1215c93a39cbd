"""The state of `dalin serve`: API keys, the audit log and the workspace registry.

Everything lives under one root folder, readable by its owner only (0700 folders, 0600
files; an older install is fixed at start, with a notice)::

    ROOT/server.db              keys (hashed), audit log, workspace registry, the models
                                each workspace may use (SQLite, WAL)
    ROOT/workspaces/<slug>/     a normal dalin Workspace; uploads in its files/ folder

Reads of ``server.db`` use one connection per thread and never wait for a writer (WAL);
writes take turns on one connection. When the key was last used is kept in memory and
written once a minute, so checking a key never writes. Workspaces are opened once and kept
by :attr:`Server.host` (:class:`dalin.host.Host`).
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from dalin.api.auth import (
    DEFAULT_RATE_PER_MINUTE,
    ROLES,
    AuthThrottle,
    Principal,
    RateLimiter,
    display_prefix,
    key_digest,
    new_key,
)
from dalin.api.lanes import Lanes
from dalin.api.limits import ServeLimits
from dalin.errors import (
    LastAdminKey,
    StoreError,
    WorkspaceError,
    WorkspaceExists,
    WorkspaceNotFound,
)
from dalin.host import FILES_DIR, Host
from dalin.profiles import DEFAULT_PACK
from dalin.stores.sqlite import create_private
from dalin.text.korean import tokenize_many
from dalin.workspace import Workspace

log = logging.getLogger("dalin.api")

DB_NAME = "server.db"
WORKSPACES_DIR = "workspaces"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
#: default request body limit of an upload (a workspace refuses larger files on its own)
DEFAULT_MAX_UPLOAD_MB = 200.0
BUSY_TIMEOUT_MS = 30_000
#: seconds between writes of the keys' last use
LAST_USED_FLUSH_SECONDS = 60.0
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
        "eval_cancel",
        "job_cancel",
        # refusals: a bad key, a route or workspace the key may not use, a model not allowed
        "auth_failed",
        "denied",
        "model_refused",
        "models_set",
        # an admin reading other people's conversations
        "conversation_review",
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
CREATE TABLE IF NOT EXISTS workspace_models (
    workspace TEXT NOT NULL,
    spec TEXT NOT NULL,
    PRIMARY KEY (workspace, spec)
) WITHOUT ROWID;
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
        limits: ServeLimits | None = None,
    ) -> None:
        self.root = Path(root).expanduser().resolve()
        self.limits = limits or ServeLimits()
        os.umask(0o077)  # whatever this process writes is its owner's only
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        #: files and folders made private at start (an install from before they were)
        self.fixed_permissions = make_private(self.root)
        (self.root / WORKSPACES_DIR).mkdir(mode=0o700, exist_ok=True)
        self.rate_limiter = RateLimiter(rate_per_minute)
        self.auth_throttle = AuthThrottle(self.limits.failed_auth_per_minute)
        self.max_upload_bytes = int(max_upload_mb * 2**20)
        self._lock = threading.RLock()
        self._readers = threading.local()
        self._reader_connections: list[sqlite3.Connection] = []
        self._last_used: dict[int, str] = {}
        self._stopping = threading.Event()
        #: set once what the first questions would load is loaded (see ``start``)
        self.ready = threading.Event()
        create_private(self.root / DB_NAME)
        self._db = self._connect()
        try:
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.root / DB_NAME}: {exc}") from exc
        #: the threads questions and uploads run on, and the limits on questions
        self.lanes = Lanes(self.limits)
        self.host = Host(
            self.workspace_path,
            parse_workers=self.limits.parse_workers,
            parse_memory_bytes=self.limits.parse_memory_bytes,
            answer_seconds=self.limits.answer_seconds,
        )
        self._flusher = threading.Thread(
            target=self._flush_periodically, name="dalin-last-used", daemon=True
        )
        self._flusher.start()

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(
                self.root / DB_NAME,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,  # the writer is used under self._lock only
            )
            db.row_factory = sqlite3.Row
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.root / DB_NAME}: {exc}") from exc
        return db

    def start(self) -> None:
        """Before serving: tidy what a crash left in each workspace, queue missing vectors."""
        for record in self.workspaces():
            self.host.tidy(record.slug)

    def warm_up(self) -> None:
        """Load the Korean analyser in the background; ``ready`` is set once it is loaded.

        Its first use loads a model while holding the interpreter lock, which stalls every
        request of the process for a moment (seconds on a busy machine): better once, just
        after the port opens, than in the middle of someone's question. Until then /healthz
        answers ``ready: false``.
        """

        def load() -> None:
            try:
                tokenize_many(["준비 ready"])
            finally:
                self.ready.set()

        threading.Thread(target=load, name="dalin-warm-up", daemon=True).start()

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

    # --- keys --------------------------------------------------------------------------------

    def ensure_admin_key(self) -> str | None:
        """Create the first admin key if no usable one exists; return its secret (else None).

        The caller shows it once (``dalin serve`` prints it to stderr); it is never stored.
        """
        with self._lock:
            if self._active_admins():
                return None
            return self.create_key("admin", "admin", None).key

    def _active_admins(self) -> list[int]:
        rows = self._read("SELECT id FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL")
        return [int(r["id"]) for r in rows]

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
        return [self._with_last_use(_key_info(r)) for r in rows]

    def all_keys(self) -> list[KeyInfo]:
        """Every key of the server, admin keys included, revoked ones too."""
        rows = self._read("SELECT * FROM api_keys ORDER BY id")
        return [self._with_last_use(_key_info(r)) for r in rows]

    def key(self, key_id: int, workspace: str | None) -> KeyInfo | None:
        """Key ``key_id`` if it belongs to ``workspace`` (None: an admin key)."""
        rows = self._read(
            "SELECT * FROM api_keys WHERE id = ? AND workspace IS ?", (key_id, workspace)
        )
        return self._with_last_use(_key_info(rows[0])) if rows else None

    def revoke_key(self, key_id: int, workspace: str | None) -> KeyInfo | None:
        """Revoke key ``key_id`` of ``workspace``; None when that workspace has no such key."""
        with self._write() as db:
            db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND workspace IS ?"
                " AND revoked_at IS NULL",
                (_now(), key_id, workspace),
            )
        return self.key(key_id, workspace)

    def revoke_any(self, key_id: int, *, allow_last_admin: bool = False) -> KeyInfo | None:
        """Revoke any key, admin keys included; None when there is no such key.

        Raises:
            LastAdminKey: it is the last usable admin key and ``allow_last_admin`` is False
                (nobody could manage the server any more, short of a restart with
                ``--new-admin-key``).
        """
        with self._lock:
            rows = self._read("SELECT * FROM api_keys WHERE id = ?", (key_id,))
            if not rows:
                return None
            info = _key_info(rows[0])
            last = self._active_admins() == [key_id]
            if last and not allow_last_admin:
                raise LastAdminKey(
                    "this is the last admin key; revoking it would leave no one to manage the"
                    " server. Make another admin key first, or confirm (force)"
                    " / 마지막 관리자 키입니다. 다른 관리자 키를 먼저 만드세요"
                )
            return self.revoke_key(key_id, info.workspace)

    def principal_for(self, key: str) -> Principal | None:
        """The principal behind ``key``; None when it is unknown or revoked. Only reads."""
        if not key.startswith("dln_") or len(key) > 200:
            return None
        digest = key_digest(key)
        rows = self._read(
            "SELECT id, name, role, workspace, key_sha256 FROM api_keys"
            " WHERE key_sha256 = ? AND revoked_at IS NULL",
            (digest,),
        )
        if not rows or not hmac.compare_digest(rows[0]["key_sha256"], digest):
            return None
        row = rows[0]
        self._last_used[int(row["id"])] = _now()  # written by the flusher, off the request
        return Principal(
            key_id=row["id"], role=row["role"], workspace=row["workspace"], name=row["name"]
        )

    def _with_last_use(self, info: KeyInfo) -> KeyInfo:
        recent = self._last_used.get(info.id)
        return replace(info, last_used_at=recent) if recent else info

    def flush_last_used(self) -> None:
        """Write when each key was last used (batched: one transaction for all)."""
        pending, self._last_used = self._last_used, {}
        if not pending:
            return
        try:
            with self._write() as db:
                db.executemany(
                    "UPDATE api_keys SET last_used_at = ? WHERE id = ?",
                    [(at, key_id) for key_id, at in pending.items()],
                )
        except sqlite3.Error as exc:  # locked by another process: try again next time
            log.warning("could not record when keys were last used: %s", exc)
            for key_id, at in pending.items():
                self._last_used.setdefault(key_id, at)

    def _flush_periodically(self) -> None:
        while not self._stopping.wait(LAST_USED_FLUSH_SECONDS):
            self.flush_last_used()

    # --- models a workspace may use --------------------------------------------------------

    def allowed_models(self, slug: str) -> list[str]:
        """The model specs callers of ``slug`` may pick: set by an admin, else the
        workspace's configured model; "extractive" (no model, no cost) always."""
        rows = self._read(
            "SELECT spec FROM workspace_models WHERE workspace = ? ORDER BY spec", (slug,)
        )
        if rows:
            specs = [str(r["spec"]) for r in rows]
        else:
            specs = [self.host.workspace(slug).settings.llm.strip() or "extractive"]
        return list(dict.fromkeys(["extractive", *specs]))

    def set_allowed_models(self, slug: str, specs: list[str]) -> list[str]:
        """Replace the models ``slug`` may use (an empty list: back to the configured one)."""
        with self._write() as db:
            db.execute("DELETE FROM workspace_models WHERE workspace = ?", (slug,))
            db.executemany(
                "INSERT OR IGNORE INTO workspace_models (workspace, spec) VALUES (?,?)",
                [(slug, spec) for spec in specs],
            )
        return self.allowed_models(slug)

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
        names (a question is recorded by its length and conversation id only). Call it from
        a worker thread, never on the event loop: it waits for the write lock.
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
        return self.host.files_dir(slug)

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
            (folder / FILES_DIR).mkdir(mode=0o700, exist_ok=True)
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
                db.execute("DELETE FROM workspace_models WHERE workspace = ?", (slug,))
                db.execute(
                    "UPDATE api_keys SET revoked_at = ? WHERE workspace = ? AND revoked_at IS NULL",
                    (_now(), slug),
                )
            self.host.forget(slug)
            shutil.rmtree(self.workspace_path(slug), ignore_errors=True)
        return True

    def served(self, slug: str) -> Workspace:
        """Workspace ``slug``, shared by every thread for the server's lifetime (do not
        close it).

        Raises:
            WorkspaceNotFound: no registered workspace ``slug``.
        """
        if self.workspace(slug) is None:
            raise WorkspaceNotFound(f"no workspace {slug}")
        return self.host.workspace(slug)

    @contextmanager
    def open_workspace(self, slug: str) -> Iterator[Workspace]:
        """``served(slug)`` as a context manager (the workspace stays open afterwards)."""
        yield self.served(slug)

    def close(self) -> None:
        self._stopping.set()
        self.lanes.close()
        self.host.close()
        self.flush_last_used()
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


def _workspace(row: sqlite3.Row) -> WorkspaceRecord:
    return WorkspaceRecord(row["slug"], row["name"], row["domain"], row["created_at"])


def _short(value: object) -> object:
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:_MAX_DETAIL_CHARS]


def make_private(root: Path) -> int:
    """Make every folder under ``root`` 0700 and every file 0600; return how many changed.

    Symbolic links are left alone (their target may not be ours).
    """
    changed = 0
    for folder, dirs, files in os.walk(root):
        for path, mode in [(Path(folder), 0o700)] + [(Path(folder) / f, 0o600) for f in files]:
            try:
                info = path.lstat()
                if not path.is_symlink() and info.st_mode & 0o777 != mode:
                    path.chmod(mode)
                    changed += 1
            except OSError:  # vanished meanwhile
                continue
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
    return changed
