"""All of planning's routes, one router per area."""

from __future__ import annotations

from fastapi import APIRouter

from trellis_planning.api.plan_routes import plan_routers
from trellis_planning.api.projects import projects_router
from trellis_planning.api.records import RecordsAdapters, records_routers
from trellis_planning.application.planning import PlanningApplication


def planning_routers(app: PlanningApplication, records: RecordsAdapters) -> list[APIRouter]:
    return [projects_router(app), *plan_routers(app), *records_routers(app, records)]
