"""Expense and commitment domain events to integration events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from trellis_budget.domain.costs import Commitment, Expense
from trellis_budget.publishing.outgoing import outgoing
from trellis_contracts.budget.costs_v1 import (
    CommitmentRaisedV1,
    CommitmentReleasedV1,
    ExpenseRecordedV1,
    ExpenseVoidedV1,
    ReleaseReason,
)
from trellis_platform.outgoing import OutgoingEvent


def cost_events(event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    if isinstance(event, Expense.Recorded):
        return outgoing(
            event,
            ExpenseRecordedV1(
                expense_id=event.originator_id,
                organisation_id=event.organisation_id,
                project_id=event.project_id,
                category=event.category,
                amount=event.amount,
                currency=event.currency,
                incurred_on=event.incurred_on,
                receipt_document_id=event.receipt_document_id,
                description=event.description,
                milestone_id=event.milestone_id,
            ),
            notification_id,
        )
    if isinstance(event, Expense.Voided):
        return outgoing(
            event,
            ExpenseVoidedV1(
                expense_id=event.originator_id,
                organisation_id=event.organisation_id,
                project_id=event.project_id,
                reason=event.reason,
            ),
            notification_id,
        )
    if isinstance(event, Commitment.Raised):
        return outgoing(
            event,
            CommitmentRaisedV1(
                commitment_id=event.originator_id,
                organisation_id=event.organisation_id,
                project_id=event.project_id,
                category=event.category,
                amount=event.amount,
                currency=event.currency,
                supplier=event.supplier,
                reference=event.reference,
                expected_on=event.expected_on,
                milestone_id=event.milestone_id,
            ),
            notification_id,
        )
    if isinstance(event, Commitment.Released):
        return outgoing(
            event,
            CommitmentReleasedV1(
                commitment_id=event.originator_id,
                organisation_id=event.organisation_id,
                project_id=event.project_id,
                reason=cast(ReleaseReason, event.reason),
            ),
            notification_id,
        )
    return []
