"""Baselines: a snapshot of planned dates, and how a later plan differs from it.

Variances count working days of the calendar given to ``compare``, positive = later than
the reference (see ``WorkingCalendar.working_days_between``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from trellis_planning.domain.scheduling.calendar import WorkingCalendar
from trellis_planning.domain.scheduling.engine import Schedule
from trellis_planning.domain.scheduling.errors import DuplicateActivity, UnknownActivity


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    activity_id: str
    start: date
    finish: date
    duration: int


@dataclass(frozen=True, slots=True)
class Variance:
    """One activity present in both: the reference and current entries and the differences."""

    reference: BaselineEntry
    current: BaselineEntry
    start_variance: int
    finish_variance: int

    @property
    def activity_id(self) -> str:
        return self.current.activity_id

    @property
    def duration_variance(self) -> int:
        return self.current.duration - self.reference.duration

    @property
    def slipped(self) -> bool:
        return self.finish_variance > 0


@dataclass(frozen=True, slots=True)
class Comparison:
    variances: tuple[Variance, ...]
    """Every activity in both, in the current order."""
    added: tuple[str, ...]
    """In the current plan only, in its order."""
    removed: tuple[str, ...]
    """In the reference only, in its order."""
    slipped: tuple[Variance, ...]
    """Activities finishing later than in the reference, the largest slip first (ties in the
    current order)."""
    project_finish_variance: int
    """Working days between the latest reference finish and the latest current finish."""

    def variance_of(self, activity_id: str) -> Variance:
        for variance in self.variances:
            if variance.activity_id == activity_id:
                return variance
        raise UnknownActivity(activity_id)


def baseline_of(schedule: Schedule, durations: Mapping[str, int]) -> tuple[BaselineEntry, ...]:
    """The schedule's early dates and the given durations, one entry per activity."""
    entries: list[BaselineEntry] = []
    for activity_id, entry in schedule.entries.items():
        if activity_id not in durations:
            raise UnknownActivity(activity_id)
        duration = durations[activity_id]
        entries.append(BaselineEntry(activity_id, entry.early_start, entry.early_finish, duration))
    return tuple(entries)


def compare(
    reference: Sequence[BaselineEntry],
    current: Sequence[BaselineEntry],
    calendar: WorkingCalendar | None = None,
) -> Comparison:
    """How ``current`` differs from ``reference`` (default calendar: Monday to Friday)."""
    calendar = WorkingCalendar() if calendar is None else calendar
    then = _by_id(reference)
    now = _by_id(current)
    variances = tuple(
        Variance(
            then[entry.activity_id],
            entry,
            calendar.working_days_between(then[entry.activity_id].start, entry.start),
            calendar.working_days_between(then[entry.activity_id].finish, entry.finish),
        )
        for entry in current
        if entry.activity_id in then
    )
    slipped = sorted((v for v in variances if v.slipped), key=lambda v: -v.finish_variance)
    project_finish_variance = 0
    if reference and current:
        project_finish_variance = calendar.working_days_between(
            max(e.finish for e in reference), max(e.finish for e in current)
        )
    return Comparison(
        variances=variances,
        added=tuple(e.activity_id for e in current if e.activity_id not in then),
        removed=tuple(e.activity_id for e in reference if e.activity_id not in now),
        slipped=tuple(slipped),
        project_finish_variance=project_finish_variance,
    )


def _by_id(entries: Sequence[BaselineEntry]) -> dict[str, BaselineEntry]:
    by_id: dict[str, BaselineEntry] = {}
    for entry in entries:
        if entry.activity_id in by_id:
            raise DuplicateActivity(entry.activity_id)
        by_id[entry.activity_id] = entry
    return by_id
