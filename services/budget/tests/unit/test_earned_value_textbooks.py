"""Earned value figures against published textbook examples, to the cent.

Sources (the problem statements and the book's answers are quoted in each test):

1. Kathy Schwalbe, "Information Technology Project Management" (Cengage), Chapter 7
   (Project Cost Management), end-of-chapter Exercise 1: a one-year project with
   PV = $23,000, EV = $20,000, AC = $25,000 and BAC = $120,000. The exercise asks for CV,
   SV, CPI, SPI and the EAC from the CPI; answers: CV = -$5,000, SV = -$3,000, CPI = 0.8
   (80%), SPI = 0.8696 (86.96%), EAC = BAC / CPI = $150,000.
2. Joseph Phillips, "PMP Project Management Professional Study Guide" (McGraw-Hill),
   Chapter 7, "Planned value" and "Schedule variance": BAC $500,000, 40% complete so
   EV = $200,000; planned to be 45% complete so PV = $225,000; SV = -$25,000.
3. The same book, Figure 7-13 ("the EAC can also account for anomalies"): AC $127,000,
   BAC $500,000, EV $100,000, EAC = AC + BAC - EV = $527,000.
4. The same book, Figure 7-14: BAC $500,000, EV $150,000, AC $162,000; the book rounds
   the CPI to .93 before dividing and prints EAC = AC + (BAC - EV) / CPI = $538,344.
   Computed without rounding CPI first (CPI = 0.925926...), EAC is exactly $540,000.00,
   which is what we answer; the book's figure is reproduced with CPI rounded to 0.93.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from trellis_budget.domain.earned_value import EacMethod, earned_value
from trellis_budget.domain.schedule import Allocation, ProgressReport, Span, progress_on
from trellis_budget.domain.schedule import earned_value as earned_on
from trellis_budget.domain.schedule import planned_value as planned_on

CENT = Decimal("0.01")


def test_schwalbe_chapter_7_exercise_1() -> None:
    f = earned_value(bac=Decimal(120000), pv=Decimal(23000), ev=Decimal(20000), ac=Decimal(25000), unit=CENT)
    assert f.cv == Decimal("-5000.00")
    assert f.sv == Decimal("-3000.00")
    assert f.cpi == Decimal("0.8000")
    assert f.spi == Decimal("0.8696")
    assert f.eac == Decimal("150000.00")
    # Derived from the same figures by the formulas in earned_value.py (not printed in the book):
    assert f.etc == Decimal("125000.00")
    assert f.vac == Decimal("-30000.00")
    assert f.tcpi_bac == Decimal("1.0526")  # 100,000 / 95,000
    assert f.tcpi_eac == Decimal("0.8000")  # 100,000 / 125,000: equals CPI when EAC = BAC / CPI


def test_phillips_planned_value_and_schedule_variance_over_a_linear_plan() -> None:
    # A 200-day project: on day 90 it is planned 45% complete (90 / 200); reported 40% done.
    span = Span(date(2026, 1, 1), date(2026, 7, 19))
    assert (span.ends_on - span.starts_on).days + 1 == 200
    on = date(2026, 3, 31)  # the 90th day
    allocation = Allocation(None, Decimal(500000), span)
    history = [ProgressReport(date(2026, 3, 30), Decimal(40), {})]
    pv = planned_on(allocation, on)
    ev = earned_on(allocation, progress_on(history, on))
    f = earned_value(bac=Decimal(500000), pv=pv, ev=ev, ac=Decimal(210000), unit=CENT)
    assert (f.pv, f.ev, f.sv) == (Decimal("225000.00"), Decimal("200000.00"), Decimal("-25000.00"))


def test_phillips_figure_7_13_eac_when_the_variance_was_an_anomaly() -> None:
    f = earned_value(
        bac=Decimal(500000),
        pv=Decimal(100000),
        ev=Decimal(100000),
        ac=Decimal(127000),
        unit=CENT,
        method=EacMethod.REMAINING_AT_BUDGET,
    )
    assert f.eac == Decimal("527000.00")
    assert f.eac_formula == "EAC = AC + (BAC - EV)"


def test_phillips_figure_7_14_eac_with_typical_variance_and_the_rounded_cpi_of_the_book() -> None:
    f = earned_value(
        bac=Decimal(500000), pv=Decimal(150000), ev=Decimal(150000), ac=Decimal(162000), unit=CENT
    )
    assert f.cpi == Decimal("0.9259")
    assert f.eac == Decimal("540000.00"), "AC + (BAC - EV) / CPI equals BAC / CPI exactly"
    book = (Decimal(162000) + (Decimal(500000) - Decimal(150000)) / Decimal("0.93")).quantize(
        Decimal(1), ROUND_HALF_UP
    )
    assert book == Decimal(538344), "the book's figure comes from CPI rounded to 0.93 before dividing"


def test_the_composite_cpi_x_spi_variant() -> None:
    # Schwalbe's figures through EAC = AC + (BAC - EV) / (CPI x SPI):
    # 25,000 + 100,000 / (0.8 x 20/23) = 25,000 + 143,750 = 168,750.
    f = earned_value(
        bac=Decimal(120000),
        pv=Decimal(23000),
        ev=Decimal(20000),
        ac=Decimal(25000),
        unit=CENT,
        method=EacMethod.CPI_SPI,
    )
    assert f.eac == Decimal("168750.00")
    assert f.etc == Decimal("143750.00")


def test_figures_that_cannot_be_said_are_none_not_infinite() -> None:
    f = earned_value(bac=Decimal(1000), pv=Decimal(0), ev=Decimal(0), ac=Decimal(0), unit=CENT)
    assert (f.cpi, f.spi, f.eac, f.etc, f.vac) == (None, None, None, None, None)
    assert f.tcpi_bac == Decimal("1.0000")


def test_money_rounds_to_the_currency_and_half_up() -> None:
    f = earned_value(bac=Decimal(1000), pv=Decimal(300), ev=Decimal(300), ac=Decimal(700), unit=Decimal(1))
    assert f.eac == Decimal(2333), "JPY has no minor units: 2333.33 rounds to 2333"
    g = earned_value(bac=Decimal("0.05"), pv=Decimal(1), ev=Decimal(1), ac=Decimal(2), unit=CENT)
    assert g.eac == Decimal("0.10")
