"""Version 1 of the budget context's change order events."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import Field

from trellis_contracts.budget.budgets_v1 import BudgetLineV1
from trellis_contracts.budget.money import CurrencyCode
from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import BUDGET_EVENTS_V1

Authority = Literal["staff", "client"]


class ChangeOrderProposedV1(EventContract):
    event_type = "com.trellis.budget.change_order.proposed.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "A change of scope was proposed with its cost and schedule impact."

    change_order_id: UUID
    organisation_id: UUID
    project_id: UUID
    title: str
    scope: str
    currency: CurrencyCode
    cost_impact: list[BudgetLineV1] = Field(description="Signed amounts per budget line")
    schedule_impact_days: int
    milestone_id: UUID | None = None


class ChangeOrderSentV1(EventContract):
    event_type = "com.trellis.budget.change_order.sent.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "A change order was sent to the client for a decision (the portal shows it)."

    change_order_id: UUID
    organisation_id: UUID
    project_id: UUID
    title: str
    sent_to: str


class ChangeOrderApprovedV1(EventContract):
    event_type = "com.trellis.budget.change_order.approved.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = (
        "A change order was approved: the budget is revised, and planning may move the "
        "linked milestone by schedule_impact_days."
    )

    change_order_id: UUID
    organisation_id: UUID
    project_id: UUID
    title: str
    approved_by: str
    authority: Authority
    currency: CurrencyCode
    cost_impact: list[BudgetLineV1]
    schedule_impact_days: int
    milestone_id: UUID | None = None


class ChangeOrderRejectedV1(EventContract):
    event_type = "com.trellis.budget.change_order.rejected.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "A change order was rejected; nothing changes."

    change_order_id: UUID
    organisation_id: UUID
    project_id: UUID
    rejected_by: str
    authority: Authority
    reason: str
