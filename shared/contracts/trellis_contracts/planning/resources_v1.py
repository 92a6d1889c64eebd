"""Version 1 of planning's resource events: people and equipment, and their bookings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PLANNING_EVENTS_V1

ResourceKind = Literal["person", "equipment"]


class ResourceRegisteredV1(EventContract):
    event_type = "com.trellis.planning.resource.registered.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A person or piece of equipment that work can be assigned to, with its daily capacity."

    resource_id: UUID
    organisation_id: UUID
    kind: ResourceKind
    name: str
    role: str | None = Field(None, description="For people: the role rate cards price by")
    hours_per_day: Decimal


class ResourceBookedV1(EventContract):
    event_type = "com.trellis.planning.resource.booked.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A resource was booked on a project for a span of days (equipment costs accrue from bookings)."

    booking_id: UUID
    organisation_id: UUID
    project_id: UUID
    resource_id: UUID
    kind: ResourceKind
    starts_on: date
    ends_on: date
    hours_per_day: Decimal


class BookingCancelledV1(EventContract):
    event_type = "com.trellis.planning.resource.booking_cancelled.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A booking was cancelled; any cost it accrued must be reversed."

    booking_id: UUID
    organisation_id: UUID
    project_id: UUID


class ResourceOverallocatedV1(EventContract):
    event_type = "com.trellis.planning.resource.overallocated.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A resource is booked or assigned beyond its capacity on a day."

    resource_id: UUID
    organisation_id: UUID
    day: date
    capacity_hours: Decimal
    allocated_hours: Decimal
    project_ids: list[UUID]
