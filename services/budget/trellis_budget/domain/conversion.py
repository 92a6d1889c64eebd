"""Converting amounts with recorded exchange rates, naming the rate used.

The rate in force on a day is the last one recorded for that day or before. Where only
the opposite pair is recorded, its inverse is used (and named as such).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from trellis_budget.domain.earned_value import PRECISION
from trellis_budget.domain.errors import BudgetRuleBroken
from trellis_budget.domain.exchange_rates import ExchangeRate


@dataclass(frozen=True)
class RateUsed:
    rate: ExchangeRate
    inverted: bool

    @property
    def factor(self) -> Decimal:
        with localcontext(PRECISION):
            return Decimal(1) / self.rate.rate if self.inverted else self.rate.rate


class MissingRate(BudgetRuleBroken):
    pass


class Converter:
    def __init__(self, rates: Iterable[ExchangeRate]) -> None:
        self._by_pair: dict[tuple[str, str], list[ExchangeRate]] = {}
        for rate in sorted(rates, key=lambda r: r.on):
            self._by_pair.setdefault((rate.base, rate.quote), []).append(rate)

    def _latest(self, base: str, quote: str, on: date) -> ExchangeRate | None:
        found = None
        for rate in self._by_pair.get((base, quote), []):
            if rate.on > on:
                break
            found = rate
        return found

    def rate(self, source: str, target: str, on: date) -> RateUsed:
        direct = self._latest(source, target, on)
        inverse = self._latest(target, source, on)
        if direct is not None and (inverse is None or direct.on >= inverse.on):
            return RateUsed(direct, inverted=False)
        if inverse is not None:
            return RateUsed(inverse, inverted=True)
        raise MissingRate(f"No {source}/{target} exchange rate is recorded on or before {on.isoformat()}.")

    def convert(self, amount: Decimal, source: str, target: str, on: date) -> tuple[Decimal, RateUsed | None]:
        """The unrounded amount in ``target``; rounding belongs to the figure it adds up to."""
        if source == target:
            return amount, None
        used = self.rate(source, target, on)
        with localcontext(PRECISION):
            return amount * used.factor, used
