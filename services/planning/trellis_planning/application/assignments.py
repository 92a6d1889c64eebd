"""Task assignments follow the plan into each resource's load, in the same transaction.

Whenever tasks or a project's schedule are saved, the resources the changed tasks are
(or were) assigned to are brought up to date and saved with them: each assignee's
share of the task's estimate, over the task's scheduled days (or its own dates before
it is scheduled). A done task, one without an estimate, and one without dates load
nobody. Because the resource decides over-allocation on every change, a reassignment
or a schedule shift that takes someone over capacity is recorded (and published) by the
very command that caused it; nothing follows later, so nothing can fall behind.

The estimate is split evenly between a task's assignees, people and equipment alike.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import Recording

from trellis_planning.application.tenant_lookups import aggregate_in
from trellis_planning.domain.assignment import Assignment, shares
from trellis_planning.domain.plan_errors import NotInOrganisation
from trellis_planning.domain.project import Project
from trellis_planning.domain.resource import Resource
from trellis_planning.domain.task import Task

LOADING_TASK_EVENTS = (Task.Created, Task.Reassigned, Task.Estimated, Task.Rescheduled, Task.StatusChanged)


def assignments_of(task: Task, scheduled: list[Any] | None) -> dict[UUID, Assignment]:
    """Each assignee's share of ``task``; ``scheduled``: its [start, finish] on the schedule."""
    starts_on, due_on = (scheduled[0], scheduled[1]) if scheduled else (task.starts_on, task.due_on)
    if task.is_done or task.estimate_minutes <= 0 or (starts_on is None and due_on is None):
        return {}
    split = shares(task.estimate_minutes, len(task.assignee_ids))
    return {
        resource_id: Assignment(task_id=task.id, project_id=task.project_id, starts_on=starts_on,
                                due_on=due_on, duration_days=task.duration_days, minutes=share)
        for resource_id, share in zip(task.assignee_ids, split, strict=True)
    }


class AssignmentUpkeep(Application[UUID]):
    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        return super().save(*objs, *self._followed_resources(objs), **kwargs)

    def _followed_resources(self, objs: tuple[Any, ...]) -> list[Resource]:
        tasks = {o.id: o for o in objs if isinstance(o, Task)}
        projects = {o.id: o for o in objs if isinstance(o, Project)}
        changed: dict[UUID, dict[str, str]] = {}
        for task in tasks.values():
            for event in task.pending_events:
                if isinstance(event, LOADING_TASK_EVENTS):
                    changed[task.id] = event.meta
        for project in projects.values():
            for event in project.pending_events:
                if isinstance(event, Project.ScheduleShifted):
                    changed.update({UUID(str(move["task_id"])): event.meta for move in event.moves})
        if not changed:
            return []
        saving = {o.id for o in objs if isinstance(o, Resource)}
        resources: dict[UUID, Resource] = {o.id: o for o in objs if isinstance(o, Resource)}
        for task_id, meta in changed.items():
            task = tasks.get(task_id) or self._stored(Task, task_id)
            if task is None:
                continue
            project = projects.get(task.project_id) or self._stored(Project, task.project_id)
            scheduled = project.scheduled.get(str(task.id)) if project is not None else None
            wanted = assignments_of(task, scheduled)
            for resource_id in [*self._previous_assignees(task), *wanted]:
                resource = resources.get(resource_id) or self._resource(task.organisation_id, resource_id)
                if resource is None:
                    continue
                resources[resource_id] = resource
                if resource_id in wanted:
                    resource.set_assignment(wanted[resource_id], meta)
                else:
                    resource.remove_assignment(task.id, meta)
        return [r for r in resources.values() if r.id not in saving and r.pending_events]

    def _previous_assignees(self, task: Task) -> list[UUID]:
        """Who the task was assigned to as stored, before the changes now being saved."""
        stored_version = task.version - len(task.pending_events)
        if stored_version < 1:
            return []
        stored: Any = self.repository.get(task.id, version=stored_version)
        return list(stored.assignee_ids)

    def _stored(self, kind: type[Any], aggregate_id: UUID) -> Any:
        try:
            found: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, kind) else None

    def _resource(self, organisation_id: UUID, resource_id: UUID) -> Resource | None:
        try:
            return aggregate_in(self, Resource, "resource", organisation_id, resource_id)
        except NotInOrganisation:
            return None
