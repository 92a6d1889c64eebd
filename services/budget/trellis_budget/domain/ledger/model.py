"""What the ledger knows: cost sources (time entries, equipment bookings, expenses,
commitments), the people and rates that price them, and the entries it books.

An entry is never changed. A source's cost that changes (corrected, deleted, re-priced)
is booked as a reversal of the old line and a new line, so the ledger at any recorded
moment, and by any date worked, can be read back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from trellis_budget.domain.rate_card import RatePeriod

DEFAULT_HOURS_PER_DAY = Decimal(8)


class SourceKind(StrEnum):
    TIME = "time_entry"
    BOOKING = "equipment_booking"
    EXPENSE = "expense"
    COMMITMENT = "commitment"


class CostKind(StrEnum):
    ACTUAL = "actual"
    COMMITTED = "committed"


@dataclass(frozen=True)
class Person:
    """A resource as planning registered it; ``role`` is what role rate cards price by."""

    organisation_id: UUID
    resource_id: UUID
    role: str | None
    hours_per_day: Decimal
    version: int


@dataclass(frozen=True)
class SubjectRate:
    organisation_id: UUID
    subject_kind: str
    subject: str
    period: RatePeriod
    version: int


@dataclass(frozen=True)
class TimeFacts:
    worked_on: date
    minutes: int
    billable: bool


@dataclass(frozen=True)
class BookingFacts:
    starts_on: date
    ends_on: date
    hours_per_day: Decimal


@dataclass(frozen=True)
class FixedFacts:
    on: date
    amount: Decimal
    currency: str


Facts = TimeFacts | BookingFacts | FixedFacts


@dataclass(frozen=True)
class SourceFacts:
    """A cost source as its latest event describes it."""

    source_id: UUID
    organisation_id: UUID
    project_id: UUID
    kind: SourceKind
    category: str
    cost_kind: CostKind
    subject_id: UUID | None
    milestone_id: UUID | None
    facts: Facts

    @property
    def first_day(self) -> date:
        if isinstance(self.facts, TimeFacts):
            return self.facts.worked_on
        if isinstance(self.facts, BookingFacts):
            return self.facts.starts_on
        return self.facts.on

    @property
    def last_day(self) -> date:
        if isinstance(self.facts, BookingFacts):
            return self.facts.ends_on
        return self.first_day


@dataclass(frozen=True)
class Line:
    """One day of a source's cost as currently booked. ``amount`` None: no rate in force."""

    worked_on: date
    quantity: Decimal
    unit: str
    rate: Decimal | None
    rate_ref: UUID | None
    amount: Decimal | None
    bill_amount: Decimal | None
    currency: str | None

    @property
    def costed(self) -> bool:
        return self.amount is not None


@dataclass(frozen=True)
class Source:
    facts: SourceFacts
    version: int
    lines: tuple[Line, ...]
    removed: bool = False

    @property
    def source_id(self) -> UUID:
        return self.facts.source_id

    @property
    def uncosted(self) -> bool:
        return any(not line.costed for line in self.lines)


@dataclass(frozen=True)
class Entry:
    organisation_id: UUID
    project_id: UUID
    source_kind: str
    source_id: UUID
    category: str
    cost_kind: str
    milestone_id: UUID | None
    worked_on: date
    quantity: Decimal
    unit: str
    rate: Decimal | None
    rate_ref: UUID | None
    amount: Decimal
    bill_amount: Decimal
    currency: str
    cause: str
    reversal: bool
    recorded_at: datetime
