"""Expense and commitment routes."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_budget.api.common import PREFIX, PROBLEM_RESPONSES, domain_errors, meta_for
from trellis_budget.api.schemas import CommitmentIn, CommitmentOut, ExpenseIn, ExpenseOut, ReasonIn, ReleaseIn
from trellis_budget.application.budget_app import BudgetApplication
from trellis_budget.domain.costs import Commitment, Expense, Release
from trellis_platform.auth.access import MONEY, READERS, access
from trellis_platform.auth.guards import CurrentCaller, guarded

WRITE = access(staff=MONEY, permission="budget.costs:write")
READ = access(staff=READERS, permission="budget.costs:read")


def expense_out(e: Expense) -> ExpenseOut:
    return ExpenseOut(
        id=e.id,
        project_id=e.project_id,
        category=e.category,
        amount=e.amount,
        currency=e.currency,
        incurred_on=e.incurred_on,
        receipt_document_id=e.receipt_document_id,
        description=e.description,
        milestone_id=e.milestone_id,
        voided=e.voided,
        version=e.version,
    )


def commitment_out(c: Commitment) -> CommitmentOut:
    return CommitmentOut(
        id=c.id,
        project_id=c.project_id,
        category=c.category,
        amount=c.amount,
        currency=c.currency,
        supplier=c.supplier,
        reference=c.reference,
        expected_on=c.expected_on,
        milestone_id=c.milestone_id,
        released=c.released,
        version=c.version,
    )


def costs_router(app: BudgetApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["budget"], responses=PROBLEM_RESPONSES)

    @router.post(
        "/projects/{project_id}/expenses",
        status_code=status.HTTP_201_CREATED,
        response_model=ExpenseOut,
        **guarded(WRITE),
    )
    def record_expense(
        project_id: UUID, body: ExpenseIn, caller: CurrentCaller, request: Request, response: Response
    ) -> ExpenseOut:
        with domain_errors():
            expense = app.record_expense(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                category=body.category,
                amount=body.amount,
                currency=body.currency,
                incurred_on=body.incurred_on,
                receipt_document_id=body.receipt_document_id,
                description=body.description,
                milestone_id=body.milestone_id,
                meta=meta_for(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/expenses/{expense.id}"
        return expense_out(expense)

    @router.post("/expenses/{expense_id}/void", response_model=ExpenseOut, **guarded(WRITE))
    def void_expense(expense_id: UUID, body: ReasonIn, caller: CurrentCaller, request: Request) -> ExpenseOut:
        with domain_errors():
            return expense_out(
                app.void_expense(
                    organisation_id=caller.organisation_id,
                    expense_id=expense_id,
                    reason=body.reason,
                    meta=meta_for(caller, request),
                )
            )

    @router.get("/expenses/{expense_id}", response_model=ExpenseOut, **guarded(READ))
    def get_expense(expense_id: UUID, caller: CurrentCaller) -> ExpenseOut:
        with domain_errors():
            return expense_out(app.expense(caller.organisation_id, expense_id))

    @router.post(
        "/projects/{project_id}/commitments",
        status_code=status.HTTP_201_CREATED,
        response_model=CommitmentOut,
        **guarded(WRITE),
    )
    def raise_commitment(
        project_id: UUID, body: CommitmentIn, caller: CurrentCaller, request: Request, response: Response
    ) -> CommitmentOut:
        with domain_errors():
            commitment = app.raise_commitment(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                category=body.category,
                amount=body.amount,
                currency=body.currency,
                supplier=body.supplier,
                reference=body.reference,
                expected_on=body.expected_on,
                milestone_id=body.milestone_id,
                meta=meta_for(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/commitments/{commitment.id}"
        return commitment_out(commitment)

    @router.post("/commitments/{commitment_id}/release", response_model=CommitmentOut, **guarded(WRITE))
    def release_commitment(
        commitment_id: UUID, body: ReleaseIn, caller: CurrentCaller, request: Request
    ) -> CommitmentOut:
        with domain_errors():
            return commitment_out(
                app.release_commitment(
                    organisation_id=caller.organisation_id,
                    commitment_id=commitment_id,
                    reason=Release(body.reason),
                    note=body.note,
                    meta=meta_for(caller, request),
                )
            )

    @router.get("/commitments/{commitment_id}", response_model=CommitmentOut, **guarded(READ))
    def get_commitment(commitment_id: UUID, caller: CurrentCaller) -> CommitmentOut:
        with domain_errors():
            return commitment_out(app.commitment(caller.organisation_id, commitment_id))

    return router
