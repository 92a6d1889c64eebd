from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from trellis_gateway.app import create_gateway_app
from trellis_gateway.server import server_config
from trellis_platform.auth.caller import StaffRole
from trellis_platform.testing.identities import TestIdentities, bearer

from .servers import ServerThread, start
from .upstreams import UpstreamState, upstream_app

# The gateway authenticates every /api request: these tests call it as a member of one
# organisation, with a token the gateway verifies the real way.
IDENTITIES = TestIdentities()
ORGANISATION = uuid4()
AUTH = bearer(IDENTITIES.staff(ORGANISATION, StaffRole.MEMBER))


class Launcher:
    """Starts upstreams and gateways on demand and stops every one it started."""

    def __init__(self, tracer_provider: TracerProvider) -> None:
        self.tracer_provider = tracer_provider
        self._running: list[ServerThread] = []

    def upstream(self, service: str) -> tuple[ServerThread, UpstreamState]:
        state = UpstreamState()
        server = start(upstream_app(service, state))
        self._running.append(server)
        return server, state

    def gateway(self, upstreams: dict[str, str], **options: Any) -> ServerThread:
        options.setdefault("verifier", IDENTITIES.verifier())
        app = create_gateway_app(upstreams, tracer_provider=self.tracer_provider, **options)
        server = start(app, make_config=server_config)
        self._running.append(server)
        return server

    def stop_all(self) -> None:
        # All at once: each uvicorn takes a tick or two to notice.
        for server in self._running:
            server.request_stop()
        while self._running:
            self._running.pop().stop()


@pytest.fixture(scope="package")
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture(scope="package")
def tracer_provider(spans: InMemorySpanExporter) -> Iterator[TracerProvider]:
    # The gateway's own provider, not the global one: the tests read its spans directly.
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    yield provider
    provider.shutdown()


@pytest.fixture(scope="package")
def shared_servers(tracer_provider: TracerProvider) -> Iterator[Launcher]:
    launcher = Launcher(tracer_provider)
    yield launcher
    launcher.stop_all()


@pytest.fixture(scope="package")
def planning(shared_servers: Launcher) -> tuple[ServerThread, UpstreamState]:
    return shared_servers.upstream("planning")


@pytest.fixture(scope="package")
def portal(shared_servers: Launcher) -> tuple[ServerThread, UpstreamState]:
    return shared_servers.upstream("portal")


@pytest.fixture(scope="package")
def gateway(
    shared_servers: Launcher,
    planning: tuple[ServerThread, UpstreamState],
    portal: tuple[ServerThread, UpstreamState],
) -> ServerThread:
    return shared_servers.gateway({"planning": planning[0].url, "portal": portal[0].url})


@pytest.fixture(scope="package")
def client(gateway: ServerThread) -> Iterator[httpx.Client]:
    # One client (and so mostly one keep-alive connection) for all tests, as a browser would.
    with httpx.Client(base_url=gateway.url, timeout=5, headers=AUTH) as client:
        yield client


@pytest.fixture
def launch(tracer_provider: TracerProvider) -> Iterator[Launcher]:
    launcher = Launcher(tracer_provider)
    yield launcher
    launcher.stop_all()
