"""A milestone: a named point the client cares about, with the span of work leading to it.

A milestone completes when every one of its tasks is done (or by hand when it has no
tasks), and reopens when one of them is no longer done.

Stored event topics are ``trellis_planning.domain.milestone:Milestone.<Event>``.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_planning.domain.errors import PlanningRuleBroken

MAX_NAME_LENGTH = 200


class Milestone(Aggregate):
    class Created(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        name: str
        starts_on: date
        due_on: date
        meta: dict[str, str]

    @event(Created)
    def __init__(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        name: str,
        starts_on: date,
        due_on: date,
        meta: dict[str, str],
    ) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.name = name
        self.starts_on = starts_on
        self.due_on = due_on
        self.completed_on: date | None = None

    @classmethod
    def create(
        cls,
        *,
        organisation_id: UUID,
        project_id: UUID,
        name: str,
        starts_on: date,
        due_on: date,
        meta: dict[str, str],
    ) -> Milestone:
        name = name.strip()
        check_name(name)
        check_dates(starts_on, due_on)
        return cls(
            organisation_id=organisation_id,
            project_id=project_id,
            name=name,
            starts_on=starts_on,
            due_on=due_on,
            meta=meta,
        )

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None

    def _scope(self) -> dict[str, UUID]:
        return {"organisation_id": self.organisation_id, "project_id": self.project_id}

    class Replanned(Aggregate.Event):
        """The milestone's name or dates changed; the event carries all three."""

        organisation_id: UUID
        project_id: UUID
        name: str
        starts_on: date
        due_on: date
        meta: dict[str, str]

    def rename(self, name: str, meta: dict[str, str]) -> None:
        name = name.strip()
        check_name(name)
        if name != self.name:
            self._replanned(
                name=name, starts_on=self.starts_on, due_on=self.due_on, meta=meta, **self._scope()
            )

    def reschedule(self, starts_on: date, due_on: date, meta: dict[str, str]) -> None:
        check_dates(starts_on, due_on)
        if (starts_on, due_on) != (self.starts_on, self.due_on):
            self._replanned(name=self.name, starts_on=starts_on, due_on=due_on, meta=meta, **self._scope())

    @event(Replanned)
    def _replanned(
        self,
        name: str,
        starts_on: date,
        due_on: date,
        organisation_id: UUID,
        project_id: UUID,
        meta: dict[str, str],
    ) -> None:
        self.name = name
        self.starts_on = starts_on
        self.due_on = due_on

    class Completed(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        name: str
        completed_on: date
        meta: dict[str, str]

    def complete(self, completed_on: date, meta: dict[str, str]) -> None:
        if self.completed_on is None:
            self._completed(completed_on=completed_on, name=self.name, meta=meta, **self._scope())

    @event(Completed)
    def _completed(
        self, completed_on: date, name: str, organisation_id: UUID, project_id: UUID, meta: dict[str, str]
    ) -> None:
        self.completed_on = completed_on

    class Reopened(Aggregate.Event):
        """A task of a completed milestone is no longer done."""

        organisation_id: UUID
        project_id: UUID
        name: str
        meta: dict[str, str]

    def reopen(self, meta: dict[str, str]) -> None:
        if self.completed_on is not None:
            self._reopened(name=self.name, meta=meta, **self._scope())

    @event(Reopened)
    def _reopened(self, name: str, organisation_id: UUID, project_id: UUID, meta: dict[str, str]) -> None:
        self.completed_on = None


def check_name(name: str) -> None:
    if not name or len(name) > MAX_NAME_LENGTH:
        raise PlanningRuleBroken(f"A milestone needs a name of 1 to {MAX_NAME_LENGTH} characters.")


def check_dates(starts_on: date, due_on: date) -> None:
    if due_on < starts_on:
        raise PlanningRuleBroken(
            f"A milestone cannot be due ({due_on.isoformat()}) before it starts ({starts_on.isoformat()})."
        )
