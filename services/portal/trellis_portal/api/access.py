"""Staff decide which client users see a project and what of it they see."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.problems import Problem
from trellis_portal.api.access_schemas import AccessResponse, Grantee, VisibilityBody
from trellis_portal.api.common import (
    ACCESS_WRITE,
    PREFIX,
    PROBLEM_RESPONSES,
    STAFF_READ,
    PortalContext,
    answering_problems,
    meta,
    seen,
)
from trellis_portal.application.refs import ClientUserRef
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.snapshot import ProjectSnapshot


def access_router(context: PortalContext) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["portal access"], responses=PROBLEM_RESPONSES)

    def answer(caller: CurrentCaller, project_id: UUID) -> AccessResponse:
        now = seen(context, caller, project_id)
        return _access(context, now.snapshot, caller.organisation_id)

    @router.get("/projects/{project_id}/access", response_model=AccessResponse, **guarded(STAFF_READ))
    def get_access(project_id: UUID, caller: CurrentCaller) -> AccessResponse:
        return answer(caller, project_id)

    @router.put("/projects/{project_id}/access/{client_user_id}", response_model=AccessResponse,
                **guarded(ACCESS_WRITE))
    def grant(project_id: UUID, client_user_id: UUID, caller: CurrentCaller,
              request: Request) -> AccessResponse:
        """Idempotent: granting again changes nothing. The user must belong to the project's client."""
        now = seen(context, caller, project_id)
        member_of = context.views.member_of(caller.organisation_id, client_user_id, now.as_of)
        if not member_of:
            raise Problem(404, "Not found", f"No client user {client_user_id} in this organisation.")
        user = ClientUserRef(organisation_id=caller.organisation_id, user_id=client_user_id,
                             client_id=next(iter(member_of)))
        with answering_problems():
            context.application.grant_access(now.ref, user, meta(caller, request))
        context.catch_up()
        return answer(caller, project_id)

    @router.delete("/projects/{project_id}/access/{client_user_id}", status_code=status.HTTP_204_NO_CONTENT,
                   **guarded(ACCESS_WRITE))
    def revoke(project_id: UUID, client_user_id: UUID, caller: CurrentCaller, request: Request) -> Response:
        now = seen(context, caller, project_id)
        with answering_problems():
            context.application.revoke_access(now.ref, client_user_id, meta(caller, request))
        context.catch_up()
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    @router.put("/projects/{project_id}/visibility", response_model=AccessResponse, **guarded(ACCESS_WRITE))
    def set_visibility(project_id: UUID, body: VisibilityBody, caller: CurrentCaller,
                       request: Request) -> AccessResponse:
        now = seen(context, caller, project_id)
        with answering_problems():
            context.application.set_visibility(now.ref, body.visibility(), meta(caller, request))
        context.catch_up()
        return answer(caller, project_id)

    return router


def _access(context: PortalContext, snapshot: ProjectSnapshot, organisation_id: UUID) -> AccessResponse:
    client_id = snapshot.client_id
    assert client_id is not None
    members = {f.key: f.body for f in context.views.members(organisation_id, client_id, snapshot.as_of)}
    grants = []
    for key in sorted(snapshot.all(kinds.GRANT)):
        member = members.get(key)
        known = member or {}
        grants.append(Grantee(user_id=UUID(key), name=known.get("name"), email=known.get("email"),
                              role=known.get("role"), active=member is not None))
    return AccessResponse(project_id=snapshot.project_id, client_id=client_id,
                          visibility=VisibilityBody.of(snapshot.visibility), grants=grants)
