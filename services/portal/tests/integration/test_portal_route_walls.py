"""Every portal route is a wall: authenticated, a declared access policy, and the object
checked. Another organisation's project, or one not granted to this client user, answers
404 like one that does not exist; a role the policy does not admit answers 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from portal_test_kit import Firm, Seeded, client_user, seed_everything, staff

from trellis_platform.auth.caller import ClientRole, StaffRole
from trellis_portal.domain.ids import change_order_approval_id, survey_id

SHOWN = {"milestones": True, "tasks": True, "documents": True, "time": True, "health": True, "budget": "full"}


@dataclass
class Route:
    method: str
    template: str
    access: dict[str, Any]

    def admits(self, kind: str, role: str) -> bool:
        if kind == "staff":
            return role in self.access.get("staff", [])
        wanted = self.access.get("client")
        return wanted is not None and (wanted == "viewer" or role == "approver")

    @property
    def project_scoped(self) -> bool:
        return "{project_id}" in self.template


@dataclass
class World:
    firm: Firm
    seeded: Seeded
    thread: str
    outsider: UUID  # a user of the same client, never granted


@pytest.fixture
def world(http: TestClient, firm: Firm) -> World:
    seeded = seed_everything(firm)
    outsider = uuid4()
    firm.add_client_user(outsider, firm.client, "approver", "Ola Outsider")
    for user in (firm.viewer_id, firm.approver_id):
        http.put(f"/api/portal/projects/{firm.project}/access/{user}", headers=firm.manager())
    thread = http.post(f"/api/portal/projects/{firm.project}/threads", headers=firm.manager(),
                       json={"subject": "Kick-off", "body": "Welcome"}).json()["id"]
    return World(firm=firm, seeded=seeded, thread=thread, outsider=outsider)


def routes(http: TestClient) -> list[Route]:
    found = []
    for path, operations in http.get("/openapi.json").json()["paths"].items():
        for method, operation in operations.items():
            found.append(Route(method.upper(), path, operation.get("x-trellis-access", {})))
    return found


def request_for(route: Route, world: World) -> tuple[str, dict[str, Any] | None]:
    firm, seeded = world.firm, world.seeded
    path = route.template.format(
        project_id=firm.project, client_user_id=firm.viewer_id, document_id=seeded.document, version=1,
        approval_id=change_order_approval_id(seeded.change_order), thread_id=world.thread,
        survey_id=survey_id(seeded.completed_milestone))
    if path.endswith("client-view"):
        path += f"?user={firm.viewer_id}&as_of={quote('2026-01-01T00:00:00+00:00')}"
    bodies: dict[str, dict[str, Any]] = {
        "/visibility": SHOWN, "/approve": {"comment": "ok"}, "/reject": {"comment": "no"},
        "/threads": {"subject": "Hello", "body": "Hi"}, "/messages": {"body": "Hi"},
        "/responses": {"csat": 3, "nps": 5},
        "/approvals": {"deliverable_kind": "milestone", "deliverable_id": str(seeded.milestone),
                       "title": "x"},
    }
    writes = route.method in ("POST", "PUT")
    body = next((b for suffix, b in bodies.items() if writes and path.endswith(suffix)), None)
    return path, body


def call(http: TestClient, route: Route, world: World, headers: dict[str, str] | None) -> int:
    path, body = request_for(route, world)
    status: int = http.request(route.method, path, json=body, headers=headers or {}).status_code
    return status


def test_every_route_declares_its_policy_and_wants_a_token(http: TestClient, world: World) -> None:
    found = routes(http)
    assert len(found) >= 20
    for route in found:
        assert route.access, f"{route.method} {route.template} declares no access policy"
        assert not route.access.get("public")
        assert not route.access.get("anyone")
        assert call(http, route, world, None) == 401, f"{route.method} {route.template}"


@pytest.mark.parametrize(("who", "kind", "role"), [
    ("another organisation's owner", "staff", "owner"),
    ("another organisation's auditor", "staff", "auditor"),
    ("another organisation's client approver", "client", "approver"),
    ("an ungranted approver of the same client", "client", "approver"),
])
def test_a_project_not_yours_is_a_404_never_data(http: TestClient, world: World, who: str, kind: str,
                                                 role: str) -> None:
    firm = world.firm
    if who.startswith("another organisation"):
        organisation = uuid4()
        headers = (staff(organisation, StaffRole(role)) if kind == "staff"
                   else client_user(organisation, firm.client, firm.approver_id, ClientRole.APPROVER))
    else:
        headers = client_user(firm.organisation, firm.client, world.outsider, ClientRole.APPROVER)
    for route in routes(http):
        if not route.project_scoped:
            continue
        status = call(http, route, world, headers)
        expected = 404 if route.admits(kind, role) else 403
        assert status == expected, f"{who}: {route.method} {route.template} answered {status}"


def test_lists_show_another_organisation_nothing(http: TestClient, world: World) -> None:
    other = staff(uuid4(), StaffRole.OWNER)
    assert http.get("/api/portal/projects", headers=other).json()["items"] == []
    outsider = client_user(world.firm.organisation, world.firm.client, world.outsider, ClientRole.APPROVER)
    assert http.get("/api/portal/me/projects", headers=outsider).json()["items"] == []


def test_a_viewer_may_not_do_what_takes_an_approver(http: TestClient, world: World) -> None:
    approver_only = [r for r in routes(http) if r.access.get("client") == "approver"]
    assert {r.template.rsplit("/", 1)[1] for r in approver_only} == {"approve", "reject"}
    for route in approver_only:
        assert call(http, route, world, world.firm.viewer()) == 403
        assert call(http, route, world, world.firm.manager()) == 403, "staff do not decide for the client"


def test_the_requests_above_are_good_ones_for_whoever_may_make_them(http: TestClient, world: World) -> None:
    """So the 404s and 403s above are the walls, not bad requests."""
    firm = world.firm
    callers = {"staff": staff(firm.organisation, StaffRole.OWNER), "approver": firm.approver()}
    for route in routes(http):
        if route.template.endswith("/content") or route.template.endswith("/reject"):
            continue  # no planning behind downloads here; the change order is approved below instead
        headers = callers["staff"] if route.admits("staff", "owner") else callers["approver"]
        status = call(http, route, world, headers)
        assert status in (200, 201, 204), f"{route.method} {route.template} answered {status}"
