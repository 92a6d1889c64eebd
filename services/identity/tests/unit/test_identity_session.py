"""A login session: rotating refresh tokens, and a reused one revokes the family."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from trellis_identity.domain.session import REUSE_REASON, Refresh, Session
from trellis_identity.domain.user import User

META = {"actor": "test"}
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def session() -> Session:
    return Session(
        user_id=uuid4(),
        organisation_id=uuid4(),
        refresh_hash="h0",
        expires_at=NOW + timedelta(days=30),
        meta=META,
    )


def test_each_refresh_replaces_the_refresh_token() -> None:
    s = session()
    assert s.refresh(presented_hash="h0", new_hash="h1", now=NOW, meta=META) is Refresh.ROTATED
    assert s.refresh(presented_hash="h1", new_hash="h2", now=NOW, meta=META) is Refresh.ROTATED
    assert s.refresh_hash == "h2"
    assert [s.holds(h) for h in ("h0", "h1", "h2", "nope")] == [True, True, True, False]


def test_a_replaced_token_presented_again_revokes_the_session() -> None:
    s = session()
    s.refresh(presented_hash="h0", new_hash="h1", now=NOW, meta=META)
    assert s.refresh(presented_hash="h0", new_hash="h9", now=NOW, meta=META) is Refresh.REUSED
    assert (s.revoked, s.revoked_reason) == (True, REUSE_REASON)
    assert s.refresh(presented_hash="h1", new_hash="h2", now=NOW, meta=META) is Refresh.ENDED


def test_an_unknown_token_changes_nothing() -> None:
    s = session()
    version = s.version
    assert s.refresh(presented_hash="guess", new_hash="h1", now=NOW, meta=META) is Refresh.UNKNOWN
    assert (s.version, s.revoked) == (version, False)


def test_an_expired_session_does_not_refresh() -> None:
    s = session()
    later = NOW + timedelta(days=31)
    assert s.refresh(presented_hash="h0", new_hash="h1", now=later, meta=META) is Refresh.ENDED
    assert not s.is_open(later)


def test_a_user_remembers_only_sessions_that_have_not_expired() -> None:
    user = User(organisation_id=uuid4(), email="a@b.test", password_hash="$argon2id$...", meta=META)
    old, new = uuid4(), uuid4()
    user.start_session(session_id=old, started_at=NOW, expires_at=NOW + timedelta(days=1), meta=META)
    user.start_session(
        session_id=new, started_at=NOW + timedelta(days=2), expires_at=NOW + timedelta(days=32), meta=META
    )
    assert user.open_sessions(NOW + timedelta(days=2)) == [new]
    assert list(user.sessions) == [str(new)]
