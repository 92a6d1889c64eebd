"""Several observers of one project's costs (two ledger consumers after a rebalance, a
sweep after a restart) record each crossing once: the figures are read after the
monitor is loaded, so an observer never acts on figures older than the monitor's last
change (figures from before a crossing would re-arm it, and the crossing would be sent
a second time)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from uuid import uuid4

from trellis_budget.application.budget_app import BudgetApplication
from trellis_budget.domain.thresholds import Figures, Reading, ThresholdMonitor

META = {"actor": "test"}
Read = Callable[[], tuple[Reading, Figures] | None]


def figures(cost: str) -> tuple[Reading, Figures]:
    used = Decimal(cost) / 10
    return Reading(used, None), Figures("EUR", Decimal(1000), Decimal(cost), used, None)


def monitor_events(app: BudgetApplication) -> list[str]:
    return [type(e).__qualname__ for e in (app.mapper.to_domain_event(n)
                                           for n in app.recorder.select_notifications(0, 100))
            if isinstance(e, ThresholdMonitor.Crossed | ThresholdMonitor.Rearmed)]


def test_figures_are_read_after_the_monitor_is_loaded_so_a_late_observer_changes_nothing() -> None:
    app = BudgetApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    org, project = uuid4(), uuid4()
    app.configure_thresholds(organisation_id=org, project_id=project, percents=[Decimal(50)],
                             eac_above_budget=False, meta=META)
    ledger = {"cost": "50.00"}
    early = figures(ledger["cost"])  # what a slow observer saw before two expenses landed
    ledger["cost"] = "650.00"
    app.observe(organisation_id=org, project_id=project, read=lambda: figures(ledger["cost"]))

    # The slow observer comes back: it reads the figures again, now, and finds nothing to do.
    reads: list[str] = []

    def read_now() -> tuple[Reading, Figures]:
        reads.append(ledger["cost"])
        return figures(ledger["cost"])

    assert app.observe(organisation_id=org, project_id=project, read=read_now) == []
    assert reads == ["650.00"]
    assert early[0].used_percent == Decimal(5), "figures read earlier would have re-armed used_50"
    assert monitor_events(app) == ["ThresholdMonitor.Crossed"]


def test_two_observers_racing_record_the_crossing_once() -> None:
    app = BudgetApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    org, project = uuid4(), uuid4()
    app.configure_thresholds(organisation_id=org, project_id=project, percents=[Decimal(50)],
                             eac_above_budget=False, meta=META)
    calls = 0

    def read_while_another_observes() -> tuple[Reading, Figures]:
        nonlocal calls
        calls += 1
        if calls == 1:  # the other observer saves between this one's load and its save
            app.observe(organisation_id=org, project_id=project, read=lambda: figures("650.00"))
        return figures("650.00")

    assert app.observe(organisation_id=org, project_id=project, read=read_while_another_observes) == []
    assert calls == 2, "the loser reloaded the monitor and read the figures again"
    assert monitor_events(app) == ["ThresholdMonitor.Crossed"]
