"""No client response carries anything internal: every client route's JSON is walked,
every key and every value, under each way the firm can set a project's visibility."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from portal_test_kit import BUDGET_TOTAL, COST_SO_FAR, HOURS_LOGGED, SECRETS, Firm, Seeded, seed_everything

INTERNAL_KEYS = {"cost_rate", "bill_rate", "note", "person_id", "internal", "assignee_ids",
                 "estimate_minutes", "uploaded_by", "custom_values", "tags", "priority", "billable", "email",
                 "rule", "authority", "sent_to", "requested_by"}
AMOUNTS = {BUDGET_TOTAL, COST_SO_FAR, "88500.00", "4200.00", "912.40"}
HOURS_KEYS = {"total_hours", "hours", "minutes"}

SETTINGS = {
    "percent budget, time hidden": {"milestones": True, "tasks": True, "documents": True, "time": False,
                                    "health": True, "budget": "percent"},
    "everything shown": {"milestones": True, "tasks": True, "documents": True, "time": True, "health": True,
                         "budget": "full"},
    "nothing optional": {"milestones": False, "tasks": False, "documents": False, "time": False,
                         "health": False, "budget": "hidden"},
}


def walk(document: Any, key: str | None = None) -> Iterator[tuple[str | None, Any]]:
    """Every value with the key it sits under, recursively (list items under their list's key)."""
    yield key, document
    if isinstance(document, dict):
        for name, value in document.items():
            yield from walk(value, name)
    elif isinstance(document, list):
        for item in document:
            yield from walk(item, key)


def client_routes(http: TestClient) -> list[tuple[str, str]]:
    """(method, path template) of every route a client user may call, from the OpenAPI."""
    found = []
    for path, operations in http.get("/openapi.json").json()["paths"].items():
        for method, operation in operations.items():
            if operation["x-trellis-access"].get("client") is not None:
                found.append((method.upper(), path))
    return sorted(found)


@pytest.fixture
def seeded(http: TestClient, firm: Firm) -> Seeded:
    seeded = seed_everything(firm)
    for user in (firm.viewer_id, firm.approver_id):
        http.put(f"/api/portal/projects/{firm.project}/access/{user}", headers=firm.manager())
    started = http.post(f"/api/portal/projects/{firm.project}/threads", headers=firm.manager(),
                        json={"subject": "Lobby", "body": "Lighting options attached"}).json()
    http.post(f"/api/portal/projects/{firm.project}/threads/{started['id']}/messages", headers=firm.manager(),
              json={"body": SECRETS["internal memo"], "internal": True})
    return seeded


def every_client_answer(http: TestClient, firm: Firm, seeded: Seeded) -> list[tuple[str, int, Any]]:
    answers = []
    for method, template in client_routes(http):
        if method != "GET" or template.endswith("/content"):
            continue
        path = template.replace("{project_id}", str(firm.project))
        for headers in (firm.viewer(), firm.approver()):
            response = http.get(path, headers=headers)
            answers.append((path, response.status_code, response.json()))
    threads = http.get(f"/api/portal/projects/{firm.project}/threads", headers=firm.viewer()).json()
    thread = threads["items"][0]
    posted = http.post(f"/api/portal/projects/{firm.project}/threads/{thread['id']}/messages",
                       json={"body": "Thanks"}, headers=firm.viewer())
    answers.append(("POST messages", posted.status_code, posted.json()))
    return answers


@pytest.mark.parametrize("setting", SETTINGS)
def test_client_answers_hold_nothing_internal(http: TestClient, firm: Firm, seeded: Seeded,
                                              setting: str) -> None:
    shown = SETTINGS[setting]
    assert http.put(f"/api/portal/projects/{firm.project}/visibility", json=shown,
                    headers=firm.manager()).status_code == 200
    answers = every_client_answer(http, firm, seeded)
    assert {status for _, status, _ in answers} <= {200, 201, 404}
    assert sum(1 for _, status, _ in answers if status == 200) >= 8, "the walk reached real answers"
    for path, _, body in answers:
        text = json.dumps(body)
        for name, secret in SECRETS.items():
            assert secret not in text, f"{name} leaked through {path}"
        assert str(seeded.person) not in text, f"who worked leaked through {path}"
        assert str(seeded.internal_task) not in text, f"an internal task leaked through {path}"
        for key, value in walk(body):
            assert key not in INTERNAL_KEYS, f"internal field {key!r} in {path}"
            if shown["budget"] != "full" and isinstance(value, str):
                assert value not in AMOUNTS, f"amount {value} in {path}; the budget is {shown['budget']}"
            if not shown["time"]:
                assert key not in HOURS_KEYS or value is None, f"{key} in {path} though time is hidden"
                assert value != HOURS_LOGGED, f"hours in {path} though time is hidden"


def test_the_walk_would_see_amounts_and_hours_when_they_are_shown(http: TestClient, firm: Firm,
                                                                  seeded: Seeded) -> None:
    """The check above is not vacuous: with everything shown, they are there to be found."""
    http.put(f"/api/portal/projects/{firm.project}/visibility", json=SETTINGS["everything shown"],
             headers=firm.manager())
    values = {v for _, _, body in every_client_answer(http, firm, seeded) for _, v in walk(body)
              if isinstance(v, str)}
    assert {BUDGET_TOTAL, COST_SO_FAR, HOURS_LOGGED} <= values
    assert "Lay out the floor plan" in values
