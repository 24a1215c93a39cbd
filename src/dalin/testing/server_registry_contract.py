"""Contract tests every server registry backend runs: subclass and provide a ``registry``
fixture (a fresh, empty registry) and, for the shared limits, ``other`` (a second registry
on the same storage, as a second process would open it, or the same one where limits stay
per process: then ``shared_limits = False``).

class TestMyRegistry(ServerRegistryContract):
    @pytest.fixture
    def registry(self, tmp_path): ...
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pytest

from dalin.errors import WorkspaceExists
from dalin.stores.server_base import (
    AuditRecord,
    Copied,
    KeyInfo,
    ServerRegistry,
    WorkspaceRecord,
    copy_keys,
)
from dalin.stores.server_sqlite import SQLiteRegistry

NOW = "2026-12-03T10:00:00+00:00"
LATER = "2026-12-03T11:00:00+00:00"


T = TypeVar("T")


def at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Run ``calls`` on threads of their own, released together."""
    gate = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        gate.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def audit(workspace: str | None, action: str, **detail: object) -> AuditRecord:
    return AuditRecord(NOW, 1, "k", "admin", workspace, action, f"{workspace}/x",
                       json.dumps(detail, ensure_ascii=False))  # fmt: skip


class ServerRegistryContract:
    #: whether two registries on one storage share rate limits and the sign-in throttle
    shared_limits = True

    def test_workspaces_are_registered_once_and_listed_by_slug(
        self, registry: ServerRegistry
    ) -> None:
        registry.add_workspace(WorkspaceRecord("nabi", "나비", "general", NOW))
        registry.add_workspace(WorkspaceRecord("gaon", "가온", "general", NOW))
        with pytest.raises(WorkspaceExists):
            registry.add_workspace(WorkspaceRecord("nabi", "또", "general", NOW))
        assert [w.slug for w in registry.workspaces()] == ["gaon", "nabi"]
        found = registry.workspace("nabi")
        assert found is not None and found.name == "나비" and found.domain == "general"
        assert found.created_at
        assert registry.workspace("none") is None

    def test_removing_a_workspace_revokes_its_keys_and_forgets_its_models(
        self, registry: ServerRegistry
    ) -> None:
        registry.add_workspace(WorkspaceRecord("nabi", "나비", "general", NOW))
        registry.add_workspace(WorkspaceRecord("gaon", "가온", "general", NOW))
        mine = registry.add_key("e", "editor", "nabi", "dln_abcd", "d1", NOW)
        other = registry.add_key("v", "viewer", "gaon", "dln_efgh", "d2", NOW)
        registry.set_allowed_models("nabi", ["openai:a"])
        assert registry.remove_workspace("nabi", LATER) is True
        assert registry.remove_workspace("nabi", LATER) is False
        assert registry.workspace("nabi") is None
        assert registry.key_by_digest("d1") is None
        revoked = registry.key(mine.id)
        assert revoked is not None and revoked.revoked_at == LATER
        assert registry.key_by_digest("d2") == other
        assert registry.allowed_models("nabi") == []

    def test_keys_are_found_by_digest_until_revoked(self, registry: ServerRegistry) -> None:
        registry.add_workspace(WorkspaceRecord("nabi", "나비", "general", NOW))
        admin = registry.add_key("boss", "admin", None, "dln_aaaa", "a" * 64, NOW)
        editor = registry.add_key("kim", "editor", "nabi", "dln_bbbb", "b" * 64, NOW)
        assert admin.id != editor.id
        assert registry.key_by_digest("a" * 64) == admin
        assert registry.key_by_digest("c" * 64) is None
        assert registry.active_admins() == [admin.id]
        assert registry.keys(None) == [admin]
        assert registry.keys("nabi") == [editor]
        assert [k.id for k in registry.keys(None, every=True)] == [admin.id, editor.id]
        registry.revoke_key(editor.id, "gaon", LATER)  # not that workspace's key: no effect
        assert registry.key_by_digest("b" * 64) == editor
        registry.revoke_key(editor.id, "nabi", LATER)
        assert registry.key_by_digest("b" * 64) is None
        registry.revoke_key(editor.id, "nabi", "2027-01-01T00:00:00+00:00")  # once only
        gone = registry.key(editor.id)
        assert gone is not None and gone.revoked_at == LATER and gone.prefix == "dln_bbbb"
        registry.revoke_key(admin.id, None, LATER)
        assert registry.active_admins() == []

    def test_starting_together_makes_one_first_admin_key(
        self, registry: ServerRegistry, other: ServerRegistry
    ) -> None:
        def first(on: ServerRegistry, i: int) -> Callable[[], KeyInfo | None]:
            return lambda: on.add_first_admin("admin", f"dln_{i:04d}", f"{i:064d}", NOW)

        made = at_once([first(registry if i % 2 else other, i) for i in range(6)])
        assert len([m for m in made if m is not None]) == 1, made
        assert registry.active_admins() == [m.id for m in made if m is not None]
        assert other.add_first_admin("admin", "dln_zzzz", "z" * 64, NOW) is None

    def test_concurrent_revocations_never_leave_no_admin_key(
        self, registry: ServerRegistry, other: ServerRegistry
    ) -> None:
        registry.add_workspace(WorkspaceRecord("nabi", "나비", "general", NOW))
        editor = registry.add_key("e", "editor", "nabi", "dln_eeee", "e" * 64, NOW)
        for round_ in range(3):
            one = registry.add_key("a", "admin", None, "dln_aaaa", f"a{round_}".ljust(64, "0"), NOW)
            two = registry.add_key("b", "admin", None, "dln_bbbb", f"b{round_}".ljust(64, "0"), NOW)
            revoked = at_once(
                [
                    functools.partial(registry.revoke_unless_last_admin, one.id, None, LATER),
                    functools.partial(other.revoke_unless_last_admin, two.id, None, LATER),
                ]
            )
            assert sorted(revoked) == [False, True]
            kept = [one.id, two.id][revoked.index(False)]
            assert registry.active_admins() == [kept]
            assert not registry.revoke_unless_last_admin(kept, None, LATER)  # alone: refused
            assert registry.active_admins() == [kept]
            registry.revoke_key(kept, None, LATER)  # what --force does
        assert registry.revoke_unless_last_admin(editor.id, "nabi", LATER)  # not an admin
        assert registry.key_by_digest("e" * 64) is None

    def test_keys_and_model_grants_of_a_server_db_are_copied_once(
        self, registry: ServerRegistry, tmp_path: Path
    ) -> None:
        (tmp_path / "old").mkdir()
        source = SQLiteRegistry(tmp_path / "old" / "server.db")
        for slug in ("nabi", "gone"):
            source.add_workspace(WorkspaceRecord(slug, slug, "general", NOW))
        old = [
            source.add_key("boss", "admin", None, "dln_aaaa", "a" * 64, NOW),
            source.add_key("kim", "editor", "nabi", "dln_bbbb", "b" * 64, NOW),
            source.add_key("lee", "viewer", "nabi", "dln_cccc", "c" * 64, NOW),
        ]
        source.revoke_key(old[2].id, "nabi", LATER)
        source.record_last_used({old[1].id: LATER})
        source.set_allowed_models("nabi", ["openai:a", "openai:b"])
        source.set_allowed_models("gone", ["openai:c"])
        registry.add_workspace(WorkspaceRecord("nabi", "나비", "general", NOW))
        registry.set_allowed_models("nabi", ["openai:b"])
        here = registry.add_key("here", "admin", None, "dln_dddd", "d" * 64, NOW)
        try:
            assert copy_keys(source, registry) == Copied(3, 1, ("gone",))
            assert copy_keys(source, registry) == Copied(0, 0, ("gone",))  # nothing new
            expected = {k.digest: replace(k.info, id=0) for k in source.stored_keys()}
        finally:
            source.close()
        copied = {k.digest: replace(k.info, id=0) for k in registry.stored_keys()}
        assert copied == {**expected, "d" * 64: replace(here, id=0)}
        assert registry.key_by_digest("c" * 64) is None  # revoked there, revoked here
        assert registry.active_admins() == sorted(
            [here.id, next(k.info.id for k in registry.stored_keys() if k.digest == "a" * 64)]
        )
        assert registry.allowed_models("nabi") == ["openai:a", "openai:b"]

    def test_last_use_is_recorded(self, registry: ServerRegistry) -> None:
        key = registry.add_key("boss", "admin", None, "dln_aaaa", "a" * 64, NOW)
        assert key.last_used_at is None
        registry.record_last_used({key.id: LATER})
        found = registry.key(key.id)
        assert found is not None and found.last_used_at == LATER

    def test_allowed_models_are_replaced_as_a_whole(self, registry: ServerRegistry) -> None:
        registry.add_workspace(WorkspaceRecord("nabi", "나비", "general", NOW))
        assert registry.allowed_models("nabi") == []
        registry.set_allowed_models("nabi", ["openai:b", "openai:a", "openai:b"])
        assert registry.allowed_models("nabi") == ["openai:a", "openai:b"]
        registry.set_allowed_models("nabi", [])
        assert registry.allowed_models("nabi") == []

    def test_the_audit_log_is_newest_first_and_per_workspace(
        self, registry: ServerRegistry
    ) -> None:
        registry.append_audit(audit("nabi", "upload", size=3, name="규정.hwp"))
        registry.append_audit(audit("gaon", "ask", chars=12))
        registry.append_audit(audit(None, "auth_failed", key_given=False))
        everything = registry.audit_log(None, 10)
        assert [e["action"] for e in everything] == ["auth_failed", "ask", "upload"]
        nabi = registry.audit_log("nabi", 10)
        assert len(nabi) == 1
        entry = nabi[0]
        assert entry["at"] == NOW and entry["key_id"] == 1 and entry["target"] == "nabi/x"
        assert json.loads(str(entry["detail"])) == {"size": 3, "name": "규정.hwp"}
        assert len(registry.audit_log(None, 2)) == 2
        asks = registry.audit_log(None, 10, action="ask")
        assert [e["action"] for e in asks] == ["ask"]
        newest = int(str(everything[0]["id"]))
        older = registry.audit_log(None, 10, before=newest)
        assert [e["action"] for e in older] == ["ask", "upload"]
        assert registry.audit_log("nabi", 10, action="ask") == []

    def test_the_rate_limit_spends_one_budget(
        self, registry: ServerRegistry, other: ServerRegistry
    ) -> None:
        mine, theirs = registry.rate_limit(3), other.rate_limit(3)  # 3 a minute, bursts of 3
        assert [mine.take(7), theirs.take(7)] == [0.0, 0.0]
        assert mine.take(7) == 0.0
        wait = theirs.take(7)
        if self.shared_limits:
            assert 0 < wait <= 20.0  # the fourth of three a minute waits for one to come back
        else:
            assert wait == 0.0  # each process its own bucket
        assert mine.take(8) == 0.0  # another key has its own bucket
        assert registry.rate_limit(0).take(7) == 0.0  # 0: no limit

    def test_failed_sign_ins_are_throttled_per_address(
        self, registry: ServerRegistry, other: ServerRegistry
    ) -> None:
        mine, theirs = registry.auth_throttle(3), other.auth_throttle(3)
        assert mine.wait("10.0.0.1") == 0.0
        assert [mine.failed("10.0.0.1"), theirs.failed("10.0.0.1")] == [False, False]
        started = theirs.failed("10.0.0.1")
        if self.shared_limits:
            assert started is True
            assert 55.0 < mine.wait("10.0.0.1") <= 60.0
        else:
            assert started is False and mine.wait("10.0.0.1") == 0.0
        assert mine.wait("10.0.0.2") == 0.0  # another address is not held up
        assert registry.auth_throttle(0).failed("10.0.0.1") is False
