"""Every published integration event, found by its CloudEvents type."""

from __future__ import annotations

from trellis_contracts.budget.published_v1 import BUDGET_CONTRACTS_V1
from trellis_contracts.event_contract import EventContract
from trellis_contracts.identity.clients_v1 import (
    ClientCreatedV1,
    ClientUserAddedV1,
    ClientUserRemovedV1,
    ClientUserRoleChangedV1,
)
from trellis_contracts.identity.organisations_v1 import (
    OrganisationCreatedV1,
    StaffUserAddedV1,
    StaffUserDeactivatedV1,
    StaffUserRolesChangedV1,
)
from trellis_contracts.identity.revocations_v1 import SessionRevokedV1, TokenRevokedV1
from trellis_contracts.planning.capacity_v1 import ResourceCapacityChangedV1, ResourceDayOffChangedV1
from trellis_contracts.planning.documents_v1 import DocumentVersionAddedV1
from trellis_contracts.planning.plan_contracts import PLAN_CONTRACTS_V1
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
from trellis_contracts.portal.published_v1 import PORTAL_CONTRACTS_V1

ALL_CONTRACTS: tuple[type[EventContract], ...] = (
    OrganisationCreatedV1,
    StaffUserAddedV1,
    StaffUserRolesChangedV1,
    StaffUserDeactivatedV1,
    ClientCreatedV1,
    ClientUserAddedV1,
    ClientUserRoleChangedV1,
    ClientUserRemovedV1,
    TokenRevokedV1,
    SessionRevokedV1,
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
    ResourceCapacityChangedV1,
    ResourceDayOffChangedV1,
    DocumentVersionAddedV1,
    *PLAN_CONTRACTS_V1,
    *BUDGET_CONTRACTS_V1,
    *PORTAL_CONTRACTS_V1,
)

BY_TYPE: dict[str, type[EventContract]] = {c.event_type: c for c in ALL_CONTRACTS}


class UnknownEventType(LookupError):
    pass


def contract_for(event_type: str) -> type[EventContract]:
    try:
        return BY_TYPE[event_type]
    except KeyError:
        raise UnknownEventType(event_type) from None
