"""A person's credentials: the argon2 hash of their password, and their login sessions.

Who they are in their organisation (name, roles, client, active) is the organisation's
directory; this aggregate is what a login checks. Stored event topics are
``trellis_identity.domain.user:User.<Event>``: this module stays where it is.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class User(Aggregate):
    class Registered(Aggregate.Created):
        organisation_id: UUID
        email: str
        password_hash: str
        meta: dict[str, str]

    @event(Registered)
    def __init__(self, *, organisation_id: UUID, email: str, password_hash: str,
                 meta: dict[str, str]) -> None:
        self.organisation_id = organisation_id
        self.email = email
        self.password_hash = password_hash
        # Session id -> when it expires; the sessions "revoke all" has to revoke.
        self.sessions: dict[str, datetime] = {}

    @classmethod
    def register(cls, *, user_id: UUID, organisation_id: UUID, email: str, password_hash: str,
                 meta: dict[str, str]) -> User:
        """With the id the organisation's directory already knows the person by."""
        return cls._create(cls.Registered, id=user_id, organisation_id=organisation_id, email=email,
                           password_hash=password_hash, meta=meta)

    class PasswordChanged(Aggregate.Event):
        password_hash: str
        meta: dict[str, str]

    @event(PasswordChanged)
    def change_password(self, *, password_hash: str, meta: dict[str, str]) -> None:
        self.password_hash = password_hash

    class SessionStarted(Aggregate.Event):
        session_id: UUID
        started_at: datetime
        expires_at: datetime
        meta: dict[str, str]

    @event(SessionStarted)
    def start_session(self, *, session_id: UUID, started_at: datetime, expires_at: datetime,
                      meta: dict[str, str]) -> None:
        # Expired sessions need no revoking; forgetting them keeps the state small.
        self.sessions = {sid: until for sid, until in self.sessions.items() if until > started_at}
        self.sessions[str(session_id)] = expires_at

    def open_sessions(self, now: datetime) -> list[UUID]:
        return [UUID(sid) for sid, until in self.sessions.items() if until > now]
