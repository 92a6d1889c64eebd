"""Budget's command routes over the in-memory event store: status codes, problem
bodies, tenants and roles. Bad input stores nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from trellis_budget.api.routes import budget_routers
from trellis_budget.application.budget_app import BudgetApplication
from trellis_platform.auth.caller import ClientRole, StaffRole
from trellis_platform.http_app import new_http_app
from trellis_platform.testing.identities import TestIdentities, bearer

identities = TestIdentities()
ORG = uuid4()
MANAGER = bearer(identities.staff(ORG, StaffRole.PROJECT_MANAGER))
FINANCE = bearer(identities.staff(ORG, StaffRole.FINANCE))
MEMBER = bearer(identities.staff(ORG, StaffRole.MEMBER))
PORTAL_KEY = bearer(identities.service(ORG, "budget.change_orders:approve"))
OTHER_ADMIN = bearer(identities.staff(uuid4(), StaffRole.ADMIN))


@pytest.fixture
def application() -> BudgetApplication:
    return BudgetApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


@pytest.fixture
def client(application: BudgetApplication) -> Iterator[TestClient]:
    app = new_http_app(
        title="t", routers=budget_routers(application, None, None), token_verifier=identities.verifier()
    )
    with TestClient(app, headers=MANAGER) as test_client:
        yield test_client


def stored(application: BudgetApplication) -> int:
    return application.recorder.max_notification_id() or 0


def budget_body(**change: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "currency": "EUR",
        "lines": [{"category": "labour", "amount": "12000.00"}, {"category": "materials", "amount": "3000"}],
    }
    body.update(change)
    return body


def test_a_budget_is_set_in_the_projects_currency_and_its_revisions_keep_the_original(
    client: TestClient,
) -> None:
    project = uuid4()
    created = client.post(f"/api/budget/projects/{project}/budget", json=budget_body())
    assert created.status_code == 201
    assert created.json()["current"]["total"] == "15000.00"
    revised = client.post(
        f"/api/budget/projects/{project}/budget/revisions",
        json={"lines": [{"category": "labour", "amount": "14000.00"}], "reason": "more design work"},
    )
    assert revised.status_code == 200
    body = client.get(created.headers["location"]).json()
    assert body["original"]["total"] == "15000.00"
    assert body["current"]["total"] == "14000.00"
    assert [r["reason"] for r in body["revisions"]] == ["original", "more design work"]
    assert client.post(f"/api/budget/projects/{project}/budget", json=budget_body()).status_code == 409


BAD_AMOUNTS = [
    ({"lines": [{"category": "labour", "amount": "-5.00"}]}, 422, "cannot be negative"),
    ({"lines": [{"category": "labour", "amount": "ten"}]}, 422, "decimal string"),
    ({"lines": [{"category": "labour", "amount": 10.5}]}, 422, "JSON numbers with a fraction"),
    ({"lines": [{"category": "labour", "amount": "NaN"}]}, 422, "decimal string"),
    ({"lines": [{"category": "labour", "amount": "1e5"}]}, 422, "decimal string"),
    ({"currency": "XYZ"}, 422, "not an ISO 4217"),
    ({"currency": "eur"}, 422, "not an ISO 4217"),
    ({"lines": [{"category": "labour", "amount": "10.005"}]}, 422, "more decimal places than EUR allows (2)"),
    ({"currency": "JPY", "lines": [{"category": "labour", "amount": "100.5"}]}, 422, "JPY allows (0)"),
    ({"lines": [{"category": "food", "amount": "1"}]}, 422, "body.lines.0.category"),
    ({"lines": []}, 422, "body.lines"),
    ({"colour": "red"}, 422, "body.colour"),
]


@pytest.mark.parametrize(("change", "status", "mentions"), BAD_AMOUNTS)
def test_bad_money_gets_a_problem_naming_what_is_wrong_and_stores_nothing(
    client: TestClient,
    application: BudgetApplication,
    change: dict[str, Any],
    status: int,
    mentions: str,
) -> None:
    response = client.post(f"/api/budget/projects/{uuid4()}/budget", json=budget_body(**change))
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert mentions in response.json()["detail"]
    assert stored(application) == 0


def test_three_decimal_places_are_fine_where_the_currency_has_three(client: TestClient) -> None:
    response = client.post(
        f"/api/budget/projects/{uuid4()}/budget",
        json=budget_body(currency="KWD", lines=[{"category": "labour", "amount": "10.125"}]),
    )
    assert response.status_code == 201


def rate(starts: str, ends: str | None = None, cost: str = "95.00") -> dict[str, Any]:
    return {
        "effective_from": starts,
        "effective_to": ends,
        "unit": "hour",
        "cost_rate": cost,
        "bill_rate": "150.00",
        "currency": "EUR",
    }


def test_rates_with_overlapping_effective_dates_are_refused_and_nothing_is_stored(
    client: TestClient,
    application: BudgetApplication,
) -> None:
    assert (
        client.post("/api/budget/rate-cards/role/developer/rates", json=rate("2026-01-01")).status_code == 201
    )
    before = stored(application)
    response = client.post(
        "/api/budget/rate-cards/role/developer/rates", json=rate("2026-03-01", "2026-03-31")
    )
    assert response.status_code == 422
    assert "overlaps" in response.json()["detail"]
    assert stored(application) == before
    card = client.get("/api/budget/rate-cards/role/developer").json()
    period = card["rates"][0]["period_id"]
    ended = client.put(
        f"/api/budget/rate-cards/role/developer/rates/{period}",
        json={
            **{k: v for k, v in rate("2026-01-01", "2026-02-28").items() if k != "effective_from"},
            "reason": "new rate from March",
        },
    )
    assert ended.status_code == 200
    assert (
        client.post(
            "/api/budget/rate-cards/role/developer/rates", json=rate("2026-03-01", None, "99.00")
        ).status_code
        == 201
    )


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        (rate("2026-02-01", "2026-01-01"), "cannot end"),
        ({**rate("2026-01-01"), "cost_rate": "-1"}, "cannot be negative"),
        ({**rate("2026-01-01"), "currency": "ABC"}, "ISO 4217"),
        ({**rate("2026-01-01"), "unit": "week"}, "body.unit"),
    ],
)
def test_bad_rates_are_refused(
    client: TestClient, application: BudgetApplication, body: dict[str, Any], mentions: str
) -> None:
    response = client.post("/api/budget/rate-cards/role/designer/rates", json=body)
    assert response.status_code == 422
    assert mentions in response.json()["detail"]
    assert stored(application) == 0


def test_a_person_rate_card_names_a_resource_id(client: TestClient) -> None:
    response = client.post("/api/budget/rate-cards/person/bob/rates", json=rate("2026-01-01"))
    assert response.status_code == 422


def expense(**change: Any) -> dict[str, Any]:
    body = {
        "category": "expenses",
        "amount": "42.50",
        "currency": "EUR",
        "incurred_on": "2026-02-03",
        "receipt_document_id": str(uuid4()),
        "description": "train tickets",
    }
    body.update(change)
    return body


@pytest.mark.parametrize(
    ("change", "mentions"),
    [
        ({"amount": "0"}, "greater than zero"),
        ({"amount": "-3"}, "greater than zero"),
        ({"currency": "EURO"}, "body.currency"),
        ({"receipt_document_id": "none"}, "body.receipt_document_id"),
    ],
)
def test_bad_expenses_are_refused(
    client: TestClient, application: BudgetApplication, change: dict[str, Any], mentions: str
) -> None:
    response = client.post(f"/api/budget/projects/{uuid4()}/expenses", json=expense(**change))
    assert response.status_code == 422
    assert mentions in response.json()["detail"]
    assert stored(application) == 0


def test_an_expense_is_voided_not_edited(client: TestClient) -> None:
    created = client.post(f"/api/budget/projects/{uuid4()}/expenses", json=expense())
    assert created.status_code == 201
    voided = client.post(f"{created.headers['location']}/void", json={"reason": "duplicate"})
    assert voided.json()["voided"] is True
    assert client.post(f"{created.headers['location']}/void", json={"reason": "again"}).status_code == 409


def change_order(client: TestClient) -> str:
    project = uuid4()
    client.post(f"/api/budget/projects/{project}/budget", json=budget_body())
    created = client.post(
        f"/api/budget/projects/{project}/change-orders",
        json={
            "title": "Extra bathroom",
            "scope": "Add a second bathroom upstairs",
            "cost_impact": [
                {"category": "materials", "amount": "2500.00"},
                {"category": "labour", "amount": "-500"},
            ],
            "schedule_impact_days": 10,
        },
    )
    assert created.status_code == 201
    return str(created.headers["location"])


def test_an_approved_change_order_revises_the_budget(client: TestClient) -> None:
    location = change_order(client)
    order = client.get(location).json()
    assert client.post(f"{location}/send", json={"sent_to": "client@example.com"}).json()["status"] == "sent"
    approved = client.post(f"{location}/approve", json={"note": "ok"}, headers=FINANCE)
    assert approved.status_code == 200
    assert approved.json()["decided_by"].startswith("staff:")
    budget = client.get(f"/api/budget/projects/{order['project_id']}/budget").json()
    assert budget["current"]["total"] == "17000.00"
    assert budget["original"]["total"] == "15000.00"
    assert budget["current"]["change_order_id"] == order["id"]
    assert (
        client.post(f"{location}/reject", json={"reason": "changed mind"}, headers=FINANCE).status_code == 409
    )


def test_the_portal_decides_for_the_client_with_its_key(client: TestClient) -> None:
    location = change_order(client)
    no_name = client.post(f"{location}/approve", json={}, headers=PORTAL_KEY)
    assert no_name.status_code == 422
    too_early = client.post(f"{location}/approve", json={"on_behalf_of": "c-1"}, headers=PORTAL_KEY)
    assert too_early.status_code == 409, "a client decides only on a change order sent to them"
    client.post(f"{location}/send", json={"sent_to": "client@example.com"})
    rejected = client.post(
        f"{location}/reject", json={"on_behalf_of": "c-1", "reason": "too dear"}, headers=PORTAL_KEY
    )
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["decided_by"] == "client:c-1"


@pytest.mark.parametrize(
    "headers",
    [
        MANAGER,
        MEMBER,
        bearer(identities.client_user(ORG, uuid4(), ClientRole.APPROVER)),
        bearer(identities.service(ORG, "budget.change_orders:write")),
    ],
    ids=["project manager", "member", "client approver", "write-only key"],
)
def test_only_finance_owners_admins_and_the_approval_key_decide(
    client: TestClient, headers: dict[str, str]
) -> None:
    location = change_order(client)
    assert client.post(f"{location}/approve", json={}, headers=headers).status_code == 403


WRITES = [
    ("post", "/api/budget/projects/{p}/budget", budget_body()),
    ("post", "/api/budget/rate-cards/role/dev/rates", rate("2026-01-01")),
    ("post", "/api/budget/projects/{p}/expenses", expense()),
    ("put", "/api/budget/projects/{p}/thresholds", {"percents": ["75"]}),
    ("put", "/api/budget/reporting-currency", {"currency": "EUR"}),
]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        MEMBER,
        bearer(identities.client_user(ORG, uuid4(), ClientRole.VIEWER)),
        bearer(identities.service(ORG, "budget.reports:read")),
        {"Authorization": "Bearer garbage"},
    ],
    ids=["anonymous", "member", "client viewer", "read-only key", "garbage token"],
)
def test_writes_need_a_money_role_or_a_write_key(
    client: TestClient,
    application: BudgetApplication,
    method: str,
    path: str,
    body: dict[str, Any],
    headers: dict[str, str],
) -> None:
    response = client.request(
        method, path.format(p=uuid4()), json=body, headers=headers or {"Authorization": ""}
    )
    assert response.status_code in (401, 403)
    assert response.headers["content-type"] == "application/problem+json"
    assert stored(application) == 0


def test_another_organisation_sees_nothing(client: TestClient) -> None:
    project = uuid4()
    client.post(f"/api/budget/projects/{project}/budget", json=budget_body())
    location = change_order(client)
    for path in (f"/api/budget/projects/{project}/budget", location, "/api/budget/rate-cards/role/developer"):
        response = client.get(path, headers=OTHER_ADMIN)
        assert response.status_code == 404, path
    assert client.post(f"{location}/approve", json={}, headers=OTHER_ADMIN).status_code == 404
    assert client.get("/api/budget/exchange-rates", headers=OTHER_ADMIN).json()["rates"] == []


def test_thresholds_default_to_50_80_100_and_eac_and_can_be_configured(client: TestClient) -> None:
    project = uuid4()
    assert client.get(f"/api/budget/projects/{project}/thresholds").json()["percents"] == ["50", "80", "100"]
    configured = client.put(
        f"/api/budget/projects/{project}/thresholds",
        json={"percents": ["90", "75.5"], "eac_above_budget": False},
    )
    assert configured.json()["percents"] == ["75.5", "90"]
    assert (
        client.put(f"/api/budget/projects/{project}/thresholds", json={"percents": ["0"]}).status_code == 422
    )


def test_exchange_rates_are_recorded_facts(client: TestClient) -> None:
    assert (
        client.put("/api/budget/reporting-currency", json={"currency": "GBP"}, headers=FINANCE).status_code
        == 200
    )
    body = {
        "base": "EUR",
        "quote": "GBP",
        "on": "2026-01-02",
        "rate": "0.8512",
        "source": "ECB reference rate",
    }
    assert client.post("/api/budget/exchange-rates", json=body, headers=FINANCE).status_code == 201
    assert client.post("/api/budget/exchange-rates", json=body, headers=FINANCE).status_code == 409
    assert (
        client.post(
            "/api/budget/exchange-rates", json={**body, "on": "2026-01-03", "rate": 0.85}, headers=FINANCE
        ).status_code
        == 422
    )
    assert client.post("/api/budget/exchange-rates", json={**body, "on": "2026-01-03"}).status_code == 403, (
        "a project manager does not record exchange rates"
    )
    listed = client.get("/api/budget/exchange-rates").json()
    assert listed["reporting_currency"] == "GBP"
    assert listed["rates"][0]["rate"] == "0.8512"
