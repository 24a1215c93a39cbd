"""Load on `dalin serve`: concurrent askers on POST /api/v1/workspaces/{ws}/ask (extractive).

Starts `dalin serve` as a user does (a subprocess on a free 127.0.0.1 port, rate limit off)
over a fresh root whose workspace "examples" holds examples/documents, asks every question of
examples/questions.jsonl once from one client (warm-up and single-client baseline), then runs
``--clients`` askers cycling through the questions until ``--requests`` answers are in or
``--duration`` seconds have passed, whichever comes first. It reports requests per second,
latency percentiles, errors, the share of answers containing the expected words, and the
server's CPU time per request; the JSON goes to bench/results/serve_load.json.

With ``--profile``, or by itself when p95 >= 1 s, it then runs what the ask route does per
request (open the workspace, ``Workspace.ask``, close, audit) in-process under cProfile over
the same questions and lists the top costs.

    python bench/serve_load.py [--clients 20] [--requests 600] [--duration 60] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from dalin.api.server import Server
from dalin.testing.live_server import seed_workspace
from dalin.testing.llm_server import free_port

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "examples" / "documents"
QUESTIONS = ROOT / "examples" / "questions.jsonl"
RESULTS = ROOT / "bench" / "results" / "serve_load.json"
SLUG = "examples"
#: p95 at or above this many seconds triggers the in-process profile
PROFILE_P95_SECONDS = 1.0


@dataclass(frozen=True)
class Question:
    text: str
    expected: tuple[str, ...]


@dataclass
class Tally:
    """What the askers saw: one latency per answered request, errors by kind."""

    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    matching: int = 0
    checked: int = 0
    abstained: int = 0

    def record(self, question: Question, seconds: float, response: httpx.Response) -> None:
        if response.status_code != 200:
            self.errors[f"http {response.status_code}"] += 1
            return
        self.latencies.append(seconds)
        answer = response.json()
        self.abstained += bool(answer.get("abstained"))
        if question.expected:
            self.checked += 1
            self.matching += all(word in answer.get("text", "") for word in question.expected)


def load_questions() -> list[Question]:
    rows = [json.loads(line) for line in QUESTIONS.read_text("utf-8").splitlines() if line]
    return [Question(r["question"], tuple(r.get("answer_contains", ()))) for r in rows]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), nearest-rank on the sorted values."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# --- the server ----------------------------------------------------------------------------


def prepare_root(root: Path) -> tuple[str, float]:
    """Create the server root with workspace "examples"; return a viewer key and seconds."""
    started = time.perf_counter()
    server = Server(root, rate_per_minute=0)
    try:
        seed_workspace(server, SLUG, sorted(p for p in DOCUMENTS.iterdir() if p.is_file()))
        server.ensure_admin_key()  # so `dalin serve` prints none
        key = server.create_key("bench", "viewer", SLUG).key
    finally:
        server.close()
    return key, time.perf_counter() - started


def start_serve(root: Path, port: int, log: Any) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "dalin", "serve", "--root", str(root), "--port", str(port)]
    command += ["--rate-limit", "0"]
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 120.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"dalin serve exited with code {process.returncode}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"dalin serve did not answer /healthz within {timeout:.0f} s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the askers ----------------------------------------------------------------------------


async def ask_all(
    url: str, key: str, questions: list[Question], *, clients: int, requests: int, duration: float
) -> tuple[Tally, float]:
    """``clients`` askers until ``requests`` answers or ``duration`` seconds; (tally, wall s)."""
    tally = Tally()
    next_index = 0
    deadline = time.perf_counter() + duration
    endpoint = f"{url}/api/v1/workspaces/{SLUG}/ask"
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def asker(http: httpx.AsyncClient) -> None:
        nonlocal next_index
        while next_index < requests and time.perf_counter() < deadline:
            question = questions[next_index % len(questions)]
            next_index += 1
            started = time.perf_counter()
            try:
                body = {"question": question.text, "llm": "extractive"}
                response = await http.post(endpoint, json=body, headers=headers)
            except httpx.HTTPError as exc:
                tally.errors[type(exc).__name__] += 1
                continue
            tally.record(question, time.perf_counter() - started, response)

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        await asyncio.gather(*(asker(http) for _ in range(clients)))
    return tally, time.perf_counter() - started


def summary(tally: Tally, wall: float) -> dict[str, Any]:
    done = len(tally.latencies)
    ms = [s * 1000 for s in tally.latencies] or [0.0]
    return {
        "answered": done,
        "errors": sum(tally.errors.values()),
        "errors_by_kind": dict(tally.errors),
        "wall_seconds": round(wall, 2),
        "requests_per_second": round(done / wall, 2) if wall else 0.0,
        "latency_ms": {
            "p50": round(percentile(ms, 50), 1),
            "p95": round(percentile(ms, 95), 1),
            "p99": round(percentile(ms, 99), 1),
            "max": round(max(ms), 1),
            "mean": round(statistics.fmean(ms), 1),
        },
        "abstained": tally.abstained,
        "answers_with_expected_words": f"{tally.matching}/{tally.checked}",
    }


# --- the profile ---------------------------------------------------------------------------


def profile_ask(root: Path, questions: list[Question], passes: int = 3) -> dict[str, Any]:
    """What the ask route does per request, in-process under cProfile: open the workspace
    for the thread, ``Workspace.ask``, close it, write the audit entry."""
    server = Server(root, rate_per_minute=0)
    principal = server.principal_for(server.create_key("profile", "viewer", SLUG).key)
    profiler = cProfile.Profile()
    timings: list[float] = []
    try:
        with server.open_workspace(SLUG) as ws:
            ws.ask(questions[0].text, llm="extractive")  # warm caches outside the profile
        for _ in range(passes):
            for q in questions:
                profiler.enable()
                started = time.perf_counter()
                with server.open_workspace(SLUG) as ws:
                    ws.ask(q.text, llm="extractive")
                server.audit(principal, "ask", SLUG, question_chars=len(q.text))
                timings.append(time.perf_counter() - started)
                profiler.disable()
    finally:
        server.close()
    stats = pstats.Stats(profiler)
    top = []
    for (file, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        top.append(
            {
                "function": f"{Path(file).name}:{line}({name})",
                "calls": calls,
                "own_ms_per_ask": round(own / len(timings) * 1000, 3),
                "cumulative_ms_per_ask": round(cumulative / len(timings) * 1000, 3),
            }
        )
    printed = io.StringIO()
    pstats.Stats(profiler, stream=printed).sort_stats("cumulative").print_stats(25)
    ms = [t * 1000 for t in timings]
    return {
        "asks": len(timings),
        "in_process_ms": {"p50": round(percentile(ms, 50), 2), "p95": round(percentile(ms, 95), 2)},
        "top_cumulative": sorted(top, key=lambda r: -r["cumulative_ms_per_ask"])[:20],
        "top_own": sorted(top, key=lambda r: -r["own_ms_per_ask"])[:15],
        "text": printed.getvalue(),
    }


# --- main ----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    questions = load_questions()
    root = Path(tempfile.mkdtemp(prefix="dalin-serve-load-"))
    report: dict[str, Any] = {
        "benchmark": "dalin serve: concurrent extractive asks over HTTP",
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "command": "python bench/serve_load.py " + " ".join(sys.argv[1:]),
        "clients": args.clients,
        "max_requests": args.requests,
        "max_duration_seconds": args.duration,
        "questions": len(questions),
    }
    key, report["index_seconds"] = prepare_root(root)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = start_serve(root, port, log)
        try:
            report["startup_seconds"] = round(wait_until_up(url, process), 2)
            started = time.perf_counter()
            asyncio.run(ask_all(url, key, questions[:1], clients=1, requests=1, duration=300))
            report["first_answer_seconds"] = round(time.perf_counter() - started, 2)
            single, wall = asyncio.run(
                ask_all(url, key, questions, clients=1, requests=len(questions), duration=120)
            )
            report["single_client"] = summary(single, wall)
            cpu_before = cpu_seconds(process.pid)
            tally, wall = asyncio.run(
                ask_all(
                    url,
                    key,
                    questions,
                    clients=args.clients,
                    requests=args.requests,
                    duration=args.duration,
                )
            )
            cpu = cpu_seconds(process.pid) - cpu_before
            report["concurrent"] = summary(tally, wall)
            answered = max(1, len(tally.latencies))
            report["concurrent"]["server_cpu_ms_per_request"] = round(cpu / answered * 1000, 1)
            report["concurrent"]["server_cpu_cores_busy"] = round(cpu / wall, 2)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    p95_seconds = report["concurrent"]["latency_ms"]["p95"] / 1000
    if args.profile or p95_seconds >= PROFILE_P95_SECONDS:
        report["profile"] = profile_ask(root, questions)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    else:
        report["root"] = str(root)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent askers")
    parser.add_argument("--requests", type=int, default=600, help="stop after this many")
    parser.add_argument("--duration", type=float, default=60.0, help="or after this many s")
    parser.add_argument("--profile", action="store_true", help="profile Workspace.ask anyway")
    parser.add_argument("--keep", action="store_true", help="keep the server root folder")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args()
    if args.clients < 1 or args.requests < 1 or args.duration <= 0:
        parser.error("--clients, --requests and --duration must be positive")
    report = run(args)
    text = report.get("profile", {}).pop("text", "")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    shown = {k: v for k, v in report.items() if k != "profile"}
    print(json.dumps(shown, ensure_ascii=False, indent=2))
    if text:
        print(text)
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
