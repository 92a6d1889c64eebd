"""Laying a template out on the calendar from a project's first day, and reading a project
back into a template.

An offset of n is the n-th working day after the project's first working day (0: that
first day). A milestone spans the scheduled work of its tasks; one without tasks sits at
its own offset for its own duration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from trellis_planning.domain.plan import Plan
from trellis_planning.domain.scheduling import (
    Activity,
    Dependency,
    DependencyType,
    Schedule,
    WorkingCalendar,
    schedule,
)
from trellis_planning.domain.template import DependencySpec, MilestoneSpec, TaskSpec, TemplateDefinition


@dataclass(frozen=True)
class Layout:
    task_starts: dict[str, date | None]
    """The start-no-earlier-than date of each task with an offset (None: placed by dependencies)."""
    milestone_dates: dict[str, tuple[date, date]]
    schedule: Schedule
    finish: date
    """The last day of work or of a milestone: the shortest end date the project can have."""


def day_at_offset(calendar: WorkingCalendar, project_start: date, offset: int) -> date:
    return calendar.add_working_days(calendar.next_working_day(project_start), offset)


def offset_of(calendar: WorkingCalendar, project_start: date, day: date) -> int:
    first = calendar.next_working_day(project_start)
    return max(0, calendar.working_days_between(first, calendar.next_working_day(day)))


def lay_out(definition: TemplateDefinition, calendar: WorkingCalendar, project_start: date) -> Layout:
    starts = {
        t.key: None if t.offset_days is None else day_at_offset(calendar, project_start, t.offset_days)
        for t in definition.tasks
    }
    computed = schedule(
        [Activity(t.key, t.duration_days, start_no_earlier_than=starts[t.key]) for t in definition.tasks],
        [
            Dependency(d.predecessor, d.successor, DependencyType(d.type), d.lag_days)
            for d in definition.dependencies
        ],
        calendar,
        project_start,
    )
    milestones: dict[str, tuple[date, date]] = {}
    for spec in definition.milestones:
        entries = [computed.entries[t.key] for t in definition.tasks if t.milestone == spec.key]
        if entries:
            milestones[spec.key] = (min(e.early_start for e in entries), max(e.early_finish for e in entries))
        else:
            first = day_at_offset(calendar, project_start, spec.offset_days)
            last = calendar.add_working_days(first, max(spec.duration_days - 1, 0))
            milestones[spec.key] = (first, last)
    finish = max([computed.project_finish, *(due for _, due in milestones.values())])
    return Layout(task_starts=starts, milestone_dates=milestones, schedule=computed, finish=finish)


def definition_from_plan(plan: Plan, *, name: str, industry: str, description: str) -> TemplateDefinition:
    """The plan's structure without its instance data (values, assignees, statuses)."""
    calendar = plan.calendar()
    start = plan.project.starts_on
    milestone_keys = {m: f"m{i + 1}" for i, m in enumerate(plan.project.milestone_ids)}
    task_keys = {t: f"t{i + 1}" for i, t in enumerate(plan.project.task_ids)}
    milestones = tuple(
        MilestoneSpec(
            key=milestone_keys[m.id],
            name=m.name,
            offset_days=offset_of(calendar, start, m.starts_on),
            duration_days=calendar.working_days_in(m.starts_on, m.due_on),
        )
        for m in (plan.milestones[i] for i in plan.project.milestone_ids)
    )
    tasks = tuple(
        TaskSpec(
            key=task_keys[t.id],
            title=t.title,
            milestone=milestone_keys.get(t.milestone_id) if t.milestone_id else None,
            parent=task_keys.get(t.parent_id) if t.parent_id else None,
            offset_days=None if t.starts_on is None else offset_of(calendar, start, t.starts_on),
            duration_days=t.duration_days,
            estimate_minutes=t.estimate_minutes,
            priority=t.priority,
            tags=tuple(t.tags),
        )
        for t in plan.ordered_tasks()
    )
    dependencies = tuple(
        DependencySpec(task_keys[d["predecessor_id"]], task_keys[d["successor_id"]], d["type"], d["lag_days"])
        for d in plan.project.dependencies
    )
    adopted = [plan.settings.fields()[f] for f in plan.project.field_ids if f in plan.settings.fields()]
    return TemplateDefinition(
        key="",
        name=name,
        industry=industry,
        description=description,
        workflow=plan.workflow,
        custom_fields=tuple(adopted),
        milestones=milestones,
        tasks=tasks,
        dependencies=dependencies,
    )
