"""One access token revoked by its id (``jti``) before it expires.

Its aggregate id derives from the token id, so asking "is this token revoked" is one
lookup by id. Stored event topics are ``trellis_identity.domain.revoked_token:RevokedToken.<Event>``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

_NAMESPACE = uuid.UUID("5d0e8a4b-2f61-4c3e-8b7a-61f0c2d9e3a7")


def revoked_token_id(token_id: str) -> UUID:
    return uuid.uuid5(_NAMESPACE, token_id)


class RevokedToken(Aggregate):
    class Created(Aggregate.Created):
        token_id: str
        organisation_id: UUID
        subject: str
        expires_at: datetime
        meta: dict[str, str]

    @staticmethod
    def create_id(token_id: str) -> UUID:
        return revoked_token_id(token_id)

    @event(Created)
    def __init__(self, *, token_id: str, organisation_id: UUID, subject: str, expires_at: datetime,
                 meta: dict[str, str]) -> None:
        self.token_id = token_id
        self.organisation_id = organisation_id
        self.subject = subject
        self.expires_at = expires_at
