"""Minutes logged per task of one project: what progress counts as effort spent.

Kept in the same transaction as every time entry change, so it always equals the sum
of the project's live entries; one small aggregate per project answers for all its
tasks at once. Its events stay inside planning.

Stored event topics are ``trellis_planning.domain.project_time:ProjectTime.<Event>``:
this module and these class names stay where they are.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_NAMESPACE = uuid5(NAMESPACE_URL, "https://trellis.local/planning/project-time")


def project_time_id(project_id: UUID) -> UUID:
    return uuid5(_NAMESPACE, str(project_id))


class ProjectTime(Aggregate):
    class Opened(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        meta: dict[str, str]

    @staticmethod
    def create_id(project_id: UUID) -> UUID:
        return project_time_id(project_id)

    @event(Opened)
    def __init__(self, *, organisation_id: UUID, project_id: UUID, meta: dict[str, str]) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.minutes_by_task: dict[UUID, int] = {}

    class Changed(Aggregate.Event):
        """``minutes`` is the change (negative when time was taken away)."""

        task_id: UUID
        minutes: int
        meta: dict[str, str]

    def change(self, task_id: UUID, minutes: int, meta: dict[str, str]) -> None:
        if minutes:
            self._changed(task_id=task_id, minutes=minutes, meta=meta)

    @event(Changed)
    def _changed(self, task_id: UUID, minutes: int, meta: dict[str, str]) -> None:
        self.minutes_by_task[task_id] = self.minutes_by_task.get(task_id, 0) + minutes
