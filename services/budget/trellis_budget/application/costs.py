"""Expense and commitment use cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from trellis_budget.application.tenant_aggregates import TenantAggregates
from trellis_budget.domain.costs import Commitment, Expense, Release


class CostUseCases(TenantAggregates):
    def record_expense(
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
    ) -> Expense:
        expense = Expense.record(
            organisation_id=organisation_id,
            project_id=project_id,
            category=category,
            amount=amount,
            currency=currency,
            incurred_on=incurred_on,
            receipt_document_id=receipt_document_id,
            description=description,
            milestone_id=milestone_id,
            meta=meta,
        )
        self.save(expense)
        return expense

    def void_expense(
        self, *, organisation_id: UUID, expense_id: UUID, reason: str, meta: dict[str, str]
    ) -> Expense:
        expense = self.expense(organisation_id, expense_id)
        expense.void(reason=reason, meta=meta)
        self.save(expense)
        return expense

    def expense(self, organisation_id: UUID, expense_id: UUID) -> Expense:
        return self.load(Expense, expense_id, organisation_id, "expense")

    def raise_commitment(
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
    ) -> Commitment:
        commitment = Commitment.raise_order(
            organisation_id=organisation_id,
            project_id=project_id,
            category=category,
            amount=amount,
            currency=currency,
            supplier=supplier,
            reference=reference,
            expected_on=expected_on,
            milestone_id=milestone_id,
            meta=meta,
        )
        self.save(commitment)
        return commitment

    def release_commitment(
        self, *, organisation_id: UUID, commitment_id: UUID, reason: Release, note: str, meta: dict[str, str]
    ) -> Commitment:
        commitment = self.commitment(organisation_id, commitment_id)
        commitment.release(reason=reason, note=note, meta=meta)
        self.save(commitment)
        return commitment

    def commitment(self, organisation_id: UUID, commitment_id: UUID) -> Commitment:
        return self.load(Commitment, commitment_id, organisation_id, "commitment")
