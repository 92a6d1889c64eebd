"""Task use cases: add a task to a plan, change it, move it through its workflow.

Each command checks the organisation's rules before the task decides: naming (title),
workflow (status), custom fields (values, on every write), and the plan's own (dates
inside the project, milestone and parent in the same project, assignees registered as
resources). Then the plan is settled and saved with the change in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from trellis_planning.application.plan_access import NotYourTask, UnknownReference, retried_on_conflict
from trellis_planning.application.plan_upkeep import PlanUpkeep, Settled
from trellis_planning.domain.custom_fields import merged_values
from trellis_planning.domain.naming import NamingSubject, check_name
from trellis_planning.domain.plan import Plan
from trellis_planning.domain.plan_errors import WorkflowRuleBroken
from trellis_planning.domain.ranks import between
from trellis_planning.domain.task import Task

DETAIL_FIELDS = frozenset({"title", "description", "estimate_minutes", "priority", "tags", "custom_values"})
PLACEMENT_FIELDS = frozenset({"assignee_ids", "milestone_id", "parent_id"})
SCHEDULE_FIELDS = frozenset({"starts_on", "duration_days", "due_on"})
TASK_FIELDS = DETAIL_FIELDS | PLACEMENT_FIELDS | SCHEDULE_FIELDS


class TaskUseCases(PlanUpkeep):
    @retried_on_conflict
    def create_task(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        title: str,
        meta: dict[str, str],
        details: Mapping[str, Any] | None = None,
        status: str | None = None,
    ) -> tuple[Task, Settled]:
        """``details``: any of the fields of ``TASK_FIELDS`` (the rest take their defaults)."""
        plan = self.load_plan(organisation_id, project_id)
        task = self.new_task(plan, title=title, details=details or {}, status=status, meta=meta)
        settled = self.settle_and_save(plan, command=f"create task '{task.title}'", meta=meta)
        return task, settled

    def new_task(
        self, plan: Plan, *, title: str, details: Mapping[str, Any], status: str | None, meta: dict[str, str]
    ) -> Task:
        """A checked new task, added to ``plan`` in memory (the caller settles and saves)."""
        unknown = set(details) - TASK_FIELDS
        if unknown:
            raise ValueError(f"unknown task fields {sorted(unknown)}")
        organisation_id = plan.project.organisation_id
        check_name(plan.settings.naming_rules(), NamingSubject.TASK_TITLE, title.strip())
        self.check_placement(plan, details)
        self.check_dates(plan, details.get("starts_on"), details.get("due_on"))
        workflow = plan.workflow
        status_key = status or workflow.initial
        target = workflow.status(status_key)
        if target.retired:
            raise WorkflowRuleBroken(f"Workflow '{workflow.name}': status '{target.name}' is retired.")
        fields = plan.settings.fields()
        applicable = plan.settings.applicable_field_ids(plan.project.field_ids)
        values = merged_values(fields, applicable, {}, details.get("custom_values") or {})
        task = Task.create(
            organisation_id=organisation_id,
            project_id=plan.project.id,
            title=title,
            status=status_key,
            status_category=target.category.value,
            rank=between(_last_rank(plan, status_key), None),
            meta=meta,
            description=details.get("description") or "",
            parent_id=details.get("parent_id"),
            milestone_id=details.get("milestone_id"),
            assignee_ids=list(details.get("assignee_ids") or []),
            estimate_minutes=details.get("estimate_minutes") or 0,
            duration_days=1 if details.get("duration_days") is None else details["duration_days"],
            starts_on=details.get("starts_on"),
            due_on=details.get("due_on"),
            priority=details.get("priority") or "normal",
            tags=list(details.get("tags") or []),
            custom_values=values,
        )
        plan.project.add_task(task.id, meta)
        plan.tasks[task.id] = task
        return task

    @retried_on_conflict
    def update_task(
        self,
        *,
        organisation_id: UUID,
        task_id: UUID,
        changes: Mapping[str, Any],
        meta: dict[str, str],
        only_for_user: str | None = None,
    ) -> tuple[Task, Settled]:
        """Applies ``changes`` (fields of ``TASK_FIELDS``; absent ones stay). A planner limited
        to their own tasks (``only_for_user``) may change details and dates, not placement."""
        unknown = set(changes) - TASK_FIELDS
        if unknown:
            raise ValueError(f"unknown task fields {sorted(unknown)}")
        task = self.task_in(organisation_id, task_id)
        self.check_own_task(organisation_id, task, only_for_user)
        if only_for_user is not None and PLACEMENT_FIELDS & set(changes):
            raise NotYourTask("Only a manager can reassign a task or move it to another milestone or parent.")
        plan = self.load_plan(organisation_id, task.project_id)
        task = plan.tasks[task_id]
        self.apply_changes(plan, task, changes, meta)
        return task, self.settle_and_save(plan, command=f"update task '{task.title}'", meta=meta)

    def apply_changes(self, plan: Plan, task: Task, changes: Mapping[str, Any], meta: dict[str, str]) -> None:
        if "title" in changes:
            check_name(plan.settings.naming_rules(), NamingSubject.TASK_TITLE, changes["title"].strip())
            task.retitle(changes["title"], meta)
        if "description" in changes:
            task.describe(changes["description"] or "", meta)
        if "estimate_minutes" in changes:
            task.estimate(changes["estimate_minutes"], meta)
        if "priority" in changes:
            task.prioritise(changes["priority"], meta)
        if "tags" in changes:
            task.tag(list(changes["tags"] or []), meta)
        if "custom_values" in changes:
            values = merged_values(
                plan.settings.fields(),
                plan.settings.applicable_field_ids(plan.project.field_ids),
                task.custom_values,
                changes["custom_values"] or {},
            )
            task.set_custom_values(values, meta)
        if PLACEMENT_FIELDS & set(changes):
            self.check_placement(plan, changes, task)
            if "assignee_ids" in changes:
                task.reassign(list(changes["assignee_ids"] or []), meta)
            if {"milestone_id", "parent_id"} & set(changes):
                task.move(
                    milestone_id=changes.get("milestone_id", task.milestone_id),
                    parent_id=changes.get("parent_id", task.parent_id),
                    meta=meta,
                )
        if SCHEDULE_FIELDS & set(changes):
            starts_on = changes.get("starts_on", task.starts_on)
            due_on = changes.get("due_on", task.due_on)
            self.check_dates(plan, starts_on, due_on)
            task.reschedule(
                starts_on=starts_on,
                duration_days=changes.get("duration_days", task.duration_days),
                due_on=due_on,
                meta=meta,
            )

    @retried_on_conflict
    def change_status(
        self,
        *,
        organisation_id: UUID,
        task_id: UUID,
        status: str,
        meta: dict[str, str],
        only_for_user: str | None = None,
    ) -> tuple[Task, Settled]:
        """Moves the task to ``status`` if the workflow allows it, at the bottom of that column."""
        task = self.task_in(organisation_id, task_id)
        self.check_own_task(organisation_id, task, only_for_user)
        plan = self.load_plan(organisation_id, task.project_id)
        task = plan.tasks[task_id]
        self.move_to_status(plan, task, status, meta)
        return task, self.settle_and_save(
            plan, command=f"set status of task '{task.title}' to {status!r}", meta=meta
        )

    def move_to_status(
        self, plan: Plan, task: Task, status: str, meta: dict[str, str], rank: str | None = None
    ) -> None:
        target = plan.workflow.check_transition(task.status, status)
        if status != task.status and rank is None:
            rank = between(_last_rank(plan, status), None)
        task.change_status(
            status=status, status_category=target.category.value, rank=rank or task.rank, meta=meta
        )

    def get_task(self, organisation_id: UUID, task_id: UUID) -> Task:
        return self.task_in(organisation_id, task_id)

    def list_tasks(self, organisation_id: UUID, project_id: UUID) -> tuple[Plan, list[Task]]:
        plan = self.load_plan(organisation_id, project_id)
        return plan, plan.ordered_tasks()

    # -- checks shared by the task commands -----------------------------------------------

    def check_placement(self, plan: Plan, details: Mapping[str, Any], task: Task | None = None) -> None:
        organisation_id = plan.project.organisation_id
        if details.get("assignee_ids"):
            self.check_assignees(organisation_id, details["assignee_ids"])
        milestone_id = details.get("milestone_id")
        if milestone_id is not None and milestone_id not in plan.project.milestone_ids:
            raise UnknownReference(f"No milestone {milestone_id} in project '{plan.project.name}'.")
        parent_id = details.get("parent_id")
        if parent_id is not None:
            if parent_id not in plan.project.task_ids:
                raise UnknownReference(
                    f"No task {parent_id} in project '{plan.project.name}' to be a parent."
                )
            if task is not None and _is_descendant(plan, parent_id, task.id):
                raise UnknownReference(
                    f"Task {parent_id} is a subtask of task {task.id}: it cannot be its parent."
                )

    def check_dates(self, plan: Plan, starts_on: date | None, due_on: date | None) -> None:
        plan.project.check_within(starts_on, "The task's start date")
        plan.project.check_within(due_on, "The task's due date")


def _last_rank(plan: Plan, status: str) -> str | None:
    ranks = [t.rank for t in plan.tasks.values() if t.status == status]
    return max(ranks) if ranks else None


def _is_descendant(plan: Plan, candidate: UUID, ancestor: UUID) -> bool:
    """Whether ``candidate`` is ``ancestor`` or lies below it in the subtask tree."""
    seen: set[UUID] = set()
    current: UUID | None = candidate
    while current is not None and current not in seen:
        if current == ancestor:
            return True
        seen.add(current)
        parent = plan.tasks.get(current)
        current = parent.parent_id if parent is not None else None
    return False
