"""What dalin read from a document, in document order: its text under the labels citations
use (article, page, slide, sheet range) and its stored tables as header and rows; and the
passage a citation points to, from the chunks that cover its span.

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
    Passage,
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


def text_between(chunks: Sequence[Chunk], start: int, end: int) -> str:
    """The text the ``chunks`` (of one document) hold from ``start`` to ``end``."""
    parts = []
    for chunk in chunks:
        lo, hi = max(start, chunk.start), min(end, chunk.end)
        if hi > lo:
            parts.append(chunk.text[lo - chunk.start : hi - chunk.start])
    return "\n".join(parts)


def text_at(chunks: Sequence[Chunk], start: int, end: int) -> str:
    """The text the ``chunks`` (of one document, in document order) hold from ``start`` to
    ``end``, at the document's own offsets: character ``i`` is the document's character
    ``start + i``, so what is found in it can be cited where it stands. What no chunk holds
    (the blank lines between passages) reads as line breaks; overlapping text once."""
    parts: list[str] = []
    cursor = start
    for chunk in chunks:
        lo, hi = max(cursor, chunk.start), min(end, chunk.end)
        if hi <= lo:
            continue
        if lo > cursor:
            parts.append("\n" * (lo - cursor))
        parts.append(chunk.text[lo - chunk.start : hi - chunk.start])
        cursor = hi
    return "".join(parts)


def passage_of(document: DocumentInfo, chunks: Sequence[Chunk], start: int, end: int) -> Passage:
    """The ``chunks`` of ``document`` covering ``[start, end)`` (at least one, in document
    order) as one passage. Text between two chunks that no chunk holds (blank lines) is shown
    as one line break; ``Passage.highlight`` accounts for it."""
    parts: list[str] = []
    # each part: (document offset, offset in the passage text, length)
    spans: list[tuple[int, int, int]] = []
    cursor, length = chunks[0].start, 0
    for chunk in chunks:
        if chunk.end <= cursor:
            continue
        if chunk.start > cursor:
            parts.append("\n")
            length += 1
        begin = max(chunk.start, cursor)
        spans.append((begin, length, chunk.end - begin))
        parts.append(chunk.text[begin - chunk.start :])
        length += chunk.end - begin
        cursor = chunk.end

    def local(offset: int) -> int:
        base, at, size = max((s for s in spans if s[0] <= offset), default=spans[0])
        return at + min(max(offset - base, 0), size)

    first = chunks[0]
    return Passage(
        doc_id=document.id,
        name=document.name,
        label=first.label,
        page=first.page,
        section=first.section,
        text="".join(parts),
        start=first.start,
        end=cursor,
        highlight=(local(max(start, first.start)), local(min(end, cursor))),
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
