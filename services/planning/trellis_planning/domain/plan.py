"""A project's plan in memory (the project, its tasks and milestones, the organisation's
settings) and what follows from it: the schedule, progress, health, milestone state.

Pure: the application loads the aggregates and saves what changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from trellis_planning.domain.milestone import Milestone
from trellis_planning.domain.plan_settings import PlanSettings
from trellis_planning.domain.progress import (
    HealthReport,
    MilestoneForecast,
    TaskEffort,
    health_of,
    percent_complete,
)
from trellis_planning.domain.project import Project
from trellis_planning.domain.scheduling import (
    Activity,
    Dependency,
    DependencyType,
    Schedule,
    WorkingCalendar,
    schedule,
)
from trellis_planning.domain.task import Task
from trellis_planning.domain.workflow import StatusCategory, Workflow


def working_calendar(
    settings: PlanSettings, resource_days_off: Mapping[str, frozenset[date]] | None = None
) -> WorkingCalendar:
    """The organisation's weekends and holidays, narrowed per resource by its days off."""
    return WorkingCalendar(
        weekend_days=frozenset(settings.weekend_days),
        holidays=frozenset(settings.holidays),
        resource_days_off=resource_days_off or {},
    )


@dataclass
class Plan:
    project: Project
    tasks: dict[UUID, Task]
    milestones: dict[UUID, Milestone]
    settings: PlanSettings
    resource_days_off: dict[str, frozenset[date]] = field(default_factory=dict)
    resources_read: set[UUID] = field(default_factory=set)
    """The assignees whose days off are in ``resource_days_off`` (when they have any)."""

    @property
    def workflow(self) -> Workflow:
        return self.settings.workflow(self.project.workflow_id)

    def calendar(self) -> WorkingCalendar:
        return working_calendar(self.settings, self.resource_days_off)

    def ordered_tasks(self) -> list[Task]:
        return [self.tasks[t] for t in self.project.task_ids if t in self.tasks]

    def assignees(self) -> set[UUID]:
        return {a for t in self.tasks.values() for a in t.assignee_ids}

    def titles(self) -> dict[UUID, str]:
        return {t.id: t.title for t in self.tasks.values()}

    def schedule(self) -> Schedule:
        """The critical path schedule over the organisation's calendar; a task's assignees
        work only on their own working days."""
        activities = [
            Activity(
                id=str(task.id),
                duration=task.duration_days,
                resources=tuple(str(a) for a in task.assignee_ids),
                start_no_earlier_than=task.starts_on,
                finish_no_later_than=task.due_on,
            )
            for task in self.ordered_tasks()
        ]
        dependencies = [
            Dependency(
                str(d["predecessor_id"]), str(d["successor_id"]), DependencyType(d["type"]), d["lag_days"]
            )
            for d in self.project.dependencies
        ]
        return schedule(
            activities, dependencies, self.calendar(), self.project.starts_on, self.project.ends_on
        )

    def scheduled_dates(self, computed: Schedule) -> dict[UUID, tuple[date, date]]:
        return {UUID(k): (e.early_start, e.early_finish) for k, e in computed.entries.items()}

    def parents(self) -> set[UUID]:
        return {t.parent_id for t in self.tasks.values() if t.parent_id is not None}

    def leaf_tasks(self) -> list[Task]:
        parents = self.parents()
        return [t for t in self.ordered_tasks() if t.id not in parents]

    def efforts(self, computed: Schedule, logged: Mapping[UUID, int]) -> list[TaskEffort]:
        efforts = []
        for task in self.leaf_tasks():
            entry = computed.entries[str(task.id)]
            efforts.append(
                TaskEffort(
                    task_id=task.id,
                    milestone_id=task.milestone_id,
                    estimate_minutes=task.estimate_minutes,
                    category=StatusCategory(task.status_category),
                    logged_minutes=logged.get(task.id, 0),
                    scheduled_start=entry.early_start,
                    scheduled_finish=entry.early_finish,
                    due_on=task.due_on,
                    title=task.title,
                )
            )
        return efforts

    def milestone_tasks(self, milestone_id: UUID) -> list[Task]:
        return [t for t in self.ordered_tasks() if t.milestone_id == milestone_id]

    def milestone_forecast(self, milestone: Milestone, computed: Schedule) -> date | None:
        finishes = [computed.entries[str(t.id)].early_finish for t in self.milestone_tasks(milestone.id)]
        return max(finishes) if finishes else None

    def milestone_percents(self, efforts: list[TaskEffort]) -> dict[str, Decimal]:
        return {
            str(m): percent_complete([e for e in efforts if e.milestone_id == m])
            for m in self.project.milestone_ids
        }

    def health(self, computed: Schedule, efforts: list[TaskEffort], as_of: date) -> HealthReport:
        forecasts = [
            MilestoneForecast(m.id, m.name, m.due_on, self.milestone_forecast(m, computed))
            for m in (self.milestones[i] for i in self.project.milestone_ids if i in self.milestones)
        ]
        return health_of(
            efforts,
            forecasts,
            as_of=as_of,
            forecast_finish=computed.project_finish,
            project_ends_on=self.project.ends_on,
            calendar=self.calendar(),
        )

    def milestone_state_changes(self) -> tuple[list[Milestone], list[Milestone]]:
        """Milestones to complete (every task done, at least one task) and to reopen."""
        to_complete: list[Milestone] = []
        to_reopen: list[Milestone] = []
        for milestone_id in self.project.milestone_ids:
            milestone = self.milestones.get(milestone_id)
            if milestone is None:
                continue
            tasks = self.milestone_tasks(milestone_id)
            all_done = bool(tasks) and all(t.is_done for t in tasks)
            if all_done and not milestone.is_completed:
                to_complete.append(milestone)
            elif tasks and not all_done and milestone.is_completed:
                to_reopen.append(milestone)
        return to_complete, to_reopen
