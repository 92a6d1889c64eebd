"""All of planning's routes, one router per area."""

from __future__ import annotations

from fastapi import APIRouter

from trellis_planning.api.projects import projects_router
from trellis_planning.application.planning import PlanningApplication


def planning_routers(app: PlanningApplication) -> list[APIRouter]:
    return [projects_router(app)]
