"""`dalin db` (the PostgreSQL schema) and `dalin migrate` (move a workspace between stores).

The sub-app uses the helpers of ``dalin.cli.main``, which registers it at its end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from dalin.cli.common import err, fail, fail_on, find_workspace, out, progress_bar, state
from dalin.cli.messages import message
from dalin.config import env_database_owner_url, env_database_url
from dalin.errors import DalinError
from dalin.transfer import TransferReport, to_postgres, to_sqlite

db_app: typer.Typer = typer.Typer(
    help="The PostgreSQL database of many workspaces. / 여러 작업공간의 PostgreSQL 데이터베이스.",
    no_args_is_help=True,
)


@db_app.command("migrate")
def db_migrate(
    owner_url: Annotated[
        str | None,
        typer.Option(
            "--owner-url",
            help="URL of the role that owns the schema (default: DALIN_DATABASE_OWNER_URL).",
        ),
    ] = None,
    app_role: Annotated[
        str, typer.Option(help="The role the serving processes log in as (never the owner).")
    ] = "dalin_app",
) -> None:
    """Create or upgrade the schema and grant the app role its rights. / 스키마를 만들거나
    올립니다."""
    from dalin.stores.postgres_db import connect
    from dalin.stores.postgres_schema import migrate

    url = owner_url or env_database_owner_url()
    if not url:
        fail(message("db.no_owner_url", state().lang))
    try:
        with connect(url) as conn:
            version = migrate(conn, app_role)
    except DalinError as exc:
        fail_on(exc)
    out.print(message("db.migrated", state().lang, version=version, role=app_role))


@db_app.command("status")
def db_status() -> None:
    """Check the database as a serving process would: schema, role, durability.
    / 서비스 프로세스처럼 데이터베이스를 점검합니다."""
    from dalin.stores.postgres_db import Database

    url = env_database_url()
    if not url:
        fail(message("db.no_url", state().lang))
    try:
        database = Database(url, pool_size=1)
        with database.transaction() as conn:
            count = conn.execute("SELECT count(*) FROM workspaces").fetchone()[0]
        database.close()
    except DalinError as exc:
        fail_on(exc)
    out.print(message("db.ok", state().lang, workspaces=count))


def migrate_command(
    to: Annotated[str, typer.Option("--to", help="postgres or sqlite.")],
    target: Annotated[
        str | None,
        typer.Argument(
            help="postgres: the database URL (default: DALIN_DATABASE_URL);"
            " sqlite: the folder of the new workspace."
        ),
    ] = None,
    name: Annotated[
        str, typer.Option(help="The workspace's name in the database (default: the folder's).")
    ] = "",
    switch: Annotated[
        bool,
        typer.Option(help="postgres: afterwards the folder points to the database."),
    ] = True,
) -> None:
    """Copy this workspace into PostgreSQL (or one PostgreSQL workspace out into SQLite),
    then check the copy. / 작업공간을 PostgreSQL로 옮기고 (또는 SQLite로 내보내고) 확인합니다."""
    folder = find_workspace().expanduser().resolve()
    try:
        with progress_bar() as bar:
            task = bar.add_task(message("migrate.progress", state().lang), total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            if to == "postgres":
                url = target or env_database_url()
                if not url:
                    fail(message("db.no_url", state().lang))
                report = to_postgres(
                    folder, url, name or folder.name, switch=switch, progress=progress
                )
            elif to == "sqlite":
                if not target:
                    fail(message("migrate.no_folder", state().lang))
                report = to_sqlite(folder, Path(target).expanduser().resolve(), progress=progress)
            else:
                fail(message("migrate.bad_target", state().lang, to=to))
    except DalinError as exc:
        fail_on(exc)
    _print(report)
    if to == "postgres" and switch:
        err.print(message("migrate.switched", state().lang, folder=folder))


def _print(report: TransferReport) -> None:
    vectors = ", ".join(f"{e} {n}" for e, n in report.vectors.items()) or "0"
    out.print(
        message(
            "migrate.done",
            state().lang,
            documents=report.documents,
            chunks=report.chunks,
            tables=report.tables,
            vectors=escape(vectors),
            answers=report.answers,
            evaluations=report.evaluations,
            files=", ".join(report.files) or "-",
            uploads=report.uploads,
        )
    )
    out.print(
        message("migrate.checked", state().lang, queries=report.queries, agreement=report.agreement)
    )
