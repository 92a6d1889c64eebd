"""Working calendars: which days count as working days, for the project and for its resources.

A day is a working day of the project calendar when its weekday is not a weekend day and it
is not a holiday. An activity assigned to resources works only on days that are working days
of the project calendar AND of every one of its resources (a resource's days off are
subtracted from the project calendar, never added to it).

Counting conventions (``n`` and the results are in working days of the calendar in question,
that is, of the project calendar narrowed by ``resource_ids``):

- ``add_working_days(start, n)``: for n > 0 the n-th working day strictly after ``start``; for
  n < 0 the |n|-th working day strictly before it; for n == 0 ``start`` itself. From a working
  day, ``add_working_days(d, 1)`` is the next working day and ``add_working_days(d, -1)`` the
  previous one, whatever lies in between.
- ``working_days_between(a, b)``: the number of working days in (a, b] when b >= a and minus
  the number in (b, a] when b < a, so that ``working_days_between(d, add_working_days(d, n))
  == n`` for every working day d.
- ``working_days_in(first, last)``: the working days from ``first`` to ``last`` inclusive.
- ``next_working_day(day)``: ``day`` itself when it is a working day, else the first working
  day after it; ``previous_working_day(day)`` likewise backwards.

How it stays fast: no arithmetic walks the calendar day by day. The project calendar numbers
its working days consecutively (the *working-day index*) by arithmetic on whole weeks plus a
sorted list of the holidays that fall on weekdays, searched with ``bisect``. A resource set's
days off become a sorted list of indexes, searched the same way, built once per distinct set
and cached on the calendar. The scheduling engine works on these indexes
(``index_on_or_after``, ``day_at``, ``days_off_for``) rather than on dates, and turns them
into dates at the end with one walk over the schedule's own window (``days_at``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from trellis_planning.domain.scheduling.errors import InvalidCalendar

_DAYS_OF_WEEK = 7


class DaysOff:
    """Days off of a resource set, as working-day indexes of the project calendar.

    The indexes that stay on are the resource set's own working days; ``rank`` numbers them
    consecutively so that arithmetic in the resource set's working days is arithmetic on
    ranks. Every operation is one or two binary searches.
    """

    __slots__ = ("_keys", "_off")

    def __init__(self, indexes: Iterable[int]) -> None:
        off = sorted(set(indexes))
        self._off = off
        # _keys[i]: the rank of the first on-index after _off[i]; never decreasing.
        self._keys = [index - i for i, index in enumerate(off)]

    def __bool__(self) -> bool:
        return bool(self._off)

    def is_off(self, index: int) -> bool:
        i = bisect_left(self._off, index)
        return i < len(self._off) and self._off[i] == index

    def rank(self, index: int) -> int:
        """How many on-indexes lie below ``index`` (counted from index 0, so it can be negative)."""
        return index - bisect_left(self._off, index)

    def at_rank(self, rank: int) -> int:
        """The on-index whose rank is ``rank``."""
        return rank + bisect_right(self._keys, rank)

    def on_or_after(self, index: int) -> int:
        return self.at_rank(index - bisect_left(self._off, index))

    def on_or_before(self, index: int) -> int:
        return self.at_rank(index - bisect_right(self._off, index))

    def finish_after(self, start: int, duration: int) -> int:
        """The index just after the last day of ``duration`` >= 1 on-days from ``start`` (on)."""
        return self.at_rank(start - bisect_left(self._off, start) + duration - 1) + 1

    def start_before(self, last: int, duration: int) -> int:
        """The start of ``duration`` >= 1 on-days whose last day is ``last`` (on)."""
        return self.at_rank(last - bisect_left(self._off, last) - duration + 1)


@dataclass(frozen=True)
class WorkingCalendar:
    weekend_days: frozenset[int] = frozenset({5, 6})
    """Weekdays that are never worked, Monday=0 .. Sunday=6."""
    holidays: frozenset[date] = frozenset()
    resource_days_off: Mapping[str, frozenset[date]] = field(default_factory=dict, hash=False)
    """Days off per resource id, on top of the weekends and holidays."""

    _week_prefix: tuple[int, ...] = field(init=False, repr=False, compare=False, hash=False)
    _week_positions: tuple[int, ...] = field(init=False, repr=False, compare=False, hash=False)
    _holiday_ordinals: tuple[int, ...] = field(init=False, repr=False, compare=False, hash=False)
    _holiday_keys: tuple[int, ...] = field(init=False, repr=False, compare=False, hash=False)
    _days_off_cache: dict[frozenset[str], DaysOff | None] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )
    _resource_indexes: dict[str, tuple[int, ...]] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        weekend = frozenset(self.weekend_days)
        if not weekend <= frozenset(range(_DAYS_OF_WEEK)):
            raise InvalidCalendar(f"Weekend days must be 0 (Monday) to 6 (Sunday), not {sorted(weekend)}")
        if len(weekend) == _DAYS_OF_WEEK:
            raise InvalidCalendar("A calendar needs at least one working weekday")
        holidays = frozenset(self.holidays)
        days_off = MappingProxyType({r: frozenset(days) for r, days in self.resource_days_off.items()})
        prefix = [0]
        for weekday in range(_DAYS_OF_WEEK):
            prefix.append(prefix[-1] + (weekday not in weekend))
        # Ordinal 1 (0001-01-01) is a Monday, so an ordinal's weekday is (ordinal - 1) % 7.
        ordinals = sorted(h.toordinal() for h in holidays if h.weekday() not in weekend)
        set_ = object.__setattr__
        set_(self, "weekend_days", weekend)
        set_(self, "holidays", holidays)
        set_(self, "resource_days_off", days_off)
        set_(self, "_week_prefix", tuple(prefix))
        set_(self, "_week_positions", tuple(d for d in range(_DAYS_OF_WEEK) if d not in weekend))
        set_(self, "_holiday_ordinals", tuple(ordinals))
        # The first working day after holiday i has index _holiday_keys[i].
        set_(self, "_holiday_keys", tuple(self._weekdays_before(o) - i for i, o in enumerate(ordinals)))

    # The working-day index of the project calendar.

    def _weekdays_before(self, ordinal: int) -> int:
        weeks, rest = divmod(ordinal - 1, _DAYS_OF_WEEK)
        return weeks * self._week_prefix[_DAYS_OF_WEEK] + self._week_prefix[rest]

    def _working_days_before(self, ordinal: int) -> int:
        return self._weekdays_before(ordinal) - bisect_left(self._holiday_ordinals, ordinal)

    def index_on_or_after(self, day: date) -> int:
        """The working-day index of ``day``, or of the first project working day after it."""
        return self._working_days_before(day.toordinal())

    def index_on_or_before(self, day: date) -> int:
        """The working-day index of ``day``, or of the last project working day before it."""
        return self._working_days_before(day.toordinal() + 1) - 1

    def day_at(self, index: int) -> date:
        """The project working day with working-day index ``index``."""
        weekday_count = index + bisect_right(self._holiday_keys, index)
        weeks, position = divmod(weekday_count, self._week_prefix[_DAYS_OF_WEEK])
        return date.fromordinal(1 + weeks * _DAYS_OF_WEEK + self._week_positions[position])

    def days_at(self, first: int, last: int) -> list[date]:
        """The project working days with indexes ``first`` to ``last``, in order (for a window
        of a project, where walking its days once beats a search per day)."""
        if last < first:
            return []
        days = [self.day_at(first)]
        ordinal = days[0].toordinal()
        weekend = self.weekend_days
        holidays = self.holidays
        for _ in range(last - first):
            ordinal += 1
            day = date.fromordinal(ordinal)
            while (ordinal - 1) % _DAYS_OF_WEEK in weekend or day in holidays:
                ordinal += 1
                day = date.fromordinal(ordinal)
            days.append(day)
        return days

    def days_off_for(self, resource_ids: Iterable[str]) -> DaysOff | None:
        """The project working days (as indexes) that these resources do not work; None if none."""
        key = frozenset(r for r in resource_ids if r in self.resource_days_off)
        if not key:
            return None
        try:
            return self._days_off_cache[key]
        except KeyError:
            pass
        indexes = [index for resource in key for index in self._indexes_off(resource)]
        days_off = DaysOff(indexes) if indexes else None
        self._days_off_cache[key] = days_off
        return days_off

    def _indexes_off(self, resource: str) -> tuple[int, ...]:
        try:
            return self._resource_indexes[resource]
        except KeyError:
            pass
        indexes = tuple(
            self._working_days_before(day.toordinal())
            for day in self.resource_days_off[resource]
            if self._is_project_working_day(day)
        )
        self._resource_indexes[resource] = indexes
        return indexes

    def _is_project_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend_days and day not in self.holidays

    # Working days of the project calendar narrowed by resources, as consecutive ranks.

    def _rank_below(self, ordinal: int, days_off: DaysOff | None) -> int:
        index = self._working_days_before(ordinal)
        return index if days_off is None else days_off.rank(index)

    def _day_of_rank(self, rank: int, days_off: DaysOff | None) -> date:
        return self.day_at(rank if days_off is None else days_off.at_rank(rank))

    # The calendar's public arithmetic.

    def is_working_day(self, day: date, resource_ids: Iterable[str] = ()) -> bool:
        if not self._is_project_working_day(day):
            return False
        days_off = self.days_off_for(resource_ids)
        return days_off is None or not days_off.is_off(self.index_on_or_after(day))

    def add_working_days(self, start: date, n: int, resource_ids: Iterable[str] = ()) -> date:
        if n == 0:
            return start
        days_off = self.days_off_for(resource_ids)
        ordinal = start.toordinal()
        if n > 0:
            return self._day_of_rank(self._rank_below(ordinal + 1, days_off) + n - 1, days_off)
        return self._day_of_rank(self._rank_below(ordinal, days_off) + n, days_off)

    def working_days_between(self, a: date, b: date, resource_ids: Iterable[str] = ()) -> int:
        days_off = self.days_off_for(resource_ids)
        return self._rank_below(b.toordinal() + 1, days_off) - self._rank_below(a.toordinal() + 1, days_off)

    def working_days_in(self, first: date, last: date, resource_ids: Iterable[str] = ()) -> int:
        if last < first:
            return 0
        days_off = self.days_off_for(resource_ids)
        below_first = self._rank_below(first.toordinal(), days_off)
        return self._rank_below(last.toordinal() + 1, days_off) - below_first

    def next_working_day(self, day: date, resource_ids: Iterable[str] = ()) -> date:
        days_off = self.days_off_for(resource_ids)
        return self._day_of_rank(self._rank_below(day.toordinal(), days_off), days_off)

    def previous_working_day(self, day: date, resource_ids: Iterable[str] = ()) -> date:
        days_off = self.days_off_for(resource_ids)
        return self._day_of_rank(self._rank_below(day.toordinal() + 1, days_off) - 1, days_off)
