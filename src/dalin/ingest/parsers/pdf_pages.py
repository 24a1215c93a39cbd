"""Running headers and footers of a PDF, and the page numbers printed on its pages.

A page's furniture is found by position and repetition, across the whole document:

1. Candidates. The two lines nearest the top and the two nearest the bottom of each page,
   by where PDFium places their first character — not by text order: generators often
   write the header last ("ZAVA AUTO REPAIR" ends its page's text layer).
2. Folios. A candidate that is nothing but a page number ("- 3 -", "12", "Page 3 of 10").
3. Running lines. A short candidate whose text, page numbers aside, recurs among the
   candidates of at least two pages and a third of all pages ("Apple Inc. | Q3 2022 Form
   10-Q | 3", "제414회-환경노동제1차(2024년5월7일) 5").

The printed page number of a page is its /PageLabels entry when the file has any;
otherwise the number its folio or running line carries, kept only for pages whose number
agrees with the offset most numbered pages share (a cover and a table of contents before
"- 1 -" push every printed number two below the physical one).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium

from dalin.ingest.structure import folio

#: candidates per page edge
_EDGE_LINES = 2
_SPACE = re.compile(r"\s+")
_END_NUMBERS = re.compile(r"^\d+|\d+$")
_NUMBER = re.compile(r"\d+")
_MIN_KEY = 3
#: a running line is short: a longer one recurring at a page's edge is a repeated
#: paragraph (a disclaimer), not furniture
_MAX_RUNNING = 60
_PRINTED = re.compile(r"^(\d{1,4})\D.*|.*\D(\d{1,4})$")


@dataclass(frozen=True)
class Edges:
    """A page's lines nearest its top (topmost first) and bottom (bottommost last)."""

    top: tuple[str, ...] = ()
    bottom: tuple[str, ...] = ()


@dataclass(frozen=True)
class Furniture:
    """A page's running header and footer lines, as they appear in its text."""

    header: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()


def page_edges(textpage: Any) -> Edges:
    """The candidate lines of one page (``textpage`` is pypdfium2's ``PdfTextPage``)."""
    text = str(textpage.get_text_range())
    placed: list[tuple[float, float, str]] = []  # (top, bottom, line)
    position = 0
    for raw in text.split("\n"):
        line = raw.strip()
        first = position + len(raw) - len(raw.lstrip())
        position += len(raw) + 1
        if not line:
            continue
        try:
            _, bottom, _, top = textpage.get_charbox(first)
        except pdfium.PdfiumError:
            continue
        if top > bottom:
            placed.append((float(top), float(bottom), line))
    if not placed:
        return Edges()
    by_top = sorted(placed, key=lambda p: -p[0])
    top = tuple(p[2] for p in by_top[:_EDGE_LINES])
    rest = by_top[_EDGE_LINES:]
    bottom = tuple(p[2] for p in sorted(rest, key=lambda p: -p[1])[-_EDGE_LINES:])
    return Edges(top, bottom)


def _key(line: str) -> str:
    """A line with its page numbers taken out: what stays the same from page to page."""
    compact = _SPACE.sub("", line)
    return _NUMBER.sub("#", _END_NUMBERS.sub("", compact))


def find_furniture(edges: Sequence[Edges]) -> list[Furniture]:
    """Each page's running header and footer lines (see the module docstring)."""
    pages: Counter[str] = Counter()
    for page in edges:
        pages.update({_key(line) for line in (*page.top, *page.bottom)})
    needed = max(2, -(-len(edges) // 3))

    def running(line: str) -> bool:
        key = _key(line)
        if folio(line) is not None:
            return True
        return len(line) <= _MAX_RUNNING and len(key) >= _MIN_KEY and pages[key] >= needed

    return [
        Furniture(
            tuple(line for line in page.top if running(line)),
            tuple(line for line in page.bottom if running(line) and line not in page.top),
        )
        for page in edges
    ]


def _printed_number(furniture: Furniture) -> int | None:
    """The page number a page's furniture prints: a folio's, else one at a running line's
    start or end."""
    lines = (*furniture.footer, *furniture.header)
    for line in lines:
        if (number := folio(line)) is not None and number.isdigit():
            return int(number)
    for line in lines:
        if m := _PRINTED.match(_SPACE.sub(" ", line).strip()):
            return int(next(g for g in m.groups() if g))
    return None


def printed_labels(document: Any, furniture: Sequence[Furniture]) -> tuple[str, ...]:
    """The printed page number of each page where it differs from the physical one."""
    count = len(furniture)
    try:
        labels = [str(document.get_page_label(i)) for i in range(count)]
    except pdfium.PdfiumError:
        labels = []
    if any(labels):
        return tuple("" if label == str(i + 1) else label for i, label in enumerate(labels))
    numbers = [_printed_number(f) for f in furniture]
    offsets = Counter(n - i - 1 for i, n in enumerate(numbers) if n is not None)
    if not offsets:
        return ()
    offset, votes = offsets.most_common(1)[0]
    # one page (a single page from a booklet) speaks for itself; more need a majority
    if offset == 0 or (count > 1 and votes * 2 <= sum(offsets.values())) or votes < min(2, count):
        return ()
    return tuple(
        str(n) if n is not None and n - i - 1 == offset else "" for i, n in enumerate(numbers)
    )


def split_furniture(text: str, furniture: Furniture) -> tuple[str, str, str]:
    """(header, body, footer): the page text with its furniture lines taken out of it."""
    wanted = {"header": list(furniture.header), "footer": list(furniture.footer)}
    found: dict[str, list[str]] = {"header": [], "footer": []}
    body: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        role = next((r for r, lines in wanted.items() if stripped in lines), None)
        if role is None:
            body.append(line)
        else:
            wanted[role].remove(stripped)
            found[role].append(stripped)
    return "\n".join(found["header"]), "\n".join(body), "\n".join(found["footer"])
