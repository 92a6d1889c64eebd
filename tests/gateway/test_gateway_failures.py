"""What the gateway answers itself: no route, an upstream down or slow, a body too large."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from trellis_gateway.proxy import problem_for

from .conftest import AUTH, Launcher
from .servers import ServerThread
from .upstreams import UpstreamState

PROBLEM = "application/problem+json"


def _problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert len(response.headers.get_list("x-request-id")) == 1
    return body


@pytest.mark.parametrize("path", ["/api/billing/invoices", "/api/", "/elsewhere", "/"])
def test_unknown_prefix_is_a_404_naming_the_known_ones(client: httpx.Client, path: str) -> None:
    problem = _problem(client.get(path), 404)

    assert problem["title"] == "Not found"
    assert "/api/planning/" in str(problem["detail"])
    assert "/api/portal/" in str(problem["detail"])
    assert problem["instance"] == path


def test_dot_segments_are_refused_rather_than_rerouted(client: httpx.Client) -> None:
    # %2E%2E survives the client; the server decodes it to "..", which httpx would then fold.
    problem = _problem(client.get("/api/planning/%2E%2E/portal/echo"), 400)

    assert problem["title"] == "Invalid path"


def test_wrong_method_on_the_gateways_own_routes(client: httpx.Client) -> None:
    problem = _problem(client.post("/healthz"), 405)

    assert problem["title"] == "Method not allowed"


def test_stopped_upstream_is_a_502_without_internals(launch: Launcher) -> None:
    risk, _ = launch.upstream("risk")
    gateway = launch.gateway({"risk": risk.url})
    with httpx.Client(base_url=gateway.url, timeout=5, headers=AUTH) as client:
        assert client.get("/api/risk/echo").status_code == 200  # leaves a pooled connection
        risk.stop()

        problem = _problem(client.get("/api/risk/echo"), 502)

    assert problem["title"] == "Bad gateway"
    assert problem["detail"] == "The risk service is unreachable."


def test_slow_upstream_is_a_504_after_the_read_timeout(launch: Launcher,
                                                       planning: tuple[ServerThread, UpstreamState]) -> None:
    timeout = httpx.Timeout(connect=2.0, read=0.2, write=2.0, pool=2.0)
    gateway = launch.gateway({"planning": planning[0].url}, timeout=timeout)
    with httpx.Client(base_url=gateway.url, timeout=5, headers=AUTH) as client:
        started = time.monotonic()
        problem = _problem(client.get("/api/planning/slow", params={"seconds": 1.0}), 504)
        elapsed = time.monotonic() - started

    assert problem["title"] == "Gateway timeout"
    assert problem["detail"] == "The planning service did not answer in time."
    assert elapsed < 0.9


def test_body_over_1_mib_is_a_413(client: httpx.Client) -> None:
    problem = _problem(client.post("/api/planning/digest", content=b"x" * 2_000_000), 413)

    assert problem["title"] == "Content too large"


def test_chunked_body_over_1_mib_is_a_413_too(client: httpx.Client) -> None:
    # No Content-Length to refuse up front: the limit trips while the body streams upstream.
    def two_megabytes() -> Iterator[bytes]:
        for _ in range(32):
            yield b"x" * 65_536

    problem = _problem(client.post("/api/planning/digest", content=two_megabytes()), 413)

    assert problem["title"] == "Content too large"
    assert client.get("/api/planning/echo").status_code == 200


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), 502),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), 502),
        (httpx.ReadError("[Errno 104] Connection reset by peer"), 502),
        (httpx.ConnectTimeout("timed out"), 504),
        (httpx.ReadTimeout("timed out"), 504),
        (httpx.WriteTimeout("timed out"), 504),
        (httpx.PoolTimeout("timed out"), 503),
    ],
)
def test_each_upstream_failure_has_its_status_and_no_internals(error: httpx.HTTPError, status: int) -> None:
    response = problem_for(error, "budget", "/api/budget/lines")

    assert response.status_code == status
    body = json.loads(bytes(response.body))
    assert body["status"] == status
    assert "budget" in body["detail"]
    assert str(error) not in body["detail"]
    assert "Errno" not in body["detail"]
