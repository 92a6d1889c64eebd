"""Verifying access tokens: asymmetric JWTs, algorithms, issuer and audience pinned.

Keys come from a JWKS (the built-in issuer's, or an external OpenID Connect issuer's
found by its discovery document). A token is refused when anything is off: algorithm
not ES256, signature, expiry, not-before, issuer, audience, unknown key id, missing
claims, or a revoked token id.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

import httpx
import jwt
from jwt import PyJWKClient

from trellis_platform.auth.caller import Caller, ClientRole, StaffRole

ALGORITHMS = ["ES256"]
REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "aud", "sub", "jti", "org", "kind"]
LEEWAY_SECONDS = 5


class InvalidToken(Exception):
    """The token cannot be trusted; the message says why (for logs, not for clients)."""


class SigningKeys(Protocol):
    def key_for(self, key_id: str) -> Any:
        """The public key with that id; raises InvalidToken when unknown."""


class JwksKeys:
    """Public keys from a JWKS URL, cached and refreshed when an unknown kid appears."""

    def __init__(self, jwks_url: str) -> None:
        self._client = PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5)

    def key_for(self, key_id: str) -> Any:
        try:
            return self._client.get_signing_key(key_id).key
        except jwt.PyJWKClientError as error:
            raise InvalidToken(f"unknown signing key {key_id!r}: {error}") from None


def jwks_url_from_oidc_issuer(issuer: str) -> str:
    """An external issuer's JWKS, found through its OpenID Connect discovery document."""
    discovery = httpx.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=5)
    discovery.raise_for_status()
    return str(discovery.json()["jwks_uri"])


@dataclass(frozen=True)
class TokenSettings:
    issuer: str
    audience: str

    @classmethod
    def from_env(cls) -> TokenSettings:
        return cls(
            issuer=os.environ.get("TRELLIS_AUTH_ISSUER", "https://trellis.local/identity"),
            audience=os.environ.get("TRELLIS_AUTH_AUDIENCE", "trellis-api"),
        )


class TokenVerifier:
    def __init__(
        self,
        keys: SigningKeys,
        settings: TokenSettings,
        *,
        is_revoked: Callable[[str], bool] | None = None,
    ) -> None:
        self._keys = keys
        self._settings = settings
        self._is_revoked = is_revoked

    def verify(self, token: str) -> Caller:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise InvalidToken(f"malformed token: {error}") from None
        if header.get("alg") not in ALGORITHMS:
            raise InvalidToken(f"algorithm {header.get('alg')!r} is not accepted")
        key_id = header.get("kid")
        if not isinstance(key_id, str):
            raise InvalidToken("token has no key id")
        key = self._keys.key_for(key_id)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self._settings.audience,
                issuer=self._settings.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.InvalidTokenError as error:
            raise InvalidToken(str(error)) from None
        if self._is_revoked is not None and self._is_revoked(str(claims["jti"])):
            raise InvalidToken("token has been revoked")
        return caller_from_claims(claims)


def caller_from_claims(claims: dict[str, Any]) -> Caller:
    try:
        kind = claims["kind"]
        roles = [str(r) for r in claims.get("roles", [])]
        if kind == "staff":
            return Caller(subject=str(claims["sub"]), organisation_id=UUID(str(claims["org"])),
                          kind="staff", token_id=str(claims["jti"]),
                          staff_roles=frozenset(StaffRole(r) for r in roles))
        if kind == "client":
            (client_role,) = roles
            return Caller(subject=str(claims["sub"]), organisation_id=UUID(str(claims["org"])),
                          kind="client", token_id=str(claims["jti"]),
                          client_id=UUID(str(claims["client"])), client_role=ClientRole(client_role))
        if kind == "service":
            return Caller(subject=str(claims["sub"]), organisation_id=UUID(str(claims["org"])),
                          kind="service", token_id=str(claims["jti"]),
                          permissions=frozenset(str(p) for p in claims.get("perms", [])))
    except (KeyError, ValueError, TypeError) as error:
        raise InvalidToken(f"claims do not describe a caller: {error}") from None
    raise InvalidToken(f"unknown caller kind {kind!r}")


def verifier_from_env(*, is_revoked: Callable[[str], bool] | None = None) -> TokenVerifier:
    """A service's verifier in the distributed mode: the identity service's JWKS
    (TRELLIS_AUTH_JWKS_URL), or an external OpenID Connect issuer (TRELLIS_OIDC_ISSUER)."""
    settings = TokenSettings.from_env()
    oidc_issuer = os.environ.get("TRELLIS_OIDC_ISSUER")
    if oidc_issuer:
        settings = TokenSettings(issuer=oidc_issuer, audience=settings.audience)
        return TokenVerifier(JwksKeys(jwks_url_from_oidc_issuer(oidc_issuer)), settings,
                             is_revoked=is_revoked)
    jwks_url = os.environ.get("TRELLIS_AUTH_JWKS_URL")
    if not jwks_url:
        raise RuntimeError("set TRELLIS_AUTH_JWKS_URL (the identity service's JWKS) or TRELLIS_OIDC_ISSUER")
    return TokenVerifier(JwksKeys(jwks_url), settings, is_revoked=is_revoked)
