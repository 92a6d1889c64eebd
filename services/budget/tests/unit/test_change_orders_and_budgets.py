"""Budgets and change orders as aggregates: rules, and history that stays."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from trellis_budget.domain.budget import Budget, BudgetLine, apply_impact
from trellis_budget.domain.change_order import Authority, ChangeOrder
from trellis_budget.domain.errors import BudgetRuleBroken, Conflict

META = {"actor": "staff:u1"}


def order(**change: object) -> ChangeOrder:
    fields: dict[str, object] = {
        "organisation_id": uuid4(),
        "project_id": uuid4(),
        "title": "Extra room",
        "scope": "Add a room",
        "currency": "EUR",
        "cost_impact": [BudgetLine("labour", Decimal("100"))],
        "schedule_impact_days": 3,
        "milestone_id": None,
        "meta": META,
    }
    fields.update(change)
    return ChangeOrder.propose(**fields)  # type: ignore[arg-type]


def test_a_change_order_goes_proposed_sent_approved_and_stays_decided() -> None:
    o = order()
    o.send(sent_to="client", meta=META)
    o.approve(approved_by="client:c1", authority=Authority.CLIENT, note="", meta=META)
    assert o.status == "approved"
    with pytest.raises(Conflict):
        o.reject(rejected_by="x", authority=Authority.STAFF, reason="late", meta=META)
    assert [type(e).__name__ for e in o.collect_events()] == ["Proposed", "Sent", "Approved"]


def test_finance_may_approve_an_internal_change_order_that_was_never_sent() -> None:
    o = order()
    o.approve(approved_by="staff:f", authority=Authority.STAFF, note="", meta=META)
    assert o.status == "approved"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": " "}, "title"),
        ({"scope": ""}, "scope"),
        ({"schedule_impact_days": 5000}, "at most"),
        ({"currency": "ZZZ"}, "ISO 4217"),
        ({"cost_impact": [BudgetLine("labour", Decimal("1.001"))]}, "decimal places"),
        ({"cost_impact": [BudgetLine("travel", Decimal(1))]}, "Unknown category"),
    ],
)
def test_a_change_order_must_make_sense(change: dict[str, object], message: str) -> None:
    with pytest.raises(BudgetRuleBroken, match=message):
        order(**change)


def test_an_impact_cannot_take_a_line_below_zero() -> None:
    with pytest.raises(BudgetRuleBroken, match="below zero"):
        apply_impact((BudgetLine("labour", Decimal(100)),), [BudgetLine("labour", Decimal(-101))])


def test_an_impact_adds_lines_per_category_and_milestone() -> None:
    milestone = uuid4()
    lines = apply_impact(
        (BudgetLine("labour", Decimal(100)),),
        [BudgetLine("labour", Decimal(-40)), BudgetLine("materials", Decimal(10), milestone)],
    )
    assert {(line.category, line.amount, line.milestone_id) for line in lines} == {
        ("labour", Decimal(60), None),
        ("materials", Decimal(10), milestone),
    }


def test_revisions_keep_the_original() -> None:
    budget = Budget.create(
        organisation_id=uuid4(),
        project_id=uuid4(),
        currency="CHF",
        lines=[BudgetLine("labour", Decimal("100.05"))],
        meta=META,
    )
    budget.revise(lines=[BudgetLine("labour", Decimal(200))], reason="scope", meta=META)
    assert budget.original.total == Decimal("100.05")
    assert budget.current.total == Decimal("200.00")
    assert [r.number for r in budget.revisions] == [1, 2]
    with pytest.raises(BudgetRuleBroken, match="reason"):
        budget.revise(lines=[BudgetLine("labour", Decimal(1))], reason=" ", meta=META)
    with pytest.raises(BudgetRuleBroken, match="merge"):
        budget.revise(
            lines=[BudgetLine("labour", Decimal(1)), BudgetLine("labour", Decimal(2))], reason="x", meta=META
        )


def test_the_budget_of_a_project_has_one_id() -> None:
    org, project = uuid4(), uuid4()
    assert (
        Budget.create_id(org, project) == Budget.create_id(org, project) != Budget.create_id(uuid4(), project)
    )
