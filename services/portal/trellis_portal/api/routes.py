"""All of the portal's routes, one router per area."""

from __future__ import annotations

from fastapi import APIRouter

from trellis_portal.api.access import access_router
from trellis_portal.api.approvals import approvals_router
from trellis_portal.api.audit import audit_router
from trellis_portal.api.client_views import client_views_router
from trellis_portal.api.common import PortalContext
from trellis_portal.api.downloads import downloads_router
from trellis_portal.api.projects import projects_router
from trellis_portal.api.surveys import surveys_router
from trellis_portal.api.threads import threads_router


def portal_routers(context: PortalContext) -> list[APIRouter]:
    return [
        projects_router(context.projects), access_router(context), client_views_router(context),
        downloads_router(context), approvals_router(context), threads_router(context),
        surveys_router(context), audit_router(context),
    ]
