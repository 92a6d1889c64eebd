"""Forged and broken access tokens, for the tests that show each one is refused.

Each is built from a genuine token's claims and the real signing key (or its public
half), the way an attacker with a captured token and the published JWKS would.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization

from trellis_platform.auth.signing import SigningKey


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _json_b64(value: dict[str, Any]) -> str:
    return _b64(json.dumps(value, separators=(",", ":"), default=_encode).encode())


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        return int(value.timestamp())
    raise TypeError(type(value))


def _unsigned(claims: dict[str, Any], header: dict[str, Any]) -> str:
    return f"{_json_b64(header)}.{_json_b64(claims)}"


def _shifted(claims: dict[str, Any], by: timedelta) -> dict[str, Any]:
    return {**claims, **{name: _at(claims[name]) + by for name in ("iat", "nbf", "exp")}}


def _at(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromtimestamp(int(value), UTC)


def forged_tokens(key: SigningKey, claims: dict[str, Any]) -> dict[str, str]:
    """Name -> token. ``claims`` are a genuine token's (``access_token_claims``) and ``key``
    is the issuer's real key: every token here is wrong in exactly one way."""
    genuine = key.sign(claims)
    public_pem = key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    hs_header = {"alg": "HS256", "typ": "JWT", "kid": key.key_id}
    hs_input = _unsigned(claims, hs_header)
    hs_signature = _b64(hmac.new(public_pem, hs_input.encode(), hashlib.sha256).digest())

    header_b64, payload_b64, signature_b64 = genuine.split(".")
    payload = json.loads(base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4)))
    payload["roles"] = ["owner"]
    payload["org"] = "00000000-0000-4000-8000-000000000000"
    tampered = f"{header_b64}.{_json_b64(payload)}.{signature_b64}"

    stranger = SigningKey.generate()
    return {
        "alg none": _unsigned(claims, {"alg": "none", "typ": "JWT", "kid": key.key_id}) + ".",
        "HS256 signed with the public key": f"{hs_input}.{hs_signature}",
        "expired": key.sign(_shifted(claims, -timedelta(hours=2))),
        "not yet valid": key.sign(_shifted(claims, timedelta(hours=1))),
        "wrong issuer": key.sign({**claims, "iss": "https://evil.example/identity"}),
        "wrong audience": key.sign({**claims, "aud": "some-other-api"}),
        "unknown key id": SigningKey(key_id="not-a-known-key", private_key=key.private_key).sign(claims),
        "signed by another key with the same key id": SigningKey(
            key_id=key.key_id, private_key=stranger.private_key).sign(claims),
        "tampered payload": tampered,
        "missing organisation": key.sign({k: v for k, v in claims.items() if k != "org"}),
        "not a JWT": "not-a-token",
    }
