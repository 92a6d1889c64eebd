"""The revocations a service remembers: a token id refuses that token, a session id every
token issued under it; each only as long as a token it covers can still be presented."""

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from trellis_contracts.identity.organisations_v1 import StaffUserDeactivatedV1
from trellis_contracts.identity.revocations_v1 import SessionRevokedV1, TokenRevokedV1
from trellis_platform.auth.access import READERS, access
from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.auth.revocations import (
    LEEWAY,
    LOOKBACK,
    MAX_ACCESS_TOKEN_LIFETIME,
    KafkaRevocations,
    RevocationsNotRead,
    RevokedIds,
    kafka_revocations,
)
from trellis_platform.auth.signing import access_token_claims
from trellis_platform.auth.tokens import InvalidToken, RevocationsUnknown, TokenVerifier
from trellis_platform.http_app import new_http_app
from trellis_platform.testing.identities import TestIdentities, bearer

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_a_revoked_token_id_refuses_that_token_only() -> None:
    revoked = RevokedIds(clock=Clock())
    revoked.revoke_token("jti-1", revoked_at=T0, expires_at=T0 + timedelta(minutes=10))
    assert revoked.is_revoked("jti-1", "session-a")
    assert revoked.is_revoked("jti-1", None)
    assert not revoked.is_revoked("jti-2", "session-a"), "another token of the same session"


def test_a_revoked_session_refuses_every_token_issued_under_it() -> None:
    revoked = RevokedIds(clock=Clock())
    revoked.revoke_session("session-a", revoked_at=T0)
    assert revoked.is_revoked("jti-1", "session-a")
    assert revoked.is_revoked("jti-2", "session-a")
    assert not revoked.is_revoked("jti-3", "session-b")
    assert not revoked.is_revoked("jti-3", None)
    assert not revoked.is_revoked("session-a", None), "a session id is not a token id"


def test_a_token_revocation_is_kept_until_the_token_expires_plus_the_leeway() -> None:
    clock = Clock()
    revoked = RevokedIds(clock=clock)
    expires_at = T0 + timedelta(minutes=4)
    revoked.revoke_token("jti-1", revoked_at=T0, expires_at=expires_at)
    clock.now = expires_at + LEEWAY - timedelta(microseconds=1)
    assert revoked.is_revoked("jti-1", None)
    clock.now = expires_at + LEEWAY
    assert not revoked.is_revoked("jti-1", None)
    assert revoked.forget_expired() == 1
    assert len(revoked) == 0


def test_a_session_revocation_without_expiry_is_kept_the_longest_token_lifetime() -> None:
    clock = Clock()
    revoked = RevokedIds(clock=clock)
    revoked.revoke_session("session-a", revoked_at=T0)
    clock.now = T0 + MAX_ACCESS_TOKEN_LIFETIME + LEEWAY - timedelta(seconds=1)
    assert revoked.is_revoked("any", "session-a")
    clock.now = T0 + MAX_ACCESS_TOKEN_LIFETIME + LEEWAY
    assert not revoked.is_revoked("any", "session-a")


def test_a_revocation_that_covers_no_live_token_is_not_kept() -> None:
    revoked = RevokedIds(clock=Clock(T0 + timedelta(hours=1)))
    revoked.revoke_session("session-a", revoked_at=T0)
    revoked.revoke_token("jti-1", revoked_at=T0, expires_at=T0 + timedelta(minutes=15))
    assert len(revoked) == 0


def test_revoked_again_keeps_the_later_expiry() -> None:
    clock = Clock()
    revoked = RevokedIds(clock=clock)
    revoked.revoke_session("session-a", revoked_at=T0, expires_at=T0 + timedelta(minutes=10))
    revoked.revoke_session("session-a", revoked_at=T0, expires_at=T0 + timedelta(minutes=2))
    clock.now = T0 + timedelta(minutes=5)
    assert revoked.is_revoked("any", "session-a")


def test_forgetting_keeps_what_still_matters() -> None:
    clock = Clock()
    revoked = RevokedIds(clock=clock)
    revoked.revoke_token("short", revoked_at=T0, expires_at=T0 + timedelta(minutes=1))
    revoked.revoke_session("long", revoked_at=T0)
    clock.now = T0 + timedelta(minutes=5)
    assert revoked.forget_expired() == 1
    assert revoked.is_revoked("x", "long")
    assert len(revoked) == 1


def test_published_revocations_are_applied_and_other_events_ignored() -> None:
    organisation, session, key = uuid4(), uuid4(), uuid4()
    revoked = RevokedIds(clock=Clock())
    assert revoked.apply(TokenRevokedV1(organisation_id=organisation, token_id="jti-1", revoked_at=T0,
                                        expires_at=T0 + timedelta(minutes=15)))
    assert revoked.apply(SessionRevokedV1(organisation_id=organisation, session_id=session, kind="login",
                                          reason="logged out", revoked_at=T0,
                                          expires_at=T0 + timedelta(minutes=15)))
    assert revoked.apply(SessionRevokedV1(organisation_id=organisation, session_id=key, kind="api_key",
                                          reason="API key revoked", revoked_at=T0))
    assert not revoked.apply(StaffUserDeactivatedV1(organisation_id=organisation, user_id=uuid4()))
    assert revoked.is_revoked("jti-1", None)
    assert revoked.is_revoked("jti-2", str(session))
    assert revoked.is_revoked("jti-3", str(key))
    assert len(revoked) == 3


revocations = st.lists(
    st.tuples(st.sampled_from(["token", "session"]), st.sampled_from(["a", "b", "c"]),
              st.integers(min_value=0, max_value=20 * 60), st.one_of(st.none(), st.integers(0, 20 * 60))),
    max_size=8,
)


@given(revocations, st.sampled_from(["a", "b", "c", ""]), st.sampled_from(["a", "b", "c", None]),
       st.integers(min_value=0, max_value=40 * 60))
def test_a_token_is_refused_exactly_while_a_revocation_covering_it_lasts(
    given_revocations: list[tuple[str, str, int, int | None]], token_id: str, session_id: str | None,
    now_seconds: int,
) -> None:
    clock = Clock()
    revoked = RevokedIds(clock=clock)
    for kind, key, at, lives in given_revocations:
        revoked_at = T0 + timedelta(seconds=at)
        expires_at = None if lives is None else revoked_at + timedelta(seconds=lives)
        add = revoked.revoke_token if kind == "token" else revoked.revoke_session
        add(key, revoked_at=revoked_at, expires_at=expires_at)
    clock.now = T0 + timedelta(seconds=now_seconds)

    def lasts(at: int, lives: int | None) -> bool:
        revoked_at = T0 + timedelta(seconds=at)
        until = revoked_at + (MAX_ACCESS_TOKEN_LIFETIME if lives is None else timedelta(seconds=lives))
        return clock.now < until + LEEWAY

    expected = any(
        lasts(at, lives) and key == (token_id if kind == "token" else session_id)
        for kind, key, at, lives in given_revocations
    )
    assert revoked.is_revoked(token_id, session_id) == expected


def test_reads_back_further_than_any_token_lives() -> None:
    assert LOOKBACK > MAX_ACCESS_TOKEN_LIFETIME + LEEWAY


async def test_until_it_has_read_the_revocations_it_cannot_vouch_for_any_token_and_is_not_ready() -> None:
    revocations = KafkaRevocations("127.0.0.1:1", client_id="test")
    assert not revocations.caught_up
    with pytest.raises(RevocationsUnknown, match="not read yet"):
        revocations.is_revoked("jti-1", "session-a")
    with pytest.raises(RevocationsNotRead):
        await revocations.readiness()


def test_a_route_answers_503_not_401_until_the_revocations_are_read() -> None:
    """A good token must not send the client back to its login page because this process
    has just started: it is asked to retry instead."""
    identities = TestIdentities()
    revocations = KafkaRevocations("127.0.0.1:1", client_id="test")
    router = APIRouter()

    @router.get("/whoami", **guarded(access(staff=READERS)))
    async def whoami(caller: CurrentCaller) -> dict[str, str]:
        return {"subject": caller.subject}

    verifier = TokenVerifier(identities.keys, identities.settings, revocation=revocations)
    app = new_http_app(title="t", routers=[router], token_verifier=verifier)
    with TestClient(app) as client:
        answer = client.get("/whoami", headers=bearer(identities.staff(uuid4(), *READERS)))
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "1"
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_without_kafka_there_is_nothing_to_follow() -> None:
    assert kafka_revocations(None, client_id="x") is None
    assert isinstance(kafka_revocations("127.0.0.1:9092", client_id="x"), KafkaRevocations)


def test_a_token_verified_a_moment_ago_is_refused_once_its_session_is_revoked() -> None:
    identities = TestIdentities()
    revoked = RevokedIds()
    verifier = TokenVerifier(identities.keys, identities.settings, revocation=revoked)
    token = identities.key.sign(access_token_claims(
        identities.settings, subject="olivia", organisation_id=uuid4(), kind="staff", roles=["owner"],
        session_id="session-a"))
    other = identities.key.sign(access_token_claims(
        identities.settings, subject="olivia", organisation_id=uuid4(), kind="staff", roles=["owner"],
        session_id="session-b"))
    assert verifier.verify(token).session_id == "session-a"
    assert verifier.verify(other)
    assert verifier.known(token) is not None, "remembered, and asked about on the event loop"

    revoked.revoke_session("session-a", revoked_at=datetime.now(UTC))
    with pytest.raises(InvalidToken, match="revoked"):
        verifier.known(token)
    with pytest.raises(InvalidToken, match="revoked"):
        verifier.verify(token)
    assert verifier.known(other) is not None


class Said(logging.Handler):
    """Sets an event once a log record contains ``text``."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.event = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.event.set()


async def test_while_kafka_does_not_answer_it_retries_says_so_and_keeps_what_it_knows() -> None:
    known = RevokedIds()
    known.revoke_session("session-a", revoked_at=datetime.now(UTC))
    revocations = KafkaRevocations("127.0.0.1:1", client_id="test", revoked=known)
    said = Said("cannot read revocations from Kafka")
    logger = logging.getLogger("trellis_platform.auth.revocations")
    logger.addHandler(said)
    try:
        async with revocations.running():
            await asyncio.wait_for(said.event.wait(), timeout=60)
    finally:
        logger.removeHandler(said)
    assert revocations.revoked.is_revoked("any", "session-a")
    assert not revocations.caught_up, "never read up to the start: still refusing every token"
