"""Change order domain events to integration events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from trellis_budget.domain.change_order import ChangeOrder
from trellis_budget.publishing.lines import lines_v1
from trellis_budget.publishing.outgoing import outgoing
from trellis_contracts.budget.change_orders_v1 import (
    Authority,
    ChangeOrderApprovedV1,
    ChangeOrderProposedV1,
    ChangeOrderRejectedV1,
    ChangeOrderSentV1,
)
from trellis_platform.outgoing import OutgoingEvent


def change_order_events(event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    if isinstance(event, ChangeOrder.Proposed):
        return outgoing(
            event,
            ChangeOrderProposedV1(
                change_order_id=event.originator_id,
                organisation_id=event.organisation_id,
                project_id=event.project_id,
                title=event.title,
                scope=event.scope,
                currency=event.currency,
                cost_impact=lines_v1(event.cost_impact),
                schedule_impact_days=event.schedule_impact_days,
                milestone_id=event.milestone_id,
            ),
            notification_id,
        )
    if isinstance(event, ChangeOrder.Sent):
        return outgoing(
            event,
            ChangeOrderSentV1(
                change_order_id=event.originator_id,
                organisation_id=event.organisation_id,
                project_id=event.project_id,
                title=event.title,
                sent_to=event.sent_to,
            ),
            notification_id,
        )
    if isinstance(event, ChangeOrder.Approved):
        return outgoing(
            event,
            ChangeOrderApprovedV1(
                change_order_id=event.originator_id,
                organisation_id=event.organisation_id,
                project_id=event.project_id,
                title=event.title,
                approved_by=event.approved_by,
                authority=cast(Authority, event.authority),
                currency=event.currency,
                cost_impact=lines_v1(event.cost_impact),
                schedule_impact_days=event.schedule_impact_days,
                milestone_id=event.milestone_id,
            ),
            notification_id,
        )
    if isinstance(event, ChangeOrder.Rejected):
        return outgoing(
            event,
            ChangeOrderRejectedV1(
                change_order_id=event.originator_id,
                organisation_id=event.organisation_id,
                project_id=event.project_id,
                rejected_by=event.rejected_by,
                authority=cast(Authority, event.authority),
                reason=event.reason,
            ),
            notification_id,
        )
    return []
