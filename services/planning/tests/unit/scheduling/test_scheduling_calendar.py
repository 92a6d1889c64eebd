"""A working calendar counts weekdays, skips holidays, and narrows to a resource's days off.

The arithmetic is checked by hand on a few weeks of January 2026 (Monday the 5th), and
against a day-by-day count on random calendars.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.scheduling import InvalidCalendar, WorkingCalendar

MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 1, d) for d in range(5, 12))
NEXT_MON = date(2026, 1, 12)

HOLIDAY_WEDNESDAY = WorkingCalendar(holidays=frozenset({WED}))
ANA_OFF_THURSDAY = WorkingCalendar(resource_days_off={"ana": frozenset({THU}), "ben": frozenset({FRI})})


def test_monday_to_friday_by_default() -> None:
    calendar = WorkingCalendar()
    assert [calendar.is_working_day(d) for d in (MON, TUE, WED, THU, FRI, SAT, SUN)] == [
        True, True, True, True, True, False, False,
    ]


def test_the_working_day_after_friday_is_monday() -> None:
    assert WorkingCalendar().add_working_days(FRI, 1) == NEXT_MON
    assert WorkingCalendar().add_working_days(NEXT_MON, -1) == FRI


def test_adding_working_days_skips_holidays() -> None:
    assert HOLIDAY_WEDNESDAY.add_working_days(MON, 2) == THU
    assert HOLIDAY_WEDNESDAY.add_working_days(THU, -2) == MON
    assert not HOLIDAY_WEDNESDAY.is_working_day(WED)


def test_adding_zero_days_keeps_the_day_even_when_it_is_not_worked() -> None:
    assert WorkingCalendar().add_working_days(SAT, 0) == SAT


def test_from_a_weekend_the_first_working_day_after_is_one_day_later() -> None:
    assert WorkingCalendar().add_working_days(SAT, 1) == NEXT_MON
    assert WorkingCalendar().add_working_days(SAT, -1) == FRI


def test_a_resource_works_only_when_the_calendar_and_the_resource_both_do() -> None:
    assert ANA_OFF_THURSDAY.is_working_day(THU)
    assert not ANA_OFF_THURSDAY.is_working_day(THU, ["ana"])
    assert not ANA_OFF_THURSDAY.is_working_day(FRI, ["ana", "ben"])
    assert ANA_OFF_THURSDAY.add_working_days(WED, 1, ["ana"]) == FRI
    assert ANA_OFF_THURSDAY.add_working_days(WED, 1, ["ana", "ben"]) == NEXT_MON
    assert ANA_OFF_THURSDAY.add_working_days(WED, 1, ["someone-without-days-off"]) == THU


def test_counting_working_days_between_two_days() -> None:
    calendar = WorkingCalendar()
    assert calendar.working_days_between(MON, FRI) == 4
    assert calendar.working_days_between(FRI, NEXT_MON) == 1
    assert calendar.working_days_between(NEXT_MON, FRI) == -1
    assert calendar.working_days_between(MON, MON) == 0
    assert ANA_OFF_THURSDAY.working_days_between(MON, NEXT_MON, ["ana"]) == 4
    assert calendar.working_days_in(MON, SUN) == 5
    assert calendar.working_days_in(SAT, SUN) == 0
    assert calendar.working_days_in(FRI, MON) == 0


def test_next_and_previous_working_day_keep_a_working_day() -> None:
    calendar = WorkingCalendar()
    assert calendar.next_working_day(TUE) == TUE
    assert calendar.next_working_day(SAT) == NEXT_MON
    assert calendar.previous_working_day(SUN) == FRI
    assert ANA_OFF_THURSDAY.next_working_day(THU, ["ana"]) == FRI
    assert ANA_OFF_THURSDAY.previous_working_day(THU, ["ana"]) == WED


def test_other_weekends_are_allowed() -> None:
    friday_saturday = WorkingCalendar(weekend_days=frozenset({4, 5}))
    assert friday_saturday.add_working_days(THU, 1) == SUN
    seven_days = WorkingCalendar(weekend_days=frozenset())
    assert seven_days.add_working_days(FRI, 1) == SAT


@pytest.mark.parametrize("weekend", [frozenset(range(7)), frozenset({7}), frozenset({-1})])
def test_a_calendar_needs_working_weekdays_numbered_monday_0_to_sunday_6(weekend: frozenset[int]) -> None:
    with pytest.raises(InvalidCalendar):
        WorkingCalendar(weekend_days=weekend)
    assert issubclass(InvalidCalendar, PlanningRuleBroken)


def test_calendars_with_the_same_days_are_equal_and_do_not_change_when_their_input_does() -> None:
    days_off = {"ana": {THU}}
    calendar = WorkingCalendar(resource_days_off=days_off)  # type: ignore[arg-type]
    days_off["ana"].add(FRI)
    assert calendar == WorkingCalendar(resource_days_off={"ana": frozenset({THU})})
    assert calendar.is_working_day(FRI, ["ana"])
    assert hash(WorkingCalendar()) == hash(WorkingCalendar())


def test_the_arithmetic_holds_decades_away_without_walking_there() -> None:
    calendar = WorkingCalendar(holidays=frozenset({date(2026, 12, 25)}))
    weeks = 5_200  # a hundred years of five-day weeks, and one Friday holiday on the way
    far = calendar.add_working_days(MON, 5 * weeks)
    assert far == MON + timedelta(weeks=weeks) + timedelta(days=1)
    assert calendar.working_days_between(MON, far) == 5 * weeks
    assert calendar.add_working_days(far, -5 * weeks) == MON


# Against a day-by-day count on random calendars.

BASE = date(2026, 1, 1)
RESOURCES = ("ana", "ben", "cy")
days_near = st.integers(-60, 60).map(lambda n: BASE + timedelta(days=n))


@st.composite
def calendars(draw: st.DrawFn) -> WorkingCalendar:
    weekend = draw(st.frozensets(st.integers(0, 6), max_size=3))
    holidays = draw(st.frozensets(days_near, max_size=15))
    days_off = draw(st.dictionaries(st.sampled_from(RESOURCES), st.frozensets(days_near, max_size=15)))
    return WorkingCalendar(weekend, holidays, days_off)


def works(calendar: WorkingCalendar, day: date, resources: tuple[str, ...]) -> bool:
    return (
        day.weekday() not in calendar.weekend_days
        and day not in calendar.holidays
        and all(day not in calendar.resource_days_off.get(r, frozenset()) for r in resources)
    )


def walk(calendar: WorkingCalendar, start: date, n: int, resources: tuple[str, ...]) -> date:
    day, step, left = start, (1 if n > 0 else -1), abs(n)
    while left:
        day += timedelta(days=step)
        left -= works(calendar, day, resources)
    return day


resource_sets = st.lists(st.sampled_from(RESOURCES), max_size=3, unique=True).map(tuple)


@given(calendars(), days_near, st.integers(-40, 40), resource_sets)
def test_adding_working_days_matches_walking_the_calendar_day_by_day(
    calendar: WorkingCalendar, start: date, n: int, resources: tuple[str, ...]
) -> None:
    assert calendar.add_working_days(start, n, resources) == walk(calendar, start, n, resources)


@given(calendars(), days_near, days_near, resource_sets)
def test_counting_matches_counting_day_by_day(
    calendar: WorkingCalendar, a: date, b: date, resources: tuple[str, ...]
) -> None:
    low, high = min(a, b), max(a, b)
    inside = sum(works(calendar, low + timedelta(days=k), resources) for k in range(1, (high - low).days + 1))
    assert calendar.working_days_between(a, b, resources) == (inside if b >= a else -inside)
    inclusive = sum(works(calendar, a + timedelta(days=k), resources) for k in range((b - a).days + 1))
    assert calendar.working_days_in(a, b, resources) == inclusive
    assert calendar.is_working_day(a, resources) == works(calendar, a, resources)


@given(calendars(), days_near, resource_sets)
def test_next_and_previous_working_days_match_walking(
    calendar: WorkingCalendar, day: date, resources: tuple[str, ...]
) -> None:
    if works(calendar, day, resources):
        assert calendar.next_working_day(day, resources) == day
        assert calendar.previous_working_day(day, resources) == day
    else:
        assert calendar.next_working_day(day, resources) == walk(calendar, day, 1, resources)
        assert calendar.previous_working_day(day, resources) == walk(calendar, day, -1, resources)


@given(calendars(), days_near, st.integers(-40, 40), resource_sets)
def test_counting_undoes_adding_from_a_working_day(
    calendar: WorkingCalendar, day: date, n: int, resources: tuple[str, ...]
) -> None:
    start = calendar.next_working_day(day, resources)
    end = calendar.add_working_days(start, n, resources)
    assert calendar.working_days_between(start, end, resources) == n
