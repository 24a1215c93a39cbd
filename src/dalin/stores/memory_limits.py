"""Request limits kept in this process's memory: a token bucket per API key and a throttle
on failed authentications per client address.

They serve a registry that one `dalin serve` process has to itself (``server.db``); the
PostgreSQL registry keeps the same limits in the database, shared by every process
(:mod:`dalin.stores.server_postgres`).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

DEFAULT_RATE_PER_MINUTE = 120.0


class RateLimiter:
    """A token bucket per key: ``per_minute`` requests a minute, bursts up to the same.

    ``per_minute <= 0`` turns the limit off. ``take`` returns 0 when the request may go
    ahead, else the seconds until it could.
    """

    def __init__(
        self,
        per_minute: float = DEFAULT_RATE_PER_MINUTE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = max(1.0, per_minute)
        self.refill_per_second = max(0.0, per_minute) / 60.0
        self._clock = clock
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: int) -> float:
        if self.refill_per_second <= 0:
            return 0.0  # no limit configured
        now = self._clock()
        with self._lock:
            tokens, since = self._buckets.get(key_id, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - since) * self.refill_per_second)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1.0 - tokens) / self.refill_per_second


class AuthThrottle:
    """Failed authentications per client address: after ``per_minute`` of them within a
    minute, the address gets 429 until the oldest is a minute old (``per_minute <= 0``: off).

    Addresses are kept in memory, at most ``max_addresses`` of them (the oldest go first).
    """

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_addresses: int = 100_000,
    ) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._max = max_addresses
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, address: str) -> float:
        """Seconds until ``address`` may try again (0: now)."""
        if self.per_minute <= 0:
            return 0.0
        with self._lock:
            times = self._recent(address)
            if len(times) < self.per_minute:
                return 0.0
            return times[0] + 60.0 - self._clock()

    def failed(self, address: str) -> bool:
        """Count a failure; True when it is the one that starts the throttling."""
        if self.per_minute <= 0:
            return False
        with self._lock:
            times = self._recent(address)
            times.append(self._clock())
            self._failures[address] = times
            while len(self._failures) > self._max:
                del self._failures[next(iter(self._failures))]
            return len(times) == self.per_minute

    def _recent(self, address: str) -> deque[float]:
        times = self._failures.pop(address, deque())  # re-inserted last: the newest
        horizon = self._clock() - 60.0
        while times and times[0] <= horizon:
            times.popleft()
        if times:
            self._failures[address] = times
        return times
