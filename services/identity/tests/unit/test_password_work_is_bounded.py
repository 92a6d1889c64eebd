"""Password hashing holds 64 MiB while it runs: only a few hashes run at once, whatever
the number of requests asking for one, and one that waits too long is answered 503."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from argon2 import PasswordHasher

from trellis_identity.application.passwords import Passwords
from trellis_platform.problems import Problem

# Only reached if the limit let no second hash run (then most == 1 fails the test).
COMPANY_WAIT_SECONDS = 10.0


class CountingHasher(PasswordHasher):
    """A cheap argon2id hasher that records how many of its calls overlap.

    Once told to ``wait_for_company``, a call running alone waits until a second one runs
    beside it (or the limit keeps it out for good), so that two at once is seen for
    certain when the limit allows it, not by luck of timing.
    """

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self._lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.wait_for_company = False
        self._company = threading.Event()

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
            if self.running >= 2:
                self._company.set()
        try:
            if self.wait_for_company and not self._company.wait(timeout=COMPANY_WAIT_SECONDS):
                self._company.set()  # no company came: the others need not wait as well
            return super().hash(password, salt=salt)
        finally:
            with self._lock:
                self.running -= 1

    def verify(self, hash: str | bytes, password: str | bytes) -> Any:
        return self.hash(password) and True


def test_at_most_the_configured_number_of_hashes_run_at_once() -> None:
    hasher = CountingHasher()
    passwords = Passwords(hasher, at_once=2)
    hasher.most = 0  # the dummy hash made at construction
    hasher.wait_for_company = True
    with ThreadPoolExecutor(max_workers=16) as pool:
        hashes = list(pool.map(passwords.hash, [f"password {n}" for n in range(32)]))
        checks = list(pool.map(lambda h: passwords.verify(h, "x"), hashes))
    assert len(hashes) == 32
    assert all(checks)
    assert hasher.most == 2


def test_a_request_that_waits_too_long_for_its_turn_is_told_to_come_back() -> None:
    hasher = CountingHasher()
    passwords = Passwords(hasher, at_once=1, turn_wait_seconds=0.01)
    with passwords._turn(), pytest.raises(Problem) as busy:  # the only turn is taken
        passwords.hash("a password")
    assert busy.value.status == 503
    assert busy.value.headers == {"Retry-After": "2"}
