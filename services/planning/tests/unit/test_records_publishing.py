"""Time entries, resources and documents reach Kafka as their published contracts:
each relevant domain event maps to one integration event, keyed by its aggregate and
valid against the exported JSON Schema; internal bookkeeping maps to nothing."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import jsonschema
import pytest
from records_support import META, in_memory_application, organisation

from trellis_contracts.planning.capacity_v1 import ResourceCapacityChangedV1, ResourceDayOffChangedV1
from trellis_contracts.planning.documents_v1 import DocumentVersionAddedV1
from trellis_contracts.planning.resources_v1 import (
    BookingCancelledV1,
    ResourceBookedV1,
    ResourceOverallocatedV1,
    ResourceRegisteredV1,
)
from trellis_contracts.planning.time_entries_v1 import (
    TimeEntryCorrectedV1,
    TimeEntryDeletedV1,
    TimeEntryLoggedV1,
)
from trellis_contracts.topics import PLANNING_EVENTS_V1
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.document import Document, StoredContent
from trellis_planning.domain.project_time import ProjectTime
from trellis_planning.domain.resource import Resource, ResourceKind
from trellis_planning.domain.time_entry import TimeEntry
from trellis_planning.domain.timesheet_day import TimesheetDay
from trellis_planning.publishing.mapping import to_integration_events

EXPORTED = Path(__file__).resolve().parents[4] / "shared" / "contracts" / "exported" / "schemas"
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
TRACED = {"actor": "staff:alice", "traceparent": TRACEPARENT}


def published(app: PlanningApplication) -> list[tuple[Any, Any]]:
    """Every stored event with what it maps to, in log order."""
    return [
        (event, to_integration_events(event, n.id))
        for n in app.recorder.select_notifications(1, 1000)
        for event in [app.mapper.to_domain_event(n)]
    ]


@pytest.fixture
def app() -> PlanningApplication:
    application = in_memory_application()
    org = organisation(application)
    entry = application.log_time(
        organisation_id=org.id,
        task_id=org.task_id,
        person_id=org.alice,
        worked_on=date(2026, 3, 3),
        minutes=95,
        billable=False,
        note="Survey",
        meta=TRACED,
    )
    application.correct_time_entry(organisation_id=org.id, entry_id=entry.id, minutes=100, meta=TRACED)
    application.delete_time_entry(organisation_id=org.id, entry_id=entry.id, meta=TRACED)
    crane = application.register_resource(
        organisation_id=org.id,
        kind=ResourceKind.EQUIPMENT,
        name="Crane",
        hours_per_day=Decimal("7.5"),
        working_weekdays=frozenset(range(1, 6)),
        meta=TRACED,
    )
    application.book_resource(
        organisation_id=org.id,
        resource_id=crane.id,
        project_id=org.project_id,
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 3),
        hours_per_day=Decimal(5),
        meta=TRACED,
    )
    second = application.book_resource(
        organisation_id=org.id,
        resource_id=crane.id,
        project_id=second_project(application, org.id),
        starts_on=date(2026, 3, 3),
        ends_on=date(2026, 3, 3),
        hours_per_day=Decimal("3.25"),
        meta=TRACED,
    )
    application.cancel_booking(
        organisation_id=org.id, resource_id=crane.id, booking_id=second.booking_id, meta=TRACED
    )
    application.change_capacity(
        organisation_id=org.id,
        resource_id=crane.id,
        hours_per_day=Decimal(9),
        working_weekdays=frozenset({1, 2, 3, 4}),
        meta=TRACED,
    )
    application.add_day_off(organisation_id=org.id, resource_id=crane.id, day=date(2026, 3, 9), meta=TRACED)
    application.remove_day_off(
        organisation_id=org.id, resource_id=crane.id, day=date(2026, 3, 9), meta=TRACED
    )
    application.add_document(
        organisation_id=org.id,
        project_id=org.project_id,
        name="Survey report",
        content=StoredContent(key="c" * 64, size=2048, sha256="c" * 64),
        content_type="application/pdf",
        filename="survey.pdf",
        uploaded_by="staff:alice",
        meta=TRACED,
    )
    return application


def second_project(app: PlanningApplication, organisation_id: UUID) -> UUID:
    return app.create_project(
        organisation_id=organisation_id,
        client_id=uuid4(),
        name="Second",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        meta=META,
    ).id


def test_each_change_is_published_as_its_documented_contract(app: PlanningApplication) -> None:
    types = [o.envelope.type for _, outgoing in published(app) for o in outgoing]
    for contract in (
        TimeEntryLoggedV1,
        TimeEntryCorrectedV1,
        TimeEntryDeletedV1,
        ResourceRegisteredV1,
        ResourceBookedV1,
        BookingCancelledV1,
        ResourceOverallocatedV1,
        DocumentVersionAddedV1,
        ResourceCapacityChangedV1,
        ResourceDayOffChangedV1,
    ):
        assert contract.event_type in types, contract.__name__


def test_every_published_event_is_keyed_by_its_aggregate_traced_and_valid_against_its_schema(
    app: PlanningApplication,
) -> None:
    envelope_schema = json.loads((EXPORTED / "cloudevent.json").read_text())
    for event, outgoing in published(app):
        for out in outgoing:
            document = json.loads(out.envelope.model_dump_json())
            jsonschema.validate(document, envelope_schema)
            jsonschema.validate(
                document["data"], json.loads((EXPORTED / f"{out.envelope.type}.json").read_text())
            )
            assert out.topic == PLANNING_EVENTS_V1
            assert out.key == str(event.originator_id) == out.envelope.subject
            assert out.envelope.organisationid == str(event.organisation_id)
            if getattr(event, "meta", {}).get("traceparent"):
                assert out.headers == {"traceparent": TRACEPARENT}


def test_the_figures_published_are_the_ones_recorded(app: PlanningApplication) -> None:
    data = {o.envelope.type: o.envelope.data for _, outgoing in published(app) for o in outgoing}
    logged = data[TimeEntryLoggedV1.event_type]
    assert (logged["worked_on"], logged["minutes"], logged["billable"], logged["note"]) == (
        "2026-03-03",
        95,
        False,
        "Survey",
    )
    assert data[TimeEntryCorrectedV1.event_type]["minutes"] == 100
    assert data[ResourceRegisteredV1.event_type]["hours_per_day"] == "7.5"
    over = data[ResourceOverallocatedV1.event_type]
    assert (over["day"], over["capacity_hours"], over["allocated_hours"]) == ("2026-03-03", "7.50", "8.25")
    assert len(over["project_ids"]) == 2
    capacity = data[ResourceCapacityChangedV1.event_type]
    assert (capacity["hours_per_day"], capacity["working_weekdays"]) == ("9", [1, 2, 3, 4])
    day_off = [
        o.envelope.data
        for _, out in published(app)
        for o in out
        if o.envelope.type == ResourceDayOffChangedV1.event_type
    ]
    assert [(d["day"], d["off"]) for d in day_off] == [("2026-03-09", True), ("2026-03-09", False)]
    version = data[DocumentVersionAddedV1.event_type]
    assert (version["version_number"], version["size_bytes"], version["name"], version["filename"]) == (
        1,
        2048,
        "Survey report",
        "survey.pdf",
    )


def test_bookkeeping_inside_planning_is_not_published(app: PlanningApplication) -> None:
    internal = (
        TimesheetDay.Opened,
        TimesheetDay.Counted,
        TimesheetDay.Released,
        ProjectTime.Opened,
        ProjectTime.Changed,
        Document.Created,
        Resource.AssignmentSet,
    )
    for event, outgoing in published(app):
        if isinstance(event, internal):
            assert outgoing == [], type(event).__qualname__
    assert any(isinstance(e, TimeEntry.Deleted) for e, _ in published(app))
