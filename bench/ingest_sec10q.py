"""Ingestion throughput on the 20 English SEC 10-Q PDFs (about 1,000 pages).

Each configuration indexes all files into a fresh workspace through ``Workspace.add`` (parse
in worker processes, chunk, tokenise, write SQLite), timed end to end. The baseline in the
same run is one parse worker; the default uses one worker per core. Peak RSS is the
largest resident set of the main process and of any one worker (``ru_maxrss``), each
configuration run in its own subprocess so the numbers do not mix.

    python bench/ingest_sec10q.py [--repeat 3] [--json bench/results/ingest_sec10q.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sec10q" / "docs"

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from dalin import Workspace

folder, docs, workers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
ws = Workspace.create(folder)
config = folder / "dalin.toml"
config.write_text(config.read_text().replace("workers = 0", f"workers = {workers}"))
ws.close()
with Workspace.open(folder) as ws:
    start = time.perf_counter()
    report = ws.add([docs])
    seconds = time.perf_counter() - start
    pages = sum(d.pages or 0 for d in ws.documents())
    ok = len(report.added)
print(json.dumps({
    "seconds": seconds, "pages": pages, "files": ok, "chunks": report.chunks,
    "failed": [f.path for f in report.failed],
    "main_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def run_once(workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        completed = subprocess.run(
            [sys.executable, "-c", _CHILD, str(Path(tmp) / "ws"), str(DOCS), str(workers)],
            capture_output=True,
            text=True,
            check=True,
        )
    result: dict[str, float] = json.loads(completed.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not DOCS.is_dir():
        print(f"skipped: {DOCS} not found (run inside the dalin workplace)")
        return
    cores = os.cpu_count() or 1
    rows = []
    for label, workers in (("1 parse worker (baseline)", 1), (f"{cores} workers (default)", 0)):
        runs = [run_once(workers) for _ in range(args.repeat)]
        seconds = statistics.median(r["seconds"] for r in runs)
        pages = runs[0]["pages"]
        rows.append(
            {
                "config": label,
                "files": runs[0]["files"],
                "pages": pages,
                "chunks": runs[0]["chunks"],
                "median_seconds": round(seconds, 2),
                "pages_per_second": round(pages / seconds, 1),
                "peak_rss_main_mb": round(max(r["main_rss_mb"] for r in runs)),
                "peak_rss_worker_mb": round(max(r["worker_rss_mb"] for r in runs)),
                "failed": runs[0]["failed"],
            }
        )
    base = rows[0]["median_seconds"]
    print(f"# sec10q ingestion, {date.today()}, {platform.processor() or platform.machine()}")
    print(f"# {cores} cores, median of {args.repeat} runs each\n")
    print(
        "| configuration | files | pages | chunks | median s | pages/s | speed-up |"
        " peak RSS main | peak RSS worker |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['config']} | {row['files']} | {row['pages']} | {row['chunks']} |"
            f" {row['median_seconds']} | {row['pages_per_second']} |"
            f" {base / row['median_seconds']:.2f}× | {row['peak_rss_main_mb']} MB |"
            f" {row['peak_rss_worker_mb']} MB |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
