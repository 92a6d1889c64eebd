"""Access domain events to integration events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis_contracts.portal.access_v1 import (
    ProjectAccessGrantedV1,
    ProjectAccessRevokedV1,
    ProjectVisibilityChangedV1,
)
from trellis_platform.outgoing import OutgoingEvent
from trellis_portal.domain.project_access import ProjectAccess
from trellis_portal.publishing.envelopes import actor, outgoing


def access_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    if isinstance(domain_event, ProjectAccess.Granted):
        granted = ProjectAccessGrantedV1(
            organisation_id=domain_event.organisation_id, project_id=domain_event.project_id,
            client_id=domain_event.client_id, client_user_id=domain_event.client_user_id,
            granted_by=actor(domain_event))
        return [outgoing(domain_event, granted, notification_id)]
    if isinstance(domain_event, ProjectAccess.Revoked):
        revoked = ProjectAccessRevokedV1(
            organisation_id=domain_event.organisation_id, project_id=domain_event.project_id,
            client_id=domain_event.client_id, client_user_id=domain_event.client_user_id,
            revoked_by=actor(domain_event))
        return [outgoing(domain_event, revoked, notification_id)]
    if isinstance(domain_event, ProjectAccess.VisibilityChanged):
        changed = ProjectVisibilityChangedV1(
            organisation_id=domain_event.organisation_id, project_id=domain_event.project_id,
            changed_by=actor(domain_event), **domain_event.visibility)
        return [outgoing(domain_event, changed, notification_id)]
    return []
