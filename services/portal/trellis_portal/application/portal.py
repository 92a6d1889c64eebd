"""The portal's eventsourcing Application: one event store and notification log for the
context, its use cases grouped by area in the modules it is composed of."""

from __future__ import annotations

from trellis_platform.projection import ProjectsDirectly
from trellis_portal.application.access import AccessUseCases
from trellis_portal.application.approvals import ApprovalUseCases
from trellis_portal.application.surveys import SurveyUseCases
from trellis_portal.application.threads import ThreadUseCases


class PortalApplication(AccessUseCases, ApprovalUseCases, ThreadUseCases, SurveyUseCases, ProjectsDirectly):
    name = "portal"
