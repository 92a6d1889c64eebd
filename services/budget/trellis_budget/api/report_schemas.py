"""What budget's report routes return."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel

from trellis_budget.api.money import Money


class EarnedValueOut(BaseModel):
    bac: Money
    pv: Money
    ev: Money
    ac: Money
    cv: Money
    sv: Money
    cpi: Money | None
    spi: Money | None
    eac: Money | None
    etc: Money | None
    vac: Money | None
    tcpi_bac: Money | None
    tcpi_eac: Money | None
    eac_method: str
    eac_formula: str


class MilestoneEarnedValueOut(BaseModel):
    milestone_id: UUID
    name: str
    figures: EarnedValueOut


class RateUsedOut(BaseModel):
    rate_id: UUID
    base: str
    quote: str
    on: date
    rate: Money
    inverted: bool


class EarnedValueReportOut(BaseModel):
    project_id: UUID
    on: date
    currency: str
    budget_revision: int
    as_recorded_at: datetime | None
    project: EarnedValueOut
    milestones: list[MilestoneEarnedValueOut]
    rates_used: list[RateUsedOut]
    uncosted_sources: int
    notes: list[str]


class SeriesPointOut(BaseModel):
    on: date
    figures: EarnedValueOut


class EarnedValueSeriesOut(BaseModel):
    project_id: UUID
    currency: str
    as_recorded_at: datetime | None
    points: list[SeriesPointOut]


class LedgerEntryOut(BaseModel):
    entry_no: int
    source_kind: str
    source_id: UUID
    category: str
    cost_kind: str
    milestone_id: UUID | None
    worked_on: date
    quantity: Money
    unit: str
    rate: Money | None
    rate_ref: UUID | None
    amount: Money
    bill_amount: Money
    currency: str
    cause: str
    reversal: bool
    recorded_at: datetime


class LedgerPageOut(BaseModel):
    items: list[LedgerEntryOut]
    next_after: int | None


class CostLineOut(BaseModel):
    category: str
    cost_kind: str
    currency: str
    amount: Money
    bill_amount: Money
    entries: int


class CostSummaryOut(BaseModel):
    project_id: UUID
    as_recorded_at: datetime | None
    worked_from: date | None
    worked_to: date | None
    lines: list[CostLineOut]


class BurnOut(BaseModel):
    project_id: UUID
    currency: str
    budget: Money
    actual_cost: Money
    committed: Money
    used_percent: Money | None
    forecast_at_completion: Money | None
    forecast_formula: str
    thresholds: list[str]
    crossed: list[str]


class ProjectInReportingCurrencyOut(BaseModel):
    project_id: UUID
    actual_cost: Money
    committed: Money


class OrganisationCostsOut(BaseModel):
    reporting_currency: str
    as_recorded_at: datetime | None
    projects: list[ProjectInReportingCurrencyOut]
    total_actual_cost: Money
    total_committed: Money
    rates_used: list[RateUsedOut]
