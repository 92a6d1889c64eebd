"""What every identity use case shares: the event store, the password hasher, the keys
that sign access tokens, the clock, and loading aggregates by id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from trellis_identity.application.errors import ConcurrentChange
from trellis_identity.application.internal_clients import InternalClients
from trellis_identity.application.keys import KeyRing
from trellis_identity.application.passwords import Passwords
from trellis_identity.application.recent import RecentAnswers
from trellis_identity.application.results import IssuedAccess
from trellis_identity.application.transcodings import (
    ApiKeyEntryAsDict,
    ClientCompanyAsDict,
    MemberAsDict,
)
from trellis_identity.domain.errors import NotFound
from trellis_identity.domain.organisation import Organisation
from trellis_identity.domain.session import Session
from trellis_identity.domain.user import User
from trellis_platform.auth.signing import access_token_claims
from trellis_platform.auth.tokens import TokenSettings

T = TypeVar("T", bound=Aggregate)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Lifetimes:
    access: timedelta = timedelta(minutes=15)
    service: timedelta = timedelta(minutes=5)
    session: timedelta = timedelta(days=30)


class IdentityBase(Application[UUID]):
    name = "identity"
    # An organisation's directory and a long session grow with every change: snapshots
    # keep loading them cheap.
    snapshotting_intervals = {Organisation: 100, Session: 100}

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        passwords: Passwords,
        keys: KeyRing,
        token_settings: TokenSettings,
        lifetimes: Lifetimes = Lifetimes(),
        clock: Callable[[], datetime] = utc_now,
        revocation_cache_seconds: float = 1.0,
        internal_clients: InternalClients | None = None,
    ) -> None:
        super().__init__(env)
        self.recent_answers = RecentAnswers(revocation_cache_seconds)
        self.passwords = passwords
        self.keys = keys
        self.token_settings = token_settings
        self.lifetimes = lifetimes
        self.clock = clock
        self.internal_clients = internal_clients or InternalClients()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(MemberAsDict())
        transcoder.register(ClientCompanyAsDict())
        transcoder.register(ApiKeyEntryAsDict())

    def _load(self, aggregate_id: UUID, kind: type[T]) -> T | None:
        try:
            found: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, kind) else None

    def organisation(self, organisation_id: UUID) -> Organisation:
        found = self._load(organisation_id, Organisation)
        if found is None:
            raise NotFound(f"No organisation {organisation_id}.")
        return found

    def _commit(self, *aggregates: Aggregate) -> None:
        """Saves every change of one command atomically, or none of them."""
        try:
            self.save(*aggregates)
        except IntegrityError:
            raise ConcurrentChange("Someone else changed this at the same moment; try again.") from None
        self._committed(aggregates)

    def _committed(self, aggregates: tuple[Aggregate, ...]) -> None:
        """Called after a command's changes were stored (the revocation cache listens)."""

    def _issue(self, *, subject: str, organisation_id: UUID, kind: str, roles: list[str] | None = None,
               client_id: UUID | None = None, permissions: list[str] | None = None,
               session_id: UUID | None, lifetime: timedelta) -> IssuedAccess:
        claims = access_token_claims(
            self.token_settings, subject=subject, organisation_id=organisation_id, kind=kind, roles=roles,
            client_id=client_id, permissions=permissions,
            session_id=str(session_id) if session_id is not None else None, lifetime=lifetime,
            now=self.clock(),
        )
        return IssuedAccess(token=self.keys.sign(claims), token_id=str(claims["jti"]),
                            expires_in=int(lifetime.total_seconds()))

    def _sessions_revoked(self, user_id: UUID, reason: str, meta: dict[str, str],
                          keep: UUID | None = None) -> list[Session]:
        user = self._load(user_id, User)
        if user is None:
            return []
        revoked = []
        for session_id in user.open_sessions(self.clock()):
            session = self._load(session_id, Session)
            if session is not None and session_id != keep and session.revoke(reason=reason, meta=meta):
                revoked.append(session)
        return revoked


def with_actor(meta: dict[str, str], actor: str) -> dict[str, str]:
    """``meta`` naming ``actor`` as the cause (a login or sign-up acts as the person signing in)."""
    return {**meta, "actor": actor}
