"""Dependency and schedule use cases: link tasks, unlink them, recompute the schedule.

A cycle is refused with the loop named by task titles (and ids). Adding or removing a
dependency settles the plan: the tasks it moved are in the answer and on the record.
"""

from __future__ import annotations

from uuid import UUID

from trellis_planning.application.plan_access import retried_on_conflict
from trellis_planning.application.plan_upkeep import PlanUpkeep, Settled
from trellis_planning.domain.plan import Plan
from trellis_planning.domain.plan_errors import DependencyRejected
from trellis_planning.domain.scheduling import DependencyCycle, Schedule
from trellis_planning.domain.task import Task


class DependencyCycleRefused(DependencyRejected):
    def __init__(self, message: str, cycle: list[UUID]) -> None:
        super().__init__(message)
        self.cycle = cycle


class DependencyUseCases(PlanUpkeep):
    @retried_on_conflict
    def add_dependency(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        predecessor_id: UUID,
        successor_id: UUID,
        type_: str,
        lag_days: int,
        meta: dict[str, str],
    ) -> Settled:
        plan = self.load_plan(organisation_id, project_id)
        for task_id in (predecessor_id, successor_id):
            if task_id not in plan.tasks:
                # Another project's or tenant's task is refused in the same words as none.
                self._check_is_known(plan, task_id)
        try:
            plan.project.add_dependency(
                predecessor_id=predecessor_id,
                successor_id=successor_id,
                type_=type_,
                lag_days=lag_days,
                meta=meta,
            )
        except DependencyCycle as cycle:
            raise _named_cycle(plan, cycle) from None
        return self.settle_and_save(
            plan, command=f"add dependency {_link(plan, predecessor_id, successor_id, type_)}", meta=meta
        )

    @retried_on_conflict
    def remove_dependency(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        predecessor_id: UUID,
        successor_id: UUID,
        type_: str,
        meta: dict[str, str],
    ) -> Settled:
        plan = self.load_plan(organisation_id, project_id)
        plan.project.remove_dependency(
            predecessor_id=predecessor_id, successor_id=successor_id, type_=type_, meta=meta
        )
        return self.settle_and_save(
            plan, command=f"remove dependency {_link(plan, predecessor_id, successor_id, type_)}", meta=meta
        )

    @retried_on_conflict
    def recompute_schedule(self, *, organisation_id: UUID, project_id: UUID, meta: dict[str, str]) -> Settled:
        """Records the schedule again, e.g. after the organisation's calendar changed."""
        plan = self.load_plan(organisation_id, project_id)
        return self.settle_and_save(plan, command="recompute schedule", meta=meta)

    def schedule_of(self, organisation_id: UUID, project_id: UUID) -> tuple[Plan, Schedule]:
        plan = self.load_plan(organisation_id, project_id)
        return plan, plan.schedule()

    def _check_is_known(self, plan: Plan, task_id: UUID) -> None:
        task = self.referenced(Task, "task", plan.project.organisation_id, task_id)
        raise DependencyRejected(
            f"Task '{task.title}' ({task_id}) belongs to another project: a dependency links two tasks "
            f"of project '{plan.project.name}'."
        )


def _named_cycle(plan: Plan, cycle: DependencyCycle) -> DependencyCycleRefused:
    ids = [UUID(i) for i in cycle.cycle]
    names = [f"'{plan.tasks[i].title}'" if i in plan.tasks else str(i) for i in ids]
    loop = " -> ".join([*names, names[0]])
    return DependencyCycleRefused(
        f"This dependency would make a cycle: {loop} (task ids, in order: {', '.join(map(str, ids))}).",
        ids,
    )


def _link(plan: Plan, predecessor_id: UUID, successor_id: UUID, type_: str) -> str:
    return f"'{plan.tasks[predecessor_id].title}' -{type_}-> '{plan.tasks[successor_id].title}'"
