"""Bulk changes: reassign, move, reschedule (and set status or priority of) many tasks of
one project in one command. Every task is checked and changed in memory first; the first
refusal, named with its task, stops the command and nothing is stored. Otherwise every
change and its consequences are stored in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from trellis_planning.application.plan_access import UnknownReference, retried_on_conflict
from trellis_planning.application.plan_upkeep import Settled
from trellis_planning.application.tasks import TaskUseCases
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.plan import Plan
from trellis_planning.domain.task import Task

BULK_FIELDS = frozenset({"assignee_ids", "milestone_id", "shift_working_days", "status", "priority"})
MAX_BULK_TASKS = 500


class BulkChangeRefused(PlanningRuleBroken):
    """One task of a bulk change broke a rule; the message names the task and the rule."""


class BulkUseCases(TaskUseCases):
    @retried_on_conflict
    def change_tasks(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        task_ids: list[UUID],
        changes: Mapping[str, Any],
        meta: dict[str, str],
    ) -> tuple[list[Task], Settled]:
        """``changes``: any of ``assignee_ids`` (replace), ``milestone_id`` (None: none),
        ``shift_working_days`` (earlier or later by working days of the organisation's
        calendar), ``status``, ``priority``."""
        unknown = set(changes) - BULK_FIELDS
        if unknown:
            raise ValueError(f"unknown bulk fields {sorted(unknown)}")
        if not changes:
            raise PlanningRuleBroken("A bulk change needs at least one change.")
        if not task_ids or len(task_ids) > MAX_BULK_TASKS or len(set(task_ids)) != len(task_ids):
            raise PlanningRuleBroken(f"A bulk change names 1 to {MAX_BULK_TASKS} distinct tasks.")
        plan = self.load_plan(organisation_id, project_id)
        for task_id in task_ids:
            if task_id not in plan.tasks:
                raise UnknownReference(f"No task {task_id} in project '{plan.project.name}'.")
        if "assignee_ids" in changes or "milestone_id" in changes:
            self.check_placement(plan, changes)
        before = plan.schedule() if "shift_working_days" in changes else None
        tasks = [plan.tasks[t] for t in task_ids]
        for task in tasks:
            try:
                self._change_one(plan, task, changes, before, meta)
            except PlanningRuleBroken as broken:
                raise BulkChangeRefused(f"Task '{task.title}' ({task.id}): {broken}") from None
        return tasks, self.settle_and_save(plan, command="bulk change tasks", meta=meta)

    def _change_one(
        self, plan: Plan, task: Task, changes: Mapping[str, Any], before: Any, meta: dict[str, str]
    ) -> None:
        if "assignee_ids" in changes:
            task.reassign(list(changes["assignee_ids"] or []), meta)
        if "milestone_id" in changes:
            task.move(milestone_id=changes["milestone_id"], parent_id=task.parent_id, meta=meta)
        if "priority" in changes:
            task.prioritise(changes["priority"], meta)
        if "status" in changes:
            self.move_to_status(plan, task, changes["status"], meta)
        if before is not None:
            shift = int(changes["shift_working_days"])
            calendar = plan.calendar()
            starts_on = calendar.add_working_days(before.entries[str(task.id)].early_start, shift)
            due_on = calendar.add_working_days(task.due_on, shift) if task.due_on else None
            self.check_dates(plan, starts_on, due_on)
            task.reschedule(starts_on=starts_on, duration_days=task.duration_days, due_on=due_on, meta=meta)
