"""Rate card use cases: set a rate for a span of dates, revise one after the fact."""

from __future__ import annotations

from uuid import UUID

from trellis_budget.application.tenant_aggregates import TenantAggregates
from trellis_budget.domain.rate_card import RateCard, RatePeriod, check_subject


class RateCardUseCases(TenantAggregates):
    def set_rate(
        self,
        *,
        organisation_id: UUID,
        subject_kind: str,
        subject: str,
        period: RatePeriod,
        meta: dict[str, str],
    ) -> tuple[RateCard, RatePeriod]:
        subject_kind, subject = check_subject(subject_kind, subject)
        card_id = RateCard.create_id(organisation_id, subject_kind, subject)
        card = self.find(RateCard, card_id, organisation_id) or RateCard(
            organisation_id=organisation_id, subject_kind=subject_kind, subject=subject, meta=meta
        )
        period = card.set_rate(period, meta)
        self.save(card)
        return card, period

    def revise_rate(
        self,
        *,
        organisation_id: UUID,
        subject_kind: str,
        subject: str,
        period: RatePeriod,
        reason: str,
        meta: dict[str, str],
    ) -> tuple[RateCard, RatePeriod]:
        card = self.rate_card(organisation_id, subject_kind, subject)
        period = card.revise_rate(period, reason, meta)
        self.save(card)
        return card, period

    def rate_card(self, organisation_id: UUID, subject_kind: str, subject: str) -> RateCard:
        subject_kind, subject = check_subject(subject_kind, subject)
        return self.load(
            RateCard,
            RateCard.create_id(organisation_id, subject_kind, subject),
            organisation_id,
            f"rate card for {subject_kind}",
        )
