"""/healthz says the gateway runs; /readyz that every upstream is ready."""

from __future__ import annotations

import httpx

from .conftest import Launcher


def test_healthz(client: httpx.Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_when_every_upstream_is(client: httpx.Client) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "upstreams": {"planning": "ready", "portal": "ready"}}


def test_not_ready_lists_the_upstreams_that_are_not(launch: Launcher) -> None:
    planning, _ = launch.upstream("planning")
    budget, budget_state = launch.upstream("budget")
    risk, _ = launch.upstream("risk")
    gateway = launch.gateway({"planning": planning.url, "budget": budget.url, "risk": risk.url})
    budget_state.ready = False
    risk.stop()

    with httpx.Client(base_url=gateway.url, timeout=5) as client:
        response = client.get("/readyz")
        health = client.get("/healthz")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Not ready"
    assert problem["detail"] == "Not ready: budget, risk."
    assert problem["errors"] == [
        {"location": "budget", "message": "answered 503"},
        {"location": "risk", "message": "unreachable"},
    ]
    assert health.status_code == 200
