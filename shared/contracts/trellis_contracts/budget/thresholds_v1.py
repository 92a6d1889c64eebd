"""Version 1 of the budget context's threshold events."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import Field

from trellis_contracts.budget.money import Amount, CurrencyCode
from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import BUDGET_EVENTS_V1


class BudgetThresholdCrossedV1(EventContract):
    event_type = "com.trellis.budget.threshold.crossed.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = (
        "A project's cost reached a configured share of its budget, or its estimate at "
        "completion rose above the budget. Sent once per crossing."
    )

    project_id: UUID
    organisation_id: UUID
    threshold: str = Field(description="used_<percent> or eac_above_budget")
    kind: Literal["budget_used", "eac_above_budget"]
    percent: Decimal | None = Field(None, description="The threshold's percentage, for budget_used")
    currency: CurrencyCode
    budget: Amount
    actual_cost: Amount
    used_percent: Decimal | None = None
    estimate_at_completion: Amount | None = None
