"""Logging in and staying logged in: passwords, sessions with rotating refresh tokens,
logout, and revoking a token or all of a person's sessions."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from trellis_identity.application.base import IdentityBase, with_actor
from trellis_identity.application.credentials import (
    REFRESH_TOKEN_PREFIX,
    compose,
    new_secret,
    parse,
    secret_hash,
)
from trellis_identity.application.errors import LoginFailed, RefreshRefused
from trellis_identity.application.results import SessionTokens
from trellis_identity.domain.checks import MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH, check_password
from trellis_identity.domain.email_account import EmailAccount, email_account_id
from trellis_identity.domain.errors import IdentityRuleBroken, NotFound
from trellis_identity.domain.organisation import STAFF, Member, Organisation
from trellis_identity.domain.revoked_token import RevokedToken, revoked_token_id
from trellis_identity.domain.session import Refresh, Session
from trellis_identity.domain.user import User


class SessionUseCases(IdentityBase):
    def login(self, *, email: str, password: str, meta: dict[str, str]) -> SessionTokens:
        """One answer for every failure, and about the same time for each."""
        user, member, organisation = self._credentials(email, password)
        meta = with_actor(meta, f"{member.kind}:{user.id}")
        now = self.clock()
        secret = new_secret()
        session = Session(user_id=user.id, organisation_id=organisation.id, refresh_hash=secret_hash(secret),
                          expires_at=now + self.lifetimes.session, meta=meta)
        user.start_session(session_id=session.id, started_at=now, expires_at=session.expires_at, meta=meta)
        if self.passwords.needs_rehash(user.password_hash):
            user.change_password(password_hash=self.passwords.hash(password), meta=meta)
        self._commit(session, user)
        return self._tokens(session, member, compose(REFRESH_TOKEN_PREFIX, session.id, secret), now)

    def _credentials(self, email: str, password: str) -> tuple[User, Member, Organisation]:
        email = email.strip().lower()
        if len(email) > MAX_EMAIL_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
            raise LoginFailed
        account = self._load(email_account_id(email), EmailAccount)
        user = self._load(account.user_id, User) if account is not None and account.user_id else None
        if user is None:
            self.passwords.waste_time(password)
            raise LoginFailed
        if not self.passwords.verify(user.password_hash, password):
            raise LoginFailed
        organisation = self.organisation(user.organisation_id)
        member = organisation.members.get(str(user.id))
        if member is None or not member.active:
            raise LoginFailed
        return user, member, organisation

    def refresh(self, *, refresh_token: str, meta: dict[str, str]) -> SessionTokens:
        """A new access token and a new refresh token; the presented one is spent."""
        parsed = parse(REFRESH_TOKEN_PREFIX, refresh_token)
        session = self._load(parsed[0], Session) if parsed else None
        if parsed is None or session is None:
            raise RefreshRefused("unknown refresh token")
        now = self.clock()
        organisation = self.organisation(session.organisation_id)
        member = organisation.members.get(str(session.user_id))
        meta = with_actor(meta, f"{member.kind if member else STAFF}:{session.user_id}")
        if member is None or not member.active:
            if session.revoke(reason="the user was removed", meta=meta):
                self._commit(session)
            raise RefreshRefused("the user is no longer active")
        secret = new_secret()
        outcome = session.refresh(presented_hash=secret_hash(parsed[1]), new_hash=secret_hash(secret),
                                  now=now, meta=meta)
        if outcome is Refresh.REUSED:
            self._commit(session)
            raise RefreshRefused(f"refresh token reused: session {session.id} revoked")
        if outcome is not Refresh.ROTATED:
            raise RefreshRefused(f"refresh token {outcome.value}")
        self._commit(session)
        return self._tokens(session, member, compose(REFRESH_TOKEN_PREFIX, session.id, secret), now)

    def _tokens(self, session: Session, member: Member, refresh_token: str, now: datetime) -> SessionTokens:
        access = self._issue(
            subject=str(member.user_id), organisation_id=session.organisation_id, kind=member.kind,
            roles=list(member.roles), client_id=member.client_id, session_id=session.id,
            lifetime=self.lifetimes.access,
        )
        return SessionTokens(access=access, refresh_token=refresh_token,
                             refresh_expires_in=int((session.expires_at - now).total_seconds()),
                             session_id=session.id, user_id=member.user_id,
                             organisation_id=session.organisation_id)

    def logout(self, *, organisation_id: UUID, subject: str, token_id: str, session_id: str | None,
               expires_at: datetime, meta: dict[str, str]) -> None:
        """Ends the caller's session, and the access token it called with."""
        changed: list[Session | RevokedToken] = []
        session = self._session_of(session_id, organisation_id)
        if session is not None and session.revoke(reason="logged out", meta=meta):
            changed.append(session)
        token = self._revocation_of(token_id, organisation_id, subject, expires_at, meta)
        if token is not None:
            changed.append(token)
        if changed:
            self._commit(*changed)

    def revoke_access_token(self, *, token_id: str, organisation_id: UUID, subject: str,
                            expires_at: datetime, meta: dict[str, str]) -> None:
        token = self._revocation_of(token_id, organisation_id, subject, expires_at, meta)
        if token is not None:
            self._commit(token)

    def session_of_refresh_token(self, refresh_token: str) -> Session:
        """The session a (current or replaced) refresh token belongs to."""
        parsed = parse(REFRESH_TOKEN_PREFIX, refresh_token)
        session = self._load(parsed[0], Session) if parsed else None
        if parsed is None or session is None or not session.holds(secret_hash(parsed[1])):
            raise IdentityRuleBroken("That is not a refresh token issued here.")
        return session

    def revoke_session(self, *, organisation_id: UUID, session_id: UUID, reason: str,
                       meta: dict[str, str]) -> None:
        session = self._session_of(str(session_id), organisation_id)
        if session is None:
            raise NotFound(f"No session {session_id} in this organisation.")
        if session.revoke(reason=reason, meta=meta):
            self._commit(session)

    def revoke_all_sessions(self, *, organisation_id: UUID, user_id: UUID, meta: dict[str, str],
                            keep: UUID | None = None) -> int:
        """Every open session of the user (but ``keep``); their access tokens stop working."""
        self.organisation(organisation_id).member(user_id)
        revoked = self._sessions_revoked(user_id, "all sessions revoked", meta, keep=keep)
        if revoked:
            self._commit(*revoked)
        return len(revoked)

    def change_password(self, *, organisation_id: UUID, user_id: UUID, current_password: str,
                        new_password: str, keep_session: str | None, meta: dict[str, str]) -> None:
        """Also ends every other session: whoever knew the old password is logged out."""
        user = self._load(user_id, User)
        if user is None or user.organisation_id != organisation_id:
            raise NotFound(f"No user {user_id} in this organisation.")
        if not self.passwords.verify(user.password_hash, current_password):
            raise LoginFailed
        check_password(new_password)
        user.change_password(password_hash=self.passwords.hash(new_password), meta=meta)
        keep = _uuid(keep_session)
        self._commit(user, *self._sessions_revoked(user_id, "password changed", meta, keep=keep))

    def _session_of(self, session_id: str | None, organisation_id: UUID) -> Session | None:
        parsed = _uuid(session_id)
        session = self._load(parsed, Session) if parsed else None
        return session if session is not None and session.organisation_id == organisation_id else None

    def _revocation_of(self, token_id: str, organisation_id: UUID, subject: str, expires_at: datetime,
                       meta: dict[str, str]) -> RevokedToken | None:
        if not token_id or self._load(revoked_token_id(token_id), RevokedToken) is not None:
            return None
        return RevokedToken(token_id=token_id, organisation_id=organisation_id, subject=subject,
                            expires_at=expires_at, meta=meta)


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None
