"""What dalin read from a document, in document order: its text under the labels citations
use (article, page, slide, sheet range) and its stored tables as header and rows.

Built from the stored chunks, not by parsing the file again: what a viewer shows is exactly
what search and answers work with. Consecutive chunks under one label (a long article cut
in two) read as one block.
"""

from __future__ import annotations

from collections.abc import Sequence

from dalin.tools.tables import table_label
from dalin.types import (
    Chunk,
    ContentBlock,
    ContentTable,
    DocumentContent,
    DocumentInfo,
    StoredTable,
)


def document_content(
    document: DocumentInfo, chunks: Sequence[Chunk], tables: Sequence[StoredTable]
) -> DocumentContent:
    """The content of ``document`` from its chunks (in document order) and stored tables."""
    return DocumentContent(
        document=document,
        blocks=tuple(_blocks(chunks)),
        tables=tuple(_table(t) for t in tables),
    )


def _blocks(chunks: Sequence[Chunk]) -> list[ContentBlock]:
    blocks: list[ContentBlock] = []
    end = -1
    for chunk in chunks:
        last = blocks[-1] if blocks else None
        if last is not None and (last.label, last.kind) == (chunk.label, chunk.kind):
            # text no chunk holds between two (blank lines) reads as one line break
            glue = "\n" if chunk.start > end else ""
            blocks[-1] = ContentBlock(last.label, last.kind, last.text + glue + chunk.text)
        else:
            blocks.append(ContentBlock(chunk.label, chunk.kind, chunk.text))
        end = chunk.end
    return blocks


def _table(stored: StoredTable) -> ContentTable:
    table = stored.table
    name = table.caption or table.sheet or f"표 {stored.index}"
    return ContentTable(label=table_label(stored), name=name, header=table.header, rows=table.rows)
