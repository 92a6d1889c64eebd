"""One person's day of logged time: the rule that nobody logs more than 24 hours a day.

Each (organisation, person, day) has exactly one of these, found by a derived id, and it
is saved in the same transaction as the time entries it counts. Two concurrent entries
for the same person and day therefore conflict on this aggregate's version instead of
both slipping under the limit. Its events stay inside planning.

Stored event topics are ``trellis_planning.domain.timesheet_day:TimesheetDay.<Event>``:
this module and these class names stay where they are.
"""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from trellis_planning.domain.capacity import MINUTES_PER_DAY
from trellis_planning.domain.errors import PlanningRuleBroken

_NAMESPACE = uuid5(NAMESPACE_URL, "https://trellis.local/planning/timesheet-day")


def timesheet_day_id(organisation_id: UUID, person_id: UUID, day: date) -> UUID:
    return uuid5(_NAMESPACE, f"{organisation_id}/{person_id}/{day.isoformat()}")


class TimesheetDay(Aggregate):
    class Opened(Aggregate.Created):
        organisation_id: UUID
        person_id: UUID
        day: date
        meta: dict[str, str]

    @staticmethod
    def create_id(organisation_id: UUID, person_id: UUID, day: date) -> UUID:
        return timesheet_day_id(organisation_id, person_id, day)

    @event(Opened)
    def __init__(self, *, organisation_id: UUID, person_id: UUID, day: date, meta: dict[str, str]) -> None:
        self.organisation_id = organisation_id
        self.person_id = person_id
        self.day = day
        self.minutes_by_entry: dict[UUID, int] = {}

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes_by_entry.values())

    class Counted(Aggregate.Event):
        entry_id: UUID
        minutes: int
        meta: dict[str, str]

    def count(self, entry_id: UUID, minutes: int, meta: dict[str, str]) -> None:
        """Counts (or recounts) an entry; refuses a total over 24 hours."""
        if self.minutes_by_entry.get(entry_id) == minutes:
            return
        others = self.total_minutes - self.minutes_by_entry.get(entry_id, 0)
        if others + minutes > MINUTES_PER_DAY:
            raise PlanningRuleBroken(
                f"Person {self.person_id} already has {others} minutes logged on {self.day.isoformat()};"
                f" {minutes} more would exceed 24 hours ({MINUTES_PER_DAY} minutes) in a day."
            )
        self._counted(entry_id=entry_id, minutes=minutes, meta=meta)

    @event(Counted)
    def _counted(self, entry_id: UUID, minutes: int, meta: dict[str, str]) -> None:
        self.minutes_by_entry[entry_id] = minutes

    class Released(Aggregate.Event):
        entry_id: UUID
        meta: dict[str, str]

    def release(self, entry_id: UUID, meta: dict[str, str]) -> None:
        if entry_id in self.minutes_by_entry:
            self._released(entry_id=entry_id, meta=meta)

    @event(Released)
    def _released(self, entry_id: UUID, meta: dict[str, str]) -> None:
        del self.minutes_by_entry[entry_id]
