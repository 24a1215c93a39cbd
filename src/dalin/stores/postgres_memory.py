"""An in-memory keyword index of a large workspace beside PostgreSQL, used while it is fresh.

Why: in the database, keyword search reads the postings of its terms through a GIN index
and a heap visit each, and scores a chunk by unnesting its term array (about 40 µs a chunk);
in a workspace of 100,000 chunks a question of many middling terms costs 200 ms and more
(docs/benchmarks.md, "PostgreSQL at scale"). Here each term's postings are a numpy slice and
a question is a few vector operations per term, as the SQLite store does above 20,000 chunks
(``dalin.stores.sparse_index``).

The database stays the index of record and answers until a process holds an index of the
workspace's current chunks. Every change to a workspace's chunks moves its
``lexical_stats.generation`` on (from one sequence: a workspace deleted and made again never
repeats a value). An index is built from the stored terms, weighted counts and lengths in
one statement (one snapshot) that also reads the generation, on a connection of its own, in
a background thread, and is used only while the generation a search reads is the one it was
built at. The scores are ``postgres_lexical``'s BM25 with the workspace's own statistics, so
the ranking is the same — exact, where the database's second round may stop at its cap.

Workspaces under :data:`MIN_CHUNKS` chunks are never indexed here; the indexes of one
process together stay under ``DALIN_KEYWORD_MEMORY_MB`` (default 512; 0 turns this off),
the least recently searched dropped first.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dalin.stores.postgres_db import connect
from dalin.stores.postgres_schema import WORKSPACE_SETTING
from dalin.stores.sparse_index import K1, B, add_postings, best_of

log = logging.getLogger(__name__)

#: below this many chunks the database answers in a few tens of milliseconds
MIN_CHUNKS = 20_000
MEMORY_ENV = "DALIN_KEYWORD_MEMORY_MB"
DEFAULT_MEMORY_MB = 512
#: a workspace being written to is indexed again at most this often, and at most once in
#: REBUILD_FACTOR times its last build's time (a 100,000-chunk one takes about 20 s of one
#: core: searched while being written to, at most a fifth of a core goes to its builds)
REBUILD_SECONDS = 30.0
REBUILD_FACTOR = 5.0
_FETCH_ROWS = 2_000
_IDF_FLOOR = 1e-6


@dataclass(frozen=True)
class PostingIndex:
    """One workspace's postings by term: chunk positions and weighted counts."""

    generation: int
    ids: np.ndarray  # chunk ids, ascending
    doc_ids: np.ndarray
    norm: np.ndarray  # k1 · (1 − b + b · length / avgdl), per chunk
    terms: dict[str, int]
    indptr: np.ndarray
    rows: np.ndarray
    freqs: np.ndarray

    @property
    def nbytes(self) -> int:
        arrays = (self.ids, self.doc_ids, self.norm, self.indptr, self.rows, self.freqs)
        return sum(int(a.nbytes) for a in arrays) + 100 * len(self.terms)

    def search(
        self, keys: Mapping[str, int], k: int, doc_ids: Sequence[int] = ()
    ) -> list[tuple[int, float]]:
        """``(chunk id, score)`` of the ``k`` best chunks for the query's terms (each with
        how often the query holds it, as ``postgres_lexical.query_keys`` gives them)."""
        n = len(self.ids)
        if k <= 0 or n == 0:
            return []
        scores = np.zeros(n, dtype=np.float64)
        for term, count in keys.items():
            t = self.terms.get(term)
            if t is None:
                continue
            start, end = int(self.indptr[t]), int(self.indptr[t + 1])
            rows = self.rows[start:end]
            df = end - start
            idf = math.log((n - df + 0.5) / (df + 0.5))
            weight = (idf if idf > 0.0 else _IDF_FLOOR) * count
            add_postings(scores, rows, self.freqs[start:end], self.norm, weight)
        return best_of(scores, self.ids, self.doc_ids, k, doc_ids)


def build(url: str, workspace: str) -> PostingIndex | None:
    """The index of ``workspace``'s chunks now (None when it has none), read as the app role
    under row-level security on a connection of its own."""
    with connect(url) as conn:
        conn.execute("SELECT set_config(%s, %s, false)", (WORKSPACE_SETTING, workspace))
        with conn.transaction(), conn.cursor(name="dalin_keyword_index") as cursor:
            # one statement, one snapshot: the generation is that of the rows read
            cursor.execute(
                "SELECT g.generation, c.id, c.doc_id, c.n_tokens, c.terms, c.freqs"
                " FROM chunks c, (SELECT generation FROM lexical_stats) g ORDER BY c.id"
            )
            return _Builder().read(cursor)


class _Builder:
    def __init__(self) -> None:
        self.terms: dict[str, int] = {}
        self.ids: list[int] = []
        self.doc_ids: list[int] = []
        self.lengths: list[int] = []
        self.term_ids: list[np.ndarray] = []
        self.rows: list[np.ndarray] = []
        self.freqs: list[np.ndarray] = []
        self.generation = -1

    def read(self, cursor: Any) -> PostingIndex | None:
        while batch := cursor.fetchmany(_FETCH_ROWS):
            self.add(batch)
        return self.finish() if self.ids else None

    def add(self, batch: Sequence[tuple[Any, ...]]) -> None:
        terms, rows, freqs = self.terms, [], []
        names: list[str] = []
        for generation, chunk_id, doc_id, length, chunk_terms, chunk_freqs in batch:
            self.generation = int(generation)
            rows.append(np.full(len(chunk_terms), len(self.ids), dtype=np.int32))
            self.ids.append(int(chunk_id))
            self.doc_ids.append(int(doc_id))
            self.lengths.append(int(length))
            names.extend(chunk_terms)
            freqs.append(np.asarray(chunk_freqs, dtype=np.float32))
        setdefault = terms.setdefault
        self.term_ids.append(
            np.fromiter((setdefault(name, len(terms)) for name in names), np.int32, len(names))
        )
        self.rows.append(np.concatenate(rows) if rows else np.empty(0, np.int32))
        self.freqs.append(np.concatenate(freqs) if freqs else np.empty(0, np.float32))

    def finish(self) -> PostingIndex:
        term_ids = np.concatenate(self.term_ids)
        # rows ascend already (chunks in id order); a stable sort by term keeps them so
        order = np.argsort(term_ids, kind="stable")
        indptr = np.zeros(len(self.terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_ids, minlength=len(self.terms)), out=indptr[1:])
        lengths = np.asarray(self.lengths, dtype=np.float64)
        avgdl = float(lengths.sum()) / len(lengths)
        norm = K1 * (1 - B + B * lengths / avgdl) if avgdl > 0 else np.full(len(lengths), K1)
        return PostingIndex(
            generation=self.generation,
            ids=np.asarray(self.ids, dtype=np.int64),
            doc_ids=np.asarray(self.doc_ids, dtype=np.int64),
            norm=norm,
            terms=self.terms,
            indptr=indptr,
            rows=np.concatenate(self.rows)[order],
            freqs=np.concatenate(self.freqs)[order],
        )


def memory_budget() -> int:
    """Bytes the indexes of this process may hold (``DALIN_KEYWORD_MEMORY_MB``)."""
    raw = os.environ.get(MEMORY_ENV, "").strip()
    try:
        megabytes = float(raw) if raw else DEFAULT_MEMORY_MB
    except ValueError:
        log.warning(
            "%s=%r is not a number of megabytes: using %d", MEMORY_ENV, raw, DEFAULT_MEMORY_MB
        )
        megabytes = DEFAULT_MEMORY_MB
    return max(0, int(megabytes * 2**20))


class KeywordIndexes:
    """The indexes of one process, by (database URL, workspace), and their builder thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._indexes: OrderedDict[tuple[str, str], PostingIndex] = OrderedDict()
        self._started: dict[tuple[str, str], float] = {}
        self._took: dict[tuple[str, str], float] = {}  # seconds of the last build
        self._builder: threading.Thread | None = None
        #: False in a process that answers once and exits (`dalin ask`, `dalin search`): a
        #: build it could never use would only take the CPU its one answer needs
        self.building = True

    def get(self, url: str, workspace: str, generation: int, chunks: int) -> PostingIndex | None:
        """The index of ``workspace`` at ``generation`` (read by the caller in its
        transaction); else None, having started a build when the workspace is large enough."""
        key = (url, workspace)
        with self._lock:
            index = self._indexes.get(key)
            if index is not None and index.generation == generation:
                self._indexes.move_to_end(key)
                return index
        if self.building and chunks >= MIN_CHUNKS and memory_budget() > 0:
            self._start(key)
        return None

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a build under way (benchmarks and tests)."""
        builder = self._builder
        if builder is not None:
            builder.join(timeout)

    def clear(self) -> None:
        with self._lock:
            self._indexes.clear()
            self._started.clear()
            self._took.clear()

    def _start(self, key: tuple[str, str]) -> None:
        with self._lock:
            # one build at a time in a process (each reads a whole workspace), and a
            # workspace being written to at most every REBUILD_SECONDS
            if self._builder is not None and self._builder.is_alive():
                return
            wait = max(REBUILD_SECONDS, REBUILD_FACTOR * self._took.get(key, 0.0))
            if time.monotonic() - self._started.get(key, -math.inf) < wait:
                return
            self._started[key] = time.monotonic()
            self._indexes.pop(key, None)  # stale: free it before building the next one
            self._builder = threading.Thread(
                target=self._build, args=(key,), name="dalin-keyword-index", daemon=True
            )
            self._builder.start()

    def _build(self, key: tuple[str, str]) -> None:
        started = time.perf_counter()
        try:
            index = build(*key)
        except Exception as exc:  # a background thread: the database keeps answering
            log.warning("in-memory keyword index of %s not built: %s", key[1], exc)
            return
        took = time.perf_counter() - started
        with self._lock:
            self._took[key] = took
        if index is None:
            return
        budget = memory_budget()
        if index.nbytes > budget:
            with self._lock:
                self._started[key] = math.inf  # never again in this process: it cannot fit
            log.warning(
                "keyword index of %s (%.0f MB) is over %s: the database answers its searches",
                key[1],
                index.nbytes / 2**20,
                MEMORY_ENV,
            )
            return
        with self._lock:
            self._indexes[key] = index
            while sum(i.nbytes for i in self._indexes.values()) > budget:
                self._indexes.popitem(last=False)  # least recently searched first
        log.info(
            "keyword index of %s: %d chunks, %.0f MB, %.1f s",
            key[1],
            len(index.ids),
            index.nbytes / 2**20,
            took,
        )


#: the process's indexes, shared by every PostgresStore of every pool
INDEXES = KeywordIndexes()
