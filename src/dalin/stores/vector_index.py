"""Exact cosine search over an in-memory matrix of chunk vectors.

Vectors are L2-normalised, so cosine is a dot product: one BLAS matrix-vector product over
every row, then the top ``k``. Why exact, and why float32 in memory although the store keeps
float16 (measured on the 2-core box, 1M x 384; docs/benchmarks.md, "Scale"):

* the scan is bound by memory bandwidth (~200 ms for the 1.5 GB of a million float32
  vectors); numpy has no float16 BLAS and converts at ~3.3 ns a value, so scanning float16
  costs ~1.3 s of CPU per query at 1M: the vectors are widened once, when the index is built;
* int8 with float rescoring saves nothing in numpy: converting int8 blocks to float32 for
  BLAS costs what the float32 scan costs (198 vs 207 ms of CPU at 1M, one thread);
* a coarse IVF (spherical k-means, 256 lists, 200k random unit vectors) reaches recall@10
  of only 0.15 probing 1/16 of the lists and 0.46 probing 1/4: random vectors have no
  clusters to find, so no approximate mode here meets recall@10 >= 0.95 on them.

The top ``k`` is exact too: a threshold taken from a sample of the scores can only be lower
than the true ``k``-th best, so every row above it is a candidate and only those are sorted
(~2 ms instead of ~25 ms for ``argpartition`` over a million scores).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

#: Below this many scores a plain ``argpartition`` is as fast as sampling a threshold.
_SAMPLE_ABOVE = 65_536
_SAMPLE_STRIDE = 32


class VectorIndex:
    """Chunk ids, their document ids and their vectors, searched exactly."""

    def __init__(
        self,
        ids: npt.ArrayLike,
        doc_ids: npt.ArrayLike,
        vectors: npt.ArrayLike,
    ) -> None:
        self.ids = np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)
        self.doc_ids = np.ascontiguousarray(doc_ids, dtype=np.int64).reshape(-1)
        matrix = np.asarray(vectors)
        if matrix.ndim != 2:
            matrix = matrix.reshape(len(self.ids), -1)
        if not (len(self.ids) == len(self.doc_ids) == matrix.shape[0]):
            raise ValueError(
                f"ids ({len(self.ids)}), doc_ids ({len(self.doc_ids)}) and "
                f"vectors ({matrix.shape[0]}) differ in length"
            )
        self.dim = int(matrix.shape[1])
        self.vectors = np.ascontiguousarray(matrix, dtype=np.float32)
        # rows grouped by document, for filtered searches without a scan of every row
        self._by_doc = np.argsort(self.doc_ids, kind="stable")
        self._sorted_docs = self.doc_ids[self._by_doc]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        """Memory held by the index."""
        return int(
            self.vectors.nbytes
            + self.ids.nbytes
            + self.doc_ids.nbytes
            + self._by_doc.nbytes
            + self._sorted_docs.nbytes
        )

    def search(
        self, query: npt.ArrayLike, k: int, doc_ids: Sequence[int] = ()
    ) -> list[tuple[int, float]]:
        """The ``k`` nearest chunks as ``(chunk id, cosine)``, best first; ties by chunk id."""
        if k <= 0 or len(self.ids) == 0:
            return []
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        if q.shape[0] != self.dim:
            raise ValueError(f"query has {q.shape[0]} dims, index has {self.dim}")
        if doc_ids:
            rows = self.rows_of(doc_ids)
            if rows.size == 0:
                return []
            scores = self.vectors[rows] @ q
        else:
            rows = None
            scores = self.vectors @ q
        best = top_k(scores, k, self.ids if rows is None else self.ids[rows])
        chosen = best if rows is None else rows[best]
        return [(int(i), float(s)) for i, s in zip(self.ids[chosen], scores[best], strict=True)]

    def rows_of(self, doc_ids: Sequence[int]) -> np.ndarray:
        """Row numbers (ascending) of the chunks of the given documents."""
        wanted = np.unique(np.asarray(doc_ids, dtype=np.int64))
        starts = np.searchsorted(self._sorted_docs, wanted, side="left")
        ends = np.searchsorted(self._sorted_docs, wanted, side="right")
        parts = [self._by_doc[s:e] for s, e in zip(starts, ends, strict=True) if e > s]
        if not parts:
            return np.empty(0, dtype=np.int64)
        return np.sort(np.concatenate(parts))


def top_k(scores: np.ndarray, k: int, ids: np.ndarray) -> np.ndarray:
    """Positions of the ``k`` highest scores, best first, equal scores by ascending id."""
    n = scores.shape[0]
    if k >= n:
        candidates = np.arange(n)
    elif n > _SAMPLE_ABOVE and k * _SAMPLE_STRIDE * 4 < n:
        # the k-th best of a sample is at most the k-th best of all: nothing above is lost
        threshold = np.partition(scores[::_SAMPLE_STRIDE], -k)[-k]
        candidates = np.flatnonzero(scores >= threshold)
    else:
        candidates = np.argpartition(scores, n - k)[n - k :]
        # rows tied with the k-th best may have been cut arbitrarily: bring all of them in
        candidates = np.flatnonzero(scores >= scores[candidates].min())
    order = np.lexsort((ids[candidates], -scores[candidates]))
    return candidates[order[:k]]
