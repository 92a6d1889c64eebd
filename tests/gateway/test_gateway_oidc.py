"""An external OpenID Connect issuer instead of the built-in one (TRELLIS_OIDC_ISSUER).

A fake issuer serves its discovery document and JWKS over real HTTP, with a key made
here; services and the gateway find the keys through discovery and verify its tokens
with the same claims as the built-in issuer's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import uuid4

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from jwt.algorithms import RSAAlgorithm

from trellis_gateway.settings import GatewayAuth
from trellis_planning.wiring import build_planning
from trellis_platform.auth.signing import SigningKey, access_token_claims
from trellis_platform.auth.tokens import InvalidToken, TokenSettings, verifier_from_env
from trellis_platform.http_app import new_http_app
from trellis_platform.testing.forgery import forged_tokens
from trellis_platform.testing.identities import bearer

from .conftest import Launcher
from .servers import ServerThread, bound_socket, plain_config, start

AUDIENCE = "trellis-api"


class FakeIssuer:
    """An OpenID provider reduced to what a verifier reads: discovery and the JWKS."""

    def __init__(self) -> None:
        self.sock = bound_socket()
        host, port = self.sock.getsockname()
        self.issuer = f"http://{host}:{port}/realms/acme"
        self.ec_key = SigningKey.generate()
        self.rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.jwks_fetches = 0

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/realms/acme/.well-known/openid-configuration")
        def discovery() -> dict[str, Any]:
            return {
                "issuer": self.issuer,
                "jwks_uri": f"{self.issuer}/protocol/openid-connect/certs",
                "id_token_signing_alg_values_supported": ["ES256", "RS256"],
            }

        @app.get("/realms/acme/protocol/openid-connect/certs")
        def jwks() -> dict[str, Any]:
            self.jwks_fetches += 1
            rsa_jwk = json.loads(RSAAlgorithm.to_jwk(self.rsa_key.public_key()))
            rsa_jwk.update({"kid": "rsa-1", "use": "sig", "alg": "RS256"})
            return {"keys": [self.ec_key.public_jwk(), rsa_jwk]}

        return app

    def claims(self, **overrides: Any) -> dict[str, Any]:
        settings = TokenSettings(issuer=self.issuer, audience=AUDIENCE)
        claims = access_token_claims(
            settings,
            subject="auth0|olivia",
            organisation_id=ORGANISATION,
            kind="staff",
            roles=["project_manager"],
            lifetime=timedelta(minutes=5),
        )
        return {**claims, **overrides}

    def es256(self, **overrides: Any) -> str:
        return self.ec_key.sign(self.claims(**overrides))

    def rs256(self, **overrides: Any) -> str:
        return jwt.encode(self.claims(**overrides), self.rsa_key, algorithm="RS256", headers={"kid": "rsa-1"})


ORGANISATION = uuid4()


@pytest.fixture
def issuer() -> Iterator[FakeIssuer]:
    fake = FakeIssuer()
    server = ServerThread(
        plain_config(fake.app(), host="127.0.0.1", port=fake.sock.getsockname()[1]), fake.sock
    )
    server.start()
    yield fake
    server.stop()


def oidc_env(issuer: FakeIssuer) -> dict[str, str]:
    return {
        "TRELLIS_OIDC_ISSUER": issuer.issuer,
        "TRELLIS_AUTH_AUDIENCE": AUDIENCE,
        # Ignored when an external issuer is configured.
        "TRELLIS_AUTH_JWKS_URL": "http://127.0.0.1:9/never",
        "TRELLIS_AUTH_ISSUER": "https://elsewhere",
    }


def test_a_verifier_finds_the_issuers_keys_by_discovery(issuer: FakeIssuer) -> None:
    verifier = verifier_from_env(environ=oidc_env(issuer))
    caller = verifier.verify(issuer.es256())
    assert (caller.subject, caller.organisation_id, caller.kind) == ("auth0|olivia", ORGANISATION, "staff")
    assert verifier.verify(issuer.rs256()).subject == "auth0|olivia"
    # External issuers need not set jti or nbf; everything else stays required.
    without = {k: v for k, v in issuer.claims().items() if k not in ("jti", "nbf")}
    assert verifier.verify(issuer.ec_key.sign(without)).token_id == ""


def test_the_issuers_forged_tokens_are_refused(issuer: FakeIssuer) -> None:
    verifier = verifier_from_env(environ=oidc_env(issuer))
    for forged in forged_tokens(issuer.ec_key, issuer.claims()).values():
        with pytest.raises(InvalidToken):
            verifier.verify(forged)
    with pytest.raises(InvalidToken):
        verifier.verify(issuer.es256(iss="https://trellis.local/identity"))
    with pytest.raises(InvalidToken):
        verifier.verify(issuer.rs256(aud="another-api"))


def test_unknown_key_ids_do_not_make_the_verifier_hammer_the_issuer(issuer: FakeIssuer) -> None:
    verifier = verifier_from_env(environ=oidc_env(issuer))
    verifier.verify(issuer.es256())
    fetches = issuer.jwks_fetches
    stranger = SigningKey.generate()
    for n in range(20):
        with pytest.raises(InvalidToken):
            verifier.verify(
                SigningKey(key_id=f"kid-{n}", private_key=stranger.private_key).sign(issuer.claims())
            )
    assert issuer.jwks_fetches <= fetches + 1


def test_only_asymmetric_algorithms_can_be_configured(issuer: FakeIssuer) -> None:
    with pytest.raises(RuntimeError, match="asymmetric"):
        verifier_from_env(environ={**oidc_env(issuer), "TRELLIS_OIDC_ALGORITHMS": "RS256,HS256"})


def test_a_service_and_the_gateway_accept_the_external_issuers_tokens(
    issuer: FakeIssuer, database_url: str, launch: Launcher
) -> None:
    env = oidc_env(issuer)
    planning = build_planning(database_url, pool_size=2)
    planning_server: ServerThread | None = None
    try:
        planning_server = start(
            new_http_app(
                title="planning", routers=planning.routers(), token_verifier=verifier_from_env(environ=env)
            )
        )
        upstreams = {"planning": planning_server.url}
        auth = GatewayAuth.from_env(env, upstreams)
        assert auth.token_status_url is None, "an external issuer's tokens are revoked at that issuer"
        gateway = launch.gateway(upstreams, verifier=auth.verifier())
        body = {
            "client_id": str(uuid4()),
            "name": "Fit-out",
            "starts_on": "2026-04-01",
            "ends_on": "2026-05-01",
        }
        with httpx.Client(base_url=gateway.url, timeout=10) as client:
            created = client.post("/api/planning/projects", json=body, headers=bearer(issuer.rs256()))
            assert created.status_code == 201, created.text
            assert created.json()["organisation_id"] == str(ORGANISATION)
            assert (
                client.post(
                    "/api/planning/projects", json=body, headers=bearer(issuer.es256(aud="x"))
                ).status_code
                == 401
            )
        with httpx.Client(base_url=planning_server.url, timeout=10) as direct:
            assert direct.get(created.headers["location"], headers=bearer(issuer.es256())).status_code == 200
    finally:
        if planning_server is not None:
            planning_server.stop()
        planning.close()
