"""A baseline: the plan's dates as they stood when someone saved them, kept to compare.

Each entry is a task's scheduled start and finish and its duration; ``project_version``
is the project's version when the baseline was taken, so a comparison can find the
changes made since (the project's ``ScheduleShifted`` events after that version).

Stored event topics are ``trellis_planning.domain.baseline:Baseline.<Event>``.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.scheduling import BaselineEntry

MAX_NAME_LENGTH = 200


class Baseline(Aggregate):
    class Created(Aggregate.Created):
        """``tasks``: ``{task_id, starts_on, finishes_on, duration_days}`` per task;
        ``milestones``: ``{milestone_id, due_on}`` per milestone."""

        organisation_id: UUID
        project_id: UUID
        name: str
        project_version: int
        project_finish: date
        tasks: list[dict[str, Any]]
        milestones: list[dict[str, Any]]
        meta: dict[str, str]

    @event(Created)
    def __init__(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        name: str,
        project_version: int,
        project_finish: date,
        tasks: list[dict[str, Any]],
        milestones: list[dict[str, Any]],
        meta: dict[str, str],
    ) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.name = name
        self.project_version = project_version
        self.project_finish = project_finish
        self.tasks = list(tasks)
        self.milestones = list(milestones)

    @classmethod
    def take(
        cls,
        *,
        organisation_id: UUID,
        project_id: UUID,
        name: str,
        project_version: int,
        project_finish: date,
        entries: list[BaselineEntry],
        milestones: dict[UUID, date],
        meta: dict[str, str],
    ) -> Baseline:
        name = name.strip()
        if not name or len(name) > MAX_NAME_LENGTH:
            raise PlanningRuleBroken(f"A baseline needs a name of 1 to {MAX_NAME_LENGTH} characters.")
        return cls(
            organisation_id=organisation_id,
            project_id=project_id,
            name=name,
            project_version=project_version,
            project_finish=project_finish,
            tasks=[
                {
                    "task_id": UUID(e.activity_id),
                    "starts_on": e.start,
                    "finishes_on": e.finish,
                    "duration_days": e.duration,
                }
                for e in entries
            ],
            milestones=[{"milestone_id": m, "due_on": d} for m, d in milestones.items()],
            meta=meta,
        )

    def entries(self) -> list[BaselineEntry]:
        return [
            BaselineEntry(str(t["task_id"]), t["starts_on"], t["finishes_on"], t["duration_days"])
            for t in self.tasks
        ]
