"""Version 1 of planning's capacity events: when a resource can work, as it changes.

Registration (``ResourceRegisteredV1``) gives a resource's first daily hours; these
follow every later change, so a consumer can keep each resource's working pattern.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PLANNING_EVENTS_V1


class ResourceCapacityChangedV1(EventContract):
    event_type = "com.trellis.planning.resource.capacity_changed.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A resource's daily hours or working weekdays changed (the full new pattern)."

    resource_id: UUID
    organisation_id: UUID
    hours_per_day: Decimal
    working_weekdays: list[int] = Field(description="ISO weekdays: 1 = Monday .. 7 = Sunday")


class ResourceDayOffChangedV1(EventContract):
    event_type = "com.trellis.planning.resource.day_off_changed.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A resource took a day off (off = true) or will work it after all (off = false)."

    resource_id: UUID
    organisation_id: UUID
    day: date
    off: bool
