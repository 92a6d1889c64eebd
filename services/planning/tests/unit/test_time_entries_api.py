"""Logging, correcting, deleting and listing time over HTTP: who may, and what is refused."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from records_support import (
    META,
    Organisation,
    identities,
    in_memory_application,
    organisation,
    problem,
    records_client,
    stored_events,
)

from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.resource import ResourceKind
from trellis_planning.domain.time_entry import TimeEntry
from trellis_platform.auth.caller import ClientRole
from trellis_platform.testing.identities import bearer

ENTRIES = "/api/planning/time-entries"


@pytest.fixture
def app() -> PlanningApplication:
    return in_memory_application()


@pytest.fixture
def org(app: PlanningApplication) -> Organisation:
    return organisation(app)


@pytest.fixture
def client(app: PlanningApplication, tmp_path: Path) -> Iterator[TestClient]:
    with records_client(app, tmp_path) as test_client:
        yield test_client


def entry(org: Organisation, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "task_id": str(org.task_id),
        "person_id": str(org.alice),
        "worked_on": "2026-03-03",
        "minutes": 90,
        "billable": True,
        "note": "Survey",
    }
    body.update(overrides)
    return body


def app_id(body: dict[str, Any]) -> UUID:
    return UUID(body["id"])


def test_a_member_logs_their_own_time(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    response = client.post(ENTRIES, json=entry(org), headers=org.member())
    assert response.status_code == 201, response.text
    logged = response.json()
    assert response.headers["location"] == f"{ENTRIES}/{logged['id']}"
    assert logged["project_id"] == str(org.project_id), "the project follows from the task"
    assert logged["organisation_id"] == str(org.id)
    assert client.get(response.headers["location"], headers=org.auditor()).json() == logged
    stored = app.get_time_entry(org.id, app_id(logged))
    assert stored.work.worked_on == date(2026, 3, 3)


def test_a_member_cannot_log_time_for_someone_else(
    client: TestClient,
    app: PlanningApplication,
    org: Organisation,
) -> None:
    bob = app.register_resource(
        organisation_id=org.id,
        kind=ResourceKind.PERSON,
        name="Bob",
        hours_per_day=Decimal(8),
        working_weekdays=frozenset(range(1, 6)),
        user_id="bob",
        meta=META,
    )
    before = stored_events(app)
    problem(client.post(ENTRIES, json=entry(org, person_id=str(bob.id)), headers=org.member()), 403)
    assert stored_events(app) == before
    assert (
        client.post(ENTRIES, json=entry(org, person_id=str(bob.id)), headers=org.manager()).status_code == 201
    )


def test_an_api_key_needs_the_write_permission(client: TestClient, org: Organisation) -> None:
    problem(client.post(ENTRIES, json=entry(org), headers=org.key("planning.time:read")), 403)
    assert client.post(ENTRIES, json=entry(org), headers=org.key("planning.time:write")).status_code == 201


@pytest.mark.parametrize(
    "headers",
    [{"Authorization": ""}, {"Authorization": "Bearer nonsense"}],
    ids=["anonymous", "garbage token"],
)
def test_time_needs_an_authenticated_caller(
    client: TestClient, org: Organisation, headers: dict[str, str]
) -> None:
    problem(client.post(ENTRIES, json=entry(org), headers=headers), 401)
    problem(client.get(ENTRIES, headers=headers), 401)


def test_client_users_neither_log_nor_read_time(client: TestClient, org: Organisation) -> None:
    client_user = bearer(identities.client_user(org.id, uuid4(), ClientRole.APPROVER))
    problem(client.post(ENTRIES, json=entry(org), headers=client_user), 403)
    problem(client.get(ENTRIES, headers=client_user), 403)


def test_time_on_another_organisations_task_or_person_is_not_found(
    client: TestClient,
    app: PlanningApplication,
    org: Organisation,
) -> None:
    other = organisation(app)
    before = stored_events(app)
    body = problem(
        client.post(ENTRIES, json=entry(org, task_id=str(other.task_id)), headers=org.manager()), 404
    )
    assert str(other.task_id) in body["detail"]
    problem(client.post(ENTRIES, json=entry(org, task_id=str(uuid4())), headers=org.manager()), 404)
    problem(client.post(ENTRIES, json=entry(org, person_id=str(other.alice)), headers=org.manager()), 404)
    assert stored_events(app) == before


def test_time_is_logged_by_people_not_equipment(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    crane = app.register_resource(
        organisation_id=org.id,
        kind=ResourceKind.EQUIPMENT,
        name="Crane",
        hours_per_day=Decimal(10),
        working_weekdays=frozenset(range(1, 6)),
        meta=META,
    )
    body = problem(client.post(ENTRIES, json=entry(org, person_id=str(crane.id)), headers=org.manager()), 422)
    assert "equipment" in body["detail"]


@pytest.mark.parametrize(
    ("change", "mentions"),
    [
        ({"worked_on": "2026-03-01"}, "outside project"),
        ({"worked_on": "2026-06-27"}, "outside project"),
        ({"minutes": 0}, "body.minutes"),
        ({"minutes": -30}, "body.minutes"),
        ({"minutes": 24 * 60 + 1}, "body.minutes"),
        ({"minutes": 1.5}, "body.minutes"),
        ({"worked_on": "2026-02-30"}, "body.worked_on"),
        ({"task_id": "task-1"}, "body.task_id"),
        ({"hours": 2}, "body.hours"),
        ({"note": "x" * 2001}, "body.note"),
    ],
)
def test_bad_time_gets_a_problem_naming_what_is_wrong_and_stores_nothing(
    client: TestClient,
    app: PlanningApplication,
    org: Organisation,
    change: dict[str, Any],
    mentions: str,
) -> None:
    before = stored_events(app)
    response = client.post(ENTRIES, json=entry(org, **change), headers=org.manager())
    assert response.status_code == 422, response.text
    assert mentions in response.json()["detail"]
    assert stored_events(app) == before


def test_nobody_logs_more_than_24_hours_on_one_day(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    assert client.post(ENTRIES, json=entry(org, minutes=1000), headers=org.member()).status_code == 201
    before = stored_events(app)
    body = problem(client.post(ENTRIES, json=entry(org, minutes=441), headers=org.member()), 422)
    assert "24 hours" in body["detail"]
    assert stored_events(app) == before
    assert client.post(ENTRIES, json=entry(org, minutes=440), headers=org.member()).status_code == 201
    assert (
        client.post(
            ENTRIES, json=entry(org, minutes=600, worked_on="2026-03-04"), headers=org.member()
        ).status_code
        == 201
    ), "another day is another 24 hours"


def test_a_correction_changes_only_what_is_given(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    location = client.post(ENTRIES, json=entry(org), headers=org.member()).headers["location"]
    corrected = client.patch(location, json={"minutes": 120, "worked_on": "2026-03-05"}, headers=org.member())
    assert corrected.status_code == 200, corrected.text
    body = corrected.json()
    assert (body["minutes"], body["worked_on"], body["note"], body["version"]) == (
        120,
        "2026-03-05",
        "Survey",
        2,
    )
    events = [e for e in app.events.get(app_id(body)) if isinstance(e, TimeEntry.Corrected)]
    assert len(events) == 1


def test_a_correction_moves_the_minutes_between_days(client: TestClient, org: Organisation) -> None:
    location = client.post(ENTRIES, json=entry(org, minutes=1440), headers=org.member()).headers["location"]
    assert client.patch(location, json={"worked_on": "2026-03-04"}, headers=org.member()).status_code == 200
    assert client.post(ENTRIES, json=entry(org, minutes=1440), headers=org.member()).status_code == 201, (
        "the day it left is free again"
    )
    problem(
        client.post(ENTRIES, json=entry(org, minutes=1, worked_on="2026-03-04"), headers=org.member()), 422
    )


@pytest.mark.parametrize(
    ("change", "status", "mentions"),
    [
        ({"minutes": None}, 422, "cannot be null"),
        ({"minutes": 0}, 422, "body.minutes"),
        ({"worked_on": "2027-01-01"}, 422, "outside project"),
        ({"task_id": str(uuid4())}, 404, "No task"),
        ({"colour": "red"}, 422, "body.colour"),
    ],
)
def test_a_bad_correction_changes_nothing(
    client: TestClient,
    app: PlanningApplication,
    org: Organisation,
    change: dict[str, Any],
    status: int,
    mentions: str,
) -> None:
    location = client.post(ENTRIES, json=entry(org), headers=org.member()).headers["location"]
    before = stored_events(app)
    assert mentions in problem(client.patch(location, json=change, headers=org.member()), status)["detail"]
    assert stored_events(app) == before


def test_deleting_an_entry_is_a_fact_and_it_is_then_gone(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    location = client.post(ENTRIES, json=entry(org, minutes=1440), headers=org.member()).headers["location"]
    assert client.delete(location, headers=org.member()).status_code == 204
    problem(client.get(location, headers=org.manager()), 404)
    problem(client.delete(location, headers=org.member()), 404)
    problem(client.patch(location, json={"minutes": 5}, headers=org.member()), 404)
    assert client.get(ENTRIES, headers=org.auditor()).json()["items"] == []
    assert client.post(ENTRIES, json=entry(org, minutes=1440), headers=org.member()).status_code == 201


def test_a_member_changes_only_their_own_entries(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    location = client.post(ENTRIES, json=entry(org), headers=org.member()).headers["location"]
    bob = org.member(subject="bob")
    problem(client.patch(location, json={"minutes": 5}, headers=bob), 403)
    problem(client.delete(location, headers=bob), 403)
    assert client.patch(location, json={"minutes": 5}, headers=org.manager()).status_code == 200


def test_another_organisation_cannot_see_or_touch_an_entry(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    location = client.post(ENTRIES, json=entry(org), headers=org.member()).headers["location"]
    other = organisation(app)
    problem(client.get(location, headers=other.manager()), 404)
    problem(client.patch(location, json={"minutes": 5}, headers=other.manager()), 404)
    problem(client.delete(location, headers=other.manager()), 404)
    assert client.get(ENTRIES, headers=other.manager()).json()["items"] == []


def test_time_is_listed_by_project_task_person_and_days_a_page_at_a_time(
    client: TestClient,
    app: PlanningApplication,
    org: Organisation,
) -> None:
    second_task, _ = app.create_task(
        organisation_id=org.id, project_id=org.project_id, title="Draw plans", meta=META
    )
    days = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"]
    for day in days:
        client.post(ENTRIES, json=entry(org, worked_on=day), headers=org.member())
        client.post(
            ENTRIES, json=entry(org, worked_on=day, task_id=str(second_task.id)), headers=org.member()
        )

    def listed(**query: Any) -> list[dict[str, Any]]:
        response = client.get(ENTRIES, params=query, headers=org.auditor())
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    assert len(listed()) == 10
    assert {e["task_id"] for e in listed(task_id=str(second_task.id))} == {str(second_task.id)}
    assert len(listed(project_id=str(org.project_id), person_id=str(org.alice))) == 10
    assert [e["worked_on"] for e in listed(**{"from": "2026-03-04", "to": "2026-03-05"})] == [
        "2026-03-04",
        "2026-03-04",
        "2026-03-05",
        "2026-03-05",
    ]
    pages, cursor = [], None
    while True:
        page = client.get(
            ENTRIES, params={"limit": 3, **({"cursor": cursor} if cursor else {})}, headers=org.auditor()
        ).json()
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [len(p) for p in pages] == [3, 3, 3, 1]
    flat = [e["id"] for p in pages for e in p]
    assert flat == [e["id"] for e in listed(limit=500)], "pages follow one another without gaps or repeats"


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ({"from": "2026-03-05", "to": "2026-03-04"}, "before query.from"),
        ({"cursor": "not-a-cursor"}, "query.cursor"),
        ({"limit": 0}, "query.limit"),
        ({"person_id": "alice"}, "query.person_id"),
    ],
)
def test_a_bad_list_query_is_a_problem(
    client: TestClient, org: Organisation, query: dict[str, Any], mentions: str
) -> None:
    assert mentions in problem(client.get(ENTRIES, params=query, headers=org.auditor()), 422)["detail"]


def test_logged_minutes_count_towards_the_tasks_progress(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    location = client.post(ENTRIES, json=entry(org, minutes=90), headers=org.member()).headers["location"]
    client.post(ENTRIES, json=entry(org, minutes=30, worked_on="2026-03-04"), headers=org.member())
    assert app.logged_minutes(org.id, [org.task_id]) == {org.task_id: 120}
    client.patch(location, json={"minutes": 60}, headers=org.member())
    assert app.logged_minutes(org.id, [org.task_id]) == {org.task_id: 90}
    client.delete(location, headers=org.member())
    assert app.logged_minutes(org.id, [org.task_id]) == {org.task_id: 30}
