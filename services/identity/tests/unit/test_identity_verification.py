"""How every service verifies identity's tokens: pinned algorithms, JWKS fetched with care."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import pytest
from identity_harness import new_application
from jwt import PyJWKClientConnectionError

from trellis_platform.auth.signing import SigningKey, access_token_claims
from trellis_platform.auth.tokens import InvalidToken, JwksKeys, TokenVerifier
from trellis_platform.testing.identities import TEST_TOKEN_SETTINGS


def test_a_verifier_cannot_be_told_to_accept_hmac_or_none() -> None:
    keys = new_application().keys
    for algorithms in (["HS256"], ["ES256", "none"], []):
        with pytest.raises(ValueError, match="asymmetric"):
            TokenVerifier(keys, TEST_TOKEN_SETTINGS, algorithms=algorithms)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeJwks:
    """Stands in for PyJWKClient's fetch: the keys, or an outage."""

    def __init__(self, *keys: SigningKey) -> None:
        self.keys = list(keys)
        self.down = False
        self.fetches = 0

    def __call__(self) -> Any:
        self.fetches += 1
        if self.down:
            raise PyJWKClientConnectionError("connection refused")
        return {"keys": [json.loads(json.dumps(k.public_jwk())) for k in self.keys]}


def jwks_keys(fake: FakeJwks, clock: Clock) -> JwksKeys:
    keys = JwksKeys("http://identity.test/api/identity/.well-known/jwks.json", clock=clock)
    keys._client.fetch_data = fake  # type: ignore[method-assign]
    return keys


def test_a_rotated_key_is_fetched_when_a_token_names_it() -> None:
    old, new = SigningKey.generate(), SigningKey.generate()
    fake, clock = FakeJwks(old), Clock()
    keys = jwks_keys(fake, clock)
    assert keys.key_for(old.key_id)
    fake.keys = [new, old]
    clock.now += 11
    assert keys.key_for(new.key_id)
    assert fake.fetches == 2


def test_unknown_key_ids_refetch_at_most_every_ten_seconds() -> None:
    fake, clock = FakeJwks(SigningKey.generate()), Clock()
    keys = jwks_keys(fake, clock)
    for n in range(50):
        with pytest.raises(InvalidToken):
            keys.key_for(f"forged-{n}")
    assert fake.fetches == 1


def test_known_keys_stay_in_use_while_the_issuer_is_away() -> None:
    key = SigningKey.generate()
    fake, clock = FakeJwks(key), Clock()
    keys = jwks_keys(fake, clock)
    keys.key_for(key.key_id)
    fake.down = True
    clock.now += 600
    assert keys.key_for(key.key_id), "the known key still verifies"
    assert fake.fetches == 2


def test_a_verifier_with_jwks_checks_the_whole_token() -> None:
    key = SigningKey.generate()
    fake, clock = FakeJwks(key), Clock()
    verifier = TokenVerifier(jwks_keys(fake, clock), TEST_TOKEN_SETTINGS)
    claims = access_token_claims(TEST_TOKEN_SETTINGS, subject="u", organisation_id=uuid4(), kind="staff",
                                 roles=["member"], session_id="s-1")
    caller = verifier.verify(key.sign(claims))
    assert (caller.subject, caller.session_id) == ("u", "s-1")
