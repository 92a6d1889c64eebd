"""A token verified a moment ago is not verified again (its signature is the costly part),
but never past its expiry, not for long, and never past a revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from trellis_platform.auth.access import READERS, access
from trellis_platform.auth.caller import Caller
from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.auth.signing import SigningKey, StaticKeys, access_token_claims
from trellis_platform.auth.tokens import (
    VERIFIED_TOKEN_SECONDS,
    InvalidToken,
    TokenVerifier,
    VerifiedTokens,
)
from trellis_platform.http_app import new_http_app
from trellis_platform.testing.identities import TEST_TOKEN_SETTINGS, TestIdentities, bearer


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).timestamp()

    def __call__(self) -> float:
        return self.now


class CountingKeys(StaticKeys):
    """Counts the signature checks: each one asks for its key."""

    def __init__(self, key: SigningKey) -> None:
        super().__init__(key)
        self.asked = 0

    def key_for(self, key_id: str) -> Any:
        self.asked += 1
        return super().key_for(key_id)


class Revocations:
    def __init__(self, *, from_memory: bool) -> None:
        self.answers_from_memory = from_memory
        self.revoked: set[str] = set()
        self.asked = 0

    def is_revoked(self, token_id: str, session_id: str | None) -> bool:
        self.asked += 1
        return token_id in self.revoked or session_id in self.revoked


def token(key: SigningKey, *, lifetime: timedelta = timedelta(minutes=15), session_id: str = "s-1") -> str:
    return key.sign(access_token_claims(TEST_TOKEN_SETTINGS, subject="u", organisation_id=uuid4(),
                                        kind="staff", roles=["member"], session_id=session_id,
                                        lifetime=lifetime))


def verifier(key: SigningKey, clock: Clock, revocation: Revocations | None = None
             ) -> tuple[TokenVerifier, CountingKeys]:
    keys = CountingKeys(key)
    return TokenVerifier(keys, TEST_TOKEN_SETTINGS, revocation=revocation,
                         verified=VerifiedTokens(clock=clock)), keys


def test_a_verified_token_is_not_verified_again_but_revocation_is_asked_every_time() -> None:
    key, clock, revocations = SigningKey.generate(), Clock(), Revocations(from_memory=True)
    check, keys = verifier(key, clock, revocations)
    presented = token(key)
    first = check.verify(presented)
    assert check.verify(presented) == first
    assert check.known(presented) == first
    assert keys.asked == 1
    assert revocations.asked == 3
    revocations.revoked.add(first.token_id)
    with pytest.raises(InvalidToken, match="revoked"):
        check.known(presented)
    with pytest.raises(InvalidToken, match="revoked"):
        check.verify(presented)


def test_a_revoked_session_refuses_its_remembered_tokens() -> None:
    key, clock, revocations = SigningKey.generate(), Clock(), Revocations(from_memory=True)
    check, _ = verifier(key, clock, revocations)
    presented = token(key, session_id="s-9")
    check.verify(presented)
    revocations.revoked.add("s-9")
    with pytest.raises(InvalidToken, match="revoked"):
        check.known(presented)


def test_a_remembered_token_is_verified_again_after_a_minute_and_refused_after_its_expiry() -> None:
    key, clock = SigningKey.generate(), Clock()
    check, keys = verifier(key, clock)
    presented = token(key, lifetime=timedelta(minutes=15))
    check.verify(presented)
    clock.now += VERIFIED_TOKEN_SECONDS
    assert check.known(presented) is None, "remembered at most a minute"
    check.verify(presented)
    assert keys.asked == 2
    short = token(key, lifetime=timedelta(seconds=30))
    check.verify(short)
    clock.now += 30
    assert check.known(short) is None, "never past the token's expiry"


def test_a_check_that_may_ask_a_database_is_never_asked_on_the_event_loop() -> None:
    key, clock, revocations = SigningKey.generate(), Clock(), Revocations(from_memory=False)
    check, _ = verifier(key, clock, revocations)
    presented = token(key)
    check.verify(presented)
    assert check.known(presented) is None
    assert revocations.asked == 1


def test_what_is_remembered_is_bounded_least_recently_used_first_out() -> None:
    clock = Clock()
    remembered = VerifiedTokens(max_size=2, clock=clock)
    caller = Caller(subject="u", organisation_id=uuid4(), kind="staff", token_id="t")
    until = clock.now + 600
    remembered.put("a", caller, until)
    remembered.put("b", caller, until)
    assert remembered.get("a") is caller
    remembered.put("c", caller, until)
    assert (remembered.get("a"), remembered.get("b"), remembered.get("c")) == (caller, None, caller)
    assert len(remembered) == 2


def test_a_route_refuses_a_token_revoked_after_it_was_accepted() -> None:
    identities = TestIdentities()
    router = APIRouter()

    @router.get("/whoami", **guarded(access(staff=READERS)))
    async def whoami(caller: CurrentCaller) -> dict[str, str]:
        return {"subject": caller.subject}

    app = new_http_app(title="t", routers=[router], token_verifier=identities.verifier())
    org = uuid4()
    presented = identities.staff(org, *READERS)
    with TestClient(app) as client:
        assert client.get("/whoami", headers=bearer(presented)).status_code == 200
        assert client.get("/whoami", headers=bearer(presented)).status_code == 200
        jti = identities.verifier().verify(presented).token_id
        identities.revoked.add(jti)
        assert client.get("/whoami", headers=bearer(presented)).status_code == 401
        other = identities.staff(org, *READERS)
        assert client.get("/whoami", headers=bearer(other)).status_code == 200
