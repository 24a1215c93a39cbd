"""Extraction fidelity on every document in ../shared/samples: characters, tables, seconds.

Each file is parsed through ``dalin.ingest.parsers.parse_bytes`` (the same code the worker
runs), then its PDF line breaks mended as ingestion does (``ingest/linebreaks.py``), three
times; the median time is reported. ADV_ files (hostile on purpose) are listed
with the error dalin gives them. The phrases each sample must contain are asserted by
``tests/ingest/test_samples.py``; this script only measures.

    python bench/formats.py [--markdown docs/formats.table.md]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from dalin.errors import ParseError
from dalin.ingest.linebreaks import mend_line_breaks
from dalin.ingest.parsers import SUPPORTED_SUFFIXES, parse_bytes
from dalin.text.korean import kiwi
from dalin.types import Document

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"
ORDER = (".hwp", ".hwpx", ".docx", ".xlsx", ".csv", ".pptx", ".pdf", ".html")


def measure(path: Path) -> tuple[Document | ParseError, float]:
    """The document as indexed (parsed, then PDF line breaks mended) and the median time."""
    data = path.read_bytes()
    times: list[float] = []
    result: Document | ParseError
    for _ in range(3):
        start = time.perf_counter()
        try:
            result = mend_line_breaks(parse_bytes(data, name=path.name))
        except ParseError as error:
            result = error
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def row(path: Path) -> str:
    result, seconds = measure(path)
    fmt = path.suffix.lower().lstrip(".").upper()
    if isinstance(result, ParseError):
        outcome = f"refused: `{result.code}` — {result.detail[:90]}"
        return f"| {fmt} | {path.name} | — | — | — | {seconds:.3f} | {outcome} |"
    pages = result.pages if result.pages is not None else "—"
    return (
        f"| {fmt} | {path.name} | {len(result.text):,} | {len(result.tables)} | {pages} |"
        f" {seconds:.3f} | ok |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    if not SAMPLES.is_dir():
        print(f"skipped: {SAMPLES} not found (run inside the dalin workplace)")
        return
    kiwi().space("준비")  # load the spacing model before timing anything
    files = [p for p in SAMPLES.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES]
    files.sort(
        key=lambda p: (
            ORDER.index(p.suffix.lower()) if p.suffix.lower() in ORDER else 99,
            p.name.startswith("ADV_"),
            p.name,
        )
    )
    lines = [
        "| format | file | characters | tables | pages/slides | seconds | result |",
        "|---|---|---:|---:|---:|---:|---|",
        *(row(p) for p in files),
    ]
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
