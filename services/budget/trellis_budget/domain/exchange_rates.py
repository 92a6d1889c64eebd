"""An organisation's reporting currency and the exchange rates it recorded, by date.

A rate is a recorded fact: it is never changed, and a report names the rate it used,
so a conversion can be reproduced. Stored event topics are
``trellis_budget.domain.exchange_rates:OrganisationCurrencies.<Event>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_budget.domain.currencies import check_currency
from trellis_budget.domain.errors import BudgetRuleBroken, Conflict
from trellis_budget.domain.ids import derived_id

MAX_RATE_PLACES = 10


@dataclass(frozen=True)
class ExchangeRate:
    """1 ``base`` = ``rate`` ``quote``, in force from ``on`` until the next recorded date."""

    rate_id: UUID
    base: str
    quote: str
    on: date
    rate: Decimal
    source: str


def check_rate(rate: ExchangeRate) -> ExchangeRate:
    check_currency(rate.base)
    check_currency(rate.quote)
    if rate.base == rate.quote:
        raise BudgetRuleBroken("An exchange rate converts between two different currencies.")
    if not rate.rate.is_finite() or rate.rate <= 0:
        raise BudgetRuleBroken("An exchange rate is a positive decimal.")
    if rate.rate != rate.rate.quantize(Decimal(1).scaleb(-MAX_RATE_PLACES)):
        raise BudgetRuleBroken(f"An exchange rate has at most {MAX_RATE_PLACES} decimal places.")
    if not rate.source.strip():
        raise BudgetRuleBroken("Say where the rate comes from (source).")
    return rate


class OrganisationCurrencies(Aggregate):
    class Started(Aggregate.Created):
        organisation_id: UUID
        meta: dict[str, str]

    class ReportingCurrencySet(Aggregate.Event):
        organisation_id: UUID
        currency: str
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            aggregate.reporting_currency = self.currency

    class RateRecorded(Aggregate.Event):
        organisation_id: UUID
        rate: ExchangeRate
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            aggregate.rates.append(self.rate)

    @staticmethod
    def create_id(organisation_id: UUID) -> UUID:
        return derived_id("organisation-currencies", organisation_id)

    @event(Started)
    def __init__(self, *, organisation_id: UUID, meta: dict[str, str]) -> None:
        self.organisation_id = organisation_id
        self.reporting_currency: str | None = None
        self.rates: list[ExchangeRate] = []

    def set_reporting_currency(self, currency: str, meta: dict[str, str]) -> None:
        currency = check_currency(currency)
        if currency != self.reporting_currency:
            self.trigger_event(
                OrganisationCurrencies.ReportingCurrencySet,
                organisation_id=self.organisation_id,
                currency=currency,
                meta=meta,
            )

    def record_rate(self, rate: ExchangeRate, meta: dict[str, str]) -> ExchangeRate:
        rate = check_rate(rate)
        for known in self.rates:
            if (known.base, known.quote, known.on) == (rate.base, rate.quote, rate.on):
                raise Conflict(
                    f"A {rate.base}/{rate.quote} rate for {rate.on.isoformat()} is already recorded "
                    f"({known.rate}); recorded rates are not changed."
                )
        self.trigger_event(
            OrganisationCurrencies.RateRecorded, organisation_id=self.organisation_id, rate=rate, meta=meta
        )
        return rate
