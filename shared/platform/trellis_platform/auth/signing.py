"""ES256 signing keys and their public JWKS: what the built-in issuer signs with.

Tests use the same class to mint tokens, so they exercise the real verification path.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from trellis_platform.auth.tokens import InvalidToken, TokenSettings


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private_key: ec.EllipticCurvePrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(key_id=uuid.uuid4().hex[:16], private_key=ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_pem(cls, key_id: str, pem: bytes, *, passphrase: bytes | None = None) -> SigningKey:
        """``passphrase`` is used only when the PEM is encrypted, so keys written before a
        passphrase was configured still load."""
        encrypted = b"ENCRYPTED" in pem.split(b"\n", 1)[0]
        key = serialization.load_pem_private_key(pem, password=passphrase if encrypted else None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
            raise ValueError(f"signing key {key_id!r} is not a P-256 key")
        return cls(key_id=key_id, private_key=key)

    def to_pem(self, *, passphrase: bytes | None = None) -> bytes:
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase) if passphrase
            else serialization.NoEncryption()
        )
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(ECAlgorithm.to_jwk(self.private_key.public_key()))
        jwk.update({"kid": self.key_id, "use": "sig", "alg": "ES256"})
        return jwk

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private_key, algorithm="ES256", headers={"kid": self.key_id})


class StaticKeys:
    """Public keys known in-process (the embedded mode, and tests)."""

    def __init__(self, *keys: SigningKey) -> None:
        self._public = {k.key_id: k.private_key.public_key() for k in keys}

    def add(self, key: SigningKey) -> None:
        self._public[key.key_id] = key.private_key.public_key()

    def key_for(self, key_id: str) -> Any:
        try:
            return self._public[key_id]
        except KeyError:
            raise InvalidToken(f"unknown signing key {key_id!r}") from None


def access_token_claims(
    settings: TokenSettings,
    *,
    subject: str,
    organisation_id: uuid.UUID,
    kind: str,
    roles: list[str] | None = None,
    client_id: uuid.UUID | None = None,
    permissions: list[str] | None = None,
    session_id: str | None = None,
    lifetime: timedelta = timedelta(minutes=15),
    now: datetime | None = None,
) -> dict[str, Any]:
    """The claims of an access token. ``sid`` names the login session (or API key) the
    token was issued under, so that revoking the session revokes its tokens."""
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": settings.issuer, "aud": settings.audience, "sub": subject,
        "iat": issued, "nbf": issued, "exp": issued + lifetime, "jti": uuid.uuid4().hex,
        "org": str(organisation_id), "kind": kind, "roles": roles or [],
    }
    if client_id is not None:
        claims["client"] = str(client_id)
    if permissions is not None:
        claims["perms"] = permissions
    if session_id is not None:
        claims["sid"] = session_id
    return claims
