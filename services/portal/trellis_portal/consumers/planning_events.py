"""When planning publishes a project change, update the portal's project view."""

from __future__ import annotations

from eventsourcing.persistence import Tracking

from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
from trellis_contracts.topics import PLANNING_EVENTS_V1
from trellis_platform.incoming import IncomingEvent
from trellis_platform.parsing import read_event
from trellis_portal.views.projects import ProjectsView


class PlanningEventsToProjectsView:
    name = "portal.projects"
    topics: tuple[str, ...] = (PLANNING_EVENTS_V1,)

    def __init__(self, view: ProjectsView) -> None:
        self._view = view

    def has_applied(self, position: Tracking) -> bool:
        return bool(self._view.has_tracking_id(position.application_name, position.notification_id))

    def apply(self, event: IncomingEvent) -> None:
        read = read_event(event)
        if read is None:
            self._view.skip(event.position)
            return
        envelope, payload = read
        if isinstance(payload, ProjectCreatedV1):
            self._view.project_created(envelope, payload, event.position)
        else:
            self._view.skip(event.position)

    def record_position(self, position: Tracking) -> None:
        self._view.skip(position)
