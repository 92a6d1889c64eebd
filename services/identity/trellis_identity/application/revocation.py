"""Is a token revoked? Its id may be, or the session (or API key) it was issued under.

Answered from the event store: one lookup for the token id, one for the session. A short
cache keeps that off most requests; this process's own revocations clear it at once, so
in the embedded mode a revocation takes effect immediately, and with several identity
processes within ``cache_seconds``.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from eventsourcing.domain import Aggregate

from trellis_identity.application.base import IdentityBase
from trellis_identity.domain.api_key import ApiKey
from trellis_identity.domain.revoked_token import RevokedToken, revoked_token_id
from trellis_identity.domain.session import Session


class RevocationUseCases(IdentityBase):
    def is_revoked(self, token_id: str, session_id: str | None) -> bool:
        if token_id and self._answer(f"token:{token_id}", lambda: self._token_revoked(token_id)):
            return True
        return bool(session_id) and self._answer(f"session:{session_id}",
                                                 lambda: self._session_ended(str(session_id)))

    def _answer(self, key: str, ask: Callable[[], bool]) -> bool:
        known = self.recent_answers.get(key)
        if known is None:
            known = ask()
            self.recent_answers.put(key, known)
        return known

    def _token_revoked(self, token_id: str) -> bool:
        return self._load(revoked_token_id(token_id), RevokedToken) is not None

    def _session_ended(self, session_id: str) -> bool:
        try:
            aggregate_id = UUID(session_id)
        except ValueError:
            return True
        session = self._load(aggregate_id, Session)
        if session is not None:
            return not session.is_open(self.clock())
        key = self._load(aggregate_id, ApiKey)
        # A session nobody knows was not issued here: refused.
        return key is None or key.revoked

    def _committed(self, aggregates: tuple[Aggregate, ...]) -> None:
        super()._committed(aggregates)
        for aggregate in aggregates:
            if isinstance(aggregate, (Session, ApiKey)):
                self.recent_answers.forget(f"session:{aggregate.id}")
            elif isinstance(aggregate, RevokedToken):
                self.recent_answers.forget(f"token:{aggregate.token_id}")
