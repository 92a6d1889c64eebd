"""Budget and rate card domain events to integration events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis_budget.domain.budget import Budget
from trellis_budget.domain.rate_card import RateCard
from trellis_budget.publishing.lines import lines_v1, total
from trellis_budget.publishing.outgoing import outgoing
from trellis_contracts.budget.budgets_v1 import BudgetRevisedV1, BudgetSetV1
from trellis_contracts.budget.rate_cards_v1 import RateRevisedV1, RateSetV1
from trellis_platform.outgoing import OutgoingEvent


def budget_events(event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    if isinstance(event, Budget.Created):
        return outgoing(
            event,
            BudgetSetV1(
                budget_id=event.originator_id,
                organisation_id=event.organisation_id,
                project_id=event.project_id,
                currency=event.currency,
                lines=lines_v1(event.lines),
                total=total(event.lines),
            ),
            notification_id,
        )
    if isinstance(event, Budget.Revised):
        return outgoing(
            event,
            BudgetRevisedV1(
                budget_id=event.originator_id,
                organisation_id=event.organisation_id,
                project_id=event.project_id,
                currency=event.currency,
                lines=lines_v1(event.lines),
                total=total(event.lines),
                revision=event.revision,
                reason=event.reason,
                change_order_id=event.change_order_id,
            ),
            notification_id,
        )
    if isinstance(event, RateCard.RateSet | RateCard.RateRevised):
        period = event.period
        fields: dict[str, Any] = {
            "rate_card_id": event.originator_id,
            "organisation_id": event.organisation_id,
            "subject_kind": event.subject_kind,
            "subject": event.subject,
            "period_id": period.period_id,
            "effective_from": period.effective_from,
            "effective_to": period.effective_to,
            "unit": period.unit,
            "cost_rate": period.cost_rate,
            "bill_rate": period.bill_rate,
            "currency": period.currency,
        }
        if isinstance(event, RateCard.RateSet):
            return outgoing(event, RateSetV1(**fields), notification_id)
        return outgoing(event, RateRevisedV1(**fields, reason=event.reason), notification_id)
    return []
