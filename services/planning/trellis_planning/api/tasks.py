"""Task routes: add tasks to a plan, change them, move them through the workflow, in bulk.

Managers (and API keys with ``planning.tasks:write``) change any task; members change
the tasks assigned to them (details, dates, status), not who does them or where they sit.
Every change answers with the other tasks whose scheduled dates it moved.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_planning.api.callers import READ_PLAN, WORK_ON_TASKS, WRITE_TASKS, meta_of, only_for
from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.plan_problems import plan_problems
from trellis_planning.api.plan_schemas import moves_of
from trellis_planning.api.task_schemas import (
    BulkChangeRequest,
    BulkChangeResponse,
    ChangeStatusRequest,
    CreateTaskRequest,
    TaskChangeResponse,
    TaskList,
    TaskResponse,
    UpdateTaskRequest,
)
from trellis_planning.api.task_views import task_response
from trellis_planning.application.plan_upkeep import Settled
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.task import Task
from trellis_platform.auth.guards import CurrentCaller, guarded


def tasks_router(app: PlanningApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["tasks"], responses=PROBLEM_RESPONSES)

    def changed(task: Task, settled: Settled) -> TaskChangeResponse:
        plan = settled.plan
        return TaskChangeResponse(
            task=task_response(task, plan.project, plan.settings),
            moved=moves_of(settled.moves, plan.titles()),
        )

    @router.post(
        "/projects/{project_id}/tasks",
        status_code=status.HTTP_201_CREATED,
        response_model=TaskChangeResponse,
        **guarded(WRITE_TASKS),
    )
    def create_task(
        project_id: UUID, body: CreateTaskRequest, caller: CurrentCaller, request: Request, response: Response
    ) -> TaskChangeResponse:
        """Adds a task; custom field values are checked against the organisation's fields, the
        title against its naming rule, dates against the project's."""
        with plan_problems():
            task, settled = app.create_task(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                title=body.title,
                status=body.status,
                details=body.details(),
                meta=meta_of(caller, request),
            )
            response.headers["Location"] = f"{PREFIX}/tasks/{task.id}"
            return changed(task, settled)

    @router.get("/projects/{project_id}/tasks", response_model=TaskList, **guarded(READ_PLAN))
    def list_tasks(project_id: UUID, caller: CurrentCaller) -> TaskList:
        with plan_problems():
            plan, tasks = app.list_tasks(caller.organisation_id, project_id)
            return TaskList(items=[task_response(t, plan.project, plan.settings) for t in tasks])

    @router.get("/tasks/{task_id}", response_model=TaskResponse, **guarded(READ_PLAN))
    def get_task(task_id: UUID, caller: CurrentCaller) -> TaskResponse:
        with plan_problems():
            task = app.get_task(caller.organisation_id, task_id)
            project = app.project_in(caller.organisation_id, task.project_id)
            return task_response(task, project, app.plan_settings(caller.organisation_id))

    @router.patch("/tasks/{task_id}", response_model=TaskChangeResponse, **guarded(WORK_ON_TASKS))
    def update_task(
        task_id: UUID, body: UpdateTaskRequest, caller: CurrentCaller, request: Request
    ) -> TaskChangeResponse:
        """Changes only the fields given. Moving dates or duration answers with the tasks it moved."""
        with plan_problems():
            task, settled = app.update_task(
                organisation_id=caller.organisation_id,
                task_id=task_id,
                changes=body.changes(),
                meta=meta_of(caller, request),
                only_for_user=only_for(caller),
            )
            return changed(task, settled)

    @router.post("/tasks/{task_id}/status", response_model=TaskChangeResponse, **guarded(WORK_ON_TASKS))
    def change_status(
        task_id: UUID, body: ChangeStatusRequest, caller: CurrentCaller, request: Request
    ) -> TaskChangeResponse:
        """Moves the task to a status its workflow allows from where it is (422 names the rule)."""
        with plan_problems():
            task, settled = app.change_status(
                organisation_id=caller.organisation_id,
                task_id=task_id,
                status=body.status,
                meta=meta_of(caller, request),
                only_for_user=only_for(caller),
            )
            return changed(task, settled)

    @router.post(
        "/projects/{project_id}/tasks/bulk", response_model=BulkChangeResponse, **guarded(WRITE_TASKS)
    )
    def bulk_change(
        project_id: UUID, body: BulkChangeRequest, caller: CurrentCaller, request: Request
    ) -> BulkChangeResponse:
        """Reassigns, moves, reschedules (or sets status or priority of) many tasks in one
        all-or-nothing command."""
        with plan_problems():
            tasks, settled = app.change_tasks(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                task_ids=body.task_ids,
                changes=body.changes(),
                meta=meta_of(caller, request),
            )
            plan = settled.plan
            return BulkChangeResponse(
                tasks=[task_response(t, plan.project, plan.settings) for t in tasks],
                moved=moves_of(settled.moves, plan.titles()),
            )

    return router
