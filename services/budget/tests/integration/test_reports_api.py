"""Budget's report routes on PostgreSQL: earned value at a date and over time, the
ledger as recorded at a past moment, burn, and costs in the reporting currency with
the exchange rates used."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from budget_test_kit import envelope, incoming, person, relay_into_ledger, time_logged
from fastapi.testclient import TestClient

from trellis_budget.domain.budget import BudgetLine
from trellis_budget.domain.exchange_rates import ExchangeRate
from trellis_budget.domain.rate_card import RatePeriod
from trellis_budget.wiring import Budget
from trellis_contracts.planning.progress_v1 import ProjectProgressChangedV1
from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
from trellis_platform.auth.caller import StaffRole
from trellis_platform.http_app import new_http_app
from trellis_platform.testing.identities import TestIdentities, bearer

identities = TestIdentities()
META = {"actor": "test"}


def client_for(budget: Budget, organisation: UUID) -> TestClient:
    app = new_http_app(title="t", routers=budget.routers(), token_verifier=identities.verifier())
    return TestClient(app, headers=bearer(identities.staff(organisation, StaffRole.ANALYST)))


async def test_earned_value_over_time_and_the_ledger_as_recorded(budget: Budget) -> None:
    org, project = uuid4(), uuid4()
    app = budget.application
    app.set_budget(
        organisation_id=org,
        project_id=project,
        currency="EUR",
        lines=[BudgetLine("labour", Decimal("10000.00"))],
        meta=META,
    )
    app.set_rate(
        organisation_id=org,
        subject_kind="role",
        subject="developer",
        period=RatePeriod(
            uuid4(), date(2026, 1, 1), None, "hour", Decimal("100.00"), Decimal("150.00"), "EUR"
        ),
        meta=META,
    )
    await relay_into_ledger(budget)
    ledger = budget.ledger_consumer()
    ada = person(org, "developer")
    created = ProjectCreatedV1(
        project_id=project,
        organisation_id=org,
        client_id=uuid4(),
        name="Fit-out",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 1, 10),
    )
    first = datetime.now(UTC) + timedelta(hours=1)  # recorded after the budget
    between = (first + timedelta(minutes=30)).isoformat()
    work = [time_logged(org, project, ada.resource_id, date(2026, 1, d), 600) for d in (1, 2, 3)]
    progress = ProjectProgressChangedV1(
        project_id=project,
        organisation_id=org,
        as_of=date(2026, 1, 3),
        percent_complete=Decimal(25),
        health="on_track",
        rule="effort",
    )
    ledger.apply_batch(
        [
            incoming(envelope(created, subject=project), 0),
            incoming(envelope(ada, subject=ada.resource_id), 1),
            *[incoming(envelope(t, subject=t.time_entry_id, time=first), n + 2) for n, t in enumerate(work)],
            incoming(envelope(progress, subject=project, time=first), 9),
        ]
    )
    late = time_logged(org, project, ada.resource_id, date(2026, 1, 2), 60)
    ledger.apply_batch(
        [incoming(envelope(late, subject=late.time_entry_id, time=first + timedelta(hours=1)), 10)]
    )

    with client_for(budget, org) as client:
        ev = client.get(f"/api/budget/projects/{project}/earned-value", params={"on": "2026-01-03"}).json()
        figures = ev["project"]
        # PV = 10,000 x 3/10 days; EV = 25% of 10,000; AC = 31 h x 100.
        assert (figures["pv"], figures["ev"], figures["ac"]) == ("3000.00", "2500.00", "3100.00")
        assert (figures["cv"], figures["sv"], figures["cpi"], figures["spi"]) == (
            "-600.00",
            "-500.00",
            "0.8065",
            "0.8333",
        )
        assert figures["eac"] == "12400.00"
        assert figures["eac_formula"] == "EAC = BAC / CPI"
        other = client.get(
            f"/api/budget/projects/{project}/earned-value",
            params={"on": "2026-01-03", "eac_method": "cpi_spi"},
        ).json()["project"]
        assert other["eac_formula"] == "EAC = AC + (BAC - EV) / (CPI x SPI)"

        before_late = client.get(
            f"/api/budget/projects/{project}/earned-value",
            params={"on": "2026-01-03", "as_recorded_at": between},
        ).json()["project"]
        assert before_late["ac"] == "3000.00", "as recorded before the late entry"

        series = client.get(
            f"/api/budget/projects/{project}/earned-value/series",
            params={"from": "2026-01-01", "to": "2026-01-10", "every_days": 3},
        ).json()
        assert [p["on"] for p in series["points"]] == ["2026-01-01", "2026-01-04", "2026-01-07", "2026-01-10"]
        assert [p["figures"]["ac"] for p in series["points"]] == ["1000.00", "3100.00", "3100.00", "3100.00"]
        assert series["points"][-1]["figures"]["pv"] == "10000.00"

        page = client.get(f"/api/budget/projects/{project}/ledger", params={"as_recorded_at": between}).json()
        assert [e["amount"] for e in page["items"]] == ["1000.00", "1000.00", "1000.00"]
        costs = client.get(f"/api/budget/projects/{project}/costs", params={"worked_to": "2026-01-02"}).json()
        assert costs["lines"][0]["amount"] == "2100.00"
        assert costs["lines"][0]["bill_amount"] == "3150.00"

        burn = client.get(f"/api/budget/projects/{project}/burn").json()
        assert (burn["used_percent"], burn["actual_cost"], burn["budget"]) == ("31.00", "3100.00", "10000.00")

        stranger = bearer(identities.staff(uuid4(), StaffRole.ADMIN))
        assert client.get(f"/api/budget/projects/{project}/earned-value", headers=stranger).status_code == 404
        assert client.get(f"/api/budget/projects/{project}/ledger", headers=stranger).status_code == 404


async def test_costs_in_the_reporting_currency_name_the_rates_used(budget: Budget) -> None:
    org, project = uuid4(), uuid4()
    app = budget.application
    app.set_budget(
        organisation_id=org,
        project_id=project,
        currency="EUR",
        lines=[BudgetLine("expenses", Decimal("5000.00"))],
        meta=META,
    )
    app.set_reporting_currency(organisation_id=org, currency="GBP", meta=META)
    january = ExchangeRate(uuid4(), "EUR", "GBP", date(2026, 1, 1), Decimal("0.85"), "ECB")
    february = ExchangeRate(uuid4(), "GBP", "EUR", date(2026, 2, 1), Decimal("1.25"), "ECB")
    for rate in (january, february):
        app.record_exchange_rate(organisation_id=org, rate=rate, meta=META)
    for day, amount in ((date(2026, 1, 15), "100.00"), (date(2026, 2, 15), "100.00")):
        app.record_expense(
            organisation_id=org,
            project_id=project,
            category="expenses",
            amount=Decimal(amount),
            currency="EUR",
            incurred_on=day,
            receipt_document_id=uuid4(),
            description="hotel",
            milestone_id=None,
            meta=META,
        )
    await relay_into_ledger(budget)
    with client_for(budget, org) as client:
        report = client.get("/api/budget/reports/costs").json()
    assert report["reporting_currency"] == "GBP"
    # 100 EUR x 0.85 + 100 EUR / 1.25 (February's rate is GBP->EUR, used inverted) = 85 + 80.
    assert report["projects"][0]["actual_cost"] == "165.00"
    assert [(r["rate"], r["inverted"]) for r in report["rates_used"]] == [("0.85", False), ("1.25", True)]
