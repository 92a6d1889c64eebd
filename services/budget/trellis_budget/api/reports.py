"""Report routes: earned value (at a date, and over time), the ledger itself, cost
totals, burn, and the organisation's costs in its reporting currency. They read only
the read model; ``as_recorded_at`` reads it as it stood at that moment."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from trellis_budget.api.common import PREFIX, PROBLEM_RESPONSES, domain_errors
from trellis_budget.api.report_schemas import (
    BurnOut,
    CostLineOut,
    CostSummaryOut,
    EarnedValueOut,
    EarnedValueReportOut,
    EarnedValueSeriesOut,
    LedgerEntryOut,
    LedgerPageOut,
    MilestoneEarnedValueOut,
    OrganisationCostsOut,
    ProjectInReportingCurrencyOut,
    RateUsedOut,
    SeriesPointOut,
)
from trellis_budget.application.budget_app import BudgetApplication
from trellis_budget.domain.conversion import Converter, RateUsed
from trellis_budget.domain.currencies import smallest_unit
from trellis_budget.domain.earned_value import FORMULAS, EacMethod, EarnedValue
from trellis_budget.domain.errors import BudgetRuleBroken
from trellis_budget.domain.ledger.model import CostKind
from trellis_budget.views.cost_queries import CostQueries
from trellis_budget.views.earned_value_report import EarnedValueReports
from trellis_platform.auth.access import READERS, access
from trellis_platform.auth.guards import CurrentCaller, guarded

READ = access(staff=READERS, permission="budget.reports:read")
NOTES = [
    "AC: actual ledger entries (commitments excluded) worked on or before the day, converted to the "
    "budget's currency at the rate in force on the day worked.",
    "PV: each milestone's allocation planned evenly over its calendar days; the rest over the project's.",
    "EV: allocation x percent complete last reported on or before the day.",
    "Milestone AC counts costs booked against the milestone (expenses, commitments); time entries "
    "carry no milestone in planning's v1 events.",
]


def figures_out(f: EarnedValue) -> EarnedValueOut:
    return EarnedValueOut(
        bac=f.bac,
        pv=f.pv,
        ev=f.ev,
        ac=f.ac,
        cv=f.cv,
        sv=f.sv,
        cpi=f.cpi,
        spi=f.spi,
        eac=f.eac,
        etc=f.etc,
        vac=f.vac,
        tcpi_bac=f.tcpi_bac,
        tcpi_eac=f.tcpi_eac,
        eac_method=f.eac_method.value,
        eac_formula=f.eac_formula,
    )


def rate_used_out(used: RateUsed) -> RateUsedOut:
    return RateUsedOut(
        rate_id=used.rate.rate_id,
        base=used.rate.base,
        quote=used.rate.quote,
        on=used.rate.on,
        rate=used.rate.rate,
        inverted=used.inverted,
    )


def entry_out(row: dict[str, Any]) -> LedgerEntryOut:
    fields = {k: v for k, v in row.items() if k in LedgerEntryOut.model_fields}
    fields["currency"] = str(row["currency"]).strip()
    return LedgerEntryOut(**fields)


def reports_router(app: BudgetApplication, queries: CostQueries, reports: EarnedValueReports) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["budget reports"], responses=PROBLEM_RESPONSES)

    @router.get("/projects/{project_id}/earned-value", response_model=EarnedValueReportOut, **guarded(READ))
    def earned_value(
        project_id: UUID,
        caller: CurrentCaller,
        on: date | None = None,
        eac_method: EacMethod = EacMethod.CPI,
        as_recorded_at: datetime | None = None,
    ) -> EarnedValueReportOut:
        day = on or date.today()
        with domain_errors():
            report = reports.report(
                caller.organisation_id, project_id, on=day, method=eac_method, recorded_by=as_recorded_at
            )
        return EarnedValueReportOut(
            project_id=project_id,
            on=report.on,
            currency=report.currency,
            budget_revision=report.budget_revision,
            as_recorded_at=as_recorded_at,
            project=figures_out(report.project),
            milestones=[
                MilestoneEarnedValueOut(
                    milestone_id=m.milestone_id, name=m.name, figures=figures_out(m.figures)
                )
                for m in report.milestones
            ],
            rates_used=[rate_used_out(u) for u in report.rates_used],
            uncosted_sources=report.uncosted_sources,
            notes=NOTES,
        )

    @router.get(
        "/projects/{project_id}/earned-value/series", response_model=EarnedValueSeriesOut, **guarded(READ)
    )
    def earned_value_series(
        project_id: UUID,
        caller: CurrentCaller,
        first: Annotated[date, Query(alias="from")],
        last: Annotated[date, Query(alias="to")],
        every_days: int = Query(7, ge=1, le=366),
        eac_method: EacMethod = EacMethod.CPI,
        as_recorded_at: datetime | None = None,
    ) -> EarnedValueSeriesOut:
        with domain_errors():
            currency, points = reports.series(
                caller.organisation_id,
                project_id,
                first=first,
                last=last,
                every_days=every_days,
                method=eac_method,
                recorded_by=as_recorded_at,
            )
        return EarnedValueSeriesOut(
            project_id=project_id,
            currency=currency,
            as_recorded_at=as_recorded_at,
            points=[SeriesPointOut(on=p.on, figures=figures_out(p.figures)) for p in points],
        )

    @router.get("/projects/{project_id}/ledger", response_model=LedgerPageOut, **guarded(READ))
    def ledger(
        project_id: UUID,
        caller: CurrentCaller,
        as_recorded_at: datetime | None = None,
        worked_from: date | None = None,
        worked_to: date | None = None,
        after: int = Query(0, ge=0),
        limit: int = Query(200, ge=1, le=1000),
    ) -> LedgerPageOut:
        rows = queries.entries(
            caller.organisation_id,
            project_id,
            recorded_by=as_recorded_at,
            worked_from=worked_from,
            worked_to=worked_to,
            after=after,
            limit=limit,
        )
        return LedgerPageOut(
            items=[entry_out(r) for r in rows],
            next_after=rows[-1]["entry_no"] if len(rows) == limit else None,
        )

    @router.get("/projects/{project_id}/costs", response_model=CostSummaryOut, **guarded(READ))
    def costs(
        project_id: UUID,
        caller: CurrentCaller,
        as_recorded_at: datetime | None = None,
        worked_from: date | None = None,
        worked_to: date | None = None,
    ) -> CostSummaryOut:
        rows = queries.category_totals(
            caller.organisation_id,
            project_id,
            recorded_by=as_recorded_at,
            worked_from=worked_from,
            worked_to=worked_to,
        )
        return CostSummaryOut(
            project_id=project_id,
            as_recorded_at=as_recorded_at,
            worked_from=worked_from,
            worked_to=worked_to,
            lines=[
                CostLineOut(
                    category=r["category"],
                    cost_kind=r["cost_kind"],
                    currency=r["currency"].strip(),
                    amount=r["amount"],
                    bill_amount=r["bill_amount"],
                    entries=r["entries"],
                )
                for r in rows
            ],
        )

    @router.get("/projects/{project_id}/burn", response_model=BurnOut, **guarded(READ))
    def burn(project_id: UUID, caller: CurrentCaller) -> BurnOut:
        with domain_errors():
            found = reports.threshold_reading(caller.organisation_id, project_id)
            if found is None:
                raise BudgetRuleBroken("No budget for this project yet (or an exchange rate is missing).")
            reading, figures = found
            committed = _in_currency(
                queries, caller.organisation_id, project_id, figures.currency, CostKind.COMMITTED, None
            )[0]
        thresholds = app.thresholds(caller.organisation_id, project_id)
        return BurnOut(
            project_id=project_id,
            currency=figures.currency,
            budget=figures.budget,
            actual_cost=figures.actual_cost,
            committed=committed,
            used_percent=reading.used_percent,
            forecast_at_completion=figures.eac,
            forecast_formula=FORMULAS[EacMethod.CPI],
            thresholds=thresholds.keys(),
            crossed=sorted(app.crossed_thresholds(caller.organisation_id, project_id)),
        )

    @router.get("/reports/costs", response_model=OrganisationCostsOut, **guarded(READ))
    def organisation_costs(
        caller: CurrentCaller, as_recorded_at: datetime | None = None
    ) -> OrganisationCostsOut:
        org = caller.organisation_id
        with domain_errors():
            currency = queries.reporting_currency(org)
            if currency is None:
                raise BudgetRuleBroken("Set the organisation's reporting currency first.")
            projects, used = [], {}
            for project_id in queries.projects_with_costs(org):
                actual, rates_a = _in_currency(
                    queries, org, project_id, currency, CostKind.ACTUAL, as_recorded_at
                )
                committed, rates_c = _in_currency(
                    queries, org, project_id, currency, CostKind.COMMITTED, as_recorded_at
                )
                used.update(rates_a | rates_c)
                projects.append(
                    ProjectInReportingCurrencyOut(
                        project_id=project_id, actual_cost=actual, committed=committed
                    )
                )
        return OrganisationCostsOut(
            reporting_currency=currency,
            as_recorded_at=as_recorded_at,
            projects=projects,
            total_actual_cost=sum((p.actual_cost for p in projects), Decimal(0)),
            total_committed=sum((p.committed for p in projects), Decimal(0)),
            rates_used=[
                rate_used_out(u) for u in sorted(used.values(), key=lambda u: (u.rate.on, u.rate.base))
            ],
        )

    return router


def _in_currency(
    queries: CostQueries,
    organisation_id: UUID,
    project_id: UUID,
    currency: str,
    kind: CostKind,
    recorded_by: datetime | None,
) -> tuple[Decimal, dict[tuple[UUID, bool], RateUsed]]:
    """The project's total of one kind of cost in ``currency``, rounded once, and the rates used."""
    converter = Converter(queries.exchange_rates(organisation_id, recorded_by))
    total = Decimal(0)
    used: dict[tuple[UUID, bool], RateUsed] = {}
    for day in queries.daily_totals(
        organisation_id, project_id, cost_kind=kind.value, recorded_by=recorded_by
    ):
        amount, rate = converter.convert(day.amount, day.currency, currency, day.worked_on)
        total += amount
        if rate is not None:
            used[(rate.rate.rate_id, rate.inverted)] = rate
    return total.quantize(smallest_unit(currency), rounding=ROUND_HALF_UP), used
