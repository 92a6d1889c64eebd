"""Baseline use cases: save the plan's dates, compare two baselines or one against now.

Every slipped task comes with the changes that moved it: the project's ``ScheduleShifted``
events recorded between the two points that moved the task's finish later, each with who
gave the command, when, and which command it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from trellis_planning.application.plan_access import retried_on_conflict
from trellis_planning.application.plan_upkeep import PlanUpkeep
from trellis_planning.domain.baseline import Baseline
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.plan import Plan
from trellis_planning.domain.plan_errors import NotInOrganisation
from trellis_planning.domain.project import Project
from trellis_planning.domain.scheduling import Comparison, baseline_of, compare


@dataclass(frozen=True)
class Cause:
    """A recorded change that moved a task's finish later."""

    actor: str
    at: datetime
    command: str
    request_id: str | None
    finish_before: date | None
    finish_after: date


@dataclass(frozen=True)
class BaselineComparison:
    plan: Plan
    reference: Baseline
    current: Baseline | None
    """None: compared against the plan as it is now."""
    comparison: Comparison
    causes: dict[str, list[Cause]]
    """Per slipped task id, the changes that moved it, oldest first."""


class BaselineUseCases(PlanUpkeep):
    @retried_on_conflict
    def save_baseline(
        self, *, organisation_id: UUID, project_id: UUID, name: str, meta: dict[str, str]
    ) -> Baseline:
        plan = self.load_plan(organisation_id, project_id)
        computed = plan.schedule()
        # Catch the record up first, so nothing recorded after the baseline predates it.
        plan.project.record_schedule(plan.scheduled_dates(computed), f"save baseline '{name.strip()}'", meta)
        durations = {str(t.id): t.duration_days for t in plan.tasks.values()}
        baseline = Baseline.take(
            organisation_id=organisation_id,
            project_id=project_id,
            name=name,
            project_version=plan.project.version,
            project_finish=computed.project_finish,
            entries=list(baseline_of(computed, durations)),
            milestones={m.id: m.due_on for m in plan.milestones.values()},
            meta=meta,
        )
        plan.project.add_baseline(baseline.id, meta)
        self.settle_and_save(plan, command=f"save baseline '{baseline.name}'", meta=meta, also=[baseline])
        return baseline

    def baselines_of(self, organisation_id: UUID, project_id: UUID) -> list[Baseline]:
        project = self.project_in(organisation_id, project_id)
        return [self.baseline_in(organisation_id, project, b) for b in project.baseline_ids]

    def baseline_in(self, organisation_id: UUID, project: Project, baseline_id: UUID) -> Baseline:
        if baseline_id not in project.baseline_ids:
            raise NotInOrganisation("baseline", baseline_id)
        found: Any = self.repository.get(baseline_id)
        assert isinstance(found, Baseline)
        assert found.organisation_id == organisation_id
        return found

    def compare_baselines(
        self, *, organisation_id: UUID, project_id: UUID, reference_id: UUID, current_id: UUID | None
    ) -> BaselineComparison:
        """``current_id`` None compares the reference against the plan as it is now."""
        plan = self.load_plan(organisation_id, project_id)
        reference = self.baseline_in(organisation_id, plan.project, reference_id)
        current = None if current_id is None else self.baseline_in(organisation_id, plan.project, current_id)
        if current is not None and current.project_version < reference.project_version:
            raise PlanningRuleBroken(
                f"Baseline '{current.name}' was saved before '{reference.name}': compare the older one first."
            )
        calendar = plan.calendar()
        if current is None:
            computed = plan.schedule()
            durations = {str(t.id): t.duration_days for t in plan.tasks.values()}
            now_entries = list(baseline_of(computed, durations))
            until = plan.project.version
        else:
            now_entries = current.entries()
            until = current.project_version
        comparison = compare(reference.entries(), now_entries, calendar)
        slipped = {v.activity_id for v in comparison.slipped}
        causes = self._causes(project_id, reference.project_version, until, slipped)
        return BaselineComparison(
            plan=plan, reference=reference, current=current, comparison=comparison, causes=causes
        )

    def _causes(self, project_id: UUID, after: int, until: int, task_ids: set[str]) -> dict[str, list[Cause]]:
        causes: dict[str, list[Cause]] = {t: [] for t in task_ids}
        if not task_ids or until <= after:
            return causes
        for stored in self.repository.event_store.get(project_id, gt=after, lte=until):
            if not isinstance(stored, Project.ScheduleShifted):
                continue
            for move in stored.moves:
                key = str(move["task_id"])
                before = move["previous_finishes_on"]
                if key in causes and before is not None and move["finishes_on"] > before:
                    causes[key].append(
                        Cause(
                            actor=stored.meta.get("actor", "unknown"),
                            at=stored.timestamp,
                            command=stored.command,
                            request_id=stored.meta.get("request_id"),
                            finish_before=before,
                            finish_after=move["finishes_on"],
                        )
                    )
        return causes
