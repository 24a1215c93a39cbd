"""One search: glossary expansion, lexical BM25, dense vectors, fusion.

Dense retrieval is used only when it can help and cannot quietly hurt:

* the embedder is configured and every chunk in scope has a vector — while vectors are
  still being computed, a half-embedded workspace would rank embedded documents above the
  rest, so search stays lexical until the backfill finishes;
* the query embedding succeeds — an unreachable embedding server degrades to lexical
  search (and says so in the log) instead of failing the question.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from dalin.embedders.base import Embedder
from dalin.errors import EmbedderError
from dalin.retrieval.fusion import reciprocal_rank_fusion, weighted_fusion
from dalin.retrieval.glossary import Expansion, Glossary
from dalin.text.korean import tokenize
from dalin.types import Filter, Hit

log = logging.getLogger(__name__)

_EVERYWHERE = Filter()
FUSIONS = ("weighted", "rrf", "lexical", "dense")
#: how many candidates each side contributes before fusion
CANDIDATES = 50


class SearchableStore(Protocol):
    def keyword_search(self, tokens: Sequence[str], k: int, where: Filter) -> list[Hit]: ...

    def vector_search(
        self, vector: np.ndarray, k: int, where: Filter, embedder: str
    ) -> list[Hit]: ...


@dataclass(frozen=True)
class SearchPlan:
    """How to combine the two sides (from ``[retrieval]`` in ``dalin.toml``)."""

    fusion: str = "weighted"
    dense_weight: float = 0.3
    rrf_k: int = 60
    candidates: int = CANDIDATES

    def __post_init__(self) -> None:
        if self.fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {', '.join(FUSIONS)}, not {self.fusion!r}")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError("dense_weight must be between 0 and 1")


def query_tokens(query: str, expansion: Expansion) -> list[str]:
    """The query's tokens, then those of the glossary words it brought in."""
    tokens = tokenize(query)
    for word in expansion.words:
        tokens.extend(tokenize(word))
    return list(dict.fromkeys(tokens))


def search(
    query: str,
    k: int,
    *,
    store: SearchableStore,
    plan: SearchPlan,
    where: Filter = _EVERYWHERE,
    glossary: Glossary | None = None,
    embedder: Embedder | None = None,
    dense_ready: Callable[[], bool] = lambda: True,
) -> list[Hit]:
    """The ``k`` best passages for ``query``, best first."""
    if k <= 0:
        return []
    expansion = glossary.expand(query) if glossary else Expansion(query)
    pool = max(k, plan.candidates)
    lexical = store.keyword_search(query_tokens(query, expansion), pool, where)
    if plan.fusion == "lexical" or embedder is None or not dense_ready():
        return lexical[:k]
    dense = _dense(query, expansion, pool, store, embedder, where)
    if dense is None:
        return lexical[:k]
    if plan.fusion == "dense":
        return dense[:k]
    if plan.fusion == "rrf":
        weights = (1.0 - plan.dense_weight, plan.dense_weight)
        return reciprocal_rank_fusion([lexical, dense], k, rrf_k=plan.rrf_k, weights=weights)
    return weighted_fusion([lexical, dense], (1.0 - plan.dense_weight, plan.dense_weight), k)


def _dense(
    query: str,
    expansion: Expansion,
    pool: int,
    store: SearchableStore,
    embedder: Embedder,
    where: Filter,
) -> list[Hit] | None:
    text = query if not expansion.words else f"{query} ({', '.join(expansion.words)})"
    try:
        vector = embedder.embed([text], kind="query")[0]
    except EmbedderError as error:
        log.warning("dense search skipped, keyword results only: %s", error)
        return None
    return store.vector_search(vector, pool, where, embedder.name)
