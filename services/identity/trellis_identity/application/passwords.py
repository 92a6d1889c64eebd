"""Password hashing: argon2id (argon2-cffi), salted, with its parameters in the hash.

A login for an unknown email still verifies a password against a dummy hash, so that
the answer takes as long as for a known email with a wrong password.

Each hash or verification holds 64 MiB while it runs, so only a few run at once
(TRELLIS_IDENTITY_PASSWORD_WORK_AT_ONCE, default 2); the others wait their turn, and a
request that waited TURN_WAIT_SECONDS is answered 503 with Retry-After rather than
holding its thread longer (the threads also serve the gateway's token checks). Without
the bound, every request thread could hash at the same time: under a burst of sign-ups,
logins or client users the API's memory grew by 64 MiB per concurrent request (a soak
saw it swing between 240 MiB and 960 MiB), and the extra hashes only fought for the cores.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from trellis_platform.problems import Problem

AT_ONCE_ENV = "TRELLIS_IDENTITY_PASSWORD_WORK_AT_ONCE"
TURN_WAIT_SECONDS = 10.0


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None, *, at_once: int | None = None,
                 turn_wait_seconds: float = TURN_WAIT_SECONDS) -> None:
        # argon2-cffi's default is RFC 9106's second recommendation: argon2id, t=3, m=64 MiB, p=4.
        self._hasher = hasher or PasswordHasher()
        if self._hasher.type is not Type.ID:
            raise ValueError("passwords are hashed with argon2id")
        self._turns = threading.BoundedSemaphore(at_once or int(os.environ.get(AT_ONCE_ENV, "2")))
        self._turn_wait = turn_wait_seconds
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        with self._turn():
            return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            with self._turn():
                return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    @contextmanager
    def _turn(self) -> Iterator[None]:
        if not self._turns.acquire(timeout=self._turn_wait):
            raise Problem(503, "Busy", "Too many passwords are being checked at once; try again shortly.",
                          headers={"Retry-After": "2"})
        try:
            yield
        finally:
            self._turns.release()

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with other parameters than today's."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def waste_time(self, password: str) -> None:
        """The same work as a real verification, for an email nobody signs in with."""
        self.verify(self._dummy_hash, password)


def fast_passwords() -> Passwords:
    """Still argon2id, with cheap parameters: for tests that log in many times."""
    return Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
