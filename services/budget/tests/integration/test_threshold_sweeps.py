"""Two ledger consumer processes share one project's thresholds: each marks the projects
its batch moved, and each sweeps the marks after its batch. A mark cleared by one sweep
must never swallow costs another batch committed after that sweep read its figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

from budget_test_kit import envelope, incoming, person, relay_into_ledger, time_logged
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from trellis_budget.consumers.ledger_consumer import LedgerConsumer
from trellis_budget.consumers.threshold_watch import ThresholdWatch
from trellis_budget.domain.budget import BudgetLine
from trellis_budget.domain.rate_card import RatePeriod
from trellis_budget.domain.thresholds import Figures, Reading
from trellis_budget.views.earned_value_report import EarnedValueReports
from trellis_budget.wiring import Budget
from trellis_platform.metrics import AlertMetrics

META = {"actor": "test"}


def alerts_counted(reader: InMemoryMetricReader) -> dict[tuple[tuple[str, object], ...], object]:
    data = reader.get_metrics_data()
    return {tuple(sorted((point.attributes or {}).items())): point.value
            for resource in (data.resource_metrics if data else [])
            for scope in resource.scope_metrics for metric in scope.metrics if metric.name == "trellis.alerts"
            for point in metric.data.data_points}


class AnotherBatchLandsAfterTheRead:
    """The sweep's figures, read just before another consumer's batch commits."""

    def __init__(self, reports: EarnedValueReports, other_batch: Callable[[], object]) -> None:
        self._reports = reports
        self._other_batch: list[Callable[[], object]] = [other_batch]

    def threshold_reading(self, organisation_id: UUID, project_id: UUID) -> tuple[Reading, Figures] | None:
        reading = self._reports.threshold_reading(organisation_id, project_id)
        while self._other_batch:
            self._other_batch.pop()()
        return reading


async def test_a_project_marked_again_while_a_sweep_looks_at_it_is_looked_at_again(budget: Budget) -> None:
    org, project = uuid4(), uuid4()
    budget.application.set_budget(organisation_id=org, project_id=project, currency="EUR",
                                  lines=[BudgetLine("labour", Decimal("10000.00"))], meta=META)
    budget.application.set_rate(
        organisation_id=org, subject_kind="role", subject="developer",
        period=RatePeriod(uuid4(), date(2026, 1, 1), None, "hour", Decimal(120), Decimal(120), "EUR"),
        meta=META)
    await relay_into_ledger(budget)
    ada = person(org, "developer")
    first, second = LedgerConsumer(budget.ledger, None), LedgerConsumer(budget.ledger, None)
    first.apply_batch([
        incoming(envelope(ada, subject=ada.resource_id), 0),
        incoming(envelope(small := time_logged(org, project, ada.resource_id, date(2026, 2, 2), 60),
                          subject=small.time_entry_id), 1),
    ])
    big = [time_logged(org, project, ada.resource_id, date(2026, 2, d), 393) for d in range(3, 13)]
    crossing_batch = [incoming(envelope(t, subject=t.time_entry_id), n, stream="trellis.planning.events.v1:1")
                      for n, t in enumerate(big)]

    reports = AnotherBatchLandsAfterTheRead(budget.reports, lambda: second.apply_batch(crossing_batch))
    reader = InMemoryMetricReader()
    alerts = AlertMetrics(MeterProvider(metric_readers=[reader]).get_meter("test"))
    watch = ThresholdWatch(budget.ledger, reports, budget.application, alerts)  # type: ignore[arg-type]
    changes = watch.sweep()

    assert [c.key for c in changes if c.crossed] == ["used_50"], (
        "120.00 + 10 x 6.55 h x 120 = 7,980.00 of 10,000.00 crossed 50% after the first look")
    assert budget.ledger.pending_threshold_checks() == []
    assert budget.application.crossed_thresholds(org, project) == frozenset({"used_50"})
    assert alerts_counted(reader) == {(("kind", "threshold.used_50"), ("source", "budget")): 1}
