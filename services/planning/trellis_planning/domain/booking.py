"""A booking: a resource reserved for a project over a span of days, so many hours a day.

A booking takes its hours on each of the resource's working weekdays in its span, days
off included: booking someone on their day off is a conflict the capacity view shows
(the day is over-allocated), not something to hide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from trellis_planning.domain.capacity import WorkPattern, days
from trellis_planning.domain.errors import PlanningRuleBroken

MAX_BOOKING_DAYS = 732


@dataclass(frozen=True)
class Booking:
    booking_id: UUID
    project_id: UUID
    starts_on: date
    ends_on: date
    minutes_per_day: int

    def overlaps(self, starts_on: date, ends_on: date) -> bool:
        return self.starts_on <= ends_on and starts_on <= self.ends_on

    def minutes_by_day(self, pattern: WorkPattern) -> dict[date, int]:
        return {
            day: self.minutes_per_day
            for day in days(self.starts_on, self.ends_on)
            if pattern.works_weekday(day)
        }


def check_booking_span(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise PlanningRuleBroken(
            f"A booking cannot end ({ends_on.isoformat()}) before it starts ({starts_on.isoformat()})."
        )
    length = (ends_on - starts_on).days + 1
    if length > MAX_BOOKING_DAYS:
        raise PlanningRuleBroken(f"A booking spans at most {MAX_BOOKING_DAYS} days, not {length}.")
