"""What `dalin serve` keeps about itself, behind one Protocol: the workspace registry, the
API keys (hashed), the models each workspace may use, the audit log, and the request limits
that must hold across processes.

Two backends implement it: :class:`dalin.stores.server_sqlite.SQLiteRegistry`
(``server.db`` in the server's folder; one process) and
:class:`dalin.stores.server_postgres.PostgresRegistry` (the dalin PostgreSQL database; any
number of `dalin serve` processes share keys, revocations, limits and the audit log at
once). Both run :mod:`dalin.testing.server_registry_contract`.

The registry stores and finds; what a key may do, what the audit log may hold and when a
key was last used is decided in :class:`dalin.api.server.Server`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


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
class StoredKey:
    """A key as a registry keeps it, with the SHA-256 of its secret (never the secret):
    what is copied from one registry to another."""

    info: KeyInfo
    digest: str


@dataclass(frozen=True)
class WorkspaceRecord:
    """A workspace in the registry."""

    slug: str
    name: str
    domain: str
    created_at: str


@dataclass(frozen=True)
class AuditRecord:
    """One audit entry to write (``detail``: JSON text of numbers, ids and short names)."""

    at: str
    key_id: int | None
    key_name: str
    role: str
    workspace: str | None
    action: str
    target: str
    detail: str


class RateLimit(Protocol):
    """Requests per key: ``take`` returns 0 when one may go ahead, else the seconds to wait."""

    def take(self, key_id: int) -> float: ...


class AuthThrottling(Protocol):
    """Failed authentications per client address."""

    def wait(self, address: str) -> float:
        """Seconds until ``address`` may try again (0: now)."""
        ...

    def failed(self, address: str) -> bool:
        """Count a failure; True when it is the one that starts the throttling."""
        ...


class ServerRegistry(Protocol):
    """Keys, audit log, workspace registry and shared limits of `dalin serve`.

    Times are ISO 8601 strings in UTC. Every method is safe to call from any thread.
    """

    # --- workspaces
    def workspaces(self) -> list[WorkspaceRecord]:
        """Every registered workspace, by slug."""
        ...

    def workspace(self, slug: str) -> WorkspaceRecord | None: ...

    def add_workspace(self, record: WorkspaceRecord) -> None:
        """Register a workspace. Raises WorkspaceExists when the slug is taken."""
        ...

    def remove_workspace(self, slug: str, revoked_at: str) -> bool:
        """Unregister ``slug`` with its models, revoking its keys, in one transaction;
        False when it was not registered."""
        ...

    # --- keys
    def add_key(self, name: str, role: str, workspace: str | None, prefix: str, digest: str,
                created_at: str) -> KeyInfo: ...  # fmt: skip

    def keys(self, workspace: str | None, *, every: bool = False) -> list[KeyInfo]:
        """The keys of ``workspace`` (None: the admin keys), or every key (``every``)."""
        ...

    def key(self, key_id: int) -> KeyInfo | None: ...

    def key_by_digest(self, digest: str) -> KeyInfo | None:
        """The unrevoked key whose SHA-256 is ``digest``. Never writes."""
        ...

    def revoke_key(self, key_id: int, workspace: str | None, at: str) -> None:
        """Revoke key ``key_id`` if it belongs to ``workspace`` and is not revoked yet."""
        ...

    def add_first_admin(
        self, name: str, prefix: str, digest: str, created_at: str
    ) -> KeyInfo | None:
        """Add an admin key only when no unrevoked one exists, checked and written in one
        transaction: processes starting together make one. None when one exists."""
        ...

    def revoke_unless_last_admin(self, key_id: int, workspace: str | None, at: str) -> bool:
        """Revoke as :meth:`revoke_key` does, unless ``key_id`` is the last unrevoked admin
        key, checked and written in one transaction: concurrent revocations through any
        processes never leave none. False (nothing changed) when refused."""
        ...

    def stored_keys(self) -> list[StoredKey]:
        """Every key with its digest, revoked ones too, by id."""
        ...

    def import_keys(self, keys: Sequence[StoredKey]) -> int:
        """Add keys kept by another registry as they are there (name, role, workspace,
        prefix, digest, created, revoked, last used; each gets an id of this registry),
        in one transaction, leaving out any whose digest is known here; return how many
        were added."""
        ...

    def active_admins(self) -> list[int]:
        """The ids of the unrevoked admin keys."""
        ...

    def record_last_used(self, used: dict[int, str]) -> None:
        """Write when keys were last used (key id -> time), in one transaction."""
        ...

    # --- models a workspace may use
    def allowed_models(self, slug: str) -> list[str]: ...

    def set_allowed_models(self, slug: str, specs: list[str]) -> None: ...

    # --- audit
    def append_audit(self, entry: AuditRecord) -> None: ...

    def audit_log(
        self,
        workspace: str | None,
        limit: int,
        *,
        action: str | None = None,
        before: int | None = None,
    ) -> list[dict[str, object]]:
        """Entries newest first, ``detail`` still JSON text: only ``workspace``'s and only
        ``action``'s when given, and only those older than entry ``before`` (a page cursor)."""
        ...

    # --- limits
    def rate_limit(self, per_minute: float) -> RateLimit:
        """The per-key request limit, as wide as this registry is shared."""
        ...

    def auth_throttle(self, per_minute: int) -> AuthThrottling:
        """The failed-authentication throttle, as wide as this registry is shared."""
        ...

    def close(self) -> None: ...


def audit_filter(
    workspace: str | None, action: str | None, before: int | None, mark: str
) -> tuple[str, tuple[object, ...]]:
    """The WHERE clause (with ``mark`` as the parameter placeholder) and its arguments for
    :meth:`ServerRegistry.audit_log`'s filters; every value is a bound parameter."""
    clauses: list[str] = []
    args: list[object] = []
    for column, value in (("workspace", workspace), ("action", action)):
        if value:
            clauses.append(f"{column} = {mark}")
            args.append(value)
    if before is not None:
        clauses.append(f"id < {mark}")
        args.append(before)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(args)


@dataclass(frozen=True)
class Copied:
    """What :func:`copy_keys` added: keys, and (workspace, model) grants."""

    keys: int
    models: int
    #: workspaces with model grants in the source that the target does not know
    missing_workspaces: tuple[str, ...] = ()


def copy_keys(source: ServerRegistry, target: ServerRegistry) -> Copied:
    """Copy the keys (digests only) and the workspace → model grants of ``source`` into
    ``target``; what ``target`` has already is kept, so a second copy adds nothing."""
    added = target.import_keys(source.stored_keys())
    models, missing = 0, []
    for record in source.workspaces():
        granted = source.allowed_models(record.slug)
        if not granted:
            continue
        if target.workspace(record.slug) is None:
            missing.append(record.slug)
            continue
        have = target.allowed_models(record.slug)
        new = sorted(set(granted) - set(have))
        if new:
            target.set_allowed_models(record.slug, sorted(set(have) | set(new)))
            models += len(new)
    return Copied(added, models, tuple(missing))
