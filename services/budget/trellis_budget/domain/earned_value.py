"""Earned value figures from PV, EV, AC and BAC, with the standard EAC variants.

Formulas (PMBOK Guide; PMI Practice Standard for Earned Value Management):
    CV  = EV - AC                 SV  = EV - PV
    CPI = EV / AC                 SPI = EV / PV
    EAC (default, "cpi")          = BAC / CPI
    EAC ("remaining_at_budget")   = AC + (BAC - EV)
    EAC ("cpi_spi")               = AC + (BAC - EV) / (CPI x SPI)
    ETC = EAC - AC                VAC = BAC - EAC
    TCPI (to meet BAC) = (BAC - EV) / (BAC - AC)
    TCPI (to meet EAC) = (BAC - EV) / (EAC - AC)

Everything is computed in Decimal at 34 significant digits and rounded once, at the
end: money to the currency's minor units (half up), indices to 4 places. Rounding CPI
first (as some textbooks do by hand) moves EAC by dollars; the tests show the case.
A figure whose divisor is zero is None ("cannot be said"), never infinity.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from enum import StrEnum

INDEX_PLACES = Decimal("0.0001")
PRECISION = Context(prec=34)


class EacMethod(StrEnum):
    CPI = "cpi"
    REMAINING_AT_BUDGET = "remaining_at_budget"
    CPI_SPI = "cpi_spi"


FORMULAS = {
    EacMethod.CPI: "EAC = BAC / CPI",
    EacMethod.REMAINING_AT_BUDGET: "EAC = AC + (BAC - EV)",
    EacMethod.CPI_SPI: "EAC = AC + (BAC - EV) / (CPI x SPI)",
}


@dataclass(frozen=True)
class EarnedValue:
    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    cv: Decimal
    sv: Decimal
    cpi: Decimal | None
    spi: Decimal | None
    eac: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    tcpi_bac: Decimal | None
    tcpi_eac: Decimal | None
    eac_method: EacMethod

    @property
    def eac_formula(self) -> str:
        return FORMULAS[self.eac_method]


def _money(value: Decimal, unit: Decimal) -> Decimal:
    return value.quantize(unit, rounding=ROUND_HALF_UP)


def _index(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(INDEX_PLACES, rounding=ROUND_HALF_UP)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return None if denominator == 0 else numerator / denominator


def estimate_at_completion(
    method: EacMethod, *, bac: Decimal, pv: Decimal, ev: Decimal, ac: Decimal
) -> Decimal | None:
    """Unrounded EAC; None when the method's index cannot be computed."""
    with localcontext(PRECISION):
        if method is EacMethod.REMAINING_AT_BUDGET:
            return ac + (bac - ev)
        cpi = _ratio(ev, ac)
        if method is EacMethod.CPI:
            return None if not cpi else bac / cpi
        spi = _ratio(ev, pv)
        if not cpi or not spi:
            return None
        return ac + (bac - ev) / (cpi * spi)


def earned_value(
    *, bac: Decimal, pv: Decimal, ev: Decimal, ac: Decimal, unit: Decimal, method: EacMethod = EacMethod.CPI
) -> EarnedValue:
    """``unit`` is the currency's smallest amount, e.g. Decimal("0.01")."""
    with localcontext(PRECISION):
        cpi = _ratio(ev, ac)
        spi = _ratio(ev, pv)
        eac = estimate_at_completion(method, bac=bac, pv=pv, ev=ev, ac=ac)
        etc = None if eac is None else eac - ac
        vac = None if eac is None else bac - eac
        tcpi_bac = _ratio(bac - ev, bac - ac)
        tcpi_eac = None if eac is None else _ratio(bac - ev, eac - ac)
        return EarnedValue(
            bac=_money(bac, unit),
            pv=_money(pv, unit),
            ev=_money(ev, unit),
            ac=_money(ac, unit),
            cv=_money(ev - ac, unit),
            sv=_money(ev - pv, unit),
            cpi=_index(cpi),
            spi=_index(spi),
            eac=None if eac is None else _money(eac, unit),
            etc=None if etc is None else _money(etc, unit),
            vac=None if vac is None else _money(vac, unit),
            tcpi_bac=_index(tcpi_bac),
            tcpi_eac=_index(tcpi_eac),
            eac_method=method,
        )
