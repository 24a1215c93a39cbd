"""A workspace's small text files in its folder (the embedded default)."""

from __future__ import annotations

import os
from pathlib import Path


class FolderFiles:
    """``dalin.toml``, ``profile.toml`` and ``glossary.txt`` as files in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def stamp(self, name: str) -> object:
        """(size, modification time), None when the file is missing."""
        try:
            info = (self.folder / name).stat()
        except FileNotFoundError:
            return None
        return (info.st_size, info.st_mtime_ns)

    def read(self, name: str) -> str | None:
        path = self.folder / name
        return path.read_text(encoding="utf-8") if path.exists() else None

    def write(self, name: str, text: str) -> None:
        """Write through a temporary file renamed over the old one, readable by its owner."""
        path = self.folder / name
        tmp = path.with_name(f".{name}.tmp")
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            out.write(text)
        tmp.replace(path)

    def where(self, name: str) -> str:
        return str(self.folder / name)
