"""A client project: who it is for, what it is called, and when it runs.

Stored event topics are ``trellis_planning.domain.project:Project.<Event>``: part of
the stored data, so this module and these class names stay where they are.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_planning.domain.dependencies import check_dependency
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.plan_errors import DateOutsideProject, DependencyRejected, NotInOrganisation
from trellis_planning.domain.workflow import DEFAULT_WORKFLOW_ID

MAX_NAME_LENGTH = 200


class Project(Aggregate):
    class Created(Aggregate.Created):
        organisation_id: UUID
        client_id: UUID
        name: str
        starts_on: date
        ends_on: date
        meta: dict[str, str]

    @event(Created)
    def __init__(
        self,
        *,
        organisation_id: UUID,
        client_id: UUID,
        name: str,
        starts_on: date,
        ends_on: date,
        meta: dict[str, str],
    ) -> None:
        self.organisation_id = organisation_id
        self.client_id = client_id
        self.name = name
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.workflow_id = DEFAULT_WORKFLOW_ID
        self.field_ids: list[str] = []
        self.template_id: str | None = None
        self.task_ids: list[UUID] = []
        self.milestone_ids: list[UUID] = []
        self.dependencies: list[dict[str, Any]] = []
        self.scheduled: dict[str, list[date]] = {}
        self.baseline_ids: list[UUID] = []
        self.minutes_ids: list[UUID] = []
        self.progress: dict[str, Any] | None = None

    @classmethod
    def create(
        cls,
        *,
        organisation_id: UUID,
        client_id: UUID,
        name: str,
        starts_on: date,
        ends_on: date,
        meta: dict[str, str],
    ) -> Project:
        name = name.strip()
        check_name(name)
        check_dates(starts_on, ends_on)
        return cls(
            organisation_id=organisation_id,
            client_id=client_id,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            meta=meta,
        )


    def check_within(self, day: date | None, what: str) -> None:
        if day is not None and not self.starts_on <= day <= self.ends_on:
            raise DateOutsideProject(
                f"{what} ({day.isoformat()}) lies outside project '{self.name}', which runs from "
                f"{self.starts_on.isoformat()} to {self.ends_on.isoformat()}."
            )

    def check_task(self, task_id: UUID) -> None:
        """The task belongs to this project (a task of another project or tenant does not)."""
        if task_id not in self.task_ids:
            raise PlanningRuleBroken(f"Task {task_id} is not part of project '{self.name}'.")

    # -- how the plan is set up -----------------------------------------------------------

    class PlanConfigured(Aggregate.Event):
        """The workflow the project's tasks follow, the project-scoped custom fields it uses,
        and the template it came from (None: none)."""

        organisation_id: UUID
        workflow_id: str
        field_ids: list[str]
        template_id: str | None
        meta: dict[str, str]

    def configure_plan(self, *, workflow_id: str, field_ids: list[str], template_id: str | None,
                       meta: dict[str, str]) -> None:
        fields = list(dict.fromkeys(field_ids))
        if (workflow_id, fields, template_id) != (self.workflow_id, self.field_ids, self.template_id):
            self._plan_configured(organisation_id=self.organisation_id, workflow_id=workflow_id,
                                  field_ids=fields, template_id=template_id, meta=meta)

    @event(PlanConfigured)
    def _plan_configured(self, organisation_id: UUID, workflow_id: str, field_ids: list[str],
                         template_id: str | None, meta: dict[str, str]) -> None:
        self.workflow_id = workflow_id
        self.field_ids = list(field_ids)
        self.template_id = template_id

    # -- what the plan holds (indexes: the facts are on the task and milestone) -----------

    class TaskAdded(Aggregate.Event):
        task_id: UUID
        meta: dict[str, str]

    def add_task(self, task_id: UUID, meta: dict[str, str]) -> None:
        if task_id not in self.task_ids:
            self._task_added(task_id=task_id, meta=meta)

    @event(TaskAdded)
    def _task_added(self, task_id: UUID, meta: dict[str, str]) -> None:
        self.task_ids.append(task_id)

    class MilestoneAdded(Aggregate.Event):
        milestone_id: UUID
        meta: dict[str, str]

    def add_milestone(self, milestone_id: UUID, meta: dict[str, str]) -> None:
        if milestone_id not in self.milestone_ids:
            self._milestone_added(milestone_id=milestone_id, meta=meta)

    @event(MilestoneAdded)
    def _milestone_added(self, milestone_id: UUID, meta: dict[str, str]) -> None:
        self.milestone_ids.append(milestone_id)

    class MinutesAdded(Aggregate.Event):
        minutes_id: UUID
        meta: dict[str, str]

    def add_minutes(self, minutes_id: UUID, meta: dict[str, str]) -> None:
        if minutes_id not in self.minutes_ids:
            self._minutes_added(minutes_id=minutes_id, meta=meta)

    @event(MinutesAdded)
    def _minutes_added(self, minutes_id: UUID, meta: dict[str, str]) -> None:
        self.minutes_ids.append(minutes_id)

    # -- dependencies ---------------------------------------------------------------------

    class DependencyAdded(Aggregate.Event):
        """``type`` is FS, SS, FF or SF; ``lag_days`` are working days (negative: a lead)."""

        organisation_id: UUID
        predecessor_id: UUID
        successor_id: UUID
        type: str
        lag_days: int
        meta: dict[str, str]

    def add_dependency(self, *, predecessor_id: UUID, successor_id: UUID, type_: str, lag_days: int,
                       meta: dict[str, str]) -> None:
        """Refuses a dependency on a task outside this project, a duplicate, and a cycle
        (``DependencyCycle`` names the loop by task ids)."""
        for task_id in (predecessor_id, successor_id):
            if task_id not in self.task_ids:
                raise DependencyRejected(
                    f"Task {task_id} is not part of project '{self.name}': a dependency links two "
                    "tasks of the same project."
                )
        check_dependency(self.dependencies, predecessor_id, successor_id, type_, lag_days)
        self._dependency_added(organisation_id=self.organisation_id, predecessor_id=predecessor_id,
                               successor_id=successor_id, type=type_, lag_days=lag_days, meta=meta)

    @event(DependencyAdded)
    def _dependency_added(self, organisation_id: UUID, predecessor_id: UUID, successor_id: UUID,
                          type: str, lag_days: int, meta: dict[str, str]) -> None:
        self.dependencies.append({"predecessor_id": predecessor_id, "successor_id": successor_id,
                                  "type": type, "lag_days": lag_days})

    class DependencyRemoved(Aggregate.Event):
        organisation_id: UUID
        predecessor_id: UUID
        successor_id: UUID
        type: str
        meta: dict[str, str]

    def remove_dependency(self, *, predecessor_id: UUID, successor_id: UUID, type_: str,
                          meta: dict[str, str]) -> None:
        if not any(d["predecessor_id"] == predecessor_id and d["successor_id"] == successor_id
                   and d["type"] == type_ for d in self.dependencies):
            raise NotInOrganisation("dependency", f"{predecessor_id} -{type_}-> {successor_id}")
        self._dependency_removed(organisation_id=self.organisation_id, predecessor_id=predecessor_id,
                                 successor_id=successor_id, type=type_, meta=meta)

    @event(DependencyRemoved)
    def _dependency_removed(self, organisation_id: UUID, predecessor_id: UUID, successor_id: UUID,
                            type: str, meta: dict[str, str]) -> None:
        self.dependencies = [
            d for d in self.dependencies
            if (d["predecessor_id"], d["successor_id"], d["type"]) != (predecessor_id, successor_id, type)
        ]

    # -- the schedule as computed, and who moved it ---------------------------------------

    class ScheduleShifted(Aggregate.Event):
        """The computed dates of some tasks changed because of ``command``. Each move is
        ``{task_id, starts_on, finishes_on, previous_starts_on, previous_finishes_on}``
        (previous None: the task was placed for the first time)."""

        organisation_id: UUID
        command: str
        moves: list[dict[str, Any]]
        meta: dict[str, str]

    def record_schedule(self, dates: dict[UUID, tuple[date, date]], command: str,
                        meta: dict[str, str]) -> list[dict[str, Any]]:
        """Records the schedule's dates where they changed; returns the moves it recorded."""
        moves = []
        for task_id, (start, finish) in dates.items():
            before = self.scheduled.get(str(task_id))
            if before is None or (before[0], before[1]) != (start, finish):
                moves.append({
                    "task_id": task_id, "starts_on": start, "finishes_on": finish,
                    "previous_starts_on": before[0] if before else None,
                    "previous_finishes_on": before[1] if before else None,
                })
        if moves:
            self._schedule_shifted(organisation_id=self.organisation_id, command=command, moves=moves,
                                   meta=meta)
        return moves

    @event(ScheduleShifted)
    def _schedule_shifted(self, organisation_id: UUID, command: str, moves: list[dict[str, Any]],
                          meta: dict[str, str]) -> None:
        for move in moves:
            self.scheduled[str(move["task_id"])] = [move["starts_on"], move["finishes_on"]]

    # -- baselines ------------------------------------------------------------------------

    class BaselineAdded(Aggregate.Event):
        baseline_id: UUID
        meta: dict[str, str]

    def add_baseline(self, baseline_id: UUID, meta: dict[str, str]) -> None:
        if baseline_id not in self.baseline_ids:
            self._baseline_added(baseline_id=baseline_id, meta=meta)

    @event(BaselineAdded)
    def _baseline_added(self, baseline_id: UUID, meta: dict[str, str]) -> None:
        self.baseline_ids.append(baseline_id)

    # -- progress and health --------------------------------------------------------------

    class ProgressChanged(Aggregate.Event):
        """Percent complete by effort (project and each milestone by id) and health, as of a
        day; ``rule`` says how they were computed."""

        organisation_id: UUID
        as_of: date
        percent_complete: Decimal
        milestones: dict[str, Decimal]
        health: str
        rule: str
        meta: dict[str, str]

    def record_progress(self, *, as_of: date, percent_complete: Decimal, milestones: dict[str, Decimal],
                        health: str, rule: str, meta: dict[str, str]) -> bool:
        """Records progress when the percentages or the health changed (not the day alone)."""
        current = self.progress
        if current is not None and (
            current["percent_complete"], current["milestones"], current["health"]
        ) == (percent_complete, milestones, health):
            return False
        self._progress_changed(organisation_id=self.organisation_id, as_of=as_of,
                               percent_complete=percent_complete, milestones=milestones, health=health,
                               rule=rule, meta=meta)
        return True

    @event(ProgressChanged)
    def _progress_changed(self, organisation_id: UUID, as_of: date, percent_complete: Decimal,
                          milestones: dict[str, Decimal], health: str, rule: str,
                          meta: dict[str, str]) -> None:
        self.progress = {"as_of": as_of, "percent_complete": percent_complete,
                         "milestones": dict(milestones), "health": health}


def check_name(name: str) -> None:
    if not name:
        raise PlanningRuleBroken("A project needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise PlanningRuleBroken(f"A project name has at most {MAX_NAME_LENGTH} characters.")


def check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise PlanningRuleBroken(
            f"A project cannot end ({ends_on.isoformat()}) before it starts ({starts_on.isoformat()})."
        )
