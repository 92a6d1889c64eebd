"""Approvals: the firm asks for one, a client approver decides with a comment."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.problems import Problem
from trellis_portal.api.approval_schemas import DecisionBody, RequestApprovalBody
from trellis_portal.api.common import (
    APPROVERS,
    PREFIX,
    PROBLEM_RESPONSES,
    REQUESTERS,
    PortalContext,
    Seen,
    answering_problems,
    meta,
    not_found,
    seen,
    user_id,
)
from trellis_portal.application.refs import ChangeOrderRef, ClientUserRef
from trellis_portal.domain.approval import DeliverableKind
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.approvals import approvals
from trellis_portal.views.client.shapes import ApprovalItem


def approvals_router(context: PortalContext) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["portal approvals"], responses=PROBLEM_RESPONSES)

    @router.post("/projects/{project_id}/approvals", status_code=status.HTTP_201_CREATED,
                 response_model=ApprovalItem, **guarded(REQUESTERS))
    def request_approval(project_id: UUID, body: RequestApprovalBody, caller: CurrentCaller, request: Request,
                         response: Response) -> ApprovalItem:
        """Asks the project's client to approve a milestone, a document version, or something named."""
        now = seen(context, caller, project_id)
        _check_deliverable(now, body)
        with answering_problems():
            approval = context.application.request_approval(
                now.ref, kind=DeliverableKind(body.deliverable_kind), deliverable_id=body.deliverable_id,
                document_version=body.document_version, title=body.title, description=body.description,
                requested_by=caller.actor(), meta=meta(caller, request))
        context.catch_up()
        response.headers["Location"] = f"{PREFIX}/projects/{project_id}/approvals"
        return _item(context, caller, project_id, approval.id)

    for verdict in ("approve", "reject"):
        _add_decision(router, context, verdict)
    return router


def _add_decision(router: APIRouter, context: PortalContext, verdict: str) -> None:
    def decide(project_id: UUID, approval_id: UUID, body: DecisionBody, caller: CurrentCaller,
               request: Request) -> ApprovalItem:
        now = seen(context, caller, project_id)
        client_user = user_id(caller)
        assert client_user is not None, "seen() admits only client users with a user id"
        user = ClientUserRef(organisation_id=caller.organisation_id, user_id=client_user,
                             client_id=now.ref.client_id)
        with answering_problems():
            context.application.decide(
                now.ref, approval_id, user=user, approve=verdict == "approve", comment=body.comment,
                decided_by=caller.actor(), change_order=_change_order(now, approval_id),
                meta=meta(caller, request))
        context.catch_up()
        return _item(context, caller, project_id, approval_id)

    decide.__name__ = f"{verdict}_approval"
    decide.__doc__ = (f"A client approver {verdict}s a deliverable or a change order, once "
                      "(a rejection says why in its comment).")
    router.add_api_route(f"/projects/{{project_id}}/approvals/{{approval_id}}/{verdict}", decide,
                         methods=["POST"], response_model=ApprovalItem, **guarded(APPROVERS))


def _check_deliverable(now: Seen, body: RequestApprovalBody) -> None:
    """A milestone or document version is one of this project's, as the portal knows it."""
    milestone = now.snapshot.one(kinds.MILESTONE, str(body.deliverable_id))
    if body.deliverable_kind == "milestone" and milestone is None:
        raise Problem(422, "Rule broken", f"Project has no milestone {body.deliverable_id}.")
    if body.deliverable_kind == "document" and now.snapshot.one(
            kinds.DOCUMENT_VERSION, f"{body.deliverable_id}/{body.document_version}") is None:
        raise Problem(422, "Rule broken",
                      f"Project has no version {body.document_version} of document {body.deliverable_id}.")


def _change_order(now: Seen, approval_id: UUID) -> ChangeOrderRef | None:
    found = now.snapshot.one(kinds.CHANGE_ORDER, str(approval_id))
    if found is None:
        return None
    return ChangeOrderRef(change_order_id=UUID(found["change_order_id"]), title=found.get("title", ""),
                          status=found.get("status", ""))


def _item(context: PortalContext, caller: CurrentCaller, project_id: UUID, approval_id: UUID) -> ApprovalItem:
    pending, decided = approvals(seen(context, caller, project_id).snapshot)
    for item in (*pending, *decided):
        if item.id == approval_id:
            return item
    raise not_found(project_id, f"approval {approval_id}")
