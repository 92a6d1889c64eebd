"""Threshold and currency routes: a project's warning levels; the organisation's
reporting currency and its recorded exchange rates."""

from __future__ import annotations

from uuid import UUID, uuid4

from fastapi import APIRouter, Request, Response, status

from trellis_budget.api.common import PREFIX, PROBLEM_RESPONSES, domain_errors, meta_for
from trellis_budget.api.schemas import (
    CurrenciesOut,
    ExchangeRateIn,
    ExchangeRateOut,
    ReportingCurrencyIn,
    ThresholdsIn,
    ThresholdsOut,
)
from trellis_budget.application.budget_app import BudgetApplication
from trellis_budget.domain.exchange_rates import ExchangeRate
from trellis_budget.domain.thresholds import Thresholds
from trellis_platform.auth.access import MONEY, READERS, access
from trellis_platform.auth.caller import StaffRole
from trellis_platform.auth.guards import CurrentCaller, guarded

WRITE = access(staff=MONEY, permission="budget.settings:write")
READ = access(staff=READERS, permission="budget.settings:read")
FINANCE = access(
    staff=frozenset({StaffRole.OWNER, StaffRole.ADMIN, StaffRole.FINANCE}),
    permission="budget.currencies:write",
)


def rate_out(rate: ExchangeRate) -> ExchangeRateOut:
    return ExchangeRateOut(
        rate_id=rate.rate_id, base=rate.base, quote=rate.quote, on=rate.on, rate=rate.rate, source=rate.source
    )


def settings_router(app: BudgetApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["budget"], responses=PROBLEM_RESPONSES)

    def thresholds_out(project_id: UUID, organisation_id: UUID, thresholds: Thresholds) -> ThresholdsOut:
        return ThresholdsOut(
            project_id=project_id,
            percents=list(thresholds.percents),
            eac_above_budget=thresholds.eac_above_budget,
            crossed=sorted(app.crossed_thresholds(organisation_id, project_id)),
        )

    @router.put("/projects/{project_id}/thresholds", response_model=ThresholdsOut, **guarded(WRITE))
    def configure(
        project_id: UUID, body: ThresholdsIn, caller: CurrentCaller, request: Request
    ) -> ThresholdsOut:
        with domain_errors():
            thresholds = app.configure_thresholds(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                percents=body.percents,
                eac_above_budget=body.eac_above_budget,
                meta=meta_for(caller, request),
            )
        return thresholds_out(project_id, caller.organisation_id, thresholds)

    @router.get("/projects/{project_id}/thresholds", response_model=ThresholdsOut, **guarded(READ))
    def get_thresholds(project_id: UUID, caller: CurrentCaller) -> ThresholdsOut:
        return thresholds_out(
            project_id, caller.organisation_id, app.thresholds(caller.organisation_id, project_id)
        )

    @router.put("/reporting-currency", response_model=CurrenciesOut, **guarded(FINANCE))
    def set_reporting_currency(
        body: ReportingCurrencyIn, caller: CurrentCaller, request: Request
    ) -> CurrenciesOut:
        with domain_errors():
            currencies = app.set_reporting_currency(
                organisation_id=caller.organisation_id, currency=body.currency, meta=meta_for(caller, request)
            )
        return CurrenciesOut(
            reporting_currency=currencies.reporting_currency, rates=[rate_out(r) for r in currencies.rates]
        )

    @router.post(
        "/exchange-rates",
        status_code=status.HTTP_201_CREATED,
        response_model=ExchangeRateOut,
        **guarded(FINANCE),
    )
    def record_rate(
        body: ExchangeRateIn, caller: CurrentCaller, request: Request, response: Response
    ) -> ExchangeRateOut:
        with domain_errors():
            rate = app.record_exchange_rate(
                organisation_id=caller.organisation_id,
                rate=ExchangeRate(uuid4(), body.base, body.quote, body.on, body.rate, body.source),
                meta=meta_for(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/exchange-rates"
        return rate_out(rate)

    @router.get("/exchange-rates", response_model=CurrenciesOut, **guarded(READ))
    def list_rates(caller: CurrentCaller) -> CurrenciesOut:
        currencies = app.currencies(caller.organisation_id)
        if currencies is None:
            return CurrenciesOut(reporting_currency=None, rates=[])
        return CurrenciesOut(
            reporting_currency=currencies.reporting_currency,
            rates=[rate_out(r) for r in sorted(currencies.rates, key=lambda r: (r.on, r.base))],
        )

    return router
