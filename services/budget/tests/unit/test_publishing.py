"""Budget's domain events become CloudEvents that match the published contracts."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import jsonschema

from trellis_budget.application.budget_app import BudgetApplication
from trellis_budget.domain.budget import BudgetLine
from trellis_budget.domain.change_order import Authority
from trellis_budget.domain.costs import Release
from trellis_budget.domain.exchange_rates import ExchangeRate
from trellis_budget.domain.rate_card import RatePeriod
from trellis_budget.domain.thresholds import Figures, Reading
from trellis_budget.publishing.mapping import to_integration_events
from trellis_contracts.envelope import CloudEvent
from trellis_contracts.registry import BY_TYPE
from trellis_contracts.topics import BUDGET_EVENTS_V1

EXPORTED = Path(__file__).resolve().parents[4] / "shared" / "contracts" / "exported" / "schemas"
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
META = {"actor": "staff:u1", "traceparent": TRACEPARENT}


def test_every_public_budget_event_validates_against_its_exported_schema() -> None:
    app = BudgetApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    org, project = uuid4(), uuid4()
    app.set_budget(
        organisation_id=org,
        project_id=project,
        currency="EUR",
        lines=[BudgetLine("labour", Decimal("1000.00"))],
        meta=META,
    )
    _, period = app.set_rate(
        organisation_id=org,
        subject_kind="role",
        subject="dev",
        meta=META,
        period=RatePeriod(uuid4(), date(2026, 1, 1), None, "hour", Decimal(90), Decimal(150), "EUR"),
    )
    app.revise_rate(
        organisation_id=org,
        subject_kind="role",
        subject="dev",
        reason="retro",
        meta=META,
        period=RatePeriod(
            period.period_id, date(2026, 1, 1), date(2026, 6, 30), "hour", Decimal(95), Decimal(150), "EUR"
        ),
    )
    expense = app.record_expense(
        organisation_id=org,
        project_id=project,
        category="expenses",
        amount=Decimal("12.30"),
        currency="EUR",
        incurred_on=date(2026, 1, 2),
        receipt_document_id=uuid4(),
        description="taxi",
        milestone_id=None,
        meta=META,
    )
    app.void_expense(organisation_id=org, expense_id=expense.id, reason="dup", meta=META)
    commitment = app.raise_commitment(
        organisation_id=org,
        project_id=project,
        category="materials",
        amount=Decimal(500),
        currency="EUR",
        supplier="Acme",
        reference="PO-1",
        expected_on=date(2026, 2, 1),
        milestone_id=None,
        meta=META,
    )
    app.release_commitment(
        organisation_id=org, commitment_id=commitment.id, reason=Release.INVOICED, note="", meta=META
    )
    order = app.propose_change_order(
        organisation_id=org,
        project_id=project,
        title="More",
        scope="more",
        cost_impact=[BudgetLine("labour", Decimal(100))],
        schedule_impact_days=2,
        milestone_id=None,
        meta=META,
    )
    app.send_change_order(organisation_id=org, change_order_id=order.id, sent_to="client", meta=META)
    app.approve_change_order(
        organisation_id=org,
        change_order_id=order.id,
        approved_by="client:c",
        authority=Authority.CLIENT,
        note="",
        meta=META,
    )
    app.observe(
        organisation_id=org,
        project_id=project,
        read=lambda: (
            Reading(Decimal(55), None),
            Figures("EUR", Decimal(1000), Decimal(550), Decimal(55), None),
        ),
    )
    app.set_reporting_currency(organisation_id=org, currency="USD", meta=META)
    app.record_exchange_rate(
        organisation_id=org,
        meta=META,
        rate=ExchangeRate(uuid4(), "EUR", "USD", date(2026, 1, 1), Decimal("1.0850"), "ECB"),
    )

    published = []
    for notification in app.recorder.select_notifications(0, 100):
        published.extend(to_integration_events(app.mapper.to_domain_event(notification), notification.id))
    types = {e.envelope.type for e in published}
    expected = {t for t, c in BY_TYPE.items() if c.topic == BUDGET_EVENTS_V1} - {
        "com.trellis.budget.change_order.rejected.v1"
    }
    assert types == expected
    envelope_schema = json.loads((EXPORTED / "cloudevent.json").read_text())
    for event in published:
        assert event.topic == BUDGET_EVENTS_V1
        assert event.headers == {"traceparent": TRACEPARENT} or event.envelope.type.endswith(
            "threshold.crossed.v1"
        )
        document = json.loads(event.envelope.model_dump_json())
        jsonschema.validate(document, envelope_schema)
        jsonschema.validate(
            document["data"], json.loads((EXPORTED / f"{event.envelope.type}.json").read_text())
        )
        assert CloudEvent.model_validate(document) == event.envelope
    crossed = next(e for e in published if e.envelope.type.endswith("threshold.crossed.v1"))
    assert crossed.envelope.data["threshold"] == "used_50"
    assert crossed.envelope.data["actual_cost"] == "550"
