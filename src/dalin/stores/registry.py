"""Store backends by name, in one place: ``[store] backend`` in ``dalin.toml``.

* ``sqlite`` (the default): ``dalin.db`` in the workspace folder; settings, profile and
  glossary are files beside it.
* ``postgres``: the workspace is a row of ``workspaces`` in a PostgreSQL database (URL
  from ``DALIN_DATABASE_URL`` or ``[store] url``), named by ``[store] workspace`` (default:
  the folder's name). Its settings, profile and glossary are kept in the database too
  (``workspace_files``); a folder's ``dalin.toml`` only points there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from dalin.config import CONFIG_NAME, Settings, env_database_url, load_settings, parse_settings
from dalin.errors import WorkspaceError, WorkspaceNotFound
from dalin.stores.base import Store, WorkspaceFiles
from dalin.stores.files import FolderFiles

DB_NAME = "dalin.db"
_BACKEND = re.compile(r"^\s*backend\s*=.*$", re.MULTILINE)


@dataclass(frozen=True)
class OpenedStore:
    """A workspace's store, its small files, and its settings as kept with them."""

    store: Store
    files: WorkspaceFiles
    settings: Settings


def database_url(settings: Settings) -> str:
    """The PostgreSQL URL: ``DALIN_DATABASE_URL``, else ``[store] url``."""
    url = env_database_url() or settings.store_url
    if not url:
        raise WorkspaceError(
            '[store] backend = "postgres" needs the database URL: set DALIN_DATABASE_URL'
            " (or [store] url) / PostgreSQL 주소가 필요합니다: DALIN_DATABASE_URL을 설정하세요"
        )
    return url


def workspace_name(folder: Path, settings: Settings) -> str:
    """The workspace's name in the database."""
    return settings.store_workspace or folder.name


def open_store(folder: Path, settings: Settings, *, create: bool = False) -> OpenedStore:
    """The store of the workspace in ``folder`` whose ``dalin.toml`` gave ``settings``
    (``create``: a new SQLite file may be made)."""
    if settings.store_backend == "postgres":
        return open_postgres(database_url(settings), workspace_name(folder, settings))
    from dalin.stores.sqlite import SQLiteStore

    if not create and not (folder / DB_NAME).is_file():
        raise WorkspaceNotFound(f"no dalin workspace in {folder}; create one with `dalin init`")
    return OpenedStore(SQLiteStore(folder / DB_NAME), FolderFiles(folder), settings)


def open_postgres(url: str, workspace: str) -> OpenedStore:
    """Workspace ``workspace`` of the database at ``url``, with the settings kept there."""
    from dalin.stores.postgres import PostgresStore
    from dalin.stores.postgres_db import database
    from dalin.stores.postgres_files import DatabaseFiles

    db = database(url)
    store = PostgresStore(db, workspace)
    files = DatabaseFiles(db, workspace)
    text = files.read(CONFIG_NAME)
    settings = parse_settings(text, f"{workspace}/{CONFIG_NAME} (database)") if text else Settings()
    # the settings kept in the database do not say where they are kept: that is known here
    settings = replace(settings, store_backend="postgres", store_workspace=workspace)
    return OpenedStore(store, files, settings)


def create_postgres(url: str, workspace: str, *, domain: str, files: dict[str, str]) -> None:
    """Register ``workspace`` in the database with its small files (``files``: name → text)."""
    from dalin.stores.postgres import create_workspace
    from dalin.stores.postgres_db import database
    from dalin.stores.postgres_files import DatabaseFiles

    db = database(url)
    create_workspace(db, workspace, domain=domain)
    target = DatabaseFiles(db, workspace)
    for name, text in files.items():
        target.write(name, text)


def points_elsewhere(folder: Path) -> bool:
    """Whether ``folder``'s ``dalin.toml`` names a store other than SQLite."""
    return (folder / CONFIG_NAME).is_file() and load_settings(folder).store_backend != "sqlite"


def with_backend(config: str, backend: str) -> str:
    """A ``dalin.toml`` text whose ``[store] backend`` is ``backend``."""
    if _BACKEND.search(config):
        return _BACKEND.sub(f'backend = "{backend}"', config, count=1)
    return config.rstrip("\n") + f'\n\n[store]\nbackend = "{backend}"\n'


def pointer_config(workspace: str) -> str:
    """The ``dalin.toml`` of a folder whose workspace lives in PostgreSQL."""
    return (
        "# This workspace lives in PostgreSQL (DALIN_DATABASE_URL): its settings, profile and\n"
        "# glossary are kept in the database (`dalin glossary` edits the glossary there).\n"
        f'[store]\nbackend = "postgres"\nworkspace = "{workspace}"\n'
    )
