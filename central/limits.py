"""Rate limits of the centre: per-kiosk ticket and lookup rates, tickets per person per day.

A kiosk serves one citizen at a time, so a token taking numbers faster than people can stand at
a screen is a script or a stolen token: the per-kiosk buckets stop it from draining a matter's
daily quota in a fraction of a second. The per-person limit counts a matter's tickets of one ID
hash on one day in the database (so it holds across instances); the buckets live in this
process (with several instances behind one address, each instance keeps its own: a kiosk gets
at most N times the rate, still far from draining a quota).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimits:
    """``0`` switches a limit off (benchmarks, load tests)."""

    tickets_per_kiosk: int = 10  # numbers a kiosk may take within ``window_s`` (burst too)
    tickets_per_person: int = 3  # numbers one ID hash may take per matter per day
    lookups_per_kiosk: int = 10  # progress look-ups by tracking number within ``window_s``
    window_s: float = 60.0

    @classmethod
    def off(cls) -> RateLimits:
        return cls(tickets_per_kiosk=0, tickets_per_person=0, lookups_per_kiosk=0)


class TokenBuckets:
    """One token bucket per key: ``capacity`` at once, refilled evenly over ``window_s``."""

    def __init__(self, capacity: int, window_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = capacity
        self.rate = capacity / window_s if window_s > 0 else 0.0
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)

    def take(self, key: str) -> float:
        """Take one token; return 0.0 when allowed, else the seconds until one is back."""
        if self.capacity <= 0:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.capacity), now))
            tokens = min(float(self.capacity), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                if len(self._buckets) > 10_000:  # forget full buckets: memory stays bounded
                    self._prune(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate if self.rate else float("inf")

    def give_back(self, key: str) -> None:
        """Return a token taken for a request that turned out not to count (a retried
        Idempotency-Key answered from its stored answer)."""
        if self.capacity <= 0:
            return
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.capacity), self._clock()))
            self._buckets[key] = (min(float(self.capacity), tokens + 1.0), last)

    def _prune(self, now: float) -> None:
        full = [k for k, (tokens, last) in self._buckets.items()
                if tokens + (now - last) * self.rate >= self.capacity]
        for key in full:
            del self._buckets[key]
