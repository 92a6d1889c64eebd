"""An assignment: a resource's share of a task's estimate, spread over the task's days.

The share is spread evenly, in whole minutes, over the days the resource is available
(a working weekday, not a day off) within the task's span, so a day off moves work to
the resource's other days rather than hiding it. A span without a single available day
puts the share on every day of the span, where the resource has no capacity: the
over-allocation is shown, not lost. A task without dates allocates nothing yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from trellis_planning.domain.capacity import WorkPattern, days

SEARCH_LIMIT_DAYS = 20 * 366
"""How far a span given by a start (or a due date) and a duration is searched for working days."""


@dataclass(frozen=True)
class Assignment:
    """``minutes`` is this resource's share; ``duration_days`` counts the resource's
    working days and is used only when one of the dates is missing."""

    task_id: UUID
    project_id: UUID
    starts_on: date | None
    due_on: date | None
    duration_days: int
    minutes: int

    def span_days(self, pattern: WorkPattern) -> list[date]:
        """The days the share is spread over."""
        if self.starts_on is not None and self.due_on is not None:
            span = list(days(self.starts_on, self.due_on))
            return [d for d in span if pattern.is_available(d)] or span
        wanted = max(self.duration_days, 1)
        if self.starts_on is not None:
            return _available(pattern, self.starts_on, wanted, step=1) or [self.starts_on]
        if self.due_on is not None:
            return sorted(_available(pattern, self.due_on, wanted, step=-1)) or [self.due_on]
        return []

    def minutes_by_day(self, pattern: WorkPattern) -> dict[date, int]:
        span = self.span_days(pattern)
        if not span or self.minutes == 0:
            return {}
        each, remainder = divmod(self.minutes, len(span))
        spread = {day: each + (1 if n < remainder else 0) for n, day in enumerate(span)}
        return {day: minutes for day, minutes in spread.items() if minutes}


def _available(pattern: WorkPattern, start: date, wanted: int, *, step: int) -> list[date]:
    found: list[date] = []
    day = start
    for _ in range(SEARCH_LIMIT_DAYS):
        if pattern.is_available(day):
            found.append(day)
            if len(found) == wanted:
                break
        day += timedelta(days=step)
    return found


def shares(total_minutes: int, people: int) -> list[int]:
    """A task's estimate split between its assignees in whole minutes, summing exactly."""
    if people == 0:
        return []
    each, remainder = divmod(total_minutes, people)
    return [each + (1 if n < remainder else 0) for n in range(people)]
