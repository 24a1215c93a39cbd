"""SECURITY.md checks 3, 4 and 16 on a real PostgreSQL: row-level security between workspaces,
filtered vector recall, durability settings."""

from __future__ import annotations

import random

import numpy as np
import pytest

from dalin.errors import StoreError
from dalin.stores import postgres_vectors
from dalin.stores.postgres import PostgresStore, create_workspace, delete_workspace
from dalin.stores.postgres_db import Database, connect, database
from dalin.stores.postgres_schema import WORKSPACE_TABLES
from dalin.testing.postgres import PostgresURLs, with_user
from dalin.testing.store_contract import chunk, price_table, record, unit
from dalin.types import Filter


def new_store(db: Database, prefix: str) -> PostgresStore:
    slug = f"{prefix}-{random.randrange(10**9)}"
    create_workspace(db, slug)
    return PostgresStore(db, slug)


@pytest.fixture
def db(postgres: PostgresURLs) -> Database:
    return database(postgres.app)


@pytest.fixture
def two(db: Database) -> tuple[PostgresStore, PostgresStore, int]:
    """Workspace A, and workspace B holding a canary document (its id), table and vector."""
    a, b = new_store(db, "a"), new_store(db, "b")
    a.upsert_document(record("/d/a.txt"), [chunk("평범한 문장", ["평범", "문장"])])
    canary = b.upsert_document(
        record("/d/secret.xlsx"),
        [chunk("canary 카나리아", ["canary", "카나리아"])],
        [price_table()],
    )
    for store in (a, b):
        pending = store.chunks_without_vectors("e", 10)
        store.put_embeddings("e", [(h, unit(1, 0)) for h, _ in pending])
    a.log_answer({"question": "a의 질문"})
    b.log_answer({"question": "canary question"})
    return a, b, canary


def test_the_app_role_cannot_bypass_rls(postgres: PostgresURLs) -> None:
    with connect(postgres.app) as conn:
        row = conn.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert row == (False, False)
        owners = conn.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'dalin'"
        ).fetchall()
        assert [r[0] for r in owners] == ["postgres"]
        forced = conn.execute(
            "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'dalin' AND c.relkind = 'r' AND c.relrowsecurity"
        ).fetchall()
        assert set(WORKSPACE_TABLES) <= {r[0] for r in forced}


@pytest.mark.parametrize("attributes", ["SUPERUSER", "BYPASSRLS", "IN ROLE postgres"])
def test_a_role_that_would_bypass_rls_is_refused(postgres: PostgresURLs, attributes: str) -> None:
    role = f"risky_{random.randrange(10**9)}"
    with connect(postgres.owner) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN {attributes}")
        conn.execute(f"GRANT dalin_app TO {role}")
    with pytest.raises(StoreError, match="row-level security would not"):
        Database(with_user(postgres.app, role))


def test_the_owner_is_refused(postgres: PostgresURLs) -> None:
    with pytest.raises(StoreError, match="superuser"):
        Database(postgres.owner)


def test_with_no_workspace_set_a_query_sees_no_rows(
    postgres: PostgresURLs, two: tuple[PostgresStore, PostgresStore, int]
) -> None:
    with connect(postgres.app) as conn:
        for table in WORKSPACE_TABLES:
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
    with connect(postgres.owner) as conn:  # the rows are there
        assert conn.execute("SELECT count(*) FROM chunks").fetchone()[0] >= 2


def test_a_pooled_connection_never_carries_a_workspace_over(
    db: Database, two: tuple[PostgresStore, PostgresStore, int]
) -> None:
    _, b, _ = two
    for _ in range(3):  # the pool hands the same connections out again
        with db.transaction(b.workspace) as conn:
            assert conn.execute("SELECT count(*) FROM chunks").fetchone()[0] == 1
            backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        with db.transaction() as conn:
            seen = conn.execute(
                "SELECT count(*), current_setting('dalin.workspace', true) FROM chunks"
            ).fetchone()
            same = conn.execute("SELECT pg_backend_pid()").fetchone()[0] == backend
            assert seen[0] == 0 and not seen[1], (seen, same)


def test_canaries_of_another_workspace_never_reach_this_one(
    two: tuple[PostgresStore, PostgresStore, int],
) -> None:
    a, _, canary = two
    assert a.keyword_search(["canary", "카나리아"], 10, Filter()) == []
    assert a.keyword_search(["canary"], 10, Filter((canary,))) == []
    assert [h.text for h in a.vector_search(unit(1, 0), 10, Filter(), "e")] == ["평범한 문장"]
    assert a.vector_search(unit(1, 0), 10, Filter((canary,)), "e") == []
    assert a.get_document_by_id(canary) is None and a.get_document("/d/secret.xlsx") is None
    assert a.tables(canary) == [] and a.chunks_in_range(canary, 0, 10**6) == []
    assert a.document_frequencies(["canary"]) == {"canary": 0}
    assert [e["question"] for e in a.answer_log()] == ["a의 질문"]
    assert a.chunk_count() == 1 and a.vector_coverage("e") == (1, 1)
    assert a.vector_counts("e") == {a.documents()[0].id: 1}


def test_the_keyword_candidates_function_sees_only_the_set_workspace(
    postgres: PostgresURLs, db: Database, two: tuple[PostgresStore, PostgresStore, int]
) -> None:
    """lexical_candidates runs with the owner's rights (to reach the GIN index past the
    policy): it must apply the policy's condition itself."""
    a, b, _ = two
    sql = "SELECT count(*) FROM lexical_candidates(%s::text[])"
    terms = (["canary", "카나리아", "평범", "문장"],)
    with connect(postgres.app) as conn:  # no workspace set
        assert conn.execute(sql, terms).fetchone() == (0,)
    with db.transaction(a.workspace) as conn:
        assert conn.execute(sql, (["canary", "카나리아"],)).fetchone() == (0,)
        assert conn.execute(sql, terms).fetchone() == (1,)
    with db.transaction(b.workspace) as conn:
        assert conn.execute(sql, terms).fetchone() == (1,)


def test_keyword_search_reads_candidates_from_the_gin_index(
    postgres: PostgresURLs, two: tuple[PostgresStore, PostgresStore, int]
) -> None:
    """Under row-level security the app role's `terms && …` cannot use the GIN index (`&&`
    is not leakproof, so the policy is applied first and every row of the workspace tested);
    lexical_candidates' query, with the owner's rights, uses it. Planned over 20,000 rows
    added and rolled back, and sequential scans off, so that the index is worth using."""
    a, _, _ = two
    doc = a.documents()[0].id
    query = (
        "EXPLAIN SELECT id FROM chunks WHERE"
        " workspace = current_setting('dalin.workspace', true) AND terms && %s::text[]"
    )
    with connect(postgres.owner) as conn, conn.transaction(force_rollback=True):
        conn.execute("SET LOCAL search_path = dalin, public")
        conn.execute(
            'INSERT INTO chunks (workspace, doc_id, ord, text, start, "end", label,'
            " text_hash, terms, freqs, n_tokens)"
            " SELECT %s, %s, 100 + i, 'x', 0, 1, '', md5(i::text),"
            " ARRAY['흔한', 'filler' || (i %% 50)], ARRAY[1, 1]::real[], 2"
            " FROM generate_series(1, 20000) AS i",
            (a.workspace, doc),
        )
        conn.execute("ANALYZE chunks")
        conn.execute("SET LOCAL enable_seqscan = off")  # short rows: a scan is cheap
        conn.execute("SELECT set_config('dalin.workspace', %s, true)", (a.workspace,))

        def plan() -> str:
            return "\n".join(r[0] for r in conn.execute(query, (["평범"],)).fetchall())

        assert "chunks_terms" in plan(), plan()  # as lexical_candidates runs it
        conn.execute("SET LOCAL ROLE dalin_app")
        assert "chunks_terms" not in plan(), plan()  # why the function exists
        assert conn.execute(
            "SELECT count(*) FROM lexical_candidates(%s::text[])", (["평범"],)
        ).fetchone() == (1,)


def test_deleting_another_workspaces_document_by_id_does_nothing(
    two: tuple[PostgresStore, PostgresStore, int],
) -> None:
    a, b, canary = two
    a.delete_document(canary)
    assert b.get_document_by_id(canary) is not None
    assert len(b.keyword_search(["canary"], 5, Filter())) == 1


def test_rows_cannot_be_written_into_another_workspace(
    db: Database, two: tuple[PostgresStore, PostgresStore, int]
) -> None:
    a, b, canary = two
    psycopg = pytest.importorskip("psycopg")
    with pytest.raises(psycopg.errors.InsufficientPrivilege), db.transaction(a.workspace) as conn:
        conn.execute(
            "INSERT INTO answer_log (workspace, asked_at, question, entry)"
            " VALUES (%s, now(), 'x', '{}')",
            (b.workspace,),
        )
    with db.transaction(a.workspace) as conn:  # and updates of its rows touch nothing
        changed = conn.execute(
            "UPDATE documents SET name = 'pwned' WHERE id = %s", (canary,)
        ).rowcount
    assert changed == 0 and b.get_document_by_id(canary).name == "secret.xlsx"  # type: ignore[union-attr]


def test_a_deleted_document_leaves_no_row_behind(
    postgres: PostgresURLs, two: tuple[PostgresStore, PostgresStore, int]
) -> None:
    _, b, canary = two
    b.delete_document(canary)
    with connect(postgres.owner) as conn:
        for table, column in (("chunks", "text"), ("doc_table_rows", "cells::text")):
            rows = conn.execute(
                f"SELECT count(*) FROM {table} WHERE workspace = %s"
                f" AND ({column} LIKE '%%볼트%%' OR {column} LIKE '%%canary%%')",
                (b.workspace,),
            ).fetchone()
            assert rows == (0,), table
        left = conn.execute(
            "SELECT count(*) FROM embeddings WHERE workspace = %s", (b.workspace,)
        ).fetchone()
        assert left == (0,)
        terms = conn.execute(
            "SELECT term FROM term_stats WHERE workspace = %s", (b.workspace,)
        ).fetchall()
        assert terms == []  # not even its words, as keys of empty statistics
    assert b.vector_coverage("e") == (0, 0) and b.chunk_count() == 0


def test_a_deleted_workspace_leaves_no_row_behind(
    postgres: PostgresURLs, db: Database, two: tuple[PostgresStore, PostgresStore, int]
) -> None:
    a, b, _ = two
    assert delete_workspace(db, b.workspace)
    with connect(postgres.owner) as conn:
        for table in WORKSPACE_TABLES:
            left = conn.execute(
                f"SELECT count(*) FROM dalin.{table} WHERE workspace = %s", (b.workspace,)
            ).fetchone()
            assert left == (0,), table
    assert a.keyword_search(["평범"], 5, Filter())  # the other workspace keeps its own
    create_workspace(db, b.workspace)  # the same name again starts from nothing
    again = PostgresStore(db, b.workspace)
    again.upsert_document(record("/d/new.txt"), [chunk("새 문장", ["새", "문장"])])
    assert [h.text for h in again.keyword_search(["문장", "canary"], 5, Filter())] == ["새 문장"]


def test_durability_settings_are_checked(postgres: PostgresURLs) -> None:
    with connect(postgres.app) as conn:
        values = [
            conn.execute(f"SHOW {name}").fetchone()[0] for name in ("fsync", "synchronous_commit")
        ]
    assert values == ["on", "on"]


def test_filtered_vector_recall_for_a_workspace_with_one_percent_of_rows(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SECURITY.md 4: the shared HNSW index filtered to a small workspace still returns
    k rows, the right ones (iterative index scans)."""
    rng = np.random.default_rng(4)
    dim = 16
    big, small = new_store(db, "big"), new_store(db, "small")
    for store, n in ((big, 9_900), (small, 100)):
        texts = [f"{store.workspace} {i}" for i in range(n)]
        store.upsert_document(record("/d/x.txt"), [chunk(t, ["x"]) for t in texts])
        vectors = rng.normal(size=(n, dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        pending = dict(store.chunks_without_vectors("e", n))
        by_text = {t: h for h, t in pending.items()}
        store.put_embeddings("e", [(by_text[t], v) for t, v in zip(texts, vectors, strict=True)])
    monkeypatch.setattr(postgres_vectors, "EXACT_BELOW", 0)  # always the index
    recalls = []
    for _ in range(30):
        q = rng.normal(size=dim).astype(np.float32)
        q /= np.linalg.norm(q)
        approximate = {h.chunk_id for h in small.vector_search(q, 10, Filter(), "e")}
        with db.transaction(small.workspace) as conn:
            exact = postgres_vectors.exact(
                conn, postgres_vectors.as_text(q, what="q")[1], 10, (), "e", dim
            )
        assert len(approximate) == 10
        recalls.append(len(approximate & {i for i, _ in exact}) / 10)
    assert float(np.mean(recalls)) >= 0.95, recalls
