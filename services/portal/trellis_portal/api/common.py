"""What every portal route shares: its prefix, its policies, who is looking, and how a
domain error becomes a problem."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from fastapi import Request

from trellis_platform.auth.access import MANAGERS, PLANNERS, READERS, access
from trellis_platform.auth.caller import Caller, ClientRole
from trellis_platform.command_meta import command_meta
from trellis_platform.problems import Problem
from trellis_portal.application.portal import PortalApplication
from trellis_portal.application.refs import ProjectRef
from trellis_portal.content.document_content import DocumentContent
from trellis_portal.domain.errors import Conflict, NotFound, PortalRuleBroken
from trellis_portal.views.client.reader import ClientViews
from trellis_portal.views.client.snapshot import ProjectSnapshot, Viewer
from trellis_portal.views.projects import ProjectsView

PREFIX = "/api/portal"

PROBLEM_RESPONSES: dict[int | str, dict[str, str]] = {
    400: {"description": "Malformed request"},
    404: {"description": "No such project (or thing in it) for this caller"},
    409: {"description": "Already decided, already answered, or changed at the same moment"},
    413: {"description": "Request body too large"},
    422: {"description": "The request breaks a rule; the problem body says which"},
}

# Staff and API keys read their organisation's projects; a client user (viewer or
# approver) reads what is granted to them.
CLIENT_READ = access(staff=READERS, client=ClientRole.VIEWER, permission="portal.projects:read")
CLIENT_ONLY = access(client=ClientRole.VIEWER)
APPROVERS = access(client=ClientRole.APPROVER)
CONVERSING = access(staff=PLANNERS, client=ClientRole.VIEWER)
STAFF_READ = access(staff=READERS, permission="portal.projects:read")
ACCESS_WRITE = access(staff=MANAGERS, permission="portal.access:write")
REQUESTERS = access(staff=MANAGERS, permission="portal.approvals:write")


@dataclass(frozen=True)
class PortalContext:
    """What the routes work with; ``catch_up`` brings the views up to the event store."""

    application: PortalApplication
    views: ClientViews
    projects: ProjectsView
    catch_up: Callable[[], int]
    documents: DocumentContent | None


def meta(caller: Caller, request: Request) -> dict[str, str]:
    return command_meta(actor=caller.actor(), request_id=request.headers.get("x-request-id"))


def user_id(caller: Caller) -> UUID | None:
    """A client user's id (their token's subject); None if the subject is no user id."""
    try:
        return UUID(caller.subject)
    except ValueError:
        return None


def viewer(context: PortalContext, caller: Caller, as_of: datetime) -> Viewer:
    if caller.is_client:
        return context.views.client(caller.organisation_id, user_id(caller), caller.client_id, as_of)
    return context.views.staff(caller.organisation_id)


def not_found(project_id: UUID, what: str = "project") -> Problem:
    return Problem(404, "Not found", f"No {what} {project_id} here." if what == "project"
                   else f"No {what} on project {project_id}.")


@dataclass(frozen=True)
class Seen:
    """A project as the caller may see it now, with the moment and the viewer."""

    snapshot: ProjectSnapshot
    viewer: Viewer
    as_of: datetime

    @property
    def ref(self) -> ProjectRef:
        client_id = self.snapshot.client_id
        assert client_id is not None
        return ProjectRef(organisation_id=self.viewer.organisation_id, project_id=self.snapshot.project_id,
                          client_id=client_id)


def seen(context: PortalContext, caller: Caller, project_id: UUID) -> Seen:
    """The object-level wall: another organisation's project, or one not granted to this
    client user, answers 404 like one that does not exist."""
    as_of = context.views.moment()
    looking = viewer(context, caller, as_of)
    snapshot = context.views.snapshot(looking, project_id, as_of)
    if snapshot is None:
        raise not_found(project_id)
    return Seen(snapshot=snapshot, viewer=looking, as_of=as_of)


@contextmanager
def answering_problems() -> Iterator[None]:
    try:
        yield
    except PortalRuleBroken as broken:
        raise Problem(422, "Rule broken", str(broken)) from None
    except Conflict as conflict:
        raise Problem(409, "Conflict", str(conflict)) from None
    except NotFound as missing:
        raise Problem(404, "Not found", str(missing)) from None
