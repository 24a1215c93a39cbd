"""Where slow work runs, so it cannot take the server from anyone else (issue 15 item 2).

FastAPI runs plain routes, static files and the key checks on one shared pool of threads.
A question that waits a minute for a slow model, or an upload that parses for two, would
hold one of those threads each, and enough of them stall every route, the web UI and
``/healthz`` with it. So questions (REST, ``/v1`` and MCP alike) run on threads of their
own, under limits per key, per workspace and overall, and uploads on others:

* a key with ``asks_per_key`` questions in progress gets 429 at once;
* a workspace with ``asks_per_workspace`` in progress, or a server with every question
  thread busy, makes the next question wait up to ``ask_queue_seconds``, then 429;
* a place is held until the thread really finishes, even when the client has gone.

Counters are plain integers under a lock and waiting is a short async sleep, so the lanes
work in any event loop (the tests run several).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Lock
from typing import TypeVar

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from dalin.api.auth import Principal
from dalin.api.limits import ServeLimits
from dalin.errors import Busy

T = TypeVar("T")
_POLL_SECONDS = 0.05
#: threads that save and index uploads (parsing itself waits in the shared parse pool)
UPLOAD_THREADS = 8


class Ticket:
    """A reserved place for one question; released once, whoever releases it first."""

    def __init__(self, release: Callable[[], None]) -> None:
        self._release: Callable[[], None] | None = release
        self._lock = Lock()
        #: given to a thread, which releases it when done
        self.handed = False

    def release(self) -> None:
        with self._lock:
            release, self._release = self._release, None
        if release is not None:
            release()


class Lanes:
    """The question and upload threads of one server, and the limits on questions."""

    def __init__(self, limits: ServeLimits) -> None:
        self.limits = limits
        self._asks = ThreadPoolExecutor(limits.ask_threads, thread_name_prefix="dalin-ask")
        self._uploads = ThreadPoolExecutor(UPLOAD_THREADS, thread_name_prefix="dalin-upload")
        self._lock = Lock()
        self._by_key: Counter[int] = Counter()
        self._by_workspace: Counter[str] = Counter()
        self._total = 0

    async def ask(self, principal: Principal, slug: str, work: Callable[[], T]) -> T:
        """Run ``work`` (a question and everything around it) on a question thread.

        Raises:
            Busy: the key, the workspace or the server has no room for it now.
        """
        return await self.start(await self.reserve(principal, slug), work)

    async def reserve(self, principal: Principal, slug: str) -> Ticket:
        """A place for one question of ``principal`` in ``slug`` (Busy when there is none).

        Give it to ``start``, or ``release`` it.
        """
        await self._enter(principal, slug)
        return Ticket(lambda: self._leave(principal, slug))

    def start(self, ticket: Ticket, work: Callable[[], T]) -> asyncio.Future[T]:
        """Run ``work`` on a question thread; the place is given back when the thread is
        done (not when the caller stops waiting)."""
        ticket.handed = True
        future = self._asks.submit(work)
        future.add_done_callback(lambda _: ticket.release())
        return asyncio.wrap_future(future)

    async def upload(self, work: Callable[[], T]) -> T:
        """Run ``work`` (saving and indexing files) on an upload thread."""
        return await asyncio.wrap_future(self._uploads.submit(work))

    async def _enter(self, principal: Principal, slug: str) -> None:
        limits = self.limits
        with self._lock:
            if self._by_key[principal.key_id] >= limits.asks_per_key:
                raise Busy(
                    f"this key already has {limits.asks_per_key} questions in progress; ask"
                    " again when one is answered / 이 키로 진행 중인 질문이 많습니다."
                    " 잠시 뒤 다시 물어보세요"
                )
            self._by_key[principal.key_id] += 1
        deadline = time.monotonic() + limits.ask_queue_seconds
        try:
            while not self._take(slug):
                if time.monotonic() > deadline:
                    raise Busy(
                        "this workspace is answering as many questions as it may; ask again in"
                        " a moment / 이 작업공간이 다른 질문에 답하는 중입니다. 잠시 뒤 다시"
                        " 물어보세요",
                        retry_after=max(1, round(limits.ask_queue_seconds)),
                    )
                await asyncio.sleep(_POLL_SECONDS)
        except BaseException:
            with self._lock:
                self._by_key[principal.key_id] -= 1
            raise

    def _take(self, slug: str) -> bool:
        with self._lock:
            if self._by_workspace[slug] >= self.limits.asks_per_workspace:
                return False
            if self._total >= self.limits.ask_threads:
                return False
            self._by_workspace[slug] += 1
            self._total += 1
            return True

    def _leave(self, principal: Principal, slug: str) -> None:
        with self._lock:
            self._by_key[principal.key_id] -= 1
            self._by_workspace[slug] -= 1
            self._total -= 1

    def close(self) -> None:
        self._asks.shutdown(wait=False, cancel_futures=True)
        self._uploads.shutdown(wait=False, cancel_futures=True)


class HeldStream(StreamingResponse):
    """A stream holding a question's place; the place is given back even when the stream
    never starts (the client left first)."""

    def __init__(self, content: AsyncIterator[str], ticket: Ticket, **kwargs: object) -> None:
        super().__init__(content, **kwargs)  # type: ignore[arg-type]
        self.ticket = ticket

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            if not self.ticket.handed:  # else the question's thread gives it back
                self.ticket.release()
