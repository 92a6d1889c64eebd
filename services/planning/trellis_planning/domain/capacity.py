"""A resource's working capacity, and how allocations add up against it day by day.

Whole minutes are the unit of every sum: allocations add up exactly, and a day is
over-allocated exactly when its allocated minutes exceed its capacity. Hours appear only
at the edges (what people type and what contracts carry).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from trellis_planning.domain.errors import PlanningRuleBroken

MINUTES_PER_DAY = 24 * 60
ALL_WEEKDAYS = frozenset(range(1, 8))
"""ISO weekdays: Monday=1 .. Sunday=7."""
MONDAY_TO_FRIDAY = frozenset(range(1, 6))


def minutes_from_hours(hours: Decimal, *, what: str = "hours_per_day") -> int:
    """Hours a person types (7.5) as whole minutes (450); anything else is refused."""
    minutes = hours * 60
    if minutes != minutes.to_integral_value():
        raise PlanningRuleBroken(f"{what} must be a whole number of minutes, not {hours} hours.")
    if not 0 < minutes <= MINUTES_PER_DAY:
        raise PlanningRuleBroken(f"{what} must be more than 0 and at most 24 hours, not {hours}.")
    return int(minutes)


def hours_from_minutes(minutes: int) -> Decimal:
    """Minutes as hours for display and contracts, to the hundredth (100 min -> 1.67)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def check_weekdays(weekdays: frozenset[int]) -> None:
    if not weekdays:
        raise PlanningRuleBroken("A resource works on at least one weekday.")
    if not weekdays <= ALL_WEEKDAYS:
        raise PlanningRuleBroken(f"Working weekdays are 1 (Monday) to 7 (Sunday), not {sorted(weekdays)}.")


def days(first: date, last: date) -> Iterator[date]:
    """Every day from ``first`` to ``last`` inclusive."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


@dataclass(frozen=True)
class WorkPattern:
    """When a resource works and for how long: the same minutes on each working weekday,
    none on other weekdays or on its days off."""

    minutes_per_day: int
    weekdays: frozenset[int]
    days_off: frozenset[date] = frozenset()

    def works_weekday(self, day: date) -> bool:
        return day.isoweekday() in self.weekdays

    def is_available(self, day: date) -> bool:
        return self.works_weekday(day) and day not in self.days_off

    def capacity_on(self, day: date) -> int:
        return self.minutes_per_day if self.is_available(day) else 0


@dataclass(frozen=True)
class DayLoad:
    """One resource-day: what it can take, what is allocated to it, and by which projects."""

    day: date
    capacity: int
    allocated: int
    project_ids: frozenset[UUID] = frozenset()

    @property
    def free(self) -> int:
        return max(self.capacity - self.allocated, 0)

    @property
    def is_overallocated(self) -> bool:
        return self.allocated > self.capacity


@dataclass(frozen=True)
class WeekLoad:
    """An ISO week (Monday to Sunday) of one resource, summed from its days."""

    week_starting: date
    capacity: int
    allocated: int
    overallocated_days: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.allocated, 0)

    @property
    def is_overallocated(self) -> bool:
        return self.allocated > self.capacity


def monday_of(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


def weeks_of(loads: list[DayLoad]) -> list[WeekLoad]:
    """Sums day loads by ISO week, in order; a week holds only the days it was given."""
    weeks: dict[date, list[DayLoad]] = {}
    for load in loads:
        weeks.setdefault(monday_of(load.day), []).append(load)
    return [
        WeekLoad(
            week_starting=monday,
            capacity=sum(d.capacity for d in week),
            allocated=sum(d.allocated for d in week),
            overallocated_days=sum(1 for d in week if d.is_overallocated),
        )
        for monday, week in sorted(weeks.items())
    ]
