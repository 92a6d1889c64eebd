"""Every plan route is authenticated, tenant-scoped and role-checked: the matrix.

Managers write the plan, planners (members) work on their own tasks, every staff role reads;
API keys act by permission; client users have no business here; another organisation's
ids are not found (404), never forbidden.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from plan_support import META, Tenant, identities, in_memory_application, plan_client, project, task, tenant

from trellis_planning.application.planning import PlanningApplication
from trellis_platform.auth.caller import ClientRole, StaffRole
from trellis_platform.testing.identities import bearer

API = "/api/planning"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    body: dict[str, Any] | None
    writers: str
    """manager, member (own tasks), admin (settings) or reader"""
    permission: str
    scoped: bool = True
    """Whether the path names something of one organisation (another's answers 404)."""


@dataclass
class World:
    app: PlanningApplication
    org: Tenant
    ids: dict[str, UUID]


def world() -> World:
    app = in_memory_application()
    org = tenant(app)
    plan = project(app, org.id)
    milestone, _ = app.add_milestone(
        organisation_id=org.id,
        project_id=plan.id,
        name="M",
        starts_on=date(2026, 3, 2),
        due_on=date(2026, 4, 30),
        meta=META,
    )
    mine = task(app, org.id, plan.id, "Alice's", assignee_ids=[org.alice])
    other = task(app, org.id, plan.id, "Other")
    third = task(app, org.id, plan.id, "Third")
    app.add_dependency(
        organisation_id=org.id,
        project_id=plan.id,
        predecessor_id=mine.id,
        successor_id=other.id,
        type_="FS",
        lag_days=0,
        meta=META,
    )
    baseline = app.save_baseline(organisation_id=org.id, project_id=plan.id, name="v1", meta=META)
    minutes, _ = app.record_minutes(
        organisation_id=org.id,
        project_id=plan.id,
        title="Weekly",
        held_on=date(2026, 3, 2),
        attendees=[{"name": "A", "person_id": None}],
        notes="",
        decisions=[],
        action_items=[],
        meta=META,
    )
    field = app.define_custom_field(
        organisation_id=org.id,
        name="Ref",
        type_="text",
        required=False,
        choices=[],
        scope="organisation",
        meta=META,
    )
    return World(
        app,
        org,
        {
            "project": plan.id,
            "milestone": milestone.id,
            "task": mine.id,
            "other": other.id,
            "third": third.id,
            "baseline": baseline.id,
            "minutes": minutes.id,
            "field": field.id,
        },
    )  # type: ignore[dict-item]


def routes(ids: dict[str, Any]) -> list[Route]:
    p, t = ids["project"], ids["task"]
    return [
        Route("GET", f"/projects/{p}", None, "reader", "planning.projects:read"),
        Route(
            "POST",
            "/projects",
            {"client_id": str(uuid4()), "name": "N", "starts_on": "2026-03-02", "ends_on": "2026-04-30"},
            "manager",
            "planning.projects:write",
            scoped=False,
        ),
        Route("GET", "/templates", None, "reader", "planning.projects:read", scoped=False),
        Route("GET", "/templates/construction", None, "reader", "planning.projects:read", scoped=False),
        Route(
            "POST",
            "/projects/from-template",
            {
                "template_id": "creative-agency",
                "client_id": str(uuid4()),
                "name": "C",
                "starts_on": "2026-03-02",
            },
            "manager",
            "planning.projects:write",
            scoped=False,
        ),
        Route("POST", f"/projects/{p}/save-as-template", {"name": "T"}, "manager", "planning.projects:write"),
        Route("GET", "/settings", None, "reader", "planning.settings:read", scoped=False),
        Route(
            "POST",
            "/settings/custom-fields",
            {"name": f"F{uuid4().hex[:6]}", "type": "number"},
            "admin",
            "planning.settings:write",
            scoped=False,
        ),
        Route(
            "PATCH",
            f"/settings/custom-fields/{ids['field']}",
            {"required": False},
            "admin",
            "planning.settings:write",
        ),
        Route("DELETE", f"/settings/custom-fields/{ids['field']}", None, "admin", "planning.settings:write"),
        Route(
            "PUT",
            "/settings/workflows/simple",
            {
                "name": "S",
                "transitions": {"a": ["b"]},
                "statuses": [
                    {"key": "a", "name": "A", "category": "todo"},
                    {"key": "b", "name": "B", "category": "done"},
                ],
            },
            "admin",
            "planning.settings:write",
            scoped=False,
        ),
        Route(
            "PUT",
            "/settings/naming-rules/project_name",
            {"pattern": ".+"},
            "admin",
            "planning.settings:write",
            scoped=False,
        ),
        Route(
            "DELETE",
            "/settings/naming-rules/project_name",
            None,
            "admin",
            "planning.settings:write",
            scoped=False,
        ),
        Route(
            "PUT",
            "/settings/calendar",
            {"weekend_days": [5, 6]},
            "admin",
            "planning.settings:write",
            scoped=False,
        ),
        Route(
            "POST",
            f"/projects/{p}/milestones",
            {"name": "N", "starts_on": "2026-03-02", "due_on": "2026-03-09"},
            "manager",
            "planning.projects:write",
        ),
        Route("GET", f"/projects/{p}/milestones", None, "reader", "planning.projects:read"),
        Route("GET", f"/milestones/{ids['milestone']}", None, "reader", "planning.projects:read"),
        Route(
            "PATCH", f"/milestones/{ids['milestone']}", {"name": "M2"}, "manager", "planning.projects:write"
        ),
        Route(
            "POST", f"/milestones/{ids['milestone']}/completion", None, "manager", "planning.projects:write"
        ),
        Route("POST", f"/projects/{p}/tasks", {"title": "New"}, "manager", "planning.tasks:write"),
        Route("GET", f"/projects/{p}/tasks", None, "reader", "planning.projects:read"),
        Route("GET", f"/tasks/{t}", None, "reader", "planning.projects:read"),
        Route("PATCH", f"/tasks/{t}", {"description": "d"}, "member", "planning.tasks:write"),
        Route("POST", f"/tasks/{t}/status", {"status": "in_progress"}, "member", "planning.tasks:write"),
        Route(
            "POST",
            f"/projects/{p}/tasks/bulk",
            {"task_ids": [str(t)], "priority": "high"},
            "manager",
            "planning.tasks:write",
        ),
        Route(
            "POST",
            f"/projects/{p}/dependencies",
            {"predecessor_id": str(ids["other"]), "successor_id": str(ids["third"]), "type": "FF"},
            "manager",
            "planning.projects:write",
        ),
        Route("GET", f"/projects/{p}/dependencies", None, "reader", "planning.projects:read"),
        Route(
            "DELETE",
            f"/projects/{p}/dependencies?predecessor_id={t}&successor_id={ids['other']}",
            None,
            "manager",
            "planning.projects:write",
        ),
        Route("GET", f"/projects/{p}/schedule", None, "reader", "planning.projects:read"),
        Route("POST", f"/projects/{p}/schedule/recompute", None, "manager", "planning.projects:write"),
        Route("POST", f"/projects/{p}/baselines", {"name": "v2"}, "manager", "planning.projects:write"),
        Route("GET", f"/projects/{p}/baselines", None, "reader", "planning.projects:read"),
        Route(
            "GET",
            f"/projects/{p}/baselines/{ids['baseline']}/comparison",
            None,
            "reader",
            "planning.projects:read",
        ),
        Route("GET", f"/projects/{p}/board", None, "reader", "planning.projects:read"),
        Route(
            "POST",
            f"/projects/{p}/board/moves",
            {"task_id": str(t), "to_status": "todo"},
            "member",
            "planning.tasks:write",
        ),
        Route("GET", f"/projects/{p}/timeline", None, "reader", "planning.projects:read"),
        Route(
            "POST",
            f"/projects/{p}/minutes",
            {"title": "M", "held_on": "2026-03-02", "attendees": [{"name": "A"}]},
            "manager",
            "planning.projects:write",
        ),
        Route("GET", f"/projects/{p}/minutes", None, "reader", "planning.projects:read"),
        Route("GET", f"/minutes/{ids['minutes']}", None, "reader", "planning.projects:read"),
        Route("GET", f"/projects/{p}/progress", None, "reader", "planning.projects:read"),
        Route("POST", f"/projects/{p}/progress/refresh", None, "manager", "planning.projects:write"),
    ]


ALLOWED = {
    "reader": [StaffRole.AUDITOR, StaffRole.ANALYST, StaffRole.MEMBER],
    "member": [StaffRole.MEMBER, StaffRole.PROJECT_MANAGER],
    "manager": [StaffRole.PROJECT_MANAGER, StaffRole.ADMIN, StaffRole.OWNER],
    "admin": [StaffRole.ADMIN, StaffRole.OWNER],
}
DENIED = {
    "reader": [],
    "member": [StaffRole.AUDITOR, StaffRole.FINANCE],
    "manager": [StaffRole.MEMBER, StaffRole.AUDITOR, StaffRole.FINANCE],
    "admin": [StaffRole.PROJECT_MANAGER, StaffRole.MEMBER],
}
ROUTE_NAMES = [
    f"{r.method} {r.path.split('?')[0]}"
    for r in routes(
        {k: "x" for k in ("project", "task", "milestone", "baseline", "minutes", "field", "other", "third")}
    )
]


@pytest.fixture(scope="module")
def shared() -> Iterator[tuple[World, TestClient]]:
    w = world()
    with plan_client(w.app) as client:
        yield w, client


def call(client: TestClient, route: Route, headers: dict[str, str]) -> Any:
    return client.request(route.method, API + route.path, json=route.body, headers=headers)


@pytest.mark.parametrize("index", range(len(ROUTE_NAMES)), ids=ROUTE_NAMES)
def test_nobody_unauthenticated_and_no_client_user_gets_in(
    shared: tuple[World, TestClient], index: int
) -> None:
    w, client = shared
    route = routes(w.ids)[index]
    assert call(client, route, {}).status_code == 401
    assert call(client, route, {"Authorization": "Bearer forged"}).status_code == 401
    client_user = bearer(identities.client_user(w.org.id, uuid4(), ClientRole.APPROVER))
    assert call(client, route, client_user).status_code == 403


@pytest.mark.parametrize("index", range(len(ROUTE_NAMES)), ids=ROUTE_NAMES)
def test_roles_and_key_permissions_are_checked(shared: tuple[World, TestClient], index: int) -> None:
    w, client = shared
    route = routes(w.ids)[index]
    for role in DENIED[route.writers]:
        response = call(client, route, bearer(identities.staff(w.org.id, role, subject="alice")))
        assert response.status_code == 403, (role, response.text)
    wrong_key = bearer(identities.service(w.org.id, "planning.time:write"))
    assert call(client, route, wrong_key).status_code == 403


@pytest.mark.parametrize("index", range(len(ROUTE_NAMES)), ids=ROUTE_NAMES)
def test_allowed_callers_get_in_and_another_tenant_finds_nothing(index: int) -> None:
    w = world()
    with plan_client(w.app) as client:
        route = routes(w.ids)[index]
        if route.scoped:
            stranger = bearer(identities.staff(uuid4(), StaffRole.OWNER))
            response = call(client, route, stranger)
            assert response.status_code == 404, response.text
            assert response.headers["content-type"] == "application/problem+json"
        callers = [
            bearer(identities.staff(w.org.id, role, subject="alice")) for role in ALLOWED[route.writers]
        ]
        callers.append(bearer(identities.service(w.org.id, route.permission)))
        first = call(client, route, callers[0])
        assert first.status_code < 300, first.text
        for caller in callers[1:]:
            # Authorised: whatever the answer (a repeated command may be refused), not 401/403.
            assert call(client, route, caller).status_code not in (401, 403)


def test_a_member_cannot_work_on_someone_elses_task() -> None:
    w = world()
    with plan_client(w.app) as client:
        bob = w.org.member("bob")
        response = client.post(
            f"{API}/tasks/{w.ids['task']}/status", json={"status": "in_progress"}, headers=bob
        )
        assert response.status_code == 403
        assert "not assigned to you" in response.json()["detail"]
        alice = w.org.member("alice")
        assert (
            client.patch(f"{API}/tasks/{w.ids['task']}", json={"assignee_ids": []}, headers=alice).status_code
            == 403
        )


def test_settings_and_templates_of_another_organisation_stay_invisible() -> None:
    w = world()
    with plan_client(w.app) as client:
        stranger = bearer(identities.staff(uuid4(), StaffRole.OWNER))
        assert client.get(f"{API}/settings", headers=stranger).json()["custom_fields"] == []
        saved = client.post(
            f"{API}/projects/{w.ids['project']}/save-as-template",
            json={"name": "Ours"},
            headers=w.org.manager(),
        ).json()
        listed = client.get(f"{API}/templates", headers=stranger).json()["items"]
        assert saved["id"] not in {t["id"] for t in listed}
        assert client.get(f"{API}/templates/{saved['id']}", headers=stranger).status_code == 404
        assert client.get(f"{API}/templates/{saved['id']}", headers=w.org.manager()).status_code == 200
