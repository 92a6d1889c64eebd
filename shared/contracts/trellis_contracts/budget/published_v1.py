"""Every event the budget context publishes in version 1, in the order they are listed."""

from __future__ import annotations

from trellis_contracts.budget.budgets_v1 import BudgetRevisedV1, BudgetSetV1
from trellis_contracts.budget.change_orders_v1 import (
    ChangeOrderApprovedV1,
    ChangeOrderProposedV1,
    ChangeOrderRejectedV1,
    ChangeOrderSentV1,
)
from trellis_contracts.budget.costs_v1 import (
    CommitmentRaisedV1,
    CommitmentReleasedV1,
    ExpenseRecordedV1,
    ExpenseVoidedV1,
)
from trellis_contracts.budget.currencies_v1 import ExchangeRateRecordedV1, ReportingCurrencySetV1
from trellis_contracts.budget.rate_cards_v1 import RateRevisedV1, RateSetV1
from trellis_contracts.budget.thresholds_v1 import BudgetThresholdCrossedV1
from trellis_contracts.event_contract import EventContract

BUDGET_CONTRACTS_V1: tuple[type[EventContract], ...] = (
    BudgetSetV1,
    BudgetRevisedV1,
    RateSetV1,
    RateRevisedV1,
    ExpenseRecordedV1,
    ExpenseVoidedV1,
    CommitmentRaisedV1,
    CommitmentReleasedV1,
    ChangeOrderProposedV1,
    ChangeOrderSentV1,
    ChangeOrderApprovedV1,
    ChangeOrderRejectedV1,
    BudgetThresholdCrossedV1,
    ReportingCurrencySetV1,
    ExchangeRateRecordedV1,
)
