"""What makes a network of activities impossible to schedule; each names the offending part.

A constraint that cannot be met (a finish-no-later-than date, a project deadline) is not
an error: the schedule reports it as negative total float.
"""

from __future__ import annotations

from collections.abc import Sequence

from trellis_planning.domain.errors import PlanningRuleBroken


class DependencyCycle(PlanningRuleBroken):
    """The dependencies loop back on themselves.

    ``cycle`` lists the activities in dependency order, each a predecessor of the next, and
    the last a predecessor of the first (the first is not repeated at the end).
    """

    def __init__(self, cycle: Sequence[str]) -> None:
        self.cycle: tuple[str, ...] = tuple(cycle)
        loop = " -> ".join((*self.cycle, self.cycle[0])) if self.cycle else ""
        super().__init__(f"The dependencies form a cycle: {loop}")


class UnknownActivity(PlanningRuleBroken):
    def __init__(self, activity_id: str) -> None:
        self.activity_id = activity_id
        super().__init__(f"There is no activity {activity_id!r}")


class DuplicateActivity(PlanningRuleBroken):
    def __init__(self, activity_id: str) -> None:
        self.activity_id = activity_id
        super().__init__(f"Activity {activity_id!r} is listed more than once")


class SelfDependency(PlanningRuleBroken):
    def __init__(self, activity_id: str) -> None:
        self.activity_id = activity_id
        super().__init__(f"Activity {activity_id!r} cannot depend on itself")


class DuplicateDependency(PlanningRuleBroken):
    """The same predecessor, successor and type twice (an SS and an FF between the same
    pair is two dependencies, a common way to overlap work, and is allowed)."""

    def __init__(self, predecessor: str, successor: str, type: str) -> None:
        self.predecessor = predecessor
        self.successor = successor
        self.type = type
        super().__init__(f"{successor!r} already depends {type} on {predecessor!r}")


class InvalidActivity(PlanningRuleBroken):
    """An activity that cannot exist, such as one with a negative duration."""


class InvalidCalendar(PlanningRuleBroken):
    """A calendar without working days, or with weekdays outside Monday=0 .. Sunday=6."""
