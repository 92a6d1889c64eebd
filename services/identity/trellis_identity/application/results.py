"""What the use cases answer with."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from trellis_identity.domain.organisation import ApiKeyEntry


@dataclass(frozen=True)
class IssuedAccess:
    token: str
    token_id: str
    expires_in: int


@dataclass(frozen=True)
class SessionTokens:
    access: IssuedAccess
    refresh_token: str
    refresh_expires_in: int
    session_id: UUID
    user_id: UUID
    organisation_id: UUID


@dataclass(frozen=True)
class SignedUp:
    organisation_id: UUID
    user_id: UUID


@dataclass(frozen=True)
class CreatedApiKey:
    entry: ApiKeyEntry
    secret: str
