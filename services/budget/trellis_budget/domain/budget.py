"""A project's budget: lines by category (optionally allocated to a milestone), in the
project's currency, and every revision kept beside the original.

Stored event topics are ``trellis_budget.domain.budget:Budget.<Event>``: part of the
stored data, so this module and these class names stay where they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_budget.domain.categories import category
from trellis_budget.domain.currencies import check_amount, check_currency
from trellis_budget.domain.errors import BudgetRuleBroken
from trellis_budget.domain.ids import derived_id

MAX_LINES = 200


@dataclass(frozen=True)
class BudgetLine:
    category: str
    amount: Decimal
    milestone_id: UUID | None = None
    description: str = ""

    @property
    def key(self) -> tuple[str, UUID | None]:
        return (self.category, self.milestone_id)


@dataclass(frozen=True)
class Revision:
    number: int
    lines: tuple[BudgetLine, ...]
    reason: str
    change_order_id: UUID | None
    recorded_at: datetime

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


def check_lines(lines: list[BudgetLine], currency: str) -> list[BudgetLine]:
    if not lines:
        raise BudgetRuleBroken("A budget needs at least one line.")
    if len(lines) > MAX_LINES:
        raise BudgetRuleBroken(f"A budget has at most {MAX_LINES} lines.")
    checked: list[BudgetLine] = []
    seen: set[tuple[str, UUID | None]] = set()
    for n, line in enumerate(lines):
        if line.key in seen:
            raise BudgetRuleBroken(
                f"lines[{n}]: a second {line.category} line for the same milestone; merge them."
            )
        seen.add(line.key)
        checked.append(
            BudgetLine(
                category=category(line.category).value,
                amount=check_amount(line.amount, currency, what=f"lines[{n}].amount"),
                milestone_id=line.milestone_id,
                description=line.description.strip(),
            )
        )
    return checked


def apply_impact(lines: tuple[BudgetLine, ...], impact: list[BudgetLine]) -> list[BudgetLine]:
    """The lines after a change order's cost impact (positive or negative per line)."""
    merged: dict[tuple[str, UUID | None], BudgetLine] = {line.key: line for line in lines}
    for change in impact:
        current = merged.get(change.key)
        amount = (current.amount if current else Decimal(0)) + change.amount
        if amount < 0:
            raise BudgetRuleBroken(f"The change takes the {change.category} line below zero ({amount}).")
        merged[change.key] = BudgetLine(
            change.category,
            amount,
            change.milestone_id,
            current.description if current else change.description,
        )
    return list(merged.values())


class Budget(Aggregate):
    class Created(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        currency: str
        lines: list[BudgetLine]
        meta: dict[str, str]

    class Revised(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        currency: str
        revision: int
        lines: list[BudgetLine]
        reason: str
        change_order_id: UUID | None
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            assert isinstance(aggregate, Budget)
            aggregate.revisions.append(
                Revision(
                    number=self.revision,
                    lines=tuple(self.lines),
                    reason=self.reason,
                    change_order_id=self.change_order_id,
                    recorded_at=self.timestamp,
                )
            )

    @staticmethod
    def create_id(organisation_id: UUID, project_id: UUID) -> UUID:
        return derived_id("budget", organisation_id, project_id)

    @event(Created)
    def __init__(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        currency: str,
        lines: list[BudgetLine],
        meta: dict[str, str],
    ) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.currency = currency
        self.revisions: list[Revision] = [
            Revision(
                number=1,
                lines=tuple(lines),
                reason="original",
                change_order_id=None,
                recorded_at=self.created_on,
            )
        ]

    @classmethod
    def create(
        cls,
        *,
        organisation_id: UUID,
        project_id: UUID,
        currency: str,
        lines: list[BudgetLine],
        meta: dict[str, str],
    ) -> Budget:
        currency = check_currency(currency)
        return cls(
            organisation_id=organisation_id,
            project_id=project_id,
            currency=currency,
            lines=check_lines(lines, currency),
            meta=meta,
        )

    @property
    def current(self) -> Revision:
        return self.revisions[-1]

    @property
    def original(self) -> Revision:
        return self.revisions[0]

    def revise(
        self,
        *,
        lines: list[BudgetLine],
        reason: str,
        meta: dict[str, str],
        change_order_id: UUID | None = None,
    ) -> None:
        reason = reason.strip()
        if not reason:
            raise BudgetRuleBroken("A revision needs a reason.")
        self.trigger_event(
            Budget.Revised,
            organisation_id=self.organisation_id,
            project_id=self.project_id,
            currency=self.currency,
            revision=len(self.revisions) + 1,
            lines=check_lines(lines, self.currency),
            reason=reason,
            change_order_id=change_order_id,
            meta=meta,
        )

    def apply_change_order(
        self, *, change_order_id: UUID, title: str, impact: list[BudgetLine], meta: dict[str, str]
    ) -> None:
        self.revise(
            lines=apply_impact(self.current.lines, impact),
            reason=f"change order approved: {title}",
            change_order_id=change_order_id,
            meta=meta,
        )
