"""Internal clients: Trellis's own services that identity issues tokens to, each known by a
secret provisioned by configuration (not by an API key, which belongs to one organisation).

What an internal client may do is fixed here, in code; only its secret is configuration.
A client whose secret is not set does not exist. Its tokens are for one organisation at
a time, named in each request (see ``InternalTokenUseCases``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field

MIN_SECRET_LENGTH = 32

KNOWN: dict[str, tuple[str, tuple[str, ...]]] = {
    # The portal streams to a client user the documents it shows them; the bytes are planning's.
    "portal": ("TRELLIS_PORTAL_CLIENT_SECRET", ("planning.documents:read",)),
}
"""Client name -> (the setting holding its secret, the permissions of its tokens)."""


@dataclass(frozen=True)
class InternalClient:
    name: str
    permissions: tuple[str, ...]
    secret_sha256: bytes = field(repr=False)

    @classmethod
    def with_secret(cls, name: str, permissions: tuple[str, ...], secret: str) -> InternalClient:
        return cls(name=name, permissions=permissions, secret_sha256=_digest(secret))

    def matches(self, secret: str) -> bool:
        # Digests of equal length compared in constant time: the answer's timing says nothing.
        return hmac.compare_digest(self.secret_sha256, _digest(secret))


@dataclass(frozen=True)
class InternalClients:
    by_name: Mapping[str, InternalClient] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> InternalClients:
        """Raises RuntimeError for a secret too short to be one (a typo, a placeholder)."""
        clients = {}
        for name, (setting, permissions) in KNOWN.items():
            secret = environ.get(setting, "")
            if not secret:
                continue
            if len(secret) < MIN_SECRET_LENGTH:
                raise RuntimeError(f"{setting} must be a random secret of at least {MIN_SECRET_LENGTH}"
                                   " characters")
            clients[name] = InternalClient.with_secret(name, permissions, secret)
        return cls(clients)

    def get(self, name: str) -> InternalClient | None:
        return self.by_name.get(name)


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()
