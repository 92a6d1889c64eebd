"""Every time, resource, capacity and document route is a wall: it needs a token, admits
only the roles (or API key permissions) it declares, and answers another organisation's
ids with 404, as if they did not exist."""

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from records_support import (
    META,
    Organisation,
    identities,
    in_memory_application,
    organisation,
    records_client,
)

from trellis_planning.domain.document import StoredContent
from trellis_platform.auth.caller import ClientRole, StaffRole
from trellis_platform.testing.identities import bearer

TAGS = {"time entries", "resources", "capacity", "documents"}
DAY = date(2026, 3, 3)
LISTS = {"/api/planning/time-entries", "/api/planning/resources", "/api/planning/capacity"}


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    access: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


@dataclass
class World:
    client: TestClient
    owner: Organisation
    ids: dict[str, str]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    app = in_memory_application()
    owner = organisation(app)
    entry = app.log_time(
        organisation_id=owner.id,
        task_id=owner.task_id,
        person_id=owner.alice,
        worked_on=DAY,
        minutes=30,
        billable=True,
        note="",
        meta=META,
    )
    booking = app.book_resource(
        organisation_id=owner.id,
        resource_id=owner.alice,
        project_id=owner.project_id,
        starts_on=DAY,
        ends_on=DAY,
        hours_per_day=Decimal(1),
        meta=META,
    )
    document = app.add_document(
        organisation_id=owner.id,
        project_id=owner.project_id,
        name="Spec",
        content=StoredContent(key="e" * 64, size=1, sha256="e" * 64),
        content_type=None,
        filename=None,
        uploaded_by="staff:x",
        meta=META,
    )
    ids = {
        "entry_id": str(entry.id),
        "resource_id": str(owner.alice),
        "booking_id": str(booking.booking_id),
        "document_id": str(document.id),
        "project_id": str(owner.project_id),
        "number": "1",
        "day": "2026-03-04",
    }
    with records_client(app, tmp_path_factory.mktemp("documents")) as client:
        yield World(client=client, owner=owner, ids=ids)


def routes() -> list[Route]:
    app = in_memory_application()
    with tempfile.TemporaryDirectory() as directory, records_client(app, Path(directory)) as client:
        paths = client.get("/openapi.json").json()["paths"]
    return [
        Route(method.upper(), path, operation["x-trellis-access"])
        for path, operations in sorted(paths.items())
        for method, operation in operations.items()
        if TAGS & set(operation.get("tags", []))
    ]


ROUTES = routes()


def call(world: World, route: Route, headers: dict[str, str]) -> Any:
    url = route.template.format(**world.ids)
    if url.endswith("/capacity") or route.template == "/api/planning/capacity":
        url += "?from=2026-03-02&to=2026-03-08"
    owner = world.owner
    bodies: dict[str, dict[str, Any]] = {
        "/api/planning/time-entries": {
            "task_id": str(owner.task_id),
            "person_id": str(owner.alice),
            "worked_on": "2026-03-05",
            "minutes": 10,
        },
        "/api/planning/time-entries/{entry_id}": {"minutes": 20},
        "/api/planning/resources": {"kind": "person", "name": "Zed", "hours_per_day": "8"},
        "/api/planning/resources/{resource_id}/capacity": {"hours_per_day": "8", "working_weekdays": [1, 2]},
        "/api/planning/resources/{resource_id}/bookings": {
            "project_id": str(owner.project_id),
            "starts_on": "2026-04-06",
            "ends_on": "2026-04-06",
            "hours_per_day": "1",
        },
    }
    if route.method == "POST" and route.template.endswith(("/documents", "/versions")):
        return world.client.post(url, files={"file": ("a.txt", b"a", "text/plain")}, headers=headers)
    body = bodies.get(route.template) if route.method in {"POST", "PUT", "PATCH"} else None
    return world.client.request(route.method, url, json=body, headers=headers)


def test_every_record_route_is_covered() -> None:
    assert len(ROUTES) == 25


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_a_route_needs_a_token(world: World, route: Route) -> None:
    assert call(world, route, {}).status_code == 401


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_client_users_and_keys_without_the_permission_are_forbidden(world: World, route: Route) -> None:
    approver = bearer(identities.client_user(world.owner.id, uuid4(), ClientRole.APPROVER))
    assert call(world, route, approver).status_code == 403
    unrelated = world.owner.key("planning.projects:read")
    assert call(world, route, unrelated).status_code == 403


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_staff_roles_the_route_does_not_declare_are_forbidden(world: World, route: Route) -> None:
    for role in set(StaffRole) - {StaffRole(r) for r in route.access["staff"]}:
        caller = bearer(identities.staff(world.owner.id, role, subject=f"someone-{role}"))
        assert call(world, route, caller).status_code == 403, role


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_another_organisation_finds_nothing(world: World, route: Route) -> None:
    outsider = bearer(identities.staff(uuid4(), StaffRole.OWNER, subject="outsider"))
    response = call(world, route, outsider)
    if route.template in LISTS and route.method == "GET":
        assert response.status_code == 200
        assert response.json()["items"] == []
    elif route.template in LISTS:
        assert response.status_code in (201, 404), response.text  # creates in its own tenant, or 404 on ids
    else:
        assert response.status_code == 404, response.text
        assert response.headers["content-type"] == "application/problem+json"
