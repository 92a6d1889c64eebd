"""Project domain events to integration events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
from trellis_planning.domain.project import Project
from trellis_platform.command_meta import trace_headers
from trellis_platform.outgoing import OutgoingEvent, envelope_for

SOURCE = "/trellis/planning"


def project_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    if isinstance(domain_event, Project.Created):
        payload = ProjectCreatedV1(
            project_id=domain_event.originator_id,
            organisation_id=domain_event.organisation_id,
            client_id=domain_event.client_id,
            name=domain_event.name,
            starts_on=domain_event.starts_on,
            ends_on=domain_event.ends_on,
        )
        return [_outgoing(domain_event, payload, notification_id, str(domain_event.organisation_id))]
    return []


def _outgoing(
    domain_event: Any, payload: ProjectCreatedV1, notification_id: int, organisation_id: str
) -> OutgoingEvent:
    return OutgoingEvent(
        topic=payload.topic,
        key=str(domain_event.originator_id),
        envelope=envelope_for(domain_event, payload, source=SOURCE, organisation_id=organisation_id),
        notification_id=notification_id,
        headers=trace_headers(getattr(domain_event, "meta", {})),
    )
