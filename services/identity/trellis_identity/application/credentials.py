"""Refresh tokens and API keys: ``<prefix><aggregate id>.<random secret>``.

The prefix lets secret scanners recognise a leaked one; the id finds the session or key
in one lookup; only the SHA-256 of the secret is stored (it has 256 random bits, so a
slow hash like argon2 would add nothing but latency).
"""

from __future__ import annotations

import hashlib
import secrets
from uuid import UUID

REFRESH_TOKEN_PREFIX = "trellis_rt_"  # noqa: S105 (a prefix, not a secret)
API_KEY_PREFIX = "trellis_ak_"
MAX_SECRET_LENGTH = 200


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def compose(prefix: str, aggregate_id: UUID, secret: str) -> str:
    return f"{prefix}{aggregate_id.hex}.{secret}"


def parse(prefix: str, token: str) -> tuple[UUID, str] | None:
    """The aggregate id and secret, or None when it is not such a token."""
    if not token.startswith(prefix) or len(token) > MAX_SECRET_LENGTH:
        return None
    identifier, _, secret = token[len(prefix):].partition(".")
    if not secret:
        return None
    try:
        return UUID(hex=identifier), secret
    except ValueError:
        return None
