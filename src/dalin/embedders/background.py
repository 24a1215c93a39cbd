"""Vectors computed in the background of a workspace, after an upload or a re-index."""

from __future__ import annotations

import threading
from collections.abc import Callable

from dalin.embedders import backfill
from dalin.embedders.base import Embedder
from dalin.stores.base import Store


class BackgroundEmbedding:
    """One daemon thread computing vectors; SQLite connections belong to one thread, so it
    opens its own store on the workspace."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._again = False
        self.error: Exception | None = None

    def start(self, open_store: Callable[[], Store], embedder: Embedder) -> None:
        with self._lock:
            if self._thread is not None:
                self._again = True  # picked up by the running thread before it ends
                return
            self._stop.clear()
            self._again = False
            self.error = None
            self._thread = threading.Thread(
                target=self._run, args=(open_store, embedder), name="dalin-embed", daemon=True
            )
            self._thread.start()

    def _run(self, open_store: Callable[[], Store], embedder: Embedder) -> None:
        store: Store | None = None
        try:
            store = open_store()
            while True:
                backfill.embed_pending(store, embedder, stop=self._stop)
                with self._lock:
                    if not self._again or self._stop.is_set():
                        self._thread = None
                        return
                    self._again = False
        except Exception as exc:  # a thread has no caller to raise to: keep it for status
            self.error = exc
            with self._lock:
                self._thread = None
        finally:
            if store is not None:
                store.close()

    @property
    def running(self) -> bool:
        with self._lock:
            return self._thread is not None

    def stop(self, timeout: float) -> None:
        """Stop after the batch in flight (waiting at most ``timeout`` seconds for it)."""
        self._stop.set()
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
