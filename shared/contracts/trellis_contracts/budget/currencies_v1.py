"""Version 1 of the budget context's currency events: reporting currency, exchange rates."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from trellis_contracts.budget.money import Amount, CurrencyCode
from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import BUDGET_EVENTS_V1


class ReportingCurrencySetV1(EventContract):
    event_type = "com.trellis.budget.reporting_currency.set.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "The organisation chose the currency its reports are converted to."

    organisation_id: UUID
    currency: CurrencyCode


class ExchangeRateRecordedV1(EventContract):
    event_type = "com.trellis.budget.exchange_rate.recorded.v1"
    topic = BUDGET_EVENTS_V1
    version = 1
    summary = "An exchange rate was recorded: 1 base = rate quote, in force from its date."

    organisation_id: UUID
    rate_id: UUID
    base: CurrencyCode
    quote: CurrencyCode
    on: date
    rate: Amount
    source: str
