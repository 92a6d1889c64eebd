"""What a cost source costs, line by line, at the rates in force on each day.

Time: the person's own rate in force on the day worked, else their role's. An hourly
rate costs minutes x rate / 60; a day rate costs minutes x rate / (60 x the person's
hours per day). Equipment bookings cost each booked day at the equipment's rate in
force that day: hours per day x an hourly rate, or one day rate. Every amount is
rounded once, half up, to the rate's currency.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from trellis_budget.domain.currencies import smallest_unit
from trellis_budget.domain.ledger.model import (
    DEFAULT_HOURS_PER_DAY,
    BookingFacts,
    FixedFacts,
    Line,
    Person,
    SourceFacts,
    SubjectRate,
    TimeFacts,
)
from trellis_budget.domain.rate_card import RatePeriod, RateUnit

MINUTES_PER_HOUR = Decimal(60)
HOURS_PLACES = Decimal("0.000001")


def in_force(rates: Sequence[SubjectRate], day: date) -> RatePeriod | None:
    for rate in rates:
        if rate.period.covers(day):
            return rate.period
    return None


def _round(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(smallest_unit(currency), rounding=ROUND_HALF_UP)


_HOUR = RateUnit.HOUR.value
_MINUTES: dict[int, Decimal] = {m: Decimal(m) for m in range(24 * 60 + 1)}
_HOURS: dict[int, Decimal] = {m: (Decimal(m) / MINUTES_PER_HOUR).quantize(HOURS_PLACES) for m in _MINUTES}
_ZERO = Decimal(0)


def time_line(
    facts: TimeFacts,
    person: Person | None,
    person_rates: Sequence[SubjectRate],
    role_rates: Sequence[SubjectRate],
) -> Line:
    """The hot path of the ledger (every time entry): no context switches, no lookups
    that could be done once. The default context's 28 digits are ample here: an amount
    below 10^15 with at most 3 places, times at most 1,440 minutes, over 60 or 60 x hours."""
    period = in_force(person_rates, facts.worked_on) or in_force(role_rates, facts.worked_on)
    minutes = _MINUTES.get(facts.minutes) or Decimal(facts.minutes)
    hours = _HOURS.get(facts.minutes) or (minutes / MINUTES_PER_HOUR).quantize(HOURS_PLACES)
    if period is None:
        return Line(facts.worked_on, hours, _HOUR, None, None, None, None, None)
    if period.unit == _HOUR:
        divisor = MINUTES_PER_HOUR
    else:
        per_day = person.hours_per_day if person and person.hours_per_day > 0 else DEFAULT_HOURS_PER_DAY
        divisor = MINUTES_PER_HOUR * per_day
    unit = smallest_unit(period.currency)
    cost = (minutes * period.cost_rate / divisor).quantize(unit, rounding=ROUND_HALF_UP)
    bill = (
        (minutes * period.bill_rate / divisor).quantize(unit, rounding=ROUND_HALF_UP)
        if facts.billable
        else _ZERO
    )
    return Line(
        facts.worked_on, hours, _HOUR, period.cost_rate, period.period_id, cost, bill, period.currency
    )


def booking_lines(facts: BookingFacts, rates: Sequence[SubjectRate]) -> list[Line]:
    lines = []
    day = facts.starts_on
    while day <= facts.ends_on:
        period = in_force(rates, day)
        if period is None:
            lines.append(Line(day, facts.hours_per_day, RateUnit.HOUR.value, None, None, None, None, None))
        elif period.unit == RateUnit.HOUR.value:
            cost = _round(facts.hours_per_day * period.cost_rate, period.currency)
            lines.append(
                Line(
                    day,
                    facts.hours_per_day,
                    RateUnit.HOUR.value,
                    period.cost_rate,
                    period.period_id,
                    cost,
                    Decimal(0),
                    period.currency,
                )
            )
        else:
            lines.append(
                Line(
                    day,
                    Decimal(1),
                    RateUnit.DAY.value,
                    period.cost_rate,
                    period.period_id,
                    _round(period.cost_rate, period.currency),
                    Decimal(0),
                    period.currency,
                )
            )
        day += timedelta(days=1)
    return lines


def fixed_line(facts: FixedFacts) -> Line:
    return Line(facts.on, Decimal(1), "each", facts.amount, None, facts.amount, Decimal(0), facts.currency)


def lines_for(
    source: SourceFacts,
    person: Person | None,
    person_rates: Sequence[SubjectRate],
    role_rates: Sequence[SubjectRate],
) -> list[Line]:
    """``person_rates`` are the subject's own (a person's, or the equipment's)."""
    if isinstance(source.facts, TimeFacts):
        return [time_line(source.facts, person, person_rates, role_rates)]
    if isinstance(source.facts, BookingFacts):
        return booking_lines(source.facts, person_rates)
    assert isinstance(source.facts, FixedFacts)
    return [fixed_line(source.facts)]
