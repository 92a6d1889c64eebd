"""A time entry: a person's work on a task, on the day it was done.

``worked_on`` is the day of work; when the entry was recorded, corrected or deleted is
the timestamp of the event that did it, so late and back-dated entries stay visible as
such. A correction carries the entry's full new state; a deletion is a fact too.

Stored event topics are ``trellis_planning.domain.time_entry:TimeEntry.<Event>``: this
module and these class names stay where they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_planning.domain.capacity import MINUTES_PER_DAY
from trellis_planning.domain.errors import PlanningRuleBroken

MAX_NOTE_LENGTH = 2000


@dataclass(frozen=True)
class WorkDone:
    """What an entry says, as logged or as corrected."""

    project_id: UUID
    task_id: UUID
    person_id: UUID
    worked_on: date
    minutes: int
    billable: bool
    note: str


def check_work(work: WorkDone) -> None:
    if not 0 < work.minutes <= MINUTES_PER_DAY:
        raise PlanningRuleBroken(
            f"A time entry lasts more than 0 and at most {MINUTES_PER_DAY} minutes, not {work.minutes}."
        )
    if len(work.note) > MAX_NOTE_LENGTH:
        raise PlanningRuleBroken(f"A note has at most {MAX_NOTE_LENGTH} characters.")


class TimeEntry(Aggregate):
    class Logged(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        task_id: UUID
        person_id: UUID
        worked_on: date
        minutes: int
        billable: bool
        note: str
        meta: dict[str, str]

    @event(Logged)
    def __init__(self, *, organisation_id: UUID, project_id: UUID, task_id: UUID, person_id: UUID,
                 worked_on: date, minutes: int, billable: bool, note: str, meta: dict[str, str]) -> None:
        self.organisation_id = organisation_id
        self.work = WorkDone(project_id=project_id, task_id=task_id, person_id=person_id,
                             worked_on=worked_on, minutes=minutes, billable=billable, note=note)
        self.is_deleted = False

    @classmethod
    def log(cls, *, organisation_id: UUID, work: WorkDone, meta: dict[str, str]) -> TimeEntry:
        work = _cleaned(work)
        check_work(work)
        return cls(organisation_id=organisation_id, project_id=work.project_id, task_id=work.task_id,
                   person_id=work.person_id, worked_on=work.worked_on, minutes=work.minutes,
                   billable=work.billable, note=work.note, meta=meta)

    class Corrected(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        task_id: UUID
        person_id: UUID
        worked_on: date
        minutes: int
        billable: bool
        note: str
        meta: dict[str, str]

    def correct(self, work: WorkDone, meta: dict[str, str]) -> bool:
        """Records the new state; returns False (and records nothing) when nothing changed."""
        self._check_not_deleted()
        work = _cleaned(work)
        check_work(work)
        if work == self.work:
            return False
        self._corrected(organisation_id=self.organisation_id, project_id=work.project_id,
                        task_id=work.task_id, person_id=work.person_id, worked_on=work.worked_on,
                        minutes=work.minutes, billable=work.billable, note=work.note, meta=meta)
        return True

    @event(Corrected)
    def _corrected(self, organisation_id: UUID, project_id: UUID, task_id: UUID, person_id: UUID,
                   worked_on: date, minutes: int, billable: bool, note: str, meta: dict[str, str]) -> None:
        self.work = WorkDone(project_id=project_id, task_id=task_id, person_id=person_id,
                             worked_on=worked_on, minutes=minutes, billable=billable, note=note)

    class Deleted(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        meta: dict[str, str]

    def delete(self, meta: dict[str, str]) -> None:
        self._check_not_deleted()
        self._deleted(organisation_id=self.organisation_id, project_id=self.work.project_id, meta=meta)

    @event(Deleted)
    def _deleted(self, organisation_id: UUID, project_id: UUID, meta: dict[str, str]) -> None:
        self.is_deleted = True

    def _check_not_deleted(self) -> None:
        if self.is_deleted:
            raise PlanningRuleBroken(f"Time entry {self.id} was deleted.")


def _cleaned(work: WorkDone) -> WorkDone:
    note = work.note.strip()
    if note == work.note:
        return work
    return WorkDone(project_id=work.project_id, task_id=work.task_id, person_id=work.person_id,
                    worked_on=work.worked_on, minutes=work.minutes, billable=work.billable, note=note)
