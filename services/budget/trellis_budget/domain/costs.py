"""Costs entered by hand: expenses (with their receipt) and commitments (purchase orders).
Neither is ever edited: an expense is voided, a commitment released, and the ledger
books the compensating entry.

Stored event topics are ``trellis_budget.domain.costs:Expense.<Event>`` and
``trellis_budget.domain.costs:Commitment.<Event>``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_budget.domain.categories import category
from trellis_budget.domain.currencies import check_amount, check_currency
from trellis_budget.domain.errors import BudgetRuleBroken, Conflict


def _text(value: str, what: str, *, required: bool, limit: int = 500) -> str:
    value = value.strip()
    if required and not value:
        raise BudgetRuleBroken(f"{what} is required.")
    if len(value) > limit:
        raise BudgetRuleBroken(f"{what} has at most {limit} characters.")
    return value


class Expense(Aggregate):
    class Recorded(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        category: str
        amount: Decimal
        currency: str
        incurred_on: date
        receipt_document_id: UUID
        description: str
        milestone_id: UUID | None
        meta: dict[str, str]

    class Voided(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        reason: str
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            aggregate.voided = True
            aggregate.void_reason = self.reason

    @event(Recorded)
    def __init__(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        category: str,
        amount: Decimal,
        currency: str,
        incurred_on: date,
        receipt_document_id: UUID,
        description: str,
        milestone_id: UUID | None,
        meta: dict[str, str],
    ) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.category = category
        self.amount = amount
        self.currency = currency
        self.incurred_on = incurred_on
        self.receipt_document_id = receipt_document_id
        self.description = description
        self.milestone_id = milestone_id
        self.voided = False
        self.void_reason = ""

    @classmethod
    def record(
        cls,
        *,
        organisation_id: UUID,
        project_id: UUID,
        category: str,
        amount: Decimal,
        currency: str,
        incurred_on: date,
        receipt_document_id: UUID,
        description: str,
        milestone_id: UUID | None,
        meta: dict[str, str],
    ) -> Expense:
        currency = check_currency(currency)
        return cls(
            organisation_id=organisation_id,
            project_id=project_id,
            category=_category(category),
            amount=check_amount(amount, currency, what="amount", positive=True),
            currency=currency,
            incurred_on=incurred_on,
            receipt_document_id=receipt_document_id,
            description=_text(description, "description", required=True),
            milestone_id=milestone_id,
            meta=meta,
        )

    def void(self, *, reason: str, meta: dict[str, str]) -> None:
        if self.voided:
            raise Conflict("This expense is already voided.")
        self.trigger_event(
            Expense.Voided,
            organisation_id=self.organisation_id,
            project_id=self.project_id,
            reason=_text(reason, "reason", required=True),
            meta=meta,
        )


class Release(StrEnum):
    CANCELLED = "cancelled"
    INVOICED = "invoiced"


class Commitment(Aggregate):
    class Raised(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        category: str
        amount: Decimal
        currency: str
        supplier: str
        reference: str
        expected_on: date
        milestone_id: UUID | None
        meta: dict[str, str]

    class Released(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        reason: str
        note: str
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            aggregate.released = self.reason

    @event(Raised)
    def __init__(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        category: str,
        amount: Decimal,
        currency: str,
        supplier: str,
        reference: str,
        expected_on: date,
        milestone_id: UUID | None,
        meta: dict[str, str],
    ) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.category = category
        self.amount = amount
        self.currency = currency
        self.supplier = supplier
        self.reference = reference
        self.expected_on = expected_on
        self.milestone_id = milestone_id
        self.released: str | None = None

    @classmethod
    def raise_order(
        cls,
        *,
        organisation_id: UUID,
        project_id: UUID,
        category: str,
        amount: Decimal,
        currency: str,
        supplier: str,
        reference: str,
        expected_on: date,
        milestone_id: UUID | None,
        meta: dict[str, str],
    ) -> Commitment:
        currency = check_currency(currency)
        return cls(
            organisation_id=organisation_id,
            project_id=project_id,
            category=_category(category),
            amount=check_amount(amount, currency, what="amount", positive=True),
            currency=currency,
            supplier=_text(supplier, "supplier", required=True, limit=200),
            reference=_text(reference, "reference", required=True, limit=100),
            expected_on=expected_on,
            milestone_id=milestone_id,
            meta=meta,
        )

    def release(self, *, reason: Release, note: str, meta: dict[str, str]) -> None:
        if self.released is not None:
            raise Conflict(f"This commitment is already {self.released}.")
        self.trigger_event(
            Commitment.Released,
            organisation_id=self.organisation_id,
            project_id=self.project_id,
            reason=reason.value,
            note=_text(note, "note", required=False),
            meta=meta,
        )


def _category(value: str) -> str:
    return category(value).value
