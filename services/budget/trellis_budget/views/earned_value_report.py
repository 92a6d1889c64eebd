"""Earned value, burn and cost reports assembled from the read model, with the
exchange rates every conversion used.

Actual cost (AC) is the ledger's actual entries (commitments excluded) worked on or
before the day, each day's total converted to the budget's currency at the rate in
force on the day worked. BAC is the budget as revised (as recorded by the moment
asked for). PV and EV follow trellis_budget.domain.schedule.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from uuid import UUID

from trellis_budget.domain.conversion import Converter, MissingRate, RateUsed
from trellis_budget.domain.currencies import smallest_unit
from trellis_budget.domain.earned_value import PRECISION, EacMethod, EarnedValue, earned_value
from trellis_budget.domain.errors import BudgetRuleBroken, NotFound
from trellis_budget.domain.ledger.model import CostKind
from trellis_budget.domain.schedule import Allocation, ProgressReport, progress_on
from trellis_budget.domain.schedule import earned_value as earned_on
from trellis_budget.domain.schedule import planned_value as planned_on
from trellis_budget.domain.thresholds import Figures, Reading
from trellis_budget.views.cost_queries import BudgetRow, CostQueries, DayTotal

logger = logging.getLogger(__name__)
MAX_POINTS = 400
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class MilestoneFigures:
    milestone_id: UUID
    name: str
    figures: EarnedValue


@dataclass(frozen=True)
class EarnedValueReport:
    on: date
    currency: str
    budget_revision: int
    project: EarnedValue
    milestones: list[MilestoneFigures]
    rates_used: list[RateUsed]
    uncosted_sources: int


@dataclass(frozen=True)
class SeriesPoint:
    on: date
    figures: EarnedValue


@dataclass
class _Costs:
    """AC by day in the budget's currency, converted once per (day, currency)."""

    totals: list[tuple[date, Decimal]]
    rates_used: dict[tuple[object, bool], RateUsed] = field(default_factory=dict)

    def up_to(self, on: date) -> Decimal:
        with localcontext(PRECISION):
            return sum((amount for day, amount in self.totals if day <= on), Decimal(0))


def _converted(days: Sequence[DayTotal], currency: str, converter: Converter) -> _Costs:
    costs = _Costs([])
    with localcontext(PRECISION):
        for day in days:
            amount, used = converter.convert(day.amount, day.currency, currency, day.worked_on)
            if used is not None:
                costs.rates_used[(used.rate.rate_id, used.inverted)] = used
            costs.totals.append((day.worked_on, amount))
    return costs


class EarnedValueReports:
    def __init__(self, queries: CostQueries) -> None:
        self.queries = queries

    def _budget(self, organisation_id: UUID, project_id: UUID, recorded_by: datetime | None) -> BudgetRow:
        budget = self.queries.budget(organisation_id, project_id, recorded_by)
        if budget is None:
            raise NotFound(f"No budget for project {project_id} in this organisation (as recorded).")
        return budget

    def _allocations(
        self, organisation_id: UUID, project_id: UUID, budget: BudgetRow
    ) -> tuple[list[Allocation], dict[UUID, str]]:
        project_span = self.queries.project_span(organisation_id, project_id)
        milestones = {m.milestone_id: m for m in self.queries.milestones(organisation_id, project_id)}
        per_milestone: dict[UUID | None, Decimal] = {}
        for line in budget.lines:
            key = UUID(line["milestone_id"]) if line.get("milestone_id") else None
            per_milestone[key] = per_milestone.get(key, Decimal(0)) + Decimal(line["amount"])
        allocations = []
        for key, amount in per_milestone.items():
            milestone = milestones.get(key) if key else None
            allocations.append(Allocation(key, amount, milestone.span if milestone else project_span))
        names = {m.milestone_id: m.name for m in milestones.values()}
        return allocations, names

    def _figures(
        self,
        allocations: Sequence[Allocation],
        history: Sequence[ProgressReport],
        costs: _Costs,
        on: date,
        unit: Decimal,
        method: EacMethod,
    ) -> EarnedValue:
        report = progress_on(history, on)
        with localcontext(PRECISION):
            bac = sum((a.amount for a in allocations), Decimal(0))
            pv = sum((planned_on(a, on) for a in allocations), Decimal(0))
            ev = sum((earned_on(a, report) for a in allocations), Decimal(0))
        return earned_value(bac=bac, pv=pv, ev=ev, ac=costs.up_to(on), unit=unit, method=method)

    def _inputs(
        self,
        organisation_id: UUID,
        project_id: UUID,
        recorded_by: datetime | None,
        milestone_id: UUID | None = None,
    ) -> tuple[BudgetRow, list[Allocation], dict[UUID, str], list[ProgressReport], _Costs]:
        budget = self._budget(organisation_id, project_id, recorded_by)
        allocations, names = self._allocations(organisation_id, project_id, budget)
        history = self.queries.progress(organisation_id, project_id, recorded_by)
        converter = Converter(self.queries.exchange_rates(organisation_id, recorded_by))
        days = self.queries.daily_totals(
            organisation_id,
            project_id,
            cost_kind=CostKind.ACTUAL.value,
            recorded_by=recorded_by,
            milestone_id=milestone_id,
        )
        return budget, allocations, names, history, _converted(days, budget.currency, converter)

    def report(
        self,
        organisation_id: UUID,
        project_id: UUID,
        *,
        on: date,
        method: EacMethod,
        recorded_by: datetime | None = None,
    ) -> EarnedValueReport:
        budget, allocations, names, history, costs = self._inputs(organisation_id, project_id, recorded_by)
        unit = smallest_unit(budget.currency)
        milestones = []
        rates_used = dict(costs.rates_used)
        for allocation in allocations:
            if allocation.milestone_id is None:
                continue
            # Only costs booked against the milestone (expenses, commitments) are its AC:
            # time entries name a task, not a milestone, in version 1 of planning's events.
            *_, milestone_costs = self._inputs(
                organisation_id, project_id, recorded_by, allocation.milestone_id
            )
            rates_used.update(milestone_costs.rates_used)
            milestones.append(
                MilestoneFigures(
                    allocation.milestone_id,
                    names.get(allocation.milestone_id, ""),
                    self._figures([allocation], history, milestone_costs, on, unit, method),
                )
            )
        return EarnedValueReport(
            on=on,
            currency=budget.currency,
            budget_revision=budget.revision,
            project=self._figures(allocations, history, costs, on, unit, method),
            milestones=milestones,
            rates_used=sorted(rates_used.values(), key=lambda u: (u.rate.on, str(u.rate.rate_id))),
            uncosted_sources=self.queries.uncosted_sources(organisation_id, project_id),
        )

    def series(
        self,
        organisation_id: UUID,
        project_id: UUID,
        *,
        first: date,
        last: date,
        every_days: int,
        method: EacMethod,
        recorded_by: datetime | None = None,
    ) -> tuple[str, list[SeriesPoint]]:
        if last < first:
            raise BudgetRuleBroken("The series must end on or after its first day.")
        if every_days < 1 or (last - first).days // every_days + 1 > MAX_POINTS:
            raise BudgetRuleBroken(f"A series has 1 to {MAX_POINTS} points; widen every_days.")
        budget, allocations, _, history, costs = self._inputs(organisation_id, project_id, recorded_by)
        unit = smallest_unit(budget.currency)
        points = []
        day = first
        while day <= last:
            points.append(SeriesPoint(day, self._figures(allocations, history, costs, day, unit, method)))
            day += timedelta(days=every_days)
        if points[-1].on != last:
            points.append(SeriesPoint(last, self._figures(allocations, history, costs, last, unit, method)))
        return budget.currency, points

    def threshold_reading(self, organisation_id: UUID, project_id: UUID) -> tuple[Reading, Figures] | None:
        """Budget used and EAC (BAC / CPI) as the ledger stands now; None without a budget."""
        budget = self.queries.budget(organisation_id, project_id, None)
        if budget is None:
            return None
        try:
            _, allocations, _, history, costs = self._inputs(organisation_id, project_id, None)
        except MissingRate:
            logger.warning("thresholds of project %s wait for an exchange rate", project_id, exc_info=True)
            return None
        unit = smallest_unit(budget.currency)
        figures = self._figures(allocations, history, costs, date.max, unit, EacMethod.CPI)
        with localcontext(PRECISION):
            used = (
                None
                if figures.bac == 0
                else (figures.ac * HUNDRED / figures.bac).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            )
        eac_above = None if figures.eac is None else figures.eac > figures.bac
        return (
            Reading(used, eac_above),
            Figures(
                currency=budget.currency,
                budget=figures.bac,
                actual_cost=figures.ac,
                used_percent=used,
                eac=figures.eac,
            ),
        )
