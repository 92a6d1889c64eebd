"""Meeting minutes domain events to integration events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis_contracts.planning.minutes_v1 import ActionItem, Attendee, MeetingMinutesRecordedV1
from trellis_planning.domain.minutes import Minutes
from trellis_planning.publishing.envelopes import outgoing
from trellis_platform.outgoing import OutgoingEvent


def minutes_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    e = domain_event
    if not isinstance(e, Minutes.Created):
        return []
    payload = MeetingMinutesRecordedV1(
        minutes_id=e.originator_id,
        organisation_id=e.organisation_id,
        project_id=e.project_id,
        title=e.title,
        held_on=e.held_on,
        notes=e.notes,
        decisions=e.decisions,
        attendees=[Attendee(**a) for a in e.attendees],
        action_items=[ActionItem(**i) for i in e.action_items],
    )
    return [outgoing(e, payload, notification_id)]
