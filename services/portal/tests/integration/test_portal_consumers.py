"""Other contexts' events into the portal's read models: applied once, whatever arrives twice."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import Tracking
from portal_test_kit import Firm, consumer_for, envelope, incoming

from trellis_contracts.budget.budgets_v1 import BudgetLineV1, BudgetSetV1
from trellis_contracts.identity.clients_v1 import ClientUserRemovedV1
from trellis_contracts.planning.progress_v1 import MilestoneCompletedV1, MilestoneScheduledV1
from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
from trellis_contracts.planning.time_entries_v1 import TimeEntryDeletedV1, TimeEntryLoggedV1
from trellis_contracts.topics import PLANNING_EVENTS_V1
from trellis_platform.dead_letters import TableDeadLetters
from trellis_platform.delivery import Delivery
from trellis_platform.incoming import PoisonEvent
from trellis_portal.domain.ids import survey_id
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.wiring import Portal


def created(project: UUID, organisation: UUID) -> ProjectCreatedV1:
    return ProjectCreatedV1(project_id=project, organisation_id=organisation, client_id=uuid4(),
                            name="Fit-out", starts_on=date(2026, 1, 1), ends_on=date(2026, 2, 1))


def project_facts(portal: Portal, firm: Firm) -> list[dict[str, Any]]:
    return portal.facts.history(firm.organisation, firm.project)


def test_a_created_project_reaches_the_staff_list_and_the_client_facts(portal: Portal, firm: Firm) -> None:
    listed = portal.projects.get(firm.organisation, firm.project)
    assert listed is not None
    assert listed.name == "Harbour fit-out"
    assert portal.projects.get(uuid4(), firm.project) is None, "another tenant sees nothing"
    (project,) = [f for f in project_facts(portal, firm) if f["kind"] == kinds.PROJECT]
    assert project["body"]["client_id"] == str(firm.client)


async def test_redelivery_and_republish_change_nothing(portal: Portal, firm: Firm, database_url: str) -> None:
    milestone = uuid4()
    event = envelope(MilestoneScheduledV1(milestone_id=milestone, organisation_id=firm.organisation,
                                          project_id=firm.project, name="Design", starts_on=date(2026, 1, 5),
                                          due_on=date(2026, 2, 27)), subject=milestone, version=1)
    delivery = Delivery(consumer_for(portal, PLANNING_EVENTS_V1), TableDeadLetters(database_url, "portal"))
    before = project_facts(portal, firm)
    await delivery.deliver(incoming(event, PLANNING_EVENTS_V1, offset=1000, stream="p:1"))
    after_once = project_facts(portal, firm)
    await delivery.deliver(incoming(event, PLANNING_EVENTS_V1, offset=1000, stream="p:1"))  # redelivered
    await delivery.deliver(incoming(event, PLANNING_EVENTS_V1, offset=1007, stream="p:1"))  # re-published
    assert len(after_once) == len(before) + 1
    assert project_facts(portal, firm) == after_once
    assert delivery.applied == 2, "the redelivery at the same offset was recognised by its tracking record"


def test_an_older_version_arriving_late_changes_nothing(portal: Portal, firm: Firm) -> None:
    milestone = uuid4()

    def scheduled(due: date) -> MilestoneScheduledV1:
        return MilestoneScheduledV1(milestone_id=milestone, organisation_id=firm.organisation,
                                    project_id=firm.project, name="Design", starts_on=date(2026, 1, 5),
                                    due_on=due)

    consumer = consumer_for(portal, PLANNING_EVENTS_V1)
    for due, version in ((date(2026, 3, 6), 2), (date(2026, 2, 27), 1)):
        event = envelope(scheduled(due), subject=milestone, version=version)
        consumer.apply(incoming(event, PLANNING_EVENTS_V1))
    rows = [f for f in project_facts(portal, firm) if f["kind"] == kinds.MILESTONE]
    assert [r["body"]["due_on"] for r in rows] == ["2026-03-06"]


def test_a_completed_milestone_sends_a_survey_once(portal: Portal, firm: Firm) -> None:
    milestone = uuid4()
    completed = MilestoneCompletedV1(milestone_id=milestone, organisation_id=firm.organisation,
                                     project_id=firm.project, name="Design", completed_on=date(2026, 2, 20))
    firm.publish(completed, milestone)
    again = envelope(completed, subject=milestone, version=firm.versions[str(milestone)])
    consumer_for(portal, PLANNING_EVENTS_V1).apply(incoming(again, PLANNING_EVENTS_V1))
    surveys = [f for f in project_facts(portal, firm) if f["kind"] == kinds.SURVEY]
    assert [(s["key"], s["body"]["milestone_name"]) for s in surveys] == [
        (str(survey_id(milestone)), "Design")]


def test_time_keeps_day_and_minutes_only_and_a_deleted_entry_ends(portal: Portal, firm: Firm) -> None:
    entry = uuid4()
    firm.publish(TimeEntryLoggedV1(time_entry_id=entry, organisation_id=firm.organisation,
                                   project_id=firm.project, task_id=uuid4(), person_id=uuid4(),
                                   worked_on=date(2026, 1, 7), minutes=90, billable=True,
                                   note="overtime, charge double"), entry)
    (logged,) = [f for f in project_facts(portal, firm) if f["kind"] == kinds.TIME_ENTRY]
    assert logged["body"] == {"worked_on": "2026-01-07", "minutes": 90}
    firm.publish(TimeEntryDeletedV1(time_entry_id=entry, organisation_id=firm.organisation,
                                    project_id=firm.project), entry)
    now = portal.facts.moment()
    assert portal.facts.at(firm.organisation, [firm.project], now, kinds=[kinds.TIME_ENTRY]) == []


def test_budget_amounts_are_kept_as_exact_decimals(portal: Portal, firm: Firm) -> None:
    budget = uuid4()
    firm.publish(BudgetSetV1(budget_id=budget, organisation_id=firm.organisation, project_id=firm.project,
                             currency="EUR", total=Decimal("120000.10"),
                             lines=[BudgetLineV1(category="labour", amount=Decimal("120000.10"))]), budget)
    now = portal.facts.moment()
    (found,) = portal.facts.at(firm.organisation, [firm.project], now, kinds=[kinds.BUDGET])
    assert found.body == {"currency": "EUR", "total": "120000.10", "revision": 1}


def test_a_removed_client_user_leaves_the_directory(portal: Portal, firm: Firm) -> None:
    firm.publish(ClientUserRemovedV1(organisation_id=firm.organisation, client_id=firm.client,
                                     user_id=firm.viewer_id, role="viewer"), firm.viewer_id)
    assert portal.views.member_of(firm.organisation, firm.viewer_id, portal.facts.moment()) == frozenset()
    assert portal.views.member_of(firm.organisation, firm.approver_id, portal.facts.moment()) == {firm.client}


@pytest.mark.parametrize("value", [b"not json", b'{"specversion": "1.0"}', "wrong tenant"])
async def test_poison_goes_to_dead_letters_and_does_not_block(portal: Portal, database_url: str,
                                                              value: bytes | str) -> None:
    organisation = uuid4()
    if value == "wrong tenant":
        project = uuid4()
        value = envelope(created(project, organisation), subject=project, organisation=uuid4())
    assert isinstance(value, bytes)
    consumer = consumer_for(portal, PLANNING_EVENTS_V1)
    with pytest.raises(PoisonEvent):
        consumer.apply(incoming(value, PLANNING_EVENTS_V1, offset=0, stream="other:0"))
    delivery = Delivery(consumer, TableDeadLetters(database_url, "portal"))
    await delivery.deliver(incoming(value, PLANNING_EVENTS_V1, offset=0, stream="planning:0"))
    healthy = uuid4()
    await delivery.deliver(incoming(envelope(created(healthy, organisation), subject=healthy),
                                    PLANNING_EVENTS_V1, offset=1, stream="planning:0"))
    assert portal.projects.get(organisation, healthy) is not None
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT consumer, position, reason FROM portal.dead_letters").fetchall()
    assert [(r[0], r[1]) for r in rows] == [("portal.projects", "planning:0@0")]
    assert rows[0][2]


def test_an_event_type_this_version_does_not_know_is_passed_over(portal: Portal) -> None:
    consumer = consumer_for(portal, PLANNING_EVENTS_V1)
    project = uuid4()
    unknown = json.loads(envelope(created(project, uuid4()), subject=project))
    unknown["type"] = "com.trellis.planning.something.new.v1"
    consumer.apply(incoming(json.dumps(unknown).encode(), PLANNING_EVENTS_V1, offset=3, stream="planning:9"))
    assert consumer.has_applied(Tracking("planning:9", 3))
    assert portal.projects.count() == 0


def test_an_extension_attribute_this_version_does_not_know_is_ignored(portal: Portal) -> None:
    """As CloudEvents asks of consumers: a producer a version ahead (mid rolling upgrade)
    may add one, and its events must not go to the dead letters for it."""
    consumer = consumer_for(portal, PLANNING_EVENTS_V1)
    organisation, project = uuid4(), uuid4()
    extended = json.loads(envelope(created(project, organisation), subject=project))
    extended["partitionkey"] = str(project)
    consumer.apply(incoming(json.dumps(extended).encode(), PLANNING_EVENTS_V1, offset=4, stream="planning:9"))
    assert portal.projects.get(organisation, project) is not None


def test_a_batch_applies_as_its_events_one_by_one_and_again_changes_nothing(portal: Portal,
                                                                           firm: Firm) -> None:
    milestone = uuid4()
    events = [incoming(envelope(MilestoneScheduledV1(
        milestone_id=milestone, organisation_id=firm.organisation, project_id=firm.project, name=name,
        starts_on=date(2026, 1, 5), due_on=date(2026, 2, day)), subject=milestone, version=n),
        PLANNING_EVENTS_V1, offset=5000 + n, stream="batch:0")
        for n, (name, day) in enumerate((("Design", 20), ("Design", 27), ("Design and specs", 27)), 1)]
    consumer = consumer_for(portal, PLANNING_EVENTS_V1)
    apply_batch = getattr(consumer, "apply_batch")  # noqa: B009 - an optional capability
    assert apply_batch(events) == 3
    after = project_facts(portal, firm)
    assert apply_batch(events) == 0
    assert project_facts(portal, firm) == after
    now = portal.facts.moment()
    (current,) = portal.facts.at(firm.organisation, [firm.project], now, kinds=[kinds.MILESTONE])
    assert current.body == {"name": "Design and specs", "starts_on": "2026-01-05", "due_on": "2026-02-27"}
