"""The routers of the plan: templates, settings, milestones, tasks, schedule, board,
timeline, minutes and progress."""

from __future__ import annotations

from fastapi import APIRouter

from trellis_planning.api.board import board_router
from trellis_planning.api.milestones import milestones_router
from trellis_planning.api.minutes import minutes_router
from trellis_planning.api.progress import progress_router
from trellis_planning.api.schedule import schedule_router
from trellis_planning.api.settings import settings_router
from trellis_planning.api.tasks import tasks_router
from trellis_planning.api.templates import templates_router
from trellis_planning.api.timeline import timeline_router
from trellis_planning.application.planning import PlanningApplication


def plan_routers(app: PlanningApplication) -> list[APIRouter]:
    # Templates first: POST /projects/from-template must not be read as a project id.
    return [
        templates_router(app),
        settings_router(app),
        milestones_router(app),
        tasks_router(app),
        schedule_router(app),
        board_router(app),
        timeline_router(app),
        minutes_router(app),
        progress_router(app),
    ]
