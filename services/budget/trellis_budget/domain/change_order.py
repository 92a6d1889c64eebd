"""A change order: a proposed change of scope with its cost and schedule impact, sent to
the client and approved or rejected. Approval revises the budget (the application saves
both in one transaction) and, through the published event, lets planning revise the plan.

Stored event topics are ``trellis_budget.domain.change_order:ChangeOrder.<Event>``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_budget.domain.budget import BudgetLine
from trellis_budget.domain.categories import category
from trellis_budget.domain.currencies import check_amount, check_currency
from trellis_budget.domain.errors import BudgetRuleBroken, Conflict

MAX_SCHEDULE_IMPACT_DAYS = 3650


class Status(StrEnum):
    PROPOSED = "proposed"
    SENT = "sent"
    APPROVED = "approved"
    REJECTED = "rejected"


class Authority(StrEnum):
    """Who approved: the firm's own finance people, or the client (through the portal)."""

    STAFF = "staff"
    CLIENT = "client"


def check_impact(impact: list[BudgetLine], currency: str) -> list[BudgetLine]:
    checked = []
    for n, line in enumerate(impact):
        checked.append(
            BudgetLine(
                category=category(line.category).value,
                amount=check_amount(
                    line.amount, currency, what=f"cost_impact[{n}].amount", allow_negative=True
                ),
                milestone_id=line.milestone_id,
                description=line.description.strip(),
            )
        )
    return checked


class ChangeOrder(Aggregate):
    class Proposed(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        title: str
        scope: str
        currency: str
        cost_impact: list[BudgetLine]
        schedule_impact_days: int
        milestone_id: UUID | None
        meta: dict[str, str]

    class Sent(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        title: str
        sent_to: str
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            aggregate.status = Status.SENT.value
            aggregate.sent_to = self.sent_to

    class Approved(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        title: str
        currency: str
        cost_impact: list[BudgetLine]
        schedule_impact_days: int
        milestone_id: UUID | None
        approved_by: str
        authority: str
        note: str
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            aggregate.status = Status.APPROVED.value
            aggregate.decided_by = self.approved_by
            aggregate.decided_at = self.timestamp

    class Rejected(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        rejected_by: str
        authority: str
        reason: str
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            aggregate.status = Status.REJECTED.value
            aggregate.decided_by = self.rejected_by
            aggregate.decided_at = self.timestamp

    @event(Proposed)
    def __init__(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        title: str,
        scope: str,
        currency: str,
        cost_impact: list[BudgetLine],
        schedule_impact_days: int,
        milestone_id: UUID | None,
        meta: dict[str, str],
    ) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.title = title
        self.scope = scope
        self.currency = currency
        self.cost_impact = list(cost_impact)
        self.schedule_impact_days = schedule_impact_days
        self.milestone_id = milestone_id
        self.status = Status.PROPOSED.value
        self.sent_to: str | None = None
        self.decided_by: str | None = None
        self.decided_at: Any = None

    @classmethod
    def propose(
        cls,
        *,
        organisation_id: UUID,
        project_id: UUID,
        title: str,
        scope: str,
        currency: str,
        cost_impact: list[BudgetLine],
        schedule_impact_days: int,
        milestone_id: UUID | None,
        meta: dict[str, str],
    ) -> ChangeOrder:
        title, scope = title.strip(), scope.strip()
        if not title or len(title) > 200:
            raise BudgetRuleBroken("A change order needs a title of 1 to 200 characters.")
        if not scope:
            raise BudgetRuleBroken("A change order needs its scope described.")
        if abs(schedule_impact_days) > MAX_SCHEDULE_IMPACT_DAYS:
            raise BudgetRuleBroken(f"schedule_impact_days is at most {MAX_SCHEDULE_IMPACT_DAYS} either way.")
        currency = check_currency(currency)
        return cls(
            organisation_id=organisation_id,
            project_id=project_id,
            title=title,
            scope=scope,
            currency=currency,
            cost_impact=check_impact(cost_impact, currency),
            schedule_impact_days=schedule_impact_days,
            milestone_id=milestone_id,
            meta=meta,
        )

    def send(self, *, sent_to: str, meta: dict[str, str]) -> None:
        if self.status != Status.PROPOSED.value:
            raise Conflict(f"This change order is {self.status}; only a proposed one is sent.")
        self.trigger_event(
            ChangeOrder.Sent,
            organisation_id=self.organisation_id,
            project_id=self.project_id,
            title=self.title,
            sent_to=sent_to.strip(),
            meta=meta,
        )

    def _check_undecided(self) -> None:
        if self.status in (Status.APPROVED.value, Status.REJECTED.value):
            raise Conflict(f"This change order is already {self.status}.")

    def approve(self, *, approved_by: str, authority: Authority, note: str, meta: dict[str, str]) -> None:
        self._check_undecided()
        if authority is Authority.CLIENT and self.status != Status.SENT.value:
            raise Conflict("A client approves a change order only after it was sent to them.")
        self.trigger_event(
            ChangeOrder.Approved,
            organisation_id=self.organisation_id,
            project_id=self.project_id,
            title=self.title,
            currency=self.currency,
            cost_impact=list(self.cost_impact),
            schedule_impact_days=self.schedule_impact_days,
            milestone_id=self.milestone_id,
            approved_by=approved_by,
            authority=authority.value,
            note=note.strip(),
            meta=meta,
        )

    def reject(self, *, rejected_by: str, authority: Authority, reason: str, meta: dict[str, str]) -> None:
        self._check_undecided()
        reason = reason.strip()
        if not reason:
            raise BudgetRuleBroken("A rejection needs a reason.")
        self.trigger_event(
            ChangeOrder.Rejected,
            organisation_id=self.organisation_id,
            project_id=self.project_id,
            rejected_by=rejected_by,
            authority=authority.value,
            reason=reason,
            meta=meta,
        )
