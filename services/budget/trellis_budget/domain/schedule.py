"""Planned and earned value over time, from the budget's allocation, the schedule and
the progress planning reports.

Planned value on a day: each milestone's allocation is planned evenly over the
milestone's calendar days (start and due day included); budget not allocated to a
milestone is planned evenly over the project's days. PV(d) = sum of allocation x
(days of its span up to and including d) / (days of its span).

Earned value on a day: allocation x percent complete as last reported on or before d,
per milestone (the project's percent where a milestone has no figure of its own), and
the project's percent for the unallocated budget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from uuid import UUID

from trellis_budget.domain.earned_value import PRECISION

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Span:
    starts_on: date
    ends_on: date

    def planned_fraction(self, on: date) -> Decimal:
        if on < self.starts_on:
            return Decimal(0)
        if on >= self.ends_on:
            return Decimal(1)
        with localcontext(PRECISION):
            return Decimal((on - self.starts_on).days + 1) / Decimal((self.ends_on - self.starts_on).days + 1)


@dataclass(frozen=True)
class Allocation:
    """Budget planned over a span; ``milestone_id`` None is the project's unallocated rest."""

    milestone_id: UUID | None
    amount: Decimal
    span: Span | None


@dataclass(frozen=True)
class ProgressReport:
    as_of: date
    percent: Decimal
    milestones: Mapping[UUID, Decimal]


def progress_on(history: Sequence[ProgressReport], on: date) -> ProgressReport | None:
    """The last report with ``as_of`` on or before ``on`` (history sorted by as_of)."""
    found = None
    for report in history:
        if report.as_of > on:
            break
        found = report
    return found


def planned_value(allocation: Allocation, on: date) -> Decimal:
    if allocation.span is None:
        return Decimal(0)
    with localcontext(PRECISION):
        return allocation.amount * allocation.span.planned_fraction(on)


def earned_value(allocation: Allocation, report: ProgressReport | None) -> Decimal:
    if report is None:
        return Decimal(0)
    percent = report.percent
    if allocation.milestone_id is not None:
        percent = report.milestones.get(allocation.milestone_id, report.percent)
    with localcontext(PRECISION):
        return allocation.amount * percent / HUNDRED
