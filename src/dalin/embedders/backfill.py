"""Compute the vectors a store is missing, batch by batch, resumably.

Documents are searchable by keywords as soon as they are indexed; vectors follow. Each
batch is embedded and then committed in its own transaction, so an interruption (Ctrl-C,
a crash, a stop request) loses at most the batch in flight, and the next run starts with
the first text that still has no vector. Texts are keyed by hash, so a text shared by many
chunks is embedded once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from dalin.embedders.base import Embedder
from dalin.errors import EmbedderResponseError
from dalin.stores.base import Store

#: called after each committed batch with (chunks with a vector, chunks in total)
EmbedProgress = Callable[[int, int], None]
DEFAULT_BATCH = 16


def embed_pending(
    store: Store,
    embedder: Embedder,
    *,
    progress: EmbedProgress | None = None,
    stop: threading.Event | None = None,
    batch: int = DEFAULT_BATCH,
) -> int:
    """Embed every chunk text without a vector; return how many texts were embedded.

    Stops early, between batches, when ``stop`` is set.
    """
    if batch < 1:
        raise ValueError(f"batch must be positive, not {batch}")
    done = 0
    if progress is not None:
        progress(*store.vector_coverage(embedder.name))
    while stop is None or not stop.is_set():
        pending = store.chunks_without_vectors(embedder.name, batch)
        if not pending:
            break
        vectors = embedder.embed([text for _, text in pending], kind="passage")
        if vectors.shape[0] != len(pending):
            raise EmbedderResponseError(
                f"{embedder.name} returned {vectors.shape[0]} vectors for {len(pending)} texts"
            )
        store.put_embeddings(embedder.name, [(h, vectors[i]) for i, (h, _) in enumerate(pending)])
        done += len(pending)
        if progress is not None:
            progress(*store.vector_coverage(embedder.name))
    return done
