"""Helpers for budget's tests: CloudEvents of planning's and budget's contracts, as the
relay would publish them, and incoming events as a consumer receives them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from eventsourcing.persistence import Tracking

from trellis_budget.wiring import Budget
from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.resources_v1 import ResourceRegisteredV1
from trellis_contracts.planning.time_entries_v1 import TimeEntryLoggedV1
from trellis_platform.incoming import IncomingEvent
from trellis_platform.outgoing import OutgoingEvent

RECORDED = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def envelope(payload: EventContract, *, subject: UUID, version: int = 1, time: datetime = RECORDED) -> bytes:
    organisation = payload.organisation_id
    return (
        CloudEvent(
            id=f"{subject}/{version}/{payload.event_type}",
            source="/trellis/test",
            type=payload.event_type,
            subject=str(subject),
            time=time,
            dataschema=f"schemas/{payload.schema_name()}",
            organisationid=str(organisation),
            aggregateversion=version,
            data=payload.model_dump(mode="json"),
        )
        .model_dump_json()
        .encode()
    )


def incoming(
    value: bytes,
    offset: int,
    stream: str = "trellis.planning.events.v1:0",
    topic: str = "trellis.planning.events.v1",
) -> IncomingEvent:
    return IncomingEvent(topic=topic, key=None, value=value, position=Tracking(stream, offset))


def person(organisation: UUID, role: str, resource_id: UUID | None = None) -> ResourceRegisteredV1:
    return ResourceRegisteredV1(
        resource_id=resource_id or uuid4(),
        organisation_id=organisation,
        kind="person",
        name="Ada",
        role=role,
        hours_per_day=Decimal(8),
    )


def time_logged(
    organisation: UUID,
    project: UUID,
    person_id: UUID,
    worked_on: date,
    minutes: int,
    entry_id: UUID | None = None,
) -> TimeEntryLoggedV1:
    return TimeEntryLoggedV1(
        time_entry_id=entry_id or uuid4(),
        organisation_id=organisation,
        project_id=project,
        task_id=uuid4(),
        person_id=person_id,
        worked_on=worked_on,
        minutes=minutes,
        billable=True,
    )


async def relay_into_ledger(budget: Budget) -> None:
    """Budget's relay, its sink handing each event straight to the ledger consumer."""
    consumer = budget.ledger_consumer()

    class Direct:
        async def publish(self, events: Sequence[OutgoingEvent]) -> None:
            consumer.apply_batch(
                [
                    incoming(
                        e.envelope.model_dump_json().encode(),
                        e.notification_id,
                        "budget:events",
                        "trellis.budget.events.v1",
                    )
                    for e in events
                ]
            )

    relay = budget.relay(Direct())
    while await relay.relay_batch():
        pass
