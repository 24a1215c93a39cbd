"""One search: glossary expansion, lexical BM25, dense vectors, fusion.

Dense retrieval is used only when it can help and cannot quietly hurt:

* a Korean question whose best keyword passage holds most of its keywords (``dense_gate``)
  is answered by keywords alone: Kiwi's morphemes make that passage the answer far more
  often than e5 can improve on it (docs/benchmarks.md, the Korean domain dev set);

* the embedder is configured and every chunk in scope has a vector — while vectors are
  still being computed, a half-embedded workspace would rank embedded documents above the
  rest, so search stays lexical until the backfill finishes;
* the query embedding succeeds — an unreachable embedding server degrades to lexical
  search (and says so in the log) instead of failing the question.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
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
#: score factors for passages that point at content rather than hold it (``Chunk.kind``)
DEMOTED = {"toc": 0.5, "furniture": 0.5}
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


class SearchableStore(Protocol):
    def keyword_search(self, tokens: Sequence[str], k: int, where: Filter) -> list[Hit]: ...

    def vector_search(
        self, vector: np.ndarray, k: int, where: Filter, embedder: str
    ) -> list[Hit]: ...


@dataclass(frozen=True)
class SearchPlan:
    """How to combine the two sides (from ``[retrieval]`` in ``dalin.toml``)."""

    fusion: str = "weighted"
    #: the dense side's share for a question with Hangul in it
    dense_weight: float = 0.1
    #: … and for one without (English and other languages), where Kiwi's morphemes give
    #: keyword search no edge and dense search also bridges languages
    dense_weight_non_korean: float = 0.6
    #: a question with Hangul is answered by keywords alone when the best keyword passage
    #: holds this share of its keywords (``keyword_coverage``); above 1: always fuse
    dense_gate: float = 0.8
    rrf_k: int = 60
    candidates: int = CANDIDATES

    def __post_init__(self) -> None:
        if self.fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {', '.join(FUSIONS)}, not {self.fusion!r}")
        for weight in (self.dense_weight, self.dense_weight_non_korean):
            if not 0.0 <= weight <= 1.0:
                raise ValueError("dense_weight and dense_weight_non_korean must be in [0, 1]")
        if self.dense_gate < 0:
            raise ValueError("dense_gate must be >= 0")

    def dense_share(self, query: str) -> float:
        """The dense side's weight for this question, by whether it is written in Korean."""
        return self.dense_weight if _HANGUL.search(query) else self.dense_weight_non_korean

    def keywords_suffice(self, query: str, coverage: float) -> bool:
        """Whether keyword search answers this question alone: a Korean question whose best
        keyword passage holds ``dense_gate`` of its keywords (``coverage``)."""
        return bool(_HANGUL.search(query)) and coverage >= self.dense_gate


def keyword_coverage(tokens: Sequence[str], lexical: Sequence[Hit]) -> float:
    """Share of the query's keyword tokens that the best keyword passage (its heading path
    and text) holds: how sure keyword search is of its first answer."""
    wanted = set(tokens)
    if not wanted or not lexical:
        return 0.0
    held = set(tokenize(lexical[0].section + "\n" + lexical[0].text))
    return len(wanted & held) / len(wanted)


def query_tokens(query: str, expansion: Expansion) -> list[str]:
    """The query's tokens, then those of the glossary words it brought in."""
    tokens = tokenize(query)
    for word in expansion.words:
        tokens.extend(tokenize(word))
    return list(dict.fromkeys(tokens))


def dense_query(query: str, expansion: Expansion) -> str:
    """The text embedded for the dense side: the query, then its glossary words."""
    return query if not expansion.words else f"{query} ({', '.join(expansion.words)})"


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
    tokens = query_tokens(query, expansion)
    lexical = store.keyword_search(tokens, pool, where)
    if plan.fusion == "lexical" or embedder is None or not dense_ready():
        return demote_furniture(lexical, k)
    if plan.fusion != "dense" and plan.keywords_suffice(query, keyword_coverage(tokens, lexical)):
        return demote_furniture(lexical, k)  # and no query to embed
    dense = _dense(query, expansion, pool, store, embedder, where)
    if dense is None:
        return demote_furniture(lexical, k)
    if plan.fusion == "dense":
        return demote_furniture(dense, k)
    share = plan.dense_share(query)
    weights = (1.0 - share, share)
    if plan.fusion == "rrf":
        fused = reciprocal_rank_fusion([lexical, dense], pool, rrf_k=plan.rrf_k, weights=weights)
    else:
        # BM25 has a natural zero, cosine does not: see retrieval/fusion.py
        fused = weighted_fusion([lexical, dense], weights, pool, scales=("top", "range"))
    return demote_furniture(fused, k)


def demote_furniture(hits: Sequence[Hit], k: int) -> list[Hit]:
    """The best ``k`` hits once table-of-contents lines and running headers and footers
    count for less (``DEMOTED``): "Ⅱ. 사업 추진계획 ····· 4" names a topic without saying
    anything about it, so it must not outrank the section it points to."""
    if not any(h.kind in DEMOTED for h in hits):
        return list(hits[:k])
    scored = [replace(h, score=h.score * DEMOTED.get(h.kind, 1.0)) for h in hits]
    return sorted(scored, key=lambda h: -h.score)[:k]


def _dense(
    query: str,
    expansion: Expansion,
    pool: int,
    store: SearchableStore,
    embedder: Embedder,
    where: Filter,
) -> list[Hit] | None:
    try:
        vector = embedder.embed([dense_query(query, expansion)], kind="query")[0]
    except EmbedderError as error:
        log.warning("dense search skipped, keyword results only: %s", error)
        return None
    return store.vector_search(vector, pool, where, embedder.name)
