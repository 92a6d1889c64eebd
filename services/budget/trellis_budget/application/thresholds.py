"""Threshold use cases: configure a project's thresholds; observe a reading and record
each crossing (and each re-arming) on the project's monitor."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from trellis_budget.application.tenant_aggregates import TenantAggregates
from trellis_budget.domain.thresholds import (
    Change,
    Figures,
    Reading,
    ThresholdConfig,
    ThresholdMonitor,
    Thresholds,
    check_percents,
)

SYSTEM_META = {"actor": "system:budget.thresholds"}
OBSERVE_ATTEMPTS = 5


class ThresholdUseCases(TenantAggregates):
    def configure_thresholds(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        percents: list[Decimal],
        eac_above_budget: bool,
        meta: dict[str, str],
    ) -> Thresholds:
        checked = list(check_percents(percents))
        config = self.find(
            ThresholdConfig, ThresholdConfig.create_id(organisation_id, project_id), organisation_id
        )
        if config is None:
            config = ThresholdConfig(
                organisation_id=organisation_id,
                project_id=project_id,
                percents=checked,
                eac_above_budget=eac_above_budget,
                meta=meta,
            )
        else:
            config.change(percents=checked, eac_above_budget=eac_above_budget, meta=meta)
        self.save(config)
        return config.thresholds

    def thresholds(self, organisation_id: UUID, project_id: UUID) -> Thresholds:
        config = self.find(
            ThresholdConfig, ThresholdConfig.create_id(organisation_id, project_id), organisation_id
        )
        return config.thresholds if config else Thresholds()

    def crossed_thresholds(self, organisation_id: UUID, project_id: UUID) -> frozenset[str]:
        monitor = self.find(
            ThresholdMonitor, ThresholdMonitor.create_id(organisation_id, project_id), organisation_id
        )
        return monitor.crossed if monitor else frozenset()

    def observe(
        self, *, organisation_id: UUID, project_id: UUID, read: Callable[[], tuple[Reading, Figures] | None]
    ) -> list[Change]:
        """Idempotent: observing the same figures twice records nothing the second time.

        The figures are read (``read``) after the monitor is loaded, so they are never
        older than the monitor's last change: figures read before another observer
        recorded a crossing would otherwise re-arm it (they predate the cost that crossed
        it), and the next observation would send the crossing a second time. Two
        observers racing on one project meet optimistic concurrency; the loser reloads
        the monitor, reads the figures again and observes again.
        """
        for attempt in range(OBSERVE_ATTEMPTS):
            monitor = self.find(
                ThresholdMonitor, ThresholdMonitor.create_id(organisation_id, project_id), organisation_id
            ) or ThresholdMonitor(organisation_id=organisation_id, project_id=project_id)
            current = read()
            if current is None:
                return []
            reading, figures = current
            found = monitor.observe(
                self.thresholds(organisation_id, project_id), reading, figures, SYSTEM_META
            )
            if not found:
                return []
            try:
                self.save(monitor)
                return found
            except IntegrityError:
                if attempt == OBSERVE_ATTEMPTS - 1:
                    raise
        return []
