"""Password hashing: argon2id (argon2-cffi), salted, with its parameters in the hash.

A login for an unknown email still verifies a password against a dummy hash, so that
the answer takes as long as for a known email with a wrong password.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        # argon2-cffi's default is RFC 9106's second recommendation: argon2id, t=3, m=64 MiB, p=4.
        self._hasher = hasher or PasswordHasher()
        if self._hasher.type is not Type.ID:
            raise ValueError("passwords are hashed with argon2id")
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

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
