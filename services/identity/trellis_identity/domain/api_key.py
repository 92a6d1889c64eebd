"""An API key's secret (its SHA-256 hash; the secret itself is shown once, at creation)
and whether it still works. Its name and permissions are the organisation's directory.

Stored event topics are ``trellis_identity.domain.api_key:ApiKey.<Event>``.
"""

from __future__ import annotations

import hmac
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class ApiKey(Aggregate):
    class Created(Aggregate.Created):
        organisation_id: UUID
        secret_hash: str
        meta: dict[str, str]

    @event(Created)
    def __init__(self, *, organisation_id: UUID, secret_hash: str, meta: dict[str, str]) -> None:
        self.organisation_id = organisation_id
        self.secret_hash = secret_hash
        self.revoked = False

    @classmethod
    def issue(cls, *, key_id: UUID, organisation_id: UUID, secret_hash: str, meta: dict[str, str]) -> ApiKey:
        """With the id the organisation's directory already knows the key by."""
        return cls._create(cls.Created, id=key_id, organisation_id=organisation_id, secret_hash=secret_hash,
                           meta=meta)

    def matches(self, secret_hash: str) -> bool:
        return hmac.compare_digest(secret_hash, self.secret_hash)

    class Revoked(Aggregate.Event):
        meta: dict[str, str]

    @event(Revoked)
    def revoke(self, *, meta: dict[str, str]) -> None:
        self.revoked = True
