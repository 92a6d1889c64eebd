"""ISO 4217 currencies and how many decimal places each allows (its minor units).

The table is the ISO 4217 maintenance agency's own list, shipped by the ``iso4217``
package. Codes without minor units (precious metals, testing codes) are not money
a project is budgeted in, so they are not accepted.
"""

from __future__ import annotations

from decimal import Decimal

import iso4217

from trellis_budget.domain.errors import BudgetRuleBroken


def _minor_units() -> dict[str, int]:
    table: dict[str, int] = {}
    for code, entry in iso4217.raw_table.items():
        units = entry.get("CcyMnrUnts")
        if code and isinstance(units, str) and units.isdigit():
            table[str(code)] = int(units)
    return table


MINOR_UNITS: dict[str, int] = _minor_units()


def minor_units(currency: str) -> int:
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise BudgetRuleBroken(f"{currency!r} is not an ISO 4217 currency code.") from None


def check_currency(currency: str) -> str:
    minor_units(currency)
    return currency


_SMALLEST: dict[str, Decimal] = {code: Decimal(1).scaleb(-units) for code, units in MINOR_UNITS.items()}


def smallest_unit(currency: str) -> Decimal:
    unit = _SMALLEST.get(currency)
    if unit is None:
        minor_units(currency)  # raises: not a currency
        raise AssertionError(currency)
    return unit


def check_amount(
    amount: Decimal, currency: str, *, what: str, positive: bool = False, allow_negative: bool = False
) -> Decimal:
    """The amount, exact in the currency's minor units; a 4xx rule otherwise.

    ``12.50`` and ``12.5`` are both fine in EUR; ``12.505`` is not (EUR has 2 places).
    """
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise BudgetRuleBroken(f"{what} must be a finite decimal amount.")
    unit = smallest_unit(currency)
    if amount != amount.quantize(unit):
        raise BudgetRuleBroken(
            f"{what} {amount} has more decimal places than {currency} allows ({minor_units(currency)})."
        )
    if positive and amount <= 0:
        raise BudgetRuleBroken(f"{what} must be greater than zero.")
    if not allow_negative and amount < 0:
        raise BudgetRuleBroken(f"{what} cannot be negative.")
    return amount.quantize(unit)
