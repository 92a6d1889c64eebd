"""Reporting currency and exchange rate use cases."""

from __future__ import annotations

from uuid import UUID

from trellis_budget.application.tenant_aggregates import TenantAggregates
from trellis_budget.domain.exchange_rates import ExchangeRate, OrganisationCurrencies


class CurrencyUseCases(TenantAggregates):
    def _currencies(self, organisation_id: UUID, meta: dict[str, str]) -> OrganisationCurrencies:
        return self.find(
            OrganisationCurrencies, OrganisationCurrencies.create_id(organisation_id), organisation_id
        ) or OrganisationCurrencies(organisation_id=organisation_id, meta=meta)

    def set_reporting_currency(
        self, *, organisation_id: UUID, currency: str, meta: dict[str, str]
    ) -> OrganisationCurrencies:
        currencies = self._currencies(organisation_id, meta)
        currencies.set_reporting_currency(currency, meta)
        self.save(currencies)
        return currencies

    def record_exchange_rate(
        self, *, organisation_id: UUID, rate: ExchangeRate, meta: dict[str, str]
    ) -> ExchangeRate:
        currencies = self._currencies(organisation_id, meta)
        recorded = currencies.record_rate(rate, meta)
        self.save(currencies)
        return recorded

    def currencies(self, organisation_id: UUID) -> OrganisationCurrencies | None:
        return self.find(
            OrganisationCurrencies, OrganisationCurrencies.create_id(organisation_id), organisation_id
        )
