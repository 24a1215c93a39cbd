"""The Parser interface: bytes in, Document out, hostile input refused with a ParseError."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from dalin.ingest.limits import Limits
from dalin.types import Document


@runtime_checkable
class Parser(Protocol):
    """Turns the bytes of one file into a Document.

    Implementations are pure (no file system or network access), raise only
    ``dalin.errors.ParseError`` subclasses for bad input, and honour ``limits``.
    """

    #: lower-case file name suffixes this parser reads, e.g. (".md", ".markdown")
    suffixes: tuple[str, ...]
    #: short format name stored with the document, e.g. "pdf"
    format: str

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document: ...
