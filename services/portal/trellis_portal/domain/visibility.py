"""How much of a project its client sees, as the firm sets it per project."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class BudgetMode(StrEnum):
    HIDDEN = "hidden"
    PERCENT = "percent"  # the share used, never an amount
    FULL = "full"


@dataclass(frozen=True)
class Visibility:
    """Sections the client sees. The defaults share the least that makes a portal useful:
    milestones, documents and health; tasks, time and the budget only when the firm says."""

    milestones: bool = True
    tasks: bool = False
    documents: bool = True
    time: bool = False
    health: bool = True
    budget: BudgetMode = BudgetMode.HIDDEN

    def fields(self) -> dict[str, Any]:
        values = asdict(self)
        values["budget"] = self.budget.value
        return values

    @classmethod
    def from_fields(cls, values: dict[str, Any]) -> Visibility:
        return cls(
            milestones=bool(values["milestones"]), tasks=bool(values["tasks"]),
            documents=bool(values["documents"]), time=bool(values["time"]),
            health=bool(values["health"]), budget=BudgetMode(values["budget"]),
        )


DEFAULT_VISIBILITY = Visibility()
