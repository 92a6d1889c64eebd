"""The issuer's signing keys: the current one signs, the previous one still verifies.

Rotation (``python -m trellis_identity rotate-key``) stores a new current key; every
process picks it up within ``reload_seconds``. The JWKS lists current and previous, so
tokens signed just before a rotation stay valid until they expire; rotate again only
after an access token's lifetime has passed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from trellis_platform.auth.signing import SigningKey
from trellis_platform.auth.tokens import InvalidToken

# An unknown key id reloads the keys (another process may have rotated), at most this often.
MIN_RELOAD_SECONDS = 5.0


class KeySource(Protocol):
    def published_keys(self) -> list[SigningKey]:
        """The current key first, then the previous one (if any)."""


class KeyRing:
    def __init__(self, source: KeySource | None = None, *, keys: Sequence[SigningKey] = (),
                 reload_seconds: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._source = source
        self._clock = clock
        self._reload_seconds = reload_seconds
        self._lock = threading.Lock()
        self._keys: list[SigningKey] = list(keys)
        self._loaded_at = clock()
        if source is not None:
            self.reload()
        if not self._keys:
            raise ValueError("a key ring needs at least one key")

    @classmethod
    def generated(cls) -> KeyRing:
        """A ring of one fresh key that lives in memory only (unit tests)."""
        return cls(keys=[SigningKey.generate()])

    @property
    def current(self) -> SigningKey:
        if self._source is not None and self._clock() - self._loaded_at >= self._reload_seconds:
            self.reload()
        return self._keys[0]

    def sign(self, claims: dict[str, Any]) -> str:
        return self.current.sign(claims)

    def key_for(self, key_id: str) -> Any:
        key = self._find(key_id)
        if key is None and self._source is not None and self._clock() - self._loaded_at >= MIN_RELOAD_SECONDS:
            self.reload()
            key = self._find(key_id)
        if key is None:
            raise InvalidToken(f"unknown signing key {key_id!r}")
        return key.private_key.public_key()

    def _find(self, key_id: str) -> SigningKey | None:
        return next((k for k in self._keys if k.key_id == key_id), None)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.public_jwk() for k in self._keys]}

    def reload(self) -> None:
        assert self._source is not None
        with self._lock:
            keys = self._source.published_keys()
            if keys:
                self._keys = keys
            self._loaded_at = self._clock()

    def rotate_in_memory(self) -> SigningKey:
        """A new current key, the old one kept as previous (tests of rotation without a store)."""
        key = SigningKey.generate()
        self._keys = [key, *self._keys[:1]]
        return key
