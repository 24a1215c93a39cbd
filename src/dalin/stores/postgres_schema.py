"""The PostgreSQL schema: migrations run by the owner, and the app role that may not bypass RLS.

Every workspace lives in one database, in the schema ``dalin``. Each table holding workspace
data has a ``workspace`` column and a row-level security policy that shows a row only when
``dalin.workspace`` — set with ``SET LOCAL`` (``set_config(…, true)``) at the start of each
transaction — names its workspace; with nothing set a query sees 0 rows (SECURITY.md 3).
RLS binds every role but superusers, roles with BYPASSRLS and the tables' owner, so the
migrations run as the owner and the processes that serve run as ``app_role``, which
:func:`check_app_role` refuses to be any of those.

Migrations are an ordered list of small SQL scripts recorded in ``schema_migrations``, as in
the SQLite store; a database migrated by a newer dalin is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from dalin.errors import SchemaTooNew, StoreError

SCHEMA = "dalin"
DEFAULT_APP_ROLE = "dalin_app"
#: what ``dalin.workspace`` must equal for a row to be seen (unset: NULL, so nothing)
WORKSPACE_SETTING = "dalin.workspace"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
#: tables with one row per workspace item, each behind the workspace policy
WORKSPACE_TABLES = (
    "documents",
    "chunks",
    "term_stats",
    "lexical_stats",
    "doc_tables",
    "doc_table_rows",
    "ocr_pages",
    "answer_log",
    "embeddings",
    "vector_stats",
    "workspace_files",
    "ingest_jobs",
    "pending_redactions",
    "document_originals",
    "eval_runs",
)

_M001 = """
CREATE TABLE workspaces (
    slug text PRIMARY KEY,
    name text NOT NULL,
    domain text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE documents (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace text NOT NULL REFERENCES workspaces (slug) ON DELETE CASCADE,
    path text NOT NULL,
    name text NOT NULL,
    format text NOT NULL DEFAULT '',
    size bigint NOT NULL,
    mtime_ns bigint NOT NULL,
    content_hash text NOT NULL,
    status text NOT NULL CHECK (status IN ('indexed', 'failed')),
    error_code text NOT NULL DEFAULT '',
    error text NOT NULL DEFAULT '',
    pages integer,
    chars integer NOT NULL DEFAULT 0,
    added_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (workspace, path)
);
-- terms: the distinct FTS5 tokens of the chunk (and phrase keys, see postgres_lexical.py),
-- freqs: their column-weighted counts, n_tokens: its length in tokens for BM25
CREATE TABLE chunks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace text NOT NULL,
    doc_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord integer NOT NULL,
    text text NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    label text NOT NULL,
    page integer,
    section text NOT NULL DEFAULT '',
    kind text NOT NULL DEFAULT 'text',
    text_hash text NOT NULL,
    terms text[] NOT NULL,
    freqs real[] NOT NULL,
    n_tokens integer NOT NULL
);
CREATE INDEX chunks_by_doc ON chunks (doc_id, ord);
CREATE INDEX chunks_by_workspace ON chunks (workspace, id);
CREATE INDEX chunks_by_text_hash ON chunks (workspace, text_hash, id);
CREATE INDEX chunks_terms ON chunks USING gin (workspace, terms);
CREATE TABLE term_stats (
    workspace text NOT NULL,
    term text NOT NULL,
    df integer NOT NULL,
    PRIMARY KEY (workspace, term)
);
CREATE TABLE lexical_stats (
    workspace text PRIMARY KEY REFERENCES workspaces (slug) ON DELETE CASCADE,
    chunks bigint NOT NULL DEFAULT 0,
    tokens bigint NOT NULL DEFAULT 0
);
CREATE TABLE doc_tables (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace text NOT NULL,
    doc_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord integer NOT NULL,
    caption text NOT NULL DEFAULT '',
    sheet text NOT NULL DEFAULT '',
    header jsonb NOT NULL,
    header_row integer NOT NULL DEFAULT 0,
    first_column integer NOT NULL DEFAULT 0,
    last_column integer NOT NULL DEFAULT 0,
    page integer,
    start integer NOT NULL,
    "end" integer NOT NULL
);
CREATE INDEX doc_tables_by_doc ON doc_tables (doc_id, ord);
CREATE TABLE doc_table_rows (
    workspace text NOT NULL,
    table_id bigint NOT NULL REFERENCES doc_tables (id) ON DELETE CASCADE,
    ord integer NOT NULL,
    source_row integer NOT NULL DEFAULT 0,
    cells jsonb NOT NULL,
    PRIMARY KEY (table_id, ord)
);
CREATE TABLE ocr_pages (
    workspace text NOT NULL,
    doc_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    page integer NOT NULL,
    confidence real NOT NULL,
    PRIMARY KEY (doc_id, page)
);
CREATE TABLE answer_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace text NOT NULL REFERENCES workspaces (slug) ON DELETE CASCADE,
    asked_at timestamptz NOT NULL,
    conversation text NOT NULL DEFAULT '',
    owner text NOT NULL DEFAULT '',
    model text NOT NULL DEFAULT '',
    method text NOT NULL DEFAULT '',
    question text NOT NULL,
    entry jsonb NOT NULL
);
CREATE INDEX answer_log_by_conversation ON answer_log (workspace, conversation, id);
-- vectors by (embedder, text hash) as in SQLite; halfvec = float16, the SQLite format too
CREATE TABLE embeddings (
    workspace text NOT NULL REFERENCES workspaces (slug) ON DELETE CASCADE,
    embedder text NOT NULL,
    text_hash text NOT NULL,
    dim integer NOT NULL,
    vec halfvec NOT NULL,
    PRIMARY KEY (workspace, embedder, text_hash)
);
-- chunks with a vector per embedder, kept with every write so coverage is one read
CREATE TABLE vector_stats (
    workspace text NOT NULL REFERENCES workspaces (slug) ON DELETE CASCADE,
    embedder text NOT NULL,
    chunks bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace, embedder)
);
-- dalin.toml, profile.toml and glossary.txt of a workspace, so no process needs a disk
CREATE TABLE workspace_files (
    workspace text NOT NULL REFERENCES workspaces (slug) ON DELETE CASCADE,
    name text NOT NULL,
    text text NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace, name)
);
-- files waiting to be indexed by `dalin worker` (taken with FOR UPDATE SKIP LOCKED)
CREATE TABLE ingest_jobs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace text NOT NULL REFERENCES workspaces (slug) ON DELETE CASCADE,
    path text NOT NULL,
    name text NOT NULL,
    data bytea NOT NULL,
    state text NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    doc_id bigint,
    error text NOT NULL DEFAULT '',
    worker text NOT NULL DEFAULT '',
    lease_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ingest_jobs_waiting ON ingest_jobs (id) WHERE state IN ('queued', 'running');
CREATE INDEX ingest_jobs_by_workspace ON ingest_jobs (workspace, id);
-- a worker takes the oldest job no live worker holds: queued, or running with its lease
-- run out (the worker died). Across workspaces, so through the owner's rights; it learns
-- only the job's id and workspace, and reads the file under that workspace's policy.
CREATE FUNCTION take_ingest_job(p_worker text, p_lease_seconds double precision,
                                p_max_attempts integer)
RETURNS TABLE (job_id bigint, job_workspace text)
LANGUAGE sql SECURITY DEFINER SET search_path = dalin, public AS $fn$
    UPDATE ingest_jobs j SET state = 'running', attempts = j.attempts + 1, worker = p_worker,
        lease_until = now() + make_interval(secs => p_lease_seconds), updated_at = now()
    WHERE j.id = (
        SELECT id FROM ingest_jobs
        WHERE (state = 'queued' OR (state = 'running' AND lease_until < now()))
          AND attempts < p_max_attempts
        ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
    RETURNING j.id, j.workspace
$fn$;
-- jobs whose workers died too often: failed, for every workspace at once
CREATE FUNCTION give_up_ingest_jobs(p_max_attempts integer) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = dalin, public AS $fn$
    WITH failed AS (
        UPDATE ingest_jobs SET state = 'failed', data = ''::bytea, updated_at = now(),
            error = 'the worker stopped each of ' || attempts || ' times it tried this file'
        WHERE state = 'running' AND lease_until < now() AND attempts >= p_max_attempts
        RETURNING 1)
    SELECT count(*)::integer FROM failed
$fn$;
-- jobs not finished, in every workspace (a worker told to stop when the queue is empty)
CREATE FUNCTION ingest_jobs_waiting() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = dalin, public AS $fn$
    SELECT count(*) FROM ingest_jobs WHERE state IN ('queued', 'running')
$fn$;
-- the app role creates an HNSW index for a new vector size through this function: it may
-- not create indexes itself (it does not own the table)
CREATE FUNCTION ensure_vector_index(d integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = dalin, public AS $fn$
BEGIN
    IF d < 1 OR d > 4000 THEN
        RAISE EXCEPTION 'vectors of % dimensions cannot be indexed (1 to 4000)', d;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('dalin.ensure_vector_index'));
    EXECUTE format(
        'CREATE INDEX IF NOT EXISTS embeddings_hnsw_%s ON dalin.embeddings'
        ' USING hnsw ((vec::halfvec(%s)) halfvec_ip_ops) WHERE dim = %s', d, d, d);
END
$fn$;
"""

_M002 = """
-- the server's registry beside the workspaces: API keys and the audit log (no document
-- text), shared by every `dalin serve` process, and the rate-limit buckets they share
CREATE TABLE api_keys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    workspace text,
    prefix text NOT NULL,
    key_sha256 text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz,
    last_used_at timestamptz
);
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    key_id bigint,
    key_name text NOT NULL,
    role text NOT NULL,
    workspace text,
    action text NOT NULL,
    target text NOT NULL,
    detail jsonb NOT NULL
);
CREATE INDEX audit_by_workspace ON audit_log (workspace, id);
CREATE TABLE rate_buckets (
    key text PRIMARY KEY,
    tokens double precision NOT NULL,
    at double precision NOT NULL
);
"""

_M003 = """
-- answers are listed to whoever asked them (owner, e.g. 'key:12'; the column came with
-- M001); entries from before have none and are listed to no one but an admin
CREATE INDEX answer_log_by_owner ON answer_log (workspace, owner, conversation, id);
-- deleted documents whose text must still be removed from files outside the database
-- (evaluation reports); written in the delete's transaction, so a crash only postpones it
CREATE TABLE pending_redactions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace text NOT NULL REFERENCES workspaces (slug) ON DELETE CASCADE,
    path text NOT NULL,
    name text NOT NULL,
    deleted_at timestamptz NOT NULL
);
CREATE INDEX pending_redactions_by_workspace ON pending_redactions (workspace, id);
"""

_M004 = """
-- the models an admin let each workspace use, and failed sign-ins per client address:
-- shared by every `dalin serve` process, so a throttled address is throttled everywhere
CREATE TABLE workspace_models (
    workspace text NOT NULL REFERENCES workspaces (slug) ON DELETE CASCADE,
    spec text NOT NULL,
    PRIMARY KEY (workspace, spec)
);
CREATE TABLE auth_failures (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    address text NOT NULL,
    at double precision NOT NULL
);
CREATE INDEX auth_failures_by_address ON auth_failures (address, at);
CREATE INDEX auth_failures_by_age ON auth_failures (at);
"""

_M005 = """
-- the bytes of each file uploaded through `dalin serve`, by document path: any process can
-- index it again, and deleting the document removes it in the same transaction
CREATE TABLE document_originals (
    workspace text NOT NULL REFERENCES workspaces (slug) ON DELETE CASCADE,
    path text NOT NULL,
    size bigint NOT NULL,
    data bytea NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, path)
);
-- office files and PDFs are compressed already: store them as they are
ALTER TABLE document_originals ALTER COLUMN data SET STORAGE EXTERNAL;
"""

_M006 = """
-- the chunks of the transaction's workspace holding any of some terms, through the GIN
-- index. Row-level security keeps the app role's query from using it: `&&` is not
-- leakproof, so PostgreSQL applies the policy first and then tests every row of the
-- workspace (a 10,000-chunk workspace read whole for each keyword search). The owner's
-- rights skip the policy; the function applies the same condition itself and returns ids
-- only, which the caller reads back under the policy.
CREATE FUNCTION lexical_candidates(p_terms text[]) RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = dalin, public AS $fn$
    SELECT id FROM chunks
    WHERE workspace = current_setting('dalin.workspace', true) AND terms && p_terms
$fn$;
"""

_M007 = """
-- a served workspace's evaluation runs (dalin.stores.eval_runs), so that every serving
-- process lists, follows and cancels them: status, progress, the owner's heartbeat (the
-- database's clock), a cancel request and, once over, the report (RunReport JSON)
CREATE TABLE eval_runs (
    workspace text NOT NULL REFERENCES workspaces (slug) ON DELETE CASCADE,
    run_id text NOT NULL,
    status text NOT NULL,
    question_set text NOT NULL,
    models jsonb NOT NULL,
    questions integer NOT NULL,
    started_at text NOT NULL,
    finished_at text,
    error text NOT NULL DEFAULT '',
    done integer NOT NULL DEFAULT 0,
    total integer NOT NULL DEFAULT 0,
    owner text NOT NULL DEFAULT '',
    heartbeat timestamptz NOT NULL DEFAULT now(),
    cancel_requested boolean NOT NULL DEFAULT false,
    report text,
    PRIMARY KEY (workspace, run_id)
);
"""

_M008 = """
-- an upload `dalin serve --queue-uploads` left to the workers: the worker keeps its file in
-- document_originals once indexed, as serve does for the uploads it indexes itself
ALTER TABLE ingest_jobs ADD COLUMN keep boolean NOT NULL DEFAULT false;
-- when a worker last took the job (what a job list shows as its start)
ALTER TABLE ingest_jobs ADD COLUMN started_at timestamptz;
CREATE OR REPLACE FUNCTION take_ingest_job(p_worker text, p_lease_seconds double precision,
                                           p_max_attempts integer)
RETURNS TABLE (job_id bigint, job_workspace text)
LANGUAGE sql SECURITY DEFINER SET search_path = dalin, public AS $fn$
    UPDATE ingest_jobs j SET state = 'running', attempts = j.attempts + 1, worker = p_worker,
        lease_until = now() + make_interval(secs => p_lease_seconds), updated_at = now(),
        started_at = now()
    WHERE j.id = (
        SELECT id FROM ingest_jobs
        WHERE (state = 'queued' OR (state = 'running' AND lease_until < now()))
          AND attempts < p_max_attempts
        ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
    RETURNING j.id, j.workspace
$fn$;
"""

_M009 = """
-- moved on by every change to a workspace's chunks (dalin.stores.postgres_lexical), so a
-- process's in-memory keyword index (postgres_memory.py) knows when it no longer holds them;
-- from one sequence, so a workspace deleted and made again never repeats an earlier value
CREATE SEQUENCE lexical_generation;
ALTER TABLE lexical_stats ADD COLUMN generation bigint NOT NULL DEFAULT 0;
-- term_stats alone had no reference to its workspace: a deleted workspace left the terms of
-- its documents behind, and one made again under the same name started from their counts
DELETE FROM term_stats t WHERE NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.slug = t.workspace);
-- and a deleted document's terms were kept at a count of 0 (now deleted with it)
DELETE FROM term_stats WHERE df <= 0;
ALTER TABLE term_stats ADD FOREIGN KEY (workspace) REFERENCES workspaces (slug) ON DELETE CASCADE;
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("workspaces, documents, chunks, BM25 statistics, tables, answers, vectors, jobs", _M001),
    ("server registry: API keys, audit log, shared rate limits", _M002),
    ("answers listed by owner, pending redactions of deleted documents", _M003),
    ("server registry: models per workspace, failed sign-ins per address", _M004),
    ("uploaded originals, so any process can index a document again", _M005),
    ("keyword search through the GIN index under row-level security", _M006),
    ("evaluation runs of served workspaces: status, heartbeat, report", _M007),
    ("queued uploads keep their file once indexed; when a worker took a job", _M008),
    ("a generation of each workspace's chunks; term statistics go with their workspace", _M009),
]


def _statements(script: str) -> list[str]:
    """The statements of a script: comments dropped, split at ``;`` (a function body
    between ``$fn$`` marks stays whole)."""
    parts = re.split(r"(\$fn\$.*?\$fn\$)", script, flags=re.DOTALL)
    statements, current = [], ""
    for part in parts:
        if part.startswith("$fn$"):
            current += part
            continue
        pieces = "\n".join(line.split("--")[0] for line in part.splitlines()).split(";")
        current += pieces[0]
        for piece in pieces[1:]:
            statements.append(current)
            current = piece
    statements.append(current)
    return [s.strip() for s in statements if s.strip()]


def _policies(app_role: str) -> list[str]:
    setting = f"current_setting('{WORKSPACE_SETTING}', true)"
    statements = [
        f"GRANT USAGE ON SCHEMA {SCHEMA} TO {app_role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {SCHEMA} TO {app_role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {app_role}",
        f"REVOKE ALL ON FUNCTION {SCHEMA}.ensure_vector_index(integer) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.ensure_vector_index(integer) TO {app_role}",
        f"REVOKE ALL ON FUNCTION {SCHEMA}.take_ingest_job(text, double precision, integer)"
        " FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.take_ingest_job(text, double precision, integer)"
        f" TO {app_role}",
        f"REVOKE ALL ON FUNCTION {SCHEMA}.ingest_jobs_waiting() FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.ingest_jobs_waiting() TO {app_role}",
        f"REVOKE ALL ON FUNCTION {SCHEMA}.give_up_ingest_jobs(integer) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.give_up_ingest_jobs(integer) TO {app_role}",
        f"REVOKE ALL ON FUNCTION {SCHEMA}.lexical_candidates(text[]) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.lexical_candidates(text[]) TO {app_role}",
        f"REVOKE INSERT, UPDATE, DELETE ON {SCHEMA}.schema_migrations FROM {app_role}",
    ]
    for table in WORKSPACE_TABLES:
        statements += [
            f"ALTER TABLE {SCHEMA}.{table} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS workspace_only ON {SCHEMA}.{table}",
            f"CREATE POLICY workspace_only ON {SCHEMA}.{table} USING (workspace = {setting})"
            f" WITH CHECK (workspace = {setting})",
        ]
    return statements


def migrate(conn: Any, app_role: str = DEFAULT_APP_ROLE) -> int:
    """Bring the schema up to date and grant ``app_role`` its rights; return the version.

    ``conn`` is a psycopg connection of the role that owns (or will own) the schema. The
    app role is created (without LOGIN) if missing: give it a password and LOGIN, or make
    your login roles members of it.
    """
    if not _ROLE_NAME.fullmatch(app_role):
        raise StoreError(f"not a usable role name: {app_role!r} (a-z, 0-9, _)")
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('dalin.migrate'))")
        _ensure_extensions(conn)
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        conn.execute(f"SET LOCAL search_path = {SCHEMA}, public")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        current = _version(conn)
        if current > len(MIGRATIONS):
            raise SchemaTooNew(_too_new(current))
        for version, (name, script) in enumerate(MIGRATIONS, start=1):
            if version > current:
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                    (version, name),
                )
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (app_role,))
        if exists.fetchone() is None:
            conn.execute(f"CREATE ROLE {app_role} NOLOGIN")
        for statement in _policies(app_role):
            conn.execute(statement)
    return len(MIGRATIONS)


def _ensure_extensions(conn: Any) -> None:
    installed = {r[0] for r in conn.execute("SELECT extname FROM pg_extension").fetchall()}
    for name in ("vector", "btree_gin"):
        if name in installed:
            continue
        try:
            with conn.transaction():
                conn.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
        except Exception as exc:
            raise StoreError(
                f"PostgreSQL extension {name} is missing and this role cannot create it"
                f" ({exc}); a superuser must run `CREATE EXTENSION {name};` in this database"
                f" once (pgvector 0.8 or later for vector)"
            ) from exc


def _version(conn: Any) -> int:
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0])


def _too_new(current: int) -> str:
    return (
        f"the PostgreSQL schema is at version {current}, but this dalin knows only "
        f"{len(MIGRATIONS)}; upgrade dalin"
    )


def schema_version(conn: Any) -> int:
    """The version the database is at (0: never migrated)."""
    row = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.schema_migrations",)).fetchone()
    if row[0] is None:
        return 0
    return int(
        conn.execute(
            f"SELECT coalesce(max(version), 0) FROM {SCHEMA}.schema_migrations"
        ).fetchone()[0]
    )


def check_schema(conn: Any) -> None:
    """Refuse a database not migrated to exactly this dalin's version."""
    version = schema_version(conn)
    if version > len(MIGRATIONS):
        raise SchemaTooNew(_too_new(version))
    if version < len(MIGRATIONS):
        raise StoreError(
            f"the PostgreSQL schema is at version {version} of {len(MIGRATIONS)}: run"
            " `dalin db migrate` with the owner's URL first (docs/deploy.md) /"
            " 데이터베이스 스키마가 오래되었습니다: 먼저 `dalin db migrate`를 실행하세요"
        )


def check_app_role(conn: Any) -> None:
    """Refuse to serve as a role that row-level security would not bind (SECURITY.md 3)."""
    row = conn.execute(
        "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    user, superuser, bypass = row
    owned = conn.execute(
        "SELECT string_agg(DISTINCT c.relname, ', ') FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND c.relkind = 'r'"
        " AND pg_has_role(current_user, c.relowner, 'USAGE')",
        (SCHEMA,),
    ).fetchone()[0]
    why = [
        reason
        for reason, applies in (
            ("a superuser", superuser),
            ("allowed to bypass RLS (BYPASSRLS)", bypass),
            (f"the owner of {owned}", owned),
        )
        if applies
    ]
    if why:
        raise StoreError(
            f"PostgreSQL role {user} is {' and '.join(why)}, so row-level security would not"
            " keep workspaces apart; connect as the app role that `dalin db migrate` grants"
            f" (default {DEFAULT_APP_ROLE}) / 이 역할로는 작업 공간이 분리되지 않습니다: 앱 역할로"
            " 접속하세요 (docs/deploy.md)"
        )


def check_durability(conn: Any) -> None:
    """Refuse a server that may lose a committed write on power loss (SECURITY.md 16)."""
    settings = {
        name: str(conn.execute(f"SHOW {name}").fetchone()[0])
        for name in ("fsync", "synchronous_commit", "full_page_writes")
    }
    unsafe = [f"{name} = {value}" for name, value in settings.items() if value == "off"]
    if unsafe:
        raise StoreError(
            f"PostgreSQL runs with {', '.join(unsafe)}: a committed upload could be lost on"
            " power loss; turn them on in postgresql.conf / 전원이 꺼지면 저장된 내용을 잃을 수"
            " 있는 설정입니다: postgresql.conf에서 켜세요"
        )


def tables(conn: Any) -> Sequence[str]:
    """The tables of the schema (for tests and `dalin db status`)."""
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", (SCHEMA,)
    )
    return [str(r[0]) for r in rows]
