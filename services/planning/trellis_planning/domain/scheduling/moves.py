"""Which activities a reschedule moved, and by how much: what to tell people after a change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from trellis_planning.domain.scheduling.calendar import WorkingCalendar
from trellis_planning.domain.scheduling.engine import Schedule


@dataclass(frozen=True, slots=True)
class Move:
    activity_id: str
    old_start: date
    new_start: date
    old_finish: date
    new_finish: date
    shift_days: int
    """Working days (project calendar) the early start moved, positive = later; when only
    the finish moved (the duration changed), the working days the finish moved."""


def moved(before: Schedule, after: Schedule, calendar: WorkingCalendar | None = None) -> tuple[Move, ...]:
    """Every activity in both schedules whose early start or early finish changed, in the
    order of ``after``. Shifts count working days of ``calendar`` (default: ``after``'s)."""
    calendar = after.calendar if calendar is None else calendar
    moves: list[Move] = []
    for activity_id, now in after.entries.items():
        then = before.entries.get(activity_id)
        if then is None:
            continue
        if then.early_start == now.early_start and then.early_finish == now.early_finish:
            continue
        if then.early_start != now.early_start:
            shift = calendar.working_days_between(then.early_start, now.early_start)
        else:
            shift = calendar.working_days_between(then.early_finish, now.early_finish)
        moves.append(
            Move(activity_id, then.early_start, now.early_start, then.early_finish, now.early_finish, shift)
        )
    return tuple(moves)
