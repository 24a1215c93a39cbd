"""BM25 over the store's lexical tokens in memory, ranking exactly as FTS5's ``bm25()`` does.

Why: FTS5 calls ``bm25()`` once for every row that matches any query token, and Korean
queries nearly always hold a token (``하``, ``있``, ``년``) found in most chunks, so a query
costs about 2 µs for each chunk in the store (measured: ~0.2 s of CPU at 100k chunks, 2.2 s
at 1M; docs/benchmarks.md, "Scale"). Here each token's postings are a numpy slice and a
query is a few vector operations per token (~7 ms at 100k, ~55 ms at 1M).

The scores are those of FTS5 bit for bit (``ext/fts5/fts5_aux.c``, ``fts5Bm25Function``,
SQLite 3.40; Robertson & Zaragoza 2009), so the ranking, ties by chunk id included, does not
change with the index used:

    score(row) = Σ_phrases idf · (f · (k1 + 1)) / (f + k1 · (1 − b + b · D / avgdl))

with ``f`` the phrase's occurrences in the row weighted by column, ``D`` the row's tokens in
all columns, ``avgdl`` the mean of ``D``, ``idf = log((N − n + 0.5) / (n + 0.5))`` floored at
1e-6, summed in query order in double precision. A query token that FTS5 reads as a phrase
of several tokens (``쇼와 천황``) is scored by FTS5 itself through ``phrase_scores``: a
one-phrase ``bm25()`` is exactly that phrase's share of the sum.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from dalin.stores.vector_index import top_k

K1 = 1.2
B = 0.75
#: FTS5 reads at most this many tokens of a query (``dalin.stores.sqlite.fts_query``).
MAX_QUERY_TOKENS = 64
_IDF_FLOOR = 1e-6
#: unicode61 with ``tokenchars '.'``: letters, digits and ``.`` make tokens, all else splits.
_FTS_TOKEN = re.compile(r"(?:[^\W_]|\.)+")
_BLOCK_ROWS = 16_384
#: Marks the end of a row in a block's token stream; FTS5 never makes it a token.
_ROW_END = "\x00"
_UNSEEN = -2

#: A phrase's (chunk ids, share of the score) for the rows holding it.
PhraseScores = Callable[[str], tuple[np.ndarray, np.ndarray]]


def fts_tokens(text: str) -> list[str]:
    """The tokens FTS5's unicode61 tokenizer makes of ``text`` (case-folded)."""
    folded = text.lower()
    if folded.replace(" ", "").replace(".", "").isalnum():  # tokens joined by spaces
        return folded.split()
    return _FTS_TOKEN.findall(folded)


def query_terms(tokens: Sequence[str]) -> list[str]:
    """The distinct query tokens FTS5 is given, in order (as ``fts_query`` builds them)."""
    return list(dict.fromkeys(t for t in tokens if t))[:MAX_QUERY_TOKENS]


@dataclass(frozen=True)
class IndexedRow:
    """One chunk as the lexical index sees it: the text of each FTS5 column."""

    chunk_id: int
    doc_id: int
    section: str
    body: str


class SparseIndex:
    """Postings of every token (rows and column-weighted frequencies), searched with BM25."""

    def __init__(
        self,
        ids: np.ndarray,
        doc_ids: np.ndarray,
        lengths: np.ndarray,
        terms: dict[str, int],
        indptr: np.ndarray,
        rows: np.ndarray,
        freqs: np.ndarray,
    ) -> None:
        self.ids = ids
        self.doc_ids = doc_ids
        self.terms = terms
        self.indptr = indptr
        self.rows = rows
        self.freqs = freqs
        n = len(ids)
        lengths64 = lengths.astype(np.float64)
        self.avgdl = float(lengths64.sum()) / n if n else 0.0
        # the length part of the denominator, in the operation order of fts5_aux.c. With no
        # token anywhere (avgdl 0) no row can match a query, so FTS5 never divides; the norm
        # is then never read, and D / avgdl must not be computed (0 / 0).
        if self.avgdl > 0:
            self.norm = K1 * (1 - B + B * lengths64 / self.avgdl)
        else:
            self.norm = np.full(n, K1 * (1 - B))

    @classmethod
    def build(cls, rows: Iterable[IndexedRow], weights: tuple[float, float]) -> SparseIndex:
        """An index of ``rows`` (ascending chunk ids) with (section, body) column weights."""
        builder = _Builder(weights)
        block: list[IndexedRow] = []
        for row in rows:
            block.append(row)
            if len(block) == _BLOCK_ROWS:
                builder.add(block)
                block = []
        if block:
            builder.add(block)
        return builder.finish()

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        arrays = (self.ids, self.doc_ids, self.norm, self.indptr, self.rows, self.freqs)
        return sum(int(a.nbytes) for a in arrays)

    def search(
        self,
        tokens: Sequence[str],
        k: int,
        doc_ids: Sequence[int] = (),
        phrase_scores: PhraseScores | None = None,
    ) -> list[tuple[int, float]] | None:
        """The ``k`` best chunks as ``(chunk id, score)``, ranked as FTS5 ranks them.

        None when a token is a phrase of several FTS5 tokens and no ``phrase_scores`` is given.
        """
        n = len(self.ids)
        if k <= 0 or n == 0:
            return []
        scores = np.zeros(n, dtype=np.float64)
        for token in query_terms(tokens):
            parts = fts_tokens(token)
            if not parts:
                continue  # FTS5 matches nothing with an empty phrase
            if len(parts) == 1:
                self._add_term(scores, parts[0])
            elif phrase_scores is None:
                return None
            else:
                chunk_ids, shares = phrase_scores(token)
                where = np.searchsorted(self.ids, chunk_ids)
                scores[where] += shares
        return best_of(scores, self.ids, self.doc_ids, k, doc_ids)

    def _add_term(self, scores: np.ndarray, term: str) -> None:
        t = self.terms.get(term)
        if t is None:
            return
        start, end = int(self.indptr[t]), int(self.indptr[t + 1])
        rows = self.rows[start:end]
        hits = end - start
        idf = math.log((len(self.ids) - hits + 0.5) / (hits + 0.5))
        if idf <= 0.0:
            idf = _IDF_FLOOR
        add_postings(scores, rows, self.freqs[start:end], self.norm, idf)


def add_postings(
    scores: np.ndarray, rows: np.ndarray, freqs: np.ndarray, norm: np.ndarray, weight: float
) -> None:
    """Add one term's BM25 share to the rows holding it: ``weight`` (its idf, times how often
    the query holds it) · f · (k1 + 1) / (f + norm), in fts5_aux.c's order of operations."""
    f = freqs.astype(np.float64)
    # rows are unique within one term's postings, so a fancy-indexed += is exact
    scores[rows] += weight * ((f * (K1 + 1.0)) / (f + norm[rows]))


def best_of(
    scores: np.ndarray, ids: np.ndarray, doc_ids: np.ndarray, k: int, wanted: Sequence[int] = ()
) -> list[tuple[int, float]]:
    """``(chunk id, score)`` of the ``k`` best scoring rows (of the ``wanted`` documents, when
    given), best first, equal scores by ascending id."""
    matched = np.flatnonzero(scores)  # every match scores > 0: idf and f are positive
    if wanted:
        matched = matched[np.isin(doc_ids[matched], np.asarray(list(wanted), dtype=np.int64))]
    if matched.size == 0:
        return []
    best = matched[top_k(scores[matched], k, ids[matched])]
    return [(int(i), float(s)) for i, s in zip(ids[best], scores[best], strict=True)]


class _Builder:
    """Collects each block's postings (sorted by term, then row), then lays them out by term.

    Speed matters (a million chunks hold ~150M tokens): a block's column is folded and
    split as one string, rows told apart by a separator token, and mapped to term ids by
    one pass over the vocabulary dict.
    """

    def __init__(self, weights: tuple[float, float]) -> None:
        self.weights = weights
        self.terms: dict[str, int] = {_ROW_END: -1}
        self.ids: list[np.ndarray] = []
        self.doc_ids: list[np.ndarray] = []
        self.lengths: list[np.ndarray] = []
        self.blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.n = 0

    def add(self, block: Sequence[IndexedRow]) -> None:
        size = len(block)
        keys: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        lengths = np.zeros(size, dtype=np.int64)
        for texts, weight in (
            ([r.section for r in block], self.weights[0]),
            ([r.body for r in block], self.weights[1]),
        ):
            term_ids = self._term_ids(_column_tokens(texts))
            ends = term_ids < 0
            row = np.cumsum(ends)[~ends]
            term_ids = term_ids[~ends]
            lengths += np.bincount(row, minlength=size)
            keys.append(term_ids * size + row)
            weights.append(np.full(len(term_ids), weight))
        key, inverse = np.unique(np.concatenate(keys), return_inverse=True)
        freq = np.bincount(inverse, weights=np.concatenate(weights), minlength=len(key))
        self.blocks.append(
            (
                (key // size).astype(np.int32),
                (key % size + self.n).astype(np.int32),
                freq.astype(np.float32),
            )
        )
        self.ids.append(np.fromiter((r.chunk_id for r in block), np.int64, size))
        self.doc_ids.append(np.fromiter((r.doc_id for r in block), np.int64, size))
        self.lengths.append(lengths)
        self.n += size

    def _term_ids(self, tokens: list[str]) -> np.ndarray:
        terms = self.terms
        ids = np.fromiter(map(terms.get, tokens, repeat(_UNSEEN)), np.int64, len(tokens))
        unseen = np.flatnonzero(ids == _UNSEEN)
        for i in unseen:
            ids[i] = terms.setdefault(tokens[i], len(terms) - 1)  # the row end holds -1
        return ids

    def finish(self) -> SparseIndex:
        n_terms = len(self.terms) - 1
        counts = [np.bincount(t, minlength=n_terms) for t, _, _ in self.blocks]
        total = np.zeros(n_terms, dtype=np.int64)
        for count in counts:
            total += count
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(total, out=indptr[1:])
        rows = np.empty(int(indptr[-1]), dtype=np.int32)
        freqs = np.empty(int(indptr[-1]), dtype=np.float32)
        filled = indptr[:-1].copy()
        # blocks in row order, each sorted by (term, row): appending block after block
        # keeps every term's rows ascending
        for (term, row, freq), count in zip(self.blocks, counts, strict=True):
            first = np.zeros(n_terms + 1, dtype=np.int64)
            np.cumsum(count, out=first[1:])
            where = filled[term] + (np.arange(len(term)) - first[term])
            rows[where] = row
            freqs[where] = freq
            filled += count
        self.blocks = []
        del self.terms[_ROW_END]
        empty = np.empty(0, dtype=np.int64)
        return SparseIndex(
            ids=np.concatenate(self.ids or [empty]),
            doc_ids=np.concatenate(self.doc_ids or [empty]),
            lengths=np.concatenate(self.lengths or [empty]),
            terms=self.terms,
            indptr=indptr,
            rows=rows,
            freqs=freqs,
        )


def _column_tokens(texts: Sequence[str]) -> list[str]:
    """The FTS5 tokens of each text, a :data:`_ROW_END` token after each."""
    folded = []
    for text in texts:
        lower = text.lower()
        if not lower.replace(" ", "").replace(".", "").isalnum():
            lower = " ".join(_FTS_TOKEN.findall(lower))  # rare: punctuation, symbols
        folded.append(lower)
    folded.append("")
    return f" {_ROW_END} ".join(folded).split()
