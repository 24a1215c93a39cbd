"""What tools add to an answer: table_query over a large sheet, per answer, p50/p95.

A workbook of one sheet (``--rows`` sales rows × 12 columns, written here as a real .xlsx)
is indexed into a fresh workspace. Then, ``--answers`` times each, the same question is
answered with a scripted model (no model latency, so only dalin's own work is timed):

* ``no tools``       — the model answers at once; tools are not offered;
* ``one query``      — the model calls ``table_query`` once, then answers;
* ``two queries``    — two calls in one answer (the second reuses the loaded tables).

Besides the whole answer it reports the tool calls' own seconds from ``Answer.tools``: the
first call of an answer opens the sandbox (from the process's cached image of the typed
tables), later ones only query. The very first answer with tools in a process types and
loads the sheet; it is reported apart. Medians and p95 over the runs; the baseline (no
tools) is measured in the same run, the variants interleaved.

    python bench/tool_overhead.py [--rows 20000] [--answers 30]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import dalin
from dalin.llm.base import TextDelta
from dalin.testing.fake_llm import ScriptedSteps, calls

COLUMNS = ["Segment", "Country", "Product", "Discount Band", "Units Sold", "Manufacturing Price",
           "Sale Price", "Gross Sales", "Discounts", "Sales", "COGS", "Date"]  # fmt: skip
SEGMENTS = ["Government", "Midmarket", "Channel Partners", "Enterprise", "Small Business"]
COUNTRIES = ["Canada", "Germany", "France", "Mexico", "United States of America"]
PRODUCTS = ["Carretera", "Montana", "Paseo", "Velo", "VTT", "Amarilla"]
QUESTION = "How many Carretera units were sold to Government in Canada?"
QUERIES = [
    "SELECT sum(Units_Sold) FROM t1 WHERE Country = 'Canada' AND Segment = 'Government' "
    "AND Product = 'Carretera'",
    "SELECT Product, count(*), round(avg(Sale_Price), 2) FROM t1 WHERE Country = 'Canada' "
    "GROUP BY Product ORDER BY 2 DESC LIMIT 5",
]


def cell(column: int, value: object) -> str:
    ref = f"{chr(ord('A') + column)}"
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def sales_workbook(rows: int, seed: int = 13) -> bytes:
    """A one-sheet .xlsx shaped like Microsoft's "Financial Sample" (inline strings)."""
    rng = random.Random(seed)
    lines = ["<row>" + "".join(cell(i, name) for i, name in enumerate(COLUMNS)) + "</row>"]
    for _ in range(rows):
        units = rng.randint(200, 3000)
        price = rng.choice([7, 12, 15, 20, 125, 300, 350])
        gross = units * price
        discount = round(gross * rng.choice([0, 0.01, 0.05, 0.1]), 2)
        values = [
            rng.choice(SEGMENTS), rng.choice(COUNTRIES), rng.choice(PRODUCTS),
            rng.choice(["None", "Low", "Medium", "High"]), units, rng.choice([3, 5, 10, 120]),
            price, gross, discount, round(gross - discount, 2), round(units * 2.5, 2),
            f"2014-{rng.randint(1, 12):02d}-01",
        ]  # fmt: skip
        lines.append("<row>" + "".join(cell(i, v) for i, v in enumerate(values)) + "</row>")
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": "<Types/>",
        "_rels/.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="r1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
        f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{ns}"><sheetData>{"".join(lines)}'
        "</sheetData></worksheet>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def model(queries: int) -> ScriptedSteps:
    steps = [[calls("table_query", json.dumps({"sql": q}))] for q in QUERIES[:queries]]
    return ScriptedSteps(*steps, [TextDelta("합계는 위 표와 같습니다 [1].")])


def _cold_first_answer(ws: dalin.Workspace) -> float:
    """The first answer that offers tools: the tables are typed and loaded then, and kept."""
    started = time.perf_counter()
    ws.ask(QUESTION, llm=model(1), tools=True)
    return time.perf_counter() - started


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--answers", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        (folder / "sales.xlsx").write_bytes(sales_workbook(args.rows))
        ws = dalin.Workspace.create(folder / ".dalin")
        started = time.perf_counter()
        report = ws.add([folder])
        assert report.ok, report.failed
        print(f"indexed {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
        ws.ask(QUESTION, llm=model(0), tools=False)  # warm: the search's first use
        cold = _cold_first_answer(ws)
        totals: dict[str, list[float]] = {"no tools": [], "one query": [], "two queries": []}
        first_call: list[float] = []
        later_call: list[float] = []
        for _ in range(args.answers):  # interleaved, so drift hits every variant alike
            for name, queries in (("no tools", 0), ("one query", 1), ("two queries", 2)):
                started = time.perf_counter()
                answer = ws.ask(QUESTION, llm=model(queries), tools=queries > 0)
                totals[name].append(time.perf_counter() - started)
                assert all(not u.error for u in answer.tools), answer.tools
                if queries == 2:
                    first_call.append(answer.tools[0].seconds)
                    later_call.append(answer.tools[1].seconds)
        ws.close()
    print(f"\nmachine: {os.cpu_count()} cores; {args.answers} answers per variant")
    print(f"first answer with tools in the process (types and loads the sheet): {cold:.2f} s\n")
    print("| per answer | p50 (ms) | p95 (ms) | p50 over no tools |")
    print("|---|---|---|---|")
    base = statistics.median(totals["no tools"])
    for name, values in totals.items():
        extra = statistics.median(values) - base
        print(
            f"| {name} | {statistics.median(values) * 1000:.0f} | {pct(values, 0.95) * 1000:.0f}"
            f" | {'—' if name == 'no tools' else f'+{extra * 1000:.0f} ms'} |"
        )
    for name, values in (("first table_query (loads)", first_call), ("second", later_call)):
        print(
            f"| {name} | {statistics.median(values) * 1000:.1f} | {pct(values, 0.95) * 1000:.1f}"
            " | |"
        )


if __name__ == "__main__":
    main()
