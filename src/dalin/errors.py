"""The exception tree of dalin.

Every error a user can see derives from :class:`DalinError`::

    DalinError
    ├── WorkspaceError
    │   ├── WorkspaceNotFound        no workspace at the given path
    │   └── WorkspaceExists          create() on a folder that already holds one
    ├── StoreError
    │   └── SchemaTooNew             the database was written by a newer dalin
    ├── DocumentNotFound             remove()/lookup of a document the store does not hold
    └── ParseError                   one file could not be read; the batch goes on
        ├── UnsupportedFormat        no parser for this file type
        ├── EmptyDocument            the file is empty or holds no text
        ├── NoTextLayer              a PDF of page images (needs OCR)
        ├── EncryptedDocument        password or DRM protected
        ├── CorruptDocument          damaged, truncated, or not what its name says
        ├── UndecodableText          text in an encoding we cannot determine
        └── LimitExceeded            larger, deeper or slower than the configured limits

A :class:`ParseError` carries a stable ``code`` (used for the Korean/English message
catalogue and stored beside the document) and an English ``detail``.
"""

from __future__ import annotations


class DalinError(Exception):
    """Base class of every error dalin raises on purpose."""


class WorkspaceError(DalinError):
    """A workspace could not be created or opened."""


class WorkspaceNotFound(WorkspaceError):
    """No dalin workspace exists at the given path."""


class WorkspaceExists(WorkspaceError):
    """A workspace already exists at the given path."""


class StoreError(DalinError):
    """The store failed or is in a state this version cannot use."""


class SchemaTooNew(StoreError):
    """The database schema is newer than this version of dalin understands."""


class DocumentNotFound(DalinError):
    """The workspace holds no document matching the given path or id."""


class ParseError(DalinError):
    """A file could not be turned into a Document."""

    code = "parse_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class UnsupportedFormat(ParseError):
    code = "unsupported"


class EmptyDocument(ParseError):
    code = "empty"


class NoTextLayer(ParseError):
    code = "no_text_layer"


class EncryptedDocument(ParseError):
    code = "encrypted"


class CorruptDocument(ParseError):
    code = "corrupt"


class UndecodableText(ParseError):
    code = "undecodable"


class LimitExceeded(ParseError):
    code = "limit_exceeded"
