"""Version 1 of the budget context's rate card events."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import Field

from trellis_contracts.budget.money import Amount, CurrencyCode
from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import BUDGET_EVENTS_V1

SubjectKind = Literal["role", "person", "equipment"]
RateUnit = Literal["hour", "day"]


class RateSetV1(EventContract):
    event_type = "com.trellis.budget.rate.set.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "A cost and bill rate was set for a role, person or equipment for a span of effective dates."

    rate_card_id: UUID
    organisation_id: UUID
    subject_kind: SubjectKind
    subject: str = Field(description="The role's name, or the person's or equipment's resource id")
    period_id: UUID
    effective_from: date
    effective_to: date | None = Field(None, description="Inclusive; null: until further notice")
    unit: RateUnit
    cost_rate: Amount
    bill_rate: Amount
    currency: CurrencyCode


class RateRevisedV1(EventContract):
    event_type = "com.trellis.budget.rate.revised.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "A rate period changed after the fact (amounts or end date); carries its full new state."

    rate_card_id: UUID
    organisation_id: UUID
    subject_kind: SubjectKind
    subject: str
    period_id: UUID
    effective_from: date
    effective_to: date | None = None
    unit: RateUnit
    cost_rate: Amount
    bill_rate: Amount
    currency: CurrencyCode
    reason: str
