"""Planning's and budget's integration events, applied to the ledger batch: the cost
sources go through the ledger engine, the rest are plain projections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from trellis_budget.domain.categories import Category
from trellis_budget.domain.ledger.engine import LedgerEngine
from trellis_budget.domain.ledger.model import (
    DEFAULT_HOURS_PER_DAY,
    BookingFacts,
    CostKind,
    FixedFacts,
    Person,
    SourceFacts,
    SourceKind,
    SubjectRate,
    TimeFacts,
)
from trellis_budget.domain.rate_card import RatePeriod
from trellis_budget.views.ledger_store import LedgerBatch, ProgressFact
from trellis_contracts.budget.budgets_v1 import BudgetRevisedV1, BudgetSetV1
from trellis_contracts.budget.costs_v1 import (
    CommitmentRaisedV1,
    CommitmentReleasedV1,
    ExpenseRecordedV1,
    ExpenseVoidedV1,
)
from trellis_contracts.budget.currencies_v1 import ExchangeRateRecordedV1, ReportingCurrencySetV1
from trellis_contracts.budget.rate_cards_v1 import RateRevisedV1, RateSetV1
from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.progress_v1 import MilestoneScheduledV1, ProjectProgressChangedV1
from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
from trellis_contracts.planning.resources_v1 import BookingCancelledV1, ResourceBookedV1, ResourceRegisteredV1
from trellis_contracts.planning.time_entries_v1 import (
    TimeEntryCorrectedV1,
    TimeEntryDeletedV1,
    TimeEntryLoggedV1,
)


class Applier:
    def __init__(self, batch: LedgerBatch, engine: LedgerEngine) -> None:
        self.batch = batch
        self.engine = engine
        self._handlers: dict[type[EventContract], Callable[[CloudEvent, Any], None]] = {
            TimeEntryLoggedV1: self._time_entry,
            TimeEntryCorrectedV1: self._time_entry,
            TimeEntryDeletedV1: self._time_entry_deleted,
            ResourceRegisteredV1: self._resource,
            ResourceBookedV1: self._booking,
            BookingCancelledV1: self._booking_cancelled,
            ExpenseRecordedV1: self._expense,
            ExpenseVoidedV1: self._expense_voided,
            CommitmentRaisedV1: self._commitment,
            CommitmentReleasedV1: self._commitment_released,
            RateSetV1: self._rate,
            RateRevisedV1: self._rate,
            ProjectCreatedV1: self._project,
            MilestoneScheduledV1: self._milestone,
            ProjectProgressChangedV1: self._progress,
            BudgetSetV1: self._budget,
            BudgetRevisedV1: self._budget,
            ExchangeRateRecordedV1: self._exchange_rate,
            ReportingCurrencySetV1: self._reporting_currency,
        }

    def handles(self, payload: EventContract) -> bool:
        return type(payload) in self._handlers

    def apply(self, envelope: CloudEvent, payload: EventContract) -> None:
        handler = self._handlers.get(type(payload))
        if handler is not None:
            handler(envelope, payload)

    # -- cost sources --------------------------------------------------------------------

    def _time_entry(self, envelope: CloudEvent, p: TimeEntryLoggedV1 | TimeEntryCorrectedV1) -> None:
        facts = SourceFacts(
            source_id=p.time_entry_id,
            organisation_id=p.organisation_id,
            project_id=p.project_id,
            kind=SourceKind.TIME,
            category=Category.LABOUR.value,
            cost_kind=CostKind.ACTUAL,
            subject_id=p.person_id,
            milestone_id=None,
            facts=TimeFacts(worked_on=p.worked_on, minutes=p.minutes, billable=p.billable),
        )
        cause = "time_logged" if isinstance(p, TimeEntryLoggedV1) else "time_corrected"
        self.engine.put_source(
            facts, version=envelope.aggregateversion, recorded_at=envelope.time, cause=cause
        )

    def _time_entry_deleted(self, envelope: CloudEvent, p: TimeEntryDeletedV1) -> None:
        self.engine.remove_source(
            p.time_entry_id,
            p.organisation_id,
            version=envelope.aggregateversion,
            recorded_at=envelope.time,
            cause="time_deleted",
        )

    def _resource(self, envelope: CloudEvent, p: ResourceRegisteredV1) -> None:
        hours = p.hours_per_day if p.hours_per_day > 0 else DEFAULT_HOURS_PER_DAY
        self.engine.put_person(
            Person(p.organisation_id, p.resource_id, p.role, hours, envelope.aggregateversion),
            recorded_at=envelope.time,
        )

    def _booking(self, envelope: CloudEvent, p: ResourceBookedV1) -> None:
        if p.kind != "equipment":  # people cost through the time they log
            return
        facts = SourceFacts(
            source_id=p.booking_id,
            organisation_id=p.organisation_id,
            project_id=p.project_id,
            kind=SourceKind.BOOKING,
            category=Category.EQUIPMENT.value,
            cost_kind=CostKind.ACTUAL,
            subject_id=p.resource_id,
            milestone_id=None,
            facts=BookingFacts(p.starts_on, p.ends_on, p.hours_per_day),
        )
        self.engine.put_source(
            facts, version=envelope.aggregateversion, recorded_at=envelope.time, cause="equipment_booked"
        )

    def _booking_cancelled(self, envelope: CloudEvent, p: BookingCancelledV1) -> None:
        self.engine.remove_source(
            p.booking_id,
            p.organisation_id,
            version=envelope.aggregateversion,
            recorded_at=envelope.time,
            cause="booking_cancelled",
        )

    def _fixed(
        self,
        envelope: CloudEvent,
        source_id: UUID,
        organisation_id: UUID,
        project_id: UUID,
        kind: SourceKind,
        cost_kind: CostKind,
        category: str,
        milestone_id: UUID | None,
        facts: FixedFacts,
        cause: str,
    ) -> None:
        self.engine.put_source(
            SourceFacts(
                source_id, organisation_id, project_id, kind, category, cost_kind, None, milestone_id, facts
            ),
            version=envelope.aggregateversion,
            recorded_at=envelope.time,
            cause=cause,
        )

    def _expense(self, envelope: CloudEvent, p: ExpenseRecordedV1) -> None:
        self._fixed(
            envelope,
            p.expense_id,
            p.organisation_id,
            p.project_id,
            SourceKind.EXPENSE,
            CostKind.ACTUAL,
            p.category,
            p.milestone_id,
            FixedFacts(p.incurred_on, p.amount, p.currency),
            "expense_recorded",
        )

    def _expense_voided(self, envelope: CloudEvent, p: ExpenseVoidedV1) -> None:
        self.engine.remove_source(
            p.expense_id,
            p.organisation_id,
            version=envelope.aggregateversion,
            recorded_at=envelope.time,
            cause="expense_voided",
        )

    def _commitment(self, envelope: CloudEvent, p: CommitmentRaisedV1) -> None:
        self._fixed(
            envelope,
            p.commitment_id,
            p.organisation_id,
            p.project_id,
            SourceKind.COMMITMENT,
            CostKind.COMMITTED,
            p.category,
            p.milestone_id,
            FixedFacts(p.expected_on, p.amount, p.currency),
            "commitment_raised",
        )

    def _commitment_released(self, envelope: CloudEvent, p: CommitmentReleasedV1) -> None:
        self.engine.remove_source(
            p.commitment_id,
            p.organisation_id,
            version=envelope.aggregateversion,
            recorded_at=envelope.time,
            cause=f"commitment_{p.reason}",
        )

    def _rate(self, envelope: CloudEvent, p: RateSetV1 | RateRevisedV1) -> None:
        period = RatePeriod(
            p.period_id, p.effective_from, p.effective_to, p.unit, p.cost_rate, p.bill_rate, p.currency
        )
        self.engine.put_rate(
            SubjectRate(p.organisation_id, p.subject_kind, p.subject, period, envelope.aggregateversion),
            recorded_at=envelope.time,
        )

    # -- what reports need ---------------------------------------------------------------

    def _project(self, envelope: CloudEvent, p: ProjectCreatedV1) -> None:
        self.batch.project(p.organisation_id, p.project_id, p.name, p.starts_on, p.ends_on)

    def _milestone(self, envelope: CloudEvent, p: MilestoneScheduledV1) -> None:
        self.batch.milestone(
            p.organisation_id,
            p.project_id,
            p.milestone_id,
            p.name,
            p.starts_on,
            p.due_on,
            envelope.aggregateversion,
        )

    def _progress(self, envelope: CloudEvent, p: ProjectProgressChangedV1) -> None:
        self.batch.progress(
            ProgressFact(
                event_id=envelope.id,
                organisation_id=p.organisation_id,
                project_id=p.project_id,
                as_of=p.as_of,
                percent=p.percent_complete,
                milestones={str(m.milestone_id): str(m.percent_complete) for m in p.milestones},
                recorded_at=envelope.time,
            )
        )

    def _budget(self, envelope: CloudEvent, p: BudgetSetV1 | BudgetRevisedV1) -> None:
        self.batch.budget_revision(
            organisation_id=p.organisation_id,
            project_id=p.project_id,
            revision=p.revision,
            currency=p.currency,
            total=p.total,
            lines=[line.model_dump(mode="json") for line in p.lines],
            reason=p.reason if isinstance(p, BudgetRevisedV1) else "original",
            change_order_id=p.change_order_id if isinstance(p, BudgetRevisedV1) else None,
            recorded_at=envelope.time,
        )

    def _exchange_rate(self, envelope: CloudEvent, p: ExchangeRateRecordedV1) -> None:
        self.batch.exchange_rate(
            organisation_id=p.organisation_id,
            rate_id=p.rate_id,
            base=p.base,
            quote=p.quote,
            on=p.on,
            rate=p.rate,
            source=p.source,
            recorded_at=envelope.time,
        )

    def _reporting_currency(self, envelope: CloudEvent, p: ReportingCurrencySetV1) -> None:
        self.batch.reporting_currency(p.organisation_id, p.currency, envelope.aggregateversion)


def prefetch_keys(payloads: list[EventContract]) -> tuple[set[UUID], set[tuple[UUID, UUID]], set[UUID]]:
    """Source ids, (organisation, person) pairs and organisations a batch will read."""
    sources: set[UUID] = set()
    people: set[tuple[UUID, UUID]] = set()
    organisations: set[UUID] = set()
    for p in payloads:
        if isinstance(p, TimeEntryLoggedV1 | TimeEntryCorrectedV1):
            sources.add(p.time_entry_id)
            people.add((p.organisation_id, p.person_id))
            organisations.add(p.organisation_id)
        elif isinstance(p, TimeEntryDeletedV1):
            sources.add(p.time_entry_id)
        elif isinstance(p, ResourceBookedV1 | BookingCancelledV1):
            sources.add(p.booking_id)
            organisations.add(p.organisation_id)
        elif isinstance(p, ExpenseRecordedV1 | ExpenseVoidedV1):
            sources.add(p.expense_id)
        elif isinstance(p, CommitmentRaisedV1 | CommitmentReleasedV1):
            sources.add(p.commitment_id)
    return sources, people, organisations
