"""The workspace glossary: synonyms and abbreviations that expand a query.

A business writes "부가세" in one document and "부가가치세" in the next, and asks about "4대보험"
when the rules name each insurance. ``glossary.txt`` in the workspace holds one entry a line::

    # term = what it also means (comma-separated)
    부가세 = 부가가치세
    4대보험 = 국민연금, 건강보험, 고용보험, 산재보험

A query containing the term is expanded with everything on its right; a query containing
one of those is expanded with the term alone, not with its siblings (asking about 국민연금
is not asking about 고용보험). The domain pack's ``[glossary]`` (``profile.toml``) is read
too; the workspace file wins for a term both define.

Matching is on the normalised text, so a term is found with a particle attached ("부가세는");
terms shorter than two characters are refused, since they would match inside other words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dalin.errors import WorkspaceError
from dalin.text.korean import normalize, tokenize

GLOSSARY_NAME = "glossary.txt"
_MIN_TERM_CHARS = 2
_HEADER = (
    "# dalin glossary: one entry a line, `term = synonym, synonym`.\n"
    "# A question with the term also searches for the synonyms, and the reverse.\n"
)
_LATIN = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Expansion:
    """What a query matched in the glossary: each found term with the words it adds."""

    query: str
    added: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def words(self) -> tuple[str, ...]:
        """Every added word, once, in glossary order."""
        return tuple(dict.fromkeys(w for words in self.added.values() for w in words))

    def equivalents(self) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
        """(tokens of a found term, tokens of one word it adds): a passage holding the second
        holds the first, for deciding whether the passage answers the question."""
        pairs: list[tuple[frozenset[str], frozenset[str]]] = []
        for term, words in self.added.items():
            found = frozenset(tokenize(term))
            pairs.extend((found, frozenset(tokenize(w))) for w in words if tokenize(w))
        return tuple(p for p in pairs if p[0])


def _key(term: str) -> str:
    return normalize(term).strip().lower()


def _contains(text: str, term: str) -> bool:
    """Whether ``term`` occurs in ``text``; Latin terms only as whole words (not "vat" in
    "vatican")."""
    if _LATIN.search(term):
        return re.search(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])", text) is not None
    return term in text


@dataclass(frozen=True)
class Glossary:
    """Terms and what each also means, with where each entry came from."""

    entries: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)

    def expand(self, query: str) -> Expansion:
        text = _key(query)
        added: dict[str, list[str]] = {}
        for term, words in self.entries.items():
            if _contains(text, _key(term)):
                added.setdefault(term, []).extend(words)
            for word in words:  # the reverse direction: back to the term only
                if _contains(text, _key(word)):
                    added.setdefault(word, []).append(term)
        clean = {
            found: tuple(w for w in dict.fromkeys(words) if not _contains(text, _key(w)))
            for found, words in added.items()
        }
        return Expansion(query, {t: w for t, w in clean.items() if w})

    def __len__(self) -> int:
        return len(self.entries)


def parse_line(line: str, where: str = "glossary") -> tuple[str, tuple[str, ...]] | None:
    """``term = a, b`` → (term, (a, b)); None for a blank or comment line."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    if "=" not in stripped:
        raise WorkspaceError(f'{where}: "{stripped}" needs the form `term = synonym, synonym`')
    term, _, rest = stripped.partition("=")
    term = term.strip()
    words = tuple(w.strip() for w in rest.split(",") if w.strip())
    if len(term) < _MIN_TERM_CHARS or any(len(w) < _MIN_TERM_CHARS for w in words):
        raise WorkspaceError(
            f'{where}: "{stripped}": terms need at least {_MIN_TERM_CHARS} letters'
        )
    if not words:
        raise WorkspaceError(f'{where}: "{stripped}" names no synonym after "="')
    return term, words


def parse(text: str, where: str = GLOSSARY_NAME) -> dict[str, tuple[str, ...]]:
    entries: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        entry = parse_line(line, f"{where}:{number}")
        if entry:
            term, words = entry
            entries[term] = tuple(dict.fromkeys((*entries.get(term, ()), *words)))
    return entries


def format_entries(entries: Mapping[str, Iterable[str]]) -> str:
    lines = [f"{term} = {', '.join(words)}" for term, words in entries.items()]
    return _HEADER + "\n".join(lines) + ("\n" if lines else "")


def load_glossary(workspace: Path, pack: Mapping[str, tuple[str, ...]] | None = None) -> Glossary:
    """The workspace file's entries over the domain pack's."""
    path = workspace / GLOSSARY_NAME
    text = path.read_text(encoding="utf-8") if path.exists() else None
    return glossary_from_text(text, pack, str(path))


def glossary_from_text(
    text: str | None, pack: Mapping[str, tuple[str, ...]] | None = None, where: str = GLOSSARY_NAME
) -> Glossary:
    """The entries of a ``glossary.txt`` text (None: no file) over the domain pack's."""
    entries: dict[str, tuple[str, ...]] = {}
    sources: dict[str, str] = {}
    for term, words in (pack or {}).items():
        entries[term], sources[term] = tuple(words), "profile.toml"
    for term, words in parse(text or "", where).items():
        entries[term], sources[term] = words, GLOSSARY_NAME
    return Glossary(entries, sources)
