"""A baseline keeps the planned dates; comparing two says what slipped, by how much, first.

Monday-to-Friday calendar from Monday 5 January 2026: A (2 days) -> B (2) -> C (1), and D (1).
"""

from __future__ import annotations

from datetime import date

import pytest

from trellis_planning.domain.scheduling import (
    Activity,
    BaselineEntry,
    Dependency,
    DuplicateActivity,
    UnknownActivity,
    WorkingCalendar,
    baseline_of,
    compare,
    schedule,
)

START = date(2026, 1, 5)
DEPENDENCIES = [Dependency("A", "B"), Dependency("B", "C")]


def jan(day: int) -> date:
    return date(2026, 1, day)


def baseline(**durations: int) -> tuple[BaselineEntry, ...]:
    durations = {"A": 2, "B": 2, "C": 1, "D": 1} | durations
    activities = [Activity(name, days) for name, days in durations.items()]
    dependencies = [d for d in DEPENDENCIES if d.predecessor in durations and d.successor in durations]
    return baseline_of(schedule(activities, dependencies, WorkingCalendar(), START), durations)


def test_a_baseline_holds_each_activity_s_planned_dates_and_duration() -> None:
    assert baseline() == (
        BaselineEntry("A", jan(5), jan(6), 2),
        BaselineEntry("B", jan(7), jan(8), 2),
        BaselineEntry("C", jan(9), jan(9), 1),
        BaselineEntry("D", jan(5), jan(5), 1),
    )


def test_comparing_a_baseline_with_itself_finds_nothing() -> None:
    comparison = compare(baseline(), baseline())
    assert [(v.start_variance, v.finish_variance) for v in comparison.variances] == [(0, 0)] * 4
    assert (comparison.slipped, comparison.added, comparison.removed) == ((), (), ())
    assert comparison.project_finish_variance == 0


def test_slipped_activities_come_largest_slip_first_in_working_days() -> None:
    comparison = compare(baseline(), baseline(A=3, B=4))
    # A 5-7 (finish +1), B 8-13 (+3), C 14 (+3): Friday 9th to Wednesday 14th is 3 working days
    assert [(v.activity_id, v.finish_variance) for v in comparison.slipped] == [("B", 3), ("C", 3), ("A", 1)]
    b = comparison.variance_of("B")
    assert (b.start_variance, b.finish_variance, b.duration_variance) == (1, 3, 2)
    assert b.reference == BaselineEntry("B", jan(7), jan(8), 2)
    assert b.current == BaselineEntry("B", jan(8), jan(13), 4)
    assert comparison.project_finish_variance == 3


def test_finishing_earlier_is_a_variance_but_not_a_slip() -> None:
    comparison = compare(baseline(A=3), baseline())
    assert [v.finish_variance for v in comparison.variances] == [-1, -1, -1, 0]
    assert comparison.slipped == ()


def test_added_and_removed_activities_are_listed() -> None:
    reference = baseline()
    current = (*baseline(D=0)[:3], BaselineEntry("E", jan(12), jan(13), 2))
    comparison = compare(reference, current)
    assert comparison.added == ("E",)
    assert comparison.removed == ("D",)
    assert [v.activity_id for v in comparison.variances] == ["A", "B", "C"]


def test_any_two_baselines_compare_and_so_does_a_baseline_against_now() -> None:
    first, second, now = baseline(), baseline(A=3), baseline(A=3, C=2)
    assert [v.activity_id for v in compare(first, second).slipped] == ["A", "B", "C"]
    assert [v.activity_id for v in compare(second, now).slipped] == ["C"]
    assert compare(first, now).variance_of("C").finish_variance == 2


def test_variance_counts_working_days_of_the_calendar_given() -> None:
    reference = (BaselineEntry("X", jan(8), jan(9), 2),)
    current = (BaselineEntry("X", jan(9), jan(13), 3),)
    assert compare(reference, current).variance_of("X").finish_variance == 2  # Fri 9 -> Tue 13
    holiday = WorkingCalendar(holidays=frozenset({jan(12)}))
    assert compare(reference, current, holiday).variance_of("X").finish_variance == 1


def test_ties_keep_the_current_order() -> None:
    reference = (BaselineEntry("P", jan(5), jan(5), 1), BaselineEntry("Q", jan(5), jan(5), 1))
    current = (BaselineEntry("Q", jan(6), jan(6), 1), BaselineEntry("P", jan(6), jan(6), 1))
    assert [v.activity_id for v in compare(reference, current).slipped] == ["Q", "P"]


def test_a_baseline_needs_every_duration_and_each_activity_once() -> None:
    result = schedule([Activity("A", 1)], [], WorkingCalendar(), START)
    with pytest.raises(UnknownActivity):
        baseline_of(result, {})
    twice = (BaselineEntry("A", jan(5), jan(5), 1), BaselineEntry("A", jan(6), jan(6), 1))
    with pytest.raises(DuplicateActivity):
        compare(twice, ())
    with pytest.raises(UnknownActivity):
        compare((), ()).variance_of("A")
