"""Version 1 of the budget context's cost events: expenses and commitments."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from trellis_contracts.budget.money import Amount, CurrencyCode
from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import BUDGET_EVENTS_V1

ReleaseReason = Literal["cancelled", "invoiced"]


class ExpenseRecordedV1(EventContract):
    event_type = "com.trellis.budget.expense.recorded.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "An expense was incurred on a project, with its receipt document."

    expense_id: UUID
    organisation_id: UUID
    project_id: UUID
    category: str
    amount: Amount
    currency: CurrencyCode
    incurred_on: date
    receipt_document_id: UUID
    description: str
    milestone_id: UUID | None = None


class ExpenseVoidedV1(EventContract):
    event_type = "com.trellis.budget.expense.voided.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "An expense was voided; the ledger books a compensating entry."

    expense_id: UUID
    organisation_id: UUID
    project_id: UUID
    reason: str


class CommitmentRaisedV1(EventContract):
    event_type = "com.trellis.budget.commitment.raised.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "A purchase order committed money on a project."

    commitment_id: UUID
    organisation_id: UUID
    project_id: UUID
    category: str
    amount: Amount
    currency: CurrencyCode
    supplier: str
    reference: str
    expected_on: date
    milestone_id: UUID | None = None


class CommitmentReleasedV1(EventContract):
    event_type = "com.trellis.budget.commitment.released.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "A commitment was cancelled or invoiced; the committed amount is released."

    commitment_id: UUID
    organisation_id: UUID
    project_id: UUID
    reason: ReleaseReason
