"""Budget use cases: set a project's budget, revise it, read it (and its history)."""

from __future__ import annotations

from uuid import UUID

from trellis_budget.application.tenant_aggregates import TenantAggregates
from trellis_budget.domain.budget import Budget, BudgetLine
from trellis_budget.domain.errors import Conflict


class BudgetUseCases(TenantAggregates):
    def set_budget(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        currency: str,
        lines: list[BudgetLine],
        meta: dict[str, str],
    ) -> Budget:
        budget_id = Budget.create_id(organisation_id, project_id)
        if self.find(Budget, budget_id, organisation_id) is not None:
            raise Conflict("This project has a budget already; revise it instead.")
        budget = Budget.create(
            organisation_id=organisation_id, project_id=project_id, currency=currency, lines=lines, meta=meta
        )
        self.save(budget)
        return budget

    def revise_budget(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        lines: list[BudgetLine],
        reason: str,
        meta: dict[str, str],
    ) -> Budget:
        budget = self.budget(organisation_id, project_id)
        budget.revise(lines=lines, reason=reason, meta=meta)
        self.save(budget)
        return budget

    def budget(self, organisation_id: UUID, project_id: UUID) -> Budget:
        return self.load(
            Budget, Budget.create_id(organisation_id, project_id), organisation_id, "budget for project"
        )
