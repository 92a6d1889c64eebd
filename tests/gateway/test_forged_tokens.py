"""Forged tokens are refused by a real service route, in both run modes, and by the real
gateway in front of real services: alg none, HS256 signed with the public key, expired,
not yet valid, wrong issuer, wrong audience, unknown key id, another key under a known
key id, tampered payload, missing claims, and revoked.

Tokens come from the real identity service (sign up, log in); the forgeries are made
from a genuine token's claims and the identity service's own key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient

from trellis_gateway.revocation import RevocationClient
from trellis_gateway.settings import GatewayAuth
from trellis_identity.api.throttles import IdentityLimits
from trellis_identity.application.passwords import fast_passwords
from trellis_identity.wiring import Identity, build_identity
from trellis_planning.wiring import Planning, build_planning
from trellis_platform.auth.throttle import Rate
from trellis_platform.auth.tokens import TokenSettings, verifier_from_env
from trellis_platform.http_app import new_http_app
from trellis_platform.testing.forgery import forged_tokens
from trellis_platform.testing.identities import bearer

from .conftest import Launcher
from .servers import ServerThread, start

SETTINGS = TokenSettings(issuer="http://trellis.test/api/identity", audience="trellis-api")
PASSWORD = "correct horse battery staple"
GENEROUS = IdentityLimits(
    login_failures_per_email=Rate.parse("1000/s"),
    attempts_per_address=Rate.parse("1000/s"),
    signups_per_address=Rate.parse("1000/s"),
)


def project() -> dict[str, str]:
    return {
        "client_id": str(uuid4()),
        "name": "Warehouse roof",
        "starts_on": "2026-03-02",
        "ends_on": "2026-06-26",
    }


def sign_up_and_log_in(client: httpx.Client | TestClient, email: str) -> dict[str, Any]:
    signed = client.post(
        "/api/identity/signup",
        json={"organisation_name": "Acme", "name": "Olivia", "email": email, "password": PASSWORD},
    )
    assert signed.status_code == 201, signed.text
    tokens = client.post("/api/identity/login", json={"email": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.text
    body: dict[str, Any] = tokens.json()
    return body


def forgeries(identity: Identity, genuine_token: str) -> dict[str, str]:
    claims = jwt.decode(genuine_token, options={"verify_signature": False})
    return forged_tokens(identity.keys.current, claims)


@dataclass
class Distributed:
    identity: Identity
    planning: Planning
    identity_server: ServerThread
    planning_server: ServerThread
    gateway: httpx.Client


@pytest.fixture
def distributed(database_url: str, launch: Launcher) -> Iterator[Distributed]:
    """Identity, planning and the gateway, each on its own port, as in ``make up``."""
    identity = build_identity(
        database_url, pool_size=2, token_settings=SETTINGS, passwords=fast_passwords(), limits=GENEROUS
    )
    identity_server = start(
        new_http_app(title="identity", routers=identity.routers(), token_verifier=identity.token_verifier())
    )
    env = {
        "TRELLIS_AUTH_JWKS_URL": f"{identity_server.url}/api/identity/.well-known/jwks.json",
        "TRELLIS_AUTH_ISSUER": SETTINGS.issuer,
        "TRELLIS_AUTH_AUDIENCE": SETTINGS.audience,
    }
    planning = build_planning(database_url, pool_size=2)
    planning_server = start(
        new_http_app(
            title="planning", routers=planning.routers(), token_verifier=verifier_from_env(environ=env)
        )
    )
    upstreams = {"identity": identity_server.url, "planning": planning_server.url}
    auth = GatewayAuth.from_env(env, upstreams)
    assert auth.token_status_url is not None
    gateway = launch.gateway(
        upstreams,
        verifier=auth.verifier(),
        revocation=RevocationClient(auth.token_status_url, cache_seconds=0),
    )
    with httpx.Client(base_url=gateway.url, timeout=10) as client:
        yield Distributed(identity, planning, identity_server, planning_server, client)
    planning_server.stop()
    identity_server.stop()
    planning.close()
    identity.close()


def test_through_the_gateway_and_at_each_service_forged_tokens_are_refused(distributed: Distributed) -> None:
    tokens = sign_up_and_log_in(distributed.gateway, "olivia@acme.test")
    genuine = bearer(tokens["access_token"])
    created = distributed.gateway.post("/api/planning/projects", json=project(), headers=genuine)
    assert created.status_code == 201, created.text
    location = created.headers["location"]

    with (
        httpx.Client(base_url=distributed.planning_server.url) as planning,
        httpx.Client(base_url=distributed.identity_server.url) as identity,
    ):
        for name, forged in forgeries(distributed.identity, tokens["access_token"]).items():
            headers = bearer(forged)
            assert (
                distributed.gateway.post(
                    "/api/planning/projects", json=project(), headers=headers
                ).status_code
                == 401
            ), name
            assert distributed.gateway.get(location, headers=headers).status_code == 401, name
            # The services are walls of their own: called directly, past the gateway.
            assert (
                planning.post("/api/planning/projects", json=project(), headers=headers).status_code == 401
            ), name
            assert planning.get(location, headers=headers).status_code == 401, name
            assert identity.get("/api/identity/me", headers=headers).status_code == 401, name
        assert planning.get(location, headers=genuine).status_code == 200


def test_a_revoked_token_is_refused_by_the_gateway_and_by_identity(distributed: Distributed) -> None:
    tokens = sign_up_and_log_in(distributed.gateway, "olivia@acme.test")
    headers = bearer(tokens["access_token"])
    assert distributed.gateway.get("/api/identity/me", headers=headers).status_code == 200
    assert distributed.gateway.post("/api/identity/logout", headers=headers).status_code == 204

    assert (
        distributed.gateway.post("/api/planning/projects", json=project(), headers=headers).status_code == 401
    )
    with httpx.Client(base_url=distributed.identity_server.url) as identity:
        assert identity.get("/api/identity/me", headers=headers).status_code == 401
    # The split, on purpose: a service verifies signature, claims and roles itself; only
    # identity knows revocations, and the gateway asks it. Past the gateway, a revoked
    # token works at a service until it expires (at most 15 minutes).
    with httpx.Client(base_url=distributed.planning_server.url) as planning:
        assert planning.post("/api/planning/projects", json=project(), headers=headers).status_code == 201


def test_an_api_keys_permissions_scope_what_its_service_token_may_do(distributed: Distributed) -> None:
    tokens = sign_up_and_log_in(distributed.gateway, "olivia@acme.test")
    owner = bearer(tokens["access_token"])
    location = distributed.gateway.post("/api/planning/projects", json=project(), headers=owner).headers[
        "location"
    ]
    key = distributed.gateway.post(
        "/api/identity/api-keys",
        headers=owner,
        json={"name": "BI", "permissions": ["planning.projects:read"]},
    ).json()
    exchanged = distributed.gateway.post("/api/identity/service-tokens", json={"api_key": key["secret"]})
    assert exchanged.status_code == 200
    service = bearer(exchanged.json()["access_token"])

    assert distributed.gateway.get(location, headers=service).status_code == 200
    refused = distributed.gateway.post("/api/planning/projects", json=project(), headers=service)
    assert refused.status_code == 403, "read permission only"

    assert distributed.gateway.delete(f"/api/identity/api-keys/{key['id']}", headers=owner).status_code == 204
    assert distributed.gateway.get(location, headers=service).status_code == 401, (
        "the key's tokens die with it"
    )


def test_another_tenants_token_finds_nothing(distributed: Distributed) -> None:
    mine = bearer(sign_up_and_log_in(distributed.gateway, "olivia@acme.test")["access_token"])
    theirs = bearer(sign_up_and_log_in(distributed.gateway, "tom@other.test")["access_token"])
    location = distributed.gateway.post("/api/planning/projects", json=project(), headers=mine).headers[
        "location"
    ]
    assert distributed.gateway.get(location, headers=theirs).status_code == 404


def test_in_the_embedded_mode_a_service_route_refuses_forged_and_revoked_tokens(database_url: str) -> None:
    from trellis_local.embedded import create_embedded_app  # every service: imported by this test only

    app = create_embedded_app(database_url, token_settings=SETTINGS)
    identity = app.state.identity
    assert isinstance(identity, Identity)
    with TestClient(app) as client:
        tokens = sign_up_and_log_in(client, "olivia@acme.test")
        genuine = bearer(tokens["access_token"])
        created = client.post("/api/planning/projects", json=project(), headers=genuine)
        assert created.status_code == 201, created.text
        location = created.headers["location"]
        for name, forged in forgeries(identity, tokens["access_token"]).items():
            assert (
                client.post("/api/planning/projects", json=project(), headers=bearer(forged)).status_code
                == 401
            ), name
            assert client.get(location, headers=bearer(forged)).status_code == 401, name

        assert client.post("/api/identity/logout", headers=genuine).status_code == 204
        revoked = client.get(location, headers=genuine)
        assert revoked.status_code == 401, "embedded: revocation takes effect at once, at every route"
        assert revoked.headers["www-authenticate"] == 'Bearer realm="trellis"'
