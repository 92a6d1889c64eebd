"""What budget's HTTP API accepts and returns. Money is a decimal string (see money.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from trellis_budget.api.money import Money

Currency = str
CategoryName = Literal["labour", "equipment", "materials", "expenses", "subcontracts"]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LineIn(Request):
    category: CategoryName
    amount: Money
    milestone_id: UUID | None = None
    description: str = Field("", max_length=500)


class SetBudgetRequest(Request):
    currency: str = Field(min_length=3, max_length=3, description="ISO 4217 code, e.g. EUR")
    lines: list[LineIn] = Field(min_length=1, max_length=200)


class ReviseBudgetRequest(Request):
    lines: list[LineIn] = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=500)


class LineOut(BaseModel):
    category: str
    amount: Money
    milestone_id: UUID | None
    description: str


class RevisionOut(BaseModel):
    revision: int
    lines: list[LineOut]
    total: Money
    reason: str
    change_order_id: UUID | None
    recorded_at: datetime


class BudgetOut(BaseModel):
    project_id: UUID
    currency: str
    current: RevisionOut
    original: RevisionOut
    revisions: list[RevisionOut]
    version: int


class RateIn(Request):
    effective_from: date
    effective_to: date | None = None
    unit: Literal["hour", "day"]
    cost_rate: Money
    bill_rate: Money
    currency: str = Field(min_length=3, max_length=3)


class ReviseRateRequest(Request):
    effective_to: date | None = None
    unit: Literal["hour", "day"]
    cost_rate: Money
    bill_rate: Money
    currency: str = Field(min_length=3, max_length=3)
    reason: str = Field(min_length=1, max_length=500)


class RateOut(BaseModel):
    period_id: UUID
    effective_from: date
    effective_to: date | None
    unit: str
    cost_rate: Money
    bill_rate: Money
    currency: str


class RateCardOut(BaseModel):
    id: UUID
    subject_kind: str
    subject: str
    rates: list[RateOut]
    version: int


class ExpenseIn(Request):
    category: CategoryName
    amount: Money
    currency: str = Field(min_length=3, max_length=3)
    incurred_on: date
    receipt_document_id: UUID
    description: str = Field(min_length=1, max_length=500)
    milestone_id: UUID | None = None


class ExpenseOut(BaseModel):
    id: UUID
    project_id: UUID
    category: str
    amount: Money
    currency: str
    incurred_on: date
    receipt_document_id: UUID
    description: str
    milestone_id: UUID | None
    voided: bool
    version: int


class ReasonIn(Request):
    reason: str = Field(min_length=1, max_length=500)


class CommitmentIn(Request):
    category: CategoryName
    amount: Money
    currency: str = Field(min_length=3, max_length=3)
    supplier: str = Field(min_length=1, max_length=200)
    reference: str = Field(min_length=1, max_length=100, description="The purchase order number")
    expected_on: date
    milestone_id: UUID | None = None


class ReleaseIn(Request):
    reason: Literal["cancelled", "invoiced"]
    note: str = Field("", max_length=500)


class CommitmentOut(BaseModel):
    id: UUID
    project_id: UUID
    category: str
    amount: Money
    currency: str
    supplier: str
    reference: str
    expected_on: date
    milestone_id: UUID | None
    released: str | None
    version: int


class ChangeOrderIn(Request):
    title: str = Field(min_length=1, max_length=200)
    scope: str = Field(min_length=1, max_length=5000)
    cost_impact: list[LineIn] = Field(max_length=200, description="Signed amounts added to budget lines")
    schedule_impact_days: int = Field(0, ge=-3650, le=3650)
    milestone_id: UUID | None = None


class SendIn(Request):
    sent_to: str = Field(min_length=1, max_length=200, description="Who at the client decides")


class DecisionIn(Request):
    on_behalf_of: str | None = Field(
        None, max_length=200, description=("For the portal's service key: the client user who decided")
    )
    note: str = Field("", max_length=500)


class RejectIn(DecisionIn):
    reason: str = Field(min_length=1, max_length=500)


class ChangeOrderOut(BaseModel):
    id: UUID
    project_id: UUID
    title: str
    scope: str
    currency: str
    cost_impact: list[LineOut]
    schedule_impact_days: int
    milestone_id: UUID | None
    status: str
    sent_to: str | None
    decided_by: str | None
    version: int


class ThresholdsIn(Request):
    percents: list[Money] = Field(max_length=20)
    eac_above_budget: bool = True


class ThresholdsOut(BaseModel):
    project_id: UUID
    percents: list[Money]
    eac_above_budget: bool
    crossed: list[str]


class ReportingCurrencyIn(Request):
    currency: str = Field(min_length=3, max_length=3)


class ExchangeRateIn(Request):
    base: str = Field(min_length=3, max_length=3)
    quote: str = Field(min_length=3, max_length=3)
    on: date
    rate: Money
    source: str = Field(min_length=1, max_length=200)


class ExchangeRateOut(BaseModel):
    rate_id: UUID
    base: str
    quote: str
    on: date
    rate: Money
    source: str


class CurrenciesOut(BaseModel):
    reporting_currency: str | None
    rates: list[ExchangeRateOut]
