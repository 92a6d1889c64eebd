"""Budget thresholds: which levels of budget use (and EAC above budget) a project is
warned about, and the monitor that remembers which are crossed.

A threshold fires once when the value reaches it, and fires again only after the value
fell back below it (the monitor re-arms it) and reached it again.

Stored event topics are ``trellis_budget.domain.thresholds:ThresholdConfig.<Event>`` and
``trellis_budget.domain.thresholds:ThresholdMonitor.<Event>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_budget.domain.errors import BudgetRuleBroken
from trellis_budget.domain.ids import derived_id

DEFAULT_PERCENTS = (Decimal(50), Decimal(80), Decimal(100))
EAC_ABOVE_BUDGET = "eac_above_budget"
MAX_THRESHOLDS = 20


def percent_key(percent: Decimal) -> str:
    return f"used_{percent.normalize():f}"


@dataclass(frozen=True)
class Thresholds:
    percents: tuple[Decimal, ...] = DEFAULT_PERCENTS
    eac_above_budget: bool = True

    def keys(self) -> list[str]:
        keys = [percent_key(p) for p in self.percents]
        return [*keys, EAC_ABOVE_BUDGET] if self.eac_above_budget else keys


def check_percents(percents: list[Decimal]) -> tuple[Decimal, ...]:
    if len(percents) > MAX_THRESHOLDS:
        raise BudgetRuleBroken(f"At most {MAX_THRESHOLDS} thresholds.")
    for p in percents:
        if not p.is_finite() or p <= 0 or p > 1000 or p != p.quantize(Decimal("0.01")):
            raise BudgetRuleBroken(
                f"A threshold is a percentage above 0 and at most 1000 with up to 2 decimal places, not {p}."
            )
    if len(set(percents)) != len(percents):
        raise BudgetRuleBroken("Thresholds must differ.")
    return tuple(sorted(percents))


@dataclass(frozen=True)
class Reading:
    """Where a project stands: budget used in percent, and whether EAC exceeds the budget.

    None means "cannot be said yet" (no budget; no earned value to project from) and
    neither crosses nor re-arms anything.
    """

    used_percent: Decimal | None
    eac_above_budget: bool | None


@dataclass(frozen=True)
class Change:
    key: str
    crossed: bool  # True: crossed upwards now; False: fell back and re-armed


def changes(thresholds: Thresholds, crossed: frozenset[str], reading: Reading) -> list[Change]:
    result: list[Change] = []
    for percent in thresholds.percents:
        if reading.used_percent is None:
            continue
        key = percent_key(percent)
        now = reading.used_percent >= percent
        if now != (key in crossed):
            result.append(Change(key, now))
    if thresholds.eac_above_budget and reading.eac_above_budget is not None:
        now = reading.eac_above_budget
        if now != (EAC_ABOVE_BUDGET in crossed):
            result.append(Change(EAC_ABOVE_BUDGET, now))
    # A threshold removed from the configuration stops being crossed.
    configured = set(thresholds.keys())
    result.extend(Change(key, False) for key in sorted(crossed - configured))
    return result


class ThresholdConfig(Aggregate):
    class Configured(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        percents: list[Decimal]
        eac_above_budget: bool
        meta: dict[str, str]

    class Changed(Aggregate.Event):
        percents: list[Decimal]
        eac_above_budget: bool
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            aggregate.thresholds = Thresholds(tuple(self.percents), self.eac_above_budget)

    @staticmethod
    def create_id(organisation_id: UUID, project_id: UUID) -> UUID:
        return derived_id("threshold-config", organisation_id, project_id)

    @event(Configured)
    def __init__(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        percents: list[Decimal],
        eac_above_budget: bool,
        meta: dict[str, str],
    ) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.thresholds = Thresholds(tuple(percents), eac_above_budget)

    def change(self, *, percents: list[Decimal], eac_above_budget: bool, meta: dict[str, str]) -> None:
        self.trigger_event(
            ThresholdConfig.Changed,
            percents=list(check_percents(percents)),
            eac_above_budget=eac_above_budget,
            meta=meta,
        )


@dataclass(frozen=True)
class Figures:
    """What a crossing event reports, in the budget's currency."""

    currency: str
    budget: Decimal
    actual_cost: Decimal
    used_percent: Decimal | None
    eac: Decimal | None


class ThresholdMonitor(Aggregate):
    class Started(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID

    class Crossed(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        key: str
        currency: str
        budget: Decimal
        actual_cost: Decimal
        used_percent: Decimal | None
        eac: Decimal | None
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            aggregate.crossed = aggregate.crossed | {self.key}

    class Rearmed(Aggregate.Event):
        key: str
        used_percent: Decimal | None
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            aggregate.crossed = aggregate.crossed - {self.key}

    @staticmethod
    def create_id(organisation_id: UUID, project_id: UUID) -> UUID:
        return derived_id("threshold-monitor", organisation_id, project_id)

    @event(Started)
    def __init__(self, *, organisation_id: UUID, project_id: UUID) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.crossed: frozenset[str] = frozenset()

    def observe(
        self, thresholds: Thresholds, reading: Reading, figures: Figures, meta: dict[str, str]
    ) -> list[Change]:
        found = changes(thresholds, self.crossed, reading)
        for change in found:
            if change.crossed:
                self.trigger_event(
                    ThresholdMonitor.Crossed,
                    organisation_id=self.organisation_id,
                    project_id=self.project_id,
                    key=change.key,
                    currency=figures.currency,
                    budget=figures.budget,
                    actual_cost=figures.actual_cost,
                    used_percent=figures.used_percent,
                    eac=figures.eac,
                    meta=meta,
                )
            else:
                self.trigger_event(
                    ThresholdMonitor.Rearmed, key=change.key, used_percent=reading.used_percent, meta=meta
                )
        return found
