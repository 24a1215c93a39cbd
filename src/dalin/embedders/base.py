"""The Embedder interface: texts in, one L2-normalised float32 row per text out.

Dense retrieval scores a query against stored passages by a dot product, which is the
cosine only when both sides are unit vectors; every backend therefore returns normalised
rows, whatever its model or server does. Models of the E5 family are trained with a
"query: " or "passage: " prefix (Wang et al. 2022, https://arxiv.org/abs/2212.03533), so
the caller says which side a text is on and the backend applies its own convention.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

import numpy as np

EmbedKind = Literal["query", "passage"]


@runtime_checkable
class Embedder(Protocol):
    """An embedding model. ``embed`` raises ``dalin.errors.EmbedderError`` subclasses."""

    #: a stable id, used as the key of the vector cache: vectors of two embedders with the
    #: same name must be interchangeable, e.g. "local:multilingual-e5-small-q4" or
    #: "openai:text-embedding-3-small@https://api.openai.com/v1"
    name: str
    #: the vector size; 0 until known (a remote model may tell only on the first call)
    dim: int

    def embed(self, texts: Sequence[str], *, kind: EmbedKind) -> np.ndarray:
        """A float32 array of shape (len(texts), dim) with unit rows; (0, dim) for no texts."""
        ...


def check_texts(texts: Sequence[str], kind: str) -> None:
    """Refuse the two easy mistakes: one string (a sequence of characters) and a bad kind."""
    if isinstance(texts, str):
        raise TypeError("embed() takes a sequence of texts, not one string; use [text]")
    if kind not in ("query", "passage"):
        raise ValueError(f"kind must be 'query' or 'passage', not {kind!r}")
