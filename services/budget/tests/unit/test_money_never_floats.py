"""No amount passes through a binary float on the money path.

Python's decimal module can trap every implicit float: with FloatOperation trapped,
constructing a Decimal from a float or mixing floats and Decimals raises. The costing,
ledger and earned value paths run under that trap; the HTTP API refuses JSON numbers
with a fraction; and the budget package's source never calls float().
"""

from __future__ import annotations

import ast
import decimal
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trellis_budget.api.money import parse_decimal
from trellis_budget.domain.conversion import Converter
from trellis_budget.domain.earned_value import EacMethod, earned_value
from trellis_budget.domain.exchange_rates import ExchangeRate
from trellis_budget.domain.ledger.engine import LedgerEngine
from trellis_budget.domain.ledger.model import (
    BookingFacts,
    CostKind,
    Person,
    SourceFacts,
    SourceKind,
    SubjectRate,
    TimeFacts,
)
from trellis_budget.domain.ledger.state import MemoryLedgerState
from trellis_budget.domain.rate_card import RatePeriod

PACKAGE = Path(__file__).resolve().parents[2] / "trellis_budget"
money = st.decimals("0.01", "99999.99", places=2)


def trapping_floats() -> decimal.Context:
    context = decimal.getcontext().copy()
    context.traps[decimal.FloatOperation] = True
    return context


def test_the_trap_catches_a_float() -> None:
    with decimal.localcontext(trapping_floats()), pytest.raises(decimal.FloatOperation):
        Decimal(0.1)  # noqa: RUF032 - the point: a float must be refused


@settings(max_examples=100, deadline=None)
@given(
    rate=money,
    minutes=st.integers(1, 1440),
    hours=st.decimals("0.5", "24", places=1),
    ev=money,
    ac=money,
    pv=money,
    fx=st.decimals("0.0001", "1000", places=4),
    method=st.sampled_from(EacMethod),
)
def test_costing_ledger_conversion_and_earned_value_never_touch_a_float(
    rate: Decimal,
    minutes: int,
    hours: Decimal,
    ev: Decimal,
    ac: Decimal,
    pv: Decimal,
    fx: Decimal,
    method: EacMethod,
) -> None:
    with decimal.localcontext(trapping_floats()):
        org, person, equipment, project = uuid4(), uuid4(), uuid4(), uuid4()
        at = datetime(2026, 1, 1, tzinfo=UTC)
        engine = LedgerEngine(MemoryLedgerState())
        engine.put_person(Person(org, person, "dev", Decimal(8), 1), recorded_at=at)
        for kind, subject, unit in (("role", "dev", "hour"), ("equipment", str(equipment), "day")):
            engine.put_rate(
                SubjectRate(
                    org,
                    kind,
                    subject,
                    RatePeriod(uuid4(), date(2026, 1, 1), None, unit, rate, rate, "EUR"),
                    1,
                ),
                recorded_at=at,
            )
        engine.put_source(
            SourceFacts(
                uuid4(),
                org,
                project,
                SourceKind.TIME,
                "labour",
                CostKind.ACTUAL,
                person,
                None,
                TimeFacts(date(2026, 1, 2), minutes, True),
            ),
            version=1,
            recorded_at=at,
            cause="t",
        )
        engine.put_source(
            SourceFacts(
                uuid4(),
                org,
                project,
                SourceKind.BOOKING,
                "equipment",
                CostKind.ACTUAL,
                equipment,
                None,
                BookingFacts(date(2026, 1, 2), date(2026, 1, 4), hours),
            ),
            version=1,
            recorded_at=at,
            cause="b",
        )
        total = sum((e.amount for e in engine.take_entries()), Decimal(0))
        converter = Converter([ExchangeRate(uuid4(), "EUR", "USD", date(2026, 1, 1), fx, "test")])
        converted, _ = converter.convert(total, "USD", "EUR", date(2026, 1, 3) + timedelta(days=1))
        earned_value(bac=converted + ac, pv=pv, ev=ev, ac=ac, unit=Decimal("0.01"), method=method)


@pytest.mark.parametrize("value", [0.1, 12.5, 1e3, True])
def test_the_api_refuses_json_numbers_with_a_fraction(value: object) -> None:
    with pytest.raises(ValueError, match="decimal string"):
        parse_decimal(value)


def test_the_api_keeps_decimal_strings_exact() -> None:
    assert parse_decimal("0.10") == Decimal("0.10")
    assert parse_decimal(12) == Decimal(12)


MONEY_PATH = ("domain", "application", "api", "publishing", "views")


def test_the_budget_package_never_calls_float_and_the_money_path_has_no_float_literal() -> None:
    """Retry back-offs in seconds (runners, batch delivery) are the only floats allowed."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        on_money_path = path.relative_to(PACKAGE).parts[0] in MONEY_PATH
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
            if on_money_path and isinstance(node, ast.Constant) and isinstance(node.value, float):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} (float literal)")
    assert offenders == []
