"""The portal's composition root: the one place its parts are put together."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from trellis_platform.database import datastore, ensure_schema
from trellis_platform.incoming import EventConsumer
from trellis_portal.api.routes import portal_router
from trellis_portal.consumers.planning_events import PlanningEventsToProjectsView
from trellis_portal.views.projects import ProjectsView

SCHEMA = "portal"


@dataclass
class Portal:
    database_url: str
    projects: ProjectsView

    def routers(self) -> list[APIRouter]:
        return [portal_router(self.projects)]

    def consumers(self) -> list[EventConsumer]:
        return [PlanningEventsToProjectsView(self.projects)]

    def close(self) -> None:
        self.projects.datastore.close()


def build_portal(database_url: str, *, pool_size: int = 10) -> Portal:
    ensure_schema(database_url, SCHEMA)
    projects = ProjectsView(datastore(database_url, SCHEMA, pool_size=pool_size),
                            tracking_table_name="projects_tracking")
    projects.create_table()
    return Portal(database_url=database_url, projects=projects)
