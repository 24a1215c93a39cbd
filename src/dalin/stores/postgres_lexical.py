"""BM25 inside PostgreSQL over the same tokens, ranking as the SQLite store's FTS5 does.

What is stored (``postgres_schema.py``): each chunk's distinct terms (``text[]``, GIN
indexed with its workspace), their column-weighted counts (``real[]``) and its length in
tokens; per workspace the number of chunks and of tokens (``lexical_stats``) and each term's
document frequency (``term_stats``), all kept in the transaction that writes the chunks.

The terms are FTS5's: the Kiwi tokens of a column joined by spaces and read by FTS5's
unicode61 tokenizer (:func:`dalin.stores.sparse_index.fts_tokens`), so a chunk holds the
same terms in both stores, and the score is FTS5's ``bm25()`` (k1 = 1.2, b = 0.75, section
column ×2; Robertson & Zaragoza 2009), summed over the query's terms with the workspace's
statistics. A token FTS5 reads as several (``1,000``, ``쇼와 천황``) is a phrase there; here
it is one term made of its parts (``1 000``), counted where a chunk's own token was that
phrase — FTS5 also counts two neighbouring tokens that happen to spell it, which this does
not (measured on KorQuAD in docs/benchmarks.md, "PostgreSQL").

Exact top-k without scoring every row that holds a common term (MaxScore; Turtle & Flood
1995), in at most two rounds. A chunk is scored fully (over every query term) only when it
holds an "essential" term. Round 1 takes the rarest terms whose postings fit a budget;
its k-th best score θ is then a floor. A chunk holding none of the essential terms scores at
most the sum of the other terms' upper bounds ``idf · (k1 + 1)``, so round 2 adds the fewest
next-rarest terms that bring that sum down to θ. Of the chunks holding one of them (and none
of round 1's), only those whose own bound — the bounds of the essential terms they hold
plus the rest — reaches θ are scored, at most :data:`ROUND_2_CAP` of them, highest bound
first. The bounds come from one index lookup per term (ids only); the merged k best are
exact unless the cap was reached (then each score is still exact, the set is of the
highest-bound chunks).
Korean questions nearly always hold a term found in most chunks (``하``, ``있``), whose IDF
is floored at 1e-6: its bound is tiny and it is almost never essential.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from dalin.stores.base import IndexedChunk
from dalin.stores.sparse_index import K1, B, fts_tokens, query_terms

SECTION_WEIGHT = 2.0
BODY_WEIGHT = 1.0
_IDF_FLOOR = 1e-6
#: chunks the first round may score (summed document frequencies of the essential terms).
#: Chosen on KorQuAD questions 200–399, not the 200 the benchmark reports: at 1M rows with 4
#: clients a 10,000-chunk workspace's keyword p95 was 327–404 ms at 2,000 and 200–209 ms at
#: 500; against exact search the top 10 were the same for 100 of 100 questions there and
#: 99.9 % the same chunks in a 100,000-chunk workspace (top 50: 99.98 % and 97.8 %)
_FIRST_BUDGET = 500
#: chunks the second round may score, those of highest bound first. Up to it the top k is
#: exact. A question of many middling terms in a workspace of 100,000 chunks left 13,000 to
#: 40,000 (their bounds are loose: idf · (k1 + 1) against about idf for one occurrence) and
#: took 2 s at p95; capped, 258 ms, and the top 10 of 100 questions were the exact ones
#: (top 50: 99.1 % the same chunks; docs/benchmarks.md, "PostgreSQL at scale")
ROUND_2_CAP = 1_000


def chunk_terms(item: IndexedChunk) -> tuple[list[str], list[float], int]:
    """(distinct terms, their weighted counts, length in tokens) of one chunk."""
    counts: dict[str, float] = {}
    length = 0
    for tokens, weight in ((item.section_tokens, SECTION_WEIGHT), (item.body_tokens, BODY_WEIGHT)):
        parts = fts_tokens(" ".join(tokens))
        length += len(parts)
        for part in parts:
            counts[part] = counts.get(part, 0.0) + weight
        for token in tokens:
            phrase = fts_tokens(token)
            if len(phrase) > 1:
                key = " ".join(phrase)
                counts[key] = counts.get(key, 0.0) + weight
    terms = sorted(counts)
    return terms, [counts[t] for t in terms], length


def query_keys(tokens: Sequence[str]) -> dict[str, int]:
    """The query's terms (a phrase as one), each with how often FTS5 would score it."""
    keys: Counter[str] = Counter()
    for token in query_terms(tokens):
        parts = fts_tokens(token)
        if parts:
            keys[" ".join(parts)] += 1
    return dict(keys)


def idf(df: int, n: int) -> float:
    """FTS5's IDF: log((N − n + 0.5) / (n + 0.5)), floored at 1e-6."""
    value = math.log((n - df + 0.5) / (df + 0.5))
    return value if value > 0.0 else _IDF_FLOOR


# the candidates come from the GIN index through lexical_candidates (postgres_schema.py
# says why), all the chunks holding a term (round 1) or those whose bound may reach the
# k-th best (round 2); one pass over each one's terms (each array read once), joined with the
# query's; the documents are joined to the k best only
_SCORE = """
SELECT {columns}, b.score FROM (
    SELECT c.id, (
        SELECT sum(q.w * ((u.f * %(k1p1)s) / (u.f + %(k1)s * (1 - %(b)s + %(b)s * c.n_tokens
            / %(avgdl)s))))
        FROM unnest(c.terms, c.freqs) AS u (term, f)
        JOIN unnest(%(keys)s::text[], %(weights)s::float8[]) AS q (term, w) ON q.term = u.term
    ) AS score
    FROM chunks c
    WHERE c.id = ANY(ARRAY({candidates})) {documents}
    ORDER BY score DESC, c.id LIMIT %(k)s
) b JOIN chunks c ON c.id = b.id JOIN documents d ON d.id = c.doc_id
ORDER BY b.score DESC, c.id
"""
_ROUND_1 = "SELECT lexical_candidates(%(essential)s::text[])"
# each chunk's upper bound: the bounds of the essential terms it holds (one index lookup
# per term, ids only) plus those of the rest; chunks round 1 scored are left out
_ROUND_2 = """
SELECT m.id FROM (
    SELECT id, sum(e.b) AS bound, bool_or(e.seen) AS seen
    FROM unnest(%(essential)s::text[], %(bounds)s::float8[], %(seen)s::bool[]) AS e (t, b, seen),
        LATERAL lexical_candidates(ARRAY[e.t]) AS id
    GROUP BY id
) m WHERE NOT m.seen AND m.bound + %(rest)s >= %(threshold)s
ORDER BY m.bound DESC, m.id LIMIT %(cap)s
"""


def search(
    conn: Any,
    tokens: Sequence[str],
    k: int,
    doc_ids: Sequence[int],
    columns: str,
    totals: tuple[int, int],
) -> list[tuple[Any, ...]]:
    """The ``k`` best chunks of the transaction's workspace, best first: ``columns`` (of
    ``chunks c`` and ``documents d``) and then the BM25 score, per row. ``totals`` are the
    workspace's chunks and tokens (``lexical_stats``), read by the caller in the same
    transaction."""
    keys = query_keys(tokens)
    n, total = totals
    if not keys or k <= 0 or n == 0 or total == 0:
        return []
    # row-level security keeps this to the transaction's workspace
    found = conn.execute(
        "SELECT term, df FROM term_stats WHERE term = ANY(%s) AND df > 0", (list(keys),)
    ).fetchall()
    # rarest (highest weight) first; ties in query order, so the rounds are deterministic
    order = {key: i for i, key in enumerate(keys)}
    weighted = sorted(
        ((str(t), idf(int(df), n) * keys[str(t)], int(df)) for t, df in found),
        key=lambda x: (-x[1], order[x[0]]),
    )
    if not weighted:
        return []
    args: dict[str, object] = {
        "keys": [t for t, _, _ in weighted],
        "weights": [w for _, w, _ in weighted],
        "k1p1": K1 + 1.0,
        "k1": K1,
        "b": B,
        "avgdl": total / n,
        "k": k,
    }
    documents = "AND c.doc_id = ANY(%(docs)s)" if doc_ids else ""
    args["docs"] = list(doc_ids)
    bounds = [w * (K1 + 1.0) for _, w, _ in weighted]
    terms = [t for t, _, _ in weighted]
    # round 1: the rarest terms, up to a budget of postings
    first, spent = 0, 0
    while first < len(weighted) and (first == 0 or spent + weighted[first][2] <= _FIRST_BUDGET):
        spent += weighted[first][2]
        first += 1
    sql = _SCORE.format(columns=columns, documents=documents, candidates=_ROUND_1)
    best: list[tuple[Any, ...]] = conn.execute(sql, {**args, "essential": terms[:first]}).fetchall()
    threshold = best[-1][-1] if len(best) == k else -math.inf
    # round 2 (MaxScore): the fewest more terms whose leaving-out the k-th best score
    # already beats; of the chunks holding one of them and none of round 1's, only those
    # whose bound reaches that score are scored
    last = first
    while last < len(weighted) and sum(bounds[last:]) > threshold:
        last += 1
    if last == first:
        return best
    sql = _SCORE.format(columns=columns, documents=documents, candidates=_ROUND_2)
    more = conn.execute(
        sql,
        {
            **args,
            "essential": terms[:last],
            "bounds": bounds[:last],
            "seen": [i < first for i in range(last)],
            "rest": sum(bounds[last:]),
            "threshold": threshold,
            "cap": ROUND_2_CAP,
        },
    ).fetchall()
    return sorted(best + more, key=lambda r: (-r[-1], r[0]))[:k]


def add_statistics(conn: Any, workspace: str, items: Sequence[tuple[list[str], int]]) -> None:
    """Count new chunks (their terms and lengths) into the workspace's statistics."""
    if not items:
        return
    df: Counter[str] = Counter()
    for terms, _ in items:
        df.update(terms)
    tokens = sum(length for _, length in items)
    conn.execute(
        "INSERT INTO lexical_stats (workspace, chunks, tokens, generation)"
        " VALUES (%s, %s, %s, nextval('lexical_generation'))"
        " ON CONFLICT (workspace) DO UPDATE SET chunks = lexical_stats.chunks + excluded.chunks,"
        " tokens = lexical_stats.tokens + excluded.tokens, generation = excluded.generation",
        (workspace, len(items), tokens),
    )
    terms = sorted(df)
    conn.execute(
        "INSERT INTO term_stats (workspace, term, df)"
        " SELECT %s, t, n FROM unnest(%s::text[], %s::int[]) AS u (t, n)"
        " ON CONFLICT (workspace, term) DO UPDATE SET df = term_stats.df + excluded.df",
        (workspace, terms, [df[t] for t in terms]),
    )


def remove_statistics(conn: Any, doc_id: int) -> None:
    """Take a document's chunks out of the statistics (before they are deleted)."""
    conn.execute(
        "UPDATE lexical_stats s SET chunks = s.chunks - d.n, tokens = s.tokens - d.t,"
        " generation = nextval('lexical_generation') FROM"
        " (SELECT count(*) AS n, coalesce(sum(n_tokens), 0) AS t FROM chunks WHERE doc_id = %s) d"
        " WHERE s.workspace = current_setting('dalin.workspace', true)",
        (doc_id,),
    )
    conn.execute(
        "WITH gone AS (SELECT t, count(*) AS n FROM chunks, unnest(terms) AS t"
        " WHERE doc_id = %s GROUP BY t)"
        " UPDATE term_stats s SET df = s.df - gone.n FROM gone"
        " WHERE s.workspace = current_setting('dalin.workspace', true) AND s.term = gone.t",
        (doc_id,),
    )
    # a term no chunk holds any more goes too: a deleted document's words (names, amounts)
    # must not stay in the database as the keys of empty statistics
    conn.execute(
        "DELETE FROM term_stats s USING (SELECT DISTINCT t FROM chunks, unnest(terms) AS t"
        " WHERE doc_id = %s) g WHERE s.workspace = current_setting('dalin.workspace', true)"
        " AND s.term = g.t AND s.df <= 0",
        (doc_id,),
    )
