"""How urgent a task is."""

from __future__ import annotations

from enum import StrEnum

from trellis_planning.domain.errors import PlanningRuleBroken


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


def priority_of(value: str) -> Priority:
    try:
        return Priority(value)
    except ValueError:
        allowed = ", ".join(p.value for p in Priority)
        raise PlanningRuleBroken(f"Priority {value!r} is not one of: {allowed}.") from None
