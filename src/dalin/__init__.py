"""dalin (달인): a business's own documents as a cited, self-hosted expert assistant.

>>> import dalin
>>> ws = dalin.Workspace.create("my-workspace")          # doctest: +SKIP
>>> ws.add(["규정/"])                                      # doctest: +SKIP
>>> ws.ask("연차휴가는 며칠인가요?").text                  # doctest: +SKIP
"""

from dalin.errors import DalinError, DocumentNotFound, ParseError, WorkspaceError
from dalin.types import (
    Answer,
    Chunk,
    Citation,
    Document,
    DocumentInfo,
    FailedFile,
    Hit,
    IngestReport,
)
from dalin.workspace import Workspace

__version__ = "0.1.0"

__all__ = [
    "Answer",
    "Chunk",
    "Citation",
    "DalinError",
    "Document",
    "DocumentInfo",
    "DocumentNotFound",
    "FailedFile",
    "Hit",
    "IngestReport",
    "ParseError",
    "Workspace",
    "WorkspaceError",
    "__version__",
]
