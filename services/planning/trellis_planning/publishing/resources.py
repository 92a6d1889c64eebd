"""Resource domain events to integration events.

Task assignments stay inside planning (they follow the plan's own published events);
what they cause is published: a day going over capacity, as ``ResourceOverallocatedV1``
(hours rounded to the hundredth; the exact figures are whole minutes inside planning).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.capacity_v1 import ResourceCapacityChangedV1, ResourceDayOffChangedV1
from trellis_contracts.planning.resources_v1 import (
    BookingCancelledV1,
    ResourceBookedV1,
    ResourceKind,
    ResourceOverallocatedV1,
    ResourceRegisteredV1,
)
from trellis_planning.domain.capacity import hours_from_minutes
from trellis_planning.domain.resource import Resource
from trellis_planning.publishing.envelopes import outgoing
from trellis_platform.outgoing import OutgoingEvent


def resource_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    payload = _payload(domain_event)
    return [outgoing(domain_event, payload, notification_id)] if payload is not None else []


def _payload(event: Any) -> EventContract | None:
    if isinstance(event, Resource.Registered):
        return ResourceRegisteredV1(
            resource_id=event.originator_id, organisation_id=event.organisation_id,
            kind=cast(ResourceKind, event.kind), name=event.name, role=event.role,
            hours_per_day=event.hours_per_day,
        )
    if isinstance(event, Resource.CapacityChanged):
        return ResourceCapacityChangedV1(
            resource_id=event.originator_id, organisation_id=event.organisation_id,
            hours_per_day=event.hours_per_day, working_weekdays=list(event.working_weekdays),
        )
    if isinstance(event, Resource.DayOffAdded | Resource.DayOffRemoved):
        return ResourceDayOffChangedV1(
            resource_id=event.originator_id, organisation_id=event.organisation_id, day=event.day,
            off=isinstance(event, Resource.DayOffAdded),
        )
    if isinstance(event, Resource.Booked):
        return ResourceBookedV1(
            booking_id=event.booking_id, organisation_id=event.organisation_id,
            project_id=event.project_id, resource_id=event.originator_id,
            kind=cast(ResourceKind, event.kind),
            starts_on=event.starts_on, ends_on=event.ends_on, hours_per_day=event.hours_per_day,
        )
    if isinstance(event, Resource.BookingCancelled):
        return BookingCancelledV1(
            booking_id=event.booking_id, organisation_id=event.organisation_id, project_id=event.project_id,
        )
    if isinstance(event, Resource.Overallocated):
        return ResourceOverallocatedV1(
            resource_id=event.originator_id, organisation_id=event.organisation_id, day=event.day,
            capacity_hours=hours_from_minutes(event.capacity_minutes),
            allocated_hours=hours_from_minutes(event.allocated_minutes),
            project_ids=list(event.project_ids),
        )
    return None
