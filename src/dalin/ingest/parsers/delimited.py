"""Delimited text (.csv, .tsv): one table, every row cited by its record number.

Named ``delimited`` rather than ``csv`` so that ``import csv`` here is the standard library.

The encoding is found as for plain text (UTF-8, byte-order marks, CP949/EUC-KR, Shift-JIS,
then a statistical detector; see ``text.decode_text``). Record numbers count records as a
spreadsheet shows them (a quoted line break stays inside its record, a blank line is a
row), so "row 12" means what the user sees when opening the file in Excel.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import PurePath

from dalin.errors import CorruptDocument, EmptyDocument, LimitExceeded
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.text import decode_text
from dalin.types import Document

#: cells of the table once ragged rows are padded; beyond this the file is refused
MAX_CELLS = 5_000_000
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 200
_HEADER_CELL_CHARS = 64
# Figures, amounts, percentages and dates: what a header cell is not.
_VALUE_LIKE = re.compile(
    r"[-+(]?[₩$€¥£]?\s*[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:%|원|円)?\)?"
    r"|[0-9]{2,4}[-./][0-9]{1,2}[-./][0-9]{1,4}(?:[ T][0-9:.]+)?"
)


def decode_delimited(data: bytes, name: str) -> str:
    """Decode a CSV/TSV file exactly as plain text is decoded (see ``decode_text``).

    Raises:
        UndecodableText: no encoding reads the bytes without mojibake.
    """
    return decode_text(data, name)


def _field_counts(sample: str, delimiter: str) -> list[int]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
    try:
        return [len(r) for r in itertools.islice(reader, _SNIFF_RECORDS) if r]
    except csv.Error:  # a field beyond the size limit: this delimiter cannot be it
        return []


def _delimiter(text: str, suffix: str) -> str:
    """The delimiter that splits the first records most consistently into most fields.

    Not csv.Sniffer: its quote-guessing regular expressions take seconds on a few
    kilobytes of hostile input (16 KB of '"\\n' took 9 s), and this is as good on real
    files. Ties go to the usual delimiter for the suffix.
    """
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    candidates = "\t,;|" if suffix == ".tsv" else ",;\t|"
    best, best_score = candidates[0], (0.0, 1)
    for delimiter in candidates:
        counts = _field_counts(sample, delimiter)
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        score = (counts.count(common) / len(counts), common)
        if common > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


def _records(text: str, delimiter: str, name: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    records: list[list[str]] = []
    cells = 0
    try:
        for record in reader:
            cells += len(record)
            if cells > MAX_CELLS:
                raise LimitExceeded(
                    f"{name} holds more than {MAX_CELLS:,} cells; split it into smaller files"
                )
            records.append(record)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise LimitExceeded(
                f"{name} has a field longer than {csv.field_size_limit():,} characters, "
                'often an unclosed quote ("); check the quoting and add the file again'
            ) from None
        raise CorruptDocument(f"{name} is not readable as CSV: {error}") from None
    return records


def _looks_like_header(record: list[str]) -> bool:
    """Short labels, not figures or dates, filling at least half of two or more columns.

    A single column is a list (notes, names, sentences): no name to give its values.
    """
    cells = [c.strip() for c in record]
    filled = [c for c in cells if c]
    if len(cells) < 2 or len(filled) < 2 or 2 * len(filled) < len(cells):
        return False
    return all(len(c) <= _HEADER_CELL_CHARS and not _VALUE_LIKE.fullmatch(c) for c in filled)


def _column_span(records: list[list[str]]) -> tuple[int, int]:
    """1-based first and last column holding any text (edge columns left empty dropped)."""
    first, last = 0, 0
    for record in records:
        used = [i for i, cell in enumerate(record, start=1) if cell.strip()]
        if used:
            first = min(first or used[0], used[0])
            last = max(last, used[-1])
    return first, last


class CsvParser:
    """CSV and TSV: one table whose rows keep their record numbers for citations."""

    suffixes: tuple[str, ...] = (".csv", ".tsv")
    format: str = "csv"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        if not data:
            raise EmptyDocument("empty file (0 bytes)")
        text = decode_delimited(data, name)
        records = _records(text, _delimiter(text, PurePath(name).suffix.lower()), name)
        numbered = [(n, r) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)]
        if not numbered:
            raise EmptyDocument("the file holds no values")
        first, last = _column_span([r for _, r in numbered])
        if len(numbered) * (last - first + 1) > MAX_CELLS:
            raise LimitExceeded(
                f"{name} spans {last - first + 1:,} columns over {len(numbered):,} rows, "
                f"more than {MAX_CELLS:,} cells; split it into smaller files"
            )
        width = last - first + 1
        rows = [(r[first - 1 : last] + [""] * width)[:width] for _, r in numbered]
        header: list[str] = []
        header_row = 0
        if len(rows) > 1 and _looks_like_header(rows[0]):
            header, header_row, rows, numbered = rows[0], numbered[0][0], rows[1:], numbered[1:]
        builder = DocumentBuilder(name, format=self.format)
        builder.table(
            header,
            rows,
            header_row=header_row,
            row_numbers=[n for n, _ in numbered],
            first_column=first,
            last_column=last,
        )
        if builder.char_count == 0:
            raise EmptyDocument("the file holds no text")
        if builder.char_count > limits.max_text_chars:
            raise LimitExceeded(f"more than {limits.max_text_chars:,} characters of text")
        return builder.build()
