"""The gateway's walls: authentication, revocation, rate limits, sign-in throttles, CORS.

Stand-in upstreams; tokens minted with a throwaway key and verified the real way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from uuid import uuid4

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request, Response

from trellis_gateway.revocation import RevocationClient
from trellis_gateway.settings import GatewayLimits
from trellis_platform.auth.caller import StaffRole
from trellis_platform.auth.signing import access_token_claims
from trellis_platform.auth.throttle import Rate
from trellis_platform.testing.forgery import forged_tokens
from trellis_platform.testing.identities import TestIdentities, bearer

from .conftest import AUTH, IDENTITIES, ORGANISATION, Launcher
from .servers import ServerThread, start
from .upstreams import UpstreamState

PROBLEM = "application/problem+json"
GENEROUS = Rate.parse("1000/s")


@pytest.fixture
def planning_upstream(launch: Launcher) -> tuple[ServerThread, UpstreamState]:
    return launch.upstream("planning")


@pytest.fixture
def identity_upstream(launch: Launcher) -> tuple[ServerThread, UpstreamState]:
    return launch.upstream("identity")


@pytest.fixture
def gateway_of(
    launch: Launcher,
    planning_upstream: tuple[ServerThread, UpstreamState],
    identity_upstream: tuple[ServerThread, UpstreamState],
) -> Callable[..., httpx.Client]:
    def gateway(**options: object) -> httpx.Client:
        server = launch.gateway(
            {"planning": planning_upstream[0].url, "identity": identity_upstream[0].url}, **options
        )
        return httpx.Client(base_url=server.url, timeout=5)

    return gateway


def test_no_token_is_a_401_problem_and_nothing_reaches_the_service(
    gateway_of: Callable[..., httpx.Client], planning_upstream: tuple[ServerThread, UpstreamState]
) -> None:
    state = planning_upstream[1]
    with gateway_of() as client:
        for headers in (
            {},
            {"Authorization": "Basic b2xpdmlhOnNlY3JldA=="},
            {"Authorization": "Bearer"},
            {"Authorization": "Bearer " + "x" * 9000},
        ):
            response = client.post("/api/planning/projects", json={}, headers=headers)
            assert response.status_code == 401
            assert response.headers["content-type"] == PROBLEM
            assert response.headers["www-authenticate"] == 'Bearer realm="trellis"'
            assert response.json()["detail"] == "This route needs a bearer token."
            assert len(response.headers.get_list("x-request-id")) == 1
    assert state.seen == []


def test_every_forged_token_is_refused_at_the_gateway(
    gateway_of: Callable[..., httpx.Client], planning_upstream: tuple[ServerThread, UpstreamState]
) -> None:
    state = planning_upstream[1]
    claims = access_token_claims(
        IDENTITIES.settings, subject="someone", organisation_id=ORGANISATION, kind="staff", roles=["member"]
    )
    with gateway_of() as client:
        for name, token in forged_tokens(IDENTITIES.key, claims).items():
            response = client.get("/api/planning/projects", headers=bearer(token))
            assert response.status_code == 401, name
            assert response.json()["detail"] == "The bearer token is not valid.", name
        genuine = client.get("/api/planning/projects", headers=bearer(IDENTITIES.key.sign(claims)))
        assert genuine.status_code == 200
    assert state.seen == ["GET /api/planning/projects"]


def test_public_identity_routes_need_no_token(
    gateway_of: Callable[..., httpx.Client], identity_upstream: tuple[ServerThread, UpstreamState]
) -> None:
    state = identity_upstream[1]
    with gateway_of() as client:
        for method, path in [
            ("POST", "/api/identity/signup"),
            ("POST", "/api/identity/refresh"),
            ("POST", "/api/identity/service-tokens"),
            ("GET", "/api/identity/.well-known/jwks.json"),
            ("GET", "/api/identity/.well-known/openid-configuration"),
        ]:
            assert client.request(method, path, json={}).status_code == 200, path
        assert client.get("/api/identity/me").status_code == 401
        assert client.get("/api/identity/signup").status_code == 401, "only the method that hands out tokens"
    assert len(state.seen) == 5


@dataclass
class StandInIdentity:
    """Identity's token status route, with the revoked token ids under the test's control."""

    revoked: set[str] = field(default_factory=set)
    asked: int = 0
    broken: bool = False

    def app(self) -> FastAPI:
        router = APIRouter()

        @router.get("/api/identity/token/status")
        def status(request: Request) -> Response:
            self.asked += 1
            if self.broken:
                return Response(status_code=500)
            caller = IDENTITIES.verifier().verify(request.headers["authorization"].removeprefix("Bearer "))
            if caller.token_id in self.revoked:
                return Response(status_code=401)
            return Response(b'{"active": true}', media_type="application/json")

        app = FastAPI()
        app.include_router(router)
        return app


@pytest.fixture
def stand_in_identity() -> Iterator[tuple[StandInIdentity, ServerThread]]:
    identity = StandInIdentity()
    server = start(identity.app())
    yield identity, server
    server.stop()


def test_a_revoked_token_is_refused_once_identity_says_so(
    gateway_of: Callable[..., httpx.Client],
    planning_upstream: tuple[ServerThread, UpstreamState],
    stand_in_identity: tuple[StandInIdentity, ServerThread],
) -> None:
    identity, identity_server = stand_in_identity
    token = IDENTITIES.staff(ORGANISATION, StaffRole.MEMBER)
    token_id = IDENTITIES.verifier().verify(token).token_id
    revocation = RevocationClient(f"{identity_server.url}/api/identity/token/status", cache_seconds=0)
    with gateway_of(revocation=revocation) as client:
        assert client.get("/api/planning/x", headers=bearer(token)).status_code == 200
        identity.revoked.add(token_id)
        refused = client.get("/api/planning/x", headers=bearer(token))
        assert refused.status_code == 401
        asked = identity.asked
        assert client.get("/api/planning/x", headers=bearer(token)).status_code == 401
        assert identity.asked == asked, "a revoked answer is kept: it never changes"


def test_a_good_answer_is_kept_for_the_cache_period(
    gateway_of: Callable[..., httpx.Client],
    planning_upstream: tuple[ServerThread, UpstreamState],
    stand_in_identity: tuple[StandInIdentity, ServerThread],
) -> None:
    identity, identity_server = stand_in_identity
    token = IDENTITIES.staff(ORGANISATION, StaffRole.MEMBER)
    revocation = RevocationClient(f"{identity_server.url}/api/identity/token/status", cache_seconds=60)
    with gateway_of(revocation=revocation) as client:
        for _ in range(5):
            assert client.get("/api/planning/x", headers=bearer(token)).status_code == 200
    assert identity.asked == 1


def test_when_identity_cannot_answer_the_gateway_fails_closed(
    gateway_of: Callable[..., httpx.Client],
    planning_upstream: tuple[ServerThread, UpstreamState],
    stand_in_identity: tuple[StandInIdentity, ServerThread],
) -> None:
    identity, identity_server = stand_in_identity
    identity.broken = True
    revocation = RevocationClient(f"{identity_server.url}/api/identity/token/status", cache_seconds=0)
    with gateway_of(revocation=revocation) as client:
        response = client.get("/api/planning/x", headers=AUTH)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert planning_upstream[1].seen == []


def test_each_tenant_has_its_own_request_budget(
    gateway_of: Callable[..., httpx.Client], planning_upstream: tuple[ServerThread, UpstreamState]
) -> None:
    limits = GatewayLimits(per_tenant=Rate.parse("1/hour,burst=3"), per_key=GENEROUS)
    mine = bearer(IDENTITIES.staff(ORGANISATION, StaffRole.MEMBER))
    theirs = bearer(IDENTITIES.staff(uuid4(), StaffRole.MEMBER))
    with gateway_of(limits=limits) as client:
        statuses = [client.get("/api/planning/x", headers=mine).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/api/planning/x", headers=mine)
        assert refused.headers["content-type"] == PROBLEM
        assert int(refused.headers["retry-after"]) >= 1
        assert "organisation" in refused.json()["detail"]
        assert client.get("/api/planning/x", headers=theirs).status_code == 200


def test_an_api_key_has_its_own_budget_within_its_tenants(
    gateway_of: Callable[..., httpx.Client], planning_upstream: tuple[ServerThread, UpstreamState]
) -> None:
    limits = GatewayLimits(per_tenant=GENEROUS, per_key=Rate.parse("1/hour,burst=2"))
    organisation = uuid4()
    key = bearer(IDENTITIES.service(organisation, "planning.projects:read", subject="key-1"))
    other_key = bearer(IDENTITIES.service(organisation, "planning.projects:read", subject="key-2"))
    person = bearer(IDENTITIES.staff(organisation, StaffRole.MEMBER))
    with gateway_of(limits=limits) as client:
        assert [client.get("/api/planning/x", headers=key).status_code for _ in range(3)] == [200, 200, 429]
        assert "API key" in client.get("/api/planning/x", headers=key).json()["detail"]
        assert client.get("/api/planning/x", headers=other_key).status_code == 200
        assert client.get("/api/planning/x", headers=person).status_code == 200


def test_sign_in_attempts_are_throttled_per_address(
    gateway_of: Callable[..., httpx.Client], planning_upstream: tuple[ServerThread, UpstreamState]
) -> None:
    limits = GatewayLimits(sign_in_per_address=Rate.parse("1/hour,burst=3"), sign_in_per_email=GENEROUS)
    with gateway_of(limits=limits) as client:
        statuses = [
            client.post("/api/identity/refresh", json={"refresh_token": "x"}).status_code for _ in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        assert client.post("/api/identity/login", json={"email": "a@b.test"}).status_code == 429
        assert client.get("/api/planning/x", headers=AUTH).status_code == 200, "only sign-ins are throttled"


def test_failed_logins_are_throttled_per_email(
    gateway_of: Callable[..., httpx.Client], planning_upstream: tuple[ServerThread, UpstreamState]
) -> None:
    limits = GatewayLimits(sign_in_per_address=GENEROUS, sign_in_per_email=Rate.parse("1/hour,burst=2"))
    with gateway_of(limits=limits) as client:

        def attempt(email: str, password: str) -> int:
            return client.post("/api/identity/login", json={"email": email, "password": password}).status_code

        assert [attempt("olivia@acme.test", "right password") for _ in range(4)] == [200] * 4
        assert [attempt("Olivia@Acme.test ", "guess") for _ in range(3)] == [401, 401, 429]
        assert attempt("olivia@acme.test", "right password") == 429
        assert attempt("someone@else.test", "guess") == 401
        too_big = client.post(
            "/api/identity/login",
            content=b'{"email": "' + b"x" * 20_000 + b'"}',
            headers={"content-type": "application/json"},
        )
        assert too_big.status_code == 413


def test_cors_preflight_is_answered_at_the_gateway(
    gateway_of: Callable[..., httpx.Client], planning_upstream: tuple[ServerThread, UpstreamState]
) -> None:
    state = planning_upstream[1]
    with gateway_of(cors_origins=["https://app.acme.test"]) as client:
        preflight = client.options(
            "/api/planning/projects",
            headers={
                "Origin": "https://app.acme.test",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://app.acme.test"
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in preflight.headers

        stranger = client.options(
            "/api/planning/projects",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert stranger.status_code == 400
        assert "access-control-allow-origin" not in stranger.headers

        refused = client.get("/api/planning/x", headers={"Origin": "https://app.acme.test"})
        assert refused.status_code == 401
        assert refused.headers["access-control-allow-origin"] == "https://app.acme.test"
        allowed = client.get("/api/planning/x", headers={"Origin": "https://app.acme.test", **AUTH})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://app.acme.test"
        assert "x-request-id" in allowed.headers["access-control-expose-headers"].lower()
    assert state.seen == ["GET /api/planning/x"]


def test_tokens_from_another_issuer_key_are_refused(
    gateway_of: Callable[..., httpx.Client], planning_upstream: tuple[ServerThread, UpstreamState]
) -> None:
    stranger = TestIdentities(IDENTITIES.settings)
    with gateway_of() as client:
        assert client.get("/api/planning/x", headers=bearer(stranger.staff(ORGANISATION))).status_code == 401
