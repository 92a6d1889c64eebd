"""A task of a project's plan: who does it, how long it takes, where it stands.

A task's own invariants live here (a title, a sane estimate, dates in order); the
rules of the organisation (workflow, naming, custom fields) and of the plan
(dependencies, dates inside the project) are checked before a task method is called,
by the modules that own them.

Stored event topics are ``trellis_planning.domain.task:Task.<Event>``: this module
and these class names stay where they are.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.priority import Priority, priority_of

MAX_TITLE_LENGTH = 300
MAX_ESTIMATE_MINUTES = 100_000 * 60
MAX_DURATION_DAYS = 5_000


class TaskEvent(Aggregate.Event):
    """Every change names its organisation and project, so it can be published on its own."""

    organisation_id: UUID
    project_id: UUID
    meta: dict[str, str]


class Task(Aggregate):
    """``assignee_ids`` are people or equipment resources; ``duration_days`` counts working
    days; ``starts_on`` is the earliest start the planner asked for and ``due_on`` the
    deadline (the schedule computes the dates the task will actually take)."""

    class Created(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        title: str
        description: str
        parent_id: UUID | None
        milestone_id: UUID | None
        assignee_ids: list[UUID]
        estimate_minutes: int
        duration_days: int
        starts_on: date | None
        due_on: date | None
        priority: str
        tags: list[str]
        custom_values: dict[str, Any]
        status: str
        status_category: str
        rank: str
        meta: dict[str, str]

    @event(Created)
    def __init__(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        title: str,
        description: str,
        parent_id: UUID | None,
        milestone_id: UUID | None,
        assignee_ids: list[UUID],
        estimate_minutes: int,
        duration_days: int,
        starts_on: date | None,
        due_on: date | None,
        priority: str,
        tags: list[str],
        custom_values: dict[str, Any],
        status: str,
        status_category: str,
        rank: str,
        meta: dict[str, str],
    ) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.title = title
        self.description = description
        self.parent_id = parent_id
        self.milestone_id = milestone_id
        self.assignee_ids = list(assignee_ids)
        self.estimate_minutes = estimate_minutes
        self.duration_days = duration_days
        self.starts_on = starts_on
        self.due_on = due_on
        self.priority = priority
        self.tags = list(tags)
        self.custom_values = dict(custom_values)
        self.status = status
        self.status_category = status_category
        self.rank = rank

    @classmethod
    def create(
        cls,
        *,
        organisation_id: UUID,
        project_id: UUID,
        title: str,
        status: str,
        status_category: str,
        rank: str,
        meta: dict[str, str],
        description: str = "",
        parent_id: UUID | None = None,
        milestone_id: UUID | None = None,
        assignee_ids: list[UUID] | None = None,
        estimate_minutes: int = 0,
        duration_days: int = 1,
        starts_on: date | None = None,
        due_on: date | None = None,
        priority: str = Priority.NORMAL,
        tags: list[str] | None = None,
        custom_values: dict[str, Any] | None = None,
    ) -> Task:
        title = title.strip()
        check_title(title)
        check_estimate(estimate_minutes)
        check_duration(duration_days)
        check_dates(starts_on, due_on)
        return cls(
            organisation_id=organisation_id,
            project_id=project_id,
            title=title,
            description=description,
            parent_id=parent_id,
            milestone_id=milestone_id,
            assignee_ids=_unique(assignee_ids or []),
            estimate_minutes=estimate_minutes,
            duration_days=duration_days,
            starts_on=starts_on,
            due_on=due_on,
            priority=priority_of(priority).value,
            tags=_clean_tags(tags or []),
            custom_values=dict(custom_values or {}),
            status=status,
            status_category=status_category,
            rank=rank,
            meta=meta,
        )

    def _scope(self) -> dict[str, UUID]:
        return {"organisation_id": self.organisation_id, "project_id": self.project_id}

    @property
    def is_done(self) -> bool:
        return self.status_category == "done"

    # -- details ------------------------------------------------------------------------

    class Retitled(TaskEvent):
        title: str

    def retitle(self, title: str, meta: dict[str, str]) -> None:
        title = title.strip()
        check_title(title)
        if title != self.title:
            self._retitled(title=title, meta=meta, **self._scope())

    @event(Retitled)
    def _retitled(self, title: str, organisation_id: UUID, project_id: UUID, meta: dict[str, str]) -> None:
        self.title = title

    class Described(TaskEvent):
        description: str

    def describe(self, description: str, meta: dict[str, str]) -> None:
        if description != self.description:
            self._described(description=description, meta=meta, **self._scope())

    @event(Described)
    def _described(
        self, description: str, organisation_id: UUID, project_id: UUID, meta: dict[str, str]
    ) -> None:
        self.description = description

    class Reassigned(TaskEvent):
        assignee_ids: list[UUID]

    def reassign(self, assignee_ids: list[UUID], meta: dict[str, str]) -> None:
        assignees = _unique(assignee_ids)
        if assignees != self.assignee_ids:
            self._reassigned(assignee_ids=assignees, meta=meta, **self._scope())

    @event(Reassigned)
    def _reassigned(
        self, assignee_ids: list[UUID], organisation_id: UUID, project_id: UUID, meta: dict[str, str]
    ) -> None:
        self.assignee_ids = list(assignee_ids)

    class Estimated(TaskEvent):
        estimate_minutes: int

    def estimate(self, estimate_minutes: int, meta: dict[str, str]) -> None:
        check_estimate(estimate_minutes)
        if estimate_minutes != self.estimate_minutes:
            self._estimated(estimate_minutes=estimate_minutes, meta=meta, **self._scope())

    @event(Estimated)
    def _estimated(
        self, estimate_minutes: int, organisation_id: UUID, project_id: UUID, meta: dict[str, str]
    ) -> None:
        self.estimate_minutes = estimate_minutes

    class Prioritised(TaskEvent):
        priority: str

    def prioritise(self, priority: str, meta: dict[str, str]) -> None:
        value = priority_of(priority).value
        if value != self.priority:
            self._prioritised(priority=value, meta=meta, **self._scope())

    @event(Prioritised)
    def _prioritised(
        self, priority: str, organisation_id: UUID, project_id: UUID, meta: dict[str, str]
    ) -> None:
        self.priority = priority

    class Tagged(TaskEvent):
        tags: list[str]

    def tag(self, tags: list[str], meta: dict[str, str]) -> None:
        cleaned = _clean_tags(tags)
        if cleaned != self.tags:
            self._tagged(tags=cleaned, meta=meta, **self._scope())

    @event(Tagged)
    def _tagged(self, tags: list[str], organisation_id: UUID, project_id: UUID, meta: dict[str, str]) -> None:
        self.tags = list(tags)

    class CustomValuesChanged(TaskEvent):
        """``values`` is the task's full set of custom values after the change, keyed by
        the stable field id (never the field's name, so renaming a field loses nothing)."""

        values: dict[str, Any]

    def set_custom_values(self, values: dict[str, Any], meta: dict[str, str]) -> None:
        if values != self.custom_values:
            self._custom_values_changed(values=dict(values), meta=meta, **self._scope())

    @event(CustomValuesChanged)
    def _custom_values_changed(
        self, values: dict[str, Any], organisation_id: UUID, project_id: UUID, meta: dict[str, str]
    ) -> None:
        self.custom_values = dict(values)

    # -- place in the plan --------------------------------------------------------------

    class Rescheduled(TaskEvent):
        starts_on: date | None
        duration_days: int
        due_on: date | None

    def reschedule(
        self, *, starts_on: date | None, duration_days: int, due_on: date | None, meta: dict[str, str]
    ) -> None:
        check_duration(duration_days)
        check_dates(starts_on, due_on)
        if (starts_on, duration_days, due_on) != (self.starts_on, self.duration_days, self.due_on):
            self._rescheduled(
                starts_on=starts_on, duration_days=duration_days, due_on=due_on, meta=meta, **self._scope()
            )

    @event(Rescheduled)
    def _rescheduled(
        self,
        starts_on: date | None,
        duration_days: int,
        due_on: date | None,
        organisation_id: UUID,
        project_id: UUID,
        meta: dict[str, str],
    ) -> None:
        self.starts_on = starts_on
        self.duration_days = duration_days
        self.due_on = due_on

    class Moved(TaskEvent):
        """The task now belongs to another milestone or parent task (None: neither)."""

        milestone_id: UUID | None
        parent_id: UUID | None

    def move(self, *, milestone_id: UUID | None, parent_id: UUID | None, meta: dict[str, str]) -> None:
        if parent_id == self.id:
            raise PlanningRuleBroken(f"Task {self.id} cannot be its own subtask.")
        if (milestone_id, parent_id) != (self.milestone_id, self.parent_id):
            self._moved(milestone_id=milestone_id, parent_id=parent_id, meta=meta, **self._scope())

    @event(Moved)
    def _moved(
        self,
        milestone_id: UUID | None,
        parent_id: UUID | None,
        organisation_id: UUID,
        project_id: UUID,
        meta: dict[str, str],
    ) -> None:
        self.milestone_id = milestone_id
        self.parent_id = parent_id

    # -- workflow and board -------------------------------------------------------------

    class StatusChanged(TaskEvent):
        """The task moved to another status (board column) at ``rank`` within it."""

        status: str
        status_category: str
        rank: str

    def change_status(self, *, status: str, status_category: str, rank: str, meta: dict[str, str]) -> None:
        if status != self.status:
            self._status_changed(
                status=status, status_category=status_category, rank=rank, meta=meta, **self._scope()
            )
        elif rank != self.rank:
            self.rerank(rank, meta)

    @event(StatusChanged)
    def _status_changed(
        self,
        status: str,
        status_category: str,
        rank: str,
        organisation_id: UUID,
        project_id: UUID,
        meta: dict[str, str],
    ) -> None:
        self.status = status
        self.status_category = status_category
        self.rank = rank

    class Reranked(TaskEvent):
        """Moved within its column by a person (drag and drop)."""

        rank: str

    def rerank(self, rank: str, meta: dict[str, str]) -> None:
        if rank != self.rank:
            self._reranked(rank=rank, meta=meta, **self._scope())

    @event(Reranked)
    def _reranked(self, rank: str, organisation_id: UUID, project_id: UUID, meta: dict[str, str]) -> None:
        self.rank = rank

    class RankRebalanced(TaskEvent):
        """Internal housekeeping: ranks in a column grew too long and were respaced.
        The order is unchanged; nobody's plan moved."""

        rank: str

    def rebalance_rank(self, rank: str, meta: dict[str, str]) -> None:
        if rank != self.rank:
            self._rank_rebalanced(rank=rank, meta=meta, **self._scope())

    @event(RankRebalanced)
    def _rank_rebalanced(
        self, rank: str, organisation_id: UUID, project_id: UUID, meta: dict[str, str]
    ) -> None:
        self.rank = rank


def check_title(title: str) -> None:
    if not title:
        raise PlanningRuleBroken("A task needs a title.")
    if len(title) > MAX_TITLE_LENGTH:
        raise PlanningRuleBroken(f"A task title has at most {MAX_TITLE_LENGTH} characters.")


def check_estimate(estimate_minutes: int) -> None:
    if not 0 <= estimate_minutes <= MAX_ESTIMATE_MINUTES:
        raise PlanningRuleBroken(
            f"A task estimate is between 0 and {MAX_ESTIMATE_MINUTES} minutes, not {estimate_minutes}."
        )


def check_duration(duration_days: int) -> None:
    if not 0 <= duration_days <= MAX_DURATION_DAYS:
        raise PlanningRuleBroken(
            f"A task lasts 0 (a checkpoint) to {MAX_DURATION_DAYS} working days, not {duration_days}."
        )


def check_dates(starts_on: date | None, due_on: date | None) -> None:
    if starts_on is not None and due_on is not None and due_on < starts_on:
        raise PlanningRuleBroken(
            f"A task cannot be due ({due_on.isoformat()}) before it starts ({starts_on.isoformat()})."
        )


def _unique(ids: list[UUID]) -> list[UUID]:
    return list(dict.fromkeys(ids))


def _clean_tags(tags: list[str]) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in tags if t.strip()))
