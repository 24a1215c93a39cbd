"""`dalin docs`: the documents one line each, and `dalin docs NAME`: one document in full.

The list must stay readable in an 80-column terminal with long Korean file names: a row is
never wrapped, a long name loses its middle (its start and its extension stay), and a failure
shows only its short reason; the path, the details and the remedy are in the detail view.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.cells import cell_len, set_cell_size
from rich.markup import escape

from dalin.cli.common import JsonOption, json_output, open_workspace, out, print_json, state
from dalin.cli.indexing import print_vectors
from dalin.cli.messages import message
from dalin.messages import category, remedy, short_category
from dalin.types import DocumentInfo

#: the widest and narrowest a file name gets in the list, in terminal cells (a Hangul
#: syllable takes two)
NAME_CELLS = 40
MIN_NAME = 28


def docs_command(
    name: Annotated[
        str | None,
        typer.Argument(help="A document's file name, path or id: show it in full."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List documents one line each; with a NAME, one in full. / 문서 목록 (이름을 주면 자세히)."""
    json_output(as_json)
    with open_workspace() as ws:
        documents = ws.documents()
        vectors = ws.embedding_status() if ws.embedder is not None else None
        chosen = ws.document(name) if name is not None else None
    if chosen is not None:
        # the list carries the vector counts; a lookup by path or id does not
        doc = next((d for d in documents if d.id == chosen.id), chosen)
        if as_json:
            print_json(dataclasses.asdict(doc))
        else:
            _print_detail(doc, dense=vectors is not None)
        return
    if as_json:
        print_json([dataclasses.asdict(d) for d in documents])
        return
    lang = state().lang
    if not documents:
        out.print(message("docs.none", lang))
        return
    table = documents_table(documents, lang, dense=vectors is not None, width=out.width)
    out.print(escape(table), soft_wrap=True, overflow="ignore", crop=False)
    failed = sum(d.status == "failed" for d in documents)
    ok = len(documents) - failed
    out.print(message("docs.total", lang, n=len(documents), ok=ok, failed=failed))
    if failed:
        out.print(f"[dim]{escape(message('docs.detail_hint', lang))}[/dim]")
    if vectors is not None:
        print_vectors(*vectors)


def documents_table(documents: list[DocumentInfo], lang: str, *, dense: bool, width: int) -> str:
    """One line per document in ``width`` cells: name, passages, tables, vectors, status.

    Laid out by hand rather than with a Rich table, which at 80 columns drops or squeezes
    columns: here the numbers keep their width, the status gets what it needs, and the name
    the rest (within ``MIN_NAME``..``NAME_CELLS``); what still does not fit ends in "…".
    """
    keys = ("col.file", "col.chunks", "col.tables", "col.vectors", "col.status")
    head = tuple(message(k, lang) for k in keys)
    rows = [
        (d.name, str(d.chunks), str(d.tables), str(d.vectors) if dense else "-", _status(d, lang))
        for d in documents
    ]
    widest = [max(cell_len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    numbers = widest[1:4]
    fixed = sum(numbers) + 2 * len(numbers) + 2  # the numbers and the gaps between columns
    room = max(width - fixed, MIN_NAME + 8)
    name_cells = min(widest[0], NAME_CELLS, max(MIN_NAME, room - widest[4]))
    status_cells = min(room - name_cells, widest[4])

    def line(row: tuple[str, ...]) -> str:
        cells = [_pad(shorten(row[0], name_cells), name_cells)]
        cells += [" " * (w - cell_len(c)) + c for c, w in zip(row[1:4], numbers, strict=True)]
        return "  ".join([*cells, _cut(row[4], status_cells)]).rstrip()

    rule = "─" * (name_cells + fixed + status_cells)
    return "\n".join([line(head), rule, *(line(r) for r in rows)])


def _pad(text: str, cells: int) -> str:
    return text + " " * (cells - cell_len(text))


def _cut(text: str, cells: int) -> str:
    if cell_len(text) <= cells:
        return text
    return set_cell_size(text, cells - 1).rstrip() + "…"


def shorten(name: str, cells: int) -> str:
    """``name`` in at most ``cells`` terminal cells: the middle gives way to "…", so the
    start and the extension (what tells two files apart, and their type) stay."""
    if cell_len(name) <= cells:
        return name
    dot = name.rfind(".")
    tail = name[dot:] if dot > 0 and len(name) - dot <= 6 else name[-4:]
    # set_cell_size pads a wide character it cuts in half with a space: strip it
    head = set_cell_size(name[: len(name) - len(tail)], cells - cell_len(tail) - 1).rstrip()
    return f"{head}…{tail}"


def _status(d: DocumentInfo, lang: str) -> str:
    if d.status == "failed":
        return f"{message('status.failed', lang)}: {short_category(d.error_code, lang)}"
    if d.error:
        return f"{message('status.stale', lang)}: {short_category(d.error_code, lang)}"
    indexed = message("status.indexed", lang)
    if d.ocr_pages and d.ocr_confidence is not None:
        ocr = message("status.ocr_short", lang, pages=d.ocr_pages, low=f"{d.ocr_confidence:.0f}")
        return f"{indexed} · {ocr}"
    return indexed


def _print_detail(d: DocumentInfo, *, dense: bool) -> None:
    """Every fact dalin keeps about one document, one per line, and what to do on a failure."""
    lang = state().lang
    rows: list[tuple[str, str]] = [
        ("detail.name", d.name),
        ("detail.path", d.path),
        ("detail.id", str(d.id)),
        ("detail.format", d.format or "-"),
        ("detail.size", _size(d.size) if d.size < 1024 else f"{_size(d.size)} ({d.size:,} B)"),
        ("detail.hash", d.content_hash or "-"),
        ("detail.indexed_at", _when(d.updated_at)),
        ("detail.status", _status(d, lang)),
        ("detail.pages", "-" if d.pages is None else str(d.pages)),
        ("detail.chars", f"{d.chars:,}"),
        ("col.chunks", str(d.chunks)),
        ("col.tables", str(d.tables)),
        ("col.vectors", f"{d.vectors}/{d.chunks}" if dense else message("detail.dense_off", lang)),
    ]
    if d.ocr_pages:
        low = "-" if d.ocr_confidence is None else f"{d.ocr_confidence:.0f}"
        rows.append(("detail.ocr", message("status.ocr", lang, pages=d.ocr_pages, low=low)))
    if d.error:
        # the remedy has its own row: the reason is the category and the specifics
        rows.append(("detail.reason", f"{category(d.error_code, lang)}: {d.error}"))
        rows.append(("detail.remedy", remedy(d.error_code, lang)))
    width = max(cell_len(message(key, lang)) for key, _ in rows)
    for key, value in rows:
        label = message(key, lang)
        out.print(f"[bold]{escape(label)}[/bold]{' ' * (width - cell_len(label))}  {escape(value)}")


def _when(stamp: str) -> str:
    """A stored UTC time as local time, to the minute ("-" when never)."""
    if not stamp:
        return "-"
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
