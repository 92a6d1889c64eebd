"""Planning's HTTP API over the in-memory event store: status codes and problem bodies."""

from collections.abc import Iterator
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from trellis_planning.api.projects import projects_router
from trellis_planning.application.planning import PlanningApplication
from trellis_platform.auth.caller import ClientRole, StaffRole
from trellis_platform.http_app import new_http_app
from trellis_platform.testing.identities import TestIdentities, bearer

identities = TestIdentities()
ORGANISATION = uuid4()
MANAGER = bearer(identities.staff(ORGANISATION, StaffRole.PROJECT_MANAGER))


@pytest.fixture
def application() -> PlanningApplication:
    return PlanningApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


@pytest.fixture
def client(application: PlanningApplication) -> Iterator[TestClient]:
    app = new_http_app(title="t", routers=[projects_router(application)],
                       token_verifier=identities.verifier())
    with TestClient(app, headers=MANAGER) as test_client:
        yield test_client


def valid_body() -> dict[str, str]:
    return {"client_id": str(uuid4()), "name": "Site survey",
            "starts_on": "2026-05-04", "ends_on": "2026-05-29"}


def stored_events(application: PlanningApplication) -> int:
    return application.recorder.max_notification_id() or 0


def test_creating_a_project_answers_201_with_its_id_and_location(client: TestClient) -> None:
    body = valid_body()
    response = client.post("/api/planning/projects", json=body)
    assert response.status_code == 201
    project = response.json()
    assert response.headers["location"] == f"/api/planning/projects/{project['id']}"
    fetched = client.get(response.headers["location"])
    assert fetched.json() == project
    assert project["organisation_id"] == str(ORGANISATION), "the tenant comes from the token"


def test_another_organisation_cannot_read_the_project(client: TestClient) -> None:
    location = client.post("/api/planning/projects", json=valid_body()).headers["location"]
    other_admin = bearer(identities.staff(uuid4(), StaffRole.ADMIN))
    response = client.get(location, headers=other_admin)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("change", "status", "mentions"),
    [
        ({"name": None}, 422, "body.name"),
        ({"ends_on": "2026-05-01"}, 422, "before starts_on"),
        ({"colour": "red"}, 422, "body.colour"),
        ({"starts_on": "2026-02-30"}, 422, "body.starts_on"),
        ({"client_id": "acme"}, 422, "body.client_id"),
        ({"organisation_id": str(uuid4())}, 422, "body.organisation_id"),
    ],
)
def test_bad_input_gets_a_problem_naming_what_is_wrong_and_stores_nothing(
    client: TestClient, application: PlanningApplication, change: dict[str, object], status: int,
    mentions: str,
) -> None:
    body: dict[str, object] = {**valid_body(), **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = client.post("/api/planning/projects", json=body)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert mentions in response.json()["detail"]
    assert stored_events(application) == 0


def test_malformed_json_is_a_400_problem(client: TestClient, application: PlanningApplication) -> None:
    response = client.post("/api/planning/projects", content=b'{"name": ',
                           headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["title"] == "Malformed JSON"
    assert stored_events(application) == 0


def test_a_two_megabyte_body_is_refused_with_413(
    client: TestClient, application: PlanningApplication,
) -> None:
    response = client.post("/api/planning/projects", content=b"{" + b" " * 2_000_000 + b"}",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert stored_events(application) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {},
        bearer(identities.staff(ORGANISATION, StaffRole.MEMBER)),
        bearer(identities.client_user(ORGANISATION, uuid4(), ClientRole.APPROVER)),
        bearer(identities.service(ORGANISATION, "planning.projects:read")),
        {"Authorization": "Bearer not-a-token"},
    ],
    ids=["anonymous", "member", "client user", "read-only key", "garbage token"],
)
def test_only_managers_and_write_keys_create_projects(
    client: TestClient, application: PlanningApplication, headers: dict[str, str],
) -> None:
    headers = headers or {"Authorization": ""}
    response = client.post("/api/planning/projects", json=valid_body(), headers=headers)
    assert response.status_code in (401, 403)
    assert response.headers["content-type"] == "application/problem+json"
    assert stored_events(application) == 0


def test_an_api_key_with_the_write_permission_creates_projects(client: TestClient) -> None:
    key = bearer(identities.service(ORGANISATION, "planning.projects:write"))
    assert client.post("/api/planning/projects", json=valid_body(), headers=key).status_code == 201
