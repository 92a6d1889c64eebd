"""The cost categories budget lines, costs and change orders are kept in."""

from __future__ import annotations

from enum import StrEnum

from trellis_budget.domain.errors import BudgetRuleBroken


class Category(StrEnum):
    LABOUR = "labour"
    EQUIPMENT = "equipment"
    MATERIALS = "materials"
    EXPENSES = "expenses"
    SUBCONTRACTS = "subcontracts"


def category(value: str) -> Category:
    try:
        return Category(value)
    except ValueError:
        allowed = ", ".join(c.value for c in Category)
        raise BudgetRuleBroken(f"Unknown category {value!r}; one of {allowed}.") from None
