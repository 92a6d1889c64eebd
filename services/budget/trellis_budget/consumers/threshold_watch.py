"""After the ledger moves, look at the thresholds of the projects it moved.

The ledger batch marks each project it touched in threshold_checks_pending, in its own
transaction. This watch lets the project's monitor read its figures (after loading the
monitor, so never older than its last change) and record a crossing (an event in
budget's store, published by the relay: never a dual write), and then clears the mark,
unless another batch (another consumer process) marked the project again meanwhile:
its costs may have come after the figures were read, so that mark waits for a look.
A crash in between leaves the mark, and the next sweep looks again; looking twice
records nothing twice, because the monitor remembers what is crossed.
"""

from __future__ import annotations

import logging
from functools import partial

from trellis_budget.application.budget_app import BudgetApplication
from trellis_budget.domain.thresholds import Change
from trellis_budget.views.earned_value_report import EarnedValueReports
from trellis_budget.views.ledger_store import LedgerStore
from trellis_platform.metrics import ALERTS, AlertMetrics

logger = logging.getLogger(__name__)


class ThresholdWatch:
    def __init__(
        self, store: LedgerStore, reports: EarnedValueReports, application: BudgetApplication,
        alerts: AlertMetrics = ALERTS,
    ) -> None:
        self._store = store
        self._reports = reports
        self._application = application
        self._alerts = alerts

    def sweep(self) -> list[Change]:
        found: list[Change] = []
        while pending := self._store.pending_threshold_checks():
            for check in pending:
                organisation_id, project_id = check.organisation_id, check.project_id
                recorded = self._application.observe(
                    organisation_id=organisation_id,
                    project_id=project_id,
                    read=partial(self._reports.threshold_reading, organisation_id, project_id),
                )
                for change in recorded:
                    if change.crossed:
                        self._alerts.raised("budget", f"threshold.{change.key}")
                found.extend(recorded)
                self._store.threshold_checked(check)
        return found
