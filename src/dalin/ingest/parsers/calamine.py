"""Legacy Excel .xls (BIFF, Excel 97-2003) and OpenDocument .ods spreadsheets.

Read by calamine (Rust, MIT, through python-calamine), laid out by the same code as .xlsx
(``xlsx.emit_sheet``): each sheet a heading, tables cut at blank rows, each table with its
sheet, header row and the source row of every body row, so a citation names the cells
(``단가표!A5:F5``) exactly as for an .xlsx.

What calamine does not give: number formats and cell styles. Numbers are shown in their
shortest form (``3000``, ``0.05``, not ``3,000`` or ``5%``; search treats ``3,000`` and
``3000`` alike), dates as ISO dates; and a header row is recognised when the rows below it
hold figures (the .xlsx reader also compares cell styles).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import python_calamine as calamine

from dalin.errors import CorruptDocument, EmptyDocument, EncryptedDocument, LimitExceeded
from dalin.ingest.document import DocumentBuilder
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.xlsx import MAX_CELLS, MAX_GRID_CELLS, SheetRow, emit_sheet
from dalin.ingest.parsers.xlsx_package import SheetRef
from dalin.types import Document

#: a sheet whose used range (rows x columns, empty cells included) is larger is refused:
#: calamine lays every sheet out as a full grid
MAX_RANGE_CELLS = MAX_GRID_CELLS


def cell_text(value: Any) -> tuple[str, bool]:
    """(text as shown, is it a string) for one calamine cell value."""
    if isinstance(value, str):
        return value.strip(), True
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)), False
    if isinstance(value, int):
        return str(value), False
    if isinstance(value, dt.datetime):
        midnight = value.time() == dt.time()
        return (value.date().isoformat() if midnight else value.isoformat(sep=" ")), False
    if isinstance(value, dt.date | dt.time):
        return value.isoformat(), False
    if isinstance(value, dt.timedelta):
        return str(value), False
    return (str(value).strip() if value is not None else ""), False


def sheet_rows(grid: list[list[Any]], top: int, left: int) -> tuple[list[SheetRow], int]:
    """The non-empty cells of a sheet's grid as rows (1-based rows and columns, as Excel
    numbers them), and how many cells they hold."""
    rows: list[SheetRow] = []
    cells = 0
    for r, values in enumerate(grid):
        row = SheetRow(top + r + 1)
        for c, value in enumerate(values):
            text, is_text = cell_text(value)
            if text:
                row.cells[left + c + 1] = text
                row.text_cells += is_text
        if row.cells:
            # no styles here: a row of text over rows of figures still reads as a header
            mostly_text = 5 * row.text_cells >= 4 * len(row.cells)
            row.styles = dict.fromkeys(row.cells, "") if mostly_text else None
            rows.append(row)
            cells += len(row.cells)
    return rows, cells


def _merges(sheet: Any) -> list[tuple[int, int, int]]:
    """Merged ranges as (row, first column, last column), 1-based; [] when unknown."""
    found: list[tuple[int, int, int]] = []
    for (row, first), (_, last) in sheet.merged_cell_ranges or ():
        if last > first:
            found.append((row + 1, first + 1, last + 1))
    return found


@contextmanager
def _damage_is_corrupt(what: str) -> Iterator[None]:
    """calamine's errors as ours. A Rust panic on damaged data reaches Python as
    ``pyo3_runtime.PanicException``, a BaseException, which nothing else would catch."""
    try:
        yield
    except calamine.PasswordError:
        raise EncryptedDocument(
            f"password-protected {what}: remove the password in Excel or Calc and save again"
        ) from None
    except (calamine.CalamineError, ValueError, OSError) as error:
        raise CorruptDocument(f"damaged or not a spreadsheet ({what}): {error}") from None
    except BaseException as error:
        if type(error).__name__ != "PanicException":
            raise
        raise CorruptDocument(f"damaged {what}: the reader stopped on it ({error})") from None


class CalamineParser:
    """Excel 97-2003 .xls and OpenDocument .ods: sheets, tables and cell provenance."""

    suffixes: tuple[str, ...] = (".xls", ".ods")
    format: str = "spreadsheet"

    def parse(self, data: bytes, *, name: str, limits: Limits) -> Document:
        if not data:
            raise EmptyDocument("empty file (0 bytes)")
        what = name.rsplit(".", 1)[-1].upper() if "." in name else "spreadsheet"
        with _damage_is_corrupt(what):
            workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            with _damage_is_corrupt(what):
                return self._read(workbook, name, limits)
        finally:
            workbook.close()

    def _read(self, workbook: Any, name: str, limits: Limits) -> Document:
        builder = DocumentBuilder(name, format=self.format)
        cells = 0
        for meta in workbook.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue  # chart and macro sheets hold no cells
            sheet = workbook.get_sheet_by_name(meta.name)
            if sheet.height * sheet.width > MAX_RANGE_CELLS:
                raise LimitExceeded(
                    f"sheet {meta.name!r} spans {sheet.height:,} rows × {sheet.width:,} "
                    "columns; delete stray cells far from the data and add the file again"
                )
            top, left = sheet.start or (0, 0)
            rows, count = sheet_rows(sheet.to_python(skip_empty_area=True), top, left)
            cells += count
            if cells > MAX_CELLS:
                raise LimitExceeded(
                    f"the workbook holds more than {MAX_CELLS:,} cells; split it into smaller files"
                )
            hidden = meta.visible != calamine.SheetVisibleEnum.Visible
            emit_sheet(builder, SheetRef(meta.name, "", hidden), rows, _merges(sheet))
            if builder.char_count > limits.max_text_chars:
                raise LimitExceeded(f"more than {limits.max_text_chars:,} characters of text")
        if builder.char_count == 0:
            raise EmptyDocument("the workbook holds no cell values")
        return builder.build()
