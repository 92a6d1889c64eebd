"""Budget lines as the contracts carry them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from trellis_budget.domain.budget import BudgetLine
from trellis_contracts.budget.budgets_v1 import BudgetLineV1


def lines_v1(lines: Iterable[BudgetLine]) -> list[BudgetLineV1]:
    return [
        BudgetLineV1(
            category=line.category,
            amount=line.amount,
            milestone_id=line.milestone_id,
            description=line.description,
        )
        for line in lines
    ]


def total(lines: Iterable[BudgetLine]) -> Decimal:
    return sum((line.amount for line in lines), Decimal(0))
