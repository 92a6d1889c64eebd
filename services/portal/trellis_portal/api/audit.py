"""What a client saw: any client user's portal view at any past moment, for auditors.

Read from the same facts and with the same functions as the live routes, as of the
moment asked: each part equals, byte for byte, what the live route answered then.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from trellis_platform.auth.access import ADMINS, access
from trellis_platform.auth.caller import StaffRole
from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.problems import Problem
from trellis_portal.api.common import PREFIX, PROBLEM_RESPONSES, PortalContext, not_found
from trellis_portal.views.client.shapes import ClientProjectsView, ProjectClientView

AUDITORS = access(staff=ADMINS | {StaffRole.AUDITOR})

User = Annotated[UUID, Query(description="The client user whose view to reconstruct")]
AsOf = Annotated[AwareDatetime, Query(description="The past moment, with its UTC offset")]


def audit_router(context: PortalContext) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["portal audit"], responses=PROBLEM_RESPONSES)

    @router.get("/client-view", response_model=ClientProjectsView, **guarded(AUDITORS))
    def client_projects_view(caller: CurrentCaller, user: User, as_of: AsOf) -> ClientProjectsView:
        """The projects list the client user was shown at ``as_of``."""
        moment = _past(as_of)
        looking = context.views.reconstructed_client(caller.organisation_id, user, moment)
        return context.views.projects_view(looking, moment)

    @router.get("/projects/{project_id}/client-view", response_model=ProjectClientView, **guarded(AUDITORS))
    def project_client_view(project_id: UUID, caller: CurrentCaller, user: User,
                            as_of: AsOf) -> ProjectClientView:
        """Every project route's answer the client user got at ``as_of``; null where it was a 404.
        A project this organisation does not have is a 404 itself."""
        moment = _past(as_of)
        if context.views.snapshot(context.views.staff(caller.organisation_id), project_id,
                                  context.views.moment()) is None:
            raise not_found(project_id)
        looking = context.views.reconstructed_client(caller.organisation_id, user, moment)
        return context.views.project_view(looking, project_id, moment)

    return router


def _past(as_of: datetime) -> datetime:
    """Only the past is settled: a moment still to come may yet receive changes."""
    if as_of > datetime.now(UTC):
        raise Problem(422, "Invalid request", "as_of is in the future; only past views can be reconstructed.")
    return as_of
