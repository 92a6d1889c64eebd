"""A login session: the family of rotating refresh tokens one login started.

Each refresh replaces the refresh token; presenting one that was already replaced means
it leaked (or the client misbehaves), so the whole family is revoked. Only SHA-256
hashes of the tokens are stored. Access tokens carry the session id (``sid``): revoking
the session revokes them too.

Stored event topics are ``trellis_identity.domain.session:Session.<Event>``.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class Refresh(Enum):
    ROTATED = "rotated"
    REUSED = "reused"
    UNKNOWN = "unknown"
    ENDED = "ended"


REUSE_REASON = "a replaced refresh token was presented again"


class Session(Aggregate):
    class Started(Aggregate.Created):
        user_id: UUID
        organisation_id: UUID
        refresh_hash: str
        expires_at: datetime
        meta: dict[str, str]

    @event(Started)
    def __init__(self, *, user_id: UUID, organisation_id: UUID, refresh_hash: str, expires_at: datetime,
                 meta: dict[str, str]) -> None:
        self.user_id = user_id
        self.organisation_id = organisation_id
        self.refresh_hash = refresh_hash
        self.replaced_hashes: list[str] = []
        self.expires_at = expires_at
        self.revoked = False
        self.revoked_reason = ""

    def is_open(self, now: datetime) -> bool:
        return not self.revoked and now < self.expires_at

    def holds(self, refresh_hash: str) -> bool:
        """Whether ``refresh_hash`` is this session's current or a replaced refresh token."""
        return hmac.compare_digest(refresh_hash, self.refresh_hash) or self._was_replaced(refresh_hash)

    def _was_replaced(self, refresh_hash: str) -> bool:
        return any(hmac.compare_digest(refresh_hash, old) for old in self.replaced_hashes)

    def refresh(self, *, presented_hash: str, new_hash: str, now: datetime, meta: dict[str, str]) -> Refresh:
        """Rotates on the current token; revokes the family on a replaced one."""
        if not self.is_open(now):
            return Refresh.ENDED
        if hmac.compare_digest(presented_hash, self.refresh_hash):
            self._refreshed(refresh_hash=new_hash, meta=meta)
            return Refresh.ROTATED
        if self._was_replaced(presented_hash):
            self.revoke(reason=REUSE_REASON, meta=meta)
            return Refresh.REUSED
        return Refresh.UNKNOWN

    class Refreshed(Aggregate.Event):
        refresh_hash: str
        meta: dict[str, str]

    @event(Refreshed)
    def _refreshed(self, *, refresh_hash: str, meta: dict[str, str]) -> None:
        self.replaced_hashes.append(self.refresh_hash)
        self.refresh_hash = refresh_hash

    class Revoked(Aggregate.Event):
        """Version 2 names the organisation, so that the revocation can be published on its
        own (every service refuses the session's tokens); version 1 did not."""

        reason: str
        meta: dict[str, str]
        organisation_id: UUID | None
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Recorded before revocations were published: not known here, and not published.
            state["organisation_id"] = None

    def revoke(self, *, reason: str, meta: dict[str, str]) -> bool:
        """False when it already was revoked."""
        if self.revoked:
            return False
        self._revoked(reason=reason, meta=meta, organisation_id=self.organisation_id)
        return True

    @event(Revoked)
    def _revoked(self, *, reason: str, meta: dict[str, str], organisation_id: UUID | None) -> None:
        self.revoked = True
        self.revoked_reason = reason
