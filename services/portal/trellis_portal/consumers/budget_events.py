"""Budget's facts in the portal: the budget, the cost it last reported, change orders.

Rate cards are never read here: cost and bill rates stay inside the firm.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from trellis_contracts.budget.budgets_v1 import BudgetRevisedV1, BudgetSetV1
from trellis_contracts.budget.change_orders_v1 import (
    ChangeOrderApprovedV1,
    ChangeOrderProposedV1,
    ChangeOrderRejectedV1,
    ChangeOrderSentV1,
)
from trellis_contracts.budget.thresholds_v1 import BudgetThresholdCrossedV1
from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import BUDGET_EVENTS_V1
from trellis_portal.consumers.facts_consumer import FactsConsumer, Putter, decimal_text
from trellis_portal.domain.ids import change_order_approval_id
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.tracked_facts import Effect


class BudgetEventsToPortal(FactsConsumer):
    name = "portal.budget"
    topics: tuple[str, ...] = (BUDGET_EVENTS_V1,)

    def effect_for(self, envelope: CloudEvent, payload: EventContract) -> Effect | None:
        put = Putter(envelope).put

        if isinstance(payload, BudgetSetV1 | BudgetRevisedV1):
            budget = payload
            return lambda w, _: put(w, budget.project_id, kinds.BUDGET, "", {
                "currency": budget.currency, "total": decimal_text(budget.total),
                "revision": budget.revision})
        if isinstance(payload, BudgetThresholdCrossedV1):
            crossed = payload
            return lambda w, _: put(w, crossed.project_id, kinds.BUDGET_COST, "", {
                "currency": crossed.currency, "actual_cost": decimal_text(crossed.actual_cost),
                "reported_at": envelope.time})
        if isinstance(payload, ChangeOrderProposedV1):
            proposed = payload
            impact = sum((line.amount for line in proposed.cost_impact), Decimal(0))
            key = _key(proposed.change_order_id)
            return lambda w, _: put(w, proposed.project_id, kinds.CHANGE_ORDER, key, {
                "change_order_id": proposed.change_order_id, "title": proposed.title, "scope": proposed.scope,
                "currency": proposed.currency, "cost_impact": decimal_text(impact),
                "schedule_impact_days": proposed.schedule_impact_days, "status": "proposed"}, merge=True)
        if isinstance(payload, ChangeOrderSentV1):
            sent = payload
            return lambda w, _: put(w, sent.project_id, kinds.CHANGE_ORDER, _key(sent.change_order_id), {
                "change_order_id": sent.change_order_id, "title": sent.title, "status": "sent",
                "sent_at": envelope.time}, merge=True)
        if isinstance(payload, ChangeOrderApprovedV1 | ChangeOrderRejectedV1):
            decided = payload
            status = "approved" if isinstance(decided, ChangeOrderApprovedV1) else "rejected"
            decided_key = _key(decided.change_order_id)
            return lambda w, _: put(w, decided.project_id, kinds.CHANGE_ORDER, decided_key, {
                "change_order_id": decided.change_order_id, "status": status,
                "authority": decided.authority}, merge=True)
        return None


def _key(change_order_id: UUID) -> str:
    return str(change_order_approval_id(change_order_id))
