"""Change order use cases. Approval revises the budget in the same transaction."""

from __future__ import annotations

from uuid import UUID

from trellis_budget.application.budgets import BudgetUseCases
from trellis_budget.domain.budget import BudgetLine
from trellis_budget.domain.change_order import Authority, ChangeOrder
from trellis_budget.domain.errors import BudgetRuleBroken


class ChangeOrderUseCases(BudgetUseCases):
    def propose_change_order(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        title: str,
        scope: str,
        cost_impact: list[BudgetLine],
        schedule_impact_days: int,
        milestone_id: UUID | None,
        meta: dict[str, str],
    ) -> ChangeOrder:
        budget = self.budget(organisation_id, project_id)
        order = ChangeOrder.propose(
            organisation_id=organisation_id,
            project_id=project_id,
            title=title,
            scope=scope,
            currency=budget.currency,
            cost_impact=cost_impact,
            schedule_impact_days=schedule_impact_days,
            milestone_id=milestone_id,
            meta=meta,
        )
        self.save(order)
        return order

    def send_change_order(
        self, *, organisation_id: UUID, change_order_id: UUID, sent_to: str, meta: dict[str, str]
    ) -> ChangeOrder:
        order = self.change_order(organisation_id, change_order_id)
        order.send(sent_to=sent_to, meta=meta)
        self.save(order)
        return order

    def approve_change_order(
        self,
        *,
        organisation_id: UUID,
        change_order_id: UUID,
        approved_by: str,
        authority: Authority,
        note: str,
        meta: dict[str, str],
    ) -> ChangeOrder:
        order = self.change_order(organisation_id, change_order_id)
        budget = self.budget(organisation_id, order.project_id)
        if budget.currency != order.currency:
            raise BudgetRuleBroken("The budget's currency changed since the change order was proposed.")
        order.approve(approved_by=approved_by, authority=authority, note=note, meta=meta)
        budget.apply_change_order(
            change_order_id=order.id, title=order.title, impact=order.cost_impact, meta=meta
        )
        self.save(order, budget)
        return order

    def reject_change_order(
        self,
        *,
        organisation_id: UUID,
        change_order_id: UUID,
        rejected_by: str,
        authority: Authority,
        reason: str,
        meta: dict[str, str],
    ) -> ChangeOrder:
        order = self.change_order(organisation_id, change_order_id)
        order.reject(rejected_by=rejected_by, authority=authority, reason=reason, meta=meta)
        self.save(order)
        return order

    def change_order(self, organisation_id: UUID, change_order_id: UUID) -> ChangeOrder:
        return self.load(ChangeOrder, change_order_id, organisation_id, "change order")
