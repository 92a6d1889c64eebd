"""A client's decision on a change order, taken in the portal, applied here: approval
revises the budget (and publishes ChangeOrderApprovedV1, which planning follows).

Applying a decision twice is harmless: a change order is decided once, so a redelivered
decision meets a decided change order and changes nothing. The tracking record only
moves the position past it.
"""

from __future__ import annotations

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder

from trellis_budget.application.budget_app import BudgetApplication
from trellis_budget.domain.change_order import Authority
from trellis_budget.domain.errors import BudgetRuleBroken, Conflict, NotFound
from trellis_contracts.portal.approvals_v1 import ChangeOrderApprovedByClientV1, ChangeOrderRejectedByClientV1
from trellis_contracts.topics import PORTAL_EVENTS_V1
from trellis_platform.command_meta import trace_headers
from trellis_platform.incoming import IncomingEvent, PoisonEvent
from trellis_platform.parsing import read_event


class ClientDecisionsToChangeOrders:
    name = "budget.client_decisions"
    topics: tuple[str, ...] = (PORTAL_EVENTS_V1,)

    def __init__(self, application: BudgetApplication, tracking: PostgresTrackingRecorder) -> None:
        self._application = application
        self._tracking = tracking

    def has_applied(self, position: Tracking) -> bool:
        return bool(self._tracking.has_tracking_id(position.application_name, position.notification_id))

    def record_position(self, position: Tracking) -> None:
        if not self.has_applied(position):
            self._tracking.insert_tracking(position)

    def apply(self, event: IncomingEvent) -> None:
        read = read_event(event)
        if read is not None:
            envelope, payload = read
            if isinstance(payload, ChangeOrderApprovedByClientV1 | ChangeOrderRejectedByClientV1):
                meta = {
                    "actor": f"client:{payload.client_user_id}",
                    "caused_by": envelope.id,
                    **trace_headers(event.headers),
                }
                try:
                    self._decide(payload, meta)
                except Conflict:
                    pass  # decided already: this decision was applied before, or came too late
                except (NotFound, BudgetRuleBroken) as wrong:
                    raise PoisonEvent(f"{envelope.type} {envelope.id}: {wrong}") from None
        self.record_position(event.position)

    def _decide(
        self, decision: ChangeOrderApprovedByClientV1 | ChangeOrderRejectedByClientV1, meta: dict[str, str]
    ) -> None:
        who = f"client:{decision.client_user_id}"
        if isinstance(decision, ChangeOrderApprovedByClientV1):
            self._application.approve_change_order(
                organisation_id=decision.organisation_id,
                change_order_id=decision.change_order_id,
                approved_by=who,
                authority=Authority.CLIENT,
                note=decision.comment,
                meta=meta,
            )
        else:
            self._application.reject_change_order(
                organisation_id=decision.organisation_id,
                change_order_id=decision.change_order_id,
                rejected_by=who,
                authority=Authority.CLIENT,
                reason=decision.comment,
                meta=meta,
            )
