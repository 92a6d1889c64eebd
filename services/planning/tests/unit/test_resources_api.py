"""People, equipment, their capacity and bookings over HTTP: managers change, staff read."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from records_support import (
    PROJECT_ENDS,
    PROJECT_STARTS,
    Organisation,
    identities,
    in_memory_application,
    organisation,
    problem,
    records_client,
    stored_events,
)

from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.resource import Resource
from trellis_platform.auth.caller import ClientRole
from trellis_platform.testing.identities import bearer

RESOURCES = "/api/planning/resources"


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


def person(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": "person", "name": "Dana", "role": "electrician", "hours_per_day": "7.5"}
    body.update(overrides)
    return body


def booking(org: Organisation, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "project_id": str(org.project_id),
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-06",
        "hours_per_day": "4",
    }
    body.update(overrides)
    return body


def test_a_manager_registers_people_and_equipment(client: TestClient, org: Organisation) -> None:
    response = client.post(RESOURCES, json=person(user_id="dana"), headers=org.manager())
    assert response.status_code == 201, response.text
    dana = response.json()
    assert response.headers["location"] == f"{RESOURCES}/{dana['id']}"
    assert (dana["hours_per_day"], dana["working_weekdays"], dana["user_id"]) == (
        "7.5",
        [1, 2, 3, 4, 5],
        "dana",
    )
    crane = client.post(
        RESOURCES,
        json={
            "kind": "equipment",
            "name": "Crane",
            "hours_per_day": "10",
            "working_weekdays": [1, 2, 3, 4, 5, 6],
        },
        headers=org.key("planning.resources:write"),
    )
    assert crane.status_code == 201, crane.text
    assert client.get(response.headers["location"], headers=org.auditor()).json() == dana


@pytest.mark.parametrize(
    ("change", "mentions"),
    [
        ({"hours_per_day": "0"}, "body.hours_per_day"),
        ({"hours_per_day": "-2"}, "body.hours_per_day"),
        ({"hours_per_day": "24.5"}, "body.hours_per_day"),
        ({"hours_per_day": "7.33"}, "whole number of minutes"),
        ({"working_weekdays": []}, "body.working_weekdays"),
        ({"working_weekdays": [0, 1]}, "body.working_weekdays"),
        ({"working_weekdays": [1, 8]}, "body.working_weekdays"),
        ({"working_weekdays": [1, 1]}, "twice"),
        ({"kind": "robot"}, "body.kind"),
        ({"name": ""}, "body.name"),
        ({"kind": "equipment", "user_id": "dana"}, "Only a person"),
        ({"organisation_id": str(uuid4())}, "body.organisation_id"),
    ],
)
def test_a_bad_resource_is_refused_and_nothing_is_stored(
    client: TestClient, app: PlanningApplication, org: Organisation, change: dict[str, Any], mentions: str
) -> None:
    before = stored_events(app)
    assert (
        mentions
        in problem(client.post(RESOURCES, json=person(**change), headers=org.manager()), 422)["detail"]
    )
    assert stored_events(app) == before


@pytest.mark.parametrize(
    "who",
    ["member", "auditor", "read key", "client user"],
)
def test_only_managers_and_write_keys_change_resources(
    client: TestClient, app: PlanningApplication, org: Organisation, who: str
) -> None:
    headers = {
        "member": org.member(),
        "auditor": org.auditor(),
        "read key": org.key("planning.resources:read"),
        "client user": bearer(identities.client_user(org.id, uuid4(), ClientRole.APPROVER)),
    }[who]
    before = stored_events(app)
    problem(client.post(RESOURCES, json=person(), headers=headers), 403)
    problem(client.post(f"{RESOURCES}/{org.alice}/bookings", json=booking(org), headers=headers), 403)
    problem(client.put(f"{RESOURCES}/{org.alice}/days-off/2026-03-04", headers=headers), 403)
    assert stored_events(app) == before


def test_resources_are_listed_by_name_and_kind_a_page_at_a_time(
    client: TestClient, org: Organisation
) -> None:
    for name in ["Eve", "Carl", "Bea"]:
        client.post(RESOURCES, json=person(name=name), headers=org.manager())
    client.post(
        RESOURCES, json={"kind": "equipment", "name": "Digger", "hours_per_day": "8"}, headers=org.manager()
    )
    first = client.get(RESOURCES, params={"limit": 3}, headers=org.member()).json()
    assert [r["name"] for r in first["items"]] == ["Alice", "Bea", "Carl"]
    second = client.get(
        RESOURCES, params={"limit": 3, "cursor": first["next_cursor"]}, headers=org.member()
    ).json()
    assert [r["name"] for r in second["items"]] == ["Digger", "Eve"]
    assert second["next_cursor"] is None
    equipment = client.get(
        RESOURCES, params={"kind": "equipment"}, headers=org.key("planning.resources:read")
    )
    assert [r["name"] for r in equipment.json()["items"]] == ["Digger"]


def test_capacity_and_days_off_change(client: TestClient, org: Organisation) -> None:
    url = f"{RESOURCES}/{org.alice}"
    changed = client.put(
        f"{url}/capacity",
        json={"hours_per_day": "6", "working_weekdays": [1, 2, 3, 4]},
        headers=org.manager(),
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["hours_per_day"], changed.json()["working_weekdays"]) == ("6", [1, 2, 3, 4])
    assert client.put(f"{url}/days-off/2026-03-03", headers=org.manager()).json()["days_off"] == [
        "2026-03-03"
    ]
    assert client.delete(f"{url}/days-off/2026-03-03", headers=org.manager()).json()["days_off"] == []
    problem(client.put(f"{url}/days-off/2026-02-30", headers=org.manager()), 422)
    problem(client.put(f"{url}/capacity", json={"hours_per_day": "6"}, headers=org.manager()), 422)
    listed = client.get(RESOURCES, headers=org.member()).json()["items"]
    assert [r["hours_per_day"] for r in listed if r["id"] == str(org.alice)] == ["6"]


def test_a_booking_is_made_listed_and_cancelled(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    made = client.post(f"{RESOURCES}/{org.alice}/bookings", json=booking(org), headers=org.manager())
    assert made.status_code == 201, made.text
    assert client.get(made.headers["location"], headers=org.member()).json() == made.json()
    assert client.get(f"{RESOURCES}/{org.alice}/bookings", headers=org.member()).json() == [made.json()]
    assert client.delete(made.headers["location"], headers=org.manager()).status_code == 204
    problem(client.get(made.headers["location"], headers=org.member()), 404)
    problem(client.delete(made.headers["location"], headers=org.manager()), 404)
    assert client.get(f"{RESOURCES}/{org.alice}/bookings", headers=org.member()).json() == []


@pytest.mark.parametrize(
    ("change", "status", "mentions"),
    [
        ({"ends_on": "2026-03-01", "starts_on": "2026-03-05"}, 422, "before starts_on"),
        ({"starts_on": "2026-02-27"}, 422, "outside project"),
        ({"ends_on": "2026-07-01"}, 422, "outside project"),
        ({"starts_on": "2026-03-04", "ends_on": "2026-03-10"}, 422, "overlap"),
        ({"hours_per_day": "0"}, 422, "body.hours_per_day"),
        ({"hours_per_day": "25"}, 422, "body.hours_per_day"),
        ({"project_id": str(uuid4())}, 404, "No project"),
    ],
)
def test_a_bad_booking_is_refused_and_nothing_is_stored(
    client: TestClient,
    app: PlanningApplication,
    org: Organisation,
    change: dict[str, Any],
    status: int,
    mentions: str,
) -> None:
    client.post(f"{RESOURCES}/{org.alice}/bookings", json=booking(org), headers=org.manager())
    before = stored_events(app)
    response = client.post(
        f"{RESOURCES}/{org.alice}/bookings", json=booking(org, **change), headers=org.manager()
    )
    assert mentions in problem(response, status)["detail"]
    assert stored_events(app) == before


def test_the_same_resource_may_be_booked_on_overlapping_days_for_another_project(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    other_project = app.create_project(
        organisation_id=org.id,
        client_id=uuid4(),
        name="Second",
        starts_on=PROJECT_STARTS,
        ends_on=PROJECT_ENDS,
        meta={"actor": "t"},
    )
    client.post(f"{RESOURCES}/{org.alice}/bookings", json=booking(org), headers=org.manager())
    again = client.post(
        f"{RESOURCES}/{org.alice}/bookings",
        json=booking(org, project_id=str(other_project.id), hours_per_day="5"),
        headers=org.manager(),
    )
    assert again.status_code == 201, again.text


def test_another_organisations_resources_and_projects_are_not_found(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    other = organisation(app)
    made = client.post(f"{RESOURCES}/{org.alice}/bookings", json=booking(org), headers=org.manager())
    for method, url in [
        ("GET", f"{RESOURCES}/{org.alice}"),
        ("GET", f"{RESOURCES}/{org.alice}/bookings"),
        ("GET", made.headers["location"]),
        ("DELETE", made.headers["location"]),
        ("PUT", f"{RESOURCES}/{org.alice}/days-off/2026-03-04"),
        ("GET", f"{RESOURCES}/{org.alice}/capacity?from=2026-03-02&to=2026-03-06"),
    ]:
        problem(client.request(method, url, headers=other.manager()), 404)
    problem(client.post(f"{RESOURCES}/{other.alice}/bookings", json=booking(org), headers=org.manager()), 404)
    problem(client.post(f"{RESOURCES}/{org.alice}/bookings", json=booking(other), headers=org.manager()), 404)
    assert all(
        r["id"] != str(org.alice) for r in client.get(RESOURCES, headers=other.manager()).json()["items"]
    )


def test_capacity_shows_what_is_allocated_free_and_over_by_day_and_by_week(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    second = app.create_project(
        organisation_id=org.id,
        client_id=uuid4(),
        name="Second",
        starts_on=PROJECT_STARTS,
        ends_on=PROJECT_ENDS,
        meta={"actor": "t"},
    )
    client.post(
        f"{RESOURCES}/{org.alice}/bookings", json=booking(org, hours_per_day="5"), headers=org.manager()
    )
    client.post(
        f"{RESOURCES}/{org.alice}/bookings",
        json=booking(
            org, project_id=str(second.id), starts_on="2026-03-05", ends_on="2026-03-06", hours_per_day="4"
        ),
        headers=org.manager(),
    )
    days = client.get(
        f"{RESOURCES}/{org.alice}/capacity",
        params={"from": "2026-03-04", "to": "2026-03-07"},
        headers=org.member(),
    ).json()["days"]
    assert [(d["day"], d["allocated_minutes"], d["free_minutes"], d["overallocated"]) for d in days] == [
        ("2026-03-04", 300, 180, False),
        ("2026-03-05", 540, 0, True),
        ("2026-03-06", 540, 0, True),
        ("2026-03-07", 0, 0, False),
    ]
    assert days[1]["allocated_hours"] == "9.00"
    assert days[1]["capacity_hours"] == "8.00"
    assert sorted(days[1]["project_ids"]) == sorted([str(org.project_id), str(second.id)])
    (week,) = client.get(
        f"{RESOURCES}/{org.alice}/capacity",
        params={"from": "2026-03-03", "to": "2026-03-05", "by": "week"},
        headers=org.member(),
    ).json()["weeks"]
    assert week == {
        "week_starting": "2026-03-02",
        "capacity_minutes": 2400,
        "allocated_minutes": 1980,
        "free_minutes": 420,
        "capacity_hours": "40.00",
        "allocated_hours": "33.00",
        "free_hours": "7.00",
        "overallocated": False,
        "overallocated_days": 2,
    }, "the week has room in total, yet two of its days are over"
    crossings = [e for e in app.events.get(org.alice) if isinstance(e, Resource.Overallocated)]
    assert [str(e.day) for e in crossings] == ["2026-03-05", "2026-03-06"]


def test_the_organisations_capacity_lists_every_resource(client: TestClient, org: Organisation) -> None:
    client.post(RESOURCES, json=person(name="Bea"), headers=org.manager())
    page = client.get(
        "/api/planning/capacity",
        params={"from": "2026-03-02", "to": "2026-03-15", "limit": 1},
        headers=org.member(),
    ).json()
    assert [(r["name"], len(r["weeks"])) for r in page["items"]] == [("Alice", 2)]
    rest = client.get(
        "/api/planning/capacity",
        params={"from": "2026-03-02", "to": "2026-03-15", "cursor": page["next_cursor"]},
        headers=org.member(),
    ).json()
    assert [r["name"] for r in rest["items"]] == ["Bea"]
    assert rest["items"][0]["weeks"][0]["capacity_hours"] == "37.50"


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ({"from": "2026-03-10", "to": "2026-03-09"}, "before query.from"),
        ({"from": "2026-01-01", "to": "2027-06-01"}, "at most 366 days"),
        ({"from": "2026-03-01"}, "query.to"),
        ({"from": "2026-03-01", "to": "2026-03-02", "by": "month"}, "query.by"),
    ],
)
def test_a_bad_capacity_query_is_a_problem(
    client: TestClient, org: Organisation, query: dict[str, str], mentions: str
) -> None:
    for url in (f"{RESOURCES}/{org.alice}/capacity", "/api/planning/capacity"):
        assert mentions in problem(client.get(url, params=query, headers=org.member()), 422)["detail"]
