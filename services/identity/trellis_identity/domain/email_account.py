"""Which user signs in with an email: one aggregate per email address, its id derived
from the address, so that two accounts can never claim the same one (the event store's
uniqueness of (id, version) decides a race).

Stored event topics are ``trellis_identity.domain.email_account:EmailAccount.<Event>``.
"""

from __future__ import annotations

import uuid
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_identity.domain.errors import EmailTaken

_NAMESPACE = uuid.UUID("0b6d7f5e-5b7c-4f0e-9a55-8f1f2d1c4e21")


def email_account_id(email: str) -> UUID:
    """``email`` as normalised by ``checks.normalised_email``."""
    return uuid.uuid5(_NAMESPACE, email)


class EmailAccount(Aggregate):
    class Claimed(Aggregate.Created):
        email: str
        user_id: UUID
        meta: dict[str, str]

    @staticmethod
    def create_id(email: str) -> UUID:
        return email_account_id(email)

    @event(Claimed)
    def __init__(self, *, email: str, user_id: UUID, meta: dict[str, str]) -> None:
        self.email = email
        self.user_id: UUID | None = user_id

    class Released(Aggregate.Event):
        meta: dict[str, str]

    @event(Released)
    def release(self, *, meta: dict[str, str]) -> None:
        self.user_id = None

    class Reclaimed(Aggregate.Event):
        user_id: UUID
        meta: dict[str, str]

    def reclaim(self, *, user_id: UUID, meta: dict[str, str]) -> None:
        if self.user_id is not None:
            raise EmailTaken(f"An account with the email {self.email} already exists.")
        self._reclaimed(user_id=user_id, meta=meta)

    @event(Reclaimed)
    def _reclaimed(self, *, user_id: UUID, meta: dict[str, str]) -> None:
        self.user_id = user_id
