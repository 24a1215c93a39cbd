"""Domain profiles ("industry packs"): the assistant's role, instructions, style and glossary.

A profile is plain TOML data in the workspace (``profile.toml``), seeded from one of the
packs shipped in ``dalin/profiles/packs`` by ``dalin init --domain NAME``. Users edit it
freely; a missing key falls back to the general pack, so a half-edited file still works.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dalin.errors import WorkspaceError

PROFILE_NAME = "profile.toml"
DEFAULT_PACK = "general"
_TEXT_KEYS = ("title", "role", "instructions", "style")


@dataclass(frozen=True)
class Profile:
    """What the assistant is told about its domain, in Korean and English."""

    name: str
    title: str
    title_en: str
    role: str
    role_en: str
    instructions: str
    instructions_en: str
    style: str
    style_en: str
    #: a term and the terms a search for it also looks for
    glossary: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def instructions_for(self, language: str) -> str:
        """Role, domain instructions and style as one block for the system prompt."""
        en = language == "en"
        parts = (
            self.role_en if en else self.role,
            (self.instructions_en if en else self.instructions).strip(),
            self.style_en if en else self.style,
        )
        return "\n".join(p.strip() for p in parts if p.strip())


def packs() -> list[str]:
    """Names of the packs shipped with dalin."""
    folder = resources.files("dalin.profiles") / "packs"
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def pack_text(name: str) -> str:
    """The TOML text of a shipped pack, to be written into a workspace."""
    if name not in packs():
        raise WorkspaceError(f'no domain pack named "{name}"; choose one of: {", ".join(packs())}')
    return (resources.files("dalin.profiles") / "packs" / f"{name}.toml").read_text("utf-8")


def _parse(text: str, where: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WorkspaceError(f"{where}: not valid TOML ({exc}); fix or delete the file") from exc


def _glossary(raw: object, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise WorkspaceError(f"{where}: [glossary] must be a table of term = [synonyms]")
    glossary: dict[str, tuple[str, ...]] = {}
    for term, synonyms in raw.items():
        values = [synonyms] if isinstance(synonyms, str) else synonyms
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise WorkspaceError(f'{where}: glossary entry "{term}" must be a list of words')
        glossary[str(term)] = tuple(v.strip() for v in values if v.strip())
    return glossary


def load_profile(workspace: Path) -> Profile:
    """The workspace's profile; the general pack where the file or a key is missing."""
    path = workspace / PROFILE_NAME
    return parse_profile(path.read_text(encoding="utf-8") if path.exists() else None, str(path))


def parse_profile(text: str | None, where: str = PROFILE_NAME) -> Profile:
    """A profile from the text of a ``profile.toml`` (None: the file is missing)."""
    base = _parse(pack_text(DEFAULT_PACK), DEFAULT_PACK)
    data = _parse(text, where) if text is not None else base
    merged: dict[str, str] = {}
    for key in _TEXT_KEYS:
        for variant in (key, f"{key}_en"):
            value = data.get(variant, base.get(variant, ""))
            if not isinstance(value, str):
                raise WorkspaceError(f'{where}: "{variant}" must be text')
            merged[variant] = value
    name = data.get("name", DEFAULT_PACK)
    glossary = _glossary(data.get("glossary", {}), where)
    return Profile(name=str(name), glossary=glossary, **merged)
