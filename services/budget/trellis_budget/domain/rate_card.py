"""A rate card prices one subject (a role, a person, or a piece of equipment): cost and
bill rates per hour or per day, each for a span of effective dates that never overlap.

Stored event topics are ``trellis_budget.domain.rate_card:RateCard.<Event>``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_budget.domain.currencies import check_amount, check_currency
from trellis_budget.domain.errors import BudgetRuleBroken, NotFound
from trellis_budget.domain.ids import derived_id


class SubjectKind(StrEnum):
    ROLE = "role"
    PERSON = "person"
    EQUIPMENT = "equipment"


class RateUnit(StrEnum):
    HOUR = "hour"
    DAY = "day"


@dataclass(frozen=True)
class RatePeriod:
    period_id: UUID
    effective_from: date
    effective_to: date | None  # inclusive; None: until further notice
    unit: str
    cost_rate: Decimal
    bill_rate: Decimal
    currency: str

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def overlaps(self, other: RatePeriod) -> bool:
        self_end = self.effective_to or date.max
        other_end = other.effective_to or date.max
        return self.effective_from <= other_end and other.effective_from <= self_end

    def describe(self) -> str:
        until = self.effective_to.isoformat() if self.effective_to else "open-ended"
        return f"{self.effective_from.isoformat()}..{until}"


def check_subject(kind: str, subject: str) -> tuple[str, str]:
    try:
        subject_kind = SubjectKind(kind)
    except ValueError:
        raise BudgetRuleBroken(f"Unknown rate card kind {kind!r}; one of role, person, equipment.") from None
    subject = subject.strip()
    if subject_kind is SubjectKind.ROLE:
        if not subject or len(subject) > 100 or not subject.isprintable():
            raise BudgetRuleBroken("A role name has 1 to 100 printable characters.")
        return subject_kind.value, subject
    try:
        return subject_kind.value, str(UUID(subject))
    except ValueError:
        raise BudgetRuleBroken(
            f"A {subject_kind.value} rate card names a resource id, not {subject!r}."
        ) from None


def check_period(period: RatePeriod) -> RatePeriod:
    currency = check_currency(period.currency)
    try:
        unit = RateUnit(period.unit).value
    except ValueError:
        raise BudgetRuleBroken(f"Unknown rate unit {period.unit!r}; hour or day.") from None
    if period.effective_to is not None and period.effective_to < period.effective_from:
        raise BudgetRuleBroken(
            f"A rate cannot end ({period.effective_to.isoformat()}) before it starts "
            f"({period.effective_from.isoformat()})."
        )
    return replace(
        period,
        unit=unit,
        currency=currency,
        cost_rate=check_amount(period.cost_rate, currency, what="cost_rate"),
        bill_rate=check_amount(period.bill_rate, currency, what="bill_rate"),
    )


class RateCard(Aggregate):
    class Created(Aggregate.Created):
        organisation_id: UUID
        subject_kind: str
        subject: str
        meta: dict[str, str]

    class RateSet(Aggregate.Event):
        organisation_id: UUID
        subject_kind: str
        subject: str
        period: RatePeriod
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            assert isinstance(aggregate, RateCard)
            aggregate.periods.append(self.period)

    class RateRevised(Aggregate.Event):
        """A period's amounts or end date changed after the fact (retroactive)."""

        organisation_id: UUID
        subject_kind: str
        subject: str
        period: RatePeriod
        reason: str
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            assert isinstance(aggregate, RateCard)
            aggregate.periods = [
                self.period if p.period_id == self.period.period_id else p for p in aggregate.periods
            ]

    @staticmethod
    def create_id(organisation_id: UUID, subject_kind: str, subject: str) -> UUID:
        return derived_id("rate-card", organisation_id, subject_kind, subject)

    @event(Created)
    def __init__(
        self, *, organisation_id: UUID, subject_kind: str, subject: str, meta: dict[str, str]
    ) -> None:
        self.organisation_id = organisation_id
        self.subject_kind = subject_kind
        self.subject = subject
        self.periods: list[RatePeriod] = []

    def _subject(self) -> dict[str, Any]:
        return {
            "organisation_id": self.organisation_id,
            "subject_kind": self.subject_kind,
            "subject": self.subject,
        }

    def period(self, period_id: UUID) -> RatePeriod:
        for period in self.periods:
            if period.period_id == period_id:
                return period
        raise NotFound(f"No rate {period_id} on this rate card.")

    def _check_no_overlap(self, period: RatePeriod) -> None:
        for other in self.periods:
            if other.period_id != period.period_id and other.overlaps(period):
                raise BudgetRuleBroken(
                    f"The rate {period.describe()} overlaps the rate {other.describe()} "
                    f"({other.period_id}) of this {self.subject_kind}; end that one first."
                )

    def set_rate(self, period: RatePeriod, meta: dict[str, str]) -> RatePeriod:
        period = check_period(period)
        self._check_no_overlap(period)
        self.trigger_event(RateCard.RateSet, period=period, meta=meta, **self._subject())
        return period

    def revise_rate(self, period: RatePeriod, reason: str, meta: dict[str, str]) -> RatePeriod:
        current = self.period(period.period_id)
        period = check_period(replace(period, effective_from=current.effective_from))
        reason = reason.strip()
        if not reason:
            raise BudgetRuleBroken("A retroactive rate change needs a reason.")
        self._check_no_overlap(period)
        if period != current:
            self.trigger_event(
                RateCard.RateRevised, period=period, reason=reason, meta=meta, **self._subject()
            )
        return period
