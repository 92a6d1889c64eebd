"""Domain events to integration events: the one place that imports both.

A domain event without a public counterpart (a project's access opened, a thread
started) maps to nothing; it stays inside the portal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from trellis_platform.outgoing import OutgoingEvent
from trellis_portal.publishing.access import access_events
from trellis_portal.publishing.approvals import approval_events
from trellis_portal.publishing.messages import message_events
from trellis_portal.publishing.surveys import survey_events

Translator = Callable[[Any, int], Sequence[OutgoingEvent]]

TRANSLATORS: tuple[Translator, ...] = (access_events, approval_events, message_events, survey_events)


def to_integration_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    for translate in TRANSLATORS:
        outgoing = translate(domain_event, notification_id)
        if outgoing:
            return outgoing
    return []
