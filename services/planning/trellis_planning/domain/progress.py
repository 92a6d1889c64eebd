"""Progress by effort and health: how far along the work is, and whether it will land.

The rules are PROGRESS_RULE and HEALTH_RULE, in the words the API returns with every figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from uuid import UUID

from trellis_planning.domain.scheduling import WorkingCalendar
from trellis_planning.domain.workflow import StatusCategory

PROGRESS_RULE = (
    "Percent complete by effort over leaf tasks (tasks without subtasks; a parent counts "
    "through its subtasks): a task in a 'done' status earns its estimate, a task 'in progress' "
    "earns min(time logged on it, its estimate), a task 'to do' earns nothing; percent = "
    "earned / sum of estimates, rounded down to 0.1. When no task has an estimate, every task "
    "weighs the same. A milestone's percent is the same rule over its own tasks."
)

HEALTH_RULE = (
    "Planned percent = the share of estimated effort the schedule puts on working days before "
    "the as-of day (each task's effort spread evenly over its scheduled working days). "
    "off_track when the schedule finishes after the project's end date, or percent complete "
    "trails planned percent by more than 20 points. Otherwise at_risk when a milestone is "
    "forecast after its due date, a task not done is past its due date or scheduled finish, "
    "or percent complete trails planned percent by more than 10 points. Otherwise on_track."
)

OFF_TRACK_GAP = Decimal(20)
AT_RISK_GAP = Decimal(10)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


class Health(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


@dataclass(frozen=True)
class TaskEffort:
    """What progress needs to know about one leaf task."""

    task_id: UUID
    milestone_id: UUID | None
    estimate_minutes: int
    category: StatusCategory
    logged_minutes: int
    scheduled_start: date
    scheduled_finish: date
    due_on: date | None
    title: str = ""

    @property
    def earned_minutes(self) -> int:
        if self.category == StatusCategory.DONE:
            return self.estimate_minutes
        if self.category == StatusCategory.IN_PROGRESS:
            return min(self.logged_minutes, self.estimate_minutes)
        return 0


@dataclass(frozen=True)
class MilestoneForecast:
    milestone_id: UUID
    name: str
    due_on: date
    forecast_on: date | None


@dataclass(frozen=True)
class HealthReport:
    health: Health
    percent_complete: Decimal
    planned_percent: Decimal
    reasons: tuple[str, ...]


def percent_complete(efforts: Sequence[TaskEffort]) -> Decimal:
    if not efforts:
        return _percent(Decimal(0), Decimal(1))
    total = sum(e.estimate_minutes for e in efforts)
    if total == 0:
        done = sum(1 for e in efforts if e.category == StatusCategory.DONE)
        return _percent(Decimal(done), Decimal(len(efforts)))
    return _percent(Decimal(sum(e.earned_minutes for e in efforts)), Decimal(total))


def planned_percent(efforts: Sequence[TaskEffort], as_of: date, calendar: WorkingCalendar) -> Decimal:
    if not efforts:
        return _percent(Decimal(0), Decimal(1))
    by_count = sum(e.estimate_minutes for e in efforts) == 0
    planned = Decimal(0)
    total = Decimal(0)
    before = as_of - timedelta(days=1)
    for effort in efforts:
        weight = Decimal(1 if by_count else effort.estimate_minutes)
        total += weight
        span = calendar.working_days_in(effort.scheduled_start, effort.scheduled_finish)
        if span == 0:
            share = Decimal(1 if effort.scheduled_start < as_of else 0)
        else:
            elapsed = calendar.working_days_in(effort.scheduled_start, min(before, effort.scheduled_finish))
            share = Decimal(elapsed) / Decimal(span)
        planned += weight * share
    return _percent(planned, total)


def health_of(
    efforts: Sequence[TaskEffort],
    milestones: Iterable[MilestoneForecast],
    *,
    as_of: date,
    forecast_finish: date,
    project_ends_on: date,
    calendar: WorkingCalendar,
) -> HealthReport:
    done = percent_complete(efforts)
    planned = planned_percent(efforts, as_of, calendar)
    gap = planned - done
    off: list[str] = []
    risks: list[str] = []
    if forecast_finish > project_ends_on:
        off.append(
            f"The schedule finishes {forecast_finish.isoformat()}, after the project ends "
            f"({project_ends_on.isoformat()})."
        )
    if gap > OFF_TRACK_GAP:
        off.append(f"Effort is {gap} points behind plan ({done}% done, {planned}% planned).")
    elif gap > AT_RISK_GAP:
        risks.append(f"Effort is {gap} points behind plan ({done}% done, {planned}% planned).")
    for milestone in milestones:
        if milestone.forecast_on is not None and milestone.forecast_on > milestone.due_on:
            risks.append(
                f"Milestone '{milestone.name}' is forecast for {milestone.forecast_on.isoformat()}, "
                f"after its due date {milestone.due_on.isoformat()}."
            )
    for effort in efforts:
        if effort.category == StatusCategory.DONE:
            continue
        late_by = [d for d in (effort.due_on, effort.scheduled_finish) if d is not None and d < as_of]
        if late_by:
            risks.append(
                f"Task '{effort.title or effort.task_id}' is not done and was due {min(late_by).isoformat()}."
            )
    if off:
        return HealthReport(Health.OFF_TRACK, done, planned, tuple(off + risks))
    if risks:
        return HealthReport(Health.AT_RISK, done, planned, tuple(risks))
    return HealthReport(Health.ON_TRACK, done, planned, ())


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    """Always one decimal place (``0.0`` to ``100.0``), rounded down: 100 means all of it."""
    share = part * HUNDRED / whole if whole else Decimal(0)
    return min(HUNDRED, share).quantize(TENTH, rounding=ROUND_DOWN)
