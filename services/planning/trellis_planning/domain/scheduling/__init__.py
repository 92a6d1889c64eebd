"""Scheduling: working calendars, the critical path method, moves and baselines.

Pure and stdlib-only. The conventions for dates, dependencies and floats are in ``engine``;
for counting working days, in ``calendar``.
"""

from trellis_planning.domain.scheduling.baselines import (
    BaselineEntry,
    Comparison,
    Variance,
    baseline_of,
    compare,
)
from trellis_planning.domain.scheduling.calendar import WorkingCalendar
from trellis_planning.domain.scheduling.engine import Schedule, ScheduledActivity, schedule
from trellis_planning.domain.scheduling.errors import (
    DependencyCycle,
    DuplicateActivity,
    DuplicateDependency,
    InvalidActivity,
    InvalidCalendar,
    SelfDependency,
    UnknownActivity,
)
from trellis_planning.domain.scheduling.model import Activity, Dependency, DependencyType
from trellis_planning.domain.scheduling.moves import Move, moved

__all__ = [
    "Activity",
    "BaselineEntry",
    "Comparison",
    "Dependency",
    "DependencyCycle",
    "DependencyType",
    "DuplicateActivity",
    "DuplicateDependency",
    "InvalidActivity",
    "InvalidCalendar",
    "Move",
    "Schedule",
    "ScheduledActivity",
    "SelfDependency",
    "UnknownActivity",
    "Variance",
    "WorkingCalendar",
    "baseline_of",
    "compare",
    "moved",
    "schedule",
]
