"""Budget routes: set a project's budget, revise it, read it with its history."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_budget.api.common import PREFIX, PROBLEM_RESPONSES, domain_errors, meta_for
from trellis_budget.api.schemas import (
    BudgetOut,
    LineIn,
    LineOut,
    ReviseBudgetRequest,
    RevisionOut,
    SetBudgetRequest,
)
from trellis_budget.application.budget_app import BudgetApplication
from trellis_budget.domain.budget import Budget, BudgetLine, Revision
from trellis_platform.auth.access import MONEY, READERS, access
from trellis_platform.auth.guards import CurrentCaller, guarded

WRITE = access(staff=MONEY, permission="budget.budgets:write")
READ = access(staff=READERS, permission="budget.budgets:read")


def lines_in(lines: list[LineIn]) -> list[BudgetLine]:
    return [BudgetLine(line.category, line.amount, line.milestone_id, line.description) for line in lines]


def lines_out(lines: tuple[BudgetLine, ...] | list[BudgetLine]) -> list[LineOut]:
    return [
        LineOut(
            category=line.category,
            amount=line.amount,
            milestone_id=line.milestone_id,
            description=line.description,
        )
        for line in lines
    ]


def _revision(revision: Revision) -> RevisionOut:
    return RevisionOut(
        revision=revision.number,
        lines=lines_out(revision.lines),
        total=revision.total,
        reason=revision.reason,
        change_order_id=revision.change_order_id,
        recorded_at=revision.recorded_at,
    )


def budget_out(budget: Budget) -> BudgetOut:
    return BudgetOut(
        project_id=budget.project_id,
        currency=budget.currency,
        current=_revision(budget.current),
        original=_revision(budget.original),
        revisions=[_revision(r) for r in budget.revisions],
        version=budget.version,
    )


def budgets_router(app: BudgetApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["budget"], responses=PROBLEM_RESPONSES)

    @router.post(
        "/projects/{project_id}/budget",
        status_code=status.HTTP_201_CREATED,
        response_model=BudgetOut,
        **guarded(WRITE),
    )
    def set_budget(
        project_id: UUID, body: SetBudgetRequest, caller: CurrentCaller, request: Request, response: Response
    ) -> BudgetOut:
        with domain_errors():
            budget = app.set_budget(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                currency=body.currency,
                lines=lines_in(body.lines),
                meta=meta_for(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/projects/{project_id}/budget"
        return budget_out(budget)

    @router.post("/projects/{project_id}/budget/revisions", response_model=BudgetOut, **guarded(WRITE))
    def revise_budget(
        project_id: UUID, body: ReviseBudgetRequest, caller: CurrentCaller, request: Request
    ) -> BudgetOut:
        with domain_errors():
            return budget_out(
                app.revise_budget(
                    organisation_id=caller.organisation_id,
                    project_id=project_id,
                    lines=lines_in(body.lines),
                    reason=body.reason,
                    meta=meta_for(caller, request),
                )
            )

    @router.get("/projects/{project_id}/budget", response_model=BudgetOut, **guarded(READ))
    def get_budget(project_id: UUID, caller: CurrentCaller) -> BudgetOut:
        with domain_errors():
            return budget_out(app.budget(caller.organisation_id, project_id))

    return router
