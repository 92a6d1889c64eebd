"""Version 1 of the budget context's budget events: set, and every revision."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from trellis_contracts.budget.money import Amount, CurrencyCode
from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import BUDGET_EVENTS_V1


class BudgetLineV1(BaseModel):
    category: str = Field(description="labour, equipment, materials, expenses or subcontracts")
    amount: Amount
    milestone_id: UUID | None = None
    description: str = ""


class BudgetSetV1(EventContract):
    event_type = "com.trellis.budget.budget.set.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "A project's budget was set: its currency and lines (revision 1, the original)."

    budget_id: UUID
    organisation_id: UUID
    project_id: UUID
    currency: CurrencyCode
    lines: list[BudgetLineV1]
    total: Amount
    revision: int = 1


class BudgetRevisedV1(EventContract):
    event_type = "com.trellis.budget.budget.revised.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "A project's budget was revised; lines carry the full new state, earlier revisions stand."

    budget_id: UUID
    organisation_id: UUID
    project_id: UUID
    currency: CurrencyCode
    lines: list[BudgetLineV1]
    total: Amount
    revision: int
    reason: str
    change_order_id: UUID | None = None
