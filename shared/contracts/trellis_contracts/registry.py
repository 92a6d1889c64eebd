"""Every published integration event, found by its CloudEvents type."""

from __future__ import annotations

from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.progress_v1 import (
    MilestoneCompletedV1,
    MilestoneScheduledV1,
    ProjectProgressChangedV1,
)
from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
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

ALL_CONTRACTS: tuple[type[EventContract], ...] = (
    ProjectCreatedV1,
    MilestoneScheduledV1,
    MilestoneCompletedV1,
    ProjectProgressChangedV1,
    TimeEntryLoggedV1,
    TimeEntryCorrectedV1,
    TimeEntryDeletedV1,
    ResourceRegisteredV1,
    ResourceBookedV1,
    BookingCancelledV1,
    ResourceOverallocatedV1,
)

BY_TYPE: dict[str, type[EventContract]] = {c.event_type: c for c in ALL_CONTRACTS}


class UnknownEventType(LookupError):
    pass


def contract_for(event_type: str) -> type[EventContract]:
    try:
        return BY_TYPE[event_type]
    except KeyError:
        raise UnknownEventType(event_type) from None
