"""Dependency, schedule and baseline routes.

The schedule is the critical path method over the organisation's working calendar
(weekends, holidays) and each assignee's days off. A dependency cycle, a link to another
project's task, or one across organisations is refused (422, the cycle named). Every
change answers with the tasks it moved. Baselines compare with each other or with now,
naming for every slipped task the recorded changes (who, when, which command) behind it.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status

from trellis_planning.api.callers import READ_PLAN, WRITE_PLAN, meta_of
from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.plan_problems import plan_problems
from trellis_planning.api.plan_schemas import moves_of
from trellis_planning.api.schedule_schemas import (
    AddDependencyRequest,
    BaselineList,
    BaselineResponse,
    ComparisonResponse,
    DependencyList,
    DependencyResponse,
    DependencyType,
    SaveBaselineRequest,
    ScheduleChange,
    ScheduledTask,
    ScheduleResponse,
    SlipCause,
    SlippedTask,
)
from trellis_planning.application.baselines import BaselineComparison
from trellis_planning.application.plan_access import UnknownReference
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.baseline import Baseline
from trellis_platform.auth.guards import CurrentCaller, guarded


def baseline_response(baseline: Baseline) -> BaselineResponse:
    return BaselineResponse(
        id=baseline.id,
        project_id=baseline.project_id,
        name=baseline.name,
        taken_at=baseline.created_on,
        project_finish=baseline.project_finish,
        task_count=len(baseline.tasks),
    )


def comparison_response(found: BaselineComparison) -> ComparisonResponse:
    titles = found.plan.titles()
    slipped = [
        SlippedTask(
            task_id=UUID(v.activity_id),
            title=titles.get(UUID(v.activity_id), ""),
            baseline_start=v.reference.start,
            baseline_finish=v.reference.finish,
            current_start=v.current.start,
            current_finish=v.current.finish,
            start_variance_days=v.start_variance,
            finish_variance_days=v.finish_variance,
            changes=[SlipCause(**vars(c)) for c in found.causes.get(v.activity_id, [])],
        )
        for v in found.comparison.slipped
    ]
    return ComparisonResponse(
        reference_id=found.reference.id,
        against="now" if found.current is None else str(found.current.id),
        project_finish_variance_days=found.comparison.project_finish_variance,
        slipped=slipped,
        added=[UUID(a) for a in found.comparison.added],
        removed=[UUID(r) for r in found.comparison.removed],
    )


def schedule_router(app: PlanningApplication) -> APIRouter:
    router = APIRouter(
        prefix=f"{PREFIX}/projects/{{project_id}}", tags=["schedule"], responses=PROBLEM_RESPONSES
    )

    @router.post(
        "/dependencies",
        status_code=status.HTTP_201_CREATED,
        response_model=ScheduleChange,
        **guarded(WRITE_PLAN),
    )
    def add_dependency(
        project_id: UUID, body: AddDependencyRequest, caller: CurrentCaller, request: Request
    ) -> ScheduleChange:
        with plan_problems():
            settled = app.add_dependency(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                predecessor_id=body.predecessor_id,
                successor_id=body.successor_id,
                type_=body.type,
                lag_days=body.lag_days,
                meta=meta_of(caller, request),
            )
            return ScheduleChange(moved=moves_of(settled.moves, settled.plan.titles()))

    @router.get("/dependencies", response_model=DependencyList, **guarded(READ_PLAN))
    def list_dependencies(project_id: UUID, caller: CurrentCaller) -> DependencyList:
        with plan_problems():
            project = app.project_in(caller.organisation_id, project_id)
            return DependencyList(items=[DependencyResponse(**d) for d in project.dependencies])

    @router.delete("/dependencies", response_model=ScheduleChange, **guarded(WRITE_PLAN))
    def remove_dependency(
        project_id: UUID,
        caller: CurrentCaller,
        request: Request,
        predecessor_id: Annotated[UUID, Query()],
        successor_id: Annotated[UUID, Query()],
        type: Annotated[DependencyType, Query()] = "FS",
    ) -> ScheduleChange:
        with plan_problems():
            settled = app.remove_dependency(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                predecessor_id=predecessor_id,
                successor_id=successor_id,
                type_=type,
                meta=meta_of(caller, request),
            )
            return ScheduleChange(moved=moves_of(settled.moves, settled.plan.titles()))

    @router.get("/schedule", response_model=ScheduleResponse, **guarded(READ_PLAN))
    def get_schedule(project_id: UUID, caller: CurrentCaller) -> ScheduleResponse:
        with plan_problems():
            plan, computed = app.schedule_of(caller.organisation_id, project_id)
        titles = plan.titles()
        return ScheduleResponse(
            project_id=project_id,
            starts_on=plan.project.starts_on,
            ends_on=plan.project.ends_on,
            forecast_finish=computed.project_finish,
            critical_path=[UUID(i) for i in computed.critical_path],
            tasks=[
                ScheduledTask(
                    task_id=UUID(e.id),
                    title=titles[UUID(e.id)],
                    early_start=e.early_start,
                    early_finish=e.early_finish,
                    late_start=e.late_start,
                    late_finish=e.late_finish,
                    total_float_days=e.total_float,
                    free_float_days=e.free_float,
                    critical=e.critical,
                )
                for e in computed.entries.values()
            ],
        )

    @router.post("/schedule/recompute", response_model=ScheduleChange, **guarded(WRITE_PLAN))
    def recompute(project_id: UUID, caller: CurrentCaller, request: Request) -> ScheduleChange:
        """Records the schedule again, e.g. after the working calendar changed."""
        with plan_problems():
            settled = app.recompute_schedule(
                organisation_id=caller.organisation_id, project_id=project_id, meta=meta_of(caller, request)
            )
            return ScheduleChange(moved=moves_of(settled.moves, settled.plan.titles()))

    @router.post(
        "/baselines",
        status_code=status.HTTP_201_CREATED,
        response_model=BaselineResponse,
        **guarded(WRITE_PLAN),
    )
    def save_baseline(
        project_id: UUID,
        body: SaveBaselineRequest,
        caller: CurrentCaller,
        request: Request,
        response: Response,
    ) -> BaselineResponse:
        with plan_problems():
            baseline = app.save_baseline(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                name=body.name,
                meta=meta_of(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/projects/{project_id}/baselines/{baseline.id}"
        return baseline_response(baseline)

    @router.get("/baselines", response_model=BaselineList, **guarded(READ_PLAN))
    def list_baselines(project_id: UUID, caller: CurrentCaller) -> BaselineList:
        with plan_problems():
            return BaselineList(
                items=[baseline_response(b) for b in app.baselines_of(caller.organisation_id, project_id)]
            )

    @router.get(
        "/baselines/{baseline_id}/comparison", response_model=ComparisonResponse, **guarded(READ_PLAN)
    )
    def compare(
        project_id: UUID,
        baseline_id: UUID,
        caller: CurrentCaller,
        against: Annotated[str, Query(description="Another baseline's id (saved later), or 'now'")] = "now",
    ) -> ComparisonResponse:
        """Each task that finishes later than in the baseline, by how many working days, and the
        changes that moved it."""
        with plan_problems():
            current_id = None if against == "now" else _uuid(against)
            found = app.compare_baselines(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                reference_id=baseline_id,
                current_id=current_id,
            )
            return comparison_response(found)

    return router


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise UnknownReference(f"against is 'now' or a baseline id, not {value!r}.") from None
