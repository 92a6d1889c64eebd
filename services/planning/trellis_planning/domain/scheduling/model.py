"""What the scheduler is given: activities and the dependencies between them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from trellis_planning.domain.scheduling.errors import InvalidActivity


class DependencyType(StrEnum):
    """How the successor is tied to the predecessor (lag in working days, negative = lead).

    FS: the successor starts after the predecessor finishes (plus lag).
    SS: the successor starts no earlier than the predecessor starts (plus lag).
    FF: the successor finishes no earlier than the predecessor finishes (plus lag).
    SF: the successor finishes no earlier than the predecessor starts (plus lag).
    """

    FS = "FS"
    SS = "SS"
    FF = "FF"
    SF = "SF"


@dataclass(frozen=True, slots=True)
class Dependency:
    predecessor: str
    successor: str
    type: DependencyType = DependencyType.FS
    lag: int = 0
    """Working days of the project calendar; negative for a lead."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", DependencyType(self.type))


@dataclass(frozen=True, slots=True)
class Activity:
    id: str
    duration: int
    """Working days of the activity's calendar; 0 for a milestone."""
    resources: tuple[str, ...] = ()
    start_no_earlier_than: date | None = None
    finish_no_later_than: date | None = None

    def __post_init__(self) -> None:
        if self.duration < 0:
            raise InvalidActivity(f"Activity {self.id!r} cannot take {self.duration} days")
        object.__setattr__(self, "resources", tuple(self.resources))
