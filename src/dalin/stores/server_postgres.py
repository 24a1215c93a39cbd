"""The server registry in the dalin PostgreSQL database: any number of `dalin serve` processes.

Keys, revocations, the models each workspace may use and the audit log are rows every
process reads at once: a key made through one process works on the next request to any
other, and a revoked one stops there too (checking a key reads the database, never a
cache). The per-key rate limit and the failed-authentication throttle are kept in the
database as well (``rate_buckets``, ``auth_failures``), timed by the database's clock, so
N processes hold a key to one budget, not N.

The registry's workspaces are the database's ``workspaces`` rows, the same ones
the workspace stores hang from (:mod:`dalin.stores.postgres`): unregistering a workspace
deletes its documents, chunks and vectors in the same transaction. These tables carry no
workspace data and so no row-level security; the app role reaches them as `dalin db
migrate` granted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from dalin.errors import StoreError
from dalin.stores.postgres import create_workspace
from dalin.stores.postgres_db import Database
from dalin.stores.server_base import (
    AuditRecord,
    KeyInfo,
    StoredKey,
    WorkspaceRecord,
    audit_filter,
)

_KEY_COLUMNS = "id, name, role, workspace, prefix, created_at, revoked_at, last_used_at"
#: held while the admin keys are checked and changed together, by any process
_ADMIN_LOCK = "SELECT pg_advisory_xact_lock(hashtext('dalin.admin_keys'))"
#: the window failed sign-ins are counted over, in seconds (as AuthThrottle's)
_WINDOW = 60.0


class PostgresRegistry:
    """Keys, audit log and workspace registry in the database behind ``db``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _rows(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self.db.transaction() as conn:
            return list(conn.execute(sql, args).fetchall())

    # --- workspaces ----------------------------------------------------------------------------

    def workspaces(self) -> list[WorkspaceRecord]:
        rows = self._rows("SELECT slug, name, domain, created_at FROM workspaces ORDER BY slug")
        return [_workspace(r) for r in rows]

    def workspace(self, slug: str) -> WorkspaceRecord | None:
        rows = self._rows(
            "SELECT slug, name, domain, created_at FROM workspaces WHERE slug = %s", (slug,)
        )
        return _workspace(rows[0]) if rows else None

    def add_workspace(self, record: WorkspaceRecord) -> None:
        create_workspace(self.db, record.slug, record.name, record.domain)

    def remove_workspace(self, slug: str, revoked_at: str) -> bool:
        with self.db.transaction() as conn:
            gone = conn.execute("DELETE FROM workspaces WHERE slug = %s RETURNING slug", (slug,))
            found = gone.fetchone() is not None
            conn.execute(
                "UPDATE api_keys SET revoked_at = %s WHERE workspace = %s AND revoked_at IS NULL",
                (revoked_at, slug),
            )
        return found

    # --- keys ----------------------------------------------------------------------------------

    def add_key(
        self, name: str, role: str, workspace: str | None, prefix: str, digest: str,
        created_at: str,
    ) -> KeyInfo:  # fmt: skip
        rows = self._rows(
            "INSERT INTO api_keys (name, role, workspace, prefix, key_sha256, created_at)"
            f" VALUES (%s,%s,%s,%s,%s,%s) RETURNING {_KEY_COLUMNS}",
            (name, role, workspace, prefix, digest, created_at),
        )
        return _key_info(rows[0])

    def keys(self, workspace: str | None, *, every: bool = False) -> list[KeyInfo]:
        if every:
            rows = self._rows(f"SELECT {_KEY_COLUMNS} FROM api_keys ORDER BY id")
        else:
            rows = self._rows(
                f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE workspace IS NOT DISTINCT FROM %s"
                " ORDER BY id",
                (workspace,),
            )
        return [_key_info(r) for r in rows]

    def key(self, key_id: int) -> KeyInfo | None:
        rows = self._rows(f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE id = %s", (key_id,))
        return _key_info(rows[0]) if rows else None

    def key_by_digest(self, digest: str) -> KeyInfo | None:
        rows = self._rows(
            f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE key_sha256 = %s AND revoked_at IS NULL",
            (digest,),
        )
        return _key_info(rows[0]) if rows else None

    def revoke_key(self, key_id: int, workspace: str | None, at: str) -> None:
        self._rows(
            "UPDATE api_keys SET revoked_at = %s WHERE id = %s"
            " AND workspace IS NOT DISTINCT FROM %s AND revoked_at IS NULL RETURNING id",
            (at, key_id, workspace),
        )

    def add_first_admin(
        self, name: str, prefix: str, digest: str, created_at: str
    ) -> KeyInfo | None:
        with self.db.transaction() as conn:
            conn.execute(_ADMIN_LOCK)
            rows = conn.execute(
                "INSERT INTO api_keys (name, role, workspace, prefix, key_sha256, created_at)"
                " SELECT %s, 'admin', NULL, %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM api_keys"
                f" WHERE role = 'admin' AND revoked_at IS NULL) RETURNING {_KEY_COLUMNS}",
                (name, prefix, digest, created_at),
            ).fetchall()
        return _key_info(rows[0]) if rows else None

    def revoke_unless_last_admin(self, key_id: int, workspace: str | None, at: str) -> bool:
        with self.db.transaction() as conn:
            conn.execute(_ADMIN_LOCK)  # the other revocation has committed: this one sees it
            last = conn.execute(
                "SELECT 1 FROM api_keys WHERE id = %s AND role = 'admin' AND revoked_at IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM api_keys WHERE role = 'admin'"
                " AND revoked_at IS NULL AND id <> %s)",
                (key_id, key_id),
            ).fetchone()
            if last is not None:
                return False
            conn.execute(
                "UPDATE api_keys SET revoked_at = %s WHERE id = %s"
                " AND workspace IS NOT DISTINCT FROM %s AND revoked_at IS NULL",
                (at, key_id, workspace),
            )
        return True

    def stored_keys(self) -> list[StoredKey]:
        rows = self._rows(f"SELECT {_KEY_COLUMNS}, key_sha256 FROM api_keys ORDER BY id")
        return [StoredKey(_key_info(r), str(r[8])) for r in rows]

    def import_keys(self, keys: Sequence[StoredKey]) -> int:
        added = 0
        with self.db.transaction() as conn:
            for key in keys:
                k = key.info
                row = conn.execute(
                    "INSERT INTO api_keys (name, role, workspace, prefix, key_sha256, created_at,"
                    " revoked_at, last_used_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)"
                    " ON CONFLICT (key_sha256) DO NOTHING RETURNING id",
                    (k.name, k.role, k.workspace, k.prefix, key.digest, k.created_at,
                     k.revoked_at, k.last_used_at),
                ).fetchone()  # fmt: skip
                added += row is not None
        return added

    def active_admins(self) -> list[int]:
        rows = self._rows(
            "SELECT id FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL ORDER BY id"
        )
        return [int(r[0]) for r in rows]

    def record_last_used(self, used: dict[int, str]) -> None:
        try:
            with self.db.transaction() as conn, conn.cursor() as cursor:
                cursor.executemany(
                    # another process may have seen a later use: keep the latest
                    "UPDATE api_keys SET last_used_at = greatest(last_used_at, %s::timestamptz)"
                    " WHERE id = %s",
                    [(at, key_id) for key_id, at in used.items()],
                )
        except Exception as exc:  # the database away for a moment: the caller tries again
            raise StoreError(f"cannot record when keys were last used: {exc}") from exc

    # --- models --------------------------------------------------------------------------------

    def allowed_models(self, slug: str) -> list[str]:
        rows = self._rows(
            "SELECT spec FROM workspace_models WHERE workspace = %s ORDER BY spec", (slug,)
        )
        return [str(r[0]) for r in rows]

    def set_allowed_models(self, slug: str, specs: list[str]) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM workspace_models WHERE workspace = %s", (slug,))
            for spec in dict.fromkeys(specs):
                conn.execute(
                    "INSERT INTO workspace_models (workspace, spec) VALUES (%s, %s)", (slug, spec)
                )

    # --- audit ---------------------------------------------------------------------------------

    def append_audit(self, entry: AuditRecord) -> None:
        self._rows(
            "INSERT INTO audit_log (at, key_id, key_name, role, workspace, action, target,"
            " detail) VALUES (%s,%s,%s,%s,%s,%s,%s,%s::jsonb) RETURNING id",
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
        where, args = audit_filter(workspace, action, before, "%s")
        rows = self._rows(
            "SELECT id, at, key_id, key_name, role, workspace, action, target, detail::text"
            f" FROM audit_log {where} ORDER BY id DESC LIMIT %s",
            (*args, limit),
        )
        names = ("id", "at", "key_id", "key_name", "role", "workspace", "action", "target")
        return [
            {**dict(zip(names, (r[0], _iso(r[1]), *r[2:8]), strict=True)), "detail": r[8]}
            for r in rows
        ]

    # --- limits: shared by every process -------------------------------------------------------

    def rate_limit(self, per_minute: float) -> PostgresRateLimit:
        return PostgresRateLimit(self.db, per_minute)

    def auth_throttle(self, per_minute: int) -> PostgresAuthThrottle:
        return PostgresAuthThrottle(self.db, per_minute)

    def close(self) -> None:
        """Nothing of its own: the pool is the process's (``postgres_db.close_all``)."""


class PostgresRateLimit:
    """A token bucket per key in ``rate_buckets``, as :class:`~dalin.stores.memory_limits.
    RateLimiter` keeps in memory; the row lock makes two processes' takes take turns."""

    def __init__(self, db: Database, per_minute: float) -> None:
        self.db = db
        self.capacity = max(1.0, per_minute)
        self.refill_per_second = max(0.0, per_minute) / 60.0

    def take(self, key_id: int) -> float:
        if self.refill_per_second <= 0:
            return 0.0  # no limit configured
        bucket = f"key:{key_id}"
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO rate_buckets (key, tokens, at)"
                " VALUES (%s, %s, extract(epoch FROM now())) ON CONFLICT (key) DO NOTHING",
                (bucket, self.capacity),
            )
            # now(): the transaction's start, one clock for every process
            row = conn.execute(
                "WITH old AS (SELECT key, least(%(cap)s,"
                "   tokens + (extract(epoch FROM now()) - at) * %(refill)s) AS tokens"
                "   FROM rate_buckets WHERE key = %(key)s FOR UPDATE)"
                " UPDATE rate_buckets b SET at = extract(epoch FROM now()),"
                "   tokens = CASE WHEN old.tokens >= 1 THEN old.tokens - 1 ELSE old.tokens END"
                " FROM old WHERE b.key = old.key RETURNING old.tokens",
                {"cap": self.capacity, "refill": self.refill_per_second, "key": bucket},
            ).fetchone()
        tokens = float(row[0])
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.refill_per_second


class PostgresAuthThrottle:
    """Failed authentications per address in ``auth_failures``: after ``per_minute`` within
    a minute, on any process, the address waits until the oldest is a minute old."""

    def __init__(self, db: Database, per_minute: int) -> None:
        self.db = db
        self.per_minute = per_minute

    def wait(self, address: str) -> float:
        if self.per_minute <= 0:
            return 0.0
        with self.db.transaction() as conn:
            count, oldest, now = conn.execute(
                "SELECT count(*), min(at), extract(epoch FROM now())::float8 FROM auth_failures"
                " WHERE address = %s AND at > extract(epoch FROM now()) - %s",
                (address, _WINDOW),
            ).fetchone()
        if count < self.per_minute:
            return 0.0
        return max(0.0, float(oldest) + _WINDOW - float(now))

    def failed(self, address: str) -> bool:
        if self.per_minute <= 0:
            return False
        with self.db.transaction() as conn:
            # forget what is out of the window (everyone's: failures are rare, the index is on at)
            conn.execute(
                "DELETE FROM auth_failures WHERE at <= extract(epoch FROM now()) - %s", (_WINDOW,)
            )
            conn.execute(
                "INSERT INTO auth_failures (address, at) VALUES (%s, extract(epoch FROM now()))",
                (address,),
            )
            count = conn.execute(
                "SELECT count(*) FROM auth_failures WHERE address = %s", (address,)
            ).fetchone()[0]
        return int(count) == self.per_minute


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value is not None else None


def _key_info(row: tuple[Any, ...]) -> KeyInfo:
    return KeyInfo(
        id=int(row[0]),
        name=row[1],
        role=row[2],
        workspace=row[3],
        prefix=row[4],
        created_at=_iso(row[5]) or "",
        revoked_at=_iso(row[6]),
        last_used_at=_iso(row[7]),
    )


def _workspace(row: tuple[Any, ...]) -> WorkspaceRecord:
    return WorkspaceRecord(row[0], row[1], row[2], _iso(row[3]) or "")
