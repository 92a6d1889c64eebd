"""Rate card routes: rates per role, person or equipment, with effective dates."""

from __future__ import annotations

from urllib.parse import quote
from uuid import UUID, uuid4

from fastapi import APIRouter, Request, Response, status

from trellis_budget.api.common import PREFIX, PROBLEM_RESPONSES, domain_errors, meta_for
from trellis_budget.api.schemas import RateCardOut, RateIn, RateOut, ReviseRateRequest
from trellis_budget.application.budget_app import BudgetApplication
from trellis_budget.domain.rate_card import RateCard, RatePeriod
from trellis_platform.auth.access import MONEY, READERS, access
from trellis_platform.auth.guards import CurrentCaller, guarded

WRITE = access(staff=MONEY, permission="budget.rates:write")
READ = access(staff=READERS, permission="budget.rates:read")


def rate_out(period: RatePeriod) -> RateOut:
    return RateOut(
        period_id=period.period_id,
        effective_from=period.effective_from,
        effective_to=period.effective_to,
        unit=period.unit,
        cost_rate=period.cost_rate,
        bill_rate=period.bill_rate,
        currency=period.currency,
    )


def card_out(card: RateCard) -> RateCardOut:
    return RateCardOut(
        id=card.id,
        subject_kind=card.subject_kind,
        subject=card.subject,
        rates=[rate_out(p) for p in sorted(card.periods, key=lambda p: p.effective_from)],
        version=card.version,
    )


def rate_cards_router(app: BudgetApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["budget"], responses=PROBLEM_RESPONSES)

    @router.post(
        "/rate-cards/{kind}/{subject}/rates",
        status_code=status.HTTP_201_CREATED,
        response_model=RateOut,
        **guarded(WRITE),
    )
    def set_rate(
        kind: str, subject: str, body: RateIn, caller: CurrentCaller, request: Request, response: Response
    ) -> RateOut:
        period = RatePeriod(
            uuid4(),
            body.effective_from,
            body.effective_to,
            body.unit,
            body.cost_rate,
            body.bill_rate,
            body.currency,
        )
        with domain_errors():
            card, period = app.set_rate(
                organisation_id=caller.organisation_id,
                subject_kind=kind,
                subject=subject,
                period=period,
                meta=meta_for(caller, request),
            )
        # A role name may hold spaces or slashes: the URL names it percent-encoded.
        subject = quote(card.subject, safe="")
        response.headers["Location"] = f"{PREFIX}/rate-cards/{card.subject_kind}/{subject}"
        return rate_out(period)

    @router.put("/rate-cards/{kind}/{subject}/rates/{period_id}", response_model=RateOut, **guarded(WRITE))
    def revise_rate(
        kind: str,
        subject: str,
        period_id: UUID,
        body: ReviseRateRequest,
        caller: CurrentCaller,
        request: Request,
    ) -> RateOut:
        """Changes a rate after the fact; entries already costed at it are re-costed by
        compensating entries recorded now (the ledger as recorded before stays readable)."""
        with domain_errors():
            card = app.rate_card(caller.organisation_id, kind, subject)
            current = card.period(period_id)
            period = RatePeriod(
                period_id,
                current.effective_from,
                body.effective_to,
                body.unit,
                body.cost_rate,
                body.bill_rate,
                body.currency,
            )
            _, period = app.revise_rate(
                organisation_id=caller.organisation_id,
                subject_kind=kind,
                subject=subject,
                period=period,
                reason=body.reason,
                meta=meta_for(caller, request),
            )
        return rate_out(period)

    @router.get("/rate-cards/{kind}/{subject}", response_model=RateCardOut, **guarded(READ))
    def get_rate_card(kind: str, subject: str, caller: CurrentCaller) -> RateCardOut:
        with domain_errors():
            return card_out(app.rate_card(caller.organisation_id, kind, subject))

    return router
