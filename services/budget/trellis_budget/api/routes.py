"""All of budget's routes, one router per area."""

from __future__ import annotations

from fastapi import APIRouter

from trellis_budget.api.budgets import budgets_router
from trellis_budget.api.change_orders import change_orders_router
from trellis_budget.api.costs import costs_router
from trellis_budget.api.project_wall import project_wall
from trellis_budget.api.rate_cards import rate_cards_router
from trellis_budget.api.reports import reports_router
from trellis_budget.api.settings import settings_router
from trellis_budget.application.budget_app import BudgetApplication
from trellis_budget.views.cost_queries import CostQueries
from trellis_budget.views.earned_value_report import EarnedValueReports


def budget_routers(
    app: BudgetApplication, queries: CostQueries | None, reports: EarnedValueReports | None
) -> list[APIRouter]:
    """``queries`` None: the command routes only (unit tests on the in-memory store)."""
    routers = [
        budgets_router(app),
        rate_cards_router(app),
        costs_router(app),
        change_orders_router(app),
        settings_router(app),
    ]
    if queries is not None and reports is not None:
        routers.append(reports_router(app, queries, reports))
        walled = APIRouter(dependencies=[project_wall(queries)])
        for router in routers:
            walled.include_router(router)
        return [walled]
    return routers
