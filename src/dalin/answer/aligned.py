"""Tables a PDF drew with spaces: a header line of column names over lines of values.

An invoice or an estimate in a PDF often has no ruled table, only columns lined up by
spaces, and text extraction gives them back as lines::

    ITEM DESCRIPTION QUANTITY PRICE (€) AMOUNT (€)
    2 Turbo Flyer 5 40.00 200.00
    Body Labor 2 150 300

Until such a table is stored as one (a parser's job), the reader reads these lines itself:
the numbers at the end of a line fill the header's last columns, right to left (the
columns that hold numbers are the rightmost ones), and the words before them name the row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dalin.answer.evidence import Unit

#: a cell value: a number, a percentage, an amount with a currency sign, or "-" (none)
_VALUE = re.compile(r"^(?:[-+]?[₩$€£]?\d[\d,]*(?:\.\d+)?%?|-|–)$")
#: a parenthesised unit after a column name: "PRICE (€)", "금액(원)"
_UNIT = re.compile(r"\([^)]{1,6}\)")
_MAX_COLUMNS = 8
#: lines without values (a sub-heading such as "Supplies") a table may hold between rows
_MAX_GAP = 2


@dataclass(frozen=True)
class AlignedRow:
    """One line of a space-aligned table, read against its header."""

    unit: Unit
    label: str
    #: column name → value, for the columns the line fills
    cells: tuple[tuple[str, str], ...]


def aligned_rows(units: Sequence[Unit]) -> list[AlignedRow]:
    """The rows of every space-aligned table among ``units`` (one passage, in order)."""
    rows: list[AlignedRow] = []
    columns: list[str] = []
    gap = 0
    for unit in units:
        if unit.kind in ("row", "field"):  # a stored table's rendered row, a "label: value"
            columns = []
            continue
        line = unit.display
        values, label = _split(line)
        if values and columns:
            names = columns[-len(values) :] if len(values) <= len(columns) else []
            if names and label:
                rows.append(AlignedRow(unit, label, tuple(zip(names, values, strict=True))))
            gap = 0
            continue
        header = _header(line)
        if header:
            columns, gap = header, 0
            continue
        gap += 1
        if gap > _MAX_GAP:
            columns = []
    return rows


def _split(line: str) -> tuple[list[str], str]:
    """The values at the end of ``line`` and the words before them."""
    words = line.split()
    values: list[str] = []
    while words and _VALUE.match(words[-1]):
        values.insert(0, words.pop())
    if words and re.fullmatch(r"\d{1,3}", words[0]):
        words = words[1:]  # a line number ("2 Turbo Flyer …")
    return values, " ".join(words)


def _header(line: str) -> list[str]:
    """Column names when ``line`` is a header: two or more words, no digits."""
    bare = _UNIT.sub(" ", line)
    names = bare.split()
    if not 2 <= len(names) <= _MAX_COLUMNS or re.search(r"[\d|:]", bare):
        return []
    if any(len(n) > 20 for n in names) or line.rstrip().endswith((".", ":", "?")):
        return []
    return names
