"""A PDF page's text split around its tables: ruled ones first, then aligned ones.

``pdf_tables`` finds tables drawn with rules, ``pdf_columns`` tables laid out with
whitespace alone among the characters left; both are then put in text-layer order, a ruled
table moved up before the lines of text just ahead of it that lie below it on the page
(``pdf_tables.layout``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dalin.ingest.parsers.pdf_columns import aligned_tables, might_hold_aligned_table
from dalin.ingest.parsers.pdf_tables import (
    Chars,
    PdfTable,
    candidate_grids,
    layout,
    ruled_tables,
    upright,
)


def split_tables(page: Any, textpage: Any, text: str) -> list[str | PdfTable]:
    """A page's text around its tables, in text-layer order; [] when it has none.

    ``page`` and ``textpage`` are pypdfium2's ``PdfPage`` and ``PdfTextPage``; a cheap look
    at the page's ``text`` decides whether aligned tables are worth placing every
    character for.
    """
    grids = candidate_grids(page)
    seek_aligned = upright(page) and might_hold_aligned_table(text)
    if not grids and not seek_aligned:
        return []
    characters: Sequence[str]
    heights: Sequence[float] | None = None
    if grids:
        chars = Chars(textpage.raw)
        tables, characters, heights = ruled_tables(grids, chars), chars.text, chars.y
    else:
        tables, characters = [], _characters(textpage)
    if seek_aligned:
        taken = {index for indices, _ in tables for index in indices}
        tables += aligned_tables(textpage.raw, characters, taken)
    return layout(characters, tables, heights) if tables else []


def _characters(textpage: Any) -> Sequence[str]:
    """The text layer's characters by index, in one call (``Chars`` asks for each one);
    per character when the text's length disagrees (a character outside the BMP)."""
    text = str(textpage.get_text_range())
    if len(text) == textpage.count_chars():
        return text
    return Chars(textpage.raw).text
