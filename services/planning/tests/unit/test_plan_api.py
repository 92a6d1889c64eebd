"""The plan over HTTP with real tokens: what each route answers, and the 4xx problems that
name what is wrong (and store nothing)."""

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from plan_support import (
    Tenant,
    identities,
    in_memory_application,
    plan_client,
    problem,
    stored_events,
    tenant,
)

from trellis_planning.application.planning import PlanningApplication
from trellis_platform.auth.caller import StaffRole
from trellis_platform.testing.identities import bearer

API = "/api/planning"


@pytest.fixture
def app() -> PlanningApplication:
    return in_memory_application()


@pytest.fixture
def org(app: PlanningApplication) -> Tenant:
    return tenant(app)


@pytest.fixture
def client(app: PlanningApplication, org: Tenant) -> Iterator[TestClient]:
    with plan_client(app) as test_client:
        test_client.headers.update(org.manager())
        yield test_client


def new_project(client: TestClient, **overrides: Any) -> str:
    body = {
        "client_id": str(uuid4()),
        "name": "Office fit-out",
        "starts_on": "2026-03-02",
        "ends_on": "2026-06-26",
        **overrides,
    }
    response = client.post(f"{API}/projects", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def new_task(client: TestClient, project_id: str, title: str = "Survey", **fields: Any) -> dict[str, Any]:
    response = client.post(f"{API}/projects/{project_id}/tasks", json={"title": title, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert response.headers["location"] == f"{API}/tasks/{body['task']['id']}"
    return body["task"]


def link(client: TestClient, project_id: str, a: str, b: str, **extra: Any) -> Any:
    return client.post(
        f"{API}/projects/{project_id}/dependencies", json={"predecessor_id": a, "successor_id": b, **extra}
    )


def test_a_project_from_a_template_in_one_request(client: TestClient) -> None:
    templates = client.get(f"{API}/templates").json()["items"]
    assert {t["id"] for t in templates} >= {"construction", "creative-agency", "it-delivery"}
    response = client.post(
        f"{API}/projects/from-template",
        json={
            "template_id": "it-delivery",
            "client_id": str(uuid4()),
            "name": "Portal build",
            "starts_on": "2026-03-02",
        },
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert len(created["task_ids"]) == 21
    assert len(created["milestone_ids"]) == 7
    assert created["workflow_id"] == "delivery"
    board = client.get(f"{API}/projects/{created['project']['id']}/board").json()
    assert [c["name"] for c in board["columns"]][:3] == ["Backlog", "Ready", "In progress"]
    detail = client.get(f"{API}/templates/construction").json()
    assert detail["built_in"]
    assert any(f["type"] == "money" for f in detail["custom_fields"])


def test_tasks_answer_with_the_tasks_they_moved(client: TestClient) -> None:
    project_id = new_project(client)
    design = new_task(client, project_id, "Design", duration_days=2)
    build = new_task(client, project_id, "Build", duration_days=2)
    assert link(client, project_id, design["id"], build["id"]).status_code == 201
    response = client.patch(f"{API}/tasks/{design['id']}", json={"duration_days": 4})
    assert response.status_code == 200, response.text
    moved = response.json()["moved"]
    assert [m["title"] for m in moved] == ["Design", "Build"]
    assert moved[1]["starts_on"] > moved[1]["previous_starts_on"]
    schedule = client.get(f"{API}/projects/{project_id}/schedule").json()
    assert schedule["critical_path"] == [design["id"], build["id"]]
    fetched = client.get(f"{API}/tasks/{build['id']}").json()
    assert fetched["scheduled_start"] == moved[1]["starts_on"]


def test_a_cycle_is_a_422_naming_the_cycle(client: TestClient, app: PlanningApplication) -> None:
    project_id = new_project(client)
    a, b, c = (new_task(client, project_id, t)["id"] for t in ("A", "B", "C"))
    link(client, project_id, a, b)
    link(client, project_id, b, c)
    before = stored_events(app)
    body = problem(link(client, project_id, c, a), 422)
    assert body["title"] == "Dependency rejected"
    assert "'C' -> 'A' -> 'B' -> 'C'" in body["detail"]
    assert body["errors"] == [{"location": "cycle", "message": f"{c} -> {a} -> {b} -> {c}"}]
    assert stored_events(app) == before


def test_dependencies_across_organisations_or_projects_are_refused(client: TestClient, org: Tenant) -> None:
    project_id = new_project(client)
    mine = new_task(client, project_id, "Mine")["id"]
    other_project = new_project(client)
    theirs_here = new_task(client, other_project, "Elsewhere")["id"]
    assert "belongs to another project" in problem(link(client, project_id, mine, theirs_here), 422)["detail"]
    stranger = tenant_client_task(client)
    assert problem(link(client, project_id, mine, stranger), 422)["title"] == "Unknown reference"


def tenant_client_task(client: TestClient) -> str:
    """A task in another organisation, made through the same API with that tenant's token."""
    other = bearer(identities.staff(uuid4(), StaffRole.ADMIN))
    project = client.post(
        f"{API}/projects",
        headers=other,
        json={
            "client_id": str(uuid4()),
            "name": "Theirs",
            "starts_on": "2026-03-02",
            "ends_on": "2026-06-26",
        },
    ).json()
    task = client.post(f"{API}/projects/{project['id']}/tasks", headers=other, json={"title": "Theirs"})
    return str(task.json()["task"]["id"])


@pytest.mark.parametrize(
    ("fields", "title", "says"),
    [
        ({"due_on": "2026-07-01"}, "Date outside the project", "lies outside project"),
        ({"starts_on": "2026-01-05"}, "Date outside the project", "The task's start date"),
        ({"assignee_ids": [str(uuid4())]}, "Unknown reference", "No resource"),
        ({"milestone_id": str(uuid4())}, "Unknown reference", "No milestone"),
        ({"status": "archived"}, "Workflow rule broken", "has no status 'archived'"),
        ({"estimate_minutes": -5}, "Invalid request", "body.estimate_minutes"),
        ({"priority": "someday"}, "Invalid request", "body.priority"),
        ({"colour": "red"}, "Invalid request", "body.colour"),
    ],
)
def test_a_bad_task_is_a_problem_naming_what_is_wrong(
    client: TestClient, app: PlanningApplication, fields: dict[str, Any], title: str, says: str
) -> None:
    project_id = new_project(client)
    before = stored_events(app)
    body = problem(client.post(f"{API}/projects/{project_id}/tasks", json={"title": "Survey", **fields}), 422)
    assert body["title"] == title
    assert says in body["detail"]
    assert stored_events(app) == before


def test_custom_fields_are_typed_validated_and_renamed_without_losing_values(
    client: TestClient, org: Tenant
) -> None:
    admin = org.admin()
    field = client.post(
        f"{API}/settings/custom-fields",
        headers=admin,
        json={"name": "Budget line", "type": "money", "required": False},
    )
    assert field.status_code == 201, field.text
    field_id = field.json()["id"]
    project_id = new_project(client)
    body = problem(
        client.post(
            f"{API}/projects/{project_id}/tasks", json={"title": "Buy", "custom_values": {field_id: 12.5}}
        ),
        422,
    )
    assert body["title"] == "Invalid custom field value"
    assert "'Budget line'" in body["detail"]
    assert "money" in body["detail"]
    task = new_task(
        client, project_id, "Buy", custom_values={field_id: {"amount": "99.90", "currency": "EUR"}}
    )
    renamed = client.patch(
        f"{API}/settings/custom-fields/{field_id}", headers=admin, json={"name": "Cost line"}
    )
    assert renamed.json()["name"] == "Cost line"
    fetched = client.get(f"{API}/tasks/{task['id']}").json()
    assert fetched["custom_values"] == {field_id: {"amount": "99.90", "currency": "EUR"}}
    assert fetched["custom_fields"][0]["name"] == "Cost line"
    assert problem(client.patch(f"{API}/settings/custom-fields/nope", headers=admin, json={"name": "X"}), 404)


def test_naming_and_workflow_rules_are_enforced_with_the_rule_named(client: TestClient, org: Tenant) -> None:
    admin = org.admin()
    rule = client.put(
        f"{API}/settings/naming-rules/task_title",
        headers=admin,
        json={"pattern": r"[A-Z]+-\d+ .+", "description": "Start with a ticket key"},
    )
    assert rule.status_code == 200, rule.text
    project_id = new_project(client)
    body = problem(client.post(f"{API}/projects/{project_id}/tasks", json={"title": "do it"}), 422)
    assert body["title"] == "Naming rule broken"
    assert "Start with a ticket key" in body["detail"]
    task = new_task(client, project_id, "OPS-1 Do it")
    body = problem(client.post(f"{API}/tasks/{task['id']}/status", json={"status": "nowhere"}), 422)
    assert body["title"] == "Workflow rule broken"
    settings = client.get(f"{API}/settings").json()
    assert settings["naming_rules"][0]["subject"] == "task_title"
    assert (
        problem(
            client.put(f"{API}/settings/naming-rules/task_title", headers=admin, json={"pattern": "(a+)+"}),
            422,
        )["title"]
        == "Naming rule broken"
    )


def test_the_board_moves_a_card_in_one_request_and_warns_over_the_wip_limit(
    client: TestClient, org: Tenant
) -> None:
    client.put(
        f"{API}/settings/workflows/default",
        headers=org.admin(),
        json={
            "name": "Limited",
            "transitions": {
                "todo": ["in_progress"],
                "in_progress": ["done", "todo"],
                "done": ["in_progress"],
            },
            "statuses": [
                {"key": "todo", "name": "To do", "category": "todo"},
                {"key": "in_progress", "name": "Doing", "category": "in_progress", "wip_limit": 1},
                {"key": "done", "name": "Done", "category": "done"},
            ],
        },
    )
    project_id = new_project(client)
    first, second = new_task(client, project_id, "First"), new_task(client, project_id, "Second")
    moves = f"{API}/projects/{project_id}/board/moves"
    assert (
        client.post(moves, json={"task_id": first["id"], "to_status": "in_progress"}).json()["warnings"] == []
    )
    moved = client.post(
        moves, json={"task_id": second["id"], "to_status": "in_progress", "before_task_id": first["id"]}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["warnings"] == ["Column 'Doing' now holds 2 tasks, over its WIP limit of 1."]
    board = client.get(f"{API}/projects/{project_id}/board").json()
    doing = next(c for c in board["columns"] if c["status"] == "in_progress")
    assert [c["task_id"] for c in doing["cards"]] == [second["id"], first["id"]]
    assert doing["over_limit"]
    assert problem(client.post(moves, json={"task_id": str(uuid4()), "to_status": "done"}), 422)
    assert problem(
        client.post(
            moves,
            json={
                "task_id": first["id"],
                "to_status": "done",
                "after_task_id": first["id"],
                "before_task_id": first["id"],
            },
        ),
        422,
    )


def test_bulk_changes_are_one_request_all_or_nothing(
    client: TestClient, app: PlanningApplication, org: Tenant
) -> None:
    project_id = new_project(client, ends_on="2026-03-20")
    a, b = new_task(client, project_id, "A"), new_task(client, project_id, "B", starts_on="2026-03-16")
    bulk = f"{API}/projects/{project_id}/tasks/bulk"
    before = stored_events(app)
    body = problem(client.post(bulk, json={"task_ids": [a["id"], b["id"]], "shift_working_days": 5}), 422)
    assert "Task 'B'" in body["detail"]
    assert stored_events(app) == before
    done = client.post(
        bulk, json={"task_ids": [a["id"], b["id"]], "assignee_ids": [str(org.alice)], "priority": "high"}
    )
    assert done.status_code == 200, done.text
    assert {t["priority"] for t in done.json()["tasks"]} == {"high"}
    assert problem(client.post(bulk, json={"task_ids": [a["id"]]}), 422)


def test_baselines_compare_against_now_with_the_change_behind_each_slip(client: TestClient) -> None:
    project_id = new_project(client)
    design = new_task(client, project_id, "Design", duration_days=2)
    build = new_task(client, project_id, "Build", duration_days=2)
    link(client, project_id, design["id"], build["id"])
    saved = client.post(f"{API}/projects/{project_id}/baselines", json={"name": "Agreed"})
    assert saved.status_code == 201, saved.text
    client.patch(f"{API}/tasks/{design['id']}", json={"duration_days": 5}, headers={"x-request-id": "r-42"})
    compared = client.get(f"{API}/projects/{project_id}/baselines/{saved.json()['id']}/comparison")
    assert compared.status_code == 200, compared.text
    slipped = {s["title"]: s for s in compared.json()["slipped"]}
    assert slipped["Build"]["finish_variance_days"] == 3
    (change,) = slipped["Build"]["changes"]
    assert change["actor"] == "staff:manager"
    assert change["request_id"] == "r-42"
    assert change["command"] == "update task 'Design'"
    timeline = client.get(
        f"{API}/projects/{project_id}/timeline", params={"baseline_id": saved.json()["id"]}
    ).json()
    assert all(bar["ghost"] is not None for bar in timeline["bars"])
    assert problem(client.get(f"{API}/projects/{project_id}/baselines/{uuid4()}/comparison"), 404)
    assert problem(
        client.get(
            f"{API}/projects/{project_id}/baselines/{saved.json()['id']}/comparison",
            params={"against": "yesterday"},
        ),
        422,
    )


def test_minutes_make_tasks_of_their_action_items(client: TestClient, org: Tenant) -> None:
    project_id = new_project(client)
    response = client.post(
        f"{API}/projects/{project_id}/minutes",
        json={
            "title": "Kick-off",
            "held_on": "2026-03-02",
            "attendees": [{"name": "Alice", "person_id": str(org.alice)}, {"name": "Client"}],
            "decisions": ["Start Monday"],
            "action_items": [
                {"title": "Send the schedule", "assignee_ids": [str(org.alice)], "due_on": "2026-03-04"}
            ],
        },
    )
    assert response.status_code == 201, response.text
    (item,) = response.json()["minutes"]["action_items"]
    assert client.get(f"{API}/tasks/{item['task_id']}").json()["title"] == "Send the schedule"
    assert len(client.get(f"{API}/projects/{project_id}/minutes").json()["items"]) == 1
    bad = client.post(
        f"{API}/projects/{project_id}/minutes", json={"title": "x", "held_on": "2026-03-02", "attendees": []}
    )
    assert problem(bad, 422)


def test_progress_states_its_rules_and_health(client: TestClient) -> None:
    project_id = new_project(client)
    task = new_task(client, project_id, "Only", estimate_minutes=120)
    client.post(f"{API}/tasks/{task['id']}/status", json={"status": "done"})
    progress = client.get(f"{API}/projects/{project_id}/progress").json()
    assert progress["percent_complete"] == "100.0"
    assert progress["health"] in ("on_track", "at_risk", "off_track")
    assert "done" in progress["rule"]
    assert "off_track" in progress["health_rule"]
    assert client.post(f"{API}/projects/{project_id}/progress/refresh").json() == {"changed": False}


def test_milestones_within_the_project_and_completed_when_their_tasks_are(client: TestClient) -> None:
    project_id = new_project(client)
    response = client.post(
        f"{API}/projects/{project_id}/milestones",
        json={"name": "Handover", "starts_on": "2026-03-02", "due_on": "2026-03-31"},
    )
    assert response.status_code == 201, response.text
    milestone_id = response.json()["id"]
    task = new_task(client, project_id, "Snag", milestone_id=milestone_id)
    client.post(f"{API}/tasks/{task['id']}/status", json={"status": "done"})
    assert client.get(f"{API}/milestones/{milestone_id}").json()["completed_on"] is not None
    body = problem(
        client.post(
            f"{API}/projects/{project_id}/milestones",
            json={"name": "Late", "starts_on": "2026-03-02", "due_on": "2026-12-31"},
        ),
        422,
    )
    assert body["title"] == "Date outside the project"
    assert problem(
        client.post(
            f"{API}/projects/{project_id}/milestones",
            json={"name": "Back", "starts_on": "2026-03-09", "due_on": "2026-03-02"},
        ),
        422,
    )


@pytest.mark.parametrize(
    "path",
    [
        "/projects/{x}/tasks",
        "/tasks/{x}",
        "/projects/{x}/board",
        "/projects/{x}/timeline",
        "/projects/{x}/schedule",
        "/projects/{x}/progress",
        "/projects/{x}/baselines",
        "/milestones/{x}",
        "/minutes/{x}",
        "/projects/{x}/dependencies",
        "/projects/{x}/milestones",
        "/templates/{x}",
    ],
)
def test_an_unknown_id_is_a_404_problem(client: TestClient, path: str) -> None:
    assert problem(client.get(API + path.format(x=uuid4())), 404)["title"] == "Not found"


def test_a_malformed_id_is_a_422_problem(client: TestClient) -> None:
    assert "path.task_id" in problem(client.get(f"{API}/tasks/not-a-uuid"), 422)["detail"]


def test_nulls_mean_defaults_on_create_and_are_refused_where_a_value_is_needed(client: TestClient) -> None:
    project_id = new_project(client)
    task = new_task(client, project_id, "Defaults", duration_days=None, estimate_minutes=None, tags=None)
    assert (task["duration_days"], task["estimate_minutes"], task["tags"]) == (1, 0, [])
    bulk = f"{API}/projects/{project_id}/tasks/bulk"
    assert (
        "shift_working_days"
        in problem(client.post(bulk, json={"task_ids": [task["id"]], "shift_working_days": None}), 422)[
            "detail"
        ]
    )
    assert "title" in problem(client.patch(f"{API}/tasks/{task['id']}", json={"title": None}), 422)["detail"]
