"""Time logged late is costed at the rate of the day worked, moves that month's figures,
and fires a threshold when it crosses one: through the ledger consumer on PostgreSQL,
with budget's own events arriving through its relay as they do in production."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from uuid import uuid4

from budget_test_kit import envelope, incoming, person, time_logged

from trellis_budget.domain.budget import BudgetLine
from trellis_budget.domain.earned_value import EacMethod
from trellis_budget.domain.rate_card import RatePeriod
from trellis_budget.wiring import Budget
from trellis_contracts.budget.thresholds_v1 import BudgetThresholdCrossedV1
from trellis_platform.dead_letters import TableDeadLetters
from trellis_platform.delivery import Delivery
from trellis_platform.in_process import InProcessSink
from trellis_platform.outgoing import OutgoingEvent

META = {"actor": "test"}


class Loopback:
    """Budget's relay sink: records what is published and hands it to the ledger."""

    def __init__(self, budget: Budget, database_url: str) -> None:
        self.published: list[OutgoingEvent] = []
        self._in_process = InProcessSink("budget")
        consumer = budget.ledger_consumer()
        self._in_process.subscribe(
            Delivery(consumer, TableDeadLetters(database_url, "budget")), consumer.topics
        )

    async def publish(self, events: Sequence[OutgoingEvent]) -> None:
        self.published.extend(events)
        await self._in_process.publish(events)


async def relay_all(budget: Budget, sink: Loopback) -> None:
    relay = budget.relay(sink)
    while await relay.relay_batch():
        pass


def crossings(sink: Loopback) -> list[str]:
    return [
        e.envelope.data["threshold"]
        for e in sink.published
        if e.envelope.type == BudgetThresholdCrossedV1.event_type
    ]


async def test_late_time_is_costed_at_last_months_rate_moves_last_month_and_fires_a_threshold(
    budget: Budget,
    database_url: str,
) -> None:
    org, project = uuid4(), uuid4()
    app = budget.application
    app.set_budget(
        organisation_id=org,
        project_id=project,
        currency="EUR",
        lines=[BudgetLine("labour", Decimal("10000.00"))],
        meta=META,
    )
    for starts, ends, cost in (
        (date(2026, 1, 1), date(2026, 1, 31), "100.00"),
        (date(2026, 2, 1), None, "120.00"),
    ):
        app.set_rate(
            organisation_id=org,
            subject_kind="role",
            subject="developer",
            period=RatePeriod(uuid4(), starts, ends, "hour", Decimal(cost), Decimal(cost), "EUR"),
            meta=META,
        )
    sink = Loopback(budget, database_url)
    await relay_all(budget, sink)

    ledger = budget.ledger_consumer()
    ada = person(org, "developer")
    february = [time_logged(org, project, ada.resource_id, date(2026, 2, d), 393) for d in range(2, 12)]
    ledger.apply_batch(
        [incoming(envelope(ada, subject=ada.resource_id), 0)]
        + [incoming(envelope(t, subject=t.time_entry_id), n + 1) for n, t in enumerate(february)]
    )
    await relay_all(budget, sink)
    assert crossings(sink) == ["used_50"], "10 x 6.55 h x 120 = 7,860.00 of 10,000.00"

    def actual_to(day: date) -> Decimal:
        return budget.reports.report(org, project, on=day, method=EacMethod.CPI).project.ac

    assert actual_to(date(2026, 1, 31)) == Decimal("0.00")
    late = time_logged(org, project, ada.resource_id, date(2026, 1, 20), 120)
    ledger.apply_batch([incoming(envelope(late, subject=late.time_entry_id), 20)])
    await relay_all(budget, sink)

    (entry,) = budget.queries.entries(
        org,
        project,
        recorded_by=None,
        worked_from=date(2026, 1, 1),
        worked_to=date(2026, 1, 31),
        after=0,
        limit=10,
    )
    assert (entry["rate"], entry["amount"]) == (Decimal("100.00"), Decimal("200.00")), "January's rate"
    assert actual_to(date(2026, 1, 31)) == Decimal("200.00"), "January's figures moved"
    assert actual_to(date(2026, 2, 28)) == Decimal("8060.00")
    assert crossings(sink) == ["used_50", "used_80"], "the late entry crossed 80%"

    ledger.apply_batch(
        [
            incoming(envelope(late, subject=late.time_entry_id), 20),  # redelivered
            incoming(envelope(late, subject=late.time_entry_id), 21),
        ]
    )  # re-published
    await relay_all(budget, sink)
    assert actual_to(date(2026, 2, 28)) == Decimal("8060.00")
    assert crossings(sink) == ["used_50", "used_80"], "once per crossing"


async def test_a_threshold_fires_again_only_after_the_value_fell_back_below_it(
    budget: Budget,
    database_url: str,
) -> None:
    org, project = uuid4(), uuid4()
    app = budget.application
    app.set_budget(
        organisation_id=org,
        project_id=project,
        currency="EUR",
        lines=[BudgetLine("materials", Decimal("1000.00"))],
        meta=META,
    )
    sink = Loopback(budget, database_url)
    expense = app.record_expense(
        organisation_id=org,
        project_id=project,
        category="materials",
        amount=Decimal("850.00"),
        currency="EUR",
        incurred_on=date(2026, 2, 2),
        receipt_document_id=uuid4(),
        description="tiles",
        milestone_id=None,
        meta=META,
    )
    await relay_all(budget, sink)
    await relay_all(budget, sink)
    assert crossings(sink) == ["used_50", "used_80"]
    app.void_expense(organisation_id=org, expense_id=expense.id, reason="duplicate receipt", meta=META)
    await relay_all(budget, sink)
    await relay_all(budget, sink)
    assert app.crossed_thresholds(org, project) == frozenset(), "fell back: re-armed"
    app.record_expense(
        organisation_id=org,
        project_id=project,
        category="materials",
        amount=Decimal("820.00"),
        currency="EUR",
        incurred_on=date(2026, 2, 3),
        receipt_document_id=uuid4(),
        description="tiles, again",
        milestone_id=None,
        meta=META,
    )
    await relay_all(budget, sink)
    await relay_all(budget, sink)
    assert crossings(sink) == ["used_50", "used_80", "used_50", "used_80"]
