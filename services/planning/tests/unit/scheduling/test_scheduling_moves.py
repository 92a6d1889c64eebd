"""Moving a task shifts exactly the successors that must move, and says which and by how much.

Monday-to-Friday calendar from Monday 5 January 2026. The plan:

    A (2 days, 5-6) -> B (2 days, 7-8) -> C (1 day, 9)
    A -> E (1 day, 7)              E has float: nothing follows it
    A -> F (1 day) <- LONG (6 days, 5-12), so F starts on the 13th because of LONG
    D (1 day, 5) on its own
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from trellis_planning.domain.scheduling import (
    Activity,
    Dependency,
    Move,
    Schedule,
    WorkingCalendar,
    moved,
    schedule,
)

START = date(2026, 1, 5)
ACTIVITIES = (
    Activity("A", 2), Activity("B", 2), Activity("C", 1), Activity("D", 1), Activity("E", 1),
    Activity("LONG", 6), Activity("F", 1),
)
DEPENDENCIES = (
    Dependency("A", "B"), Dependency("B", "C"), Dependency("A", "E"),
    Dependency("A", "F"), Dependency("LONG", "F"),
)


def jan(day: int) -> date:
    return date(2026, 1, day)


def plan(*changes: Activity, calendar: WorkingCalendar | None = None) -> Schedule:
    changed = {a.id: a for a in changes}
    activities = [changed.get(a.id, a) for a in ACTIVITIES]
    return schedule(activities, DEPENDENCIES, calendar or WorkingCalendar(), START)


def move(activity_id: str, to: date) -> Schedule:
    activity = next(a for a in ACTIVITIES if a.id == activity_id)
    return plan(replace(activity, start_no_earlier_than=to))


def test_moving_a_task_moves_the_successors_it_drives_and_no_others() -> None:
    before = plan()
    moves = moved(before, move("A", jan(7)))
    assert moves == (
        Move("A", jan(5), jan(7), jan(6), jan(8), 2),
        Move("B", jan(7), jan(9), jan(8), jan(12), 2),
        Move("C", jan(9), jan(13), jan(9), jan(13), 2),
        Move("E", jan(7), jan(9), jan(7), jan(9), 2),
    )  # F stays: LONG still holds it until the 13th; D does not depend on A


def test_moving_a_task_within_its_float_moves_only_that_task() -> None:
    assert [m.activity_id for m in moved(plan(), move("E", jan(12)))] == ["E"]
    assert [m.activity_id for m in moved(plan(), move("D", jan(8)))] == ["D"]


def test_a_successor_moves_only_as_far_as_it_must() -> None:
    moves = {m.activity_id: m for m in moved(plan(), move("A", jan(12)))}  # A now 12-13
    assert moves["F"] == Move("F", jan(13), jan(14), jan(13), jan(14), 1)  # LONG absorbed part of it


def test_shifts_count_working_days_not_calendar_days() -> None:
    moves = {m.activity_id: m for m in moved(plan(), move("A", jan(8)))}  # A now 8-9
    assert moves["B"] == Move("B", jan(7), jan(12), jan(8), jan(13), 3)


def test_a_longer_task_moves_its_finish_and_what_follows() -> None:
    longer = plan(Activity("B", 3))
    assert moved(plan(), longer) == (
        Move("B", jan(7), jan(7), jan(8), jan(9), 1),
        Move("C", jan(9), jan(12), jan(9), jan(12), 1),
    )


def test_moving_back_earlier_gives_negative_shifts() -> None:
    assert [m.shift_days for m in moved(move("A", jan(7)), plan())] == [-2, -2, -2, -2]


def test_a_holiday_moves_everything_after_it() -> None:
    moves = moved(plan(), plan(calendar=WorkingCalendar(holidays=frozenset({jan(8)}))))
    assert [(m.activity_id, m.shift_days) for m in moves] == [("B", 1), ("C", 1), ("LONG", 1), ("F", 1)]


def test_no_change_no_moves() -> None:
    assert moved(plan(), plan()) == ()
