"""Change order routes. Finance (or an owner or admin) approves or rejects for the firm;
the client's decision arrives from the portal, which calls the same routes with its
service key (permission ``budget.change_orders:approve``) naming the client user."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_budget.api.budgets import lines_in, lines_out
from trellis_budget.api.common import PREFIX, PROBLEM_RESPONSES, domain_errors, meta_for
from trellis_budget.api.schemas import ChangeOrderIn, ChangeOrderOut, DecisionIn, RejectIn, SendIn
from trellis_budget.application.budget_app import BudgetApplication
from trellis_budget.domain.change_order import Authority, ChangeOrder
from trellis_platform.auth.access import MONEY, READERS, access
from trellis_platform.auth.caller import Caller, StaffRole
from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.problems import Problem

WRITE = access(staff=MONEY, permission="budget.change_orders:write")
READ = access(staff=READERS, permission="budget.change_orders:read")
APPROVERS = frozenset({StaffRole.OWNER, StaffRole.ADMIN, StaffRole.FINANCE})
DECIDE = access(staff=APPROVERS, permission="budget.change_orders:approve")


def order_out(o: ChangeOrder) -> ChangeOrderOut:
    return ChangeOrderOut(
        id=o.id,
        project_id=o.project_id,
        title=o.title,
        scope=o.scope,
        currency=o.currency,
        cost_impact=lines_out(o.cost_impact),
        schedule_impact_days=o.schedule_impact_days,
        milestone_id=o.milestone_id,
        status=o.status,
        sent_to=o.sent_to,
        decided_by=o.decided_by,
        version=o.version,
    )


def decided_by(caller: Caller, body: DecisionIn) -> tuple[str, Authority]:
    if caller.is_staff:
        return caller.actor(), Authority.STAFF
    if not body.on_behalf_of:
        raise Problem(422, "Invalid request", "body.on_behalf_of: name the client user who decided.")
    return f"client:{body.on_behalf_of}", Authority.CLIENT


def change_orders_router(app: BudgetApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["budget"], responses=PROBLEM_RESPONSES)

    @router.post(
        "/projects/{project_id}/change-orders",
        status_code=status.HTTP_201_CREATED,
        response_model=ChangeOrderOut,
        **guarded(WRITE),
    )
    def propose(
        project_id: UUID, body: ChangeOrderIn, caller: CurrentCaller, request: Request, response: Response
    ) -> ChangeOrderOut:
        with domain_errors():
            order = app.propose_change_order(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                title=body.title,
                scope=body.scope,
                cost_impact=lines_in(body.cost_impact),
                schedule_impact_days=body.schedule_impact_days,
                milestone_id=body.milestone_id,
                meta=meta_for(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/change-orders/{order.id}"
        return order_out(order)

    @router.post("/change-orders/{change_order_id}/send", response_model=ChangeOrderOut, **guarded(WRITE))
    def send(change_order_id: UUID, body: SendIn, caller: CurrentCaller, request: Request) -> ChangeOrderOut:
        with domain_errors():
            return order_out(
                app.send_change_order(
                    organisation_id=caller.organisation_id,
                    change_order_id=change_order_id,
                    sent_to=body.sent_to,
                    meta=meta_for(caller, request),
                )
            )

    @router.post("/change-orders/{change_order_id}/approve", response_model=ChangeOrderOut, **guarded(DECIDE))
    def approve(
        change_order_id: UUID, body: DecisionIn, caller: CurrentCaller, request: Request
    ) -> ChangeOrderOut:
        who, authority = decided_by(caller, body)
        with domain_errors():
            return order_out(
                app.approve_change_order(
                    organisation_id=caller.organisation_id,
                    change_order_id=change_order_id,
                    approved_by=who,
                    authority=authority,
                    note=body.note,
                    meta=meta_for(caller, request),
                )
            )

    @router.post("/change-orders/{change_order_id}/reject", response_model=ChangeOrderOut, **guarded(DECIDE))
    def reject(
        change_order_id: UUID, body: RejectIn, caller: CurrentCaller, request: Request
    ) -> ChangeOrderOut:
        who, authority = decided_by(caller, body)
        with domain_errors():
            return order_out(
                app.reject_change_order(
                    organisation_id=caller.organisation_id,
                    change_order_id=change_order_id,
                    rejected_by=who,
                    authority=authority,
                    reason=body.reason,
                    meta=meta_for(caller, request),
                )
            )

    @router.get("/change-orders/{change_order_id}", response_model=ChangeOrderOut, **guarded(READ))
    def get_change_order(change_order_id: UUID, caller: CurrentCaller) -> ChangeOrderOut:
        with domain_errors():
            return order_out(app.change_order(caller.organisation_id, change_order_id))

    return router
