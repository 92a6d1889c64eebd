"""Token buckets: how often one key (a tenant, an API key, an address, an email) may act.

Used by the gateway (requests per tenant and per API key, sign-ups and logins per
address and email) and by the identity service (login failures per email), so the
embedded mode, which has no gateway, is throttled too. In memory, per process: a wall
against floods and guessing, not an exact quota across replicas.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

_UNITS = {"s": 1.0, "sec": 1.0, "second": 1.0, "min": 60.0, "minute": 60.0, "h": 3600.0, "hour": 3600.0}
_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*([a-z]+)\s*(?:,\s*burst\s*=\s*(\d+)\s*)?$")


class InvalidRate(ValueError):
    pass


@dataclass(frozen=True)
class Rate:
    """``per_second`` tokens flow back into a bucket that holds at most ``burst``."""

    per_second: float
    burst: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"100/s"``, ``"20/min"``, ``"600/min,burst=50"``: the burst defaults to the count."""
        match = _RATE.match(text.lower())
        if match is None or match.group(2) not in _UNITS:
            raise InvalidRate(f"{text!r} is not a rate like 100/s, 20/min or 600/min,burst=50")
        count = float(match.group(1))
        burst = float(match.group(3)) if match.group(3) else count
        if count <= 0 or burst < 1:
            raise InvalidRate(f"{text!r}: the count must be positive and the burst at least 1")
        return cls(per_second=count / _UNITS[match.group(2)], burst=burst)


class Buckets:
    """One token bucket per key; a key's first request finds its bucket full."""

    def __init__(self, rate: Rate, *, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000) -> None:
        self.rate = rate
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _level(self, key: str, now: float) -> float:
        level, at = self._buckets.get(key, (self.rate.burst, now))
        return min(self.rate.burst, level + (now - at) * self.rate.per_second)

    def take(self, key: str, cost: float = 1.0) -> float:
        """0 when ``cost`` tokens were taken; otherwise the seconds until they would be there."""
        with self._lock:
            now = self._clock()
            level = self._level(key, now)
            if level >= cost:
                self._buckets[key] = (level - cost, now)
                self._buckets.move_to_end(key)
                self._evict()
                return 0.0
            self._buckets[key] = (level, now)
            self._buckets.move_to_end(key)
            return (cost - level) / self.rate.per_second

    def refund(self, key: str, cost: float = 1.0) -> None:
        """Gives back what ``take`` took (a login that succeeded is not a failure)."""
        with self._lock:
            if key in self._buckets:
                now = self._clock()
                self._buckets[key] = (min(self.rate.burst, self._level(key, now) + cost), now)

    def _evict(self) -> None:
        # Least recently used first; a key evicted comes back with a full bucket, which
        # only matters beyond max_keys distinct keys in use at once.
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)


def retry_after_header(seconds: float) -> str:
    """Retry-After in whole seconds, at least 1 (RFC 9110 section 10.2.3)."""
    return str(max(1, math.ceil(seconds)))
