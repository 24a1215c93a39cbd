"""The state of `dalin serve`: API keys, the audit log and the workspace registry.

They are kept behind :class:`dalin.stores.server_base.ServerRegistry`, in one of two places:

* ``ROOT/server.db`` (SQLite, WAL; the default): one process per root folder; its rate
  limits and failed-sign-in throttle live in that process's memory;
* the dalin PostgreSQL database (``database_url``; `dalin serve` takes it from
  ``DALIN_DATABASE_URL``): any number of processes share keys, revocations, rate limits,
  the throttle and the audit log, and the workspaces they serve live in that database too
  (each one's folder under ROOT holds only a ``dalin.toml`` pointing there, made on first
  use, and the uploaded files).

Everything else lives under the root folder, readable by its owner only (0700 folders,
0600 files; an older install is fixed at start, with a notice)::

    ROOT/server.db              the registry when it is kept in SQLite
    ROOT/workspaces/<slug>/     a normal dalin Workspace; uploads in its files/ folder

When the key was last used is kept in memory and written once a minute, so checking a key
never writes. Workspaces are opened once and kept by :attr:`Server.host`
(:class:`dalin.host.Host`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from dalin.api.auth import (
    DEFAULT_RATE_PER_MINUTE,
    ROLES,
    Principal,
    display_prefix,
    key_digest,
    new_key,
)
from dalin.api.lanes import Lanes
from dalin.api.limits import ServeLimits
from dalin.config import CONFIG_NAME, DEFAULT_CONFIG, env_database_url
from dalin.errors import (
    DalinError,
    LastAdminKey,
    WorkspaceError,
    WorkspaceExists,
    WorkspaceNotFound,
)
from dalin.host import FILES_DIR, Host
from dalin.profiles import DEFAULT_PACK, PROFILE_NAME, pack_text
from dalin.stores.files import FolderFiles
from dalin.stores.postgres_db import database
from dalin.stores.postgres_files import DatabaseFiles
from dalin.stores.postgres_jobs import IngestJob, IngestQueue
from dalin.stores.registry import pointer_config, with_backend
from dalin.stores.server_base import AuditRecord, ServerRegistry
from dalin.stores.server_base import KeyInfo as KeyInfo  # listed by the routes
from dalin.stores.server_base import WorkspaceRecord as WorkspaceRecord
from dalin.stores.server_sqlite import SQLiteRegistry
from dalin.text.korean import tokenize_many
from dalin.workspace import Workspace

log = logging.getLogger("dalin.api")

DB_NAME = "server.db"
WORKSPACES_DIR = "workspaces"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
#: default request body limit of an upload (a workspace refuses larger files on its own)
DEFAULT_MAX_UPLOAD_MB = 200.0
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
        "keys_import",
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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class CreatedKey:
    """A key just made: ``key`` is its secret, shown this once and never again."""

    info: KeyInfo
    key: str


class Server:
    """Keys, audit log and workspaces of one `dalin serve` root folder."""

    def __init__(
        self,
        root: str | Path,
        *,
        rate_per_minute: float = DEFAULT_RATE_PER_MINUTE,
        max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB,
        limits: ServeLimits | None = None,
        database_url: str | None = None,
        queue_uploads: bool = False,
    ) -> None:
        """``database_url``: keep the registry and new workspaces in that PostgreSQL
        database (shared with other processes); None: in ``ROOT/server.db``. The workspaces
        find their database as every dalin process does, through ``DALIN_DATABASE_URL``, so
        it must name the same one. ``queue_uploads``: leave uploads to workspaces in that
        database to `dalin worker` processes instead of indexing them here.

        Raises:
            WorkspaceError: ``database_url`` is not ``DALIN_DATABASE_URL``, or
                ``queue_uploads`` without a database.
        """
        if database_url is not None and database_url != env_database_url():
            raise WorkspaceError(
                "a server on PostgreSQL needs DALIN_DATABASE_URL set to its database (its"
                " workspaces are found through it) / DALIN_DATABASE_URL을 같은 데이터베이스로"
                " 설정하세요"
            )
        if queue_uploads and database_url is None:
            raise WorkspaceError(
                "queued uploads need the PostgreSQL database the workers take them from"
                " (DALIN_DATABASE_URL) / 업로드를 작업자에게 넘기려면 DALIN_DATABASE_URL이"
                " 필요합니다"
            )
        self.root = Path(root).expanduser().resolve()
        self.limits = limits or ServeLimits()
        os.umask(0o077)  # whatever this process writes is its owner's only
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        #: files and folders made private at start (an install from before they were)
        self.fixed_permissions = make_private(self.root)
        (self.root / WORKSPACES_DIR).mkdir(mode=0o700, exist_ok=True)
        self.database_url = database_url
        self.registry = _open_registry(self.root, database_url)
        #: the ingestion queue of the database (its jobs are listed with the others)
        self.ingest_queue = _open_queue(database_url)
        self.queue_uploads = queue_uploads
        self.rate_limiter = self.registry.rate_limit(rate_per_minute)
        self.auth_throttle = self.registry.auth_throttle(self.limits.failed_auth_per_minute)
        self.max_upload_bytes = int(max_upload_mb * 2**20)
        self._lock = threading.RLock()
        self._last_used: dict[int, str] = {}
        self._stopping = threading.Event()
        #: workspaces served from where `dalin init` made them (``attach_workspace``)
        self._attached: dict[str, Path] = {}
        #: set once what the first questions would load is loaded (see ``start``)
        self.ready = threading.Event()
        #: the threads questions and uploads run on, and the limits on questions
        self.lanes = Lanes(self.limits)
        self.host = Host(
            self._served_folder,
            parse_workers=self.limits.parse_workers,
            parse_memory_bytes=self.limits.parse_memory_bytes,
            answer_seconds=self.limits.answer_seconds,
        )
        self._flusher = threading.Thread(
            target=self._flush_periodically, name="dalin-last-used", daemon=True
        )
        self._flusher.start()

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

    # --- keys --------------------------------------------------------------------------------

    def ensure_admin_key(self) -> str | None:
        """Create the first admin key if no usable one exists; return its secret (else None).

        The caller shows it once (``dalin serve`` prints it to stderr); it is never stored.
        """
        secret = new_key()  # checked and added in one transaction: processes starting
        # together on one database make one key
        made = self.registry.add_first_admin(
            "admin", display_prefix(secret), key_digest(secret), _now()
        )
        return secret if made else None

    def create_key(self, name: str, role: str, workspace: str | None) -> CreatedKey:
        """Make a key; an admin key has no workspace, any other key exactly one."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
        if (role == "admin") != (workspace is None):
            raise ValueError("an admin key has no workspace; editor and viewer keys have one")
        secret = new_key()
        info = self.registry.add_key(
            name, role, workspace, display_prefix(secret), key_digest(secret), _now()
        )
        return CreatedKey(info, secret)

    def keys(self, workspace: str | None) -> list[KeyInfo]:
        """The keys of one workspace (None: the admin keys), revoked ones included."""
        return [self._with_last_use(k) for k in self.registry.keys(workspace)]

    def all_keys(self) -> list[KeyInfo]:
        """Every key of the server, admin keys included, revoked ones too."""
        return [self._with_last_use(k) for k in self.registry.keys(None, every=True)]

    def key(self, key_id: int, workspace: str | None) -> KeyInfo | None:
        """Key ``key_id`` if it belongs to ``workspace`` (None: an admin key)."""
        info = self.registry.key(key_id)
        return self._with_last_use(info) if info and info.workspace == workspace else None

    def revoke_key(self, key_id: int, workspace: str | None) -> KeyInfo | None:
        """Revoke key ``key_id`` of ``workspace``; None when that workspace has no such key."""
        self.registry.revoke_key(key_id, workspace, _now())
        return self.key(key_id, workspace)

    def revoke_any(self, key_id: int, *, allow_last_admin: bool = False) -> KeyInfo | None:
        """Revoke any key, admin keys included; None when there is no such key.

        Raises:
            LastAdminKey: it is the last usable admin key and ``allow_last_admin`` is False
                (nobody could manage the server any more, short of a restart with
                ``--new-admin-key``).
        """
        info = self.registry.key(key_id)
        if info is None:
            return None
        if allow_last_admin:
            return self.revoke_key(key_id, info.workspace)
        # checked and revoked in one transaction: two revocations through any processes
        # at once never leave no admin key
        if not self.registry.revoke_unless_last_admin(key_id, info.workspace, _now()):
            raise LastAdminKey(
                "this is the last admin key; revoking it would leave no one to manage the"
                " server. Make another admin key first, or confirm (force)"
                " / 마지막 관리자 키입니다. 다른 관리자 키를 먼저 만드세요"
            )
        return self.key(key_id, info.workspace)

    def principal_for(self, key: str) -> Principal | None:
        """The principal behind ``key``; None when it is unknown or revoked. Only reads (the
        registry, at every call: a key revoked through another process stops at once)."""
        if not key.startswith("dln_") or len(key) > 200:
            return None
        # looked up by its SHA-256: how long that takes tells nothing about a stored key
        info = self.registry.key_by_digest(key_digest(key))
        if info is None:
            return None
        self._last_used[info.id] = _now()  # written by the flusher, off the request
        return Principal(key_id=info.id, role=info.role, workspace=info.workspace, name=info.name)

    def _with_last_use(self, info: KeyInfo) -> KeyInfo:
        recent = self._last_used.get(info.id)
        return replace(info, last_used_at=recent) if recent else info

    def flush_last_used(self) -> None:
        """Write when each key was last used (batched: one transaction for all)."""
        pending, self._last_used = self._last_used, {}
        if not pending:
            return
        try:
            self.registry.record_last_used(pending)
        except DalinError as exc:  # locked or away for a moment: try again next time
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
        specs = self.registry.allowed_models(slug)
        if not specs:
            specs = [self.host.workspace(slug).settings.llm.strip() or "extractive"]
        return list(dict.fromkeys(["extractive", *specs]))

    def set_allowed_models(self, slug: str, specs: list[str]) -> list[str]:
        """Replace the models ``slug`` may use (an empty list: back to the configured one)."""
        self.registry.set_allowed_models(slug, specs)
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
        self.registry.append_audit(
            AuditRecord(
                at=_now(),
                key_id=principal.key_id if principal else None,
                key_name=principal.name if principal else "",
                role=principal.role if principal else "",
                workspace=where or None,
                action=action,
                target=target[:_MAX_DETAIL_CHARS],
                detail=json.dumps(clean, ensure_ascii=False),
            )
        )

    def audit_log(
        self,
        workspace: str | None = None,
        limit: int = 200,
        *,
        action: str | None = None,
        before: int | None = None,
    ) -> list[dict[str, object]]:
        """Audit entries, newest first: one workspace's, one action's, older than entry
        ``before`` when given."""
        rows = self.registry.audit_log(workspace, limit, action=action, before=before)
        return [{**r, "detail": json.loads(str(r["detail"]))} for r in rows]

    # --- workspaces --------------------------------------------------------------------------

    def workspaces(self) -> list[WorkspaceRecord]:
        """Every registered workspace, by slug."""
        return self.registry.workspaces()

    def workspace(self, slug: str) -> WorkspaceRecord | None:
        """The registered workspace ``slug``, if any."""
        return self.registry.workspace(slug)

    def workspace_path(self, slug: str) -> Path:
        """The folder of workspace ``slug`` (checked: a valid slug, so never outside root,
        unless it is a workspace the operator attached)."""
        if not SLUG.fullmatch(slug):
            raise WorkspaceNotFound(f"not a workspace name: {slug!r}")
        return self._attached.get(slug) or self.root / WORKSPACES_DIR / slug

    def attach_workspace(self, slug: str, folder: Path) -> WorkspaceRecord:
        """Serve the existing workspace in ``folder`` (made by `dalin init`, filled by `dalin
        add`) as ``slug`` for this process's lifetime, where it is: its documents are not
        uploaded again, and deleting the workspace over the API never deletes its folder.

        Raises:
            WorkspaceNotFound: no workspace in ``folder``.
            WorkspaceExists: ``slug`` is a workspace of the server's own.
            WorkspaceError: a bad slug, or a server whose registry is in PostgreSQL.
        """
        if not SLUG.fullmatch(slug):
            raise WorkspaceError(f"{slug!r} is not a valid workspace name")
        if self.database_url:  # other processes could not open a folder only this one knows
            raise WorkspaceError(
                "a workspace folder is served by a server without DALIN_DATABASE_URL; servers"
                " that share a database share its workspaces (move one there: dalin migrate)"
            )
        folder = folder.expanduser().resolve()
        Workspace.open(folder).close()  # a clear error now rather than on the first request
        with self._lock:
            if (self.root / WORKSPACES_DIR / slug).exists():
                raise WorkspaceExists(f"the server already has a workspace named {slug}")
            self._attached[slug] = folder
            record = self.workspace(slug)
            if record is None:
                record = WorkspaceRecord(slug, slug, DEFAULT_PACK, _now())
                self.registry.add_workspace(record)
        return record

    def _served_folder(self, slug: str) -> Path:
        """The folder the host opens ``slug`` from. A workspace kept in the database (made
        through another process, or by `dalin migrate`) gets its pointer here on first use."""
        folder = self.workspace_path(slug)
        if self.database_url and not (folder / CONFIG_NAME).is_file():
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            FolderFiles(folder).write(CONFIG_NAME, pointer_config(slug))
        return folder

    def upload_queue(self, slug: str) -> IngestQueue | None:
        """Where uploads to ``slug`` go for the workers; None: they are indexed here (no
        ``queue_uploads``, or a workspace not kept in the database)."""
        return self._queue_of(slug) if self.queue_uploads else None

    def ingest_jobs(self, slug: str, limit: int = 50) -> list[IngestJob]:
        """``slug``'s files queued for the workers (through any process), newest first."""
        queue = self._queue_of(slug)
        return [] if queue is None else queue.jobs(slug, limit)

    def ingest_job(self, slug: str, job_id: int) -> IngestJob | None:
        """One of ``slug``'s queued files; None when it is not one of them."""
        queue = self._queue_of(slug)
        return None if queue is None else queue.get(slug, job_id)

    def _queue_of(self, slug: str) -> IngestQueue | None:
        """The database's ingestion queue, when ``slug`` is kept in that database."""
        if self.ingest_queue is None or self.host.originals(slug) is None:
            return None
        return self.ingest_queue

    def files_dir(self, slug: str) -> Path:
        """Where uploads to workspace ``slug`` are kept."""
        return self.host.files_dir(slug)

    def create_workspace(
        self, slug: str, name: str = "", domain: str = DEFAULT_PACK
    ) -> WorkspaceRecord:
        """Register and create workspace ``slug`` with the domain pack ``domain`` (in the
        database when the registry is kept there, else in its folder).

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
            record = WorkspaceRecord(slug, name or slug, domain, _now())
            if self.database_url:
                profile = pack_text(domain)  # an unknown pack fails before anything is written
                self.registry.add_workspace(record)  # the row its data hangs from
                files = DatabaseFiles(database(self.database_url), slug)
                files.write(CONFIG_NAME, with_backend(DEFAULT_CONFIG, "postgres"))
                files.write(PROFILE_NAME, profile)
                self._served_folder(slug)
            else:
                Workspace.create(folder, domain=domain).close()
                self.registry.add_workspace(record)
            (folder / FILES_DIR).mkdir(mode=0o700, exist_ok=True)
        return record

    def delete_workspace(self, slug: str) -> bool:
        """Delete workspace ``slug``, its files, and revoke its keys; False if unknown."""
        with self._lock:
            if self.workspace(slug) is None:
                return False
            self.host.forget(slug)
            self.registry.remove_workspace(slug, _now())
            if self._attached.pop(slug, None) is None:  # an attached folder is the user's
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
        self.registry.close()


def _open_queue(database_url: str | None) -> IngestQueue | None:
    return None if database_url is None else IngestQueue(database(database_url))


def _open_registry(root: Path, database_url: str | None) -> ServerRegistry:
    if database_url is None:
        return SQLiteRegistry(root / DB_NAME)
    from dalin.stores.server_postgres import PostgresRegistry

    return PostgresRegistry(database(database_url))


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
