"""Budget usage as the firm lets the client see it: hidden, the share used, or in full."""

from __future__ import annotations

from decimal import Decimal

from trellis_portal.domain.visibility import BudgetMode
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.shapes import BudgetUsage, FullBudget, PercentBudget
from trellis_portal.views.client.snapshot import ProjectSnapshot

PERCENT = Decimal("0.1")


def budget_usage(snapshot: ProjectSnapshot) -> BudgetUsage | None:
    """None when no budget is set (or it is hidden). The cost used is the one budget last
    reported, in the budget's currency; a report in another currency is not mixed in."""
    mode = snapshot.visibility.budget
    budget = snapshot.one(kinds.BUDGET)
    if mode == BudgetMode.HIDDEN or budget is None:
        return None
    total = Decimal(budget["total"])
    cost = snapshot.one(kinds.BUDGET_COST)
    used = Decimal(cost["actual_cost"]) if cost and cost["currency"] == budget["currency"] else None
    percent = (used / total * 100).quantize(PERCENT) if used is not None and total > 0 else None
    if mode == BudgetMode.PERCENT:
        return PercentBudget(percent_used=percent)
    return FullBudget(currency=budget["currency"], budget=total, used=used,
                      remaining=total - used if used is not None else None, percent_used=percent,
                      revision=int(budget["revision"]))
