"""Building the portal's world for tests: other contexts' events as they arrive, and tokens.

Events go through the real consumers (parsing, tracking, facts), so a test that feeds
them tests the read models as they run.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import Tracking

from trellis_contracts.budget.budgets_v1 import BudgetLineV1, BudgetSetV1
from trellis_contracts.budget.change_orders_v1 import ChangeOrderProposedV1, ChangeOrderSentV1
from trellis_contracts.budget.costs_v1 import ExpenseRecordedV1
from trellis_contracts.budget.rate_cards_v1 import RateSetV1
from trellis_contracts.budget.thresholds_v1 import BudgetThresholdCrossedV1
from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_contracts.identity.clients_v1 import ClientUserAddedV1
from trellis_contracts.planning.documents_v1 import DocumentVersionAddedV1
from trellis_contracts.planning.progress_v1 import (
    MilestoneCompletedV1,
    MilestoneProgress,
    MilestoneScheduledV1,
    ProjectProgressChangedV1,
)
from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
from trellis_contracts.planning.tasks_v1 import TaskCreatedV1
from trellis_contracts.planning.time_entries_v1 import TimeEntryLoggedV1
from trellis_platform.auth.caller import ClientRole, StaffRole
from trellis_platform.incoming import EventConsumer, IncomingEvent
from trellis_platform.testing.identities import TestIdentities, bearer
from trellis_portal.wiring import Portal

IDENTITIES = TestIdentities()
_offsets = itertools.count(1)


def envelope(payload: EventContract, *, subject: UUID | str, version: int = 1,
             organisation: UUID | str | None = None, time: datetime | None = None) -> bytes:
    organisation_id = organisation if organisation is not None else payload.organisation_id  # type: ignore[attr-defined]
    return CloudEvent(
        id=str(uuid4()), source="/trellis/test", type=payload.event_type, subject=str(subject),
        time=time or datetime.now(UTC), dataschema=f"schemas/{payload.schema_name()}",
        organisationid=str(organisation_id), aggregateversion=version, data=payload.model_dump(mode="json"),
    ).model_dump_json().encode()


def incoming(value: bytes, topic: str, offset: int | None = None, stream: str | None = None) -> IncomingEvent:
    position = Tracking(stream or f"{topic}:0", offset if offset is not None else next(_offsets))
    return IncomingEvent(topic=topic, key=None, value=value, position=position)


def consumer_for(portal: Portal, topic: str) -> EventConsumer:
    (found,) = [c for c in portal.consumers() if topic in c.topics]
    return found


def feed(portal: Portal, payload: EventContract, *, subject: UUID | str, version: int = 1,
         time: datetime | None = None) -> IncomingEvent:
    """Applies one event through the consumer of its topic; returns it, for redelivery."""
    event = incoming(envelope(payload, subject=subject, version=version, time=time), payload.topic)
    consumer_for(portal, payload.topic).apply(event)
    return event


def staff(organisation: UUID, *roles: StaffRole, subject: str | None = None) -> dict[str, str]:
    return bearer(IDENTITIES.staff(organisation, *(roles or (StaffRole.PROJECT_MANAGER,)),
                                   subject=subject or str(uuid4())))


def client_user(organisation: UUID, client: UUID, user: UUID, role: ClientRole) -> dict[str, str]:
    return bearer(IDENTITIES.client_user(organisation, client, role, subject=str(user)))


@dataclass
class Firm:
    """One organisation, one client of it, one project for that client, and two of the
    client's users: a viewer and an approver. Nobody is granted anything yet."""

    portal: Portal
    organisation: UUID = field(default_factory=uuid4)
    client: UUID = field(default_factory=uuid4)
    project: UUID = field(default_factory=uuid4)
    viewer_id: UUID = field(default_factory=uuid4)
    approver_id: UUID = field(default_factory=uuid4)
    versions: dict[str, int] = field(default_factory=dict)

    @classmethod
    def started(cls, portal: Portal) -> Firm:
        firm = cls(portal)
        firm.add_project(firm.project, firm.client, "Harbour fit-out")
        firm.add_client_user(firm.viewer_id, firm.client, "viewer", "Vera Viewer")
        firm.add_client_user(firm.approver_id, firm.client, "approver", "Abe Approver")
        return firm

    def publish(self, payload: EventContract, subject: UUID | str, **kwargs: Any) -> IncomingEvent:
        """Feeds an event of ``subject``'s aggregate at its next version."""
        key = str(subject)
        self.versions[key] = self.versions.get(key, 0) + 1
        return feed(self.portal, payload, subject=subject, version=self.versions[key], **kwargs)

    def add_project(self, project: UUID, client: UUID, name: str) -> None:
        self.publish(ProjectCreatedV1(project_id=project, organisation_id=self.organisation, client_id=client,
                                      name=name, starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 26)),
                     project)

    def add_client_user(self, user: UUID, client: UUID, role: str, name: str) -> None:
        self.publish(ClientUserAddedV1(organisation_id=self.organisation, client_id=client, user_id=user,
                                       email=f"{user.hex[:8]}@client.test", name=name, role=role), user)

    # -- tokens ---------------------------------------------------------------------------

    def manager(self) -> dict[str, str]:
        return staff(self.organisation, StaffRole.PROJECT_MANAGER)

    def viewer(self) -> dict[str, str]:
        return client_user(self.organisation, self.client, self.viewer_id, ClientRole.VIEWER)

    def approver(self) -> dict[str, str]:
        return client_user(self.organisation, self.client, self.approver_id, ClientRole.APPROVER)


# -- a project with something of everything, internal things included --------------------

SECRETS = {
    "time note": "INTERNAL-NOTE-7731",
    "internal task": "INTERNAL-TASK-4402",
    "internal memo": "INTERNAL-MEMO-5120",
    "expense": "INTERNAL-EXPENSE-3390",
    "impact line": "INTERNAL-LINE-9981",
    "uploader": "staff:uploader-6642",
    "cost rate": "87.65",
    "bill rate": "143.21",
}
BUDGET_TOTAL = "150000.00"
COST_SO_FAR = "61500.00"
HOURS_LOGGED = "13.50"


@dataclass
class Seeded:
    milestone: UUID
    completed_milestone: UUID
    document: UUID
    visible_task: UUID
    internal_task: UUID
    change_order: UUID
    person: UUID


def seed_everything(firm: Firm) -> Seeded:
    """Feeds planning's and budget's events for the firm's project, as they would arrive."""
    seeded = Seeded(milestone=uuid4(), completed_milestone=uuid4(), document=uuid4(), visible_task=uuid4(),
                    internal_task=uuid4(), change_order=uuid4(), person=uuid4())
    org, project = firm.organisation, firm.project
    for milestone, name, due in ((seeded.completed_milestone, "Survey", date(2026, 1, 30)),
                                 (seeded.milestone, "Design", date(2026, 3, 27))):
        firm.publish(MilestoneScheduledV1(milestone_id=milestone, organisation_id=org, project_id=project,
                                          name=name, starts_on=date(2026, 1, 5), due_on=due), milestone)
    firm.publish(MilestoneCompletedV1(milestone_id=seeded.completed_milestone, organisation_id=org,
                                      project_id=project, name="Survey", completed_on=date(2026, 1, 29)),
                 seeded.completed_milestone)
    firm.publish(ProjectProgressChangedV1(
        project_id=project, organisation_id=org, as_of=date(2026, 2, 2), percent_complete=Decimal("37.5"),
        milestones=[MilestoneProgress(milestone_id=seeded.completed_milestone, percent_complete=Decimal(100)),
                    MilestoneProgress(milestone_id=seeded.milestone, percent_complete=Decimal("12.5"))],
        health="at_risk", rule="effort-weighted"), f"progress-{project}")
    for task, title, tags in ((seeded.visible_task, "Lay out the floor plan", ["design"]),
                              (seeded.internal_task, SECRETS["internal task"], ["Internal", "margin"])):
        firm.publish(TaskCreatedV1(task_id=task, organisation_id=org, project_id=project, title=title,
                                   description="fee negotiation", milestone_id=seeded.milestone,
                                   parent_id=None, starts_on=None, due_on=date(2026, 3, 20),
                                   assignee_ids=[seeded.person], estimate_minutes=480, duration_days=2,
                                   priority="high", tags=tags, custom_values={"margin": "0.31"},
                                   status="Doing", status_category="in_progress"), task)
    firm.publish(DocumentVersionAddedV1(
        document_id=seeded.document, organisation_id=org, project_id=project, name="Floor plan",
        version_number=1, size_bytes=2048, sha256="a" * 64, content_type="application/pdf",
        filename="plan-v1.pdf", uploaded_by=SECRETS["uploader"]), seeded.document)
    for minutes in (480, 330):
        entry = uuid4()
        firm.publish(TimeEntryLoggedV1(time_entry_id=entry, organisation_id=org, project_id=project,
                                       task_id=seeded.internal_task, person_id=seeded.person,
                                       worked_on=date(2026, 1, 12), minutes=minutes, billable=False,
                                       note=SECRETS["time note"]), entry)
    budget = uuid4()
    firm.publish(BudgetSetV1(budget_id=budget, organisation_id=org, project_id=project, currency="EUR",
                             lines=[BudgetLineV1(category="labour", amount=Decimal(BUDGET_TOTAL))],
                             total=Decimal(BUDGET_TOTAL)), budget)
    firm.publish(BudgetThresholdCrossedV1(project_id=project, organisation_id=org, threshold="used_40",
                                          kind="budget_used", percent=Decimal(40), currency="EUR",
                                          budget=Decimal(BUDGET_TOTAL), actual_cost=Decimal(COST_SO_FAR),
                                          used_percent=Decimal(41)), f"thresholds-{project}")
    rate_card = uuid4()
    firm.publish(RateSetV1(rate_card_id=rate_card, organisation_id=org, subject_kind="person",
                           subject=str(seeded.person), period_id=uuid4(), effective_from=date(2026, 1, 1),
                           effective_to=None,
                           unit="hour", cost_rate=Decimal(SECRETS["cost rate"]),
                           bill_rate=Decimal(SECRETS["bill rate"]), currency="EUR"), rate_card)
    expense = uuid4()
    firm.publish(ExpenseRecordedV1(expense_id=expense, organisation_id=org, project_id=project,
                                   category="materials", amount=Decimal("912.40"), currency="EUR",
                                   incurred_on=date(2026, 1, 20), receipt_document_id=uuid4(),
                                   description=SECRETS["expense"]), expense)
    firm.publish(ChangeOrderProposedV1(
        change_order_id=seeded.change_order, organisation_id=org, project_id=project, title="Extra lighting",
        scope="Twelve more downlights in the lobby", currency="EUR",
        cost_impact=[BudgetLineV1(category="materials", amount=Decimal("4200.00"),
                                  description=SECRETS["impact line"])],
        schedule_impact_days=3), seeded.change_order)
    firm.publish(ChangeOrderSentV1(change_order_id=seeded.change_order, organisation_id=org,
                                   project_id=project, title="Extra lighting", sent_to="client@example.test"),
                 seeded.change_order)
    return seeded
