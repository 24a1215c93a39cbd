"""The page a Hangul paragraph starts on, from the layout 한글 saved with the document.

HWP (PARA_LINE_SEG) and HWPX (``hp:linesegarray``) keep, for every line of a body
paragraph, its vertical position on the page as 한글 laid it out when it last saved the
file. A line placed back at the top of the body, above the line before it, starts a new
page; a line merely higher sits beside a float, not on a new page. A new column of a
multi-column section looks the same as a new page, so pages are not counted in such a
document at all. Pages stay unknown (None) for a file saved without this layout.

The count can fall short where one table runs over several pages: its anchor is a single
line. Hence "the page where the file records it", not the printed one.
"""

from __future__ import annotations

from collections.abc import Sequence

#: HWPUNIT (1/7200 inch) from the top of the body within which a line may open a page
_PAGE_TOP = 4000


class PageCounter:
    """Pages of one document's body paragraphs, fed in reading order."""

    def __init__(self) -> None:
        self.number = 1  # the page of the last line seen
        self.start = 1  # the page the last paragraph starts on
        self.previous: int | None = None
        self.lowest = 0  # the lowest line seen: about the height of a page's body
        self.single_column = True
        self.seen = False  # the file holds a layout at all

    def turn(self, positions: Sequence[int], *, page_break: bool = False) -> None:
        """Move on to the page a paragraph starts on, given its lines' positions."""
        if page_break and self.seen:
            self.number += 1
        for index, position in enumerate(positions):
            top = max(_PAGE_TOP, self.lowest // 8)
            if self.previous is not None and position < self.previous and position <= top:
                self.number += 1
            self.previous = position
            self.lowest = max(self.lowest, position)
            if index == 0:
                self.start = self.number
        self.seen = self.seen or bool(positions)

    def columns(self, count: int) -> None:
        """A section's column count: more than one makes pages unknowable."""
        self.single_column = self.single_column and count <= 1

    def current(self) -> int | None:
        """The page the last paragraph started on, if known."""
        return self.start if self.single_column and self.seen else None

    def count(self) -> int | None:
        """Pages in the document, if known."""
        return self.number if self.single_column and self.seen else None
