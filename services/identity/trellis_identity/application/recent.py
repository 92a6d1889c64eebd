"""Answers remembered for a short while (is this token or session revoked?)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

MAX_CACHED = 100_000


class RecentAnswers:
    """Answers remembered for a while; a revoked answer never changes, so it is kept."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._seconds = seconds
        self._clock = clock
        self._answers: dict[str, tuple[bool, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bool | None:
        found = self._answers.get(key)
        if found is None:
            return None
        revoked, until = found
        return revoked if revoked or self._clock() < until else None

    def put(self, key: str, revoked: bool) -> None:
        with self._lock:
            if len(self._answers) >= MAX_CACHED:
                self._answers.clear()
            self._answers[key] = (revoked, self._clock() + self._seconds)

    def forget(self, key: str) -> None:
        with self._lock:
            self._answers.pop(key, None)
