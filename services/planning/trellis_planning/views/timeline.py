"""The timeline (Gantt) a web client draws as it comes: one bar per task with its scheduled
dates, float and critical flag, the dependency arrows, milestone diamonds, and, when a
baseline is chosen, its dates as ghost bars behind the live ones.

Dates are inclusive working days: a bar runs from the start of ``starts_on`` to the end of
``finishes_on``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from trellis_planning.domain.baseline import Baseline
from trellis_planning.domain.plan import Plan
from trellis_planning.domain.scheduling import Schedule


@dataclass(frozen=True)
class Ghost:
    baseline_id: UUID
    starts_on: date
    finishes_on: date


@dataclass(frozen=True)
class Bar:
    task_id: UUID
    title: str
    parent_id: UUID | None
    milestone_id: UUID | None
    status: str
    status_category: str
    assignee_ids: tuple[UUID, ...]
    starts_on: date
    finishes_on: date
    late_starts_on: date
    late_finishes_on: date
    duration_days: int
    total_float_days: int
    free_float_days: int
    critical: bool
    due_on: date | None
    ghost: Ghost | None


@dataclass(frozen=True)
class Arrow:
    predecessor_id: UUID
    successor_id: UUID
    type: str
    lag_days: int
    critical: bool


@dataclass(frozen=True)
class Diamond:
    milestone_id: UUID
    name: str
    starts_on: date
    due_on: date
    forecast_on: date | None
    completed_on: date | None
    late: bool
    baseline_due_on: date | None


@dataclass(frozen=True)
class Timeline:
    project_id: UUID
    starts_on: date
    ends_on: date
    forecast_finish: date
    critical_path: tuple[UUID, ...]
    bars: tuple[Bar, ...]
    arrows: tuple[Arrow, ...]
    milestones: tuple[Diamond, ...]
    baseline_id: UUID | None


def build_timeline(plan: Plan, computed: Schedule, baseline: Baseline | None = None) -> Timeline:
    ghosts = (
        {}
        if baseline is None
        else {str(t["task_id"]): Ghost(baseline.id, t["starts_on"], t["finishes_on"]) for t in baseline.tasks}
    )
    baseline_dues = {} if baseline is None else {m["milestone_id"]: m["due_on"] for m in baseline.milestones}
    bars = []
    for task in plan.ordered_tasks():
        entry = computed.entries[str(task.id)]
        bars.append(
            Bar(
                task_id=task.id,
                title=task.title,
                parent_id=task.parent_id,
                milestone_id=task.milestone_id,
                status=task.status,
                status_category=task.status_category,
                assignee_ids=tuple(task.assignee_ids),
                starts_on=entry.early_start,
                finishes_on=entry.early_finish,
                late_starts_on=entry.late_start,
                late_finishes_on=entry.late_finish,
                duration_days=task.duration_days,
                total_float_days=entry.total_float,
                free_float_days=entry.free_float,
                critical=entry.critical,
                due_on=task.due_on,
                ghost=ghosts.get(str(task.id)),
            )
        )
    arrows = tuple(
        Arrow(
            d["predecessor_id"],
            d["successor_id"],
            d["type"],
            d["lag_days"],
            str(d["predecessor_id"]) in computed.critical and str(d["successor_id"]) in computed.critical,
        )
        for d in plan.project.dependencies
    )
    diamonds = []
    for milestone_id in plan.project.milestone_ids:
        milestone = plan.milestones[milestone_id]
        forecast = plan.milestone_forecast(milestone, computed)
        diamonds.append(
            Diamond(
                milestone_id=milestone.id,
                name=milestone.name,
                starts_on=milestone.starts_on,
                due_on=milestone.due_on,
                forecast_on=forecast,
                completed_on=milestone.completed_on,
                late=forecast is not None and forecast > milestone.due_on,
                baseline_due_on=baseline_dues.get(milestone.id),
            )
        )
    return Timeline(
        project_id=plan.project.id,
        starts_on=plan.project.starts_on,
        ends_on=plan.project.ends_on,
        forecast_finish=computed.project_finish,
        critical_path=tuple(UUID(i) for i in computed.critical_path),
        bars=tuple(bars),
        arrows=arrows,
        milestones=tuple(diamonds),
        baseline_id=None if baseline is None else baseline.id,
    )
