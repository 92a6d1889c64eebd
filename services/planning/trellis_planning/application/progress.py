"""Progress use cases: where a project stands by effort, and its health, with the rules.

Progress is recorded (and published) whenever a command changes it; ``refresh_progress``
records it again as of today, for health that changed with the passing of time alone
(a due date passed), e.g. from a daily job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from trellis_planning.application.plan_access import retried_on_conflict
from trellis_planning.application.plan_upkeep import PlanUpkeep
from trellis_planning.domain.plan import Plan
from trellis_planning.domain.progress import HealthReport, percent_complete


@dataclass(frozen=True)
class MilestoneProgress:
    milestone_id: UUID
    name: str
    due_on: date
    forecast_on: date | None
    completed_on: date | None
    percent_complete: Decimal


@dataclass(frozen=True)
class TaskProgress:
    task_id: UUID
    title: str
    estimate_minutes: int
    earned_minutes: int
    logged_minutes: int
    percent_complete: Decimal


@dataclass(frozen=True)
class ProjectProgress:
    plan: Plan
    as_of: date
    report: HealthReport
    forecast_finish: date
    milestones: list[MilestoneProgress]
    tasks: list[TaskProgress]


class ProgressUseCases(PlanUpkeep):
    def progress_of(self, organisation_id: UUID, project_id: UUID) -> ProjectProgress:
        plan = self.load_plan(organisation_id, project_id)
        computed = plan.schedule()
        as_of = self.today()
        efforts = plan.efforts(computed, self.logged_minutes(organisation_id, plan.tasks))
        milestones = [
            MilestoneProgress(
                milestone_id=m.id,
                name=m.name,
                due_on=m.due_on,
                forecast_on=plan.milestone_forecast(m, computed),
                completed_on=m.completed_on,
                percent_complete=percent_complete([e for e in efforts if e.milestone_id == m.id]),
            )
            for m in (plan.milestones[i] for i in plan.project.milestone_ids)
        ]
        tasks = [
            TaskProgress(
                task_id=e.task_id,
                title=e.title,
                estimate_minutes=e.estimate_minutes,
                earned_minutes=e.earned_minutes,
                logged_minutes=e.logged_minutes,
                percent_complete=percent_complete([e]),
            )
            for e in efforts
        ]
        return ProjectProgress(
            plan=plan,
            as_of=as_of,
            report=plan.health(computed, efforts, as_of),
            forecast_finish=computed.project_finish,
            milestones=milestones,
            tasks=tasks,
        )

    @retried_on_conflict
    def refresh_progress(self, *, organisation_id: UUID, project_id: UUID, meta: dict[str, str]) -> bool:
        """Records progress and health as of today; True when they changed."""
        plan = self.load_plan(organisation_id, project_id)
        version = plan.project.version
        self.settle_and_save(plan, command="refresh progress", meta=meta)
        return plan.project.version != version
