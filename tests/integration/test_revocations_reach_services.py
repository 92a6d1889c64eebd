"""A revoked token is refused by a service called directly, not only at the gateway.

Identity (its routes and its relay) and planning's API run as in the distributed mode, on
real PostgreSQL and real Kafka, each API served by uvicorn on its own port: planning's app
is built exactly as ``python -m trellis_planning api`` builds it, verifying tokens with
identity's JWKS and following identity's published revocations."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import uuid4

import httpx
import pytest

from tests.e2e.accounts import PASSWORD
from tests.e2e.processes import eventually
from tests.gateway.servers import ServerThread, start
from trellis_contracts.topics import IDENTITY_EVENTS_V1
from trellis_identity.application.passwords import fast_passwords
from trellis_identity.wiring import Identity, build_identity
from trellis_planning.wiring import Planning, build_planning
from trellis_platform.auth.revocations import KafkaRevocations
from trellis_platform.http_app import new_http_app
from trellis_platform.kafka_sink import KafkaSink, ensure_topics, new_producer
from trellis_platform.relay import NotificationRelay
from trellis_platform.runners import service_api_app

pytestmark = pytest.mark.kafka


class RelayThread:
    """Identity's relay to Kafka, on an event loop of its own, as its own process would run it."""

    def __init__(self, identity: Identity, kafka_bootstrap: str) -> None:
        self._identity = identity
        self._bootstrap = kafka_bootstrap
        self._loop = asyncio.new_event_loop()
        self._relay: NotificationRelay | None = None
        self._running = threading.Event()
        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(self._run(),),
                                        daemon=True)

    async def _run(self) -> None:
        producer = new_producer(self._bootstrap, client_id="test-identity-relay")
        await producer.start()
        try:
            self._relay = self._identity.relay(KafkaSink(producer))
            self._running.set()
            await self._relay.run()
        finally:
            await producer.stop()

    def start(self) -> RelayThread:
        self._thread.start()
        assert self._running.wait(30), "the relay did not start"
        return self

    def stop(self) -> None:
        assert self._relay is not None
        self._loop.call_soon_threadsafe(self._relay.stop)
        self._thread.join(15)
        self._loop.close()


@dataclass
class Distributed:
    identity: ServerThread
    start_planning_api: Callable[[], ServerThread]


@pytest.fixture
def distributed(database_url: str, kafka_bootstrap: str,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[Distributed]:
    asyncio.run(ensure_topics(kafka_bootstrap, [IDENTITY_EVENTS_V1]))
    identity = build_identity(database_url, pool_size=2, passwords=fast_passwords())
    identity_server = start(new_http_app(title="identity", routers=identity.routers(),
                                         token_verifier=identity.token_verifier()))
    monkeypatch.delenv("TRELLIS_OIDC_ISSUER", raising=False)
    monkeypatch.setenv("TRELLIS_AUTH_JWKS_URL", f"{identity_server.url}/api/identity/.well-known/jwks.json")
    relay = RelayThread(identity, kafka_bootstrap).start()
    planning: Planning = build_planning(database_url, pool_size=2)
    servers: list[ServerThread] = [identity_server]

    def start_planning_api() -> ServerThread:
        app = service_api_app(title="Trellis planning", routers=planning.routers(), database_url=database_url,
                              kafka_bootstrap=kafka_bootstrap,
                              revocations=KafkaRevocations(kafka_bootstrap, client_id="test-planning-api"))
        server = start(app)
        servers.append(server)
        return server

    yield Distributed(identity_server, start_planning_api)
    relay.stop()
    for server in reversed(servers):
        server.stop()
    planning.close()
    identity.close()


def wait_for(check: Callable[[], bool], timeout: float = 30) -> None:
    eventually(check, timeout, 0.1)


def ready(server: ServerThread) -> bool:
    return httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200


@contextmanager
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        yield http


def sign_up_and_log_in(identity: ServerThread) -> tuple[dict[str, str], str]:
    email = f"owner-{uuid4().hex[:8]}@acme.test"
    with client(identity.url) as http:
        signed = http.post("/api/identity/signup", json={
            "organisation_name": "Acme", "name": "Olivia", "email": email, "password": PASSWORD})
        assert signed.status_code == 201, signed.text
        tokens = http.post("/api/identity/login", json={"email": email, "password": PASSWORD})
        assert tokens.status_code == 200, tokens.text
    return {"Authorization": f"Bearer {tokens.json()['access_token']}"}, email


def log_in(identity: ServerThread, email: str) -> dict[str, str]:
    tokens = httpx.post(f"{identity.url}/api/identity/login", json={"email": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.text
    return {"Authorization": f"Bearer {tokens.json()['access_token']}"}


def create_project(planning: ServerThread, headers: dict[str, str]) -> str:
    created = httpx.post(f"{planning.url}/api/planning/projects", headers=headers, json={
        "client_id": str(uuid4()), "name": "Data centre fit-out", "starts_on": "2026-07-01",
        "ends_on": "2026-12-18"})
    assert created.status_code == 201, created.text
    return str(created.headers["location"])


def status_of(planning: ServerThread, path: str, headers: dict[str, str]) -> int:
    return httpx.get(f"{planning.url}{path}", headers=headers, timeout=10).status_code


def test_after_logout_a_service_called_directly_refuses_the_token_and_so_does_a_fresh_one(
    distributed: Distributed,
) -> None:
    planning_api = distributed.start_planning_api()
    wait_for(lambda: ready(planning_api))
    headers, email = sign_up_and_log_in(distributed.identity)
    other_session = log_in(distributed.identity, email)
    project = create_project(planning_api, headers)
    assert status_of(planning_api, project, headers) == 200

    logout = httpx.post(f"{distributed.identity.url}/api/identity/logout", headers=headers)
    assert logout.status_code == 204

    wait_for(lambda: status_of(planning_api, project, headers) == 401)
    assert status_of(planning_api, project, other_session) == 200, "another session lives on"

    # Started after the revocation: it reads back the revocations that may still matter
    # before it says it is ready.
    fresh = distributed.start_planning_api()
    wait_for(lambda: ready(fresh))
    assert status_of(fresh, project, headers) == 401
    assert status_of(fresh, project, other_session) == 200


def test_a_revoked_api_key_stops_its_service_tokens_at_the_service(distributed: Distributed) -> None:
    planning_api = distributed.start_planning_api()
    headers, _ = sign_up_and_log_in(distributed.identity)
    with client(distributed.identity.url) as http:
        key = http.post("/api/identity/api-keys", headers=headers,
                        json={"name": "ERP", "permissions": ["planning.projects:read"]})
        assert key.status_code == 201, key.text
        exchanged = http.post("/api/identity/service-tokens", json={"api_key": key.json()["secret"]})
        assert exchanged.status_code == 200, exchanged.text
        service = {"Authorization": f"Bearer {exchanged.json()['access_token']}"}
        wait_for(lambda: ready(planning_api))
        project = create_project(planning_api, headers)
        assert status_of(planning_api, project, service) == 200

        assert http.delete(f"/api/identity/api-keys/{key.json()['id']}", headers=headers).status_code == 204

    wait_for(lambda: status_of(planning_api, project, service) == 401)
    assert status_of(planning_api, project, headers) == 200
