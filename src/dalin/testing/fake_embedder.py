"""A deterministic stand-in for an embedding model, for fast tests of what surrounds one.

``HashEmbedder`` hashes each word of a text into a fixed number of signed buckets (the
"hashing trick", Weinberger et al. 2009, https://arxiv.org/abs/0902.2206) and L2-normalises
the counts. Texts that share words get a positive cosine, identical texts the same vector,
on every run and every machine; nothing is loaded and nothing is learned. Tests of models
themselves use ``LocalE5`` or a real server (``dalin.testing.embedder_contract``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from dalin.embedders.base import EmbedKind, check_texts

_WORD = re.compile(r"\w+")

#: the bucket every text without a word falls into, so that its row is still a unit vector
_EMPTY_TOKEN = "\x00empty"


class HashEmbedder:
    """Bag-of-words hashing into ``dim`` signed buckets; rows L2-normalised; kind is ignored."""

    def __init__(self, dim: int = 64) -> None:
        if dim < 1:
            raise ValueError(f"dim must be positive, not {dim}")
        self.dim = dim
        self.name = f"hash:{dim}"
        #: every call's texts and kind, to assert what was (not) embedded, e.g. cache hits
        self.calls: list[tuple[list[str], EmbedKind]] = []

    def embed(self, texts: Sequence[str], *, kind: EmbedKind) -> np.ndarray:
        """One unit row per text; query and passage of the same text get the same vector."""
        check_texts(texts, kind)
        self.calls.append((list(texts), kind))
        matrix = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in _WORD.findall(text.lower()) or [_EMPTY_TOKEN]:
                bucket, sign = _bucket(token, self.dim)
                matrix[row, bucket] += sign
            norm = float(np.linalg.norm(matrix[row]))
            if norm == 0.0:  # every word cancelled out: fall back to the empty-text bucket
                matrix[row, _bucket(_EMPTY_TOKEN, self.dim)[0]] = 1.0
            else:
                matrix[row] /= norm
        return matrix


def _bucket(token: str, dim: int) -> tuple[int, float]:
    """The bucket and sign of one token (stable across processes, unlike ``hash()``)."""
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dim, 1.0 if (value >> 63) & 1 else -1.0
