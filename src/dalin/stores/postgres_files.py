"""A workspace's small text files in PostgreSQL (``workspace_files``), for serving processes
that share nothing but the database."""

from __future__ import annotations

from dalin.stores.postgres_db import Database


class DatabaseFiles:
    """``dalin.toml``, ``profile.toml`` and ``glossary.txt`` of one workspace, in the database."""

    def __init__(self, db: Database, workspace: str) -> None:
        self.db = db
        self.workspace = workspace

    def stamp(self, name: str) -> object:
        """The file's version (one more at every write), None when it is missing."""
        with self.db.transaction(self.workspace) as conn:
            row = conn.execute(
                "SELECT version FROM workspace_files WHERE name = %s", (name,)
            ).fetchone()
        return None if row is None else int(row[0])

    def read(self, name: str) -> str | None:
        with self.db.transaction(self.workspace) as conn:
            row = conn.execute(
                "SELECT text FROM workspace_files WHERE name = %s", (name,)
            ).fetchone()
        return None if row is None else str(row[0])

    def write(self, name: str, text: str) -> None:
        with self.db.transaction(self.workspace) as conn:
            conn.execute(
                "INSERT INTO workspace_files (workspace, name, text) VALUES (%s, %s, %s)"
                " ON CONFLICT (workspace, name)"
                " DO UPDATE SET text = excluded.text, version = workspace_files.version + 1",
                (self.workspace, name, text),
            )

    def where(self, name: str) -> str:
        return f"{name} of workspace {self.workspace} (PostgreSQL)"
