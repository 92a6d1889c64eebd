"""Each kind of dependency, lag and lead, milestones, calendars and constraints, by hand.

Every case runs on a Monday-to-Friday calendar from Monday 5 January 2026 unless it says
otherwise. Working days that week and the next: 5 6 7 8 9 | 12 13 14 15 16 | 19.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date

import pytest

from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.scheduling import (
    Activity,
    Dependency,
    DependencyCycle,
    DependencyType,
    DuplicateActivity,
    DuplicateDependency,
    InvalidActivity,
    Schedule,
    SelfDependency,
    UnknownActivity,
    WorkingCalendar,
    schedule,
)

FS, SS, FF, SF = DependencyType.FS, DependencyType.SS, DependencyType.FF, DependencyType.SF
WEEKDAYS = WorkingCalendar()
START = date(2026, 1, 5)


def jan(day: int) -> date:
    return date(2026, 1, day)


def run(
    activities: list[Activity],
    dependencies: Sequence[Dependency] = (),
    calendar: WorkingCalendar = WEEKDAYS,
    deadline: date | None = None,
) -> Schedule:
    return schedule(activities, dependencies, calendar, START, deadline)


def early(result: Schedule, activity_id: str) -> tuple[int, int]:
    entry = result.entries[activity_id]
    return entry.early_start.day, entry.early_finish.day


def late(result: Schedule, activity_id: str) -> tuple[int, int]:
    entry = result.entries[activity_id]
    return entry.late_start.day, entry.late_finish.day


@pytest.mark.parametrize(
    ("a", "kind", "lag", "b", "expected"),
    [
        # finish to start: the next working day, over the weekend, with a gap, with a lead
        (3, FS, 0, 2, (8, 9)),
        (5, FS, 0, 1, (12, 12)),
        (3, FS, 2, 2, (12, 13)),  # Thursday and Friday stay free
        (3, FS, -1, 2, (7, 8)),  # starts on A's last day
        (3, FS, -5, 2, (5, 6)),  # a lead never starts work before the project
        # start to start
        (5, SS, 0, 3, (5, 7)),
        (5, SS, 2, 3, (7, 9)),
        # finish to finish
        (5, FF, 0, 2, (8, 9)),  # finishes on A's last day
        (5, FF, 3, 2, (13, 14)),
        (5, FF, -2, 2, (6, 7)),
    ],
)
def test_a_successor_waits_for_its_predecessor_as_the_dependency_says(
    a: int, kind: DependencyType, lag: int, b: int, expected: tuple[int, int]
) -> None:
    result = run([Activity("A", a), Activity("B", b)], [Dependency("A", "B", kind, lag)])
    assert early(result, "A") == (5, 4 + a)
    assert early(result, "B") == expected


def test_start_to_start_with_a_lead() -> None:
    result = run(
        [Activity("A", 3, start_no_earlier_than=jan(7)), Activity("B", 2)], [Dependency("A", "B", SS, -1)]
    )
    assert early(result, "A") == (7, 9)
    assert early(result, "B") == (6, 7)


@pytest.mark.parametrize(("lag", "expected"), [(0, (9, 13)), (2, (13, 15))])
def test_start_to_finish(lag: int, expected: tuple[int, int]) -> None:
    """B must not finish before A starts (plus lag): with A starting Wednesday 14th and no
    lag, B's last day is Tuesday 13th at the earliest; three days back from there is Friday."""
    result = run(
        [Activity("A", 2, start_no_earlier_than=jan(14)), Activity("B", 3)], [Dependency("A", "B", SF, lag)]
    )
    assert early(result, "A") == (14, 15)
    assert early(result, "B") == expected


def test_start_to_start_and_finish_to_finish_together_overlap_two_activities() -> None:
    result = run(
        [Activity("A", 5), Activity("B", 3)], [Dependency("A", "B", SS, 1), Dependency("A", "B", FF, 1)]
    )
    assert early(result, "B") == (8, 12)  # SS alone allows the 6th; FF 1 needs a finish on the 12th


def test_the_most_demanding_predecessor_wins() -> None:
    result = run(
        [Activity("A", 2), Activity("B", 4), Activity("C", 1)],
        [Dependency("A", "C"), Dependency("B", "C", SS, 5)],
    )
    assert early(result, "C") == (12, 12)


def test_a_milestone_takes_no_time_and_what_follows_it_may_start_on_its_day() -> None:
    result = run(
        [Activity("A", 3), Activity("M", 0), Activity("C", 2), Activity("KICKOFF", 0)],
        [Dependency("A", "M"), Dependency("M", "C")],
    )
    assert early(result, "M") == (8, 8)
    assert early(result, "C") == (8, 9)
    assert early(result, "KICKOFF") == (5, 5)


def test_a_project_starting_on_a_weekend_starts_work_on_monday() -> None:
    result = schedule([Activity("A", 1)], [], WEEKDAYS, date(2026, 1, 3))
    assert early(result, "A") == (5, 5)
    assert result.project_start == date(2026, 1, 3)


def test_holidays_are_skipped() -> None:
    result = run([Activity("A", 3)], calendar=WorkingCalendar(holidays=frozenset({jan(6)})))
    assert early(result, "A") == (5, 8)


def test_an_activity_works_only_on_its_resources_working_days() -> None:
    calendar = WorkingCalendar(resource_days_off={"ana": frozenset({jan(7)}), "ben": frozenset({jan(9)})})
    result = run(
        [Activity("A", 3, ("ana",)), Activity("B", 2), Activity("C", 2, ("ben",))],
        [Dependency("A", "B"), Dependency("A", "C")],
        calendar,
    )
    assert early(result, "A") == (5, 8)  # not on ana's Wednesday off
    assert early(result, "B") == (9, 12)
    assert early(result, "C") == (12, 13)  # ben is off on Friday, so C waits for Monday


def test_float_counts_the_activity_s_own_working_days() -> None:
    calendar = WorkingCalendar(resource_days_off={"ben": frozenset({jan(9)})})
    result = run([Activity("LONG", 7), Activity("FREE", 1), Activity("BEN", 1, ("ben",))], calendar=calendar)
    assert result.project_finish == jan(13)
    assert result.entries["FREE"].total_float == 6
    assert result.entries["BEN"].total_float == 5  # Friday is not a day ben could use
    assert late(result, "BEN") == (13, 13)


def test_late_dates_keep_to_the_resource_s_working_days_too() -> None:
    """B must be done by Wednesday 7th, so A (SS) must start by then; ana is off that day."""
    calendar = WorkingCalendar(resource_days_off={"ana": frozenset({jan(7)})})
    result = run(
        [Activity("A", 1, ("ana",)), Activity("B", 1, finish_no_later_than=jan(7)), Activity("LONG", 10)],
        [Dependency("A", "B", SS)],
        calendar,
    )
    assert late(result, "B") == (7, 7)
    assert late(result, "A") == (6, 6)
    assert result.entries["A"].total_float == 1


def test_start_no_earlier_than_holds_an_activity_back() -> None:
    result = run(
        [Activity("A", 2, start_no_earlier_than=jan(7)), Activity("B", 1, start_no_earlier_than=jan(10))]
    )
    assert early(result, "A") == (7, 8)
    assert early(result, "B") == (12, 12)  # Saturday's constraint means Monday


def test_a_missed_finish_no_later_than_makes_float_negative_along_the_chain() -> None:
    result = run([Activity("A", 5), Activity("B", 5, finish_no_later_than=jan(9))], [Dependency("A", "B")])
    assert early(result, "B") == (12, 16)
    assert late(result, "B") == (5, 9)
    assert result.entries["B"].total_float == -5
    assert result.entries["A"].late_start == date(2025, 12, 29)
    assert result.entries["A"].total_float == -5
    assert result.critical_path == ("A", "B")


def test_the_most_negative_float_marks_the_critical_path() -> None:
    result = run([Activity("LONG", 10), Activity("DUE", 2, finish_no_later_than=jan(5))])
    assert result.entries["LONG"].total_float == 0
    assert result.entries["DUE"].total_float == -1
    assert result.critical == {"LONG", "DUE"}
    assert result.critical_path == ("DUE",)


def test_a_met_constraint_or_deadline_adds_no_float() -> None:
    activities = [Activity("A", 5), Activity("B", 5, finish_no_later_than=jan(30))]
    result = run(activities, [Dependency("A", "B")], deadline=jan(30))
    assert [e.total_float for e in result.entries.values()] == [0, 0]
    assert result.critical_path == ("A", "B")


@pytest.mark.parametrize(("deadline", "slack"), [(jan(14), -2), (jan(16), 0), (jan(17), 0), (jan(19), 0)])
def test_a_missed_project_deadline_makes_float_negative_by_the_miss(deadline: date, slack: int) -> None:
    result = run([Activity("A", 5), Activity("B", 5)], [Dependency("A", "B")], deadline=deadline)
    assert result.project_finish == jan(16)
    assert [e.total_float for e in result.entries.values()] == [slack, slack]


def test_a_constraint_decades_away_still_counts_working_days() -> None:
    entry = run([Activity("A", 2, finish_no_later_than=date(2000, 1, 4))]).entries["A"]
    assert (entry.late_start, entry.late_finish) == (date(2000, 1, 3), date(2000, 1, 4))
    assert entry.total_float == -WEEKDAYS.working_days_between(date(2000, 1, 3), START)


def test_a_milestone_can_be_constrained_too() -> None:
    result = run([Activity("A", 5), Activity("M", 0, finish_no_later_than=jan(8))], [Dependency("A", "M")])
    assert early(result, "M") == (12, 12)
    assert late(result, "M") == (8, 8)
    assert result.entries["M"].total_float == -2


def test_a_chain_ten_thousand_deep_schedules_and_a_cycle_that_long_is_named() -> None:
    names = [f"T{k}" for k in range(10_000)]
    chain = [Dependency(a, b) for a, b in itertools.pairwise(names)]
    every_day = WorkingCalendar(weekend_days=frozenset())
    result = schedule([Activity(n, 1) for n in names], chain, every_day, START)
    assert result.project_finish == date.fromordinal(START.toordinal() + 9_999)
    assert len(result.critical_path) == 10_000
    with pytest.raises(DependencyCycle) as refused:
        run([Activity(n, 1) for n in names], [*chain, Dependency(names[-1], names[0])])
    assert refused.value.cycle == tuple(names)


def test_nothing_to_schedule() -> None:
    result = run([])
    assert (result.project_finish, dict(result.entries), result.critical_path) == (START, {}, ())


# What cannot be scheduled at all is refused, naming the problem.


def test_a_cycle_is_refused_and_named() -> None:
    with pytest.raises(DependencyCycle) as refused:
        run(
            [Activity(n, 1) for n in "ABCD"],
            [Dependency("D", "A"), Dependency("A", "B"), Dependency("B", "C"), Dependency("C", "A")],
        )
    assert refused.value.cycle == ("A", "B", "C")
    assert str(refused.value) == "The dependencies form a cycle: A -> B -> C -> A"


def test_a_cycle_is_named_from_its_first_listed_activity_in_dependency_order() -> None:
    with pytest.raises(DependencyCycle, match="C -> A -> B -> C"):
        run(
            [Activity(n, 1) for n in "CAB"],
            [Dependency("A", "B", SS), Dependency("B", "C", FF, 2), Dependency("C", "A", SF, -1)],
        )


def test_two_activities_depending_on_each_other_are_a_cycle() -> None:
    with pytest.raises(DependencyCycle, match="A -> B -> A"):
        run([Activity("A", 1), Activity("B", 1)], [Dependency("A", "B", SS), Dependency("B", "A", FF)])


def test_an_unknown_activity_is_named() -> None:
    with pytest.raises(UnknownActivity, match="'Z'"):
        run([Activity("A", 1)], [Dependency("A", "Z")])


def test_an_activity_cannot_depend_on_itself() -> None:
    with pytest.raises(SelfDependency, match="'A'"):
        run([Activity("A", 1)], [Dependency("A", "A")])


def test_the_same_dependency_twice_is_refused() -> None:
    with pytest.raises(DuplicateDependency):
        run([Activity("A", 1), Activity("B", 1)], [Dependency("A", "B", SS, 1), Dependency("A", "B", SS, 2)])


def test_an_activity_listed_twice_is_refused() -> None:
    with pytest.raises(DuplicateActivity, match="'A'"):
        run([Activity("A", 1), Activity("A", 2)])


def test_a_negative_duration_is_refused() -> None:
    with pytest.raises(InvalidActivity):
        Activity("A", -1)


def test_a_dependency_type_can_be_given_by_its_name() -> None:
    assert Dependency("A", "B", "SF").type is SF  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="XX"):
        Dependency("A", "B", "XX")  # type: ignore[arg-type]


def test_every_refusal_is_a_broken_planning_rule() -> None:
    for error in (DependencyCycle, UnknownActivity, SelfDependency, DuplicateDependency, DuplicateActivity):
        assert issubclass(error, PlanningRuleBroken)
