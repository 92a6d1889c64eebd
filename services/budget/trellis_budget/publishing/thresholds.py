"""Threshold and currency domain events to integration events. Re-arming stays inside
budget: consumers hear of a threshold only when it is crossed."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from trellis_budget.domain.exchange_rates import OrganisationCurrencies
from trellis_budget.domain.thresholds import EAC_ABOVE_BUDGET, ThresholdMonitor
from trellis_budget.publishing.outgoing import outgoing
from trellis_contracts.budget.currencies_v1 import ExchangeRateRecordedV1, ReportingCurrencySetV1
from trellis_contracts.budget.thresholds_v1 import BudgetThresholdCrossedV1
from trellis_platform.outgoing import OutgoingEvent


def threshold_events(event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    if isinstance(event, ThresholdMonitor.Crossed):
        is_eac = event.key == EAC_ABOVE_BUDGET
        return outgoing(
            event,
            BudgetThresholdCrossedV1(
                project_id=event.project_id,
                organisation_id=event.organisation_id,
                threshold=event.key,
                kind="eac_above_budget" if is_eac else "budget_used",
                percent=None if is_eac else Decimal(event.key.removeprefix("used_")),
                currency=event.currency,
                budget=event.budget,
                actual_cost=event.actual_cost,
                used_percent=event.used_percent,
                estimate_at_completion=event.eac,
            ),
            notification_id,
        )
    if isinstance(event, OrganisationCurrencies.ReportingCurrencySet):
        return outgoing(
            event,
            ReportingCurrencySetV1(organisation_id=event.organisation_id, currency=event.currency),
            notification_id,
        )
    if isinstance(event, OrganisationCurrencies.RateRecorded):
        rate = event.rate
        return outgoing(
            event,
            ExchangeRateRecordedV1(
                organisation_id=event.organisation_id,
                rate_id=rate.rate_id,
                base=rate.base,
                quote=rate.quote,
                on=rate.on,
                rate=rate.rate,
                source=rate.source,
            ),
            notification_id,
        )
    return []
